# Dates as "24 November 2026" everywhere (DEVELOPERS.md), overriding Django's "24 Nov 2026".
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "j F Y"
SHORT_DATETIME_FORMAT = "j F Y, H:i"
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d %B %Y", "%d %b %Y"]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    # As pps.forms.DateTimeInput shows a time, and as people write one (24/11/26 14:30,
    # 24 November 2026 14:30).
    "%d/%m/%Y %H:%M",
    "%d/%m/%y %H:%M",
    "%d %B %Y %H:%M",
    "%d %b %Y %H:%M",
]
