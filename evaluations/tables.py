import django_tables2 as tables

from evaluations.models import Event, Sending


class SendingTable(tables.Table):
    reference = tables.Column(accessor="pk", verbose_name="Reference")
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

    def render_reference(self, record):
        return record.reference

    def value_reference(self, record):
        return record.reference


class EventTable(tables.Table):
    title = tables.LinkColumn("evaluations:event-detail", args=[tables.A("pk")])
    attendance = tables.Column(
        verbose_name="Total attending",
        accessor="pk",
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

    def render_attendance(self, record):
        return record.attendance

    def value_attendance(self, record):
        return record.attendance
