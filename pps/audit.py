"""Reads of personal data are recorded here, once per page or export (DOMAIN.md 6).

Changes are recorded by django-simple-history on each audited model; this module covers
the other half: who looked at what, and when.
"""

from pps.models import AccessLog


class PersonalDataMixin:
    """Record one AccessLog row for every successful GET of a personal-data page.

    A detail view records its object (`audit_object_type` and the object's pk); a list or
    export records the list's name with no object id.
    """

    audit_object_type: str
    audit_action = AccessLog.Action.VIEW

    def audit_object_id(self) -> int | None:
        obj = getattr(self, "object", None)
        return getattr(obj, "pk", None)

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        if request.method == "GET" and response.status_code == 200:
            record_access(
                request,
                action=self.audit_action,
                object_type=self.audit_object_type,
                object_id=self.audit_object_id(),
            )
        return response


def record_access(request, *, action, object_type: str, object_id: int | None) -> AccessLog:
    """The one writer of AccessLog rows: the mixin above for pages and exports, and views
    whose personal data goes out as the answer to a form (a printed letter)."""
    return AccessLog.objects.create(
        service_id=request.user.service_id,
        user=request.user,
        action=action,
        path=request.get_full_path()[:500],
        object_type=object_type,
        object_id=object_id,
    )
