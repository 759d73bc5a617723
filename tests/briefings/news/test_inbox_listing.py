"""The inbox listing: filters kept in the session, terms listed once, select all."""

from django.contrib.auth.models import Group, Permission
from django.urls import reverse

import pytest

from briefings.news.choices import NewsStatus
from briefings.news.inbox_listing import SESSION_KEY, news_items_filter
from briefings.news.models import NewsItem
from tests.briefings.news.factories import NewsItemFactory, NewsSourceFactory
from tests.publications.factories import CountryFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db

INBOX = "news_newsitem_modeladmin_index"


@pytest.fixture
def editor_client(client, django_user_model):
    user = django_user_model.objects.create_user("editor", "e@example.org", "pw")
    group = Group.objects.create(name="News editors")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        *Permission.objects.filter(
            content_type__app_label="news",
            codename__in=["view_newsitem", "change_newsitem", "view_newssource"],
        ),
    )
    user.groups.add(group)
    client.force_login(user)
    return client


def _listed(response) -> str:
    return response.content.decode()


def test_filters_are_kept_in_the_session_until_cleared(editor_client):
    wanted = NewsSourceFactory(title="Minerals Desk")
    NewsItemFactory(source=wanted, title="Gold exports rise")
    NewsItemFactory(title="Farm prices", status=NewsStatus.SHORTLISTED)

    filtered = editor_client.get(reverse(INBOX), {"source": wanted.pk, "status": "new"})
    again = editor_client.get(reverse(INBOX))  # back later, no query string
    cleared = editor_client.get(reverse(INBOX), {"clear": "1"})
    after = editor_client.get(reverse(INBOX))

    assert "Gold exports rise" in _listed(filtered)
    assert "Farm prices" not in _listed(filtered)
    assert "Farm prices" not in _listed(again)
    assert "Clear filters" in _listed(again)
    assert cleared.status_code == 302
    assert SESSION_KEY not in editor_client.session
    assert "Farm prices" in _listed(after) and "Gold exports rise" in _listed(after)


def test_status_links_count_items_with_the_other_filters_applied(editor_client):
    source = NewsSourceFactory()
    NewsItemFactory.create_batch(2, source=source)
    NewsItemFactory(source=source, status=NewsStatus.SHORTLISTED)
    NewsItemFactory(status=NewsStatus.SHORTLISTED)  # another source

    page = _listed(editor_client.get(reverse(INBOX), {"source": source.pk}))

    assert 'All <span class="news-count">3</span>' in page
    assert 'New <span class="news-count">2</span>' in page
    assert 'Shortlisted <span class="news-count">1</span>' in page


def test_programmes_and_countries_are_offered_once_and_match_any_translation(
    editor_client, locales
):
    programme = ProgrammeFactory(name="Natural resources")
    french = programme.copy_for_translation(locales["fr"])
    french.name = "Ressources naturelles"
    french.save()
    country = CountryFactory(name="Tanzania")
    swahili = country.copy_for_translation(locales["sw"])
    swahili.name = "Tanzania (sw)"
    swahili.save()
    tagged_in_french = NewsItemFactory(title="Tagged in French")
    tagged_in_french.programmes.add(french)
    tagged_in_swahili = NewsItemFactory(title="Tagged in Swahili")
    tagged_in_swahili.countries.add(swahili)
    NewsItemFactory(title="Untagged")

    page = _listed(editor_client.get(reverse(INBOX), {"programme": programme.pk}))
    by_country = _listed(editor_client.get(reverse(INBOX), {"country": country.pk}))

    assert page.count(">Natural resources</option>") == 2  # filter row, bulk bar
    assert "Ressources naturelles</option>" not in page
    assert "Tanzania (sw)</option>" not in page
    assert "Tagged in French" in page and "Untagged" not in page
    assert "Tagged in Swahili" in by_country and "Tagged in French" not in by_country


def test_select_all_acts_on_every_matching_item_across_pages(editor_client):
    source = NewsSourceFactory()
    matching = NewsItemFactory.create_batch(55, source=source)
    other = NewsItemFactory(title="Another source's item")
    listing = _listed(editor_client.get(reverse(INBOX), {"source": source.pk}))
    assert listing.count('name="item" value=') == 50  # one page of 55
    assert "Select all 55 matching items" in listing
    assert f'name="filters" value="source={source.pk}"' in listing

    response = editor_client.post(
        reverse("news_bulk"),
        {
            "action": "shortlist",
            "select_all": "1",
            "filters": f"source={source.pk}",
            "item": [matching[0].pk],
        },
        follow=True,
    )

    assert "Shortlist: 55 item(s)." in response.content.decode()
    assert NewsItem.objects.filter(status=NewsStatus.SHORTLISTED).count() == 55
    other.refresh_from_db()
    assert other.status == NewsStatus.NEW


def test_the_bulk_action_resolves_items_with_the_listings_filter():
    source = NewsSourceFactory()
    NewsItemFactory(source=source, title="Cobalt traders", status=NewsStatus.NEW)
    NewsItemFactory(source=source, title="Cobalt old", status=NewsStatus.DISMISSED)
    NewsItemFactory(title="Cobalt elsewhere")

    found = news_items_filter(
        filters={"q": "cobalt", "status": "new", "source": str(source.pk)}
    )

    assert [item.title for item in found] == ["Cobalt traders"]


def test_a_reader_sees_the_listing_without_checkboxes_or_bulk_bar(
    client, django_user_model
):
    user = django_user_model.objects.create_user("reader", "r@example.org", "pw")
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_newsitem"),
    )
    client.force_login(user)
    NewsItemFactory(title="Readable item")

    page = _listed(client.get(reverse(INBOX)))

    assert "Readable item" in page
    assert 'id="news-bulk"' not in page and 'name="item"' not in page
