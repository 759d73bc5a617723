"""A missing tool skips a test on a developer's machine and fails it in CI."""

import gettext
import importlib.util

import pytest

from tests.utils.tools import (
    MISSING_TOOL,
    PROJECT_ROOT,
    missing_tools_summary,
    running_in_ci,
    tool_missing,
)

CHROMIUM = "The browser tests need Chromium: `apt-get install chromium`."


@pytest.mark.parametrize(
    ("value", "expected"),
    [("true", True), ("TRUE ", True), ("1", False), ("", False), (None, False)],
)
def test_ci_is_recognised_by_ci_true(monkeypatch, value, expected):
    if value is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", value)

    assert running_in_ci() is expected


def test_a_missing_tool_skips_on_a_developer_machine(monkeypatch):
    monkeypatch.delenv("CI", raising=False)

    with pytest.raises(pytest.skip.Exception) as skipped:
        tool_missing(CHROMIUM)

    assert str(skipped.value) == MISSING_TOOL + CHROMIUM


def test_a_missing_tool_fails_in_ci(monkeypatch):
    monkeypatch.setenv("CI", "true")

    with pytest.raises(pytest.fail.Exception) as failed:
        tool_missing(CHROMIUM)

    assert str(failed.value) == CHROMIUM


def test_the_summary_gives_one_line_per_missing_tool():
    java = "The Nu HTML Checker needs Java: `apt-get install default-jre-headless`."
    reasons = [
        f"Skipped: {MISSING_TOOL}{CHROMIUM}",
        f"Skipped: {MISSING_TOOL}{CHROMIUM}",
        f"Skipped: {MISSING_TOOL}{java}",
        "Skipped: The SQLite backup runs with the SQLite suite.",
    ]

    assert missing_tools_summary(reasons) == [
        f"2 tests skipped: {CHROMIUM}",
        f"1 test skipped: {java}",
    ]
    assert missing_tools_summary([]) == []


def test_catalogues_compile_without_msgfmt(tmp_path):
    spec = importlib.util.spec_from_file_location(
        "compile_messages", PROJECT_ROOT / "deploy" / "compile_messages.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    mo = tmp_path / "django.mo"

    count = module.po_compile(PROJECT_ROOT / "locale/fr/LC_MESSAGES/django.po", mo)

    with mo.open("rb") as compiled:
        french = gettext.GNUTranslations(compiled)
    assert count > 100
    assert french.gettext("Subscribe") == "S’abonner"
    assert not mo.with_name("django.mo.partial").exists()
