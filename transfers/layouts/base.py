"""The layout framework: one documented set of columns per record type, checked row by row
(docs/data-lifecycle.md, "Importing past years and exporting everything").

A layout names its columns (each with a meaning, a kind and whether it is required), an
example row, the checks that span several columns, how a checked file is loaded in bulk,
and how the service's records are written back out in the same columns. The check never
writes; the load runs inside the caller's one transaction.
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property

from django.utils import timezone

from casework.models import Case
from pps.access import service_staff
from pps.roles import STAFF
from transfers.cells import CellError, Column, cell_text
from transfers.models import ImportedRow

# The rows of a file shown in its preview.
PREVIEW_ROWS = 20
# How often a check run by the worker tells its page how far it has got (rows).
PROGRESS_EVERY = 1000


@dataclass
class Problem:
    line: int
    column: str
    reason: str

    def as_list(self) -> list:
        return [self.line, self.column, self.reason]


@dataclass
class Checked:
    """A file read and checked: the rows to create, the rows already imported, every bad row."""

    rows: list[dict] = field(default_factory=list)
    already: int = 0
    problems: list[Problem] = field(default_factory=list)
    total: int = 0


class Context:
    """What the checks of one file look up, each read once: the service's code lists, its
    staff, its cases by reference, and the references imported before."""

    def __init__(self, service):
        self.service = service
        self.today = timezone.localdate()
        self.now = timezone.now()
        self._codes: dict = {}

    def code_list(self, model) -> dict:
        if model not in self._codes:
            items = model.objects.filter(service=self.service)
            if hasattr(model, "area"):
                items = items.select_related("area")
            found = {}
            for item in items:
                found[str(item).lower()] = item
                found.setdefault(item.name.lower(), item)
            self._codes[model] = found
        return self._codes[model]

    def code_names(self, model) -> list[str]:
        return sorted({str(item) for item in self.code_list(model).values()})

    @cached_property
    def staff(self) -> dict[str, int]:
        found: dict[str, int] = {}
        names: dict[str, list[int]] = {}
        for pk, username, first, last in (
            service_staff()
            .filter(service=self.service, role__in=STAFF)
            .values_list("pk", "username", "first_name", "last_name")
        ):
            found[username.lower()] = pk
            full = f"{first} {last}".strip().lower()
            if full:
                names.setdefault(full, []).append(pk)
        for full, pks in names.items():
            # A name two colleagues share names neither: the username must be used.
            if len(pks) == 1:
                found.setdefault(full, pks[0])
        return found

    @cached_property
    def cases(self) -> dict[str, tuple[int, object, object]]:
        """The service's cases by reference: (id, opened on, last contact on)."""
        return {
            reference: (pk, opened_on, last_contact_on)
            for reference, pk, opened_on, last_contact_on in Case.objects.filter(
                service=self.service
            ).values_list("reference", "pk", "opened_on", "last_contact_on")
        }

    @cached_property
    def volunteers(self) -> dict[str, tuple[int, str, int | None]]:
        """The service's volunteers by the reference they were imported under, and by full
        name where it names one only: (id, role, their account's user id)."""
        from volunteers.models import Volunteer

        found, names, people = {}, {}, {}
        for pk, first, last, role, user_id in Volunteer.objects.filter(
            service=self.service
        ).values_list("pk", "first_name", "last_name", "role", "user_id"):
            people[pk] = (pk, role, user_id)
            names.setdefault(f"{first} {last}".strip().lower(), []).append(pk)
        for name, pks in names.items():
            if len(pks) == 1:
                found[name] = people[pks[0]]
        for reference, pk in self.imported("volunteers").items():
            if pk in people:
                found[reference.lower()] = people[pk]
        return found

    def imported(self, layout: str) -> dict[str, int]:
        key = f"_imported_{layout}"
        if key not in self.__dict__:
            self.__dict__[key] = dict(
                ImportedRow.objects.filter(service=self.service, layout=layout).values_list(
                    "reference", "object_id"
                )
            )
        return self.__dict__[key]


def no_such_case(reference: str) -> tuple[str, str]:
    """The fault of a row whose case_reference names no case of the service."""
    return "case_reference", f"No case of this service has the reference “{reference}”."


def staff_name(user) -> str:
    """A member of staff as a StaffMember column names them: full name, else username."""
    return (user.get_full_name() or user.username) if user else ""


def names_by_owner(relation, service) -> dict[int, list[str]]:
    """The code-list names of a many-to-many (`Case.secondary_reasons`), per owner id, in
    the code list's order: one query, for an export."""
    through = relation.through
    owner = relation.field.m2m_field_name()
    code = relation.field.m2m_reverse_field_name()
    names = defaultdict(list)
    for owner_id, name in (
        through.objects.filter(**{f"{owner}__service": service})
        .order_by(f"{owner}_id", f"{code}__position", f"{code}__name")
        .values_list(f"{owner}_id", f"{code}__name")
    ):
        names[owner_id].append(name)
    return names


class Layout:
    key: str
    title: str
    columns: tuple[Column, ...]
    example: dict[str, str]
    preview_columns: tuple[str, ...]
    # What a load creates, by record type, in the words the preview uses.
    creates: tuple[str, ...]

    @property
    def header(self) -> list[str]:
        return [column.name for column in self.columns]

    def column(self, name: str) -> Column:
        return next(column for column in self.columns if column.name == name)

    def check_file(self, header: list[str], rows: Iterable, context: Context, progress=None):
        """Every row parsed and checked; nothing written. `progress(rows_checked)` is
        called every few thousand rows."""
        checked = Checked()
        missing = [c.name for c in self.columns if c.required and c.name not in header]
        unknown = [name for name in header if name and name not in self.header]
        if missing:
            checked.problems.append(
                Problem(1, "", "Missing column(s): " + ", ".join(missing) + ".")
            )
        if unknown:
            checked.problems.append(
                Problem(1, "", "Column(s) this layout does not have: " + ", ".join(unknown) + ".")
            )
        if missing or unknown:
            return checked
        imported = context.imported(self.key)
        seen: dict[str, int] = {}
        for line, raw in rows:
            checked.total += 1
            if progress and checked.total % PROGRESS_EVERY == 0:
                progress(checked.total)
            values, problems = self._parse(line, raw, context)
            reference = values.get("reference")
            if reference and reference in imported:
                checked.already += 1
                continue
            if reference:
                if reference in seen:
                    problems.append(
                        Problem(
                            line,
                            "reference",
                            f"The reference “{reference}” is also on line {seen[reference]}.",
                        )
                    )
                else:
                    seen[reference] = line
            if not problems:
                problems = [
                    Problem(line, column, reason)
                    for column, reason in self.check_row(values, context)
                ]
            if problems:
                checked.problems.extend(problems)
            else:
                values["_line"] = line
                checked.rows.append(values)
        if not checked.problems:
            checked.problems.extend(
                Problem(line, column, reason)
                for line, column, reason in self.check_together(checked.rows, context)
            )
        return checked

    def _parse(self, line: int, raw: dict, context: Context) -> tuple[dict, list[Problem]]:
        values, problems = {}, []
        for column in self.columns:
            cell = raw.get(column.name)
            if not cell_text(cell):
                if column.required:
                    problems.append(Problem(line, column.name, "Required, but empty."))
                values[column.name] = column.kind.empty
                continue
            try:
                values[column.name] = column.kind.parse(cell, context)
            except CellError as error:
                problems.append(Problem(line, column.name, str(error)))
                values[column.name] = column.kind.empty
        return values, problems

    def check_row(self, values: dict, context: Context) -> Iterable[tuple[str, str]]:
        """Checks across the columns of one row: (column, reason) for each fault."""
        return ()

    def check_together(self, rows: list[dict], context: Context) -> Iterable[tuple]:
        """Checks across rows of the file: (line, column, reason) for each fault."""
        return ()

    def counts(self, rows: list[dict], context: Context) -> dict[str, int]:
        return {self.creates[0]: len(rows)}

    def preview(self, rows: list[dict]) -> list[list[str]]:
        return [
            [self.column(name).kind.format(row[name]) for name in self.preview_columns]
            for row in rows[:PREVIEW_ROWS]
        ]

    def load(self, rows: list[dict], context: Context, *, by, run) -> dict[str, int]:
        raise NotImplementedError

    def as_given(self, row: dict, *, besides: tuple[str, ...]) -> dict:
        """The row's values that its record takes as they are, into its fields of the
        columns' names: every column's but the reference's and those named `besides`."""
        return {
            column.name: row[column.name]
            for column in self.columns
            if column.name != "reference" and column.name not in besides
        }

    def export(self, service) -> Iterator[list]:
        raise NotImplementedError

    def export_row(self, record, **values) -> list[str]:
        """`record` as a row of this layout, each cell written by its column's kind: the
        value of a column named in `values` is given there, any other's is the record's
        attribute of the column's name."""
        return [
            column.kind.format(
                values[column.name] if column.name in values else getattr(record, column.name)
            )
            for column in self.columns
        ]

    def remember(self, context: Context, pairs: Iterable[tuple[str, int]], run, layout=None):
        """Record which row each external reference became (ImportedRow), in bulk."""
        ImportedRow.objects.bulk_create(
            (
                ImportedRow(
                    service=context.service,
                    layout=layout or self.key,
                    reference=reference,
                    object_id=object_id,
                    run=run,
                )
                for reference, object_id in pairs
            ),
            batch_size=5000,
        )

    def remember_rows(self, context: Context, rows: list[dict], created, run):
        """Record each row's own reference against the record made from it."""
        pairs = ((row["reference"], obj.pk) for row, obj in zip(rows, created, strict=True))
        self.remember(context, pairs, run)
