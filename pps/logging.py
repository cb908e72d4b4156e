"""Logs as JSON lines that hold no tokens and no personal data.

One object per line: time, level, logger, message, and for a request its method, path,
status and duration. Two things a request's address can carry are never written:

- the token of a one-time evaluation link (/e/<service>/<token>/): whoever reads the log
  could answer the form as the parent; the path is kept with the token masked;
- the query string: search boxes put names, references and postcodes there.

`RedactFilter` rewrites a record's message before any handler formats it, and
`JsonFormatter` writes the line, masking again whatever reaches it (a traceback, a
gunicorn access record). `RequestLogMiddleware` writes the one line per request.
"""

import datetime as dt
import json
import logging
import re
import time

# /e/<service>/<token>/ with the token in any spelling a person might type or a guesser try,
# spaces included (a decoded path keeps them): up to the next slash, masking too much rather
# than too little.
_LINK_PATH = re.compile(r"(/e/\d+/)[^/?#\"']+")
# A query string: from "?" up to the end of the address it belongs to.
_QUERY = re.compile(r"\?[^\s\"']*")
MASK = "[masked]"

request_logger = logging.getLogger("pps.request")


def mask(text: str) -> str:
    """The text with evaluation-link tokens masked and query strings dropped."""
    return _QUERY.sub("", _LINK_PATH.sub(rf"\g<1>{MASK}", text))


def masked_path(path: str) -> str:
    return mask(path.split("?", 1)[0])


class RedactFilter(logging.Filter):
    """Rewrites each record's message with tokens masked and query strings dropped."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == "gunicorn.access":
            # Its args are the access-log atoms that JsonFormatter reads; it masks them.
            return True
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            message = str(record.msg)
        record.msg, record.args = mask(message), ()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
        }
        entry.update(self._request_fields(record))
        if record.name == "gunicorn.access" and isinstance(record.args, dict):
            entry["message"] = " ".join(
                str(entry[name]) for name in ("method", "path", "status") if name in entry
            )
        else:
            entry["message"] = mask(record.getMessage())
        if record.exc_info:
            entry["exception"] = mask(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False, default=str)

    @staticmethod
    def _request_fields(record: logging.LogRecord) -> dict:
        if record.name == "gunicorn.access" and isinstance(record.args, dict):
            atoms = record.args
            fields = {"method": atoms.get("m"), "path": masked_path(atoms.get("U") or "")}
            if str(atoms.get("s", "")).isdecimal():
                fields["status"] = int(atoms["s"])
            if str(atoms.get("D", "")).isdecimal():
                fields["duration_ms"] = round(int(atoms["D"]) / 1000, 1)
            return fields
        fields = {}
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "method"):
            # Django's own loggers (django.request, django.security) attach the request.
            fields["method"] = request.method
            fields["path"] = masked_path(getattr(request, "path", ""))
        for name in ("method", "path", "status", "duration_ms"):
            value = getattr(record, f"http_{name}", None)
            if value is not None:
                fields[name] = masked_path(value) if name == "path" else value
        status = getattr(record, "status_code", None)
        if status is not None and "status" not in fields:
            fields["status"] = status
        return fields


class RequestLogMiddleware:
    """One log line per request: method, masked path, status and milliseconds taken."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        if request_logger.isEnabledFor(logging.INFO):
            duration = round((time.perf_counter() - started) * 1000, 1)
            path = masked_path(request.path)
            request_logger.info(
                "%s %s %s",
                request.method,
                path,
                response.status_code,
                extra={
                    "http_method": request.method,
                    "http_path": path,
                    "http_status": response.status_code,
                    "http_duration_ms": duration,
                },
            )
        return response


def logging_config(level: str = "WARNING", request_level: str = "INFO") -> dict:
    """The LOGGING setting: everything through the filter and out as JSON on stderr."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"redact": {"()": "pps.logging.RedactFilter"}},
        "formatters": {"json": {"()": "pps.logging.JsonFormatter"}},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "filters": ["redact"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # runserver's own request lines carry the query string; ours replace them.
            "django.server": {"handlers": [], "level": "ERROR", "propagate": False},
            "pps.request": {"handlers": ["console"], "level": request_level, "propagate": False},
        },
    }
