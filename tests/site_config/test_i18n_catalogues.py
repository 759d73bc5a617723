"""The French and Swahili catalogues: complete, valid and compiled.

A fresh extraction (`makemessages` over a copy of the sources, as `make messages`
runs it) is compared with the committed catalogues, so a string added to a
template or to Python code without a translation fails here, with its msgid.
"""

import ast
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
def fresh_extraction(tmp_path_factory) -> Path:
    """The catalogue `make messages` would write now, with source locations."""
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
    return work / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def _msgids(po: Path, work: Path) -> set:
    """Every msgid of `po`, translated or not (plural forms and contexts included)."""
    # msgen fills every msgstr with its msgid, so msgfmt keeps every entry.
    filled = work / f"{po.stem}.filled.po"
    subprocess.run(
        ["msgen", f"--output-file={filled}", str(po)],
        check=True,
        capture_output=True,
    )
    return set(_compiled(filled, work / f"{po.stem}.filled.mo")) - {""}


@pytest.fixture(scope="module")
def fresh_msgids(fresh_extraction, tmp_path_factory) -> set:
    """Every msgid (plural forms and contexts included) the sources contain now."""
    return _msgids(fresh_extraction, tmp_path_factory.mktemp("fresh"))


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


# Per app: the strings of each of our apps (admin screens, forms, models,
# messages: its templates and Python) reach the French catalogue, translated.
# French is the admin's second language (Swahili users get the English admin).


def _our_apps() -> dict[str, str]:
    """Folder (relative to the project) of every installed app of ours, by label."""
    from django.apps import apps

    ours = {}
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if ROOT not in path.parents:
            continue
        parts = path.relative_to(ROOT).parts
        # The project's .venv (make install) holds the installed packages.
        if (
            "tests" not in parts
            and parts[0] != ".venv"
            and "site-packages" not in parts
        ):
            ours[config.label] = path.relative_to(ROOT).as_posix()
    return ours


OUR_APPS = _our_apps()


def test_the_extraction_covers_every_app_of_ours():
    uncovered = {
        label: folder
        for label, folder in OUR_APPS.items()
        if folder.split("/")[0] not in APPS
    }
    assert uncovered == {}, "add these folders to APPS (and to `make messages`)"
    assert len(OUR_APPS) >= 7  # site_config … theme, news and newsletter included


def _located_entries(po: Path) -> list[tuple[object, set[str]]]:
    """(key, source files) of each entry of `po`, keyed as `_compiled` keys them."""
    entries = []
    for block in po.read_text(encoding="utf-8").split("\n\n"):
        files, fields, current = set(), {}, None
        for line in block.splitlines():
            if line.startswith("#:"):
                files.update(place.rsplit(":", 1)[0] for place in line[2:].split())
            elif line.startswith(("msgctxt ", "msgid ", "msgid_plural ")):
                current, _space, text = line.partition(" ")
                fields[current] = ast.literal_eval(text)
            elif line.startswith('"') and current:
                fields[current] += ast.literal_eval(line)
            elif line.startswith("msgstr"):
                current = None
        if not fields.get("msgid"):
            continue
        msgid = fields["msgid"]
        if "msgctxt" in fields:
            msgid = f"{fields['msgctxt']}\x04{msgid}"
        entries.append(((msgid, 0) if "msgid_plural" in fields else msgid, files))
    return entries


def _app_of(path: str) -> str | None:
    """The label of the app of ours whose folder holds `path` (nested apps win)."""
    holders = [
        (len(folder), label)
        for label, folder in OUR_APPS.items()
        if path.startswith(folder + "/")
    ]
    return max(holders)[1] if holders else None


def _app_msgids(po: Path, label: str) -> set:
    """The msgids `po` locates in the files of app `label`."""
    return {
        key
        for key, files in _located_entries(po)
        if any(_app_of(path) == label for path in files)
    }


@pytest.mark.parametrize("label", sorted(OUR_APPS))
def test_every_string_of_each_app_reaches_the_french_catalogue_translated(
    label, fresh_extraction, tmp_path
):
    folder = OUR_APPS[label]
    app_msgids = _app_msgids(fresh_extraction, label)
    catalogue = {key for key, _files in _located_entries(_po("fr"))}
    translated = _compiled(_po("fr"), tmp_path / "fr.mo")

    absent = sorted(_readable(key) for key in app_msgids - catalogue)
    untranslated = sorted(
        _readable(key)
        for key in app_msgids & catalogue
        if not translated.get(key, "").strip()
    )

    assert app_msgids, f"no string found in {folder}: is the extraction broken?"
    assert not absent and not untranslated, (
        f"{folder}: {len(absent)} strings are not in the French catalogue (run "
        f"`make messages`), {len(untranslated)} are there untranslated:\n"
        + "\n".join([*(f"absent: {m}" for m in absent), *untranslated])
    )


# Admin templates: text a French editor would read in English because it is
# not inside {% translate %} / {% blocktranslate %}.
_COMMENTS = re.compile(r"{#.*?#}|{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", re.S)
_BLOCKTRANSLATE = re.compile(
    r"{%\s*blocktrans(?:late)?\b.*?{%\s*endblocktrans(?:late)?\s*%}", re.S
)
_CODE = re.compile(r"<(script|style)\b.*?</\1>", re.S | re.I)
# Blocks that hold class names, not text.
_CLASS_BLOCKS = re.compile(
    r"{%\s*block\s+(?:bodyclass|classname|extra_class)\s*%}.*?{%\s*endblock", re.S
)
# Attributes people read (or hear): their literal text must be translated too.
_READ_ATTRIBUTES = re.compile(
    r"""\b(title|alt|placeholder|aria-label|aria-description|data-w-tooltip-content-value)"""
    r"""\s*=\s*(["'])(.*?)\2""",
    re.S | re.I,
)
# Tag arguments that templates show as text (headers, buttons, help).
_READ_ARGUMENTS = re.compile(
    r"""\b(title|label|text|heading|description|help_text|subtitle|placeholder)"""
    r"""=(["'])(.*?)\2"""
)
_TAG = re.compile(r"{%.*?%}|{{.*?}}", re.S)
_HTML_TAG = re.compile(r"<[^>]*>", re.S)
_ENTITY = re.compile(r"&#?\w+;")
_WORDS = re.compile(r"[^\W\d_]{2,}")


def _admin_templates() -> list[Path]:
    templates = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("templates/**/*.html")):
            source = path.read_text(encoding="utf-8")
            if "admin" in path.relative_to(ROOT).parts or "wagtailadmin/" in source:
                templates.append(path)
    return templates


def untranslated_template_text(source: str) -> list[str]:
    """Pieces of text of a template's source that no translate tag covers."""
    source = _BLOCKTRANSLATE.sub(" ", _COMMENTS.sub(" ", source))
    source = _CLASS_BLOCKS.sub(" ", _CODE.sub(" ", source))
    found = []
    for tag in re.findall(r"{%(?!\s*(?:translate|trans)\b).*?%}", source, re.S):
        found += [m.group(3) for m in _READ_ARGUMENTS.finditer(tag)]
    # Attributes of HTML elements, their template tags blanked out.
    for match in _READ_ATTRIBUTES.finditer(_TAG.sub(" ", source)):
        found.append(match.group(3))
    text = _HTML_TAG.sub("\n", _TAG.sub("\n", source))
    found += _ENTITY.sub(" ", text).splitlines()
    return [" ".join(piece.split()) for piece in found if _WORDS.search(piece)]


def test_the_scan_finds_text_outside_translate_tags():
    source = """{% load i18n %}{# a comment #}
        <h2>{% translate "Sources" %}</h2><p title="Fetch">Health OK</p>
        {% blocktranslate %}{{ n }} items{% endblocktranslate %}
        {% include "x.html" with title="Send a test" %}
        <script>const label = "not read";</script>{{ value }} — 12"""

    assert untranslated_template_text(source) == ["Send a test", "Fetch", "Health OK"]


def test_admin_templates_have_no_text_outside_translate_tags():
    templates = _admin_templates()
    assert len(templates) >= 15, "admin templates not found; update this test"
    found = {
        f"{path.relative_to(ROOT)}: {piece}"
        for path in templates
        for piece in untranslated_template_text(path.read_text(encoding="utf-8"))
    }
    assert not found, (
        f"{len(found)} pieces of admin-template text are outside translate tags:\n"
        + "\n".join(sorted(found))
    )


# Python: text shown in the admin (labels, headings, help, menu and screen
# titles) written as a plain string, which no catalogue can translate.
_SHOWN_NAMES = frozenset(
    {
        "verbose_name",
        "verbose_name_plural",
        "heading",
        "label",
        "help_text",
        "menu_label",
        "page_title",
        "empty_label",
        "add_to_admin_menu_label",
        "button_label",
    }
)


def untranslated_python_text(source: str) -> list[str]:
    """Plain strings given to an admin label, heading or help text in `source`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        pairs = []
        if isinstance(node, ast.Call):
            pairs = [(keyword.arg, keyword.value) for keyword in node.keywords]
        elif isinstance(node, ast.Assign):
            pairs = [
                (target.id, node.value)
                for target in node.targets
                if isinstance(target, ast.Name)
                # An AppConfig's `label` is an identifier, not text.
                and not (
                    target.id == "label"
                    and isinstance(node.value, ast.Constant)
                    and str(node.value.value).isidentifier()
                )
            ]
        for name, value in pairs:
            if (
                name in _SHOWN_NAMES
                and isinstance(value, ast.Constant)
                and isinstance(value.value, str)
                and _WORDS.search(value.value)
            ):
                found.append(f"{name}={value.value!r} (line {value.lineno})")
    return found


def test_the_scan_finds_plain_strings_given_to_admin_labels():
    source = """
class Source:
    menu_label = "Sources"
    page_title = _("Inbox")
field = CharField(verbose_name="poll interval", help_text=_("Minutes"), label="")
"""
    assert untranslated_python_text(source) == [
        "menu_label='Sources' (line 3)",
        "verbose_name='poll interval' (line 5)",
    ]


def test_python_gives_admin_labels_only_translatable_text():
    found = {
        f"{path.relative_to(ROOT)}: {piece}"
        for app in APPS
        for path in sorted((ROOT / app).rglob("*.py"))
        if "migrations" not in path.parts
        for piece in untranslated_python_text(path.read_text(encoding="utf-8"))
    }
    assert not found, (
        f"{len(found)} admin labels are plain strings, not gettext:\n"
        + "\n".join(sorted(found))
    )
