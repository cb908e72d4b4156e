"""docs/data-lifecycle.md describes exactly the layouts the code checks, and the templates
offered for download import as they are."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from transfers.documentation import BEGIN, END, layouts_markdown
from transfers.layouts import LAYOUTS
from transfers.models import ImportRun

DOC = Path(__file__).resolve().parents[2] / "docs" / "data-lifecycle.md"


def test_the_documented_layouts_are_the_code_s():
    text = DOC.read_text()
    documented = text[text.index(BEGIN) : text.index(END) + len(END)]
    assert documented == layouts_markdown()


@pytest.fixture
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.django_db
@pytest.mark.parametrize("format", ["csv", "xlsx"])
def test_each_template_has_the_header_an_example_and_the_allowed_codes_and_checks_clean(
    client, team, format, _media
):
    client.force_login(team.coordinator)
    for key, layout in LAYOUTS.items():
        response = client.get(reverse("transfers:template", args=[key, format]))
        assert response.status_code == 200
        content = response.content
        if format == "csv":
            lines = content.decode("utf-8-sig").splitlines()
            assert lines[0] == ",".join(layout.header)
            coded = any(
                column.kind.allowed(None)
                for column in layout.columns
                if not hasattr(column.kind, "model")
            )
            assert any(line.startswith("# ") for line in lines[2:]) == coded, key
        upload = SimpleUploadedFile(f"{key}.{format}", content)
        response = client.post(reverse("transfers:index"), {"layout": key, "file": upload})
        run = ImportRun.objects.get(pk=response.url.rstrip("/").split("/")[-1])
        # The example row is read; only its references to records not yet here are refused.
        assert run.rows_total == 1
        assert {column for _line, column, _reason in run.problems} <= {
            "case_reference",
            "volunteer_reference",
        }, run.problems


@pytest.mark.django_db
def test_the_layout_page_lists_the_service_s_own_codes(client, team):
    client.force_login(team.coordinator)
    page = client.get(reverse("transfers:layout", args=["cases"])).content.decode()
    assert "Mainstream primary" in page
    assert "white_british" in page
    assert client.get(reverse("transfers:layout", args=["nothing"])).status_code == 404
    assert client.get(reverse("transfers:template", args=["cases", "pdf"])).status_code == 404
