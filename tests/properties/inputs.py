"""What a person or a spreadsheet might type: hypothesis strategies for form values.

Each strategy yields strings, as they arrive over HTTP. They lean towards the inputs that
broke Django products before: NUL bytes (no PostgreSQL text column stores one), CR/LF
(headers), digits that `str.isdigit()` accepts but `int()` refuses ("²"), other scripts'
digits ("٣", which `int()` accepts), markup, emoji, very long text, impossible dates and
numbers too large for any column.
"""

import datetime as dt
import os

from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import strategies as st

# Examples per form posted through HTTP: each costs a request and two table snapshots.
# Raise it to search harder locally, e.g. PPS_PROPERTY_EXAMPLES=200.
HTTP_EXAMPLES = int(os.environ.get("PPS_PROPERTY_EXAMPLES", "8"))

AWKWARD_TEXT = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "line one\r\nline two",
    "\r\n",
    "Subject\r\nBcc: someone@example.com",
    "²",
    "٣",
    "١٢",
    "<script>alert(1)</script>",
    "<b>bold</b> & \"quoted\" 'single'",
    "{{ request }}",
    '=HYPERLINK("http://example.com")',
    "😀👨‍👩‍👧",
    "Zo\u00eb O\u2019Brien-\u0141ukasz",
    "x" * 5000,
    "é" * 301,
    "\u202eevil",
    "\t",
    "NULL",
    "None",
]

AWKWARD_DATES = [
    "2023-02-30",
    "2023-02-29",
    "2024-02-29",
    "2024-13-01",
    "2024-00-10",
    "0000-00-00",
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "-2024-01-01",
    "31/12/2024",
    "12/31/2024",
    "24 November 2026",
    "2026-11-24T25:61",
    "2026-11-24T10:30",
    "2026-11-24 10:30:00+14:00",
    "2026-11-24T10:30:00Z",
    "1970-01-01",
    "1899-12-31",
    "\u0662\u0660\u0662\u0664-\u0660\u0661-\u0660\u0661",  # Arabic-Indic digits
    "2024-²-01",
    "today",
    "10:30",
    "25:00",
    "99:99",
]

AWKWARD_NUMBERS = [
    "0",
    "-1",
    "-0",
    "0.5",
    "1.0",
    "1e3",
    "1e309",
    "-1e309",
    "NaN",
    "nan",
    "Infinity",
    "-inf",
    "²",
    "٣",
    "1_000",
    "1,000",
    " 7 ",
    "2147483648",
    "9223372036854775808",
    "99999999999999999999999999999999",
    "0x10",
    "+5",
]


def _iso(day: dt.date) -> str:
    return day.isoformat()


text = st.one_of(
    st.sampled_from(AWKWARD_TEXT),
    st.text(max_size=30),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=300),
)

dates = st.one_of(
    st.sampled_from(AWKWARD_DATES),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)).map(_iso),
    st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31)).map(
        lambda at: at.strftime("%Y-%m-%dT%H:%M")
    ),
    st.tuples(st.integers(-5, 10000), st.integers(-1, 13), st.integers(-1, 32)).map(
        lambda ymd: f"{ymd[0]:04d}-{ymd[1]:02d}-{ymd[2]:02d}"
    ),
)

numbers = st.one_of(
    st.sampled_from(AWKWARD_NUMBERS),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
)

anything = st.one_of(text, dates, numbers)

file_names = st.one_of(
    st.sampled_from(
        ["notes.txt", "policy.pdf", "frame.csv", "a" * 300 + ".pdf", ".pdf", "no-extension", ""]
    ),
    st.text(alphabet=st.characters(codec="utf-8", exclude_characters="/\\\x00"), max_size=60),
)

file_bodies = st.one_of(
    st.binary(max_size=2000),
    text.map(lambda value: value.encode("utf-8")),
    st.sampled_from(
        [
            b"",
            b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF",
            b"\xef\xbb\xbftheme_code,theme_title,standard_code,standard_text\n1,T,1a,S\n",
            b'theme_code,theme_title,standard_code,standard_text\n1,"unclosed,1a,S\n',
            b"\xff\xfe\x00\x00",
            b"PK\x03\x04",
        ]
    ),
)


def upload(name: str, body: bytes) -> SimpleUploadedFile:
    # A name the browser could not send ("", ".", "..") stands for an unnamed file.
    return SimpleUploadedFile(name if name.strip(". ") else "upload", body)
