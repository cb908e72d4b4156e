"""Charts (reports/charts.py): the same SVG for the same table, no bar or point for a
suppressed cell, text as people typed it escaped, and a text alternative that says it all."""

import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import replace

import pytest
from django.core.cache import cache
from django.template.loader import render_to_string

from pps.disclosure import FEWER_THAN_5, HIDDEN
from reports import charts
from reports.charts import Chart, bar_chart, line_chart
from reports.presenters import Table

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    # Our own chart, made in this test, not outside input.
    return ET.fromstring(svg)  # noqa: S314


# Cases by age group, two years; 2023's infants are fewer than 5, 2024's juniors hidden
# (they would give a small count away).
AGES = Table(
    slug="ages",
    caption="Cases by age group",
    header=("Age group", "2023/24", "2024/25"),
    rows=(
        ("Pre-school", 12, 14),
        ("Infant", FEWER_THAN_5, 30),
        ("Junior", 40, HIDDEN),
        ("Secondary", 0, 7),
    ),
    foot=(("Casework total", 56, 60),),
    note="Counts from 1 to 4 show as “fewer than 5”.",
)


def ids(svg: str) -> set[str]:
    return {element.get("id") for element in parse(svg).iter() if element.get("id")}


def texts(svg: str) -> list[str]:
    return [element.text for element in parse(svg).iter(f"{SVG}text") if element.text]


def test_the_same_table_gives_the_same_bytes():
    first = bar_chart(AGES, title="Cases by age group", value_columns=(1, 2))
    # Drawn again, not read back from the cache.
    cache.clear()
    again = bar_chart(AGES, title="Cases by age group", value_columns=(1, 2))
    assert first.svg == again.svg
    assert "<dc:date>" not in first.svg
    other = bar_chart(AGES, title="Cases by age group", value_columns=(1,))
    assert other.svg != first.svg
    trend = line_chart(AGES, title="Trend").svg
    cache.clear()
    assert line_chart(AGES, title="Trend").svg == trend


def test_a_chart_is_drawn_once_and_read_back_until_its_table_changes(monkeypatch):
    first = bar_chart(AGES, title="Cases by age group")
    # Read back: drawing again would fail.
    monkeypatch.setattr(charts, "_save", lambda figure: pytest.fail("drawn twice"))
    assert bar_chart(AGES, title="Cases by age group") == first
    changed = replace(AGES, rows=(("Pre-school", 13, 14), *AGES.rows[1:]))
    with pytest.raises(pytest.fail.Exception, match="drawn twice"):
        bar_chart(changed, title="Cases by age group")


def test_a_suppressed_cell_draws_no_bar_and_the_alternative_says_so():
    chart = bar_chart(AGES, title="Cases by age group", value_columns=(1, 2))
    drawn = {i for i in ids(chart.svg) if i.startswith("bar-")}
    # 2 series x 4 rows = 8 places; infants 2023 (series 0, row 1) and juniors 2024
    # (series 1, row 2) are not numbers: 6 bars, the nought among them (drawn flat).
    assert drawn == {"bar-0-0", "bar-0-2", "bar-0-3", "bar-1-0", "bar-1-1", "bar-1-3"}
    # The bars carry their values; the empty places their words.
    words = texts(chart.svg)
    for value in ("12", "40", "0", "14", "30", "7", "<5", "hidden"):
        assert value in words
    assert chart.alt.startswith(
        "Bar chart of Cases by age group, 4 entries from Pre-school to Secondary, "
        "showing 2023/24, 2024/25."
    )
    assert (
        "2023/24: Pre-school 12; Infant fewer than 5; Junior 40; Secondary 0. Highest: "
        "Junior (40). Not drawn: Infant (fewer than 5)." in chart.alt
    )
    assert "Not drawn: Junior (hidden)." in chart.alt


def test_series_are_told_apart_without_colour():
    bars = bar_chart(AGES, title="Cases by age group", value_columns=(1, 2))
    # The second series is hatched (a pattern), and a legend names both.
    assert "<pattern" in bars.svg
    assert {"2023/24", "2024/25"} <= set(texts(bars.svg))
    lines = line_chart(AGES, title="Cases by age group over two years")
    assert {"line-0", "line-1"} <= ids(lines.svg)
    # Each line has its own dash: the second one's stroke is dashed, the first is not.
    root = parse(lines.svg)
    paths = {g.get("id"): g.find(f"{SVG}path") for g in root.iter(f"{SVG}g")}
    assert "stroke-dasharray" not in (paths["line-0"].get("style") or "")
    assert "stroke-dasharray" in (paths["line-1"].get("style") or "")


def test_a_horizontal_chart_and_a_line_chart_leave_gaps_too():
    across = bar_chart(AGES, title="Cases by age group", value_columns=(2,), horizontal=True)
    assert {i for i in ids(across.svg) if i.startswith("bar-")} == {
        "bar-0-0",
        "bar-0-1",
        "bar-0-3",
    }
    trend = line_chart(AGES, title="Trend", value_columns=(1,))
    assert "Not drawn: Infant (fewer than 5)." in trend.alt
    assert trend.alt.startswith("Line chart of Trend")


def test_it_fits_the_width_of_an_a4_page():
    chart = bar_chart(AGES, title="Cases by age group")
    # 16 cm is 453.5 points.
    assert parse(chart.svg).get("width") == "453.543307pt"


def test_text_people_typed_is_escaped_and_never_read_as_mathematics():
    table = Table(
        slug="reasons",
        caption="Reasons",
        header=("Reason", "Cases"),
        rows=(("<script>alert(1)</script>", 6), ("Costs $5 & $10", 8)),
    )
    chart = bar_chart(table, title="Reasons <b>for</b> contact")
    assert "<script>" not in chart.svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in chart.svg
    assert "<b>" not in chart.svg
    words = texts(chart.svg)
    assert "<script>alert(1)</script>" in words
    assert "Costs $5 & $10" in words
    assert "Reasons <b>for</b> contact" in words
    # On the page it is an image, and the alternative is escaped like any text.
    html = render_to_string("reports/_chart.html", {"chart": chart})
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_a_chart_with_no_rows_still_draws_and_says_so():
    empty = Table(slug="none", caption="Nothing", header=("Month", "Calls"), rows=())
    chart = bar_chart(empty, title="Calls")
    assert chart.alt == "Bar chart of Calls: there is nothing to show."
    parse(chart.svg)


def test_a_chart_needs_a_column_of_values():
    labels_only = Table(slug="x", caption="x", header=("Month",), rows=(("May",),))
    with pytest.raises(ValueError, match="at least one column"):
        line_chart(labels_only, title="x")


def test_percentages_are_drawn_as_numbers():
    shares = Table(
        slug="satisfaction",
        caption="Satisfaction",
        header=("Year", "Share satisfied"),
        rows=(("2022/23", "88%"), ("2023/24", "92.5%"), ("2024/25", Chart.__name__)),
    )
    chart = line_chart(shares, title="Satisfaction")
    assert "2022/23 88; 2023/24 92.5; 2024/25 Chart." in chart.alt


def test_the_chart_include_shows_the_picture_then_its_table():
    chart = bar_chart(AGES, title="Cases by age group", value_columns=(1, 2))
    html = render_to_string("reports/_chart.html", {"chart": chart})
    assert html.index("<figure") < html.index("<table")
    assert f'src="{chart.data_uri}"' in html
    assert chart.data_uri.startswith("data:image/svg+xml;base64,")
    assert "<figcaption>Cases by age group</figcaption>" in html
    assert 'alt="Bar chart of Cases by age group, 4 entries' in html
    assert "<caption>Cases by age group</caption>" in html
    assert '<th scope="col">Age group</th>' in html
    assert '<th scope="row">Infant</th><td class="text-end">fewer than 5</td>' in html
    assert "<tfoot>" in html and '<th scope="row">Casework total</th>' in html
    assert '<p class="small">Counts from 1 to 4 show as “fewer than 5”.</p>' in html


def test_pages_without_charts_do_not_load_matplotlib():
    code = (
        "import os, sys, django;"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'pps.settings');"
        "django.setup();"
        "import reports.charts, reports.presenters, reports.views;"
        "print('matplotlib' in sys.modules)"
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
