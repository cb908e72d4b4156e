"""Anonymising a family leaves none of its personal values in any table, history tables
included, keeps the other family's, and changes no figure of a past year's report
(docs/data-lifecycle.md, "Retention, legal holds and anonymisation")."""

import dataclasses
import datetime as dt

import pytest
from django.core.files.storage import default_storage
from django.db import connection

from casework.models import Case, CaseDocument, Child, Contact, Parent
from evaluations.models import Response
from pps.access import service_scope
from pps.models import CalendarDay, GeneratedDocument
from publications.annual import gather
from reports.periods import academic_year
from reports.queries.evaluations import period_evaluations
from retention import actions
from retention.models import Anonymisation, AnonymisedFamily
from tests.evaluations.records import publish_comment
from tests.retention.families import make_family

pytestmark = pytest.mark.django_db

quote = connection.ops.quote_name
SEARCHED = {"CharField", "TextField", "JSONField", "EmailField", "SlugField"}


def tables_holding(values: list[str]) -> dict[str, list[str]]:
    """Every table whose text, character or JSON columns hold any of `values` (anywhere in
    the column, any case): table -> the values found. Found by asking the database for its
    tables and columns, so a table added later is searched too."""
    patterns = [f"%{value}%" for value in values]
    found = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            description = connection.introspection.get_table_description(cursor, table)
            columns = [
                column.name
                for column in description
                if connection.introspection.get_field_type(column.type_code, column) in SEARCHED
            ]
            for column in columns:
                # Names from the database's own catalogue, quoted; the values are parameters.
                cursor.execute(
                    f"SELECT DISTINCT p FROM {quote(table)} JOIN unnest(%s::text[]) AS p "  # noqa: S608
                    f"ON {quote(table)}.{quote(column)}::text ILIKE p",
                    [patterns],
                )
                hits = [row[0][1:-1] for row in cursor.fetchall()]
                if hits:
                    found.setdefault(f"{table}.{column}", []).extend(hits)
    return found


def tables_dated(day: dt.date) -> list[str]:
    """Every date column of every table holding `day`, but the working-day calendar's (a
    row for every day, about no one)."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            if table == CalendarDay._meta.db_table:
                continue
            for column in connection.introspection.get_table_description(cursor, table):
                kind = connection.introspection.get_field_type(column.type_code, column)
                if kind != "DateField":
                    continue
                cursor.execute(
                    f"SELECT count(*) FROM {quote(table)} WHERE {quote(column.name)} = %s",  # noqa: S608
                    [day],
                )
                if cursor.fetchone()[0]:
                    found.append(f"{table}.{column.name}")
    return found


@pytest.fixture
def two_families(team):
    gone = make_family(
        team,
        surname="Quenbyzarath",
        given="Philippa",
        child_name="Octavian",
        birth=dt.date(2010, 3, 14),
        opened_on=dt.date(2017, 10, 2),
        closed_on=dt.date(2019, 6, 10),
    )
    kept = make_family(
        team,
        surname="Ungerleiden",
        given="Bartholomew",
        child_name="Seraphina",
        birth=dt.date(2011, 5, 21),
        opened_on=dt.date(2018, 1, 15),
        closed_on=dt.date(2018, 3, 1),
    )
    return gone, kept


def _report(team, year):
    """The annual report's figures of `year`, its evaluation tallies read out as results
    (the tallies object itself has no equality)."""
    with service_scope(team.service.pk):
        figures = gather(team.service, academic_year(year))
    evaluations = figures.evaluations
    return dataclasses.replace(
        figures, evaluations=(evaluations.of_parent_forms(), evaluations.return_rates())
    )


def test_no_personal_value_of_the_family_remains_in_any_table(
    team, two_families, django_capture_on_commit_callbacks
):
    gone, kept = two_families
    # The family's evaluation comment, cleared for publishing, is read into the tallies
    # kept by month (evaluations.kept): that copy of the words must go too.
    comment = gone.values[15]
    with service_scope(team.service.pk):
        publish_comment(Response.objects.get(sending__case=gone.case))
        year = period_evaluations(academic_year(2017)).of_parent_forms()
    assert comment in [c.text for c in year.comments]
    # Before: the search finds both families' values, history tables among them.
    before = tables_holding(gone.values)
    assert comment in before["evaluations_tallymonth.comments"]
    assert {value for hits in before.values() for value in hits} == set(gone.values) - {
        gone.birth.isoformat()
    }
    assert any(table.startswith("casework_historical") for table in before)
    assert tables_dated(gone.birth) == [
        "casework_child.date_of_birth",
        "casework_historicalchild.date_of_birth",
    ]
    assert default_storage.exists(gone.document.file.name)
    assert default_storage.exists(gone.kept.file.name)

    # The files are deleted once the transaction commits.
    with service_scope(team.service.pk), django_capture_on_commit_callbacks(execute=True):
        record = actions.anonymise_families(
            service=team.service,
            parent_ids=[gone.parent.pk],
            by=team.coordinator,
            trigger=Anonymisation.Trigger.REQUEST,
            reason="Parent asked for erasure",
        )

    assert tables_holding(gone.values) == {}
    assert tables_dated(gone.birth) == []
    # The other family's values are all still there.
    assert {value for hits in tables_holding(kept.values).values() for value in hits} == set(
        kept.values
    ) - {kept.birth.isoformat()}
    assert tables_dated(kept.birth) != []
    # The document is gone, file and row.
    assert not default_storage.exists(gone.document.file.name)
    assert not GeneratedDocument.objects.filter(pk=gone.document.pk).exists()
    assert GeneratedDocument.objects.filter(pk=kept.document.pk).exists()
    # So is the file kept on the case, with its row and history rows; the other family's stays.
    assert not default_storage.exists(gone.kept.file.name)
    assert not CaseDocument.objects.filter(pk=gone.kept.pk).exists()
    assert not CaseDocument.history.filter(id=gone.kept.pk).exists()
    assert default_storage.exists(kept.kept.file.name)
    assert CaseDocument.objects.filter(pk=kept.kept.pk).exists()
    # Rows stay (reports count them), blanked; the record says what was done.
    parent = Parent.objects.get(pk=gone.parent.pk)
    assert (parent.first_name, parent.email, parent.ethnicity) == (
        "Anonymised",
        "",
        "white_british",
    )
    # The date of birth is now the first day of its school year: the age group is kept.
    assert Child.objects.get(pk=gone.child.pk).date_of_birth == dt.date(2009, 9, 1)
    assert Case.objects.filter(parent=gone.parent).count() == 1
    assert Contact.objects.filter(case=gone.case, minutes=45).count() == 1
    assert AnonymisedFamily.objects.get(parent=gone.parent).anonymisation == record
    assert record.families == 1 and record.by == team.coordinator
    assert record.counts["casework.Parent"] == {"rows": 1, "history": 2}
    assert record.counts["casework.Contact"] == {"rows": 1, "history": 1}
    assert record.counts["pps.GeneratedDocument"] == {"deleted": 2}
    assert record.counts["casework.CaseDocument"] == {"deleted": 1}


def test_the_annual_report_of_past_years_is_unchanged(team, two_families):
    gone, _kept = two_families
    before = {year: _report(team, year) for year in (2017, 2018)}
    with service_scope(team.service.pk):
        actions.anonymise_families(
            service=team.service,
            parent_ids=[gone.parent.pk],
            by=team.coordinator,
            trigger=Anonymisation.Trigger.REQUEST,
            reason="Parent asked for erasure",
        )
    after = {year: _report(team, year) for year in (2017, 2018)}
    assert after == before
    # The year's figures did count the family: it is not a report of nothing.
    assert before[2017].by_type[academic_year(2017)].casework_total >= 1


def test_a_child_another_parent_is_served_about_keeps_the_childs_record(team):
    from tests.retention.test_due import closed_case

    first = closed_case(team, closed_on=dt.date(2016, 4, 5))
    # The child's other parent, served separately, with a case closed last year.
    second = closed_case(team, closed_on=dt.date(2025, 4, 5), child=first.child)
    with service_scope(team.service.pk):
        record = actions.erase_family(parent=first.parent, by=team.coordinator, reason="Asked")
    assert record.counts["casework.Child"] == {"rows": 0, "history": 0}
    assert Child.objects.get(pk=first.child_id).first_name == first.child.first_name
    assert Parent.objects.get(pk=first.parent_id).first_name == "Anonymised"
    assert Parent.objects.get(pk=second.parent_id).first_name == second.parent.first_name
    # Once the other parent's family goes too, so does the child's record.
    with service_scope(team.service.pk):
        record = actions.erase_family(parent=second.parent, by=team.coordinator, reason="Asked")
    assert record.counts["casework.Child"]["rows"] == 1
    assert Child.objects.get(pk=first.child_id).first_name == "Anonymised"
