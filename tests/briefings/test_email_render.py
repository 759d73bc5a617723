import re
from html.parser import HTMLParser

from django.core.management import CommandError, call_command

import pytest

from briefings.email.render import (
    PREFERENCES_PLACEHOLDER,
    UNSUBSCRIBE_PLACEHOLDER,
    RenderedEmail,
    html_to_text,
    render_digest_email,
)
from tests.briefings.factories import (
    BriefingIndexPageFactory,
    BriefingPageFactory,
    item_raw,
    many_items,
    section_raw,
    sections_json,
)
from tests.bulletins.factories import BulletinIndexPageFactory, BulletinPageFactory

pytestmark = pytest.mark.django_db


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def parsed_tags(html: str) -> list[tuple[str, dict]]:
    collector = _Collector()
    collector.feed(html)
    return collector.tags


@pytest.fixture
def briefings(home_page):
    return BriefingIndexPageFactory(parent=home_page)


@pytest.fixture
def issue(briefings):
    return BriefingPageFactory(
        parent=briefings,
        title="Briefing December 2019",
        focus_title="Defence-related companies in Africa",
        standfirst="Who makes and sells arms on the continent.",
        editorial='<p>See <a href="https://example.org/report">the report</a>.</p>',
        sections=sections_json(
            section_raw(
                "Arms trade",
                [
                    item_raw(
                        "news_item",
                        title="Arms fair opens in Pretoria",
                        source="Arms transfers observer",
                        date="2019-12-02",
                        url="https://observer.example/fair",
                        summary="Exhibitors from 30 countries.",
                        comment="Note the new buyers.",
                    ),
                    item_raw("link", title="No summary here", url="/en/about/"),
                ],
            ),
            section_raw("Nothing this month"),
        ),
    )


def test_email_has_subject_preheader_and_placeholders(issue):
    email = render_digest_email(issue)

    assert isinstance(email, RenderedEmail)
    assert email.subject == (
        "Briefing December 2019: Defence-related companies in Africa"
    )
    assert email.preheader == "Who makes and sells arms on the continent."
    for part in (email.html, email.text):
        assert UNSUBSCRIBE_PLACEHOLDER in part
        assert PREFERENCES_PLACEHOLDER in part
    assert f'href="{UNSUBSCRIBE_PLACEHOLDER}"' in email.html
    assert "<mj-preview>" in email.mjml
    assert "Who makes and sells arms" in email.html.split("<body")[1][:2000]


def test_email_html_has_no_script_no_external_css_and_absolute_links(issue):
    email = render_digest_email(issue, base_url="https://institute.example")

    assert "<script" not in email.html.lower()
    tags = parsed_tags(email.html)
    assert not [attrs for tag, attrs in tags if tag == "link"]
    for tag, attrs in tags:
        for name in ("href", "src"):
            value = attrs.get(name)
            if value is None or value.startswith("%%"):
                continue
            assert re.match(r"^(https?:|mailto:)", value), (tag, name, value)
    assert 'href="https://institute.example/en/about/"' in email.html
    assert '<p>See <a href="https://example.org/report">the report</a>.</p>' in (
        email.html
    )
    assert "https://institute.example/en/briefing/" in email.html


def test_text_twin_lists_every_title_and_url(issue):
    email = render_digest_email(issue, base_url="https://institute.example")

    assert "Arms fair opens in Pretoria" in email.text
    assert "https://observer.example/fair" in email.text
    assert "https://institute.example/en/about/" in email.text
    assert "the report <https://example.org/report>" in email.text
    assert "Our comment: Note the new buyers." in email.text
    assert "No items in this section." in email.text
    assert "<" not in email.text.replace("<https://", "")


def test_base_url_defaults_to_the_public_address(issue, settings):
    settings.BASE_URL = "https://www.ipis.example"

    email = render_digest_email(issue)

    assert "https://www.ipis.example/en/briefing/" in email.html


def test_footer_has_the_institutes_address(issue):
    from wagtail.models import Site

    from site_config.models import SiteSettings

    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.organisation_name = "IPIS"
    site_settings.address = "Italiëlei 98a\n2000 Antwerp"
    site_settings.email = "info@ipis.example"
    site_settings.save()

    email = render_digest_email(issue)

    assert "Italiëlei 98a<br />2000 Antwerp" in email.html
    assert "2000 Antwerp\ninfo@ipis.example" in email.text
    assert 'href="mailto:info@ipis.example"' in email.html


def test_email_renders_in_the_pages_language(briefings, locales):
    french = briefings.copy_for_translation(locales["fr"], copy_parents=True)
    issue = BriefingPageFactory(parent=briefings)
    translated = issue.copy_for_translation(locales["fr"])
    assert french

    email = render_digest_email(translated)

    assert 'lang="fr"' in email.html
    assert "Éditorial" in email.html or "Editorial" in email.html
    assert "/fr/" in email.html


def test_awkward_content_renders_cleanly(briefings):
    long_heading = "A" * 5000
    issue = BriefingPageFactory(
        parent=briefings,
        focus_title="Minerals 💎 and ⚔️ arms",
        editorial=f"<h3>{long_heading}</h3><p>مرحبا بالعالم — עברית</p>",
        sections=sections_json(
            section_raw(
                "تجارة الأسلحة",
                [
                    item_raw(
                        "link",
                        title="<script>alert(1)</script> 🚀",
                        url="https://x.example/",
                    )
                ],
            ),
            section_raw(""),
        ),
    )

    email = render_digest_email(issue)

    assert long_heading in email.html
    assert "💎" in email.html and "مرحبا بالعالم" in email.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; 🚀" in email.html
    assert "<script>alert" not in email.html
    assert "<script>alert(1)</script> 🚀" in email.text
    assert "Section 2" in email.text
    assert "overflow-wrap: anywhere" in email.html


def test_forty_items_render_with_constant_queries(
    briefings, django_assert_max_num_queries
):
    small = BriefingPageFactory(
        parent=briefings, sections=sections_json(section_raw("S", many_items(2)))
    )
    big = BriefingPageFactory(
        parent=briefings,
        sections=sections_json(
            *(section_raw(f"S{n}", many_items(10)) for n in range(4))
        ),
    )
    render_digest_email(small)
    with django_assert_max_num_queries(8):
        render_digest_email(small)
    with django_assert_max_num_queries(8):
        email = render_digest_email(big)
    assert email.text.count("https://news.example/") == 40


def test_bulletin_sections_are_headed_by_region_and_theme(home_page):
    bulletins = BulletinIndexPageFactory(parent=home_page)
    issue = BulletinPageFactory(
        parent=bulletins,
        sections=sections_json(
            section_raw(
                "",
                [item_raw(url="https://a.example/")],
                region="middle_east",
                theme="Arms transfers",
            ),
            section_raw("Own heading", region="asia", theme=""),
        ),
    )

    email = render_digest_email(issue)

    assert "== Middle East — Arms transfers ==" in email.text
    assert "== Own heading ==" in email.text


def test_html_to_text_keeps_paragraphs_lists_and_links():
    text = html_to_text(
        '<p>One &amp; two</p><ul><li>first</li><li><a href="https://a.example">a</a></li></ul>'
    )
    assert text == "One & two\n\n- first\n\n- a <https://a.example>"


def test_render_digest_command_writes_each_format(issue, tmp_path, capsys):
    target = tmp_path / "issue.html"
    call_command("render_digest", str(issue.pk), "--format", "html", "-o", str(target))
    assert target.read_text().startswith("<!doctype html>")

    call_command("render_digest", str(issue.pk), "--format", "text")
    assert "Arms fair opens in Pretoria" in capsys.readouterr().out
    call_command("render_digest", str(issue.pk), "--format", "mjml")
    assert capsys.readouterr().out.startswith("<mjml")


def test_render_digest_command_translation(issue, locales):
    issue.get_parent().copy_for_translation(locales["fr"], copy_parents=True)
    issue.copy_for_translation(locales["fr"])
    call_command("render_digest", str(issue.pk), "--format", "mjml", "--locale", "fr")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["abc"], "is not a page id"),
        (["999999"], "No page has the id 999999"),
        (["{issue}", "--format", "pdf"], "Unknown format 'pdf'"),
        (["{home}"], "not a digest issue"),
        (["{issue}", "--locale", "xx"], "Unknown language 'xx'"),
        (["{issue}", "--locale", "sw"], "has no translation in 'sw'"),
        (["{issue}", "-o", "/nonexistent/dir/file.html"], "Cannot write"),
    ],
)
def test_render_digest_command_refuses_bad_input(issue, home_page, args, message):
    args = [arg.format(issue=issue.pk, home=home_page.pk) for arg in args]
    with pytest.raises(CommandError, match=message):
        call_command("render_digest", *args)


def test_publication_covers_are_fixed_width_renditions_with_alt(
    briefings, django_assert_max_num_queries
):
    from tests.publications.factories import CoverImageFactory, PublicationPageFactory

    reports = [
        PublicationPageFactory(
            parent=briefings.get_parent(), cover_image=CoverImageFactory()
        )
        for _number in range(3)
    ]
    issue = BriefingPageFactory(
        parent=briefings,
        sections=sections_json(
            section_raw(
                "Ours",
                [
                    item_raw("publication", publication=report.pk, title=report.title)
                    for report in reports
                ],
            )
        ),
    )
    render_digest_email(issue)

    with django_assert_max_num_queries(9):
        email = render_digest_email(issue, base_url="https://institute.example")

    images = [attrs for tag, attrs in parsed_tags(email.html) if tag == "img"]
    assert len(images) == 3
    for attrs in images:
        assert attrs["alt"] == "Miners at work in a gold pit"
        assert attrs["width"] == "120"
        assert attrs["src"].startswith("https://institute.example/")
    for report in reports:
        assert f"https://institute.example{report.url}" in email.text
