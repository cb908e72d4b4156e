from pps.roles import COORDINATORS, STAFF, Role
from pps.sign_in import needs_second_factor


def navigation(request):
    """The main navigation for the signed-in user's role."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.service_id:
        return {"nav": []}
    if needs_second_factor(user):
        # Until the code is entered, no page but the code page opens: offer none.
        return {"nav": []}
    items = []
    if user.role in STAFF:
        items += [
            ("casework:my-work", "My work"),
            ("casework:enquiry-list", "Enquiries"),
            ("casework:case-list", "Cases"),
            ("casework:parent-list", "Parents"),
            ("casework:feedback-list", "Feedback"),
            ("evaluations:due", "Evaluations"),
            ("evaluations:event-list", "Events"),
        ]
    if user.role == Role.VOLUNTEER:
        items.append(("casework:my-allocated-cases", "My cases"))
        items.append(("volunteers:my-returns", "My monthly returns"))
    if user.role == Role.STEERING:
        items.append(("evaluations:event-list", "Events"))
    if user.role in COORDINATORS | {Role.STEERING}:
        items.append(("reports:overview", "Overview"))
        items.append(("quality:index", "Standards"))
        items.append(("reports:evaluation-results", "Evaluation results"))
        items.append(("document-list", "Documents"))
    if user.role in COORDINATORS:
        items.append(("volunteers:register", "Volunteers"))
        items.append(("evaluations:form-list", "Forms"))
        items.append(("casework:codelist-index", "Settings"))
    return {"nav": items}
