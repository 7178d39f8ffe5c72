"""Log records as one JSON line each, so a log shipper never splits a traceback."""

import json
import logging
import sys
from datetime import UTC, datetime


class OneLineFormatter(logging.Formatter):
    def format(self, record):
        event = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request = getattr(record, "request", None)
        path = getattr(request, "path", None)
        if path:
            event["path"] = path
            event["method"] = getattr(request, "method", None)
        status = getattr(record, "status_code", None)
        if status:
            event["status"] = status
        if record.exc_info:
            event["exception"] = self.formatException(record.exc_info)
        return json.dumps(event, default=str)


class ExpectedStopIsInfo(logging.Filter):
    """The task worker announces an ordinary SIGTERM or Ctrl-C as a warning; it is news, not a fault."""

    def filter(self, record):
        if record.levelno == logging.WARNING and "shutting down gracefully" in record.getMessage():
            record.levelno, record.levelname = logging.INFO, "INFO"
        return True


def logging_settings(level):
    """The LOGGING setting: every record one JSON line on stdout, noisy libraries turned down."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"line": {"()": "canary.logging.OneLineFormatter"}},
        "filters": {"expected_stop": {"()": "canary.logging.ExpectedStopIsInfo"}},
        "handlers": {
            "stdout": {
                "class": "logging.StreamHandler",
                "stream": sys.stdout,
                "formatter": "line",
                "filters": ["expected_stop"],
            }
        },
        "root": {"handlers": ["stdout"], "level": level},
        "loggers": {
            "django": {"handlers": ["stdout"], "level": level, "propagate": False},
            "django.db.backends": {"level": "INFO"},
            # The stripe library logs every API call at INFO; its errors reach us as exceptions.
            "stripe": {"level": "WARNING"},
            # django-axes narrates every sign-in at INFO; canary.security logs what matters.
            "axes": {"level": "WARNING"},
        },
    }
