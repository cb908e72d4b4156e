"""The kinds of column a layout has: how a cell is read, what it may hold, how it is written.

Each kind reads one cell of an uploaded row (text from a CSV, or what openpyxl gives for an
XLSX cell: text, a number or a datetime) and either returns the value or raises CellError
with the reason shown beside the row's line number in the preview. `format` writes the value
back the way `parse` reads it, so an export imports unchanged (docs/data-lifecycle.md).
"""

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache

from django.db import models
from django.utils import timezone

from pps.exports import FORMULA_STARTS

LIST_SEPARATOR = ";"
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d %B %Y", "%d %b %Y")
_TIME_FORMATS = ("%H:%M", "%H:%M:%S")
_WHOLE = re.compile(r"[0-9]{1,9}")


class CellError(Exception):
    pass


def cell_text(raw) -> str:
    """A cell as text: numbers a spreadsheet stored as 12.0 read as 12."""
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, dt.datetime):
        return raw.strftime("%Y-%m-%d %H:%M")
    if isinstance(raw, dt.date):
        return raw.isoformat()
    return str(raw).strip()


def read_date(raw) -> dt.date:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    text = cell_text(raw)
    try:
        # The common case, and the export's own format: far quicker than strptime.
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    for pattern in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise CellError(f"“{text}” is not a date: write it as 2019-03-28 or 28/03/2019.")


def _read_moment(text: str) -> dt.datetime:
    if len(text) == 16:
        # 2019-03-28 14:30, as the export writes it: the quick way first.
        try:
            return dt.datetime.fromisoformat(text)
        except ValueError:
            pass
    date_text, _, time_text = text.partition(" ")
    day = read_date(date_text)
    if not time_text.strip():
        return dt.datetime.combine(day, dt.time(12))
    for pattern in _TIME_FORMATS:
        try:
            return dt.datetime.combine(day, dt.datetime.strptime(time_text.strip(), pattern).time())
        except ValueError:
            continue
    raise CellError(f"“{text}” is not a date and time: write it as 2019-03-28 14:30.")


def _not_future(day: dt.date, today: dt.date) -> None:
    if day > today:
        raise CellError(f"{day:%-d %B %Y} is in the future.")


@dataclass(frozen=True)
class Kind:
    description = "text"
    # What an empty cell reads as. A kind whose value is a list or a dict makes a new one
    # each time (a property), so that no two rows share it.
    empty = ""

    def parse(self, raw, context):
        return cell_text(raw)

    def format(self, value) -> str:
        return "" if value is None else str(value)

    def allowed(self, context) -> list[str]:
        return []


@dataclass(frozen=True)
class Text(Kind):
    max_length: int | None = None

    def parse(self, raw, context):
        text = cell_text(raw)
        # Our exports quote a cell that a spreadsheet would take for a formula
        # (pps.exports.safe_cell); the quote is not part of the value.
        if text.startswith("'") and text[1:2] and text[1:].startswith(FORMULA_STARTS):
            text = text[1:]
        if self.max_length and len(text) > self.max_length:
            raise CellError(f"Longer than {self.max_length} characters.")
        return text


@dataclass(frozen=True)
class Date(Kind):
    past_only: bool = True
    description = "date (2019-03-28 or 28/03/2019)"
    empty = None

    def parse(self, raw, context):
        day = read_date(raw)
        if self.past_only:
            _not_future(day, context.today)
        return day

    def format(self, value) -> str:
        return value.isoformat() if value else ""


@dataclass(frozen=True)
class DateList(Kind):
    description = "dates separated by ;"

    def parse(self, raw, context):
        days = []
        for part in cell_text(raw).split(LIST_SEPARATOR):
            if part.strip():
                day = read_date(part.strip())
                _not_future(day, context.today)
                days.append(day)
        return days

    def format(self, value) -> str:
        return f"{LIST_SEPARATOR} ".join(day.isoformat() for day in value or ())

    @property
    def empty(self):
        return []


@dataclass(frozen=True)
class DateTime(Kind):
    """A time of day in the service's time zone; a date alone is taken as midday."""

    description = "date and time (2019-03-28 14:30), or a date"
    empty = None

    def parse(self, raw, context):
        moment = raw if isinstance(raw, dt.datetime) else _read_moment(cell_text(raw))
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        if moment > context.now:
            raise CellError(f"{timezone.localtime(moment):%-d %B %Y %H:%M} is in the future.")
        return moment

    def format(self, value) -> str:
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


@dataclass(frozen=True)
class WholeNumber(Kind):
    minimum: int = 0
    description = "whole number"
    empty = 0

    def parse(self, raw, context):
        text = cell_text(raw)
        if not _WHOLE.fullmatch(text):
            raise CellError(f"“{text}” is not a whole number.")
        number = int(text)
        if number < self.minimum:
            raise CellError(f"Must be at least {self.minimum}.")
        return number


@dataclass(frozen=True)
class YesNo(Kind):
    description = "yes or no"
    empty = None
    _YES = ("yes", "y", "true", "1")
    _NO = ("no", "n", "false", "0")

    def parse(self, raw, context):
        text = cell_text(raw).lower()
        if text in self._YES:
            return True
        if text in self._NO:
            return False
        raise CellError(f"“{cell_text(raw)}” is not yes or no.")

    def format(self, value) -> str:
        return "" if value is None else ("yes" if value else "no")

    def allowed(self, context) -> list[str]:
        return ["yes", "no"]


@cache
def _choice_lookup(choices) -> dict[str, str]:
    """A vocabulary's codes and labels, lower-cased, to its codes (made once per list)."""
    found = {}
    for value, label in choices.choices:
        if value:
            found[value.lower()] = value
            found[str(label).lower()] = value
    return found


@dataclass(frozen=True)
class Choice(Kind):
    """One of a fixed vocabulary (casework.enums): its code or its label."""

    choices: type[models.TextChoices] = None
    description = "code"

    def parse(self, raw, context):
        text = cell_text(raw)
        value = _choice_lookup(self.choices).get(text.lower())
        if value is None:
            raise CellError(f"“{text}” is not one of the allowed codes.")
        return value

    def allowed(self, context) -> list[str]:
        return [f"{value} ({label})" for value, label in self.choices.choices if value]


@dataclass(frozen=True)
class CodeListValue(Kind):
    """A value of one of the service's own code lists (casework.models.codelists), by name."""

    model: type = None
    description = "name from the service's list"
    empty = None

    def parse(self, raw, context):
        text = cell_text(raw)
        item = context.code_list(self.model).get(text.lower())
        if item is None:
            raise CellError(
                f"“{text}” is not in the service's list of {self.model._meta.verbose_name_plural}."
            )
        return item

    def format(self, value) -> str:
        return str(value) if value else ""

    def allowed(self, context) -> list[str]:
        return context.code_names(self.model)


@dataclass(frozen=True)
class CodeListValues(CodeListValue):
    description = "names from the service's list, separated by ;"

    def parse(self, raw, context):
        return [
            super(CodeListValues, self).parse(part, context)
            for part in cell_text(raw).split(LIST_SEPARATOR)
            if part.strip()
        ]

    def format(self, value) -> str:
        return f"{LIST_SEPARATOR} ".join(str(item) for item in value or ())

    @property
    def empty(self):
        return []


@dataclass(frozen=True)
class StaffMember(Kind):
    """A member of the service's staff: their username, or their full name."""

    description = "username or full name of a member of staff"
    empty = None

    def parse(self, raw, context):
        text = cell_text(raw)
        user_id = context.staff.get(text.lower())
        if user_id is None:
            raise CellError(f"No member of staff of this service is called “{text}”.")
        return user_id


@dataclass(frozen=True)
class Column:
    name: str
    meaning: str
    kind: Kind = field(default_factory=Text)
    required: bool = False


@dataclass(frozen=True)
class StatusHistory(Kind):
    """Dated statuses, earliest first: "enquirer 2019-01-05; active 2019-06-01"."""

    choices: type[models.TextChoices] = None
    description = "statuses with their dates, earliest first, separated by ;"

    def parse(self, raw, context):
        lookup = Choice(choices=self.choices)
        history = []
        for part in cell_text(raw).split(LIST_SEPARATOR):
            if not part.strip():
                continue
            status, _, day = part.strip().rpartition(" ")
            if not status:
                raise CellError(f"“{part.strip()}” is not a status and a date.")
            on = read_date(day)
            _not_future(on, context.today)
            if history and on < history[-1][1]:
                raise CellError("The statuses are not in date order.")
            history.append((lookup.parse(status, context), on))
        return history

    def format(self, value) -> str:
        return f"{LIST_SEPARATOR} ".join(f"{status} {on.isoformat()}" for status, on in value or ())

    def allowed(self, context) -> list[str]:
        return Choice(choices=self.choices).allowed(context)

    @property
    def empty(self):
        return []


@dataclass(frozen=True)
class Month(Kind):
    description = "month (2019-03), or any date in it"
    empty = None

    def parse(self, raw, context):
        text = cell_text(raw)
        if len(text) == 7 and text[4] == "-":
            text += "-01"
        day = read_date(text if not isinstance(raw, dt.date) else raw).replace(day=1)
        if day > context.today.replace(day=1):
            raise CellError("This month has not started yet.")
        return day

    def format(self, value) -> str:
        return value.strftime("%Y-%m") if value else ""


@dataclass(frozen=True)
class Hours(Kind):
    description = "hours, up to 2 decimal places"
    empty = Decimal(0)

    def parse(self, raw, context):
        text = cell_text(raw)
        try:
            hours = Decimal(text)
        except InvalidOperation:
            raise CellError(f"“{text}” is not a number of hours.") from None
        if not hours.is_finite() or hours < 0 or hours > 999 or hours != round(hours, 2):
            raise CellError("Hours must be between 0 and 999, to 2 decimal places.")
        return hours

    def format(self, value) -> str:
        return "" if value is None else f"{value:.2f}"
