import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone

from pps.forms import ListFilterSet, date_range
from pps.models import Locality
from volunteers.models import MonthlyReturn, Volunteer, VolunteerRole, VolunteerStatus
from volunteers.queries import DBS_WARNING


def _localities(request):
    return Locality.objects.all()


class VolunteerFilter(ListFilterSet):
    q = django_filters.CharFilter(label="Search", method="search", help_text="Name or language")
    role = django_filters.ChoiceFilter(choices=VolunteerRole.choices, empty_label="Any role")
    status = django_filters.ChoiceFilter(choices=VolunteerStatus.choices, empty_label="Any status")
    locality = django_filters.ModelChoiceFilter(
        field_name="localities", queryset=_localities, empty_label="Any locality"
    )
    dbs_due = django_filters.BooleanFilter(
        label="DBS renewal due in 60 days",
        method="filter_dbs_due",
        widget=forms.Select(choices=[("", "Any"), ("true", "Yes"), ("false", "No")]),
    )

    class Meta:
        model = Volunteer
        fields = []

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(first_name__icontains=value)
            | Q(last_name__icontains=value)
            | Q(languages__icontains=value)
        )

    def filter_dbs_due(self, queryset, name, value):
        if value is None:
            return queryset
        due = Q(dbs_renewal_due_on__lte=timezone.localdate() + DBS_WARNING)
        return queryset.filter(due) if value else queryset.exclude(due)


def _volunteers(request):
    return Volunteer.objects.filter(role=VolunteerRole.IPS)


class MonthlyReturnFilter(ListFilterSet):
    volunteer = django_filters.ModelChoiceFilter(queryset=_volunteers, empty_label="Any IPS")
    month_from, month_to = date_range("month", "From month", "To month")

    class Meta:
        model = MonthlyReturn
        fields = []
