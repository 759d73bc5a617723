"""The email as a subscriber reads it: every demo issue, in every language.

The demo site is built once for the module (in a transaction rolled back at the
end) and every live issue rendered in each of its translations; the tests only
read the rendered strings.
"""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.conf import settings

import pytest

from briefings.email.render import (
    PREFERENCES_PLACEHOLDER,
    TEXT_WIDTH,
    UNSUBSCRIBE_PLACEHOLDER,
    RenderedEmail,
    render_digest_email,
    wrap_text,
)
from tests.utils.demo_snapshot import demo_lent
from tests.utils.html import validate_html_documents

pytestmark = pytest.mark.django_db

BASE_URL = "https://institute.example"
GMAIL_CLIP_BYTES = 102 * 1024
LANGUAGES = ("en", "fr", "sw")
# As long as the signed links delivery puts in each subscriber's copy.
TOKEN = "x" * 120


def delivered(email: RenderedEmail, language: str) -> RenderedEmail:
    """The copy one subscriber receives: the placeholders replaced."""
    newsletter = f"{BASE_URL}/{language}/newsletter"
    links = {
        UNSUBSCRIBE_PLACEHOLDER: f"{newsletter}/unsubscribe/{TOKEN}/",
        PREFERENCES_PLACEHOLDER: f"{newsletter}/preferences/{TOKEN}/",
    }
    html, text = email.html, email.text
    for placeholder, url in links.items():
        html, text = html.replace(placeholder, url), text.replace(placeholder, url)
    return RenderedEmail(email.subject, email.preheader, html, text, email.mjml)


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def tags_of(html: str) -> list[tuple[str, dict]]:
    parser = _Tags()
    parser.feed(html)
    return parser.tags


@pytest.fixture(scope="module")
def demo_emails(demo_copies, django_db_blocker):
    """{(slug, language): RenderedEmail} with a logo; plus one without."""
    from wagtail.models import Locale, Page

    from wagtail_factories import ImageFactory

    from briefings.models import DigestPage
    from site_config.models import SiteSettings

    with django_db_blocker.unblock(), demo_lent():
        originals = (
            Page.objects.live().type(DigestPage).filter(locale__language_code="en")
        )
        # An issue the demo has not translated yet is rendered in a translation
        # made for this test, so that every issue is read in every language.
        for original in originals.specific():
            for language in LANGUAGES[1:]:
                locale = Locale.objects.get(language_code=language)
                if not original.has_translation(locale):
                    original.copy_for_translation(locale, copy_parents=True)
        issues = Page.objects.type(DigestPage).specific().select_related("locale")
        first = issues.first()
        site = first.get_site()
        unbranded = render_digest_email(first, base_url=BASE_URL)
        english = issues.filter(locale__language_code="en").first()
        for_swahili_reader = render_digest_email(
            english, base_url=BASE_URL, language="sw"
        )
        site_settings = SiteSettings.for_site(site)
        site_settings.logo = ImageFactory(title="Institute logo", width=900, height=300)
        site_settings.save()
        emails = {
            (issue.slug, issue.locale.language_code): delivered(
                render_digest_email(issue, base_url=BASE_URL),
                issue.locale.language_code,
            )
            for issue in issues
        }
        organisation = site_settings.organisation_name
    return {
        "emails": emails,
        "unbranded": unbranded,
        "organisation": organisation,
        "for_swahili_reader": for_swahili_reader,
    }


@pytest.fixture(scope="module")
def emails(demo_emails):
    return demo_emails["emails"]


def test_the_demo_has_issues_in_every_language(emails):
    languages = {language for _slug, language in emails}

    assert languages == set(LANGUAGES)
    assert len(emails) >= 6


def test_html_element_carries_the_issues_language_and_direction(emails):
    for (slug, language), email in emails.items():
        tag, attrs = tags_of(email.html)[0]
        assert tag == "html", slug
        assert attrs.get("lang") == language, (slug, language)
        assert attrs.get("dir") == "ltr", (slug, language)


def test_masthead_shows_the_logo_at_an_absolute_address_with_its_name(demo_emails):
    organisation = demo_emails["organisation"]
    assert organisation
    for key, email in demo_emails["emails"].items():
        images = [attrs for tag, attrs in tags_of(email.html) if tag == "img"]
        logo = images[0]  # the masthead comes before any cover
        address = urlsplit(logo["src"])
        assert (address.scheme, address.netloc) == ("https", "institute.example"), key
        assert logo["alt"] == organisation, key
        width, height = int(logo["width"]), int(logo["height"])
        assert 0 < width <= 240 and 0 < height <= 48, key
        # The rendition holds twice the pixels drawn: sharp on 2× screens.
        assert re.search(r"\.max-480x96\.", logo["src"]), logo["src"]


def test_masthead_without_a_logo_names_the_institute(demo_emails):
    email = demo_emails["unbranded"]
    organisation = demo_emails["organisation"]
    masthead = email.html.split('class="card masthead"', 1)[1].split("</table>", 1)[0]

    assert "<img" not in masthead
    assert organisation in masthead


def test_dark_mode_is_declared_and_keeps_contrast(emails):
    for key, email in emails.items():
        html = email.html
        head = html.split("</head>", 1)[0]
        assert '<meta name="color-scheme" content="light dark"' in head, key
        assert '<meta name="supported-color-schemes" content="light dark"' in head
        dark = re.search(
            r"@media \(prefers-color-scheme: dark\) \{(.*?)\}\s*\}", head, re.S
        )
        assert dark, key
        rules = dark.group(1)
        background = re.search(r"\.card[^{]*\{[^}]*background-color: (#\w{6})", rules)
        text = re.search(r"\.wrap div[^{]*\{ color: (#\w{6})", rules)
        muted = re.search(r"\.muted a \{ color: (#\w{6})", rules)
        link = re.search(r"\.wrap a \{ color: (#\w{6})", rules)
        for found in (text, muted, link):
            assert found, rules
            # WCAG AA for body text: a contrast ratio of at least 4.5.
            assert _contrast(found.group(1), background.group(1)) >= 4.5, found
        assert 'class="card' in html


def test_footer_and_fixed_strings_are_in_the_issues_language(emails):
    """The French and Swahili issues use none of the English fixed strings.

    The catalogue test checks that every string has a translation; this one
    checks that the rendered email actually went through them.
    """
    # What the email shows: the msgid it comes from.
    english = {
        "View this issue in your browser": "View this issue in your browser",
        "Manage your subscription": "Manage your subscription",
        "All issues": "All issues",
        "Unsubscribe": "Unsubscribe",
        "Editorial": "Editorial",
        "because you subscribed to it": (
            "You receive %(name)s because you subscribed to it."
        ),
    }
    translated = _translated(english.values())
    for (slug, language), email in emails.items():
        if language == "en":
            for phrase in english:
                assert phrase in email.html or phrase in email.text, (slug, phrase)
            continue
        for phrase in english:
            msgid = english[phrase]
            if translated[language][msgid] == msgid:
                continue  # not translated yet: the catalogue test says so
            assert phrase not in email.html, (slug, language, phrase)
            assert phrase not in email.text, (slug, language, phrase)


def test_a_reader_without_the_issues_language_gets_the_footer_in_theirs(
    demo_emails,
):
    """A Swahili subscriber of an issue with no Swahili translation."""
    from django.utils import translation

    email = demo_emails["for_swahili_reader"]
    with translation.override("sw"):
        footer = [
            translation.gettext(msgid)
            for msgid in ("Unsubscribe", "Editorial", "Unsubscribe:")
        ]
    assert footer[0] != "Unsubscribe"  # the catalogue translates it

    tag, attrs = tags_of(email.html)[0]
    assert attrs["lang"] == "en"  # the content's language
    assert f'lang="sw">{footer[0]}</a>' not in email.html  # the link has no lang
    assert re.search(rf'<p style="margin:0" lang="sw">.*?{footer[0]}', email.html)
    assert footer[1] in email.html
    assert f"{footer[2]}\n" in email.text
    assert "Unsubscribe" not in email.text


def test_html_stays_under_gmails_clipping_limit(emails):
    sizes = {key: len(email.html.encode()) for key, email in emails.items()}
    largest = max(sizes, key=sizes.get)

    assert sizes[largest] < GMAIL_CLIP_BYTES, (largest, sizes[largest])


def test_text_part_is_wrapped_at_78_characters(emails):
    for key, email in emails.items():
        for line in email.text.splitlines():
            if len(line) <= TEXT_WIDTH:
                continue
            assert _bare_url(line), (key, line)


def test_wrap_text_keeps_indentation_and_whole_addresses():
    url = "https://institute.example/" + "a" * 90
    text = "  " + "word " * 30 + url + " end\nshort\n"

    wrapped = wrap_text(text)

    lines = wrapped.splitlines()
    assert all(line.startswith("  ") for line in lines[:-1])
    assert f"  {url}" in lines
    assert lines[-1] == "short"
    assert all(len(line) <= TEXT_WIDTH or _bare_url(line) for line in lines)


def test_html_passes_the_checker_apart_from_mjmls_outlook_markup(emails):
    problems = validate_html_documents(
        {
            f"{slug} ({language})": email.html
            for (slug, language), email in emails.items()
        }
    )

    left = sorted(
        {
            f"{label}: {problem}"
            for label, found in problems.items()
            for problem in found
            if not _mjml_markup(problem)
        }
    )
    assert not left, "\n".join(left)


# MJML's markup for Outlook's Word engine, which ignores CSS layout: Microsoft's
# VML and Office XML namespaces on <html>, its table spacing properties, and
# the presentational attributes of its layout tables; plus the `type` it puts
# on <style>. Anything else the checker reports fails the test.
_MJML_OUTLOOK_MARKUP = (
    re.compile(r"Attribute “xmlns:[vo]” not allowed here"),
    re.compile(r"Attribute with the local name “xmlns:[vo]” is not serializable"),
    re.compile(r"CSS: “mso-table-[lr]space”: Property “mso-table-[lr]space” doesn't"),
    re.compile(
        r"The “(?:align|border|cellpadding|cellspacing|width)” attribute on the "
        r"“(?:table|td)” element is obsolete"
    ),
    re.compile(r"The “type” attribute for the “style” element is not needed"),
)


def _mjml_markup(problem: str) -> bool:
    return any(pattern.search(problem) for pattern in _MJML_OUTLOOK_MARKUP)


def _bare_url(line: str) -> bool:
    """A web address alone on its line (indented, or between angle brackets)."""
    word = line.strip().strip("<>")
    return " " not in word and word.startswith(("https://", "http://", "mailto:"))


def _translated(phrases) -> dict[str, dict[str, str]]:
    from django.utils import translation

    result = {}
    for language in LANGUAGES[1:]:
        with translation.override(language):
            result[language] = {
                phrase: translation.gettext(phrase) for phrase in phrases
            }
    return result


def _contrast(first: str, second: str) -> float:
    def luminance(colour: str) -> float:
        channels = [int(colour[index : index + 2], 16) / 255 for index in (1, 3, 5)]
        linear = [
            c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
            for c in channels
        ]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_settings_name_the_site_identity_provider():
    assert settings.BRIEFINGS_SITE_IDENTITY == "site_config.identity.site_identity"
