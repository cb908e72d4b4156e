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
            AccessLog.objects.create(
                service_id=request.user.service_id,
                user=request.user,
                action=self.audit_action,
                path=request.get_full_path()[:500],
                object_type=self.audit_object_type,
                object_id=self.audit_object_id(),
            )
        return response
