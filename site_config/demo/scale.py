"""`load_demo_content --scale N`: the demo site at the size of a real archive.

N publications (with a one-page PDF each, its text stored as if read, so a
search finds the words inside), their authors, programmes, countries and
translations into French and Swahili; and in proportion, Briefing issues
with sections, news items in the inbox and confirmed subscribers.

Everything goes in with bulk inserts (`publications.bulk.pages_bulk_insert`),
then the library's counts and the search index are brought up to date once,
so the site lists and finds the new content as soon as the command ends.
10,000 publications take a few minutes.

Re-runs top up to N: `--scale 2000` then `--scale 10000` adds 8,000 more,
and `--scale 10000` again adds nothing. Every record is recognisable by its
`scale-` slug, identity or address.
"""

import datetime
import hashlib
import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import Prefetch
from django.utils import timezone

from wagtail.documents import get_document_model
from wagtail.models import Collection, Locale, Page

from modelsearch.backends import get_search_backend

from briefings.models import BriefingIndexPage, BriefingPage
from briefings.news.models import NewsItem, NewsSource
from briefings.newsletter.choices import SubscriberStatus
from briefings.newsletter.models import MailingList, Subscriber, Subscription
from publications.bulk import BATCH_SIZE, pages_bulk_insert
from publications.choices import DocumentTextStatus, PersonGroup, PublicationType
from publications.demo import COLLECTION_NAME, pdf_placeholder
from publications.demo_images import root_collection_ensure
from publications.library.tally import entries_sync
from publications.models import (
    Country,
    DocumentPageText,
    DocumentText,
    Person,
    Programme,
    PublicationAuthor,
    PublicationDownload,
    PublicationIndexPage,
    PublicationPage,
)

SLUG_PREFIX = "scale-"
# Of every 20 publications: 15 in English, 4 French and 1 Swahili translations.
FRENCH_EVERY, SWAHILI_EVERY = 5, 20

TOPICS = (
    ("Artisanal gold mining", "Orpaillage artisanal", "Uchimbaji mdogo wa dhahabu"),
    (
        "Armed groups and roadblocks",
        "Groupes armés et barrages",
        "Vikundi vyenye silaha",
    ),
    ("Cassiterite supply chains", "Filières de la cassitérite", "Mnyororo wa bati"),
    ("Arms transfers", "Transferts d'armes", "Uhamisho wa silaha"),
    (
        "Cobalt and copper trade",
        "Commerce du cobalt et du cuivre",
        "Biashara ya kobalti",
    ),
    ("Security sector reform", "Réforme du secteur de sécurité", "Mageuzi ya usalama"),
    ("Land rights and displacement", "Foncier et déplacement", "Haki za ardhi"),
    ("Diamond digging sites", "Sites d'exploitation de diamant", "Migodi ya almasi"),
    ("Business and human rights", "Entreprises et droits humains", "Biashara na haki"),
    ("Wildlife and protected areas", "Faune et aires protégées", "Wanyamapori"),
)
ASPECTS = (
    "a field survey",
    "mapping update",
    "trends and actors",
    "a baseline study",
    "incident analysis",
    "policy options",
    "monitoring results",
)


@dataclass(frozen=True)
class ScaleResult:
    publications: int = 0
    documents: int = 0
    digests: int = 0
    news_items: int = 0
    subscribers: int = 0


def _publication_date(number: int) -> datetime.date:
    # Scattered over twenty years, so every year facet has publications.
    return datetime.date(2005, 1, 1) + datetime.timedelta(days=(number * 7919) % 7300)


def _people_ensure(count: int, locale: Locale) -> list[Person]:
    have = set(
        Person.objects.filter(name__startswith="Scale researcher ").values_list(
            "name", flat=True
        )
    )
    Person.objects.bulk_create(
        Person(
            name=name,
            role="Researcher",
            group=PersonGroup.EXTERNAL,
            locale=locale,
        )
        for number in range(count)
        if (name := f"Scale researcher {number:04d}") not in have
    )
    return list(
        Person.objects.filter(name__startswith="Scale researcher ").order_by("name")
    )


def _in_locale(terms: Sequence, locale: Locale) -> list:
    """Each term in `locale` where translated, else as it is."""
    translated = {
        term.translation_key: term
        for term in type(terms[0]).objects.filter(
            locale=locale, translation_key__in=[term.translation_key for term in terms]
        )
    }
    return [translated.get(term.translation_key, term) for term in terms]


def _pdf(title: str, summary: str, body: str) -> bytes:
    return pdf_placeholder(title=title, lines=[summary, body])


def publications_scale_ensure(*, scale: int, home: Page) -> ScaleResult:
    """Top the library up to `scale` generated publications."""
    library = PublicationIndexPage.objects.child_of(home).first()
    if library is None:
        return ScaleResult()
    have = PublicationPage.objects.filter(slug__startswith=SLUG_PREFIX).count()
    wanted = scale - have
    if wanted <= 0:
        return ScaleResult()
    english = Locale.objects.get(pk=library.locale_id)
    libraries = {
        page.locale.language_code: page
        for page in PublicationIndexPage.objects.filter(
            translation_key=library.translation_key
        ).select_related("locale")
    }
    programmes = list(Programme.objects.filter(locale=english).order_by("sort_order"))
    countries = list(Country.objects.filter(locale=english).order_by("iso_code"))
    people = _people_ensure(max(10, scale // 20), english)
    collection = Collection.objects.filter(name=COLLECTION_NAME).first()
    collection = collection or root_collection_ensure()
    now = timezone.now()
    plan = []  # (number, language, original number)
    for number in range(have, scale):
        position = number % 20
        if position % FRENCH_EVERY == 1 and "fr" in libraries:
            plan.append((number, "fr", number - 1))
        elif position == SWAHILI_EVERY - 1 and "sw" in libraries:
            plan.append((number, "sw", number - 4))
        else:
            plan.append((number, "en", number))
    keys: dict[int, object] = dict(
        PublicationPage.objects.filter(
            slug__startswith=SLUG_PREFIX, locale=english
        ).values_list("slug", "translation_key")
    )
    keys = {int(slug.rsplit("-", 1)[1]): key for slug, key in keys.items()}
    documents = 0
    created = []
    for language in ("en", "fr", "sw"):
        numbers = [(n, original) for n, lang, original in plan if lang == language]
        if not numbers:
            continue
        parent = libraries[language]
        locale_programmes = _in_locale(programmes, parent.locale)
        locale_countries = _in_locale(countries, parent.locale)
        pages = []
        for number, original in numbers:
            topic = TOPICS[(original + original // 20) % len(TOPICS)]
            country = countries[original % len(countries)]
            title = (
                f"{topic[('en', 'fr', 'sw').index(language)]}: {country.name}, "
                f"{ASPECTS[original % len(ASPECTS)]} {original}"
            )
            page = PublicationPage(
                title=title,
                slug=f"{SLUG_PREFIX}publication-{number}",
                locale_id=parent.locale_id,
                live=True,
                first_published_at=now,
                last_published_at=now,
                publication_date=_publication_date(original),
                publication_type=PublicationType.values[
                    original % len(PublicationType.values)
                ],
                summary=f"What our researchers found on {topic[0].lower()} in "
                f"{country.name}, number {original} of the generated archive.",
                place="Antwerp",
                publisher="IPIS",
            )
            if language != "en" and original in keys:
                page.translation_key = keys[original]
            pages.append(page)
        pages_bulk_insert(parent=parent, pages=pages)
        if language == "en":
            keys.update(
                {
                    number: page.translation_key
                    for (number, _o), page in zip(numbers, pages, strict=True)
                }
            )
        _relations_add(
            pages=pages,
            numbers=[original for _n, original in numbers],
            programmes=locale_programmes,
            countries=locale_countries,
            people=people,
        )
        documents += _documents_add(
            pages=pages, language=language, collection=collection
        )
        created += pages
    ids = [page.pk for page in created]
    entries_sync(ids)
    _search_index_add(PublicationPage, ids)
    return ScaleResult(publications=len(created), documents=documents)


def _relations_add(*, pages, numbers, programmes, countries, people) -> None:
    programme_rows, country_rows, authors = [], [], []
    programme_through = PublicationPage.programmes.through
    country_through = PublicationPage.countries.through
    for page, number in zip(pages, numbers, strict=True):
        chosen = {programmes[number % len(programmes)]}
        if number % 3 == 0:
            chosen.add(programmes[(number // 3) % len(programmes)])
        programme_rows += [
            programme_through(publicationpage_id=page.pk, programme_id=term.pk)
            for term in chosen
        ]
        places = {countries[number % len(countries)]}
        if number % 4 == 0:
            places.add(countries[(number // 4) % len(countries)])
        country_rows += [
            country_through(publicationpage_id=page.pk, country_id=term.pk)
            for term in places
        ]
        writers = [people[number % len(people)]]
        if number % 2:
            writers.append(people[(number * 7 + 3) % len(people)])
        authors += [
            PublicationAuthor(page_id=page.pk, person=person, sort_order=order)
            for order, person in enumerate(dict.fromkeys(writers))
        ]
    programme_through.objects.bulk_create(programme_rows, batch_size=BATCH_SIZE)
    country_through.objects.bulk_create(country_rows, batch_size=BATCH_SIZE)
    PublicationAuthor.objects.bulk_create(authors, batch_size=BATCH_SIZE)


def _documents_add(*, pages, language: str, collection) -> int:
    """A one-page PDF per publication and its text, stored as if read."""
    document_model = get_document_model()
    now = timezone.now()
    for start in range(0, len(pages), BATCH_SIZE):
        batch = pages[start : start + BATCH_SIZE]
        texts, documents = [], []
        for page in batch:
            body = (
                f"This generated report on {page.title} was written for the demo "
                f"archive. Field teams visited sites, interviewed traders and "
                f"recorded incidents in {page.publication_date.year}."
            )
            pdf = _pdf(page.title, page.summary, body)
            document = document_model(
                title=f"{page.title} ({language})",
                collection=collection,
                file=ContentFile(pdf, name=f"{page.slug}.pdf"),
                file_size=len(pdf),
                file_hash=hashlib.sha1(pdf, usedforsecurity=False).hexdigest(),
            )
            documents.append(document)
            texts.append(f"{page.title}\n{page.summary}\n{body}")
        document_model.objects.bulk_create(documents)
        document_texts = DocumentText.objects.bulk_create(
            DocumentText(
                document=document,
                status=DocumentTextStatus.OK,
                page_count=1,
                pages_read=1,
                read_at=now,
                file_name=document.file.name,
                file_hash=document.file_hash,
            )
            for document in documents
        )
        DocumentPageText.objects.bulk_create(
            DocumentPageText(document_text=document_text, page_number=1, text=text)
            for document_text, text in zip(document_texts, texts, strict=True)
        )
        PublicationDownload.objects.bulk_create(
            PublicationDownload(
                page=page, document=document, language=language, sort_order=0
            )
            for page, document in zip(batch, documents, strict=True)
        )
    return len(pages)


def _search_index_add(model, ids: list[int]) -> None:
    """Index the new pages in batches, their authors fetched with them."""
    backend = get_search_backend()
    queryset = model.objects.filter(pk__in=ids).order_by("pk")
    if model is PublicationPage:
        queryset = queryset.prefetch_related(
            Prefetch(
                "authors", queryset=PublicationAuthor.objects.select_related("person")
            )
        )
    for start in range(0, len(ids), BATCH_SIZE):
        backend.add_bulk(
            model, list(queryset.filter(pk__in=ids[start : start + BATCH_SIZE]))
        )


def digests_scale_ensure(*, scale: int, home: Page) -> int:
    """One Briefing issue per hundred publications, with a composed issue's sections."""
    index = BriefingIndexPage.objects.child_of(home).first()
    if index is None:
        return 0
    model = BriefingPage
    have = model.objects.filter(slug__startswith=SLUG_PREFIX).count()
    wanted = scale // 100 - have
    if wanted <= 0:
        return 0
    composed = (
        model.objects.child_of(index)
        .live()
        .exclude(sections=[])
        .order_by("-issue_date")
    ).first()
    sections = list(composed.sections.raw_data) if composed is not None else []
    now = timezone.now()
    issues = []
    for number in range(have, have + wanted):
        day = datetime.date(2000, 1, 1) + datetime.timedelta(days=30 * number)
        issues.append(
            model(
                title=f"Briefing {day:%B %Y} (archive {number})",
                slug=f"{SLUG_PREFIX}briefing-{number}",
                locale_id=index.locale_id,
                live=True,
                first_published_at=now,
                last_published_at=now,
                issue_date=day,
                focus_title=TOPICS[number % len(TOPICS)][0],
                standfirst="An issue of the generated archive.",
                editorial="<p>Generated for trying the site at the size of a real "
                "archive.</p>",
                sections=sections,
            )
        )
    pages_bulk_insert(parent=index, pages=issues)
    _search_index_add(model, [issue.pk for issue in issues])
    return len(issues)


def news_scale_ensure(*, scale: int) -> int:
    """News items in the inbox: one per ten publications, on the first source."""
    source = NewsSource.objects.order_by("pk").first()
    if source is None:
        return 0
    have = NewsItem.objects.filter(identity__startswith=SLUG_PREFIX).count()
    wanted = scale // 10 - have
    if wanted <= 0:
        return 0
    now = timezone.now()
    items = []
    for number in range(have, have + wanted):
        title = f"{TOPICS[number % len(TOPICS)][0]}: news item {number}"
        items.append(
            NewsItem(
                source=source,
                identity=f"{SLUG_PREFIX}news-{number}",
                link=f"https://news.example/{SLUG_PREFIX}{number}",
                title=title,
                summary_html=f"<p>{title}, from the generated archive.</p>",
                language="en",
                published_at=now - datetime.timedelta(hours=number),
                content_hash=hashlib.sha256(title.encode()).hexdigest(),
            )
        )
    NewsItem.objects.bulk_create(items, batch_size=BATCH_SIZE)
    return len(items)


def subscribers_scale_ensure(*, scale: int) -> int:
    """Confirmed subscribers to every public list: one per five publications."""
    have = Subscriber.objects.filter(email__startswith=SLUG_PREFIX).count()
    wanted = scale // 5 - have
    if wanted <= 0:
        return 0
    now = timezone.now()
    languages = itertools.cycle(("en", "en", "en", "fr", "sw"))
    subscribers = Subscriber.objects.bulk_create(
        [
            Subscriber(
                email=f"{SLUG_PREFIX}reader-{number}@example.org",
                language=next(languages),
                status=SubscriberStatus.CONFIRMED,
                confirmed_at=now,
                status_changed_at=now,
                key=hashlib.sha256(f"{SLUG_PREFIX}{number}".encode()).hexdigest(),
            )
            for number in range(have, have + wanted)
        ],
        batch_size=BATCH_SIZE,
    )
    lists = list(MailingList.objects.filter(is_public=True))
    Subscription.objects.bulk_create(
        [
            Subscription(subscriber=subscriber, mailing_list=mailing_list)
            for subscriber in subscribers
            for mailing_list in lists
        ],
        batch_size=BATCH_SIZE,
    )
    return len(subscribers)


@transaction.atomic
def scale_content_ensure(*, scale: int, home: Page) -> dict[str, int]:
    """Everything `--scale N` adds; returns what was created, by label."""
    result = publications_scale_ensure(scale=scale, home=home)
    created = {
        "generated publications": result.publications,
        "generated PDF files": result.documents,
        "generated digest issues": digests_scale_ensure(scale=scale, home=home),
        "generated news items": news_scale_ensure(scale=scale),
        "generated subscribers": subscribers_scale_ensure(scale=scale),
    }
    if connection.vendor == "postgresql" and any(created.values()):
        # Fresh statistics, as autovacuum would keep them: without them the
        # planner takes the grown tables for small and nests loops.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return created
