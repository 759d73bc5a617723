"""deploy/backup and deploy/restore, tried on a copy of the site's data.

A page and an uploaded PDF are committed to the test database; the scripts
run as an operator runs them (subprocesses reading DATABASE_URL and
MEDIA_ROOT); the data is damaged; the restore brings it back, and the site
itself (`manage.py shell` on production settings) reads the page and the file
again. SQLite runs with the SQLite suite, PostgreSQL (pg_dump/pg_restore into
a scratch database) with the PostgreSQL suite.
"""

import contextlib
import json
import os
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

from django.db import connection

import pytest

from tests.publications.factories import PdfDocumentFactory
from tests.site_config.test_settings import PRODUCTION_ENV, ROOT, run_manage
from tests.utils.tools import tool_missing

PAGE_SLUG = "institute"  # the home_page fixture's
DOCUMENT_TITLE = "Backed-up field notes"


def _script(name: str, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", str(ROOT / "deploy" / name), *args],
        env={**os.environ, "PYTHON": sys.executable, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def site_data(transactional_db, home_page, settings, tmp_path):
    """A committed home page and a PDF whose file is in a MEDIA_ROOT of its own."""
    from wagtail.models import Collection

    settings.MEDIA_ROOT = str(tmp_path / "media")
    # A transactional test may start on flushed tables: no root collection.
    Collection.get_first_root_node() or Collection.add_root(name="Root")
    document = PdfDocumentFactory(title=DOCUMENT_TITLE)
    return {
        "page_title": home_page.title,
        "media": tmp_path / "media",
        "file": Path(document.file.path),
        "bytes": Path(document.file.path).read_bytes(),
    }


def _site_reads(database_url: str, media: Path) -> list[str]:
    """What the site finds in the database and under MEDIA_ROOT."""
    code = (
        "from wagtail.models import Page; "
        "from wagtail.documents import get_document_model; "
        f"page = Page.objects.get(slug={PAGE_SLUG!r}); "
        f"doc = get_document_model().objects.get(title={DOCUMENT_TITLE!r}); "
        "print('found:', page.title, '|', len(doc.file.open('rb').read()))"
    )
    env = {**PRODUCTION_ENV, "DATABASE_URL": database_url, "MEDIA_ROOT": str(media)}
    result = run_manage("shell", "-c", code, env=env)
    return [
        line.removeprefix("found: ")
        for line in result.stdout.splitlines()
        if line.startswith("found: ")
    ] or [result.stderr]


def _backup(env: dict[str, str], tmp_path: Path) -> Path:
    made = _script("backup", str(tmp_path / "backups"), env=env)
    assert made.returncode == 0, made.stderr
    backup = Path(made.stdout.strip())
    assert backup.parent == tmp_path / "backups"
    return backup


def _restore(backup: Path, env: dict[str, str]) -> None:
    restored = _script("restore", str(backup), "--yes", env=env)
    assert restored.returncode == 0, restored.stderr
    assert restored.stdout.strip() == f"Restored database and media from {backup}."


def _destroy_media(site_data) -> None:
    site_data["file"].unlink()
    (site_data["media"] / "stray.txt").write_text("written after the backup")


def _assert_media_back(site_data) -> None:
    assert site_data["file"].read_bytes() == site_data["bytes"]
    assert not (site_data["media"] / "stray.txt").exists()


def test_sqlite_backup_and_restore_bring_back_a_page_and_a_file(site_data, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("The SQLite backup runs with the SQLite suite.")
    database = tmp_path / "site.sqlite3"
    connection.ensure_connection()
    with contextlib.closing(sqlite3.connect(database)) as copy:
        connection.connection.backup(copy)
    env = {
        "DATABASE_URL": f"sqlite:///{database}",
        "MEDIA_ROOT": str(site_data["media"]),
    }

    backup = _backup(env, tmp_path)
    manifest = json.loads((backup / "manifest.json").read_text())
    assert (manifest["database"], manifest["media"]) == ("sqlite", "media.tar.gz")

    with contextlib.closing(sqlite3.connect(database)) as damaged:
        damaged.execute("DELETE FROM wagtaildocs_document")
        damaged.execute("UPDATE wagtailcore_page SET title = 'Defaced'")
        damaged.commit()
        assert (
            damaged.execute("SELECT count(*) FROM wagtaildocs_document").fetchone()[0]
            == 0
        )
    _destroy_media(site_data)

    _restore(backup, env)

    _assert_media_back(site_data)
    assert _site_reads(env["DATABASE_URL"], site_data["media"]) == [
        f"{site_data['page_title']} | {len(site_data['bytes'])}"
    ]


@pytest.fixture
def scratch_database():
    """An empty PostgreSQL database beside the test database, dropped after."""
    import psycopg

    params = connection.settings_dict
    name = f"scratch_restore_{uuid.uuid4().hex[:10]}"
    admin = {
        "host": params["HOST"] or "127.0.0.1",
        "port": params["PORT"] or 5432,
        "user": params["USER"],
        "password": params["PASSWORD"] or None,
        "dbname": "postgres",
    }
    with psycopg.connect(**admin, autocommit=True) as server:
        server.execute(f'CREATE DATABASE "{name}"')
    yield name
    with psycopg.connect(**admin, autocommit=True) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _postgres_url(name: str) -> str:
    params = connection.settings_dict
    password = f":{params['PASSWORD']}" if params["PASSWORD"] else ""
    host = params["HOST"] or "127.0.0.1"
    port = params["PORT"] or 5432
    return f"postgres://{params['USER']}{password}@{host}:{port}/{name}"


def test_postgres_dump_restores_into_a_scratch_database(site_data, tmp_path, request):
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump/pg_restore run when the suite runs on PostgreSQL.")
    for tool in ("pg_dump", "pg_restore"):
        if subprocess.run(["which", tool], capture_output=True).returncode:
            tool_missing(f"{tool} is missing: install Debian's postgresql-client.")
    scratch = request.getfixturevalue("scratch_database")
    media = str(site_data["media"])
    source = {"DATABASE_URL": _postgres_url(connection.settings_dict["NAME"])}

    backup = _backup({**source, "MEDIA_ROOT": media}, tmp_path)
    assert json.loads((backup / "manifest.json").read_text())["database"] == (
        "postgresql"
    )
    target = {"DATABASE_URL": _postgres_url(scratch), "MEDIA_ROOT": media}
    _restore(backup, target)
    # Damage the restored copy and the files, then restore over them.
    import psycopg

    with psycopg.connect(target["DATABASE_URL"], autocommit=True) as damaged:
        damaged.execute("DELETE FROM wagtaildocs_document")
        damaged.execute("UPDATE wagtailcore_page SET title = 'Defaced'")
    _destroy_media(site_data)

    _restore(backup, target)

    _assert_media_back(site_data)
    assert _site_reads(target["DATABASE_URL"], site_data["media"]) == [
        f"{site_data['page_title']} | {len(site_data['bytes'])}"
    ]


def test_a_restore_asks_for_confirmation_and_checks_what_it_is_given(tmp_path):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'site.sqlite3'}"}

    unconfirmed = _script("restore", str(tmp_path), env=env)
    not_a_backup = _script("restore", str(tmp_path), "--yes", env=env)
    in_memory = _script("backup", str(tmp_path), env={"DATABASE_URL": "sqlite://"})

    assert unconfirmed.returncode == 1
    assert "stop the site, then run it again with --yes" in unconfirmed.stderr
    assert not_a_backup.returncode == 1
    assert "is not a backup (no manifest.json)" in not_a_backup.stderr
    assert in_memory.returncode == 1
    assert "in-memory SQLite database" in in_memory.stderr
    assert not (tmp_path / "site.sqlite3").exists()


def test_the_nightly_timer_runs_the_backup_script():
    unit = (ROOT / "deploy" / "systemd" / "institute-backup.service").read_text()
    timer = (ROOT / "deploy" / "systemd" / "institute-backup.timer").read_text()

    command = next(
        line.removeprefix("ExecStart=").split()
        for line in unit.splitlines()
        if line.startswith("ExecStart=")
    )
    script = ROOT / command[0].removeprefix("/srv/institute/")
    assert script == ROOT / "deploy" / "backup"
    assert os.access(script, os.X_OK)
    assert "Type=oneshot" in unit
    assert "OnCalendar=" in timer
