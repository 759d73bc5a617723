import importlib
import os
import subprocess
import sys
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

import pytest

from site_config.settings import base
from site_config.settings.env import (
    base_url_checked,
    env_bool,
    env_list,
    env_required,
)

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "SECRET_KEY": "a-long-secret-used-only-by-these-tests-0123456789-qwerty",
    "ALLOWED_HOSTS": "example.org",
    "BASE_URL": "https://example.org",
    "DATABASE_URL": "sqlite:///:memory:",
}


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV}
    clean["DJANGO_SETTINGS_MODULE"] = "site_config.settings.production"
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("missing", sorted(PRODUCTION_ENV))
def test_production_refuses_to_start_without_required_variable(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}

    result = run_manage("check", env=env)

    assert result.returncode != 0
    assert f"The environment variable {missing} is not set" in result.stderr


def test_production_settings_pass_the_deploy_check():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV
    )

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_uses_the_database_task_queue():
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.TASKS)",
        env=PRODUCTION_ENV,
    )

    assert "django_tasks_db.DatabaseBackend" in result.stdout, result.stderr


def test_production_reads_old_keys_for_a_rotation():
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.SECRET_KEY_FALLBACKS)",
        env={**PRODUCTION_ENV, "SECRET_KEY_FALLBACKS": "old-key-one, old-key-two"},
    )

    assert "['old-key-one', 'old-key-two']" in result.stdout, result.stderr


def test_env_required_names_the_variable_and_what_to_set(monkeypatch):
    monkeypatch.delenv("SOME_SECRET", raising=False)

    with pytest.raises(ImproperlyConfigured, match="SOME_SECRET is not set.*a hint"):
        env_required("SOME_SECRET", hint="a hint")

    monkeypatch.setenv("SOME_SECRET", "  value ")
    assert env_required("SOME_SECRET", hint="") == "value"


def test_env_list_and_bool_parse_forgivingly(monkeypatch):
    monkeypatch.setenv("HOSTS", " a.org, ,b.org,")
    monkeypatch.setenv("FLAG", "Yes")
    monkeypatch.delenv("UNSET_FLAG", raising=False)

    assert env_list("HOSTS") == ["a.org", "b.org"]
    assert env_bool("FLAG", default=False) is True
    assert env_bool("UNSET_FLAG", default=True) is True


def test_sqlite_is_tuned_for_a_web_process_beside_a_worker(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)

    config = base.database_from_env()

    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert config["OPTIONS"]["timeout"] >= 5
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]


def test_database_url_selects_postgresql(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db.example:5432/site")

    config = base.database_from_env()

    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["NAME"] == "site"
    assert config["CONN_HEALTH_CHECKS"] is True


def test_sqlite_file_database_opens_in_wal_mode(monkeypatch, tmp_path):
    from django.db.backends.sqlite3.base import DatabaseWrapper

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'site.sqlite3'}")
    config = base.database_from_env()
    wrapper = DatabaseWrapper({**config, "TIME_ZONE": None}, alias="wal-check")
    raw = wrapper.get_new_connection(wrapper.get_connection_params())
    try:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert raw.execute("PRAGMA busy_timeout").fetchone()[0] == 20_000
        assert wrapper.transaction_mode == "IMMEDIATE"
    finally:
        raw.close()


def test_dev_settings_run_without_any_configuration():
    dev = importlib.import_module("site_config.settings.dev")

    assert dev.DEBUG is True
    assert dev.SECRET_KEY
    assert dev.TASKS["default"]["BACKEND"].endswith("ImmediateBackend")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("http://127.0.0.1:8123", "http://127.0.0.1:8123"),
        ("https://WWW.Example.org/", "https://www.example.org"),
        ("https://example.org:443", "https://example.org:443"),
        ("http://[::1]:8000", "http://[::1]:8000"),
    ],
)
def test_base_url_is_scheme_host_and_port(value, expected):
    assert base_url_checked(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "example.org",
        "ftp://example.org",
        "https://example.org/site",
        "https://example.org/?q=1",
        "https://user:pw@example.org",
        "https://example.org:http",
        "https://",
    ],
)
def test_base_url_with_a_path_or_odd_parts_stops_start_up(value):
    with pytest.raises(ImproperlyConfigured, match="BASE_URL"):
        base_url_checked(value)


def test_production_refuses_a_base_url_with_a_path():
    result = run_manage(
        "check", env={**PRODUCTION_ENV, "BASE_URL": "https://example.org/site/"}
    )

    assert result.returncode != 0
    assert "BASE_URL must be scheme://host[:port]" in result.stderr
