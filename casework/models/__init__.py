from casework.models.appointment import Appointment
from casework.models.case import Allocation, Case, CaseEvent
from casework.models.codelists import ContactReason, NeedArea, ReferralRoute, SchoolType
from casework.models.contact import Contact
from casework.models.document import CaseDocument
from casework.models.enquiry import Enquiry
from casework.models.feedback import Feedback
from casework.models.letters import Correspondence, LetterTemplate
from casework.models.people import Child, Parent, full_name

__all__ = [
    "Allocation",
    "Appointment",
    "Case",
    "CaseDocument",
    "CaseEvent",
    "Child",
    "Contact",
    "ContactReason",
    "Correspondence",
    "Enquiry",
    "Feedback",
    "LetterTemplate",
    "NeedArea",
    "Parent",
    "ReferralRoute",
    "SchoolType",
    "full_name",
]
