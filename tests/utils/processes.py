"""Helpers for tests that start real processes against the test database."""

import sqlite3
from pathlib import Path

from django.db import connection


def shared_database_url(tmp_path: Path) -> str:
    """A DATABASE_URL another process can open: the database the test sees.

    PostgreSQL: the test database itself. SQLite's test database is in memory,
    so the process gets a copy of what was committed so far, in a file.
    """
    config = connection.settings_dict
    if connection.vendor == "sqlite":
        path = tmp_path / "shared.sqlite3"
        path.unlink(missing_ok=True)
        connection.ensure_connection()
        with sqlite3.connect(path) as target:
            connection.connection.backup(target)
        return f"sqlite:///{path}"
    auth = config["USER"] + (f":{config['PASSWORD']}" if config["PASSWORD"] else "")
    return (
        f"postgres://{auth}@{config['HOST'] or '127.0.0.1'}:{config['PORT'] or 5432}"
        f"/{config['NAME']}"
    )
