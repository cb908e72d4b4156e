from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, resolve, reverse

from pps.roles import Role
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


# The header's links in their order, and the menus that group a coordinator's reports, data
# protection work and settings. Who sees a link is who may open its page: the roles its
# view admits (`roles`, checked by pps.access.RoleRequiredMixin), read from the view itself,
# so that the menu and the access rule cannot disagree.
MENU = (
    ("casework:my-work", "My work"),
    ("casework:enquiry-list", "Enquiries"),
    ("casework:case-list", "Cases"),
    ("casework:parent-list", "Parents"),
    ("casework:feedback-list", "Feedback"),
    ("evaluations:due", "Evaluations"),
    ("evaluations:event-list", "Events"),
    ("casework:my-allocated-cases", "My cases"),
    ("volunteers:my-returns", "My monthly returns"),
    # Printed hand-outs and long exports are built in the background (pps.access,
    # documents_visible_to).
    ("document-list", "Documents"),
    ("volunteers:register", "Volunteers"),
    (
        "Reports",
        (
            ("reports:dashboard", "Dashboard"),
            ("reports:overview", "Overview"),
            ("publications:annual-index", "Annual report"),
            ("publications:benchmarking-index", "Benchmarking"),
            ("quality:index", "Standards"),
            ("reports:evaluation-results", "Evaluation results"),
            # Analysts (of no service) have this one page; coordinators are told there
            # whether their service takes part.
            ("reports:network-index", "Network"),
        ),
    ),
    (
        "Data",
        (
            ("access_requests:request-list", "Subject access"),
            # Retention, legal holds and erasure (docs/data-lifecycle.md).
            ("retention:due", "Retention"),
            ("transfers:index", "Import and export"),
        ),
    ),
    (
        "Settings",
        (
            ("casework:codelist-index", "Settings and code lists"),
            ("evaluations:form-list", "Evaluation forms"),
        ),
    ),
)


@lru_cache(maxsize=64)
def _links(role, script_prefix, urlconf) -> tuple[NavLink | NavGroup, ...]:
    """The entries of MENU that `role` may open: an empty group is left out, a group of one
    link is shown as that link."""

    def link(name, label):
        return NavLink(reverse(name, urlconf=urlconf), label)

    entries = []
    for entry in MENU:
        if isinstance(entry[1], tuple):
            label, items = entry
            group = [
                link(name, text)
                for name, text in items
                if _admits(name, role, script_prefix, urlconf)
            ]
            if len(group) == 1:
                entries += group
            elif group:
                entries.append(NavGroup(label, tuple(group)))
        elif _admits(entry[0], role, script_prefix, urlconf):
            entries.append(link(*entry))
    return tuple(entries)


def _admits(name: str, role: str, script_prefix: str = "/", urlconf=None) -> bool:
    """Whether the page named `name` lets `role` in (its view's `roles`)."""
    path = "/" + reverse(name, urlconf=urlconf).removeprefix(script_prefix)
    return role in resolve(path, urlconf=urlconf).func.view_class.roles
