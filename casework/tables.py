import django_tables2 as tables
from django.utils.html import format_html

from casework import queries
from casework.models import Case, Enquiry, Feedback, Parent
from pps.tables import DayColumn, LeanTable


class CaseTable(LeanTable):
    reference = tables.LinkColumn("casework:case-detail", args=[tables.A("pk")])
    parent = tables.Column(order_by=("parent__last_name", "parent__first_name"))
    child = tables.Column(order_by=("child__last_name", "child__first_name"))
    officer = tables.Column(verbose_name="Officer", order_by=("officer__first_name",))
    locality = tables.Column(order_by=("locality__name",))
    # The id breaks ties between cases opened on the same day (index case_by_opening).
    opened_on = DayColumn(order_by=("opened_on", "id"))

    class Meta:
        model = Case
        fields = (
            "reference",
            "parent",
            "child",
            "officer",
            "locality",
            "status",
            "opened_on",
            "last_contact_on",
            "closed_on",
        )
        order_by = ("-opened_on",)
        empty_text = "No cases match."

    def __init__(self, *args, names=None, **kwargs):
        # The list page's cases come without their officer and locality
        # (casework.queries.case_list_page): `names` gives the records to name them from.
        self.names = names
        super().__init__(*args, **kwargs)

    def before_drawing(self, records):
        if self.names is not None:
            officers, localities = self.names()
            queries.name_cases(records, officers, localities)


class ParentTable(LeanTable):
    name = tables.LinkColumn(
        "casework:parent-detail",
        args=[tables.A("pk")],
        accessor="last_name",
        order_by=("last_name", "first_name"),
        verbose_name="Name",
    )
    open_cases = tables.Column(verbose_name="Open cases")
    all_cases = tables.Column(verbose_name="All cases")

    class Meta:
        model = Parent
        fields = ("name", "postcode", "phone", "email", "locality", "open_cases", "all_cases")
        order_by = ("name",)
        empty_text = "No parents match."

    def render_name(self, record):
        return f"{record.last_name}, {record.first_name}"

    value_name = render_name


class EnquiryTable(LeanTable):
    received_at = tables.LinkColumn(
        "casework:enquiry-detail", args=[tables.A("pk")], verbose_name="Received"
    )
    topic = tables.Column(order_by=("topic__name",))
    case = tables.Column(verbose_name="Case", linkify=True, order_by=("case__reference",))

    class Meta:
        model = Enquiry
        fields = (
            "received_at",
            "enquirer_type",
            "enquirer_name",
            "topic",
            "minutes",
            "substantial",
            "first_response_on",
            "case",
        )
        order_by = ("-received_at",)
        empty_text = "No enquiries match."


class FeedbackTable(LeanTable):
    received_on = tables.LinkColumn("casework:feedback-edit", args=[tables.A("pk")])
    summary = tables.Column()

    class Meta:
        model = Feedback
        fields = (
            "received_on",
            "kind",
            "about",
            "channel",
            "summary",
            "responded_on",
            "publishable",
        )
        order_by = ("-received_on",)
        empty_text = "Nothing recorded matches."

    def render_summary(self, value):
        short = value if len(value) <= 80 else value[:77] + "…"
        return format_html("{}", short)

    def value_summary(self, value):
        # The export is a spreadsheet, not HTML: the whole text as typed, with no entities.
        return value
