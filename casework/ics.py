"""An appointment as an iCalendar file (RFC 5545), to add to Outlook or any other calendar.

One event with a handful of properties does not need a library: the rules that matter are
written here (CRLF line ends, lines folded at 75 octets, text escaped, times in UTC).

The file leaves the system (it is saved to a laptop, synced to a phone, forwarded), so it
carries as little personal data as will do: the kind of appointment, the case reference and
the place. Never the parent's or child's name, who attends or any note; the officer opens
the case for those (docs/appointments.md).
"""

import datetime as dt

from django.conf import settings

from casework.enums import AppointmentStatus
from casework.models import Appointment

# RFC 5545 3.1: a content line is at most 75 octets, not counting its CRLF.
LINE_OCTETS = 75


def escape_text(text: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and line breaks escaped."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> bytes:
    """One content line in UTF-8, folded into pieces of at most 75 octets (the continuation
    lines start with a space, which counts), never inside a character's bytes."""
    pieces, piece, limit = [], b"", LINE_OCTETS
    for character in line:
        encoded = character.encode()
        if len(piece) + len(encoded) > limit:
            pieces.append(piece)
            piece, limit = b" ", LINE_OCTETS
        piece += encoded
    pieces.append(piece)
    return b"\r\n".join(pieces) + b"\r\n"


def utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def uid(appointment: Appointment) -> str:
    """The same for an appointment every time it is downloaded, so that a calendar updates
    the event it already has (with SEQUENCE) instead of adding a second one."""
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "localhost"
    return f"appointment-{appointment.service_id}-{appointment.pk}@{domain}"


def appointment_calendar(appointment: Appointment, *, reference: str, stamp: dt.datetime) -> bytes:
    """The appointment as a VCALENDAR of one VEVENT. `reference` is its case's reference;
    `stamp` the time the file is made (DTSTAMP)."""
    cancelled = appointment.status == AppointmentStatus.CANCELLED
    summary = f"{appointment.get_kind_display()}: case {reference}"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//SENDIASS casework//Appointments//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{uid(appointment)}",
        f"DTSTAMP:{utc(stamp)}",
        # Every change of the booking is a new version: the calendar keeps the latest.
        f"SEQUENCE:{appointment.version}",
        f"DTSTART:{utc(appointment.starts_at)}",
        f"DTEND:{utc(appointment.ends_at)}",
        f"SUMMARY:{escape_text(('Cancelled: ' if cancelled else '') + summary)}",
    ]
    if appointment.place:
        lines.append(f"LOCATION:{escape_text(appointment.place)}")
    lines += [
        f"DESCRIPTION:{escape_text(f'Case {reference}: the details are in the case record.')}",
        f"STATUS:{'CANCELLED' if cancelled else 'CONFIRMED'}",
        "TRANSP:OPAQUE",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return b"".join(fold(line) for line in lines)
