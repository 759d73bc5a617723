"""The French and Swahili catalogues: complete, valid and compiled.

A fresh extraction (`makemessages` over a copy of the sources, as `make messages`
runs it) is compared with the committed catalogues, so a string added to a
template or to Python code without a translation fails here, with its msgid.
"""

import gettext
import re
import shutil
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

import pytest

ROOT = Path(settings.BASE_DIR)
APPS = ("site_config", "publications", "briefings", "bulletins", "theme")
LANGUAGES = ("fr", "sw")
# The file kinds `make messages` extracts from; .mjml are the email templates.
EXTENSIONS = ("html", "txt", "py", "mjml")
PLURAL_FORMS = {
    "fr": "nplurals=2; plural=(n > 1);",
    "sw": "nplurals=2; plural=(n != 1);",
}

pytestmark = pytest.mark.skipif(
    not (shutil.which("msgfmt") and shutil.which("msgen")),
    reason="GNU gettext (msgfmt, msgen) is not installed",
)


def _po(code: str) -> Path:
    return ROOT / "locale" / code / "LC_MESSAGES" / "django.po"


def _compiled(po: Path, mo: Path) -> dict:
    """The catalogue msgfmt makes of `po`: translated, non-fuzzy entries only."""
    subprocess.run(
        ["msgfmt", "--check", f"--output-file={mo}", str(po)],
        check=True,
        capture_output=True,
        text=True,
    )
    with mo.open("rb") as compiled:
        return gettext.GNUTranslations(compiled)._catalog


def _readable(key) -> str:
    msgid = key[0] if isinstance(key, tuple) else key
    context, _sep, text = msgid.rpartition("\x04")
    return f"[{context}] {text}" if context else text


@pytest.fixture(scope="module")
def fresh_msgids(tmp_path_factory) -> set:
    """Every msgid (plural forms and contexts included) the sources contain now."""
    work = tmp_path_factory.mktemp("extraction")
    for app in APPS:
        shutil.copytree(
            ROOT / app,
            work / app,
            ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "locale"),
        )
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(work)
        patch.setattr(settings, "LOCALE_PATHS", [work / "locale"])
        call_command(
            "makemessages",
            locale=["fr"],
            verbosity=0,
            no_obsolete=True,
            extensions=list(EXTENSIONS),
        )
    extracted = work / "locale" / "fr" / "LC_MESSAGES" / "django.po"
    # msgen fills every msgstr with its msgid, so msgfmt keeps every entry.
    filled = work / "filled.po"
    subprocess.run(
        ["msgen", f"--output-file={filled}", str(extracted)],
        check=True,
        capture_output=True,
    )
    return set(_compiled(filled, work / "filled.mo")) - {""}


@pytest.mark.parametrize("code", LANGUAGES)
def test_catalogue_translates_every_string_of_the_code(code, fresh_msgids, tmp_path):
    translated = _compiled(_po(code), tmp_path / "django.mo")

    missing = sorted(
        {_readable(key) for key in fresh_msgids if not translated.get(key, "").strip()}
    )

    assert len(fresh_msgids) > 300  # the extraction really ran over the sources
    assert not missing, (
        f"{len(missing)} strings have no {code} translation; run `make messages` "
        f"and translate them in {_po(code).relative_to(ROOT)}:\n" + "\n".join(missing)
    )


def test_make_messages_extracts_what_this_test_extracts():
    """`make messages` scans the same kinds of files, .mjml emails included."""
    makefile = (ROOT / "Makefile").read_text()
    command = re.search(r"makemessages\b[^\n]*(?:\\\n[^\n]*)*", makefile)

    assert command, "the Makefile's messages target no longer runs makemessages"
    extensions = re.search(r"--extension[= ]([\w,]+)", command.group(0))
    assert extensions, command.group(0)
    assert set(extensions.group(1).split(",")) == set(EXTENSIONS)


def _mjml_templates() -> list[Path]:
    return sorted(
        path
        for app in APPS
        for path in (ROOT / app).rglob("*.mjml")
        if "locale" not in path.parts
    )


def test_the_extraction_reads_the_email_templates(fresh_msgids):
    """A fixed string of an .mjml template reaches the catalogues' extraction."""
    templates = _mjml_templates()
    assert templates, "no .mjml template found; update this test"
    for template in templates:
        found = _template_msgids(template.read_text())
        assert found, f"{template.relative_to(ROOT)} has no translatable string"
        readable = {_readable(key) for key in fresh_msgids}
        assert found <= readable, (template.name, sorted(found - readable))


@pytest.mark.parametrize("code", LANGUAGES)
def test_email_templates_are_translated(code, tmp_path):
    """Every {% translate %} of an .mjml email has a translation in `code`.

    Said apart from the general test so that a missing email string names its
    template: these reach every subscriber of an issue.
    """
    translated = _compiled(_po(code), tmp_path / "django.mo")
    missing = {
        f"{template.relative_to(ROOT)}: {msgid}"
        for template in _mjml_templates()
        for msgid in _template_msgids(template.read_text())
        if not translated.get(msgid, "").strip()
    }
    assert not missing, (
        f"{len(missing)} email strings have no {code} translation; run "
        "`make messages` and translate them:\n" + "\n".join(sorted(missing))
    )


_TRANSLATE_TAG = re.compile(r"""{%\s*(?:translate|trans)\s+(["'])(.*?)\1""")


def _template_msgids(source: str) -> set[str]:
    """The simple `{% translate "…" %}` strings of a template's source."""
    return {match.group(2) for match in _TRANSLATE_TAG.finditer(source)}


@pytest.mark.parametrize("code", LANGUAGES)
def test_catalogue_declares_its_language_and_plural_forms(code, tmp_path):
    header = _compiled(_po(code), tmp_path / "django.mo")[""]

    assert f"Language: {code}\n" in header
    assert f"Plural-Forms: {PLURAL_FORMS[code]}\n" in header
    assert "charset=UTF-8" in header


@pytest.mark.parametrize("code", LANGUAGES)
def test_translations_keep_their_placeholders(code, tmp_path):
    translated = _compiled(_po(code), tmp_path / "django.mo")

    for key, text in translated.items():
        msgid = key[0] if isinstance(key, tuple) else key
        if key == "" or "%(" not in msgid:
            continue
        # msgfmt --check already refuses a wrong or missing %(name)s where the
        # entry is python-format; this also covers the singular of a plural.
        wanted = set(_placeholders(msgid)) - {"counter", "count"}
        assert wanted <= set(_placeholders(text)), (code, msgid, text)


def _placeholders(text: str) -> list[str]:
    return re.findall(r"%\((\w+)\)", text)


def test_compiled_catalogues_are_not_committed():
    if not shutil.which("git"):
        pytest.skip("git is not installed")
    ignored = subprocess.run(
        ["git", "check-ignore", "locale/fr/LC_MESSAGES/django.mo"],
        cwd=ROOT,
        capture_output=True,
        check=False,
    )
    if ignored.returncode == 128:
        pytest.skip("not a git checkout")
    assert ignored.returncode == 0


def test_make_compiles_the_catalogues_on_install():
    if not shutil.which("make"):
        pytest.skip("make is not installed")
    plan = subprocess.run(
        ["make", "--no-print-directory", "--always-make", "--dry-run", "install"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    for code in LANGUAGES:
        assert (
            f"msgfmt --check --output-file=locale/{code}/LC_MESSAGES/django.mo "
            f"locale/{code}/LC_MESSAGES/django.po"
        ) in plan
