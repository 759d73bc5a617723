import datetime

from wagtail.models import Page

import pytest

from briefings.models import BriefingPage
from bulletins.models import BulletinPage
from tests.briefings.factories import BriefingIndexPageFactory, BriefingPageFactory
from tests.bulletins.factories import BulletinIndexPageFactory, BulletinPageFactory
from tests.publications.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def briefings(home_page):
    return BriefingIndexPageFactory(parent=home_page)


def test_issue_page_shows_period_focus_editorial_and_author(client, briefings):
    issue = BriefingPageFactory(
        parent=briefings,
        issue_date=datetime.date(2019, 11, 15),
        focus_title="The Kimberley Process after a failed reform cycle",
        editorial="<p>No consensus on the <b>definition</b>.</p>",
        author=PersonFactory(name="Hans Merket"),
    )

    html = client.get(issue.url).content.decode()

    assert '<time datetime="2019-11-15">November 2019</time>' in html
    assert '<h1 class="page-header__title" dir="auto">The Kimberley Process' in html
    assert "No consensus on the <b>definition</b>." in html
    assert "By Hans Merket" in html
    assert f'href="{briefings.url}"' in html


def test_bulletin_period_label_overrides_the_month(home_page):
    bulletins = BulletinIndexPageFactory(parent=home_page)
    issue = BulletinPageFactory(
        parent=bulletins,
        issue_date=datetime.date(2019, 6, 30),
        period_label="May–June 2019",
    )
    plain = BulletinPageFactory(parent=bulletins, issue_date=datetime.date(2019, 8, 31))

    assert issue.period == "May–June 2019"
    assert plain.period == "August 2019"


def test_archive_lists_live_issues_newest_first_grouped_by_year(client, briefings):
    BriefingPageFactory(
        parent=briefings, issue_date=datetime.date(2019, 10, 15), focus_title="Oct 19"
    )
    BriefingPageFactory(
        parent=briefings, issue_date=datetime.date(2020, 1, 15), focus_title="Jan 20"
    )
    draft = BriefingPageFactory(
        parent=briefings, issue_date=datetime.date(2020, 2, 15), focus_title="Draft"
    )
    draft.unpublish()

    html = client.get(briefings.url).content.decode()

    assert (
        html.index('id="year-2020"')
        < html.index("Jan 20")
        < html.index('id="year-2019"')
        < html.index("Oct 19")
    )
    assert "Draft" not in html


def test_empty_archive_says_so(client, briefings):
    assert (
        "No issue has been published yet." in client.get(briefings.url).content.decode()
    )


def test_archive_query_count_does_not_grow_with_issues(
    client, briefings, django_assert_max_num_queries
):
    author = PersonFactory()
    for _ in range(3):
        BriefingPageFactory(parent=briefings, author=author)
    client.get(briefings.url)
    with django_assert_max_num_queries(14) as few:
        client.get(briefings.url)

    for _ in range(20):
        BriefingPageFactory(parent=briefings, author=author)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(briefings.url)


def test_home_page_shows_the_latest_briefing_and_bulletin_of_its_language(
    client, home_page, briefings, locales
):
    BriefingPageFactory(
        parent=briefings, issue_date=datetime.date(2019, 10, 15), focus_title="Older"
    )
    BriefingPageFactory(
        parent=briefings, issue_date=datetime.date(2019, 12, 15), focus_title="Newest"
    )
    bulletins = BulletinIndexPageFactory(parent=home_page)
    BulletinPageFactory(parent=bulletins, focus_title="Arms in Libya")

    html = client.get("/en/").content.decode()

    assert "Newest" in html and "Arms in Libya" in html
    assert "Older" not in html
    assert "Briefing · December 2019" in html


def test_digest_pages_sit_only_in_their_archive(home_page, briefings):
    assert not BriefingPage.can_create_at(home_page)
    assert BriefingPage.can_create_at(briefings)
    assert not BulletinPage.can_create_at(briefings)
    assert BriefingPage.parent_page_types == ["briefings.BriefingIndexPage"]
    assert not BriefingIndexPageFactory._meta.model.can_create_at(
        Page.get_first_root_node()
    )
