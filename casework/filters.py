import django_filters
from django import forms
from django.db.models import Q

from casework.enums import CaseStatus, EnquirerType, FeedbackAbout, FeedbackKind
from casework.models import Case, ContactReason, Enquiry, Feedback, Parent
from casework.queries import search_cases
from pps.access import service_staff
from pps.forms import ListFilterSet, date_range
from pps.models import Locality
from pps.roles import Role

# Every filter is declared here, none generated from Meta.fields: generating one reads the
# model's default manager at import time, which the service scope forbids.
_YES_NO = forms.Select(choices=[("", "Any"), ("true", "Yes"), ("false", "No")])


# A filter's options read only what an option shows: its key and its name (str()).
def _officers(request):
    return (
        service_staff()
        .filter(role__in=[Role.CASE_OFFICER, Role.COORDINATOR])
        .only("username", "first_name", "last_name")
    )


def _localities(request):
    return Locality.objects.only("name")


def _reasons(request):
    return ContactReason.objects.only("name")


def _search(fields):
    def method(queryset, name, value):
        condition = Q()
        for term in value.split():
            term_condition = Q()
            for field in fields:
                term_condition |= Q(**{f"{field}__icontains": term})
            condition &= term_condition
        return queryset.filter(condition)

    return method


class CaseFilter(ListFilterSet):
    q = django_filters.CharFilter(
        label="Search",
        method="search",
        help_text="Reference, parent's or child's name, or postcode",
    )
    status = django_filters.ChoiceFilter(choices=CaseStatus.choices, empty_label="Any status")
    officer = django_filters.ModelChoiceFilter(queryset=_officers, empty_label="Any officer")
    locality = django_filters.ModelChoiceFilter(queryset=_localities, empty_label="Any locality")
    primary_reason = django_filters.ModelChoiceFilter(
        queryset=_reasons, empty_label="Any reason", label="Primary reason"
    )
    opened_after, opened_before = date_range("opened_on", "Opened from", "Opened to")

    class Meta:
        model = Case
        fields = []

    def search(self, queryset, name, value):
        return search_cases(queryset, value)


class ParentFilter(ListFilterSet):
    q = django_filters.CharFilter(
        label="Search",
        method=_search(["first_name", "last_name", "postcode", "phone", "email"]),
        help_text="Name, postcode, phone or email",
    )
    locality = django_filters.ModelChoiceFilter(queryset=_localities, empty_label="Any locality")

    class Meta:
        model = Parent
        fields = []


class EnquiryFilter(ListFilterSet):
    q = django_filters.CharFilter(
        label="Search", method=_search(["enquirer_name", "summary"]), help_text="Name or summary"
    )
    enquirer_type = django_filters.ChoiceFilter(
        choices=EnquirerType.choices, empty_label="Anyone", label="From"
    )
    topic = django_filters.ModelChoiceFilter(queryset=_reasons, empty_label="Any topic")
    awaiting = django_filters.BooleanFilter(
        field_name="first_response_on",
        lookup_expr="isnull",
        label="Awaiting a first response",
        widget=_YES_NO,
    )
    substantial = django_filters.BooleanFilter(widget=_YES_NO, label="Substantial")
    received_after, received_before = date_range(
        "received_at", "Received from", "Received to", timestamp=True
    )

    class Meta:
        model = Enquiry
        fields = []


class FeedbackFilter(ListFilterSet):
    kind = django_filters.ChoiceFilter(choices=FeedbackKind.choices, empty_label="Any type")
    about = django_filters.ChoiceFilter(choices=FeedbackAbout.choices, empty_label="Anything")
    publishable = django_filters.BooleanFilter(widget=_YES_NO, label="Publishable")
    received_after, received_before = date_range("received_on", "Received from", "Received to")

    class Meta:
        model = Feedback
        fields = []
