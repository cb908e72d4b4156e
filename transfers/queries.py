"""Named reads of the import pages."""

from transfers.access import imports_visible_to


def recent_imports(user, count: int):
    """The latest `count` imports `user` may see, with who uploaded each."""
    return imports_visible_to(user).select_related("uploaded_by")[:count]
