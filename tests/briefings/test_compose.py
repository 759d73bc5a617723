"""Composing digests: from the inbox into a draft, warnings, preview modes."""

from django.contrib.messages import get_messages
from django.urls import reverse

import pytest

from briefings.compose import digest_news_items_add
from briefings.models import BriefingPage
from briefings.news.choices import NewsStatus
from briefings.news.models import NewsItem
from briefings.outline import digest_reference_problems
from tests.briefings.factories import (
    BriefingIndexPageFactory,
    BriefingPageFactory,
    item_raw,
    section_raw,
    sections_json,
)
from tests.briefings.news.factories import NewsItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(home_page):
    index = BriefingIndexPageFactory(parent=home_page)
    page = BriefingPageFactory(parent=index, live=False, title="Briefing draft")
    page.save_revision()
    return page


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("boss", "b@example.org", "pw")
    client.force_login(user)
    return client


def _draft_sections(page):
    return BriefingPage.objects.get(pk=page.pk).get_latest_revision_as_object().sections


def test_items_are_copied_into_a_section_and_marked_used(draft):
    first = NewsItemFactory(
        title="Gold exports rise", summary_html="<p>Up <b>10 %</b> &amp; more.</p>"
    )
    second = NewsItemFactory(title="Arms fair opens")

    added = digest_news_items_add(
        page=draft, item_ids=[first.pk, second.pk], section_heading="Arms trade"
    )
    again = digest_news_items_add(
        page=draft, item_ids=[first.pk], section_heading="Arms trade"
    )

    assert (added, again) == (2, 0)
    sections = _draft_sections(draft)
    assert len(sections) == 1
    section = sections[0].value
    assert section["heading"] == "Arms trade"
    values = {item.value["title"]: item.value for item in section["items"]}
    assert values["Gold exports rise"]["summary"] == "Up 10 % & more."
    assert values["Gold exports rise"]["news_item"] == first
    assert values["Gold exports rise"]["source"] == first.source.title
    assert values["Gold exports rise"]["url"] == first.link
    assert set(NewsItem.objects.values_list("status", "used_in")) == {
        (NewsStatus.USED, draft.pk)
    }
    assert not BriefingPage.objects.get(pk=draft.pk).live


def test_items_can_be_added_to_a_draft_not_yet_complete(home_page):
    """Wagtail saves drafts without their required fields; adding items is fine."""
    index = BriefingIndexPageFactory(parent=home_page)
    page = BriefingPageFactory(parent=index, live=False, editorial="")
    page.save_revision(clean=False)

    added = digest_news_items_add(
        page=page, item_ids=[NewsItemFactory().pk], section_heading="News"
    )

    assert added == 1
    assert len(_draft_sections(page)[0].value["items"]) == 1


def test_a_briefing_section_is_found_by_its_heading_whatever_its_case():
    sections = [section_raw("Arms trade"), section_raw("Our publications")]

    found = BriefingPage.section_raw_for(sections, "arms TRADE")
    made = BriefingPage.section_raw_for(sections, "Africa")

    assert found is sections[0]
    assert made is sections[2]
    assert made["value"] == {"heading": "Africa", "intro": "", "items": []}


def test_inbox_bulk_action_adds_to_a_draft(admin_client, draft):
    items = NewsItemFactory.create_batch(2, status=NewsStatus.SHORTLISTED)
    inbox = reverse("news_newsitem_modeladmin_index")

    listing = admin_client.get(inbox).content.decode()
    assert f'<option value="{draft.pk}">Briefing draft' in listing

    response = admin_client.post(
        reverse("news_bulk"),
        {
            "action": "add_to_digest",
            "item": [item.pk for item in items],
            "digest": draft.pk,
            "section": "Natural resources",
        },
    )

    assert response.status_code == 302
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert "2 item(s) added to “Briefing draft”" in messages[0]
    edit_url = reverse("wagtailadmin_pages:edit", args=[draft.pk])
    assert f'<a href="{edit_url}">Edit the draft</a>' in messages[0]
    assert len(_draft_sections(draft)[0].value["items"]) == 2
    listing = admin_client.get(inbox + "?status=used").content.decode()
    assert reverse("wagtailadmin_pages:edit", args=[draft.pk]) in listing


def test_inbox_bulk_action_needs_a_draft_digest(admin_client, draft):
    item = NewsItemFactory()
    draft.save_revision().publish()

    response = admin_client.post(
        reverse("news_bulk"),
        {"action": "add_to_digest", "item": [item.pk], "digest": draft.pk},
    )

    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert "That digest is no longer a draft" in messages[0]
    assert NewsItem.objects.get(pk=item.pk).status == NewsStatus.NEW


def test_editor_is_warned_about_deleted_items_and_unpublished_reports(
    admin_client, draft
):
    from tests.publications.factories import PublicationPageFactory

    library_item = PublicationPageFactory()
    library_item.unpublish()
    item = NewsItemFactory()
    page = draft.get_latest_revision_as_object()
    page.sections = sections_json(
        section_raw(
            "Mixed",
            [
                item_raw("news_item", news_item=item.pk + 1000, title="Gone item"),
                item_raw("publication", publication=library_item.pk, title="Hidden"),
                item_raw("news_item", news_item=item.pk, title="Still here"),
            ],
        )
    )
    page.save_revision()

    problems = digest_reference_problems(page)
    assert len(problems) == 2
    html = admin_client.get(
        reverse("wagtailadmin_pages:edit", args=[draft.pk])
    ).content.decode()
    assert "were deleted from the inbox" in html
    assert "/admin/news/newsitem/?status=shortlisted" in html
    assert "unpublished or deleted" in html
    assert admin_client.get(draft.url or f"/en/briefing/{draft.slug}/").status_code
    preview = admin_client.get(
        reverse("wagtailadmin_pages:view_draft", args=[draft.pk])
    ).content.decode()
    assert "Gone item" in preview and "Hidden" in preview


def test_preview_modes_are_web_page_and_email(admin_client, draft):
    assert [mode for mode, _label in draft.preview_modes] == ["", "email"]
    response = admin_client.get(
        reverse("wagtailadmin_pages:view_draft", args=[draft.pk]) + "?mode=email"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "%%unsubscribe_url%%" in html
    assert "<mj-" not in html


def test_inbox_bulk_action_asks_for_the_digest(admin_client, draft):
    item = NewsItemFactory()

    response = admin_client.post(
        reverse("news_bulk"), {"action": "add_to_digest", "item": [item.pk]}
    )

    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert messages == ["Choose the draft digest to add the items to."]
    assert NewsItem.objects.get(pk=item.pk).status == NewsStatus.NEW


def test_adding_to_a_digest_needs_permission_to_edit_it(
    client, draft, django_user_model
):
    from django.contrib.auth.models import Group, Permission

    user = django_user_model.objects.create_user("clerk", "c@example.org", "pw")
    group = Group.objects.create(name="Inbox only")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="change_newsitem"),
    )
    user.groups.add(group)
    client.force_login(user)
    item = NewsItemFactory()

    response = client.post(
        reverse("news_bulk"),
        {"action": "add_to_digest", "item": [item.pk], "digest": draft.pk},
    )

    # Wagtail's admin turns the refusal into a redirect with an error message.
    assert response.status_code in (302, 403)
    assert response.get("Location", "/admin/") == "/admin/"
    assert NewsItem.objects.get(pk=item.pk).status == NewsStatus.NEW
    assert not _draft_sections(draft)
