"""Named reads of the register, reused by views and reports."""

import datetime as dt

from django.db.models import QuerySet

from volunteers.models import Volunteer, VolunteerStatus

DBS_WARNING = dt.timedelta(days=60)


def dbs_renewal_due(today: dt.date) -> QuerySet[Volunteer]:
    """Volunteers still on the register whose DBS check is due within 60 days, or overdue."""
    return Volunteer.objects.exclude(status=VolunteerStatus.LEFT).filter(
        dbs_renewal_due_on__lte=today + DBS_WARNING
    )
