"""Where the test tools live, and what to do when one is missing.

A test that needs a tool the machine lacks (Chromium, Java, node_modules,
Varnish, Redis, pg_dump) calls `tool_missing` with one sentence naming what to
install. On a developer's machine the test is skipped, and the session ends
with one line per missing tool (`missing_tools_summary`, printed by
tests/conftest.py); in CI (CI=true, as `.ci/run` exports) it fails, since CI
installs every tool (`deploy/system-packages --strict`).
"""

import os
import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import NoReturn

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]
NODE_MODULES = PROJECT_ROOT / "node_modules"
# Marks a skip as "a tool is missing", so the summary can find it.
MISSING_TOOL = "Missing tool: "


def running_in_ci() -> bool:
    """True when CI=true, as `.ci/run` exports."""
    return os.environ.get("CI", "").strip().lower() == "true"


def tool_missing(message: str) -> NoReturn:
    """Fail in CI, where every tool must be installed; skip on a developer machine."""
    if running_in_ci():
        pytest.fail(message, pytrace=False)
    pytest.skip(MISSING_TOOL + message)


def missing_tools_summary(skip_reasons: Iterable[str]) -> list[str]:
    """One line per missing tool, with how many tests it skipped (most first).

    `skip_reasons` are pytest's skip messages ("Skipped: Missing tool: …");
    other skips are not about tools and are left out.
    """
    counts = Counter(
        match.group(1)
        for reason in skip_reasons
        if (match := re.search(re.escape(MISSING_TOOL) + r"(.*)", reason, re.S))
    )
    return [
        f"{count} test{'s' if count > 1 else ''} skipped: {message}"
        for message, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
