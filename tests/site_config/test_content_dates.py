"""Search results and feeds give the content's own date (the issue or publication
date), never the moment its page went live."""

import datetime
import re

import pytest
from bs4 import BeautifulSoup

from tests.briefings.factories import BriefingIndexPageFactory, BriefingPageFactory
from tests.bulletins.factories import BulletinIndexPageFactory, BulletinPageFactory
from tests.publications.factories import (
    PublicationIndexPageFactory,
    PublicationPageFactory,
)

pytestmark = pytest.mark.django_db


def _published(page):
    page.save_revision().publish()  # also puts it in the search index
    return page


@pytest.fixture
def dated(home_page):
    """A December 2019 Briefing, a May–June 2019 Bulletin and a 2017 report,
    all put online today."""
    briefing = BriefingPageFactory(
        parent=BriefingIndexPageFactory(parent=home_page),
        title="Briefing December 2019",
        issue_date=datetime.date(2019, 12, 5),
        focus_title="Cobalt in Katanga",
    )
    bulletin = BulletinPageFactory(
        parent=BulletinIndexPageFactory(parent=home_page),
        title="Arms Trade Bulletin May–June 2019",
        issue_date=datetime.date(2019, 6, 28),
        period_label="May–June 2019",
        focus_title="Cobalt and arms",
    )
    report = PublicationPageFactory(
        parent=PublicationIndexPageFactory(parent=home_page),
        title="Cobalt supply chains",
        publication_date=datetime.date(2017, 3, 1),
    )
    return {
        "briefing": _published(briefing),
        "bulletin": _published(bulletin),
        "report": _published(report),
    }


def test_search_results_show_the_issue_and_publication_dates(client, dated):
    html = BeautifulSoup(
        client.get("/en/search/", {"q": "cobalt"}).content, "html.parser"
    )

    dates = {
        result.select_one(".search-result__link").get_text(): (
            result.select_one("time")["datetime"],
            result.select_one("time").get_text(),
        )
        for result in html.select(".search-result")
    }
    assert dates == {
        "Briefing December 2019": ("2019-12-05", "December 2019"),
        "Arms Trade Bulletin May–June 2019": ("2019-06-28", "May–June 2019"),
        "Cobalt supply chains": ("2017-03-01", "March 2017"),
    }
    today = datetime.date.today()
    assert str(today.year) not in " ".join(label for _iso, label in dates.values())


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/en/briefings/feed/", "Thu, 05 Dec 2019 00:00:00 +0000"),
        ("/en/bulletins/feed/", "Fri, 28 Jun 2019 00:00:00 +0000"),
        ("/en/publications/feed/", "Wed, 01 Mar 2017 00:00:00 +0000"),
    ],
)
def test_feed_items_are_dated_by_their_content(client, dated, url, expected):
    body = client.get(url).content.decode()

    assert re.findall(r"<pubDate>([^<]+)</pubDate>", body) == [expected]
