import django_tables2 as tables

from evaluations.models import Event, Sending
from pps.disclosure import FEWER_THAN_5, HIDDEN, Line, hidden_cells, is_small
from pps.tables import DayColumn, LeanTable


class SendingTable(LeanTable):
    reference = tables.Column(accessor="reference", order_by=("pk",), verbose_name="Reference")
    form = tables.Column(accessor="version__form__title", verbose_name="Form")
    version = tables.Column(accessor="version__number", verbose_name="Version")
    case = tables.Column(linkify=True, order_by=("case__reference",))
    event = tables.Column(linkify=True, order_by=("event__on",))
    answered = tables.BooleanColumn(verbose_name="Answered", yesno="Yes,No")

    class Meta:
        model = Sending
        fields = (
            "reference",
            "sent_on",
            "form",
            "version",
            "recipient_kind",
            "recipient_name",
            "channel",
            "email_status",
            "case",
            "event",
            "expires_on",
            "answered",
        )
        order_by = ("-sent_on",)
        empty_text = "No forms sent match."


class EventTable(LeanTable):
    title = tables.LinkColumn("evaluations:event-detail", args=[tables.A("pk")])
    attendance = tables.Column(
        verbose_name="Total attending",
        accessor="attendance",
        order_by=("parents_attending",),
        orderable=False,
    )

    class Meta:
        model = Event
        fields = (
            "on",
            "title",
            "kind",
            "topic",
            "venue",
            "parents_attending",
            "professionals_attending",
            "volunteers_attending",
            "attendance",
        )
        order_by = ("-on",)
        empty_text = "No events match."


_ATTENDING = ("parents_attending", "professionals_attending", "volunteers_attending")


def _attendance_shown(record) -> dict:
    """An event's attendance with small numbers suppressed, as reports.presenters
    .event_attendance shows it: 1 to 4 is "fewer than 5", and the total (then whatever
    else the sum needs) is hidden beside it, since the total less the others would give
    it away (pps.disclosure.hidden_cells)."""
    counts = {name: getattr(record, name) for name in _ATTENDING}
    counts["attendance"] = record.attendance
    hidden = hidden_cells(counts, [Line(_ATTENDING, "attendance")], total_first=True)
    return {
        name: (FEWER_THAN_5 if is_small(count) else HIDDEN) if name in hidden else count
        for name, count in counts.items()
    }


class _AttendanceColumn(tables.Column):
    """A count of an event's attendance as `_attendance_shown` shows it."""

    def render(self, record, bound_column):
        return _attendance_shown(record)[bound_column.name]


def _cleared(record, text: str) -> str:
    return text if record.cleared_for_steering else "not cleared"


class SteeringEventTable(LeanTable):
    """Events as the steering group reads them: kind, date and counts, with counts of 1 to 4
    shown as "fewer than 5"; the title, topic and venue only once a coordinator has cleared
    them; never the speaker or trainer (docs/domain.md, "Users and roles" and "Small numbers")."""

    on = DayColumn(verbose_name="Date")
    title = tables.LinkColumn(
        "evaluations:event-detail",
        args=[tables.A("pk")],
        text=lambda record: record.title if record.cleared_for_steering else "Details not cleared",
        orderable=False,
    )
    kind = tables.Column()
    topic = tables.Column(orderable=False, default="\u2013")
    venue = tables.Column(orderable=False, default="\u2013")
    parents_attending = _AttendanceColumn(verbose_name="Parents")
    professionals_attending = _AttendanceColumn(verbose_name="Professionals")
    volunteers_attending = _AttendanceColumn(verbose_name="Volunteers")
    attendance = _AttendanceColumn(verbose_name="Total attending", accessor="pk", orderable=False)

    class Meta:
        order_by = ("-on",)
        empty_text = "No events match."

    def value_title(self, record):
        return _cleared(record, record.title)

    def render_topic(self, record, value):
        return _cleared(record, value)

    def render_venue(self, record, value):
        return _cleared(record, value)
