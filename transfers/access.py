"""Who may see imports: the service's coordinators (pps/access.py)."""

from django.shortcuts import get_object_or_404

from pps.access import rows_for_roles
from pps.roles import COORDINATORS
from transfers.models import ImportRun


def imports_visible_to(user):
    return rows_for_roles(user, COORDINATORS, ImportRun)


def get_import_for(request, pk) -> ImportRun:
    return get_object_or_404(imports_visible_to(request.user).select_related("uploaded_by"), pk=pk)
