"""The case page reads its code-list names (locality, how the case reached us, primary
reason, school type, area of need) as subqueries of the case's one query
(casework.queries.case_page_names) instead of joining the five code lists: it prints what
the related records' own str() prints, and "not recorded" where there is none."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from casework.models import Case, Child, NeedArea
from demo.generate import generate
from pps.models import User

pytestmark = pytest.mark.django_db


def _shown(html, term):
    return re.search(rf"<dt>{term}</dt><dd>(.*?)</dd>", html).group(1)


def _expected(record):
    return escape(str(record)) if record is not None else "not recorded"


def test_the_case_page_prints_each_code_lists_name_as_its_record_does(client):
    generate(today=dt.date(2026, 11, 24), years=1, cases_per_year=40)
    cases = list(Case.objects.order_by("id")[:30])
    # Some values left out, and a need that is a sub-type of an area ("Area: need").
    Case.objects.filter(pk=cases[0].pk).update(
        locality=None, referral_route=None, primary_reason=None
    )
    subtype = NeedArea.objects.filter(area__isnull=False, service=cases[1].service).first()
    Child.objects.filter(pk=cases[1].child_id).update(primary_need=subtype, school_type=None)
    Child.objects.filter(pk=cases[2].child_id).update(
        primary_need=NeedArea.objects.filter(area__isnull=True, service=cases[2].service).first()
    )
    Child.objects.filter(pk=cases[3].child_id).update(primary_need=None)
    client.force_login(User.objects.get(username="coordinator"))
    seen = set()
    for case in Case.objects.filter(pk__in=[c.pk for c in cases]).select_related(
        "locality", "referral_route", "primary_reason", "child__school_type"
    ):
        child = case.child
        need = child.primary_need
        html = client.get(reverse("casework:case-detail", args=[case.pk])).content.decode()
        assert _shown(html, "Locality") == _expected(case.locality), case.reference
        assert _shown(html, "How it reached us") == _expected(case.referral_route)
        assert _shown(html, "Primary reason") == _expected(case.primary_reason)
        assert _shown(html, "Areas of need").split("; ")[0] == _expected(need)
        school = f" ({escape(str(child.school_type))})" if child.school_type else ""
        assert _shown(html, "School").startswith(
            escape(child.school_name or "not recorded") + school
        )
        seen.add("no locality" if case.locality is None else "locality")
        seen.add("no need" if need is None else ("sub-type" if need.area_id else "area"))
        seen.add("school type" if child.school_type else "no school type")
    assert seen == {
        "locality",
        "no locality",
        "no need",
        "sub-type",
        "area",
        "school type",
        "no school type",
    }
