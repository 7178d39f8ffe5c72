"""Log records as one JSON line each, so a log shipper never splits a traceback."""

import json
import logging
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
