"""The library's stored counts (publications.library.tally) follow every change
of a publication, and the facet counts read from them are those a count from
scratch gives, under any choice of filters."""

import datetime
import random

from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from wagtail.models import Page, PageViewRestriction

import pytest

from publications.choices import PublicationType
from publications.library import library_search
from publications.library.tally import library_counts_drift, library_counts_rebuild
from publications.models import LibraryEntry, LibraryFacetCell, PublicationPage
from tests.publications.bulk import publications_bulk_create
from tests.publications.factories import (
    PublicationPageFactory,
    VoicesSeriesPageFactory,
)

pytestmark = pytest.mark.django_db


def _counts(library, query: str = "") -> tuple[dict[str, dict[str, int]], int]:
    found = library_search(library=library, params=QueryDict(query))
    return (
        {
            facet.name: {option.value: option.count for option in facet.options}
            for facet in found.facets
        },
        found.total,
    )


def _fresh(page: Page) -> Page:
    """The page as stored: treebeard moves by the target's child count."""
    return Page.objects.get(pk=page.pk)


def _check(library, *, total: int) -> dict[str, dict[str, int]]:
    assert library_counts_drift() == []
    counts, found = _counts(library)
    assert found == total
    return counts


def test_counts_follow_publish_unpublish_move_restrict_and_delete(
    library, fr_library, taxonomy, locales
):
    report = PublicationPageFactory(
        parent=library,
        publication_date=datetime.date(2018, 5, 1),
        programmes=[taxonomy.natural_resources],
        countries=[taxonomy.congo],
    )
    counts = _check(library, total=1)
    assert counts["programme"] == {"natural-resources": 1}
    assert counts["language"] == {"en": 1}

    translation = report.copy_for_translation(locales["fr"])
    translation.save_revision().publish()
    counts = _check(library, total=2)
    assert counts["programme"] == {"natural-resources": 2}
    assert counts["language"] == {"en": 1, "fr": 1}

    # A new revision, published, moves the report to another programme and year.
    report.programmes = [taxonomy.arms_trade]
    report.publication_date = datetime.date(2020, 2, 1)
    report.save_revision().publish()
    counts = _check(library, total=2)
    assert counts["programme"] == {"natural-resources": 1, "arms-trade-security": 1}
    assert counts["year"] == {"2018": 1, "2020": 1}

    # A draft revision changes nothing until it is published.
    report.publication_type = PublicationType.MAP
    report.save_revision()
    assert _check(library, total=2)["type"] == {"report": 2}

    translation.refresh_from_db()
    translation.unpublish()
    assert _check(library, total=1)["language"] == {"en": 1}
    translation.save_revision().publish()
    _check(library, total=2)

    # Moved into a series of the French library: still listed, under that one.
    series = VoicesSeriesPageFactory(parent=fr_library)
    report.move(_fresh(series), pos="last-child")
    assert LibraryEntry.objects.get(page=report).library_id == fr_library.pk
    _check(library, total=2)
    # Moved out of any library: no longer listed.
    report.refresh_from_db()
    report.move(_fresh(library), pos="right")
    assert _check(library, total=1)["language"] == {"fr": 1}
    report.refresh_from_db()
    report.move(_fresh(library), pos="last-child")
    _check(library, total=2)

    restriction = PageViewRestriction.objects.create(
        page=series, restriction_type=PageViewRestriction.LOGIN
    )
    report.refresh_from_db()
    report.move(_fresh(series), pos="last-child")
    _check(library, total=1)
    restriction.delete()
    _check(library, total=2)

    taxonomy.arms_trade.delete()
    assert _check(library, total=2)["programme"] == {"natural-resources": 1}

    PublicationPage.objects.get(pk=translation.pk).delete()
    assert _check(library, total=1)["language"] == {"en": 1}
    series.delete()  # the report inside it goes with it
    _check(library, total=0)
    assert sum(LibraryFacetCell.objects.values_list("count", flat=True)) == 0


def test_programmes_changed_from_the_programme_side_are_counted(library, taxonomy):
    report = PublicationPageFactory(parent=library, programmes=[taxonomy.arms_trade])

    taxonomy.conflict_mapping.publications.add(report)
    assert _check(library, total=1)["programme"] == {
        "arms-trade-security": 1,
        "conflict-mapping": 1,
    }
    taxonomy.arms_trade.publications.clear()
    assert _check(library, total=1)["programme"] == {"conflict-mapping": 1}


def test_rebuild_repairs_counts_changed_behind_djangos_back(library, taxonomy):
    publications_bulk_create(
        parent=library, count=12, programmes=[taxonomy.natural_resources]
    )
    PublicationPage.objects.filter(
        pk__in=PublicationPage.objects.values("pk")[:5]
    ).update(live=False)  # no signals
    with pytest.raises(CommandError, match="library counts differ"):
        call_command("library_counts", "--check", stdout=None)

    call_command("library_counts")

    assert library_counts_drift() == []
    assert _counts(library)[1] == 7
    assert library_counts_rebuild() == 7


# Brute force: every facet's counts, under random choices, from the pages.

YEARS = (2016, 2017, 2018, 2019)
TYPES = (PublicationType.REPORT, PublicationType.MAP, PublicationType.BRIEFING_PAPER)


@pytest.fixture
def mixed_shelf(library, fr_library, taxonomy, locales):
    """Forty publications in two languages; the French ones tagged with a
    French translation of a programme, which counts as the English one."""
    rng = random.Random(20)
    english = [
        taxonomy.natural_resources,
        taxonomy.conflict_mapping,
        taxonomy.arms_trade,
    ]
    french_resources = taxonomy.natural_resources.copy_for_translation(locales["fr"])
    french_resources.name = "Ressources naturelles"
    french_resources.save()
    countries = [taxonomy.congo, taxonomy.tanzania, taxonomy.car]
    shelf = []
    for number in range(40):
        french = number % 3 == 0
        programmes = rng.sample(english, rng.randint(0, 3))
        if french and taxonomy.natural_resources in programmes:
            programmes[programmes.index(taxonomy.natural_resources)] = french_resources
        publication = PublicationPageFactory(
            parent=fr_library if french else library,
            publication_date=datetime.date(rng.choice(YEARS), 3, 1),
            publication_type=rng.choice(TYPES),
            programmes=programmes,
            countries=rng.sample(countries, rng.randint(0, 2)),
        )
        shelf.append(
            {
                "programme": {
                    "natural-resources"
                    if programme == french_resources
                    else programme.slug
                    for programme in programmes
                },
                "country": {
                    country.iso_code for country in publication.countries.all()
                },
                "type": {publication.publication_type},
                "year": {str(publication.publication_date.year)},
                "language": {"fr" if french else "en"},
            }
        )
    # Neither a draft nor a private publication counts.
    PublicationPageFactory(parent=library, draft=True, programmes=english)
    private = PublicationPageFactory(parent=library, programmes=english)
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.LOGIN
    )
    return shelf


def _brute_force(shelf, chosen: dict[str, set[str]]):
    def matches(publication, names):
        return all(
            not chosen[name] or publication[name] & chosen[name] for name in names
        )

    counts = {name: {} for name in chosen}
    for name in chosen:
        others = [other for other in chosen if other != name]
        for publication in shelf:
            if matches(publication, others):
                for value in publication[name]:
                    counts[name][value] = counts[name].get(value, 0) + 1
    total = sum(1 for publication in shelf if matches(publication, chosen))
    return counts, total


def test_facet_counts_equal_a_count_from_scratch_under_random_choices(
    library, mixed_shelf
):
    options = {
        "programme": ["natural-resources", "conflict-mapping", "arms-trade-security"],
        "country": ["CD", "TZ", "CF"],
        "type": [str(kind) for kind in TYPES],
        "year": [str(year) for year in YEARS],
        "language": ["en", "fr"],
    }
    rng = random.Random(7)
    for round_number in range(120):
        # The first round chooses nothing: the counts come from the totals.
        chosen = {
            name: set(rng.sample(values, rng.choice((0, 0, 1, 1, 2))))
            if round_number
            else set()
            for name, values in options.items()
        }
        query = QueryDict(mutable=True)
        for name, values in chosen.items():
            query.setlist(name, sorted(values))
        counts, total = _counts(library, query.urlencode())
        expected, expected_total = _brute_force(mixed_shelf, chosen)

        assert total == expected_total, chosen
        for name in options:
            shown = {value: n for value, n in counts[name].items() if n}
            assert shown == expected[name], (name, chosen)


def test_the_library_reads_its_counts_in_one_query_at_any_size(
    client, library, fr_library, taxonomy, django_assert_max_num_queries
):
    """14 queries for the library here, the same with 5 or 300 publications:
    the cells are one query where the type, year and language counts and the
    programme and country counts were two, and the cards' pictures (covers or
    PDF first pages) one more."""
    publications_bulk_create(
        parent=library, count=5, programmes=[taxonomy.natural_resources]
    )
    url = "/en/publications/?programme=natural-resources&year=2005"
    client.get(url)
    with django_assert_max_num_queries(14) as small:
        client.get(url)

    publications_bulk_create(
        parent=fr_library, count=300, countries=[taxonomy.congo, taxonomy.car]
    )
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.context["library"].total == 5


def test_the_library_lists_every_language_newest_first_from_one_index_range(
    client, library, fr_library, taxonomy
):
    """The entries of all the library's languages carry its translation key,
    so its newest publications are read in order from one index range and
    the database never sorts the whole library (it did, 34 ms at 10,000)."""
    publications_bulk_create(parent=library, count=30)
    publications_bulk_create(parent=fr_library, count=30)
    assert set(LibraryEntry.objects.values_list("library_key", flat=True)) == {
        library.translation_key
    }

    with CaptureQueriesContext(connection) as captured:
        response = client.get("/en/publications/")

    assert response.context["library"].total == 60
    listing = [
        query["sql"]
        for query in captured.captured_queries
        if '"publications_libraryentry"."publication_date" DESC' in query["sql"]
    ]
    assert len(listing) == 1, listing
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL's planner chooses by its statistics, not its rules")
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + listing[0])
        plan = [row[-1] for row in cursor.fetchall()]
    assert any("publications_entry_newest" in step for step in plan), plan
    assert not any("TEMP B-TREE" in step for step in plan), plan
