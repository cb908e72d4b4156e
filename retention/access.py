"""Who may see what of retention: coordinators only (pps/roles.py), one function per record
type, each inside the request's service scope."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from casework.access import parents_visible_to
from casework.models import Parent
from pps.access import rows_for_roles
from pps.roles import COORDINATORS
from retention.models import Anonymisation, LegalHold


def families_for_retention(user) -> QuerySet[Parent]:
    """The parents a user may place on hold or erase: coordinators, their service's."""
    return parents_visible_to(user) if user.role in COORDINATORS else Parent.objects.none()


def get_family_for(request, pk) -> Parent:
    return get_object_or_404(families_for_retention(request.user), pk=pk)


def holds_visible_to(user) -> QuerySet[LegalHold]:
    return rows_for_roles(user, COORDINATORS, LegalHold)


def get_hold_for(request, pk) -> LegalHold:
    return get_object_or_404(holds_visible_to(request.user).select_related("parent"), pk=pk)


def anonymisations_visible_to(user) -> QuerySet[Anonymisation]:
    return rows_for_roles(user, COORDINATORS, Anonymisation)
