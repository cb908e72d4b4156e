"""Frameworks of standards: a versioned tree of themes and standards with a rating scale.

Each service owns its copies (a shipped framework is installed for every service), so one
service's wording never changes another's. Editing wording makes a new FrameworkVersion,
a copy of the tree; self-assessments keep pointing at the version they rated. A standard
keeps its code across versions, which is how assessments of two versions are compared.
"""

from django.conf import settings
from django.db import models

from pps.models import ServiceRecord


class Framework(ServiceRecord):
    name = models.CharField(max_length=200)
    # The shipped framework this was installed from ("" for an imported one).
    shipped_key = models.SlugField(max_length=60, blank=True)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["service", "name"], name="framework_unique_name")
        ]

    def __str__(self):
        return self.name


class FrameworkVersion(ServiceRecord):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    note = models.CharField(max_length=300, blank=True)
    # A digest of the scale, themes and standards: importing the same content twice is a no-op.
    fingerprint = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["framework__name", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="framework_version_number")
        ]

    def __str__(self):
        return f"{self.framework.name}, version {self.number}"

    @property
    def next_number(self) -> int:
        """The number of a version revised from this one (quality.actions.revise_framework)."""
        return self.number + 1


class Level(ServiceRecord):
    """A point of a version's rating scale; a higher rank is a better rating."""

    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="levels")
    label = models.CharField(max_length=60)
    rank = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["version", "-rank"]
        constraints = [models.UniqueConstraint(fields=["version", "rank"], name="level_rank")]

    def __str__(self):
        return self.label


def level_field(verbose_name: str) -> models.ForeignKey:
    """The level a standard was given (a rating, a review's band): none until it is."""
    return models.ForeignKey(
        Level,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=verbose_name,
    )


class Theme(ServiceRecord):
    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="themes")
    code = models.CharField(max_length=20)
    title = models.CharField(max_length=300, blank=True)
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["version", "position"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="theme_code")]

    def __str__(self):
        return f"{self.code} {self.title}".strip()


class Standard(ServiceRecord):
    version = models.ForeignKey(
        FrameworkVersion, on_delete=models.CASCADE, related_name="standards"
    )
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="standards")
    code = models.CharField(max_length=20)
    text = models.TextField()
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["version", "position"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="standard_code")]

    def __str__(self):
        return f"{self.code} {self.text}"
