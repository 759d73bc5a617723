"""LOGGING: every record to stderr, as JSON lines or as readable text.

LOG_FORMAT=json writes one JSON object per line (site_config/log_format.py),
what a log collector reads; LOG_FORMAT=text is for a terminal. Production
defaults to json, development and tests to text. Dispatches and feed polls
log one record each with their facts in `extra=` (event "dispatch",
"feed_poll"); no record names a subscriber.
"""

from django.core.exceptions import ImproperlyConfigured

FORMATTERS = {
    "json": "site_config.log_format.JsonFormatter",
    "text": "site_config.log_format.ReadableFormatter",
}


def logging_config(log_format: str, *, root_level: str = "WARNING") -> dict:
    """LOGGING for `log_format` ("json" or "text"): everything to stderr."""
    choice = (log_format or "text").strip().lower()
    if choice not in FORMATTERS:
        raise ImproperlyConfigured(
            f"LOG_FORMAT must be 'json' or 'text', not {choice!r}."
        )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"site": {"()": FORMATTERS[choice]}},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "site",
                "stream": "ext://sys.stderr",
            }
        },
        "root": {"handlers": ["console"], "level": root_level},
        "loggers": {
            "site_config": {"level": "INFO"},
            "publications": {"level": "INFO"},
            "briefings": {"level": "INFO"},
            "bulletins": {"level": "INFO"},
        },
    }
