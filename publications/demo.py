"""The demo library, built from `demo_facts`; re-runs add only what is missing.

`library_demo_ensure` is called by the site's demo builder once the home pages,
programmes, countries, organisations and people exist. Publications are keyed
by slug under their parent: an existing one is left exactly as it is, so
editors' changes survive. Files are small placeholder PDFs made here, so
nothing is downloaded.
"""

import datetime
import textwrap
from collections import Counter
from collections.abc import Iterable, Sequence

from django.core.files.base import ContentFile
from django.db import transaction

from wagtail.documents import get_document_model
from wagtail.models import Collection, Locale, Page

from publications import demo_facts
from publications.choices import DatePrecision
from publications.demo_images import demo_cover_ensure, root_collection_ensure
from publications.models import (
    Country,
    Organisation,
    Person,
    Programme,
    PublicationAuthor,
    PublicationDownload,
    PublicationIndexPage,
    PublicationOrganisation,
    PublicationPage,
    RelatedPublication,
    VoicesSeriesPage,
)

LIBRARY_SLUG = "publications"
COLLECTION_NAME = "Library"
PDF_PAGE_WIDTH, PDF_PAGE_HEIGHT = 595, 842  # A4 in points


def pdf_text(text: str) -> bytes:
    """A PDF string literal in WinAnsi (Latin-1-like) encoding."""
    raw = text.encode("cp1252", errors="replace")
    raw = raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
    return b"(" + raw + b")"


def pdf_placeholder(*, title: str, lines: Sequence[str] = ()) -> bytes:
    """A valid one-page PDF showing the title and a few lines of text."""
    text_lines = [(18, line) for line in textwrap.wrap(title, 48)]
    text_lines += [(11, line) for raw in lines for line in textwrap.wrap(raw, 80)]
    operations = [b"BT", b"56 780 Td"]
    for size, line in text_lines:
        operations.append(b"/F1 %d Tf" % size)
        operations.append(pdf_text(line) + b" Tj")
        operations.append(b"0 -%d Td" % int(size * 1.5))
    operations.append(b"ET")
    content = b"\n".join(operations)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>"
        % (PDF_PAGE_WIDTH, PDF_PAGE_HEIGHT),
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
        b"/Encoding /WinAnsiEncoding >>",
    ]
    return pdf_document(objects)


def pdf_document(objects: Sequence[bytes]) -> bytes:
    """A PDF file of these objects, numbered from 1 (1 is the catalogue)."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def _publish(page: Page) -> Page:
    page.save_revision().publish()
    return page


def _taxonomy_ensure(*, locale: Locale, counts: Counter) -> None:
    for iso_code, name, region in demo_facts.EXTRA_COUNTRIES:
        _country, created = Country.objects.get_or_create(
            iso_code=iso_code, locale=locale, defaults={"name": name, "region": region}
        )
        counts["countries"] += int(created)
    for name, acronym, kind, iso_code, website in demo_facts.EXTRA_ORGANISATIONS:
        _organisation, created = Organisation.objects.get_or_create(
            name=name,
            locale=locale,
            defaults={
                "acronym": acronym,
                "kind": kind,
                "website": website,
                "country": Country.objects.filter(
                    iso_code=iso_code, locale=locale
                ).first()
                if iso_code
                else None,
            },
        )
        counts["organisations"] += int(created)


def _collection_ensure(*, counts: Counter) -> Collection:
    if Collection.get_first_root_node() is None:
        counts["collections"] += 1
    root = root_collection_ensure()
    collection = root.get_children().filter(name=COLLECTION_NAME).first()
    if collection is None:
        collection = root.add_child(name=COLLECTION_NAME)
        counts["collections"] += 1
    return collection


class _Lookup:
    """The taxonomy rows the facts name, fetched once."""

    def __init__(self, *, default_locale: Locale):
        self.default_locale = default_locale
        self.programmes = {
            (programme.slug, programme.locale_id): programme
            for programme in Programme.objects.all()
        }
        self.countries = {
            country.iso_code: country
            for country in Country.objects.filter(locale=default_locale)
        }
        self.organisations = {}
        for organisation in Organisation.objects.filter(locale=default_locale):
            self.organisations.setdefault(organisation.name, organisation)
            if organisation.acronym:
                self.organisations.setdefault(organisation.acronym, organisation)
        self.people = {
            person.name: person
            for person in Person.objects.filter(locale=default_locale)
        }

    def programmes_for(self, slugs: Iterable[str], locale: Locale) -> list:
        found = []
        for slug in slugs:
            programme = self.programmes.get((slug, locale.pk)) or self.programmes.get(
                (slug, self.default_locale.pk)
            )
            if programme is not None:
                found.append(programme)
        return found


def _authors(specs, lookup: _Lookup) -> list[PublicationAuthor]:
    authors = []
    for order, spec in enumerate(specs):
        if isinstance(spec, str) and spec in lookup.people:
            author = PublicationAuthor(person=lookup.people[spec])
        elif isinstance(spec, str):
            author = PublicationAuthor(external_name=spec)
        else:
            name, affiliation, *organisation = spec
            author = PublicationAuthor(
                external_name=name,
                affiliation=affiliation,
                is_organisation=bool(organisation and organisation[0]),
            )
        author.sort_order = order
        authors.append(author)
    return authors


def _document(*, fact: dict, language: str, collection: Collection, counts: Counter):
    document_model = get_document_model()
    people = ", ".join(
        spec if isinstance(spec, str) else spec[0] for spec in fact["authors"]
    )
    pdf = pdf_placeholder(
        title=fact["title"],
        lines=[
            fact.get("subtitle", ""),
            people,
            fact["date"][:7],
            "Placeholder file of the demo site; the publication itself is on "
            "the institute's website.",
        ],
    )
    document = document_model(
        title=f"{fact['title']} ({language})",
        collection=collection,
        file=ContentFile(pdf, name=f"{fact['slug']}.pdf"),
    )
    document._set_document_file_metadata()
    document.save()
    counts["documents"] += 1
    return document


WEBMAP_PATH = "/mapping/webmapping/"


def _webmap_blocks(fact: dict, *, picture) -> list[tuple[str, dict]]:
    """The institute's webmap of a map publication, loaded on the reader's click.

    Until then the reader sees the drawn map (`picture`, the cover) or, without
    one, a card with the link.
    """
    url, _label = fact.get("external", ("", ""))
    if WEBMAP_PATH not in url:
        return []
    if picture is not None:
        # ImageBlock's native value: the image with its alt text for this place.
        picture.contextual_alt_text = picture.description or picture.title
        picture.decorative = False
    return [
        (
            "interactive",
            {
                "url": url,
                "title": f"Interactive map: {fact['title']}",
                "image": picture,
                "caption": "The field data of this study on the institute's webmap.",
            },
        )
    ]


def _publication_build(
    fact: dict,
    *,
    parent: Page,
    lookup: _Lookup,
    collection: Collection,
    counts: Counter,
) -> PublicationPage:
    locale = parent.locale
    language = fact.get("language", locale.language_code)
    series_name, series_volume = fact.get("series", ("", None))
    external_url, external_label = fact.get("external", ("", ""))
    # A map's area or a report's figures, drawn (the sources have no images).
    cover = demo_cover_ensure(
        slug=fact["slug"], title=fact["title"], collection=collection
    )
    page = PublicationPage(
        title=fact["title"],
        slug=fact["slug"],
        locale=locale,
        subtitle=fact.get("subtitle", ""),
        publication_date=datetime.date.fromisoformat(fact["date"]),
        # The sources give a month or a year, never the day (demo_facts).
        date_precision=fact.get("date_precision", DatePrecision.MONTH),
        publication_type=fact["type"],
        summary=fact["summary"],
        search_description=fact["summary"],
        place=fact.get("place", "Antwerp"),
        publisher=fact.get("publisher", "IPIS"),
        series_name=series_name,
        series_volume=series_volume,
        external_url=external_url,
        external_label=external_label,
        body=[*fact.get("body", []), *_webmap_blocks(fact, picture=cover)],
        licence=fact.get("licence", demo_facts.DEFAULT_LICENCE),
        cover_image=cover,
    )
    page.programmes = lookup.programmes_for(fact["programmes"], locale)
    page.countries = [
        lookup.countries[code] for code in fact["countries"] if code in lookup.countries
    ]
    page.authors = _authors(fact["authors"], lookup)
    page.organisations = [
        PublicationOrganisation(
            organisation=lookup.organisations[name], role=role, sort_order=order
        )
        for order, (role, name) in enumerate(fact["organisations"])
        if name in lookup.organisations
    ]
    page.downloads = [
        PublicationDownload(
            document=_document(
                fact=fact, language=language, collection=collection, counts=counts
            ),
            language=language,
            label="",
            sort_order=0,
        )
    ]
    parent.add_child(instance=page)
    counts["publications"] += 1
    return page


def _library_ensure(*, home: Page, counts: Counter) -> PublicationIndexPage:
    library = PublicationIndexPage.objects.child_of(home).first()
    if library is not None:
        return library
    title, intro = demo_facts.LIBRARY["en"]
    library = home.add_child(
        instance=PublicationIndexPage(
            title=title,
            slug=LIBRARY_SLUG,
            locale=home.locale,
            intro=intro,
            search_description=intro,
        )
    )
    counts["pages"] += 1
    return _publish(library)


def _translation_ensure(
    library: PublicationIndexPage, *, locale: Locale, counts: Counter
) -> PublicationIndexPage | None:
    """The library's copy in another language, if that language has a home page."""
    existing = library.get_translation_or_none(locale)
    if existing is not None:
        return existing.specific
    if not library.get_parent().has_translation(locale):
        return None
    title, intro = demo_facts.LIBRARY[locale.language_code]
    translation = library.copy_for_translation(locale)
    translation.title = title
    translation.intro = intro
    translation.search_description = intro
    translation.save()
    counts["pages"] += 1
    return _publish(translation)


def _series_ensure(
    slug: str, fact: dict, *, parent: Page, lookup: _Lookup, counts: Counter
) -> VoicesSeriesPage:
    series = VoicesSeriesPage.objects.child_of(parent).filter(slug=slug).first()
    if series is not None:
        return series
    series = VoicesSeriesPage(
        title=fact["title"],
        slug=slug,
        locale=parent.locale,
        intro=fact["intro"],
        search_description=fact["intro"],
    )
    series.partner_organisations = [
        lookup.organisations[name]
        for name in fact["partners"]
        if name in lookup.organisations
    ]
    parent.add_child(instance=series)
    counts["pages"] += 1
    return _publish(series)


@transaction.atomic
def library_demo_ensure(*, home: Page, locales: dict[str, Locale]) -> dict[str, int]:
    """The library under `home` (and its French twin) with the demo publications.

    Returns how many rows of each kind were created; a second run returns zeros.
    """
    counts: Counter = Counter()
    default_locale = home.locale
    _taxonomy_ensure(locale=default_locale, counts=counts)
    collection = _collection_ensure(counts=counts)
    lookup = _Lookup(default_locale=default_locale)

    libraries = {
        default_locale.language_code: _library_ensure(home=home, counts=counts)
    }
    for code, locale in locales.items():
        if code != default_locale.language_code and code in demo_facts.LIBRARY:
            translation = _translation_ensure(
                libraries[default_locale.language_code], locale=locale, counts=counts
            )
            if translation is not None:
                libraries[code] = translation

    created: list[PublicationPage] = []
    for fact in demo_facts.PUBLICATIONS:
        parent = libraries.get(fact.get("language", default_locale.language_code))
        if parent is None or parent.get_children().filter(slug=fact["slug"]).exists():
            continue
        created.append(
            _publication_build(
                fact, parent=parent, lookup=lookup, collection=collection, counts=counts
            )
        )
    for slug, fact in demo_facts.VOICES_SERIES.items():
        library = libraries.get(fact["language"])
        if library is None:
            continue
        series = _series_ensure(
            slug, fact, parent=library, lookup=lookup, counts=counts
        )
        for study in demo_facts.VOICES_STUDIES.get(slug, []):
            if series.get_children().filter(slug=study["slug"]).exists():
                continue
            created.append(
                _publication_build(
                    study,
                    parent=series,
                    lookup=lookup,
                    collection=collection,
                    counts=counts,
                )
            )

    _related_add(created, libraries=libraries.values())
    for page in created:
        _publish(page)
    return {label: count for label, count in counts.items() if count}


def _related_add(created: list[PublicationPage], *, libraries) -> None:
    """Link new publications to the ones the facts relate them to."""
    wanted = dict(demo_facts.RELATED)
    new = {page.slug: page for page in created if page.slug in wanted}
    if not new:
        return
    slugs = {slug for related in wanted.values() for slug in related}
    within = [library.path for library in libraries]
    candidates = {
        page.slug: page
        for page in PublicationPage.objects.filter(slug__in=slugs)
        if any(page.path.startswith(path) for path in within)
    }
    for slug, page in new.items():
        page.related_publications = [
            RelatedPublication(related=candidates[related], sort_order=order)
            for order, related in enumerate(wanted[slug])
            if related in candidates
        ]
        page.save()
