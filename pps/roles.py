"""The roles of "Users and roles" in docs/domain.md and which of them may see what."""

from django.db import models


class Role(models.TextChoices):
    CASE_OFFICER = "case_officer", "Case officer"
    COORDINATOR = "coordinator", "Coordinator"
    ADMIN_SUPPORT = "admin_support", "Admin support"
    VOLUNTEER = "volunteer", "IPS volunteer"
    STEERING = "steering", "Steering group member"
    NETWORK_ANALYST = "network_analyst", "Network analyst"


# Paid staff: see every case of their own service.
STAFF = frozenset({Role.CASE_OFFICER, Role.COORDINATOR, Role.ADMIN_SUPPORT})
# Those who may see any personal data at all (volunteers only on their allocated cases).
CASEWORK = STAFF | {Role.VOLUNTEER}
COORDINATORS = frozenset({Role.COORDINATOR})
# Aggregates only: never a name, a note or any other personal data.
AGGREGATES = frozenset({Role.COORDINATOR, Role.STEERING})
