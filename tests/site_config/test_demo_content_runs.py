"""`load_demo_content` on an empty database, then run again on what it built:
one build shared by the module (each test rolled back), where each test used
to build the demo again."""

from io import StringIO

from django.core.management import call_command
from django.http import QueryDict

from wagtail.models import Locale, Page, Site

import pytest

from briefings.models import BriefingPage
from briefings.news.choices import NewsStatus
from briefings.news.models import NewsItem, NewsSource
from briefings.newsletter.models import Subscriber
from bulletins.models import BulletinPage
from publications.library import library_search
from publications.library.tally import library_counts_drift
from publications.models import (
    Country,
    Organisation,
    Person,
    Programme,
    PublicationIndexPage,
    PublicationPage,
)
from site_config.models import HomePage, NavigationItem, SiteSettings

pytestmark = pytest.mark.django_db

COUNTED = (
    Page,
    Programme,
    Country,
    Organisation,
    Person,
    NavigationItem,
    NewsItem,
    BriefingPage,
    Subscriber,
)


def _counts():
    return {model.__name__: model.objects.count() for model in COUNTED}


def demo_content_load(*args) -> str:
    """`manage.py load_demo_content *args`; what it printed."""
    out = StringIO()
    call_command("load_demo_content", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def first_run(django_db_setup, django_db_blocker):
    """What `load_demo_content` printed on an empty database, the site it built
    kept for the module: each test runs in a savepoint inside this
    transaction, rolled back after it (see `demo_site_shared`). Without
    DEMO_ADMIN_PASSWORD, for the whole module."""
    from django.db import transaction

    with (
        pytest.MonkeyPatch.context() as patch,
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        patch.delenv("DEMO_ADMIN_PASSWORD", raising=False)
        yield demo_content_load()
        transaction.set_rollback(True)


def test_demo_content_builds_the_site_from_the_seed_facts(client, first_run):
    output = first_run

    assert "Demo content added" in output
    assert "3 content languages" in output  # not "2 locales": English is one
    assert "user: admin  password: " in output
    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)
    assert HomePage.objects.count() == 3  # en, fr, sw
    assert Programme.objects.filter(locale__language_code="en").count() == 5
    assert Person.objects.filter(name="Filip Reyniers", role="Director").exists()
    assert Organisation.objects.filter(acronym="APDE").exists()
    settings = SiteSettings.for_site(site)
    assert "Italiëlei 98a" in settings.address
    assert settings.navigation_items.count() == 6
    english = {"locale__language_code": "en"}
    assert BriefingPage.objects.live().filter(**english).count() == 3
    assert BulletinPage.objects.live().filter(**english).count() == 6
    # The next issues wait as drafts, to be composed from the inbox.
    assert BriefingPage.objects.filter(live=False, **english).count() == 1
    assert BulletinPage.objects.filter(live=False, **english).count() == 1
    assert PublicationPage.objects.live().count() >= 30
    home = site.root_page.specific
    assert home.featured_page.specific.title.startswith("Mapping artisanal mining")
    assert "Mapping artisanal mining" in client.get("/en/").content.decode()
    assert NewsSource.objects.count() >= 10
    assert (
        NewsItem.objects.filter(status__in=[NewsStatus.NEW, NewsStatus.USED]).count()
        >= 50
    )
    for url in (
        "/en/",
        "/fr/",
        "/sw/",
        "/en/about/",
        "/en/team/",
        "/en/research/",
        "/en/briefing/",
        "/en/arms-trade-bulletin/november-december-2019/",
    ):
        assert client.get(url).status_code == 200, url
    assert "Hans Merket" in client.get("/en/team/").content.decode()
    # Pictures drawn from the sources' places and figures (publications.demo_images).
    webmap = PublicationPage.objects.get(slug="webmap-asm-northwest-tanzania")
    assert webmap.cover_image.description.startswith("Map of northwest Tanzania")
    assert all(home.hero_image_id for home in HomePage.objects.all())
    annual = PublicationPage.objects.get(slug="annual-report-2019")
    assert annual.cover_image.description.startswith("Bar chart of the 2019 turnover")


def test_second_run_adds_nothing_and_says_so(first_run):
    before = _counts()

    output = demo_content_load()

    assert _counts() == before
    assert "already in place; nothing added" in output
    assert "password printed on the first run" in output


def test_second_run_keeps_what_editors_changed(first_run):
    home = HomePage.objects.get(locale__language_code="en")
    home.intro = "Edited by staff."
    home.save_revision().publish()

    demo_content_load()

    home.refresh_from_db()
    assert home.intro == "Edited by staff."


def test_scale_adds_publications_with_findable_pdfs_digests_news_and_readers(
    first_run,
):
    base = _counts()
    listed = PublicationPage.objects.live().count()

    output = demo_content_load("--scale", "200")
    scaled = _counts()

    assert "200 generated publications" in output
    generated = PublicationPage.objects.filter(slug__startswith="scale-")
    assert generated.count() == 200
    assert set(generated.values_list("locale__language_code", flat=True)) == {
        "en",
        "fr",
        "sw",
    }
    # A French one is a translation of an English one.
    french = generated.filter(locale__language_code="fr").first()
    assert french.get_translation(Locale.objects.get(language_code="en")).live
    assert not generated.filter(downloads__isnull=True).exists()
    assert not generated.filter(programmes__isnull=True).exists()
    assert not generated.filter(authors__isnull=True).exists()
    assert scaled["BriefingPage"] == base["BriefingPage"] + 2
    assert scaled["NewsItem"] == base["NewsItem"] + 20
    assert scaled["Subscriber"] == base["Subscriber"] + 40
    assert scaled["Programme"] == base["Programme"]  # the facets stay readable

    # Listed, counted and found by a word only in the PDFs, at once.
    assert library_counts_drift() == []
    library = PublicationIndexPage.objects.get(locale__language_code="en")
    assert library_search(library=library, params=QueryDict("")).total == (listed + 200)
    found = library_search(library=library, params=QueryDict("q=interviewed+traders"))
    assert found.total >= 100
    assert found.publications[0].pdf_passage

    demo_content_load("--scale", "200")
    assert _counts() == scaled


def test_new_sections_join_an_edited_menu_without_undoing_edits(first_run):
    settings = SiteSettings.objects.get()
    settings.navigation_items.filter(page__slug="team").delete()
    BriefingPage.objects.all().delete()
    Page.objects.filter(slug="briefing").delete()

    demo_content_load()

    slugs = list(
        settings.navigation_items.order_by("sort_order").values_list(
            "page__slug", flat=True
        )
    )
    assert "team" not in slugs  # the editor's removal stands
    assert slugs[-1] == "briefing"  # the re-created section joins at the end
    assert BriefingPage.objects.live().filter(locale__language_code="en").count() == 3


def _references():
    from wagtail.models import ReferenceIndex

    return sorted(
        ReferenceIndex.objects.values_list(
            "content_type",
            "object_id",
            "to_content_type",
            "to_object_id",
            "content_path",
        )
    )


def test_reference_index_after_the_demo_is_what_wagtail_would_build(first_run):
    """The demo indexes references once per object at the end (to build faster);
    the result must be the index Wagtail's own rebuild makes of the same data."""
    indexed_once = _references()

    call_command("rebuild_references_index", verbosity=0)

    assert len(indexed_once) > 100  # pages, their sections, downloads, authors
    assert indexed_once == _references()
