"""Complaints, compliments and suggestions of a period, by type and topic, with the
resulting improvements (Charter Mark 4.3.5, seed leeds-charter-mark-health-check-2009).

Only counts and the improvement text of feedback marked publishable leave this module:
never a name, a summary or a response, so the figures may be published.
"""

from dataclasses import dataclass

from django.db.models import Count, Q

from casework.enums import FeedbackAbout, FeedbackKind
from casework.models import Feedback
from reports.periods import Period


@dataclass(frozen=True)
class TopicRow:
    topic: str
    counts: tuple[int, ...]  # in the order of FeedbackKind
    total: int


@dataclass(frozen=True)
class FeedbackSummary:
    kinds: tuple[str, ...]
    by_kind: tuple[int, ...]
    with_improvement: tuple[int, ...]
    by_topic: tuple[TopicRow, ...]
    improvements: tuple[tuple[str, str, str], ...]  # (kind, topic, improvement), publishable
    total: int

    def count_of(self, kind: str) -> int:
        return self.by_kind[list(FeedbackKind.values).index(kind)]

    def improved_of(self, kind: str) -> int:
        return self.with_improvement[list(FeedbackKind.values).index(kind)]


def feedback_summary(period: Period) -> FeedbackSummary:
    """Counts by type and by topic, and the publishable resulting improvements: two queries."""
    in_period = Feedback.objects.filter(received_on__range=(period.first, period.last))
    improved = ~Q(improvement="")
    rows = in_period.values("about").annotate(
        **{kind: Count("pk", filter=Q(kind=kind)) for kind in FeedbackKind.values},
        **{
            f"{kind}_improved": Count("pk", filter=Q(kind=kind) & improved)
            for kind in FeedbackKind.values
        },
    )
    by_about = {row["about"]: row for row in rows}
    kinds = FeedbackKind.values
    by_topic = []
    for about in FeedbackAbout:
        row = by_about.get(about.value)
        if row is None:
            continue
        counts = tuple(row[kind] for kind in kinds)
        by_topic.append(TopicRow(about.label, counts, sum(counts)))
    by_kind = tuple(sum(row[kind] for row in by_about.values()) for kind in kinds)
    with_improvement = tuple(
        sum(row[f"{kind}_improved"] for row in by_about.values()) for kind in kinds
    )
    improvements = tuple(
        (FeedbackKind(kind).label, FeedbackAbout(about).label, text)
        for kind, about, text in in_period.filter(improved, publishable=True)
        .order_by("received_on", "id")
        .values_list("kind", "about", "improvement")
    )
    return FeedbackSummary(
        kinds=tuple(FeedbackKind.labels),
        by_kind=by_kind,
        with_improvement=with_improvement,
        by_topic=tuple(by_topic),
        improvements=improvements,
        total=sum(by_kind),
    )
