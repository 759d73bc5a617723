"""The demo issues: composed from demo news and publications; the December email."""

import re
from html.parser import HTMLParser

import pytest

from briefings.email.render import UNSUBSCRIBE_PLACEHOLDER, render_digest_email
from briefings.models import BriefingPage
from briefings.news.choices import NewsStatus
from briefings.news.models import NewsItem
from bulletins.models import BulletinPage

pytestmark = pytest.mark.django_db


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


@pytest.fixture
def december(demo_site_shared):
    return BriefingPage.objects.get(slug="december-2019", locale__language_code="en")


def test_demo_issues_are_composed_once(demo_site_shared, client):
    from site_config.demo.build import demo_site_build

    english = {"live": True, "locale__language_code": "en"}
    briefings = BriefingPage.objects.filter(**english).order_by("issue_date")
    bulletins = BulletinPage.objects.filter(**english).order_by("issue_date")
    assert [page.slug for page in briefings] == [
        "october-2019",
        "november-2019",
        "december-2019",
    ]
    assert bulletins.count() == 6
    for issue in [*briefings, *bulletins]:
        assert len(issue.sections) >= 2, issue.slug
        kinds = {item.block_type for s in issue.sections for item in s.value["items"]}
        assert kinds & {"news_item", "publication"}, issue.slug
        assert client.get(issue.url).status_code == 200
    used = NewsItem.objects.filter(status=NewsStatus.USED, used_in__isnull=False)
    assert used.count() >= 15

    # Every Briefing, translations included, is left as it was.
    revisions = {
        page.pk: page.latest_revision_id for page in BriefingPage.objects.live()
    }
    report = demo_site_build()
    assert "digest issues composed" not in report.created
    assert {
        page.pk: page.latest_revision_id for page in BriefingPage.objects.live()
    } == revisions


def test_december_briefing_email_is_ready_to_send(december):
    email = render_digest_email(december, base_url="https://institute.example")
    parser = _Tags()
    parser.feed(email.html)

    assert "<script" not in email.html.lower()
    assert UNSUBSCRIBE_PLACEHOLDER in email.html
    assert UNSUBSCRIBE_PLACEHOLDER in email.text
    images = [attrs for tag, attrs in parser.tags if tag == "img"]
    for attrs in images:
        assert attrs.get("alt"), attrs
        assert attrs.get("width"), attrs
    for tag, attrs in parser.tags:
        for name in ("href", "src", "background"):
            value = attrs.get(name)
            if value and not value.startswith("%%"):
                assert re.match(r"^(https?://|mailto:)", value), (tag, value)
    for section in december.sections:
        for item in section.value["items"]:
            assert item.value["title"] in email.text
    for url in re.findall(r'<h3[^>]*><a href="([^"]+)"', email.html):
        assert url in email.text
    assert "Private security companies and the weapons they carry" in email.text
    assert "Arms and ammunitions factories in Africa" in email.text
    assert (
        "https://institute.example/en/publications/arms-ammunition-factories-africa/"
        in email.text
    )
