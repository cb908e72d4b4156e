"""The annual report's speed (issue 12): its data against bare SQL, its PDF against bare
WeasyPrint, its page and the dashboard.

    createdb -h 127.0.0.1 -U postgres pps_bench
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/pps_bench
    .venv/bin/python bench/annual_report.py --generate
    .venv/bin/python bench/annual_report.py

--generate migrates the PostgreSQL database at DATABASE_URL and fills it with the demo
service over ten academic years (demo.generate, as `manage.py load_demo --years 10`),
unless the demo is there already; without it the database is reused as it is. Never point
it at real data: it adds the demo's fake records, and each run a session for the two users
it signs in.

For the last academic year that has ended, it prints the service's size per year, then
for each figure of reports/queries/annual.py (and the figures publications.annual.gather
reads from reports.queries) the product function and a hand-written SQL query of the same
figure, run alternately (--runs, at least 7): medians, ratio, the queries of each, and
whether the figures are EQUAL (checked before timing). Then gather(), which reads every
figure above, against all their bare queries and its own, which is the report's data in one
timing; present(); the report's page
through the test client; the PDF as the worker renders it (pps.pdf.render_pdf) against
bare WeasyPrint on the same HTML; and the steering group's dashboard when this branch has
one, through the test client and as a production worker serves it (Django's WSGI handler,
templates without the test environment's instrumentation): the latter is the one held to
its 50 ms. It runs with DEBUG off, as production does (DJANGO_DEBUG=false unless set),
and keeps its database connection between the requests it serves, as production does
(before, each of them opened a new connection: 15 ms of the 60-70 ms it printed). Exits 1
when any figure differs from its bare SQL.
"""

import argparse
import os
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pps.settings")
os.environ.setdefault("DJANGO_DEBUG", "false")

from bench.reports import (
    CONTACTS,
    EVENTS,
    MOVEMENTS,
    PARENT_RESULTS,
    RETURN_RATES,
    Bench,
    QueryCounter,
    _json,
    _median_ms,
    _one_service,
    _p95_ms,
    _print_database,
    _production_like,
)

# The demo's yearly rates (demo.generate's defaults) give a service of the size the issue
# names: 150-350 new cases and 2,000-5,000 contacts a year.
YEARS = 10
CASES_A_YEAR = (150, 350)
CONTACTS_A_YEAR = (2000, 5000)

# Bare SQL, written by hand for each figure of reports/queries/annual.py (docs/reporting.md,
# "The annual report's figures"). %(service)s is the service's id; %(first)s and %(last)s
# the year's days, %(start)s and %(end)s its edges as timestamps; %(firsts)s and %(lasts)s
# the days of several periods, in the order the product returns them.

# The cases of the year: those with an opening (or re-opening) begun by its last day and
# not ended before its first.
CASES_OF_YEAR = """
  SELECT DISTINCT case_id FROM casework_caseevent
  WHERE service_id = %(service)s AND kind IN ('opened', 'reopened') AND "on" <= %(last)s
    AND (ended_on IS NULL OR ended_on >= %(first)s)
"""

# The same for each of several periods, numbered n from 1.
CASES_OF_PERIODS = """
  p AS (SELECT * FROM unnest(%(firsts)s::date[], %(lasts)s::date[]) WITH ORDINALITY
    AS p(first, last, n)),
  c AS (
    SELECT DISTINCT p.n, p.first, e.case_id FROM p JOIN casework_caseevent e
      ON e.service_id = %(service)s AND e.kind IN ('opened', 'reopened') AND e."on" <= p.last
      AND (e.ended_on IS NULL OR e.ended_on >= p.first)
  )
"""

# Per period: office hours (staff minutes / 60, one decimal), contacts (on cases and
# substantial enquiries, by their London month), the cases open during it, the IPS active
# on any day of it and the hours of the monthly returns of its months.
MONTHLY = """
WITH p AS (
  SELECT * FROM unnest(%(firsts)s::date[], %(lasts)s::date[]) WITH ORDINALITY AS p(first, last, n)
), months AS MATERIALIZED (
  SELECT month, sum(contacts) AS contacts, sum(minutes) AS minutes, sum(hours) AS hours FROM (
    SELECT date_trunc('month', at AT TIME ZONE 'Europe/London')::date AS month,
      count(*) AS contacts,
      coalesce(sum(minutes) FILTER (WHERE volunteer_id IS NULL), 0) AS minutes, 0 AS hours
    FROM casework_contact WHERE service_id = %(service)s AND at >= %(start)s AND at < %(end)s
    GROUP BY 1
    UNION ALL
    SELECT date_trunc('month', received_at AT TIME ZONE 'Europe/London')::date, count(*), 0, 0
    FROM casework_enquiry WHERE service_id = %(service)s AND substantial
      AND received_at >= %(start)s AND received_at < %(end)s
    GROUP BY 1
    UNION ALL
    SELECT month, 0, 0, sum(phone_hours + meeting_hours + paperwork_hours + tribunal_hours)
    FROM volunteers_monthlyreturn
    WHERE service_id = %(service)s AND month BETWEEN %(first)s AND %(last)s GROUP BY month
  ) m GROUP BY month
), by_month AS (
  SELECT p.n, round(sum(m.minutes) / 60.0, 1) AS office_hours, sum(m.contacts) AS contacts,
    sum(m.hours) AS hours
  FROM p JOIN months m ON m.month BETWEEN p.first AND p.last GROUP BY p.n
), open_cases AS (
  SELECT p.n, count(DISTINCT e.case_id) AS cases
  FROM p JOIN casework_caseevent e ON e.service_id = %(service)s
    AND e.kind IN ('opened', 'reopened') AND e."on" <= p.last
    AND (e.ended_on IS NULL OR e.ended_on >= p.first)
  WHERE e."on" <= %(last)s AND (e.ended_on IS NULL OR e.ended_on >= %(first)s)
  GROUP BY p.n
), spans AS MATERIALIZED (
  SELECT s.volunteer_id, s.status, s.on,
    lead(s.on) OVER (PARTITION BY s.volunteer_id ORDER BY s.on, s.id) AS next_on
  FROM volunteers_volunteerstatuschange s
  JOIN volunteers_volunteer v ON v.id = s.volunteer_id AND v.role = 'ips'
  WHERE s.service_id = %(service)s AND s.on <= %(last)s
), active AS (
  SELECT p.n, count(DISTINCT s.volunteer_id) AS ips
  FROM p JOIN spans s ON s.status = 'active' AND s.on <= p.last
    AND (s.next_on IS NULL OR s.next_on >= p.first)
  GROUP BY p.n
)
SELECT p.first, p.last, coalesce(b.office_hours, 0), coalesce(b.contacts, 0),
  coalesce(o.cases, 0), coalesce(a.ips, 0), coalesce(b.hours, 0)
FROM p LEFT JOIN by_month b ON b.n = p.n LEFT JOIN open_cases o ON o.n = p.n
LEFT JOIN active a ON a.n = p.n
ORDER BY p.n
"""


def _school_year_start(day):
    """SQL: the calendar year in which the school year holding `day` began (1 September)."""
    return (
        f"(CASE WHEN extract(month FROM {day}) >= 9 THEN extract(year FROM {day})"
        f" ELSE extract(year FROM {day}) - 1 END)"
    )


# Per year (every year, a year without cases all zeros): the casework total, then the
# cases by gender, age group, SEN status and official exclusion, in the order shown.
CASES_BY_TYPE = f"""
WITH {CASES_OF_PERIODS}, t AS (
  SELECT c.n, ch.gender, ch.sen_status, cs.official_exclusion,
    {_school_year_start("greatest(cs.opened_on, c.first)")}
    - {_school_year_start("ch.date_of_birth")} - 5 AS school_year
  FROM c JOIN casework_case cs ON cs.id = c.case_id JOIN casework_child ch ON ch.id = cs.child_id
)
SELECT p.n, count(t.n),
  count(*) FILTER (WHERE gender = 'male'), count(*) FILTER (WHERE gender = 'female'),
  count(*) FILTER (WHERE gender = 'other'), count(*) FILTER (WHERE gender = 'not_known'),
  count(*) FILTER (WHERE school_year < 0),
  count(*) FILTER (WHERE school_year BETWEEN 0 AND 2),
  count(*) FILTER (WHERE school_year BETWEEN 3 AND 6),
  count(*) FILTER (WHERE school_year BETWEEN 7 AND 11),
  count(*) FILTER (WHERE school_year >= 12),
  count(*) FILTER (WHERE t.n IS NOT NULL AND school_year IS NULL),
  count(*) FILTER (WHERE sen_status = 'sen'), count(*) FILTER (WHERE sen_status = 'non_sen'),
  count(*) FILTER (WHERE sen_status = 'concern'),
  count(*) FILTER (WHERE sen_status = 'not_known'),
  count(*) FILTER (WHERE official_exclusion = 'fixed_term'),
  count(*) FILTER (WHERE official_exclusion = 'permanent'),
  count(*) FILTER (WHERE official_exclusion = 'none')
FROM p LEFT JOIN t ON t.n = p.n GROUP BY p.n ORDER BY p.n
"""  # noqa: S608

# Per year: each area of need's total (its sub-types and the area recorded alone) and each
# sub-type's count, every need found in any of the years in each (0 where absent), in the
# service's order, "not recorded" (NULL) last.
NEEDS = f"""
WITH {CASES_OF_PERIODS}, per AS (
  SELECT c.n, ch.primary_need_id AS need, count(*) AS k
  FROM c JOIN casework_case cs ON cs.id = c.case_id JOIN casework_child ch ON ch.id = cs.child_id
  GROUP BY 1, 2
), grid AS (
  SELECT p.n, f.need, coalesce(per.k, 0) AS k
  FROM p CROSS JOIN (SELECT DISTINCT need FROM per) f
  LEFT JOIN per ON per.n = p.n AND per.need IS NOT DISTINCT FROM f.need
), named AS (
  SELECT g.n, g.k, coalesce(a.name, nd.name) AS area, coalesce(a.position, nd.position) AS area_at,
    CASE WHEN nd.area_id IS NOT NULL THEN nd.name END AS subtype,
    CASE WHEN nd.area_id IS NOT NULL THEN nd.position END AS subtype_at
  FROM grid g LEFT JOIN casework_needarea nd ON nd.id = g.need
  LEFT JOIN casework_needarea a ON a.id = nd.area_id
)
SELECT n, area, subtype, sum(k) FROM named
GROUP BY GROUPING SETS ((n, area, area_at), (n, area, area_at, subtype, subtype_at))
HAVING GROUPING(subtype) = 1 OR subtype IS NOT NULL
ORDER BY n, GROUPING(subtype) = 0, area IS NULL, coalesce(area_at, 0), area, subtype_at
"""  # noqa: S608

# The distinct parents of the year's cases by ethnicity, in the census order, with the
# percentage of those who told us.
ETHNICITY = f"""
WITH c AS ({CASES_OF_YEAR}), e AS (
  SELECT pa.ethnicity, count(DISTINCT pa.id) AS k
  FROM c JOIN casework_case cs ON cs.id = c.case_id JOIN casework_parent pa ON pa.id = cs.parent_id
  GROUP BY pa.ethnicity
)
SELECT ethnicity, k, CASE WHEN ethnicity <> 'not_stated' THEN round(100.0 * k
  / nullif(sum(k) FILTER (WHERE ethnicity <> 'not_stated') OVER (), 0), 1) END
FROM e ORDER BY array_position(%(ethnicities)s::text[], ethnicity::text)
"""  # noqa: S608

# The new cases by referral route, most first, ties by name; "not told" (no route, or one
# marked not known) as the NULL row, last.
ROUTES = """
WITH n AS (
  SELECT DISTINCT case_id FROM casework_caseevent
  WHERE service_id = %(service)s AND kind = 'opened' AND "on" BETWEEN %(first)s AND %(last)s
), per AS (
  SELECT CASE WHEN r.is_not_known THEN NULL ELSE r.name END AS name, count(*) AS k
  FROM n JOIN casework_case cs ON cs.id = n.case_id
  LEFT JOIN casework_referralroute r ON r.id = cs.referral_route_id
  GROUP BY 1
)
SELECT name, k, CASE WHEN name IS NOT NULL THEN round(100.0 * k
  / sum(k) FILTER (WHERE name IS NOT NULL) OVER (), 1) END
FROM per ORDER BY name IS NULL, k DESC, name
"""

REASONS = """
SELECT r.name, count(DISTINCT e.case_id) FROM casework_caseevent e
JOIN casework_case cs ON cs.id = e.case_id
JOIN casework_contactreason r ON r.id = cs.primary_reason_id AND NOT r.is_not_known
WHERE e.service_id = %(service)s AND e.kind = 'opened' AND e."on" BETWEEN %(first)s AND %(last)s
GROUP BY r.name ORDER BY 2 DESC, 1 LIMIT 5
"""

LOCALITIES = f"""
WITH c AS ({CASES_OF_YEAR})
SELECT l.name, count(*) FROM c JOIN casework_case cs ON cs.id = c.case_id
LEFT JOIN pps_locality l ON l.id = cs.locality_id
GROUP BY l.name, l.position ORDER BY l.position NULLS LAST, l.name
"""  # noqa: S608

# By full name in code-point order (as Python sorts), "no officer" (NULL) last.
OFFICERS = f"""
WITH c AS ({CASES_OF_YEAR})
SELECT CASE WHEN u.id IS NOT NULL THEN trim(u.first_name || ' ' || u.last_name) END AS name,
  count(*)
FROM c JOIN casework_case cs ON cs.id = c.case_id LEFT JOIN pps_user u ON u.id = cs.officer_id
GROUP BY u.id, u.first_name, u.last_name ORDER BY u.id IS NULL,
  trim(u.first_name || ' ' || u.last_name) COLLATE "C"
"""  # noqa: S608

BULLYING = f"""
WITH c AS ({CASES_OF_YEAR}), t AS (
  SELECT cs.bullying, cs.unofficial_exclusion, cs.official_exclusion <> 'none' AS excluded,
    coalesce(r.name IN ('Fixed-term exclusion', 'Permanent exclusion'), false) AS about
  FROM c JOIN casework_case cs ON cs.id = c.case_id
  LEFT JOIN casework_contactreason r ON r.id = cs.primary_reason_id
)
SELECT count(*) FILTER (WHERE bullying = 'main'), count(*) FILTER (WHERE bullying = 'mentioned'),
  count(*) FILTER (WHERE unofficial_exclusion = 'main'),
  count(*) FILTER (WHERE unofficial_exclusion = 'mentioned'),
  count(*) FILTER (WHERE excluded AND about), count(*) FILTER (WHERE excluded AND NOT about)
FROM t
"""  # noqa: S608

# Active IPS in the year, newly trained, returned hours, supervision sessions held, and the
# IPS active at the end of its last day whose supervision clock (the later of their last
# supervision and latest move to active) started on or before %(overdue)s.
IPS_YEAR = """
WITH spans AS (
  SELECT s.volunteer_id, s.status, s.on,
    lead(s.on) OVER (PARTITION BY s.volunteer_id ORDER BY s.on, s.id) AS next_on
  FROM volunteers_volunteerstatuschange s
  JOIN volunteers_volunteer v ON v.id = s.volunteer_id AND v.role = 'ips'
  WHERE s.service_id = %(service)s AND s.on <= %(last)s
)
SELECT
  (SELECT count(DISTINCT volunteer_id) FROM spans
   WHERE status = 'active' AND (next_on IS NULL OR next_on >= %(first)s)),
  (SELECT count(*) FROM volunteers_volunteer WHERE service_id = %(service)s AND role = 'ips'
   AND initial_training_completed_on BETWEEN %(first)s AND %(last)s),
  (SELECT coalesce(sum(phone_hours + meeting_hours + paperwork_hours + tribunal_hours), 0)
   FROM volunteers_monthlyreturn
   WHERE service_id = %(service)s AND month BETWEEN %(first)s AND %(last)s),
  (SELECT count(*) FROM volunteers_supervisionsession WHERE service_id = %(service)s
   AND kind = 'supervision' AND "on" BETWEEN %(first)s AND %(last)s),
  (SELECT count(*) FROM spans s WHERE s.status = 'active' AND s.next_on IS NULL
   AND greatest(
     (SELECT max(x.on) FROM volunteers_volunteerstatuschange x
      WHERE x.volunteer_id = s.volunteer_id AND x.status = 'active' AND x.on <= %(last)s),
     (SELECT max(v.on) FROM volunteers_supervisionsession v
      WHERE v.volunteer_id = s.volunteer_id AND v.kind = 'supervision' AND v.on <= %(last)s)
   ) <= %(overdue)s)
"""

PHONE_MONTHS = """
SELECT m::date, a.calls_in, a.calls_out, a.website_visits
FROM generate_series(%(first)s::date, %(last)s::date, interval '1 month') m
LEFT JOIN reports_monthlyactivity a ON a.service_id = %(service)s AND a.month = m::date
ORDER BY m
"""

# Calls in and out (August left out): average, lowest, highest, months counted, the
# previous year's average and the change against it; website visits: total, months,
# average.
PHONE_FIGURES = """
WITH a AS (
  SELECT month >= %(first)s AS this, calls_in, calls_out, website_visits,
    extract(month FROM month) <> 8 AS counted
  FROM reports_monthlyactivity
  WHERE service_id = %(service)s AND month BETWEEN %(previous)s AND %(last)s
), y AS (
  SELECT this,
    avg(calls_in) FILTER (WHERE counted) AS in_avg, min(calls_in) FILTER (WHERE counted) AS in_min,
    max(calls_in) FILTER (WHERE counted) AS in_max, count(calls_in) FILTER (WHERE counted) AS in_n,
    avg(calls_out) FILTER (WHERE counted) AS out_avg,
    min(calls_out) FILTER (WHERE counted) AS out_min,
    max(calls_out) FILTER (WHERE counted) AS out_max,
    count(calls_out) FILTER (WHERE counted) AS out_n,
    sum(website_visits) AS visits, count(website_visits) AS visits_n,
    avg(website_visits) AS visits_avg
  FROM a GROUP BY this
)
SELECT round(t.in_avg, 1), t.in_min, t.in_max, coalesce(t.in_n, 0), round(b.in_avg, 1),
  round((t.in_avg - b.in_avg) * 100 / nullif(b.in_avg, 0), 1),
  round(t.out_avg, 1), t.out_min, t.out_max, coalesce(t.out_n, 0), round(b.out_avg, 1),
  round((t.out_avg - b.out_avg) * 100 / nullif(b.out_avg, 0), 1),
  t.visits, coalesce(t.visits_n, 0), round(t.visits_avg, 1)
FROM (SELECT true AS this) k LEFT JOIN y t ON t.this LEFT JOIN y b ON NOT b.this
"""

# Case movements and contacts (bench/reports.py's bare SQL), website visits and training
# sessions given, in one query.
SNAPSHOT = f"""
SELECT * FROM ({_one_service(MOVEMENTS)}) m CROSS JOIN ({_one_service(CONTACTS)}) c
CROSS JOIN (
  SELECT (SELECT sum(website_visits) FROM reports_monthlyactivity WHERE service_id = %(service)s
     AND month BETWEEN %(month)s AND %(last)s),
    (SELECT count(website_visits) FROM reports_monthlyactivity WHERE service_id = %(service)s
     AND month BETWEEN %(month)s AND %(last)s),
    (SELECT count(*) FROM evaluations_event WHERE service_id = %(service)s
     AND kind IN ('parent_training', 'professional_training')
     AND "on" BETWEEN %(first)s AND %(last)s)
) x
"""  # noqa: S608

TEAM = """
SELECT coalesce(nullif(trim(first_name || ' ' || last_name), ''), username), role, fte,
  sum(fte) OVER ()
FROM pps_user
WHERE service_id = %(service)s AND is_active
  AND role IN ('coordinator', 'case_officer', 'admin_support')
ORDER BY array_position(ARRAY['coordinator', 'case_officer', 'admin_support'], role::text),
  first_name, last_name, id
"""

# What publications.annual.gather reads besides the figures above: the narrative, the
# evaluations of every form (bench/reports.py's parent results, of all forms), the
# appendices (the team, the latest final self-assessment with its scale and ratings, this
# year's and next year's development plans with their entries).
ALL_FORMS = PARENT_RESULTS.replace(" AND f.kind = 'parent'", "")
assert ALL_FORMS != PARENT_RESULTS

NARRATIVE = """
SELECT part, text FROM reports_narrativesection
WHERE service_id = %(service)s AND year = %(start_year)s
"""

APPENDIX_TEAM = """
SELECT first_name, last_name, username, role FROM pps_user
WHERE service_id = %(service)s AND is_active
  AND role IN ('coordinator', 'case_officer', 'admin_support')
ORDER BY role, last_name, first_name
"""

ASSESSMENT = """
WITH a AS (
  SELECT id, version_id FROM quality_selfassessment
  WHERE service_id = %(service)s AND status = 'final' AND assessed_on <= %(last)s
  ORDER BY assessed_on DESC, id DESC LIMIT 1
)
SELECT a.id,
  (SELECT json_agg(label ORDER BY rank DESC) FROM quality_level WHERE version_id = a.version_id),
  (SELECT json_agg(json_build_array(s.code, s.text, coalesce(l.label, 'Not yet rated'))
     ORDER BY s.position)
   FROM quality_rating r JOIN quality_standard s ON s.id = r.standard_id
   LEFT JOIN quality_level l ON l.id = r.level_id WHERE r.assessment_id = a.id)
FROM a
"""

PLANS = """
SELECT p.start_year, (
  SELECT coalesce(json_agg(json_build_array(s.code, coalesce(nullif(e.objectives, ''),
    e.activities), e.evidence, e.progress) ORDER BY s.position), '[]')
  FROM quality_planentry e JOIN quality_standard s ON s.id = e.standard_id
  WHERE e.plan_id = p.id)
FROM (
  SELECT DISTINCT ON (start_year) id, start_year FROM quality_developmentplan
  WHERE service_id = %(service)s AND start_year IN (%(start_year)s, %(start_year)s + 1)
  ORDER BY start_year, created_at DESC
) p ORDER BY p.start_year
"""


def _decimal(value):
    return None if value is None else Decimal(str(value))


class AnnualBench(Bench):
    def print_row(self, label, p, b, queries, bare_queries, equal):
        print(
            f"  {label:<30} {p:9.2f} ms {b:9.2f} ms {p / b:6.2f}x {queries:4d} "
            f"{bare_queries:4d}  {'EQUAL' if equal else 'DIFFERENT'}"
        )

    def timed(self, label, action, runs=None):
        """Median and p95 of `action` alone, and its queries."""
        action()
        with QueryCounter() as counted:
            action()
        times = []
        for _ in range(runs or self.runs):
            started = time.perf_counter()
            action()
            times.append(time.perf_counter() - started)
        median = _median_ms(times)
        print(
            f"  {label:<30} median {median:8.1f} ms, p95 {_p95_ms(times):8.1f} ms, "
            f"{counted.count} queries ({len(times)} runs)"
        )
        return median, counted.count


def _params(service, year, **more):
    return {
        "service": service.pk,
        "first": year.first,
        "last": year.last,
        "start": year.starts_at,
        "end": year.ends_before,
        "month": year.first.replace(day=1),
        "start_year": year.first.year,
        **more,
    }


def _periods(periods):
    return {"firsts": [p.first for p in periods], "lasts": [p.last for p in periods]}


def _figures(bench, service, year):
    """Each function of reports/queries/annual.py against its bare SQL."""
    from casework.enums import Ethnicity
    from pps.roles import Role
    from publications.annual import years_back
    from reports.periods import span
    from reports.queries import annual
    from reports.queries.volunteers import months_of

    previous = years_back(service, year, 2)[0]
    three, four = years_back(service, year, 3), years_back(service, year, 4)
    params = _params(service, year)
    labels = dict(Ethnicity.choices)
    print(f"\nFigures of reports/queries/annual.py, {year.label} (medians of {bench.runs} runs)")
    print(
        f"  {'function':<30} {'product':>12} {'bare SQL':>12} {'ratio':>7} "
        f"{'queries':>4} {'bare':>4}"
    )

    # 1. Performance by month: each year's months and then its total, in that order.
    periods = [p for y in three for p in (*months_of(y), y)]
    whole = span(three)
    monthly = {**_params(service, whole), **_periods(periods)}

    def monthly_figures(result):
        return [
            (
                row.period.first,
                row.period.last,
                _decimal(row.office_hours),
                row.contacts,
                row.open_cases,
                row.active_ips,
                Decimal(row.ips_hours),
            )
            for y in three
            for row in (*result[y].months, result[y].total)
        ]

    bench.compare(
        "monthly_performance (3 years)",
        lambda: annual.monthly_performance(three),
        lambda: bench.bare(MONTHLY, monthly),
        monthly_figures,
        lambda rows: [(*row[:2], Decimal(row[2]), *row[3:6], Decimal(row[6])) for row in rows],
    )

    # 2. Cases by type.
    typed = {**params, **_periods(four)}
    bench.compare(
        "cases_by_type (4 years)",
        lambda: annual.cases_by_type(four),
        lambda: bench.bare(CASES_BY_TYPE, typed),
        lambda result: [
            (
                result[y].casework_total,
                *(count for rows in result[y].breakdowns.values() for _, count in rows),
            )
            for y in four
        ],
        lambda rows: [tuple(row[1:]) for row in rows],
    )

    # 3. Areas of need.
    def needs_figures(result):
        return [
            (
                [(area, count) for area, count in result[y].areas],
                [(r.area, r.subtype, r.count) for r in result[y].subtypes],
            )
            for y in four
        ]

    def bare_needs(rows):
        shaped = []
        for number in range(1, len(four) + 1):
            mine = [row for row in rows if row[0] == number]
            shaped.append(
                (
                    [(r[1] or annual.NOT_RECORDED, int(r[3])) for r in mine if r[2] is None],
                    [(r[1], r[2], int(r[3])) for r in mine if r[2] is not None],
                )
            )
        return shaped

    bench.compare(
        "needs (4 years)",
        lambda: annual.needs(four),
        lambda: bench.bare(NEEDS, typed),
        needs_figures,
        bare_needs,
    )

    # 4. Of those who told us.
    def told(result):
        return (
            [(r.label, r.count, _decimal(r.percent)) for r in result.rows],
            result.told,
            result.not_told,
        )

    def bare_told(rows, label=lambda name: name):
        shown = [(label(r[0]), r[1], r[2]) for r in rows if r[2] is not None and r[1]]
        return (
            shown,
            sum(r[1] for r in shown),
            sum(r[1] for r in rows if r[2] is None),
        )

    ethnicities = {**params, "ethnicities": list(Ethnicity.values)}
    bench.compare(
        "ethnicity",
        lambda: annual.ethnicity(year),
        lambda: bench.bare(ETHNICITY, ethnicities),
        told,
        lambda rows: bare_told(rows, labels.get),
    )
    bench.compare(
        "referral_routes",
        lambda: annual.referral_routes(year),
        lambda: bench.bare(ROUTES, params),
        told,
        bare_told,
    )
    bench.compare(
        "top_reasons",
        lambda: annual.top_reasons(year),
        lambda: bench.bare(REASONS, params),
        list,
        lambda rows: [tuple(row) for row in rows],
    )

    # 6. Locality and officer.
    bench.compare(
        "cases_by_locality",
        lambda: annual.cases_by_locality(year),
        lambda: bench.bare(LOCALITIES, params),
        list,
        lambda rows: [(name or annual.NO_LOCALITY, n) for name, n in rows],
    )
    bench.compare(
        "cases_by_officer",
        lambda: annual.cases_by_officer(year),
        lambda: bench.bare(OFFICERS, params),
        list,
        lambda rows: [(name or annual.NO_OFFICER, n) for name, n in rows],
    )

    # 7. Bullying and exclusions.
    bench.compare(
        "bullying_and_exclusions",
        lambda: annual.bullying_and_exclusions(year),
        lambda: bench.bare(BULLYING, params),
        lambda rows: [(r.main_reason, r.mentioned) for r in rows],
        lambda rows: [rows[0][0:2], rows[0][2:4], rows[0][4:6]],
    )

    # 8. IPS.
    ips = {**params, "overdue": annual.overdue_if_since_by(year.last)}
    bench.compare(
        "ips_year",
        lambda: annual.ips_year(year),
        lambda: bench.bare(IPS_YEAR, ips),
        lambda r: (
            r.active,
            r.trained,
            Decimal(r.hours),
            r.supervision_sessions,
            r.supervision_overdue,
        ),
        lambda rows: (rows[0][0], rows[0][1], Decimal(rows[0][2]), rows[0][3], rows[0][4]),
    )

    # 9. Telephone and web: two queries each.
    phone = {**params, "previous": previous.first.replace(day=1)}

    def phone_figures(r):
        def calls(c):
            return (
                _decimal(c.average),
                c.lowest,
                c.highest,
                c.months_counted,
                _decimal(c.previous_average),
                _decimal(c.change_percent),
            )

        return (
            [
                (m.month.first.replace(day=1), m.calls_in, m.calls_out, m.website_visits)
                for m in r.months
            ],
            calls(r.calls_in),
            calls(r.calls_out),
            (r.website_visits, r.website_months, _decimal(r.website_average)),
        )

    def bare_phone(result):
        months, figures = result
        f = figures[0]
        return ([tuple(m) for m in months], tuple(f[0:6]), tuple(f[6:12]), tuple(f[12:15]))

    bench.compare(
        "phone_and_web",
        lambda: annual.phone_and_web(year, previous),
        lambda: (bench.bare(PHONE_MONTHS, phone), bench.bare(PHONE_FIGURES, phone)),
        phone_figures,
        bare_phone,
    )

    # 10. Snapshot: two queries each.
    def snapshot_figures(s):
        return (
            s.contacts,
            s.new_cases,
            s.website_visits,
            s.training_sessions,
            [(m.name, m.role, m.fte) for m in s.team],
            s.team_fte,
        )

    def bare_snapshot(result):
        rows, team = result
        row = rows[0]
        return (
            row[8] + row[10],
            row[2],
            row[11] if row[12] else None,
            row[13],
            [(name, Role(role).label, fte) for name, role, fte, _ in team],
            (team[0][3] or Decimal(0)) if team else Decimal(0),
        )

    bench.compare(
        "snapshot",
        lambda: annual.snapshot(year),
        lambda: (bench.bare(SNAPSHOT, params), bench.bare(TEAM, params)),
        snapshot_figures,
        bare_snapshot,
    )
    return {
        "monthly": monthly,
        "typed": typed,
        "ethnicities": ethnicities,
        "ips": ips,
        "phone": phone,
        "params": params,
        "three": three,
        "four": four,
        "previous": previous,
    }


def _all_annual(bench, inputs, year):
    """Every function of reports/queries/annual.py once, and every bare query once."""
    from reports.queries import annual

    three, four, previous = inputs["three"], inputs["four"], inputs["previous"]

    def product():
        return (
            annual.monthly_performance(three),
            annual.cases_by_type(four),
            annual.needs(four),
            annual.ethnicity(year),
            annual.referral_routes(year),
            annual.top_reasons(year),
            annual.cases_by_locality(year),
            annual.cases_by_officer(year),
            annual.bullying_and_exclusions(year),
            annual.ips_year(year),
            annual.phone_and_web(year, previous),
            annual.snapshot(year),
        )

    params = inputs["params"]

    def bare():
        return (
            bench.bare(MONTHLY, inputs["monthly"]),
            bench.bare(CASES_BY_TYPE, inputs["typed"]),
            bench.bare(NEEDS, inputs["typed"]),
            bench.bare(ETHNICITY, inputs["ethnicities"]),
            bench.bare(ROUTES, params),
            bench.bare(REASONS, params),
            bench.bare(LOCALITIES, params),
            bench.bare(OFFICERS, params),
            bench.bare(BULLYING, params),
            bench.bare(IPS_YEAR, inputs["ips"]),
            bench.bare(PHONE_MONTHS, inputs["phone"]),
            bench.bare(PHONE_FIGURES, inputs["phone"]),
            bench.bare(SNAPSHOT, params),
            bench.bare(TEAM, params),
        )

    return product, bare


def _gather(bench, service, year, figures_inputs, figures_bare=None):
    """publications.annual.gather against the bare SQL of what it reads: its own records and,
    with `figures_bare` (_all_annual's), the figures of reports/queries/annual.py that
    gather() reads too (compared above, so not again here)."""
    from publications.annual import gather, years_back

    params = _params(service, year)
    trend = [_params(service, each) for each in years_back(service, year, 4)]

    def bare():
        return _own(), figures_bare() if figures_bare else None

    def _own():
        return (
            bench.bare(NARRATIVE, params),
            bench.bare(ALL_FORMS, params),
            bench.bare(RETURN_RATES, params),
            [bench.bare(PARENT_RESULTS, each) for each in trend],
            bench.bare(_one_service(MOVEMENTS), params),
            bench.bare(EVENTS, params),
            bench.bare(APPENDIX_TEAM, params),
            bench.bare(ASSESSMENT, params),
            bench.bare(PLANS, params),
        )

    def gathered(f):
        from reports.queries.evaluations import parent_results

        m = f.movements
        a = f.appendices
        return (
            sorted(f.narrative.items()),
            [(r.form_id, r.sent, r.returned) for r in f.evaluations.return_rates()],
            [(each.first, parent_results(each).sent) for each, _ in f.satisfaction_by_year],
            (m.brought_forward, m.new, m.reopened, m.closed, m.carried_forward, m.casework_total),
            f.events.total.events,
            sorted(member.name for member in f.snapshot.team),
            (a.assessment.pk if a.assessment else None, list(a.levels), list(a.assessment_rows)),
            [
                list(a.plan_rows) if a.plan else None,
                list(a.next_plan_rows) if a.next_plan else None,
            ],
        )

    def bare_figures(result):
        own, _ = result
        narrative, _, rates, trends, movements, events, team, assessment, plans = own
        by_year = {start: [tuple(row) for row in _json(rows)] for start, rows in plans}
        start = year.first.year
        first = assessment[0] if assessment else (None, None, None)
        return (
            sorted((part, text) for part, text in narrative),
            [tuple(row) for row in rates],
            [(each["first"], rows[0][0]) for each, rows in zip(trend, trends, strict=True)],
            tuple(movements[0][1:]) if movements else (0, 0, 0, 0, 0, 0),
            sum(row[1] for row in events),
            sorted(
                f"{first_name} {last_name}".strip() or username
                for first_name, last_name, username, _ in team
            ),
            (
                first[0],
                list(_json(first[1]) if first[1] is not None else []),
                [tuple(row) for row in (_json(first[2]) if first[2] is not None else [])],
            ),
            [by_year.get(start), by_year.get(start + 1)],
        )

    print(f"\npublications.annual.gather, {year.label}")
    p, b = bench.compare(
        "gather()",
        lambda: gather(service, year),
        bare,
        gathered,
        bare_figures,
    )
    return p, b, bare


def _render(bench, service, year, coordinator):
    """present(), the PDF's HTML and the PDF, against bare WeasyPrint on the same HTML."""
    from django.template.loader import render_to_string
    from weasyprint import HTML

    from pps.pdf import render_pdf
    from publications.annual import gather, present
    from publications.documents import ANNUAL_REPORT_PDF_TEMPLATE
    from reports.presenters import Disclosure

    shown = Disclosure.for_user(coordinator)
    figures = gather(service, year)
    report = present(figures, shown)
    html = render_to_string(ANNUAL_REPORT_PDF_TEMPLATE, {"report": report})
    print(f"\nPresenting and rendering, {year.label} (coordinator's copy)")
    results = {}
    results["present"] = bench.timed("present()", lambda: present(figures, shown))
    results["pdf html"] = bench.timed(
        "PDF template to HTML",
        lambda: render_to_string(ANNUAL_REPORT_PDF_TEMPLATE, {"report": report}),
    )
    ways = {
        "product": lambda: render_pdf(ANNUAL_REPORT_PDF_TEMPLATE, {"report": report}),
        "bare": lambda: HTML(string=html).write_pdf(),
    }
    walls, cpus = {name: [] for name in ways}, {name: [] for name in ways}
    for action in ways.values():  # warm: fonts, Pango
        action()
    for run in range(bench.runs):
        # Each first in turn: the one after a PDF pays for its garbage.
        for name in sorted(ways, reverse=bool(run % 2)):
            wall, cpu = time.perf_counter(), time.process_time()
            ways[name]()
            walls[name].append(time.perf_counter() - wall)
            cpus[name].append(time.process_time() - cpu)
    p, b = _median_ms(walls["product"]), _median_ms(walls["bare"])
    cpu_p, cpu_b = _median_ms(cpus["product"]), _median_ms(cpus["bare"])
    print(
        f"  {'PDF: pps.pdf.render_pdf':<30} median {p:8.1f} ms (CPU {cpu_p:.1f}); "
        f"bare WeasyPrint {b:8.1f} ms (CPU {cpu_b:.1f}); {p / b:.2f}x, CPU {cpu_p / cpu_b:.2f}x "
        f"({len(html):,} characters of HTML)"
    )
    results["pdf"] = (p, b)
    return results


def _client(user):
    """The test client signed in (second factor verified), on one connection, quiet."""
    import logging

    from django.core.signals import request_finished
    from django.db import close_old_connections

    from tests.factories import VerifiedClient

    request_finished.disconnect(close_old_connections)
    logging.getLogger("pps.request").setLevel(logging.WARNING)
    client = VerifiedClient()
    client.force_login(user)
    return client


def _page(bench, label, client, url, runs):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return bench.timed(label, lambda: client.get(url), runs)


def _served(client, url, runs):
    """(median, p95, median CPU) ms of `url` as a production worker serves it: through
    Django's WSGI handler, templates rendered without the test environment's
    instrumentation (bench/pages.py, wsgi_timings)."""
    import statistics

    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections
    from django.template.base import Template
    from django.test.utils import _TestState

    from bench.pages import wsgi_timings

    instrumented = Template._render
    Template._render = _TestState.saved_data.template_render
    # As production keeps its connection between requests (CONN_MAX_AGE): the test client
    # connects close_old_connections again after each of its requests, which would close
    # this one after every request served here and time a new connection each time.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        wall, cpu = wsgi_timings(client, url, runs)
    finally:
        Template._render = instrumented
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return statistics.median(wall), _p95_ms([ms / 1000 for ms in wall]), statistics.median(cpu)


def _size(service, years):
    """New cases and contacts (on cases; and with substantial enquiries) of each year."""
    from django.db.models import Count, Q

    from casework.models import Case, Contact, Enquiry

    def by_year(queryset, field, days):
        return queryset.aggregate(
            **{
                str(y.first.year): Count(
                    "id",
                    filter=Q(**{f"{field}__gte": y.starts_at, f"{field}__lt": y.ends_before})
                    if not days
                    else Q(**{f"{field}__gte": y.first, f"{field}__lte": y.last}),
                )
                for y in years
            }
        )

    cases = by_year(Case.objects.filter(service=service), "opened_on", True)
    contacts = by_year(Contact.objects.filter(service=service), "at", False)
    substantial = by_year(
        Enquiry.objects.filter(service=service, substantial=True), "received_at", False
    )
    fits = True
    print(
        f"{'academic year':<14} {'new cases':>10} {'contacts':>9} {'+ substantial enquiries':>24}"
    )
    for y in years:
        key = str(y.first.year)
        print(
            f"{y.label:<14} {cases[key]:10,} {contacts[key]:9,} "
            f"{contacts[key] + substantial[key]:24,}"
        )
        fits &= CASES_A_YEAR[0] <= cases[key] <= CASES_A_YEAR[1]
        fits &= CONTACTS_A_YEAR[0] <= contacts[key] <= CONTACTS_A_YEAR[1]
    print(
        "Every year within the issue's size (150-350 cases, 2,000-5,000 contacts)."
        if fits
        else "NOT every year is within the issue's size (150-350 cases, 2,000-5,000 contacts)."
    )


def _generate():
    from django.core.management import call_command
    from django.db import connection

    from demo.generate import demo_exists, generate

    call_command("migrate", verbosity=0)
    if demo_exists():
        print("The demo service is there already: reused.")
        return
    started = time.perf_counter()
    demo = generate(years=YEARS)
    name = connection.settings_dict["NAME"]
    with connection.cursor() as cursor:
        # The settings the product recommends (README.md), then fresh statistics.
        cursor.execute(f'ALTER DATABASE "{name}" SET jit = off')
        cursor.execute(f'ALTER DATABASE "{name}" SET random_page_cost = 1.1')
        cursor.execute("VACUUM ANALYZE")
    print(
        f"Demo generated over {YEARS} years in {time.perf_counter() - started:.0f} s: "
        f"{demo.counts['cases']:,} cases, {demo.counts['contacts']:,} contacts. "
        "Reconnect for the database settings: run the script again without --generate."
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="runs per figure (at least 7)")
    parser.add_argument(
        "--generate", action="store_true", help="fill the database with the 10-year demo first"
    )
    options = parser.parse_args()
    runs = max(options.runs, 7)
    import django

    django.setup()
    _production_like()
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("PostgreSQL only: set DATABASE_URL.")
    if options.generate:
        _generate()
        return
    run(runs)


def run(runs):
    from django.test.utils import setup_test_environment
    from django.urls import NoReverseMatch, reverse
    from django.utils import timezone
    from django_scopes import scope, scopes_disabled

    from demo.generate import SERVICE_NAME
    from pps.models import User
    from publications.annual import latest_ended_year, year_of, years_back

    _print_database()
    from pps.models import Service

    with scopes_disabled():
        service = Service.objects.filter(name=SERVICE_NAME).first()
        if service is None:
            sys.exit("No demo service in this database: run with --generate first.")
        year = year_of(service, latest_ended_year(service, timezone.localdate()))
        coordinator = User.objects.get(service=service, username="coordinator")
        steering = User.objects.get(service=service, username="steering")
        _size(service, years_back(service, year, YEARS))
    bench = AnnualBench(runs)
    with scope(service=[service.pk]):
        inputs = _figures(bench, service, year)
        _, figures_bare = _all_annual(bench, inputs, year)
        gather_p, gather_b, gather_bare = _gather(bench, service, year, inputs, figures_bare)
        from publications.annual import gather

        print(
            "\nThe report's data in one timing: gather(), which reads every figure above, against"
            " all the bare queries (each part's figures compared above)"
        )
        data_p, data_b = bench.compare(
            "all of the report's data",
            lambda: gather(service, year),
            gather_bare,
            lambda result: None,
            lambda result: None,
        )
        rendered = _render(bench, service, year, coordinator)
    setup_test_environment()
    print("\nPages through the test client (one connection)")
    page_runs = max(runs, 20)
    coordinator_client = _client(coordinator)
    page = _page(
        bench,
        "annual report page (coord.)",
        coordinator_client,
        reverse("publications:annual-report", args=[year.first.year]),
        page_runs,
    )
    steering_page = _page(
        bench,
        "annual report page (steering)",
        _client(steering),
        reverse("publications:annual-report", args=[year.first.year]),
        page_runs,
    )
    try:
        dashboard_url = reverse("reports:dashboard")
    except NoReverseMatch:
        dashboard_url = None
        print("  dashboard: not on this branch")
    dashboard = served = None
    if dashboard_url:
        steering_client = _client(steering)
        dashboard = _page(bench, "dashboard (steering)", steering_client, dashboard_url, page_runs)
        _page(bench, "dashboard (coordinator)", coordinator_client, dashboard_url, page_runs)
        served = _served(steering_client, dashboard_url, page_runs)
        print(
            f"  {'dashboard (steering), served':<30} median {served[0]:8.1f} ms,"
            f" p95 {served[1]:8.1f} ms, CPU {served[2]:6.1f} ms (WSGI handler, {page_runs} runs)"
        )

    print(f"\nSummary ({year.label}, medians of {runs} runs; pages {page_runs} requests)")
    print(f"  {'':<30} {'product':>10} {'floor':>10} {'ratio':>7}  target")
    for label, p, b, queries, bare_queries, _ in bench.rows:
        if label in ("gather()", "all of the report's data"):
            continue
        print(f"  {label:<30} {p:8.2f}ms {b:8.2f}ms {p / b:6.2f}x  {queries} q / {bare_queries} q")
    print(f"  {'gather()':<30} {gather_p:8.1f}ms {gather_b:8.1f}ms {gather_p / gather_b:6.2f}x")
    # gather() reads every figure: the sum is of the figures' rows alone.
    parts = [row for row in bench.rows if row[0] not in ("gather()", "all of the report's data")]
    sum_p, sum_b = sum(row[1] for row in parts), sum(row[2] for row in parts)
    print(f"  {'figures: sum of medians':<30} {sum_p:8.1f}ms {sum_b:8.1f}ms {sum_p / sum_b:6.2f}x")
    ratio = data_p / data_b
    print(
        f"  {'data: all of the report':<30} {data_p:8.1f}ms {data_b:8.1f}ms {ratio:6.2f}x  "
        f"<= 1.5x: {'holds' if ratio <= 1.5 else 'MISSED'}"
    )
    print(f"  {'present()':<30} {rendered['present'][0]:8.1f}ms")
    print(f"  {'page (coordinator, steering)':<30} {page[0]:8.1f}ms {steering_page[0]:8.1f}ms")
    pdf, bare_pdf = rendered["pdf"]
    print(
        f"  {'PDF / bare WeasyPrint':<30} {pdf:8.1f}ms {bare_pdf:8.1f}ms {pdf / bare_pdf:6.2f}x  "
        f"<= 1.3x: {'holds' if pdf / bare_pdf <= 1.3 else 'MISSED'}"
    )
    if dashboard:
        print(f"  {'dashboard page, test client':<30} {dashboard[0]:8.1f}ms")
        print(
            f"  {'dashboard page, served':<30} {served[0]:8.1f}ms  "
            f"<= 50 ms: {'holds' if served[0] <= 50 else 'MISSED'}"
        )
    else:
        print("  dashboard: not on this branch")
    if bench.failures:
        print(f"\nFIGURES DIFFER: {', '.join(bench.failures)}")
        sys.exit(1)
    print("\nEvery figure EQUAL to its bare SQL.")


if __name__ == "__main__":
    main()
