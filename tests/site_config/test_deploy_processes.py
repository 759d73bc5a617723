"""deploy/Procfile and deploy/systemd/: web, worker(s) and scheduler as
separate processes, each starting a command that exists, with either queue."""

import re
import shlex

from django.core.management import get_commands
from django.utils.module_loading import import_string

import pytest

from tests.utils.tools import PROJECT_ROOT

DEPLOY = PROJECT_ROOT / "deploy"


def _procfile() -> dict[str, str]:
    lines = (DEPLOY / "Procfile").read_text().splitlines()
    return dict(
        line.split(": ", 1) for line in lines if line and not line.startswith("#")
    )


def _unit_command(name: str) -> str:
    text = (DEPLOY / "systemd" / name).read_text()
    return re.search(r"^ExecStart=(.+)$", text, re.MULTILINE).group(1)


def _commands_in(line: str) -> list[list[str]]:
    """The manage.py command lines a process line starts (in `sh -c` too)."""
    words = shlex.split(line)
    if words[:2] == ["/bin/sh", "-c"] or words[:2] == ["sh", "-c"]:
        return [
            shlex.split(command) for command in re.findall(r"exec ([^;]+)", words[2])
        ]
    return [words]


@pytest.mark.parametrize(
    ("process", "unit"),
    [
        ("web", "institute-web.service"),
        ("worker", "institute-worker@.service"),
        ("scheduler", "institute-scheduler.service"),
    ],
)
def test_each_process_starts_a_command_that_exists(process, unit):
    available = get_commands()
    for line in (_procfile()[process], _unit_command(unit)):
        for words in _commands_in(line):
            if words[2:3] == ["rqworker"]:  # django_rq's, with TASKS_BACKEND=rq
                import_string("django_rq.management.commands.rqworker.Command")
            elif "manage.py" in words[1:2]:
                assert words[2] in available, words
            else:
                assert words[0].endswith("/gunicorn")
                import_string(words[1].replace(".wsgi", ".wsgi.application"))
            if "--job-class" in words:
                import_string(words[words.index("--job-class") + 1])


def test_the_worker_follows_the_queue_switch():
    for line in (_procfile()["worker"], _unit_command("institute-worker@.service")):
        started = {words[2] for words in _commands_in(line)}
        assert started == {"rqworker", "db_worker"}
        assert '"$TASKS_BACKEND" = rq' in line
