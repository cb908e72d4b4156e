"""Who may see subject access requests: the service's coordinators alone (docs/data-lifecycle.md).

A request gathers everything about a family into one bundle, more than any case page
shows, so it is for the people who answer for the service's data."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from access_requests.models import SubjectAccessRequest
from pps.access import rows_for_roles
from pps.roles import COORDINATORS


def requests_visible_to(user) -> QuerySet[SubjectAccessRequest]:
    return rows_for_roles(user, COORDINATORS, SubjectAccessRequest)


def get_request_for(request, pk) -> SubjectAccessRequest:
    """The request if this user may see it, else 404."""
    return get_object_or_404(
        requests_visible_to(request.user).select_related(
            "parent", "bundle", "bundle__requested_by", "completed_by", "recorded_by"
        ),
        pk=pk,
    )
