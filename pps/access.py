"""Who may see what: the one place that scopes queries to a service and checks a role.

Every query on service data runs inside `service_scope` (the middleware opens it for each
request), so a model with a ScopedManager cannot be read across services by accident:
outside a scope django-scopes raises instead of leaking. Which rows of a service a role may
see is decided per record type by one function in that app's access.py (for example
casework.access.cases_visible_to); views call those and never filter by hand.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django_scopes import scope

from pps.roles import COORDINATORS, STAFF, Role


@contextmanager
def service_scope(service_id: int | None) -> Iterator[None]:
    """Scope every ScopedManager query to one service; to nothing when there is none.

    django-scopes treats a scope value of None as "no filter", so the service is always
    passed as a list: an empty list matches no row rather than every row.
    """
    with scope(service=[service_id] if service_id else []):
        yield


def rows_for_roles(user, roles: frozenset[Role], model) -> QuerySet:
    """Every row of `model` in the service scope for a user in `roles`; none for anyone else.

    The access modules' functions for record types that are all-or-nothing by role use
    this, so the rule "these roles see all of it" is written once.
    """
    return model.objects.all() if user.role in roles else model.objects.none()


def may_open(user, roles: frozenset[Role]) -> bool:
    return bool(user.is_authenticated and user.is_active and user.service_id and user.role in roles)


def may_read_network(user) -> bool:
    """Who may open the network report (docs/reporting.md, "The network report"): network
    analysts, who belong to no service, and coordinators. Whether a coordinator's service
    takes part is the report's own question: one that does not is told so and sees no
    other service's figures."""
    if not (user.is_authenticated and user.is_active):
        return False
    return user.role == Role.NETWORK_ANALYST or (
        user.role in COORDINATORS and bool(user.service_id)
    )


class RoleRequiredMixin:
    """Base of every view of service data: `roles` says which roles may open it.

    There is deliberately no default: a view that forgets to say who may open it fails
    at class creation (bases shared by several views say `abstract = True`), and the
    access-matrix test lists every URL against every role.
    """

    roles: frozenset[Role]

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if not cls.__dict__.get("abstract") and not getattr(cls, "roles", None):
            raise TypeError(f"{cls.__name__} must declare the roles that may open it")

    def dispatch(self, request, *args, **kwargs):
        if not may_open(request.user, self.roles):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def service_staff():
    """Staff accounts (users) of the service in scope. (In the reports, "service users" are
    the parents a service helps: docs/domain.md.)

    User has no ScopedManager because signing in must find any user; everything else that
    lists users goes through here, so the service filter is still written once.
    """
    from django_scopes import get_scope
    from django_scopes.exceptions import ScopeError

    from pps.models import User

    current = get_scope()
    if not current.get("_enabled", True):
        return User.objects.all()
    if "service" not in current:
        raise ScopeError("A service scope needs to be active to list its users.")
    return User.objects.filter(service__in=current["service"])


# Who may ask for generated documents, and so read the documents pages: staff (hand-outs
# printed at an event, long exports), coordinators (the self-assessment PDF too) and the
# steering group (its suppressed copies and its own exports).
DOCUMENT_READERS = STAFF | {Role.STEERING}


def documents_visible_to(user) -> QuerySet:
    """Generated documents (pps/documents.py) a user may see in the service in scope.

    Coordinators see all of them. Everyone else sees the ones they asked for themselves:
    a file of hand-outs or an export was built from the asker's own reading, and another
    officer's may hold cases or links they were never given. Steering members also see
    every document that holds no personal data (the suppressed copies made for the
    aggregate-only readers), as they did before other staff made documents. Volunteers
    and network analysts ask for none, so see none.
    """
    from pps.models import GeneratedDocument

    if user.role in COORDINATORS:
        return GeneratedDocument.objects.all()
    if user.role == Role.STEERING:
        return GeneratedDocument.objects.filter(Q(holds_personal_data=False) | Q(requested_by=user))
    if user.role in DOCUMENT_READERS:
        return GeneratedDocument.objects.filter(requested_by=user)
    return GeneratedDocument.objects.none()


def get_document_for(request, pk):
    """The generated document if this user may see it, else 404."""
    return get_object_or_404(
        documents_visible_to(request.user).select_related("requested_by"), pk=pk
    )
