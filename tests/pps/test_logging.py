"""Logs are JSON lines with no link tokens and no search terms (pps/logging.py)."""

import io
import json
import logging

import pytest
from django.urls import reverse

from evaluations import links
from pps.logging import JsonFormatter, RedactFilter, mask
from tests import factories

pytestmark = pytest.mark.django_db

NAME = "Featherstonehaugh"


@pytest.fixture
def log_lines():
    """Every line the product logs during the test, formatted as production formats it."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RedactFilter())
    loggers = [logging.getLogger(), logging.getLogger("pps.request")]
    for logger in loggers:
        logger.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    for logger in loggers:
        logger.removeHandler(handler)


def test_a_link_path_and_a_name_search_leave_neither_token_nor_name_in_the_log(
    client, team, log_lines
):
    case = factories.open_case(team.service, team.officer)
    _sending, token = factories.send_form(
        team.service, team.officer, case=case, name=str(case.parent)
    )
    guess = links.new_token()
    assert client.get(f"/e/{team.service.pk}/{links.grouped(token)}/").status_code == 200
    assert client.get(f"/e/{team.service.pk}/{guess}/?from={NAME}").status_code == 404
    client.force_login(team.officer)
    search = client.get(reverse("casework:case-list"), {"q": NAME})
    assert search.status_code == 200

    lines = log_lines()
    text = json.dumps(lines)
    for secret in (token, links.grouped(token), guess, NAME, "q="):
        assert secret not in text
    requests = [line for line in lines if line["logger"] == "pps.request"]
    assert [(r["method"], r["path"], r["status"]) for r in requests] == [
        ("GET", f"/e/{team.service.pk}/[masked]/", 200),
        ("GET", f"/e/{team.service.pk}/[masked]/", 404),
        ("GET", "/cases/", 200),
    ]
    for line in requests:
        assert set(line) >= {"time", "level", "logger", "message", "duration_ms"}
        assert line["level"] == "INFO"
        assert isinstance(line["duration_ms"], float)
    # Django's own warning for the unknown link names the path, masked like the rest.
    (not_found,) = [line for line in lines if line["logger"] == "django.request"]
    assert not_found["message"] == f"Not Found: /e/{team.service.pk}/[masked]/"
    assert not_found["status"] == 404
    assert not_found["path"] == f"/e/{team.service.pk}/[masked]/"


def test_gunicorn_access_records_are_masked_too():
    record = logging.LogRecord(
        "gunicorn.access", logging.INFO, __file__, 1, "%(h)s %(r)s", None, None
    )
    record.args = {
        "m": "GET",
        "U": "/e/3/abcd-efgh-jkmn-pqrs/",
        "q": f"q={NAME}",
        "s": "404",
        "D": "1500",
        "h": "127.0.0.1",
        "r": f"GET /e/3/abcd-efgh-jkmn-pqrs/?q={NAME}",
    }
    RedactFilter().filter(record)
    line = json.loads(JsonFormatter().format(record))
    assert line["path"] == "/e/3/[masked]/"
    assert line["status"] == 404 and line["duration_ms"] == 1.5
    assert "abcd" not in json.dumps(line) and NAME not in json.dumps(line)


def test_mask_drops_query_strings_and_tokens_wherever_they_appear():
    assert mask(f'"GET /cases/?q={NAME} HTTP/1.1" 200') == '"GET /cases/ HTTP/1.1" 200'
    assert mask("Not Found: /e/12/ABCD efgh/") == "Not Found: /e/12/[masked]/"
    assert mask("/e/12/abcdefghjkmnpqrs") == "/e/12/[masked]"
