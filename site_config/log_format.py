"""Log lines: one JSON object per record in production, readable text in dev.

Code logs with the standard library and puts the facts in `extra=`:

    logger.info("Dispatch finished", extra={"event": "dispatch", "sent": 120})

`JsonFormatter` writes each record as one line of JSON with those facts as
top-level keys beside `time`, `level`, `logger` and `message`, so a log
collector (journald, Loki, CloudWatch, `jq`) can filter and sum them without
parsing text. JSON rather than logfmt: numbers stay numbers, `null` stays
`null`, and a message with quotes or an exception with newlines needs no
escaping rules of its own. `ReadableFormatter` shows the same facts as
`key=value` after the message, for a developer's terminal.

Which one is used: LOG_FORMAT=json|text (production defaults to json, other
settings to text); see LOGGING in site_config/settings/.
"""

import json
import logging
from datetime import UTC, datetime

# Every attribute a LogRecord has of its own; anything else came from `extra`.
RECORD_ATTRIBUTES = frozenset(
    logging.LogRecord("", 0, "", 0, "", (), None).__dict__
) | {"message", "asctime", "taskName"}


def record_facts(record: logging.LogRecord) -> dict:
    """The `extra=` fields of a record, in the order they were given."""
    return {
        key: value
        for key, value in record.__dict__.items()
        if key not in RECORD_ATTRIBUTES and not key.startswith("_")
    }


def _plain(value):
    """A value JSON can hold; anything else as its text."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    return str(value)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message and the facts."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in record_facts(record).items():
            entry.setdefault(key, _plain(value))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False)


class ReadableFormatter(logging.Formatter):
    """`LEVEL logger: message key=value ...`, for a terminal."""

    def __init__(self):
        super().__init__("%(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        facts = " ".join(
            f"{key}={json.dumps(_plain(value), ensure_ascii=False)}"
            for key, value in record_facts(record).items()
        )
        if not facts:
            return text
        # The facts go on the first line, before any traceback.
        first, newline, rest = text.partition("\n")
        return f"{first} {facts}{newline}{rest}"
