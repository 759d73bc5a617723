import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    not shutil.which("make"), reason="make is not installed"
)


def _make(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["make", "--no-print-directory", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_make_help_lists_every_target():
    result = _make("help")

    assert result.returncode == 0
    for target in ("install", "run", "test", "lint", "format", "bench", "check"):
        assert f"make {target} " in result.stdout, target


@pytest.mark.parametrize("port", ["abc", "0", "70000", "80 80", "-1"])
def test_make_run_refuses_a_bad_port_before_doing_anything(port):
    result = _make("run", f"PORT={port}", "--dry-run")
    checked = _make("port-ok", f"PORT={port}")

    assert checked.returncode == 2
    assert "PORT must be a number from 1 to 65535" in checked.stderr
    # The port is checked before migrating or serving.
    assert result.stdout.index("PORT must") < result.stdout.index("migrate")


def test_make_accepts_a_valid_port():
    assert _make("port-ok", "PORT=8123").returncode == 0


def _system_packages(tmp_path, *args: str, uid: str) -> subprocess.CompletedProcess:
    """Run deploy/system-packages on a PATH holding none of the tools it looks
    for, as a user with the given id and no sudo: nothing can be installed."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    (bin_dir / "id").write_text(f"#!/bin/sh\necho {uid}\n")
    (bin_dir / "id").chmod(0o755)
    return subprocess.run(
        [shutil.which("bash"), str(ROOT / "deploy" / "system-packages"), *args],
        env={"PATH": str(bin_dir)},
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


def test_missing_system_packages_are_named_in_one_line_and_skipped(tmp_path):
    result = _system_packages(tmp_path, uid="1000")

    assert result.returncode == 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "chromium default-jre-headless nodejs npm gettext varnish" in lines[0]
    assert "sudo apt-get install" in lines[0]


def test_ci_fails_when_a_system_package_cannot_be_installed(tmp_path):
    result = _system_packages(tmp_path, "--strict", uid="1000")

    assert result.returncode == 1


def test_the_missing_list_installs_nothing(tmp_path):
    # As root it would install; --list only says what is missing.
    result = _system_packages(tmp_path, "--list", uid="0")

    assert result.returncode == 0
    assert result.stdout.split() == [
        "chromium",
        "default-jre-headless",
        "nodejs",
        "npm",
        "gettext",
        "varnish",
    ]


def test_make_test_and_ci_use_the_same_installer():
    makefile = (ROOT / "Makefile").read_text()
    ci = (ROOT / ".ci" / "run").read_text()

    assert "deploy/system-packages" in makefile
    assert "deploy/system-packages --strict" in ci
    assert "apt-get" not in ci


def test_make_run_names_its_port_as_the_public_address():
    served = _make("run", "PORT=8123", "--dry-run")
    chosen = _make("run", "PORT=8123", "BASE_URL=https://www.example.org", "--dry-run")

    assert "links name http://127.0.0.1:8123" in served.stdout
    assert "links name https://www.example.org" in chosen.stdout


def test_make_test_fails_on_a_missing_system_package_only_in_ci():
    in_ci = _make("system-packages", "CI=true", "--dry-run")
    at_home = _make("system-packages", "CI=", "--dry-run")

    assert "deploy/system-packages --strict" in in_ci.stdout
    assert "--strict" not in at_home.stdout
    assert "deploy/system-packages" in at_home.stdout


def test_catalogues_compile_with_polib_where_msgfmt_is_missing():
    rule = _make("--dry-run", "--always-make", "locale/fr/LC_MESSAGES/django.mo")

    assert "command -v msgfmt" in rule.stdout
    assert "deploy/compile_messages.py" in rule.stdout
