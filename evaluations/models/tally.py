"""The tally of the forms a service sent in one month, kept so that a year's results are read,
not counted again on every page (evaluations.kept; docs/decisions/
0023-evaluation-tallies-kept-by-month.md).

A row is a copy of what the tally query (evaluations.results.TallySql, by month) returns for
the month, and is kept right by the database itself: triggers on the sendings, responses and
answers (and on the forms and questions, whose words the rows carry) add one to `version`
and clear the copy in the same transaction as the change, whatever made it (an action, an
import, a cascade, an anonymisation). A cleared month is counted again when next read, and
stored only if its version has not moved meanwhile.
"""

from django.db import models

from pps.models import ServiceRecord


class TallyMonth(ServiceRecord):
    # Made from other rows and cleared whenever they change: a backup leaves it out
    # (pps/backup.py), and a restore's inserts clear what it touches.
    DERIVED = True

    # The month's first day.
    month = models.DateField()
    # Changes made to the month's forms since the row was created (0: none yet).
    version = models.PositiveBigIntegerField(default=0)
    # The tally's rows of the month (sendings and responses per version, the versions'
    # questions, respondents per answer and per question), as JSON text; None while it
    # needs counting. Text, not jsonb: PostgreSQL would turn jsonb back into text on every
    # read (6 ms for a year of the largest service, against 1 ms for the text). NULL, not
    # "", is "to count": a month with nothing sent holds "[]".
    counts = models.TextField(null=True)  # noqa: DJ001
    # Its publishable comments, apart: a dashboard reads the counts only.
    comments = models.TextField(null=True)  # noqa: DJ001

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["service", "month"], name="tallymonth_unique_month")
        ]

    def __str__(self):
        return f"Evaluation tally of {self.month:%B %Y}"
