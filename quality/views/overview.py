"""The standards home page, the published complaints/compliments/suggestions summary and
the steering group's membership (by seat, no names)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import CreateView, TemplateView

from pps.access import RoleRequiredMixin
from pps.disclosure import sees_exact_figures
from pps.exports import CsvExport, export_response
from pps.roles import AGGREGATES, COORDINATORS
from pps.views import ActionFormMixin, VersionedUpdateView
from quality import actions
from quality.access import seats_visible_to
from quality.enums import MemberType
from quality.forms import SeatForm
from quality.queries import seats_held_by_type, standards_home
from reports.forms import PeriodForm
from reports.periods import Period, academic_year_containing
from reports.presenters import Disclosure, feedback_tables
from reports.queries.feedback import FeedbackSummary, feedback_summary


def feedback_rows(summary: FeedbackSummary, period: Period, *, public: bool) -> list[list]:
    """The summary as CSV rows: by type, by topic, then the improvements."""
    by_kind, by_topic = feedback_tables(summary, Disclosure(exact=not public))
    rows = [["Complaints, compliments and suggestions", period.label]]
    if public:
        rows.append(
            [
                "For publishing: counts from 1 to 4 are shown as “fewer than 5” and a count "
                "that would give one away by subtraction as “hidden”."
            ]
        )
    for table in (by_kind, by_topic):
        rows += [[], list(table.header), *(list(row) for row in table.rows)]
    rows += [[], ["Type", "About", "Resulting improvement"]]
    rows += [list(improvement) for improvement in summary.improvements]
    return rows


class IndexView(RoleRequiredMixin, TemplateView):
    roles = AGGREGATES
    template_name = "quality/index.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            **standards_home(user),
            is_coordinator=user.role in COORDINATORS,
            title="Standards, self-assessment and plans",
            **kwargs,
        )


class FeedbackSummaryView(RoleRequiredMixin, TemplateView):
    """Complaints, compliments and suggestions by type and topic with the resulting
    improvements, ready to publish (Charter Mark 4.3.5): no names, no summaries."""

    roles = AGGREGATES
    template_name = "quality/feedback_summary.html"
    export = False

    def get(self, request, *args, **kwargs):
        if not self.export:
            return super().get(request, *args, **kwargs)
        return export_response(self)

    def csv_export(self) -> CsvExport:
        """The export is the copy made for publishing (Charter Mark 4.3.5), so it is always
        the public one, whoever makes it: a coordinator's exact counts stay on screen. Its
        rows are the summary's, already counted in the database."""
        context = self.get_context_data()
        rows = feedback_rows(context["summary"], context["period"], public=True)
        return CsvExport(
            title=f"{context['title']}, {context['period'].label} (CSV)",
            filename=(
                f"complaints-compliments-suggestions-{context['period'].first.isoformat()}.csv"
            ),
            rows=lambda: rows,
            count=lambda: len(rows),
            holds_personal_data=False,
        )

    def get_context_data(self, **kwargs):
        service = self.request.user.service
        year = academic_year_containing(timezone.localdate(), service.academic_year_start_month)
        form = PeriodForm(self.request.GET or None, initial={"start": year.first, "end": year.last})
        period = form.period(default=year)
        summary = feedback_summary(period)
        return super().get_context_data(
            form=form,
            period=period,
            summary=summary,
            by_kind=list(
                zip(summary.kinds, summary.by_kind, summary.with_improvement, strict=True)
            ),
            public=not sees_exact_figures(self.request.user),
            tables=feedback_tables(summary, Disclosure.for_user(self.request.user)),
            title="Complaints, compliments and suggestions",
            **kwargs,
        )


class SteeringGroupView(ActionFormMixin, RoleRequiredMixin, CreateView):
    roles = COORDINATORS
    form_class = SeatForm
    template_name = "quality/steering_group.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        seats = seats_visible_to(self.request.user)
        counts = seats_held_by_type(seats, today)
        return super().get_context_data(
            seats=seats,
            today=today,
            current=[(label, counts.get(value, 0)) for value, label in MemberType.choices],
            current_total=sum(counts.values()),
            title="Steering group membership",
            **kwargs,
        )

    def act(self, form):
        actions.add_seat(service=self.request.user.service, **form.cleaned_data)
        messages.success(self.request, "Seat recorded.")
        return redirect("quality:steering-group")


class SeatEditView(VersionedUpdateView):
    roles = COORDINATORS
    form_class = SeatForm
    success_message = "Seat saved."

    def get_queryset(self):
        return seats_visible_to(self.request.user)

    def get_title(self):
        return f"Edit the seat: {self.object}"

    def get_success_url(self):
        return reverse("quality:steering-group")
