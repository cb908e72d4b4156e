"""The production server as it really runs: gunicorn with pps/gunicorn.conf.py, production
settings, static files collected for whitenoise, and JSON logs without secrets."""

import json
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from evaluations import links
from tests.pps.test_production_settings import ROOT, good_production_env
from tests.shared_cache import redis_url

pytestmark = pytest.mark.django_db

NAME = "Featherstonehaugh"
GUNICORN = str(Path(sys.executable).parent / "gunicorn")


def _database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _environment(port, **changes):
    return good_production_env(
        DATABASE_URL=_database_url(),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        # No TLS in front of this test server; everything else stays as in production.
        DJANGO_SECURE_SSL_REDIRECT="false",
        CACHE_URL=redis_url(),
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_ACCESS_LOG="true",
        **changes,
    )


def _get(port, path):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture(scope="module")
def collected_static(tmp_path_factory):
    """Collected into a directory of this test's own: other test processes' whitenoise reads
    the project's staticfiles/ while they run, and must not see it half rewritten."""
    if connection.vendor != "postgresql":
        pytest.skip("production runs on PostgreSQL")
    root = str(tmp_path_factory.mktemp("static"))
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "--verbosity", "0"],
        cwd=ROOT,
        env=good_production_env(PPS_STATIC_ROOT=root),
        check=True,
        timeout=300,
    )
    return root


def test_gunicorn_serves_production_with_hashed_static_files_and_clean_json_logs(
    collected_static, team, tmp_path
):
    port = _free_port()
    log = (tmp_path / "gunicorn.log").open("w+")
    server = subprocess.Popen(  # noqa: S603
        [GUNICORN, "-c", "pps/gunicorn.conf.py", "pps.wsgi"],
        cwd=ROOT,
        env=_environment(port, PPS_STATIC_ROOT=collected_static),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert server.poll() is None, (tmp_path / "gunicorn.log").read_text()
                time.sleep(0.2)
        status, _headers, body = _get(port, "/accounts/login/")
        assert status == 200
        # whitenoise serves the collected files under their hashed names, cached for ever.
        stylesheet = re.search(rb'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', body)
        assert stylesheet, body[:2000]
        status, headers, _css = _get(port, stylesheet.group(1).decode())
        assert status == 200
        assert "immutable" in headers["Cache-Control"]

        token = links.new_token()
        assert _get(port, f"/e/{team.service.pk}/{links.grouped(token)}/")[0] == 404
        opener = urllib.request.build_opener(_NoRedirect)
        with pytest.raises(urllib.error.HTTPError) as redirect:
            opener.open(f"http://127.0.0.1:{port}/cases/?q={NAME}", timeout=30)
        assert redirect.value.code == 302
    finally:
        server.terminate()
        server.wait(timeout=30)
    output = (tmp_path / "gunicorn.log").read_text()
    lines = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    assert lines
    assert all({"time", "level", "logger", "message"} <= set(line) for line in lines)
    for secret in (token, links.grouped(token), NAME):
        assert secret not in output
    paths = {(line.get("logger"), line.get("path"), line.get("status")) for line in lines}
    assert ("pps.request", f"/e/{team.service.pk}/[masked]/", 404) in paths
    assert ("pps.request", "/cases/", 302) in paths
    assert ("gunicorn.access", "/cases/", 302) in paths


def test_gunicorn_refuses_to_start_with_unsafe_production_settings(tmp_path):
    port = _free_port()
    result = subprocess.run(  # noqa: S603
        [GUNICORN, "-c", "pps/gunicorn.conf.py", "pps.wsgi"],
        cwd=ROOT,
        env=_environment(port, PPS_DEMO_MODE="true"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "pps.E002" in result.stdout + result.stderr
    assert settings.STATIC_URL  # the test process itself is untouched
