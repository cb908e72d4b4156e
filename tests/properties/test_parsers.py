"""The parsers of typed and uploaded structured text, fed generated input.

Property for each: any text gives either a result that keeps the parser's promises or the
parser's own refusal (a list of problems with line numbers, a message beside the field),
never another exception; and a refused framework file writes nothing.
"""

import csv
import re

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from evaluations import links
from evaluations.forms import ReferenceForm
from quality.frameworks import (
    MAX_CODE,
    MAX_LEVEL,
    MAX_ROWS,
    MAX_STANDARD_TEXT,
    MAX_THEME_TITLE,
    LayoutError,
    parse_framework_csv,
    parse_scale,
    scale_problems,
)
from quality.models import Framework
from tests import snapshot
from tests.properties import inputs

# A refused import shown again is a page view: its access-log row is required, not a write.
COMPARED = snapshot.product_tables(leave_out={"pps.accesslog"})

SCALE = ["Best practice", "Good practice", "Non-compliant"]
HEADER = "theme_code,theme_title,standard_code,standard_text"
FAST = settings(max_examples=200, deadline=None, database=None, print_blob=True)

cells = st.one_of(
    st.sampled_from(["1", "2", "1a", "1b", "Theme", "", " ", "x" * (MAX_CODE + 1), '"', ","]),
    inputs.text,
)


@st.composite
def framework_files(draw):
    """Text shaped like the framework layout, then perhaps damaged as real files are."""
    rows = draw(st.lists(st.lists(cells, max_size=6), max_size=8))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    if draw(st.booleans()):
        # Quoted properly, as a spreadsheet writes it.
        lines = []
        for row in rows:
            out = csv.StringIO()
            csv.writer(out, lineterminator="").writerow(row)
            lines.append(out.getvalue())
    else:
        lines = [",".join(row) for row in rows]
    text = newline.join([draw(st.sampled_from([HEADER, HEADER.upper(), "", "a,b"])), *lines])
    if draw(st.booleans()):
        text = "\ufeff" + text
    if lines and draw(st.booleans()):
        # One stray character somewhere: an unclosed quote, a NUL, a lone CR.
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(['"', "\x00", "\r", ","])) + text[at:]
    return text


def check_parsed(text):
    try:
        parsed = parse_framework_csv(text, SCALE)
    except LayoutError as error:
        assert error.problems
        for line, reason in error.problems:
            assert isinstance(line, int)
            assert line >= 1
            assert reason.strip()
        return None
    codes = [code for theme in parsed.themes for code, _ in theme.standards]
    assert 1 <= len(codes) <= MAX_ROWS
    assert len(set(codes)) == len(codes)
    for theme in parsed.themes:
        assert theme.code
        assert len(theme.code) <= MAX_CODE
        assert len(theme.title) <= MAX_THEME_TITLE
        for code, wording in theme.standards:
            assert code
            assert wording
            assert len(code) <= MAX_CODE
            assert len(wording) <= MAX_STANDARD_TEXT
            assert "\x00" not in code + wording + theme.code + theme.title
    return parsed


@FAST
@given(text=st.one_of(framework_files(), inputs.text))
@example(text=HEADER + '\n1,"unclosed,1a,Standard\n')
@example(text=HEADER + "\n1,Theme," + "1a," + "x" * (csv.field_size_limit() + 1) + "\n")
@example(text=HEADER + "\n1,Theme,1a,Standard\x00\n")
@example(text=HEADER + "\r1,Theme,1a,Standard\r1,Other title,1b,Standard\r")
def test_any_text_is_a_framework_or_a_list_of_problems_by_line(text):
    check_parsed(text)


@FAST
@given(text=inputs.text)
def test_any_rating_scale_is_levels_or_problems_in_words(text):
    scale = parse_scale(text)
    assert all(level == level.strip() and level for level in scale)
    problems = scale_problems(scale)
    assert all(isinstance(problem, str) and problem for problem in problems)
    if not problems:
        assert len(scale) >= 2
        assert len(set(scale)) == len(scale)
        assert all(len(level) <= MAX_LEVEL for level in scale)


@FAST
@given(text=st.one_of(inputs.text, inputs.numbers, st.from_regex(r"\A[eE]?\s*\d{1,11}\Z")))
@example(text="E²")
@example(text="E٣")
@example(text="E00042")
def test_a_typed_paper_form_reference_is_a_number_or_a_message_beside_it(text):
    form = ReferenceForm(data={"reference": text})
    if form.is_valid():
        number = form.cleaned_data["reference"]
        assert isinstance(number, int)
        assert number >= 0
    else:
        assert form.errors["reference"]


@FAST
@given(text=st.one_of(inputs.text, st.text(alphabet=links.ALPHABET + "-  ", max_size=24)))
@example(text="²" * 16)
@example(text="٣" * 16)
def test_a_typed_link_token_is_recognised_or_not_but_never_breaks(text):
    token_like = links.looks_like_a_token(text)
    links.token_hash(text)
    if token_like:
        assert len(links.normalise(text)) == links.LENGTH
        assert set(links.normalise(text)) <= set(links.ALPHABET)


@FAST
@given(token=st.text(alphabet=links.ALPHABET, min_size=16, max_size=16), data=st.data())
def test_a_token_typed_with_capitals_dashes_and_spaces_is_the_same_token(token, data):
    typed = "".join(
        data.draw(st.sampled_from([ch, ch.upper()])) + data.draw(st.sampled_from(["", "-", " "]))
        for ch in token
    )
    assert links.looks_like_a_token(typed)
    assert links.token_hash(typed) == links.token_hash(token)


@pytest.mark.django_db
def test_an_uploaded_framework_is_imported_whole_or_refused_by_line_writing_nothing(client, team):
    """Through the import page: arbitrary bytes give a framework or errors by line."""
    client.force_login(team.coordinator)
    url = reverse("quality:framework-import")

    @settings(
        max_examples=inputs.HTTP_EXAMPLES * 3,
        deadline=None,
        database=None,
        print_blob=True,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(
        body=st.one_of(framework_files().map(lambda text: text.encode("utf-8")), inputs.file_bodies)
    )
    @example(body=(HEADER + '\n1,"unclosed,1a,Standard\n').encode())
    @example(body=(HEADER + "\n1,Theme,1a,Standard\n").encode("utf-16"))
    def upload(body):
        with transaction.atomic():
            before = snapshot.take(COMPARED)
            upload = inputs.upload("framework.csv", body)
            response = client.post(
                url, {"name": "Generated", "scale": ", ".join(SCALE), "file": upload}
            )
            if response.status_code == 302:
                assert Framework.objects.filter(service=team.service, name="Generated").exists()
            else:
                assert response.status_code in (200, 400)
                assert snapshot.changed(before, snapshot.take(COMPARED)) == {}
                errors = response.context["form"].errors
                assert errors
                for message in errors.get("file", []):
                    # A bad row is named by its line; the rest is about the whole file
                    # (empty, not UTF-8 text, too large).
                    assert re.match(r"Line \d+: \S", message) or "file" in message, message
            transaction.set_rollback(True)

    upload()
