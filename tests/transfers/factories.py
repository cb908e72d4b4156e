from transfers.models import ImportRun


def make_import_run(team, **fields) -> ImportRun:
    """A checked upload waiting for the go-ahead (its file is not read by the pages)."""
    fields.setdefault("status", ImportRun.Status.CHECKED)
    fields.setdefault("counts", {"cases": 1, "parents": 1, "children": 1, "case events": 1})
    return ImportRun.objects.create(
        service=team.service,
        layout="cases",
        file="imports/never-stored.csv",
        filename="cases.csv",
        uploaded_by=team.coordinator,
        **fields,
    )
