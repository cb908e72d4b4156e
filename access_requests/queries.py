"""Named reads of subject access requests, for the pages that list them."""

from access_requests.access import requests_visible_to
from access_requests.models import SubjectAccessRequest


def open_requests(user) -> list[SubjectAccessRequest]:
    """The requests `user` may see that are not completed, the soonest due first."""
    visible = requests_visible_to(user).select_related("parent")
    return list(visible.filter(completed_on__isnull=True).order_by("due_on", "id"))


def completed_requests(user, count: int) -> list[SubjectAccessRequest]:
    """The latest `count` completed requests `user` may see, the latest first."""
    visible = requests_visible_to(user).select_related("parent")
    return list(visible.filter(completed_on__isnull=False).order_by("-completed_on", "-id")[:count])
