from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

from pps.roles import COORDINATORS, STAFF, Role
from pps.sign_in import needs_second_factor


@dataclass(frozen=True)
class NavLink:
    path: str
    label: str


@dataclass(frozen=True)
class NavGroup:
    """Links shown together under one heading (a disclosure menu in the header), so that a
    coordinator's two dozen links fit one line at 1366 px (issue 15)."""

    label: str
    links: tuple[NavLink, ...]


def navigation(request):
    """The main navigation for the signed-in user's role: links and groups of links."""
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
def _links(role, script_prefix, urlconf) -> tuple[NavLink | NavGroup, ...]:
    def link(name, label):
        return NavLink(reverse(name, urlconf=urlconf), label)

    entries = []
    for entry in _items(role):
        if isinstance(entry[1], list):
            label, items = entry
            entries.append(NavGroup(label, tuple(link(*item) for item in items)))
        else:
            entries.append(link(*entry))
    return tuple(entries)


def _items(role) -> list:
    """(url name, label) pairs, and (group label, [pairs]) for a group; an empty group is
    left out, a group of one link is shown as that link."""
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
    if role in STAFF | {Role.STEERING}:
        # Printed hand-outs and long exports are built in the background (pps.access,
        # documents_visible_to).
        items.append(("document-list", "Documents"))
    if role in COORDINATORS:
        items.append(("volunteers:register", "Volunteers"))
    reports = []
    if role in COORDINATORS | {Role.STEERING}:
        reports += [
            ("reports:dashboard", "Dashboard"),
            ("reports:overview", "Overview"),
            ("publications:annual-index", "Annual report"),
            ("publications:benchmarking-index", "Benchmarking"),
            ("quality:index", "Standards"),
            ("reports:evaluation-results", "Evaluation results"),
        ]
    if role in COORDINATORS | {Role.NETWORK_ANALYST}:
        # Analysts (of no service) have this one page; coordinators are told there whether
        # their service takes part.
        reports.append(("reports:network-index", "Network"))
    data, settings_ = [], []
    if role in COORDINATORS:
        data += [
            ("access_requests:request-list", "Subject access"),
            # Retention, legal holds and erasure (docs/data-lifecycle.md).
            ("retention:due", "Retention"),
            ("transfers:index", "Import and export"),
        ]
        settings_ += [
            ("casework:codelist-index", "Settings and code lists"),
            ("evaluations:form-list", "Evaluation forms"),
        ]
    for label, group in (("Reports", reports), ("Data", data), ("Settings", settings_)):
        if len(group) == 1:
            items += group
        elif group:
            items.append((label, group))
    return items
