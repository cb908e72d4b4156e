"""Where a day starts: "My work" for staff, allocated cases for a volunteer."""

import datetime as dt

from django.utils import timezone
from django.views.generic import TemplateView

from casework import queries
from casework.rules import closure_due_on, evaluation_due_on, response_days
from pps.access import RoleRequiredMixin, may_open
from pps.audit import PersonalDataMixin
from pps.days import start_of
from pps.links import record_urls
from pps.roles import STAFF, Role
from volunteers.access import require_on_duty


class MyWorkView(RoleRequiredMixin, PersonalDataMixin, TemplateView):
    roles = STAFF
    template_name = "casework/my_work.html"
    audit_object_type = "my-work"
    # An officer of a large service has a hundred or more evaluations due at a time: My
    # work shows the longest due and the total; the Evaluations due page lists them all.
    evaluations_shown = 10

    def get_context_data(self, **kwargs):
        user, today = self.request.user, timezone.localdate()
        standard = user.service.response_standard_days
        monday = today - dt.timedelta(days=today.weekday())
        lists = queries.my_work_lists(
            user, today, start_of(today), start_of(monday + dt.timedelta(days=7))
        )
        enquiries = lists.enquiries
        for enquiry in enquiries:
            enquiry.days_waiting = response_days(
                timezone.localdate(enquiry.received_at), None, today
            )
            enquiry.over_standard = enquiry.days_waiting > standard
        due_closure = lists.due_closure
        for case in due_closure:
            case.closure_due = closure_due_on(case.last_activity_on)
        due_evaluation, due_evaluation_total = queries.evaluations_due_shown(
            user, today, self.evaluations_shown
        )
        for case in due_evaluation:
            case.evaluation_due = evaluation_due_on(case.last_contact_on)
        follow_ups = lists.follow_ups
        for contact in follow_ups:
            contact.overdue = contact.follow_up_due_on < today
        appointments_today, appointments_week = _appointments_of_week(lists.appointments, today)
        return super().get_context_data(
            caseload=_with_links(queries.caseload_rows(user)),
            follow_ups=follow_ups,
            enquiries=enquiries,
            response_standard=standard,
            due_closure=due_closure,
            due_evaluation=due_evaluation,
            due_evaluation_total=due_evaluation_total,
            appointment_lists=[
                ("Today", appointments_today, "None today.", False),
                ("Later this week", appointments_week, "None later this week.", True),
            ],
            appointments_total=len(appointments_today) + len(appointments_week),
            today=today,
            **kwargs,
        )


def _with_links(cases: list) -> list:
    """Each case with `url`, its page's address, from the route reversed once per process
    (pps/links.py): an officer's caseload is a hundred rows or more (issue 11)."""
    url = record_urls("casework:case-detail")
    for case in cases:
        case.url = url(case.pk)
    return cases


def _appointments_of_week(rows: list, today: dt.date):
    """The user's booked appointments (`rows`, from today to Sunday) split into today's and
    later this week's.

    Each carries `passed` (it has started: record it as held or cancel it) and
    `local_start`, its start in the service's time zone."""
    tomorrow = today + dt.timedelta(days=1)
    now = timezone.now()
    for appointment in rows:
        appointment.passed = appointment.starts_at <= now
        appointment.local_start = timezone.localtime(appointment.starts_at)
    start_of_tomorrow = start_of(tomorrow)
    return (
        [a for a in rows if a.starts_at < start_of_tomorrow],
        [a for a in rows if a.starts_at >= start_of_tomorrow],
    )


class AllocatedCasesView(RoleRequiredMixin, PersonalDataMixin, TemplateView):
    roles = frozenset({Role.VOLUNTEER})
    template_name = "casework/allocated_cases.html"
    audit_object_type = "allocated-cases"

    def dispatch(self, request, *args, **kwargs):
        if may_open(request.user, self.roles):
            require_on_duty(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(cases=queries.open_cases_for(self.request.user), **kwargs)
