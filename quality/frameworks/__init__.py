"""Shipped frameworks and the CSV layout they share with a coordinator's import.

The layout (also shown on the import page): a header row, then one row per standard.

    theme_code,theme_title,standard_code,standard_text
    1,Working with parents,1a,Access to IPS

- `theme_code` (required) groups standards into themes, in the order themes first appear;
  every row of one theme gives the same `theme_title` (it may be empty).
- `standard_code` is unique in the file; `standard_text` is the wording.
- A row with a theme but no standard code and no text declares a theme that has no
  standards yet (Charter Mark criteria whose elements are not recorded).
- UTF-8 (a byte-order mark from Excel is fine), comma-separated, double quotes around text
  containing commas. The rating scale is given beside the file, best level first.
"""

import csv
import hashlib
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

HEADER = ["theme_code", "theme_title", "standard_code", "standard_text"]
MAX_CODE = 20
MAX_THEME_TITLE = 300
MAX_STANDARD_TEXT = 4000
# Level.label's length: a longer level name could not be stored.
MAX_LEVEL = 60
MAX_ROWS = 2000


@dataclass
class ParsedTheme:
    code: str
    title: str
    standards: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class ParsedFramework:
    themes: list[ParsedTheme]
    # Best first, as the seeds print them.
    scale: list[str]

    def fingerprint(self) -> str:
        content = {
            "scale": self.scale,
            "themes": [[t.code, t.title, t.standards] for t in self.themes],
        }
        return hashlib.sha256(json.dumps(content, ensure_ascii=False).encode()).hexdigest()


class LayoutError(Exception):
    """The file does not follow the layout: `problems` lists (line number, reason)."""

    def __init__(self, problems: list[tuple[int, str]]):
        super().__init__(f"{len(problems)} problem(s) in the file")
        self.problems = problems


def parse_scale(text: str) -> list[str]:
    return [label.strip() for label in text.replace("\n", ",").split(",") if label.strip()]


def scale_problems(scale: list[str]) -> list[str]:
    """What is wrong with a rating scale (best level first), in words for the coordinator."""
    problems = []
    if len(scale) < 2:
        problems.append("A rating scale needs at least two levels.")
    if len(set(scale)) != len(scale):
        problems.append("Each level of the scale must be different.")
    long = [label for label in scale if len(label) > MAX_LEVEL]
    if long:
        problems.append(
            f"A level's name can be at most {MAX_LEVEL} characters; longer: "
            + ", ".join(f"“{label[:30]}…”" for label in long)
            + "."
        )
    return problems


def parse_framework_csv(text: str, scale: list[str]) -> ParsedFramework:
    """Read a framework in the documented layout, or raise LayoutError listing every bad row.

    Nothing is partly read: a file with any bad row gives no framework at all.
    """
    problems: list[tuple[int, str]] = []
    text = text.lstrip("\ufeff")
    rows: list[tuple[int, list[str]]] = []
    # Strict: a quoted cell whose closing quote is missing would otherwise swallow every
    # line after it into one cell and be imported as a standard's text.
    reader = csv.reader(io.StringIO(text), strict=True)
    line = 1  # where the next row starts: a quoted cell may run over several lines
    try:
        # Stop one row past the limit: the size check below reports it without reading on.
        for row in reader:
            rows.append((line, row))
            line = reader.line_num + 1
            if len(rows) > MAX_ROWS + 1:
                break
    except csv.Error as error:
        # The reader cannot go on after this: the one bad line is all there is to report.
        if "field limit" in str(error):
            reason = f"A cell is longer than {csv.field_size_limit():,} characters."
        elif "unexpected end of data" in str(error):
            reason = (
                "A cell on this line opens a quotation mark that is never closed: "
                "add the closing quote mark."
            )
        else:
            reason = f"This line is not valid CSV ({error})."
        raise LayoutError([(line, reason)]) from error
    if not rows or [cell.strip().lower() for cell in rows[0][1]] != HEADER:
        raise LayoutError([(1, "The first row must be the header: " + ",".join(HEADER) + ".")])
    if len(rows) > MAX_ROWS + 1:
        raise LayoutError([(rows[-1][0], f"A framework has at most {MAX_ROWS} standards.")])
    themes: dict[str, ParsedTheme] = {}
    seen_codes: dict[str, int] = {}
    for line, row in rows[1:]:
        if not any(cell.strip() for cell in row):
            continue
        if any("\x00" in cell for cell in row):
            # csv reads a NUL happily, but no database text column can store one.
            problems.append(
                (line, "The line contains a NUL character: save the file as “CSV UTF-8” text.")
            )
            continue
        if len(row) != len(HEADER):
            problems.append((line, f"Expected 4 columns, found {len(row)}."))
            continue
        theme_code, theme_title, code, wording = (cell.strip() for cell in row)
        reasons = []
        if not theme_code:
            reasons.append("the theme code is empty")
        elif len(theme_code) > MAX_CODE:
            reasons.append(f"the theme code is longer than {MAX_CODE} characters")
        if len(theme_title) > MAX_THEME_TITLE:
            reasons.append(f"the theme title is longer than {MAX_THEME_TITLE} characters")
        if code and not wording:
            reasons.append(f"standard {code} has no text")
        if wording and not code:
            reasons.append("the standard code is empty")
        if len(code) > MAX_CODE:
            reasons.append(f"the standard code is longer than {MAX_CODE} characters")
        if len(wording) > MAX_STANDARD_TEXT:
            reasons.append(f"the standard text is longer than {MAX_STANDARD_TEXT:,} characters")
        if code and code in seen_codes:
            reasons.append(f"standard code {code} is already used on line {seen_codes[code]}")
        theme = themes.get(theme_code)
        if theme and theme.title != theme_title:
            reasons.append(
                f"theme {theme_code} is titled “{theme.title}” on an earlier line, "
                f"“{theme_title}” here"
            )
        if reasons:
            message = "; ".join(reasons)
            problems.append((line, message[0].upper() + message[1:] + "."))
            continue
        if theme is None:
            theme = themes[theme_code] = ParsedTheme(theme_code, theme_title)
        if code:
            seen_codes[code] = line
            theme.standards.append((code, wording))
    if not problems and not seen_codes:
        problems.append((len(rows), "The file has no standards."))
    if problems:
        raise LayoutError(problems)
    return ParsedFramework(themes=list(themes.values()), scale=scale)


@dataclass(frozen=True)
class ShippedFramework:
    key: str
    name: str
    scale: tuple[str, ...]
    description: str

    def parse(self) -> ParsedFramework:
        # Shipped beside this module, each in the file named by its key.
        text = (Path(__file__).parent / f"{self.key}.csv").read_text(encoding="utf-8")
        return parse_framework_csv(text, list(self.scale))


SHIPPED = [
    ShippedFramework(
        key="dcsf-exemplars-2007",
        name="DCSF exemplification of minimum standards (2007)",
        scale=("Best practice", "Good practice", "Minimum practice", "Non-compliant"),
        description=(
            "The 17 exemplars under 8 themes of 'Parent Partnership Services: increasing "
            "parental confidence' (DCSF 2007), as the national benchmarking survey of 2009 "
            "printed them (charts 55-71). Codes are theme and exemplar numbers."
        ),
    ),
    ShippedFramework(
        key="national-service-standards-2012",
        name="National service standards (2012 resume)",
        scale=("Best practice", "Good practice", "Non-compliant"),
        description=(
            "The resume of PPS performance against the national service standards, 1a-6e, "
            "as Bath and North East Somerset printed it (annual report 2012-13, appendix 2)."
        ),
    ),
    ShippedFramework(
        key="regional-benchmarking-standards",
        name="Regional benchmarking service standards",
        scale=("Met", "On going", "Not met"),
        description=(
            "The benchmarking service standards 1.1.1-7.6 of the regional parent partnership "
            "network, used for development plans with Evidence and Progress columns "
            "(annual report 2012-13 of Bath and North East Somerset, appendices 3 and 4)."
        ),
    ),
    ShippedFramework(
        key="charter-mark",
        name="Charter Mark",
        scale=("Best practice", "Full compliance", "Partial compliance", "Major non-compliance"),
        description=(
            "Charter Mark criteria 1-6 with the elements the Leeds health check of 2009 "
            "cites (1.3.3, 1.3.4, 4.2.3, 4.3.4, 4.3.5, 6.2.4), worded from that report. "
            "Import the full standard (or Customer Service Excellence) from CSV to add the rest."
        ),
    ),
]
