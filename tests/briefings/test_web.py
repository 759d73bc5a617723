"""Issue pages, archives and feeds of the digests on the web."""

import pytest

from tests.briefings.factories import (
    BriefingIndexPageFactory,
    BriefingPageFactory,
    item_raw,
    many_items,
    section_raw,
    sections_json,
)
from tests.utils.html import assert_valid_html_documents

pytestmark = pytest.mark.django_db


@pytest.fixture
def briefings(home_page):
    return BriefingIndexPageFactory(parent=home_page)


def test_issue_page_has_a_table_of_contents_and_links_to_sources(client, briefings):
    issue = BriefingPageFactory(
        parent=briefings,
        sections=sections_json(
            section_raw(
                "Natural resources",
                [
                    item_raw(
                        "news_item",
                        title="Gold exports rise",
                        source="Great Lakes desk",
                        date="2019-12-03",
                        url="https://desk.example/gold",
                        summary="Up ten percent.",
                        comment="Compare with our map.",
                    ),
                    item_raw("link", title="No summary", url="https://x.example/"),
                ],
            ),
            section_raw("Empty section"),
        ),
    )

    html = client.get(issue.url).content.decode()

    assert '<a href="#section-1" dir="auto">Natural resources</a>' in html
    assert '<h2 id="section-2" dir="auto">Empty section</h2>' in html
    assert 'href="https://desk.example/gold" rel="noopener nofollow"' in html
    assert 'Great Lakes desk · <time datetime="2019-12-03">3 December 2019' in html
    assert "Compare with our map." in html
    assert "No items in this section." in html
    assert 'href="/en/briefings/feed/"' in html


def test_issue_page_links_live_publications_into_the_library(client, briefings):
    from tests.publications.factories import PublicationPageFactory

    report = PublicationPageFactory(parent=briefings.get_parent(), title="Mapping")
    hidden = PublicationPageFactory(parent=briefings.get_parent(), title="Withdrawn")
    hidden.unpublish()
    issue = BriefingPageFactory(
        parent=briefings,
        sections=sections_json(
            section_raw(
                "Our publications",
                [
                    item_raw("publication", publication=report.pk, title="Mapping"),
                    item_raw("publication", publication=hidden.pk, title="Withdrawn"),
                ],
            )
        ),
    )

    html = client.get(issue.url).content.decode()

    assert f'<a href="{report.url}">Mapping</a>' in html
    assert "Withdrawn</h3>" in html


def test_awkward_content_renders_and_is_valid_html(client, briefings):
    issue = BriefingPageFactory(
        parent=briefings,
        focus_title="Minerals 💎 and arms ⚔️",
        editorial=f"<h3>{'B' * 5000}</h3><p>שלום — مرحبا</p>",
        sections=sections_json(
            section_raw("تجارة الأسلحة", [item_raw("link", title="<b>bold</b> 🚀")]),
            section_raw("", []),
        ),
    )

    response = client.get(issue.url)
    html = response.content.decode()

    assert response.status_code == 200
    assert "&lt;b&gt;bold&lt;/b&gt; 🚀" in html
    assert "Section 2" in html
    assert_valid_html_documents(
        {"issue": html, "archive": client.get(briefings.url).content.decode()}
    )


def test_issue_and_archive_query_counts_do_not_grow(
    client, briefings, django_assert_max_num_queries
):
    small = BriefingPageFactory(
        parent=briefings, sections=sections_json(section_raw("S", many_items(1)))
    )
    big = BriefingPageFactory(
        parent=briefings,
        sections=sections_json(
            *(section_raw(f"S{n}", many_items(10)) for n in range(4))
        ),
    )
    client.get(small.url)
    client.get(briefings.url)
    with django_assert_max_num_queries(16) as small_queries:
        client.get(small.url)
    with django_assert_max_num_queries(16) as big_queries:
        client.get(big.url)
    assert len(big_queries) == len(small_queries)

    with django_assert_max_num_queries(16) as few:
        client.get(briefings.url)
    BriefingPageFactory.create_batch(8, parent=briefings)
    with django_assert_max_num_queries(16) as many:
        client.get(briefings.url)
    assert len(many) == len(few)


def test_feed_lists_live_issues_of_the_language(client, briefings, locales):
    live = BriefingPageFactory(parent=briefings, focus_title="Kimberley Process")
    draft = BriefingPageFactory(parent=briefings, focus_title="Not yet")
    draft.unpublish()

    response = client.get("/en/briefings/feed/")
    body = response.content.decode()

    assert response["Content-Type"].startswith("application/rss+xml")
    assert f"{live.title}: Kimberley Process" in body
    assert "Not yet" not in body
    assert client.get("/fr/briefings/feed/").status_code == 404
    assert client.get("/en/bulletins/feed/").status_code == 404


def test_issue_translation_renders_in_french_with_its_feed(client, briefings, locales):
    issue = BriefingPageFactory(
        parent=briefings,
        sections=sections_json(section_raw("Ressources", [item_raw(title="Or")])),
    )
    briefings.copy_for_translation(
        locales["fr"], copy_parents=True
    ).save_revision().publish()
    french = issue.copy_for_translation(locales["fr"])
    french.save_revision().publish()

    html = client.get(french.url).content.decode()

    assert french.url.startswith("/fr/")
    assert '<html lang="fr"' in html
    assert 'href="/fr/briefings/feed/"' in html
    assert client.get("/fr/briefings/feed/").status_code == 200


def test_archives_and_issues_invite_readers_to_subscribe_to_their_list(
    client, briefings, home_page
):
    from tests.bulletins.factories import BulletinIndexPageFactory, BulletinPageFactory

    issue = BriefingPageFactory(parent=briefings)
    bulletins = BulletinIndexPageFactory(parent=home_page)
    bulletin = BulletinPageFactory(parent=bulletins)

    for page, digest, name in (
        (briefings, "briefings.briefingpage", "Monthly Briefing"),
        (issue, "briefings.briefingpage", "Monthly Briefing"),
        (bulletins, "bulletins.bulletinpage", "Arms Trade Bulletin"),
        (bulletin, "bulletins.bulletinpage", "Arms Trade Bulletin"),
    ):
        html = client.get(page.url).content.decode()

        cta = html.split('<aside class="subscribe-cta"', 1)[1].split("</aside>", 1)[0]
        assert f"Get the {name} by email" in cta
        assert f'href="/en/newsletter/?digest={digest}"' in cta
