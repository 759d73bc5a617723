"""Validate whole HTML documents with the Nu HTML Checker (vnu.jar).

Every call starts one JVM (about a second), so check many documents at once
with `validate_html_documents` where a test renders several pages.
"""

import json
import re
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

import pytest

from tests.utils.tools import NODE_MODULES, tool_missing

VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
# The checker runs for a second or two: the client compiler and the serial
# collector start faster than the defaults and save ~0.2 s a run.
JVM_OPTIONS = ("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1")
VNU_TIMEOUT_SECONDS = 300
# Warnings that contradict deliberate accessibility practice never count:
# role="list" gives back the list semantics Safari/VoiceOver drop from lists
# styled with `list-style: none`.
IGNORED_WARNINGS = (re.compile(r"The “list” role is unnecessary for element “[ou]l”"),)


def vnu_command() -> list[str]:
    """The command line that runs the checker, or skip/fail if it cannot run."""
    java = shutil.which("java")
    if java is None:
        tool_missing(
            "The Nu HTML Checker needs Java, which is not on PATH: "
            "install it with `apt-get install default-jre-headless`."
        )
    if not VNU_JAR.is_file():
        tool_missing(
            f"The Nu HTML Checker is not installed ({VNU_JAR} is missing): "
            "`make test` installs node_modules, or run `npm ci` in "
            f"{NODE_MODULES.parent}."
        )
    return [java, *JVM_OPTIONS, "-jar", str(VNU_JAR)]


def validate_html_documents(
    docs: Mapping[str, str | bytes], *, allow_warnings: bool = False
) -> dict[str, list[str]]:
    """Check every document in one checker run; map each label to its problems.

    Errors always count; so do the checker's warnings unless `allow_warnings`
    (use it only for markup the project does not own), except those in
    IGNORED_WARNINGS. Plain info messages never count. A label maps to an
    empty list when its document is valid.
    """
    problems: dict[str, list[str]] = {label: [] for label in docs}
    if not docs:
        return problems
    command = vnu_command()
    with tempfile.TemporaryDirectory(prefix="vnu-") as tmp:
        by_name: dict[str, str] = {}
        paths = []
        for index, (label, html) in enumerate(docs.items()):
            path = Path(tmp) / f"doc-{index}.html"
            path.write_bytes(html.encode() if isinstance(html, str) else html)
            by_name[path.name] = label
            paths.append(str(path))
        try:
            completed = subprocess.run(
                [*command, "--format", "json", "--stdout", "--exit-zero-always"]
                + paths,
                capture_output=True,
                timeout=VNU_TIMEOUT_SECONDS,
                check=False,
            )
        except subprocess.TimeoutExpired:
            pytest.fail(
                f"The Nu HTML Checker took more than {VNU_TIMEOUT_SECONDS} s "
                f"for {len(docs)} documents.",
                pytrace=False,
            )
    try:
        messages = json.loads(completed.stdout)["messages"]
    except (ValueError, KeyError):
        pytest.fail(
            f"The Nu HTML Checker exited {completed.returncode} without a JSON "
            f"report.\nstdout: {completed.stdout.decode(errors='replace')[:2000]}"
            f"\nstderr: {completed.stderr.decode(errors='replace')[:2000]}",
            pytrace=False,
        )
    for message in messages:
        if not _counts(message, allow_warnings=allow_warnings):
            continue
        name = message.get("url", "").rsplit("/", 1)[-1]
        # A message tied to no document (the checker itself failed) taints all.
        labels = [by_name[name]] if name in by_name else list(problems)
        for label in labels:
            problems[label].append(format_message(message))
    return problems


def assert_valid_html(
    html: str | bytes, *, label: str = "page", allow_warnings: bool = False
) -> None:
    """Fail with every error (and warning) the Nu HTML Checker reports."""
    problems = validate_html_documents({label: html}, allow_warnings=allow_warnings)
    if problems[label]:
        pytest.fail(format_report(label, problems[label]))


def assert_valid_html_documents(
    docs: Mapping[str, str | bytes], *, allow_warnings: bool = False
) -> None:
    """Like `assert_valid_html` for several documents, in one checker run."""
    problems = validate_html_documents(docs, allow_warnings=allow_warnings)
    reports = [
        format_report(label, found) for label, found in problems.items() if found
    ]
    if reports:
        pytest.fail("\n\n".join(reports))


def format_report(label: str, problems: list[str]) -> str:
    count = len(problems)
    heading = f"{label} is not valid HTML ({count} problem{'s' * (count != 1)}):"
    return "\n".join([heading, *problems])


def format_message(message: dict) -> str:
    """One checker message as `- error line 3:7: text` plus the marked extract."""
    kind = message.get("subType") or message.get("type", "?")
    if message.get("type") == "non-document-error":
        kind = f"checker {kind}"
    line = message.get("firstLine", message.get("lastLine"))
    column = message.get("firstColumn")
    where = ""
    if line:
        where = f" line {line}:{column}" if column else f" line {line}"
    text = f"- {kind}{where}: {message.get('message', '').strip()}"
    extract = message.get("extract")
    if extract:
        start = message.get("hiliteStart", 0)
        end = start + message.get("hiliteLength", 0)
        marked = f"{extract[:start]}»{extract[start:end]}«{extract[end:]}"
        text += "\n    " + marked.replace("\n", "↵")
    return text


def _counts(message: dict, *, allow_warnings: bool) -> bool:
    kind = message.get("type")
    if kind in ("error", "non-document-error"):
        return True
    # The checker reports warnings as "info" messages with subType "warning".
    if kind != "info" or message.get("subType") != "warning" or allow_warnings:
        return False
    text = message.get("message", "")
    return not any(pattern.search(text) for pattern in IGNORED_WARNINGS)
