"""Named reads of the core that pages call."""

from django_otp.plugins.otp_totp.models import TOTPDevice

from pps.access import documents_visible_to, service_staff
from pps.models import Service


def latest_change(record):
    """The latest history row of `record`, with who saved it; None for a record without a
    history (code-list values)."""
    history = getattr(record, "history", None)
    return history.select_related("history_user").first() if history is not None else None


def staff_accounts() -> list:
    """The service's accounts by name, each with whether it has a confirmed authenticator."""
    users = service_staff().order_by("first_name", "last_name", "username")
    with_device = set(
        TOTPDevice.objects.filter(user__in=users, confirmed=True).values_list("user_id", flat=True)
    )
    return [(user, user.pk in with_device) for user in users]


def service_of(user) -> Service:
    return Service.objects.get(pk=user.service_id)


def documents_listed_for(user):
    """The generated documents `user` may read, with who asked for each."""
    return documents_visible_to(user).select_related("requested_by")
