"""Backup and restore of one service or the whole installation (docs/operations.md).

A backup is a ZIP file:

- manifest.json: format, when, what (one service or all), the migrations the data fits,
  and the number of rows per table;
- data.jsonl: every row of every table of the product's apps, one JSON object a line in
  Django's serialisation: records, their history tables, the access log, code lists,
  evaluations, quality, and the many-to-many links on their records; auth groups, and the
  two-factor devices when that app is installed;
- media/...: every uploaded file the rows name, read and written through Django's storage
  API (a file system or an S3-compatible store alike).

A service's backup holds the rows that belong to it (their `service`, or the record they
hang from, is that service) and rows that belong to no service (installation-wide ones such
as superusers). Restore goes into an EMPTY database migrated to the same migrations, in one
transaction: it refuses a database that holds any product row, and it leaves nothing behind
if any row fails.

Sessions, sign-in lockouts (axes) and Django's content types are not backed up: they are
rebuilt or expire. Django's per-user permissions are not used by the product (roles are).
"""

import datetime as dt
import decimal
import io
import json
import uuid
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils.duration import duration_iso_string
from django_scopes import scopes_disabled

FORMAT = 1


def product_apps() -> tuple[str, ...]:
    """The labels of the product's own apps: the packages at the top of this repository
    (every app a later change adds comes with them, with nothing to list here). A library's
    app is not one of them even when the virtual environment lies inside the repository."""
    root = Path(settings.BASE_DIR).resolve()
    return tuple(
        config.label
        for config in apps.get_app_configs()
        if Path(config.path).resolve().parent == root
    )


# Apps of libraries whose rows belong with the product's data when they are installed.
LIBRARY_APPS = ("otp_totp", "otp_static", "otp_email", "two_factor")
LIBRARY_MODELS = ("auth.Group",)
MANIFEST, DATA, MEDIA = "manifest.json", "data.jsonl", "media/"


class BackupError(Exception):
    pass


class ExactEncoder(json.JSONEncoder):
    """Times to the microsecond: Django's own JSON serialiser keeps milliseconds only, and a
    restore must give back exactly what was there."""

    def default(self, o):
        if isinstance(o, dt.timedelta):
            return duration_iso_string(o)
        if isinstance(o, dt.date | dt.time):
            return o.isoformat()
        if isinstance(o, decimal.Decimal | uuid.UUID):
            return str(o)
        return super().default(o)


def backed_up_models() -> list[type[models.Model]]:
    """Every concrete model whose rows a backup holds, in an order that loads cleanly."""
    chosen = []
    for config in apps.get_app_configs():
        if config.label in product_apps() or config.label in LIBRARY_APPS:
            # Link tables too, as rows of their own: their ids are kept, and loading them
            # sends no m2m_changed signal.
            chosen.extend(config.get_models(include_auto_created=True))
    for label in LIBRARY_MODELS:
        chosen.append(apps.get_model(label))
    chosen = [
        model
        for model in chosen
        if not model._meta.proxy
        and model._meta.managed
        and not getattr(model, "REBUILT_AT_MIGRATE", False)
        and not getattr(model, "DERIVED", False)
    ]
    ordered = serializers.sort_dependencies([(None, chosen)], allow_cycles=True)
    return ordered + [model for model in chosen if model not in ordered]


def _service_model():
    return apps.get_model("pps", "Service")


def _service_filter(model, service_id: int, seen=()) -> models.Q | None:
    """Rows of `model` that belong to the service or to none; None when nothing links it."""
    service = _service_model()
    if model is service:
        return models.Q(pk=service_id)
    if model._meta.label == "pps.HistoricalService":
        # The service's own history: its rows carry the service's id, not a link to it.
        return models.Q(id=service_id)
    fields = [f for f in model._meta.concrete_fields if f.many_to_one]
    for field in fields:
        if field.related_model is service:
            return models.Q(**{field.attname: service_id}) | models.Q(
                **{f"{field.attname}__isnull": True}
            )
    # No service of its own (a link table, a device): it follows the record it hangs from.
    for field in fields:
        target = field.related_model
        if target in seen or target is model:
            continue
        inner = _service_filter(target, service_id, (*seen, model))
        if inner is not None:
            pks = target._base_manager.filter(inner).values("pk")
            return models.Q(**{f"{field.name}__in": pks}) | models.Q(
                **{f"{field.attname}__isnull": True}
            )
    return None


def rows_for(model, service_id: int | None) -> models.QuerySet:
    rows = model._base_manager.all()
    if service_id is not None:
        condition = _service_filter(model, service_id)
        if condition is not None:
            rows = rows.filter(condition)
    return rows.order_by("pk")


def _applied_migrations(using=DEFAULT_DB_ALIAS) -> dict[str, list[str]]:
    recorder = MigrationRecorder(connections[using])
    applied: dict[str, list[str]] = {}
    for app, name in sorted(recorder.applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


@dataclass(frozen=True)
class Summary:
    rows: int
    files: int
    counts: dict


def write_backup(output, *, service_id: int | None) -> Summary:
    """Write the backup ZIP to `output` (a path or a binary file)."""
    counts: Counter = Counter()
    media_names: set[str] = set()
    connection = connections[DEFAULT_DB_ALIAS]
    outermost = not connection.in_atomic_block

    def each(model, rows):
        fields = [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
        for obj in rows.iterator(chunk_size=2000):
            counts[model._meta.label] += 1
            media_names.update(getattr(obj, f.attname).name for f in fields)
            media_names.discard("")
            media_names.discard(None)
            yield obj

    with (
        scopes_disabled(),
        transaction.atomic(),
        zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as archive,
    ):
        if outermost and connection.vendor == "postgresql":
            # Every table read at one moment, while the service goes on working.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        if service_id is not None and not (
            _service_model()._base_manager.filter(pk=service_id).exists()
        ):
            raise BackupError(f"There is no service with id {service_id}.")
        with archive.open(DATA, "w") as data:
            text = io.TextIOWrapper(data, encoding="utf-8", newline="\n")
            for model in backed_up_models():
                links = [
                    field.name
                    for field in model._meta.many_to_many
                    if field.remote_field.through._meta.auto_created
                ]
                for obj in each(model, rows_for(model, service_id)):
                    (row,) = serializers.serialize("python", [obj])
                    for name in links:
                        # Written as the link table's own rows instead.
                        del row["fields"][name]
                    text.write(json.dumps(row, cls=ExactEncoder, ensure_ascii=False) + "\n")
            text.flush()
            text.detach()
        for name in sorted(media_names):
            if default_storage.exists(name):
                with default_storage.open(name, "rb") as stored:
                    archive.writestr(MEDIA + name, stored.read())
        manifest = {
            "format": FORMAT,
            "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "service": service_id,
            "migrations": _applied_migrations(),
            "counts": dict(sorted(counts.items())),
            "files": len(media_names),
        }
        archive.writestr(MANIFEST, json.dumps(manifest, indent=1))
    return Summary(rows=sum(counts.values()), files=len(media_names), counts=dict(counts))


BATCH = 500


def _insert(objects: list[models.Model]) -> None:
    """Insert rows exactly as they were, many per statement: a raw insert, as loaddata's
    saves are, so no signal runs (no shipped forms are made, no history rows added), no
    version is bumped and no auto_now time is renewed."""
    model = type(objects[0])
    fields = list(model._meta.local_concrete_fields)
    # SQLite limits the parameters of one statement; PostgreSQL takes the whole batch.
    size = max(1, connections[DEFAULT_DB_ALIAS].ops.bulk_batch_size(fields, objects))
    for start in range(0, len(objects), size):
        model._base_manager._insert(
            objects[start : start + size], fields=fields, raw=True, using=DEFAULT_DB_ALIAS
        )


def database_is_empty() -> bool:
    with scopes_disabled():
        return not any(model._base_manager.exists() for model in backed_up_models())


def restore_backup(source) -> Summary:
    """Load a backup ZIP into an empty database migrated to the backup's migrations."""
    with zipfile.ZipFile(source) as archive:
        try:
            manifest = json.loads(archive.read(MANIFEST))
        except (KeyError, ValueError) as error:
            raise BackupError("This is not a backup made by `manage.py backup`.") from error
        if manifest.get("format") != FORMAT:
            raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
        if manifest["migrations"] != _applied_migrations():
            raise BackupError(
                "The database is not migrated to the same migrations as the backup: run "
                "`manage.py migrate` with the code the backup was made with."
            )
        if not database_is_empty():
            raise BackupError(
                "The database already holds records: restore only into an empty, migrated database."
            )
        counts: Counter = Counter()
        loaded_models = set()
        connection = connections[DEFAULT_DB_ALIAS]
        with scopes_disabled(), transaction.atomic():
            with connection.constraint_checks_disabled(), archive.open(DATA) as data:
                rows = (json.loads(line) for line in io.TextIOWrapper(data, encoding="utf-8"))
                batch: list[models.Model] = []
                for item in serializers.deserialize("python", rows):
                    obj = item.object
                    if item.m2m_data or item.deferred_fields:
                        raise BackupError("This backup holds links this version cannot load.")
                    if batch and (type(batch[0]) is not type(obj) or len(batch) >= BATCH):
                        _insert(batch)
                        batch = []
                    batch.append(obj)
                    counts[obj._meta.label] += 1
                    loaded_models.add(type(obj))
                if batch:
                    _insert(batch)
            connection.check_constraints()
            sequences = connection.ops.sequence_reset_sql(no_style(), list(loaded_models))
            if sequences:
                with connection.cursor() as cursor:
                    for sql in sequences:
                        cursor.execute(sql)
            if dict(counts) != manifest["counts"]:
                raise BackupError(
                    "The backup's data does not match its manifest: nothing restored."
                )
            files = [name for name in archive.namelist() if name.startswith(MEDIA)]
            for entry in files:
                name = entry[len(MEDIA) :]
                content = archive.read(entry)
                if default_storage.exists(name):
                    with default_storage.open(name, "rb") as stored:
                        if stored.read() == content:
                            continue
                    default_storage.delete(name)
                saved = default_storage.save(name, ContentFile(content))
                if saved != name:
                    raise BackupError(f"The file {name} could not be stored under its name.")
    return Summary(rows=sum(counts.values()), files=len(files), counts=dict(counts))
