from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

from pps.roles import COORDINATORS, STAFF, Role
from pps.sign_in import needs_second_factor


def navigation(request):
    """The main navigation for the signed-in user's role: (path, label) pairs."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": ()}
    if not user.service_id and user.role != Role.NETWORK_ANALYST:
        return {"nav": ()}
    if needs_second_factor(user):
        # Until the code is entered, no page but the code page opens: offer none.
        return {"nav": ()}
    # The links depend on the role alone: reversed once per process, not on every page
    # (issue 11: a dozen reverse() calls were a millisecond of each request). The prefix and
    # URLconf are part of the key, so a server mounted under a path stays right.
    return {"nav": _links(user.role, get_script_prefix(), get_urlconf(settings.ROOT_URLCONF))}


@lru_cache(maxsize=64)
def _links(role, script_prefix, urlconf) -> tuple[tuple[str, str], ...]:
    return tuple((reverse(name, urlconf=urlconf), label) for name, label in _items(role))


def _items(role) -> list[tuple[str, str]]:
    items = []
    if role in STAFF:
        items += [
            ("casework:my-work", "My work"),
            ("casework:enquiry-list", "Enquiries"),
            ("casework:case-list", "Cases"),
            ("casework:parent-list", "Parents"),
            ("casework:feedback-list", "Feedback"),
            ("evaluations:due", "Evaluations"),
            ("evaluations:event-list", "Events"),
        ]
    if role == Role.VOLUNTEER:
        items.append(("casework:my-allocated-cases", "My cases"))
        items.append(("volunteers:my-returns", "My monthly returns"))
    if role == Role.STEERING:
        items.append(("evaluations:event-list", "Events"))
    if role in COORDINATORS | {Role.STEERING}:
        items.append(("reports:dashboard", "Dashboard"))
        items.append(("reports:overview", "Overview"))
        items.append(("publications:annual-index", "Annual report"))
        items.append(("publications:benchmarking-index", "Benchmarking"))
        items.append(("quality:index", "Standards"))
        items.append(("reports:evaluation-results", "Evaluation results"))
    if role in STAFF | {Role.STEERING}:
        # Printed hand-outs and long exports are built in the background (pps.access,
        # documents_visible_to).
        items.append(("document-list", "Documents"))
    if role in COORDINATORS | {Role.NETWORK_ANALYST}:
        # Analysts (of no service) have this one page; coordinators are told there whether
        # their service takes part.
        items.append(("reports:network-index", "Network"))
    if role in COORDINATORS:
        items.append(("volunteers:register", "Volunteers"))
        items.append(("evaluations:form-list", "Forms"))
        items.append(("casework:codelist-index", "Settings"))
        items.append(("access_requests:request-list", "Subject access"))
        # Retention, legal holds and erasure (docs/data-lifecycle.md).
        items.append(("retention:due", "Retention"))
        items.append(("transfers:index", "Import and export"))
    return items
