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
