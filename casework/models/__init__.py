from casework.models.appointment import Appointment
from casework.models.case import Allocation, Case, CaseEvent
from casework.models.codelists import ContactReason, NeedArea, ReferralRoute, SchoolType
from casework.models.contact import Contact
from casework.models.enquiry import Enquiry
from casework.models.feedback import Feedback
from casework.models.people import Child, Parent

__all__ = [
    "Allocation",
    "Appointment",
    "Case",
    "CaseEvent",
    "Child",
    "Contact",
    "ContactReason",
    "Enquiry",
    "Feedback",
    "NeedArea",
    "Parent",
    "ReferralRoute",
    "SchoolType",
]
