"""Where the test tools live, and what to do when one is missing."""

import os
from pathlib import Path
from typing import NoReturn

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]
NODE_MODULES = PROJECT_ROOT / "node_modules"


def running_in_ci() -> bool:
    """True when CI=true, as `.ci/run` exports."""
    return os.environ.get("CI", "").strip().lower() == "true"


def tool_missing(message: str) -> NoReturn:
    """Fail in CI, where every tool must be installed; skip on a developer machine."""
    if running_in_ci():
        pytest.fail(message, pytrace=False)
    pytest.skip(message)
