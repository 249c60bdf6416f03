"""One line per event, as ``key=value`` pairs (or JSON), so logs can be searched and shipped.

Message bodies are personal data (and sometimes health data): code logs SIDs, ids and
statuses at INFO and keeps bodies to DEBUG at most.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any

# Attributes every LogRecord has; anything else was passed with ``extra=`` and is a field.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName", "color_message"}


# Fields that carry what a person wrote; above DEBUG only their length is logged, as a safety
# net for a call that passes a body by mistake.
PRIVATE_FIELDS = frozenset({"body", "text", "message_body"})


def event_fields(record: logging.LogRecord) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
        "level": record.levelname.lower(),
        "logger": record.name,
        "event": record.getMessage(),
    }
    for key, value in vars(record).items():
        if key in _STANDARD or key.startswith("_"):
            continue
        if key in PRIVATE_FIELDS and record.levelno > logging.DEBUG:
            fields[f"{key}_chars"] = len(str(value)) if value is not None else 0
            continue
        fields[key] = value
    if record.exc_info:
        fields["exc"] = logging.Formatter().formatException(record.exc_info).replace("\n", " | ")
    return fields


def _kv_value(value: Any) -> str:
    text = str(value)
    if text == "" or any(ch in text for ch in ' ="\n\t'):
        return json.dumps(text, ensure_ascii=False)
    return text


class KeyValueFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return " ".join(f"{key}={_kv_value(value)}" for key, value in event_fields(record).items())


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return json.dumps(event_fields(record), ensure_ascii=False, default=str)


def configure_logging(level: str = "INFO", *, json_lines: bool = False) -> None:
    """Route every logger (ours, uvicorn's, APScheduler's) through one one-line formatter."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if json_lines else KeyValueFormatter())
    root = logging.getLogger()
    for existing in list(root.handlers):
        root.removeHandler(existing)
    root.addHandler(handler)
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True
    # APScheduler logs every tick at INFO; that is noise, not events.
    logging.getLogger("apscheduler").setLevel(max(logging.WARNING, root.level))
