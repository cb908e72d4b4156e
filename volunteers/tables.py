import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from pps.tables import DayColumn, LeanTable
from volunteers.models import MonthlyReturn, Volunteer
from volunteers.rules import register_flags


class VolunteerTable(LeanTable):
    name = tables.LinkColumn(
        "volunteers:volunteer-detail",
        args=[tables.A("pk")],
        accessor="first_name",
        order_by=("first_name", "last_name"),
        verbose_name="Name",
    )
    status_since = DayColumn(verbose_name="Since")
    localities = tables.Column(
        accessor="locality_list",
        verbose_name="Localities",
        orderable=False,
        empty_values=(None, "", []),
    )
    last_supervision = DayColumn(verbose_name="Last supervision")
    flags = tables.Column(empty_values=(), orderable=False, verbose_name="Needs attention")

    class Meta:
        model = Volunteer
        fields = (
            "name",
            "role",
            "status",
            "status_since",
            "localities",
            "languages",
            "last_supervision",
            "dbs_renewal_due_on",
            "flags",
        )
        order_by = ("name",)
        empty_text = "Nobody on the register matches."

    def render_name(self, record):
        return str(record)

    def value_name(self, record):
        return str(record)

    def render_localities(self, value):
        return ", ".join(map(str, value))

    value_localities = render_localities

    def render_flags(self, record):
        return (
            format_html_join(
                mark_safe("<br>"),
                "{}",
                ((flag,) for flag in register_flags(record, timezone.localdate())),
            )
            or "none"
        )

    def value_flags(self, record):
        return "; ".join(register_flags(record, timezone.localdate()))


class MonthlyReturnTable(LeanTable):
    month = DayColumn(format="F Y")
    volunteer = tables.LinkColumn(
        "volunteers:volunteer-detail",
        args=[tables.A("volunteer_id")],
        order_by=("volunteer__first_name", "volunteer__last_name"),
    )
    total_hours = tables.Column(verbose_name="Total hours", orderable=False)
    submitted_at = DayColumn(verbose_name="Sent")
    corrected_at = DayColumn(verbose_name="Corrected")

    class Meta:
        model = MonthlyReturn
        fields = (
            "month",
            "volunteer",
            "phone_hours",
            "meeting_hours",
            "paperwork_hours",
            "tribunal_hours",
            "total_hours",
            "miles",
            "expenses",
            "submitted_at",
            "corrected_at",
        )
        order_by = ("-month",)
        empty_text = "No returns match."
