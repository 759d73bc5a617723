"""The news inbox and the sources in the Wagtail admin (wagtail-modeladmin)."""

import html
from datetime import timedelta

from django import forms
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from wagtail import hooks

import pytest

from briefings.news.choices import NewsStatus
from briefings.news.inbox import INBOX_ACTION_HOOK, InboxAction
from briefings.news.models import NewsItem, NewsSource
from tests.briefings.news.factories import NewsItemFactory, NewsSourceFactory
from tests.briefings.news.feeds import local_feed_server, rss_feed
from tests.publications.factories import CountryFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db

INBOX = "news_newsitem_modeladmin_index"
SOURCES = "news_newssource_modeladmin_index"


@pytest.fixture
def editor(django_user_model):
    """A staff member with the news permissions, not a superuser."""
    user = django_user_model.objects.create_user(
        "editor", "editor@example.org", "pw", is_staff=True
    )
    group = Group.objects.create(name="News editors")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        *Permission.objects.filter(
            content_type__app_label="news",
            codename__in=[
                "view_newsitem",
                "change_newsitem",
                "view_newssource",
                "add_newssource",
                "change_newssource",
            ],
        ),
    )
    user.groups.add(group)
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def reader_client(django_user_model):
    """Admin access and view permissions only."""
    user = django_user_model.objects.create_user("reader", "r@example.org", "pw")
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_newsitem"),
        Permission.objects.get(codename="view_newssource"),
    )
    client = Client()
    client.force_login(user)
    return client


def items_with_tags(count: int, programmes, countries) -> list[NewsItem]:
    items = []
    for n in range(count):
        item = NewsItemFactory(title=f"Item {n}")
        item.programmes.add(*programmes)
        item.countries.add(*countries)
        NewsItemFactory(duplicate_of=item, title=f"Item {n}")
        items.append(item)
    return items


def test_the_inbox_lists_items_with_sources_tags_and_original(editor_client, locales):
    programme = ProgrammeFactory(name="Natural Resources")
    country = CountryFactory(name="Tanzania")
    item = NewsItemFactory(
        title="Gold exports <rise>",
        summary_html="<p>Exports &amp; more</p>",
        link="https://news.example/gold?utm_source=x",
        canonical_url="https://news.example/gold",
        source=NewsSourceFactory(title="Minerals Desk"),
    )
    item.programmes.add(programme)
    item.countries.add(country)
    NewsItemFactory(duplicate_of=item, source=NewsSourceFactory(title="Digest"))

    response = editor_client.get(reverse(INBOX))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Gold exports &lt;rise&gt;" in page  # text is escaped, never markup
    assert "Exports &amp; more" in page
    assert "Minerals Desk, Digest" in page
    assert "Natural Resources" in page and "Tanzania" in page
    assert 'href="https://news.example/gold"' in page
    assert 'name="item"' in page  # bulk selection
    assert page.count("data-row-link>Gold exports") == 1  # the duplicate is folded in


def test_the_inbox_query_count_does_not_grow_with_the_items(
    editor_client, locales, django_assert_num_queries
):
    programmes = [ProgrammeFactory(), ProgrammeFactory()]
    countries = [CountryFactory(), CountryFactory()]
    items_with_tags(3, programmes, countries)
    editor_client.get(reverse(INBOX))  # warm caches (permissions, content types)
    with CaptureQueriesContext(connection) as few:
        assert editor_client.get(reverse(INBOX)).status_code == 200
    items_with_tags(30, programmes, countries)

    with django_assert_num_queries(len(few.captured_queries)):
        response = editor_client.get(reverse(INBOX))

    assert response.content.decode().count('name="item" value=') == 33
    assert len(few.captured_queries) <= 30


def test_the_inbox_filters_by_status_and_searches(editor_client):
    NewsItemFactory(title="Shortlisted one", status=NewsStatus.SHORTLISTED)
    NewsItemFactory(title="Dismissed one", status=NewsStatus.DISMISSED)

    shortlisted = editor_client.get(reverse(INBOX), {"status": "shortlisted"})
    found = editor_client.get(reverse(INBOX), {"q": "dismissed"})

    assert "Shortlisted one" in shortlisted.content.decode()
    assert "Dismissed one" not in shortlisted.content.decode()
    assert "Dismissed one" in found.content.decode()
    assert "Shortlisted one" not in found.content.decode()


@pytest.mark.parametrize(
    ("action", "status"),
    [
        ("shortlist", NewsStatus.SHORTLISTED),
        ("dismiss", NewsStatus.DISMISSED),
        ("used", NewsStatus.USED),
        ("new", NewsStatus.NEW),
    ],
)
def test_bulk_actions_change_the_status_of_ticked_items(editor_client, action, status):
    first, second, other = NewsItemFactory(), NewsItemFactory(), NewsItemFactory()
    if status == NewsStatus.NEW:
        NewsItem.objects.update(status=NewsStatus.DISMISSED)

    response = editor_client.post(
        reverse("news_bulk"),
        {"action": action, "item": [first.pk, second.pk], "next": "/admin/?x=1"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/admin/?x=1"
    assert set(NewsItem.objects.filter(status=status)) >= {first, second}
    other.refresh_from_db()
    if status != NewsStatus.NEW:
        assert other.status != status


def test_bulk_tagging_adds_programmes_and_countries(editor_client, locales):
    programme, country = ProgrammeFactory(), CountryFactory()
    item = NewsItemFactory()

    editor_client.post(
        reverse("news_bulk"),
        {
            "action": "tag",
            "item": [item.pk],
            "programmes": [programme.pk],
            "countries": [country.pk],
        },
    )

    assert list(item.programmes.all()) == [programme]
    assert list(item.countries.all()) == [country]


def test_bulk_tagging_without_tags_is_refused_with_a_message(editor_client):
    item = NewsItemFactory()

    response = editor_client.post(
        reverse("news_bulk"),
        {"action": "tag", "item": [item.pk]},
        follow=True,
    )

    assert "Choose at least one programme or country" in response.content.decode()


def test_a_bulk_action_with_no_item_says_so(editor_client):
    response = editor_client.post(
        reverse("news_bulk"), {"action": "dismiss"}, follow=True
    )

    assert "Tick at least one news item." in response.content.decode()


def test_bulk_actions_need_the_change_permission(reader_client):
    item = NewsItemFactory()

    response = reader_client.post(
        reverse("news_bulk"), {"action": "dismiss", "item": [item.pk]}
    )

    # Wagtail turns a refused permission into a redirect with a message.
    assert response.status_code in (302, 403)
    assert response.get("Location", "/admin/") == "/admin/"
    item.refresh_from_db()
    assert item.status == NewsStatus.NEW
    assert 'name="item"' not in reader_client.get(reverse(INBOX)).content.decode()


def test_bulk_actions_are_post_only_and_csrf_protected(editor):
    item = NewsItemFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)

    assert client.get(reverse("news_bulk")).status_code == 405
    response = client.post(
        reverse("news_bulk"), {"action": "dismiss", "item": [item.pk]}
    )

    assert response.status_code == 403
    item.refresh_from_db()
    assert item.status == NewsStatus.NEW


def test_the_redirect_after_a_bulk_action_stays_on_this_site(editor_client):
    item = NewsItemFactory()

    response = editor_client.post(
        reverse("news_bulk"),
        {"action": "dismiss", "item": [item.pk], "next": "https://evil.example/"},
    )

    assert response["Location"] == reverse(INBOX)


def test_staff_without_news_permissions_cannot_open_the_inbox(django_user_model):
    user = django_user_model.objects.create_user("other", "o@example.org", "pw")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client = Client()
    client.force_login(user)

    assert client.get(reverse(INBOX)).status_code in (302, 403)
    assert client.get(reverse(SOURCES)).status_code in (302, 403)
    export = client.get(reverse("news_opml_export"))
    assert export.status_code in (302, 403)
    assert b"<opml" not in export.content


def test_the_preview_shows_the_cleaned_summary_in_a_sandbox(editor_client):
    item = NewsItemFactory(
        summary_html='<p>Cleaned <a href="https://news.example/x">link</a></p>',
        canonical_url="https://news.example/original",
    )

    response = editor_client.get(
        reverse("news_newsitem_modeladmin_inspect", args=[item.pk])
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert 'sandbox="allow-popups allow-popups-to-escape-sandbox"' in page
    srcdoc = page.split('srcdoc="', 1)[1].split('"', 1)[0]
    assert "<" not in srcdoc  # escaped into the attribute, parsed only in the frame
    assert "Cleaned &lt;a href=&quot;https://news.example/x&quot;&gt;" in srcdoc
    assert 'href="https://news.example/original"' in page


def test_items_cannot_be_deleted_from_the_inbox_listing(admin_client):
    NewsItemFactory()

    page = admin_client.get(reverse(INBOX)).content.decode()

    assert "Delete this news item" not in page


def test_the_sources_listing_shows_health_and_fetch_buttons(editor_client):
    NewsSourceFactory(
        title="Failing feed",
        failing=True,
        last_fetched_at=timezone.now(),
        next_poll_at=timezone.now() + timedelta(hours=1),
    )

    page = editor_client.get(reverse(SOURCES)).content.decode()

    assert "Failing feed" in page
    assert "(3 failed polls in a row); backing off until" in page
    assert "The server answered 500" in page
    assert 'form="news-fetch-now"' in page
    assert reverse("news_opml_import") in page
    assert reverse("news_opml_export") in page


def test_fetch_now_fetches_the_source_and_resets_its_backoff(editor_client):
    with local_feed_server() as server:
        server.expect_request("/feed").respond_with_data(rss_feed(2))
        source = NewsSourceFactory(
            feed_url=server.url_for("/feed"),
            failing=True,
            next_poll_at=timezone.now() + timedelta(hours=12),
        )

        response = editor_client.post(
            reverse("news_source_fetch_now"), {"source": source.pk}, follow=True
        )

    source.refresh_from_db()
    assert "2 new" in response.content.decode()
    assert source.failure_count == 0
    assert source.items.count() == 2


def test_fetch_now_reports_a_failure_in_plain_words(editor_client, settings):
    settings.FEEDS_ALLOWED_NETWORKS = []
    source = NewsSourceFactory(feed_url="http://127.0.0.1:9/feed")

    response = editor_client.post(
        reverse("news_source_fetch_now"), {"source": source.pk}, follow=True
    )

    assert "a loopback address" in html.unescape(response.content.decode())
    source.refresh_from_db()
    assert source.failure_count == 1


def test_fetch_now_needs_post_and_the_change_permission(reader_client):
    source = NewsSourceFactory()
    url = reverse("news_source_fetch_now")

    assert reader_client.get(url).status_code == 405
    assert reader_client.post(url, {"source": source.pk}).status_code in (302, 403)
    source.refresh_from_db()
    assert source.last_fetched_at is None


def test_opml_can_be_imported_and_exported_in_the_admin(editor_client):
    opml = (
        b'<?xml version="1.0"?><opml version="2.0"><body>'
        b'<outline text="Press"><outline text="Desk" xmlUrl="https://desk.example/rss"/>'
        b"</outline></body></opml>"
    )

    response = editor_client.post(
        reverse("news_opml_import"),
        {"file": SimpleUploadedFile("feeds.opml", opml)},
    )
    exported = editor_client.get(reverse("news_opml_export"))

    assert "One source added." in response.content.decode()
    assert NewsSource.objects.get().category == "Press"
    assert exported["Content-Type"].startswith("text/x-opml")
    assert b'xmlUrl="https://desk.example/rss"' in exported.content


def test_a_dangerous_opml_upload_is_refused_with_a_message(editor_client):
    xxe = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><opml/>'

    response = editor_client.post(
        reverse("news_opml_import"), {"file": SimpleUploadedFile("x.opml", xxe)}
    )

    assert "DOCTYPE or ENTITY declaration" in response.content.decode()
    assert not NewsSource.objects.exists()


def test_keyword_rules_are_tested_before_they_are_saved(editor_client):
    source = NewsSourceFactory()
    NewsItemFactory(source=source, title="Arms exports grow")
    NewsItemFactory(source=source, title="Farm prices")
    url = reverse("news_source_rules", args=[source.pk])

    tested = editor_client.post(
        url, {"include_keywords": "arms", "exclude_keywords": "", "test": "1"}
    )
    source.refresh_from_db()
    assert source.include_keywords == ""
    page = tested.content.decode()
    assert "1 of 2 recent items would enter the inbox" in page
    assert "mentions none of the include keywords" in page

    saved = editor_client.post(
        url, {"include_keywords": "arms", "exclude_keywords": "", "save": "1"}
    )
    source.refresh_from_db()
    assert saved.status_code == 302
    assert source.include_keywords == "arms"


def test_the_source_form_refuses_addresses_the_client_would_refuse(admin_client):
    response = admin_client.post(
        reverse("news_newssource_modeladmin_create"),
        {
            "title": "Internal",
            "feed_url": "http://10.0.0.5/feed.xml",
            "poll_interval": 60,
            "is_active": "on",
        },
    )

    assert response.status_code == 200
    assert "a private address" in html.unescape(response.content.decode())
    assert not NewsSource.objects.exists()


def test_the_edit_views_render(admin_client):
    item = NewsItemFactory()

    for url in (
        reverse("news_newsitem_modeladmin_edit", args=[item.pk]),
        reverse("news_newssource_modeladmin_edit", args=[item.source.pk]),
        reverse("news_newssource_modeladmin_create"),
        reverse("news_newssource_modeladmin_inspect", args=[item.source.pk]),
        reverse("news_opml_import"),
        reverse("news_source_rules", args=[item.source.pk]),
    ):
        assert admin_client.get(url).status_code == 200, url


class NoteForm(forms.Form):
    note = forms.CharField()

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)


def _note_action() -> InboxAction:
    return InboxAction(
        name="note",
        label="Note the items down",
        form_class=NoteForm,
        fields_template="test_inbox_note_fields.html",
        fields_context=lambda request: {"hint": "What to note"},
        perform=lambda *, request, item_ids, form: (
            f"Noted {len(item_ids)} with “{form.cleaned_data['note']}”."
        ),
    )


def test_an_action_another_app_offers_is_listed_validated_and_performed(
    editor_client, locales, settings, tmp_path
):
    """The inbox knows other apps' actions only through its hook."""
    (tmp_path / "test_inbox_note_fields.html").write_text(
        '<input name="note" placeholder="{{ fields.hint }}">'
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path]},
        *settings.TEMPLATES[1:],
    ]
    item = NewsItemFactory()
    with hooks.register_temporarily(INBOX_ACTION_HOOK, _note_action):
        page = editor_client.get(reverse(INBOX)).content.decode()
        refused = editor_client.post(
            reverse("news_bulk"), {"action": "note", "item": [item.pk]}, follow=True
        )
        done = editor_client.post(
            reverse("news_bulk"),
            {"action": "note", "item": [item.pk], "note": "for later"},
            follow=True,
        )

    assert '<option value="note">Note the items down</option>' in page
    assert 'placeholder="What to note"' in page
    assert "This field is required." in refused.content.decode()
    assert "Noted 1 with “for later”." in done.content.decode()


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/admin/briefings/newsitem/?status=new", "/admin/news/newsitem/?status=new"),
        ("/admin/briefings/newsitem/inspect/7/", "/admin/news/newsitem/inspect/7/"),
        ("/admin/briefings/newssource/", "/admin/news/newssource/"),
        ("/admin/briefings/sources/3/rules/", "/admin/news/sources/3/rules/"),
        ("/admin/briefings/sources/export-opml/", "/admin/news/sources/export-opml/"),
    ],
)
def test_the_news_screens_old_addresses_lead_to_the_new_ones(editor_client, old, new):
    response = editor_client.get(old)

    assert response.status_code == 308
    assert response["Location"] == new


def test_a_form_posted_to_an_old_address_is_posted_again_to_the_new_one(
    editor_client, locales
):
    item = NewsItemFactory()

    response = editor_client.post(
        "/admin/briefings/news/bulk/", {"action": "dismiss", "item": [item.pk]}
    )

    assert response.status_code == 308  # the browser repeats the POST
    assert response["Location"] == reverse("news_bulk")


def test_old_addresses_still_ask_a_stranger_to_sign_in(client):
    response = client.get("/admin/briefings/newsitem/")

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
