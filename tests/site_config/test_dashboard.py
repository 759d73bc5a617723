"""The dashboard for the day's work: each panel for those who may see it."""

from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest

from briefings.models import BriefingIndexPage
from briefings.news.choices import NewsStatus
from briefings.newsletter.models import Delivery, Dispatch
from site_config.dashboard import PANELS, dashboard_panels
from tests.briefings.factories import (
    BriefingIndexPageFactory,
    BriefingPageFactory,
    item_raw,
    section_raw,
    sections_json,
)
from tests.briefings.news.factories import NewsItemFactory, NewsSourceFactory
from tests.briefings.newsletter.factories import MailingListFactory, SubscriberFactory

pytestmark = pytest.mark.django_db

HEADINGS = {
    "dashboard-news": "News inbox",
    "dashboard-feeds": "Failing feeds",
    "dashboard-drafts": "Next issues",
    "dashboard-dispatches": "Last dispatches",
    "dashboard-voices": "Voices studies waiting for review",
}


def _content(home_page, size: int) -> None:
    """`size` of everything each panel lists."""
    for n in range(size):
        NewsItemFactory(title=f"New {n}")
        NewsItemFactory(status=NewsStatus.SHORTLISTED)
        NewsSourceFactory(failing=True, title=f"Broken {n}")
    index = BriefingIndexPage.objects.first() or BriefingIndexPageFactory(
        parent=home_page
    )
    draft = BriefingPageFactory(
        parent=index,
        title=f"Briefing January 2020 ({size})",
        live=False,
        sections=sections_json(
            section_raw(
                "Gold", [item_raw("news_item", title=f"N{n}") for n in range(size)]
            )
        ),
    )
    draft.save_revision()
    published = BriefingPageFactory(parent=index, title=f"Briefing 2019 ({size})")
    mailing_list = MailingListFactory()
    for _ in range(size):
        dispatch = Dispatch.objects.create(
            page=published, mailing_list=mailing_list, total=size
        )
        for _ in range(size):
            Delivery.objects.create(
                dispatch=dispatch,
                subscriber=SubscriberFactory(),
                language="en",
                status="sent",
            )


def _user(django_user_model, *codenames, groups=()):
    user = django_user_model.objects.create_user("staff", "s@example.org", "pw")
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        *Permission.objects.filter(codename__in=codenames),
    )
    for name in groups:
        group = Group.objects.get_or_create(name=name)[0]
        group.permissions.clear()  # the panel asks for the group, nothing more
        user.groups.add(group)
    return user


def test_a_superuser_sees_every_panel_with_what_it_holds(admin_client, home_page):
    _content(home_page, 2)

    page = admin_client.get(reverse("wagtailadmin_home")).content.decode()

    for heading in HEADINGS.values():
        assert heading in page
    assert "2 new items" in page and "2 shortlisted" in page
    assert "2 active feeds are failing." in page
    assert "The server answered 500 (an error)." in page
    assert "Failing since" in page
    assert "Briefing January 2020 (2)" in page
    assert "1 section" in page and "2 news items" in page
    assert "Sent" in page or "Queued" in page
    assert "2 of 2 sent" in page
    assert "No Voices study is waiting for review." in page


def test_each_panel_checks_its_own_permission(django_user_model, client):
    news_reader = _user(django_user_model, "view_newsitem")

    client.force_login(news_reader)
    page = client.get(reverse("wagtailadmin_home")).content.decode()

    assert [type(panel).name for panel in dashboard_panels(news_reader)] == [
        "dashboard-news"
    ]
    assert "News inbox" in page
    assert "Failing feeds" not in page and "Last dispatches" not in page
    assert "Next issues" not in page and "waiting for review" not in page


def test_senders_and_reviewers_see_their_panels(django_user_model):
    user = _user(
        django_user_model, "send_digest", "view_newssource", groups=["Moderators"]
    )

    names = [type(panel).name for panel in dashboard_panels(user)]

    assert names == ["dashboard-feeds", "dashboard-dispatches", "dashboard-voices"]


@pytest.mark.parametrize("panel_class", PANELS, ids=lambda panel: panel.name)
def test_each_panel_reads_in_at_most_six_queries_whatever_the_content(
    panel_class, admin_user, home_page
):
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    context = {"request": request, "csrf_token": "x"}
    _content(home_page, 1)
    panel_class().render_html(context)  # warm caches (content types)
    with CaptureQueriesContext(connection) as few:
        panel_class().render_html(context)
    _content(home_page, 6)

    with CaptureQueriesContext(connection) as many:
        html = panel_class().render_html(context)

    assert len(few.captured_queries) <= 6
    assert len(many.captured_queries) == len(few.captured_queries)
    assert HEADINGS[panel_class.name] in html
