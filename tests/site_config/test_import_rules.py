"""The import rules of DESIGN.md hold, and import-linter catches a broken one.

`make check` runs `lint-imports` on the tree. These tests run it on a copy of
the tree with one import added inside a function (such imports count like any
other), and expect the contract that forbids it to break.
"""

import shutil
import subprocess
import sys
from pathlib import Path

from django.conf import settings

import pytest

ROOT = Path(settings.BASE_DIR)
PACKAGES = ("site_config", "publications", "briefings", "bulletins", "theme")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

pytestmark = pytest.mark.skipif(
    not LINT_IMPORTS.exists(), reason="import-linter is not installed (make install)"
)


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Path:
    """The packages' Python files and pyproject.toml, in a scratch folder."""
    copy = tmp_path_factory.mktemp("tree")
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package,
            copy / package,
            ignore=lambda folder, names: [
                name
                for name in names
                if not name.endswith(".py") and not (Path(folder) / name).is_dir()
            ],
        )
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    return copy


def lint_imports(folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own tool on our own files
        [str(LINT_IMPORTS), "--no-cache", "--no-logo"],
        cwd=folder,
        env={"PYTHONPATH": str(folder), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_tree_keeps_every_contract(tree):
    result = lint_imports(tree)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "imported", "contract"),
    [
        # Ingestion knows nothing of digests: not even inside a function.
        ("briefings/news/models.py", "briefings.compose", "Inside briefings"),
        # The digests know nothing of delivery.
        ("briefings/outline.py", "briefings.newsletter.models", "Inside briefings"),
        # The base digest names no page type of its subclasses.
        ("briefings/compose.py", "bulletins.models", "Apps import only"),
        # No app imports the project.
        ("briefings/email/render.py", "site_config.models", "Apps import only"),
        ("publications/models/pages.py", "site_config.models", "Apps import only"),
        # The library knows nothing of news.
        ("publications/feeds.py", "briefings.news.models", "Apps import only"),
        # The Bulletin and the newsletter ignore each other.
        ("bulletins/models.py", "briefings.newsletter.models", "ignore each other"),
        ("briefings/newsletter/models.py", "bulletins.models", "Apps import only"),
        # The theme imports nothing of ours.
        ("theme/query.py", "publications.models", "Apps import only"),
    ],
)
def test_an_import_inside_a_function_that_breaks_a_rule_fails(
    tree, tmp_path, module, imported, contract
):
    broken = tmp_path / "tree"
    shutil.copytree(tree, broken)
    with (broken / module).open("a") as source:
        source.write(f"\n\ndef _reach_up():\n    import {imported}  # noqa\n")

    result = lint_imports(broken)

    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{contract}" in result.stdout
    assert "BROKEN" in result.stdout
    assert imported in result.stdout


def test_a_new_module_of_briefings_must_be_placed_in_a_stage(tree, tmp_path):
    broken = tmp_path / "tree"
    shutil.copytree(tree, broken)
    (broken / "briefings" / "unplaced.py").write_text('"""Belongs nowhere."""\n')

    result = lint_imports(broken)

    assert result.returncode == 1
    assert "briefings.unplaced" in result.stdout
