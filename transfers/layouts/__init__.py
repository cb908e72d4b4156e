"""Every layout, by the key its URLs use, in the order to import them: a file may name
records of the files before it (docs/data-lifecycle.md)."""

from transfers.layouts.base import Layout
from transfers.layouts.cases import CaseLayout
from transfers.layouts.contacts import ContactLayout
from transfers.layouts.enquiries import EnquiryLayout
from transfers.layouts.evaluations import EvaluationLayout
from transfers.layouts.volunteers import MonthlyReturnLayout, VolunteerLayout

LAYOUTS: dict[str, Layout] = {
    layout.key: layout
    for layout in (
        CaseLayout(),
        VolunteerLayout(),
        ContactLayout(),
        EnquiryLayout(),
        MonthlyReturnLayout(),
        EvaluationLayout(),
    )
}
