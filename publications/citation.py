"""How to cite a publication: a line of text, a BibTeX entry and an RIS record.

Plain functions over a PublicationPage; they read its authors through
`publication.authors.all()`, so a prefetched page costs no extra query.
"""

import re
import string
import unicodedata
from dataclasses import dataclass
from urllib.parse import quote

from django.db.models import Prefetch

from publications.choices import DatePrecision, OrganisationRole, PublicationType
from publications.identifiers import doi_url
from publications.licences import licence_info
from publications.models import (
    PublicationAuthor,
    PublicationOrganisation,
    PublicationPage,
)

# Lower-case words that belong to the family name: "Guillaume de Brier".
NAME_PARTICLES = frozenset(
    {"da", "de", "del", "della", "der", "des", "di", "do", "dos", "du", "la", "le"}
    | {"st", "ten", "ter", "van", "von", "zu"}
)
BIBTEX_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun")
BIBTEX_MONTHS += ("jul", "aug", "sep", "oct", "nov", "dec")
# LaTeX's special characters and what stands for each in a BibTeX value.
BIBTEX_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "&": r"\&",
    "%": r"\%",
    "#": r"\#",
    "_": r"\_",
    "^": r"\textasciicircum{}",
    "~": r"\textasciitilde{}",
}


@dataclass(frozen=True)
class CitationType:
    """What a publication is called in schema.org, BibTeX and RIS."""

    json_ld: str
    bibtex: str
    ris: str


# One table for the three formats, so that they can never disagree; every type
# not named here is a report.
REPORT = CitationType(json_ld="Report", bibtex="techreport", ris="RPRT")
CITATION_TYPES = {
    PublicationType.MAP: CitationType(json_ld="Map", bibtex="misc", ris="MAP"),
    PublicationType.ARTICLE: CitationType(
        json_ld="Article", bibtex="article", ris="JOUR"
    ),
    PublicationType.OTHER: CitationType(
        json_ld="CreativeWork", bibtex="misc", ris="GEN"
    ),
}
# How a citation joins the last two names, and writes "Place: Publisher", in
# the publication's own language (French puts a space before the colon).
CITATION_AND = {"en": "and", "fr": "et", "sw": "na"}
CITATION_COLON = {"fr": " : "}
RIS_LINE_END = "\r\n"

_SPACE = re.compile(r"\s+")
_NOT_KEY = re.compile(r"[^a-z0-9]+")


def _one_line(text: str) -> str:
    """Text with every run of whitespace (newlines included) as one space."""
    return _SPACE.sub(" ", str(text)).strip()


def name_split(name: str) -> tuple[str, str]:
    """(family name, given names) of a personal name written given-names first."""
    words = _one_line(name).split(" ")
    if len(words) < 2:
        return (words[0] if words else "", "")
    family_start = len(words) - 1
    while family_start > 1 and words[family_start - 1].lower() in NAME_PARTICLES:
        family_start -= 1
    return " ".join(words[family_start:]), " ".join(words[:family_start])


def initials(given: str) -> str:
    """“Hans” → “H.”, “Jean-Pierre Marie” → “J.-P. M.”."""
    parts = []
    for word in given.split():
        pieces = [piece for piece in word.split("-") if piece]
        parts.append("-".join(f"{piece[0]}." for piece in pieces))
    return " ".join(parts)


def author_short_name(author) -> str:
    """“Merket, H.” for a person; an organisation's name as it is written."""
    if author.is_organisation:
        return _one_line(author.name)
    family, given = name_split(author.name)
    return f"{family}, {initials(given)}" if given else family


def citation_type(*, publication) -> CitationType:
    """The publication's type in JSON-LD, BibTeX and RIS."""
    return CITATION_TYPES.get(publication.publication_type, REPORT)


def _language(publication) -> str:
    return publication.locale.language_code


def _join_names(names: list[str], language: str = "en") -> str:
    conjunction = f" {CITATION_AND.get(language, CITATION_AND['en'])} "
    if len(names) <= 2:
        return conjunction.join(names)
    return f"{', '.join(names[:-1])}{conjunction}{names[-1]}"


def citation_publisher(*, publication) -> str:
    """Who published it: for a partner study, the partner organisations it was
    published with (not the institute), else the publisher field.

    Reads `publication.organisations.all()`, so a prefetched page costs nothing.
    """
    if publication.publication_type == PublicationType.PARTNER_STUDY:
        partners = [
            _one_line(row.organisation.name)
            for row in publication.organisations.all()
            if row.role == OrganisationRole.PUBLISHED_WITH
        ]
        if partners:
            return _join_names(partners, _language(publication))
    return _one_line(publication.publisher)


def _precision(publication) -> str:
    return publication.date_precision or DatePrecision.DAY


def date_iso(*, publication) -> str:
    """ISO 8601 as precise as known: “2019-11-05”, “2019-11” or “2019”."""
    date = publication.publication_date
    precision = _precision(publication)
    if precision == DatePrecision.YEAR:
        return f"{date:%Y}"
    if precision == DatePrecision.MONTH:
        return f"{date:%Y-%m}"
    return date.isoformat()


def date_highwire(*, publication) -> str:
    """Highwire's `citation_publication_date`: “2019/11/05”, “2019/11”, “2019”."""
    return date_iso(publication=publication).replace("-", "/")


def date_ris(*, publication) -> str:
    """RIS `DA`: “2019/11/05/”, “2019/11//” or “2019///”."""
    parts = date_iso(publication=publication).split("-")
    parts += [""] * (3 - len(parts))
    return "/".join(parts) + "/"


def _sentence(text: str) -> str:
    text = _one_line(text)
    return text if text[-1:] in ".?!" else f"{text}."


def citation_text(*, publication) -> str:
    """“Merket, H. and Mawala, E. (2019). Title: subtitle. Antwerp: IPIS.”"""
    authors = publication.author_list()
    language = _language(publication)
    publisher = citation_publisher(publication=publication)
    who = _join_names([author_short_name(author) for author in authors], language)
    who = who or publisher
    parts = [
        f"{who} ({publication.publication_date.year}).",
        _sentence(publication.full_title),
    ]
    if publication.series_name:
        parts.append(_sentence(publication.series_label))
    place = _one_line(publication.place)
    colon = CITATION_COLON.get(language, ": ")
    parts.append(_sentence(f"{place}{colon}{publisher}" if place else publisher))
    if publication.doi:
        # As citation styles end a work that has one: its DOI as an address.
        parts.append(doi_url(publication.doi))
    return " ".join(parts)


def bibtex_escape(text: str) -> str:
    """Text as a BibTeX value: LaTeX's special characters escaped, on one line."""
    return "".join(BIBTEX_ESCAPES.get(char, char) for char in _one_line(text))


def _bibtex_url(url: str) -> str:
    # URLs are typeset verbatim, so they are not escaped; only the characters
    # that would end the value or break the entry are percent-encoded.
    return quote(_one_line(url), safe=":/?#[]@!$&'()*+,;=~-._%")


def _ascii_word(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _NOT_KEY.sub("", plain.lower())


def bibtex_key_base(*, publication) -> str:
    """“merket2019mapping”: first author's family name, year, first title word."""
    authors = publication.author_list()
    first = ""
    if authors:
        author = authors[0]
        first = author.name if author.is_organisation else name_split(author.name)[0]
    first = _ascii_word(
        first.split(" ")[-1] if first else citation_publisher(publication=publication)
    )
    words = [_ascii_word(word) for word in publication.title.split()]
    word = next((word for word in words if len(word) > 3), words[0] if words else "")
    return f"{first or 'anon'}{publication.publication_date.year}{word}"


def _key_order(publication) -> tuple:
    # Deterministic whatever the database: oldest first, then by address.
    return (
        publication.publication_date,
        publication.slug,
        publication.locale.language_code,
        publication.pk or 0,
    )


def bibtex_keys(publications) -> dict[int, str]:
    """{pk: key} unique among these publications: the first of those sharing a
    key (by date, then slug and language) keeps it, the next get “b”, “c”…"""
    by_base: dict[str, list] = {}
    for publication in publications:
        by_base.setdefault(bibtex_key_base(publication=publication), []).append(
            publication
        )
    keys = {}
    for base, group in by_base.items():
        for position, publication in enumerate(sorted(group, key=_key_order)):
            keys[publication.pk] = base + _key_suffix(position)
    return keys


def _key_suffix(position: int) -> str:
    """ "", "b", "c", … "z", "aa", "ab"…"""
    if position == 0:
        return ""
    letters = string.ascii_lowercase
    if position < len(letters):
        return letters[position]
    return letters[position // len(letters) - 1] + letters[position % len(letters)]


def bibtex_key(*, publication) -> str:
    """The publication's key, unique across the live library (two queries)."""
    base = bibtex_key_base(publication=publication)
    if publication.pk is None:
        return base
    # Only publications of the same year can share the key.
    rivals = list(
        PublicationPage.objects.live()
        .filter(publication_date__year=publication.publication_date.year)
        .exclude(pk=publication.pk)
        .defer_streamfields()
        .select_related("locale")
        .prefetch_related(
            Prefetch(
                "authors",
                queryset=PublicationAuthor.objects.select_related("person"),
            ),
            Prefetch(
                "organisations",
                queryset=PublicationOrganisation.objects.select_related("organisation"),
            ),
        )
    )
    rivals = [page for page in rivals if bibtex_key_base(publication=page) == base]
    if not rivals:
        return base
    return bibtex_keys([publication, *rivals])[publication.pk]


def _bibtex_author(author) -> str:
    if author.is_organisation:
        # Double braces keep an organisation's name whole, never "Family, G.".
        return "{" + bibtex_escape(author.name) + "}"
    family, given = name_split(author.name)
    if not given:
        return bibtex_escape(family)
    return f"{bibtex_escape(family)}, {bibtex_escape(given)}"


def citation_bibtex(*, publication, url: str = "", key: str = "") -> str:
    """The publication as one BibTeX entry (@techreport, @article or @misc).

    `key` when already known (`bibtex_keys` over a list); else it is looked up.
    """
    entry_type = citation_type(publication=publication).bibtex
    publisher_name = citation_publisher(publication=publication)
    date = publication.publication_date
    fields: list[tuple[str, str]] = []
    authors = publication.author_list()
    if authors:
        fields.append(
            ("author", "{" + " and ".join(map(_bibtex_author, authors)) + "}")
        )
    fields.append(("title", "{" + bibtex_escape(publication.full_title) + "}"))
    publisher = "{" + bibtex_escape(publisher_name) + "}"
    if entry_type == "techreport":
        fields.append(("institution", publisher))
        fields.append(
            (
                "type",
                "{" + bibtex_escape(publication.get_publication_type_display()) + "}",
            )
        )
    elif entry_type == "article":
        journal = publication.series_name or publisher_name
        fields.append(("journal", "{" + bibtex_escape(journal) + "}"))
    else:
        fields.append(("publisher", publisher))
    if publication.series_name and entry_type != "article":
        fields.append(("series", "{" + bibtex_escape(publication.series_name) + "}"))
    if publication.series_volume:
        name = "number" if entry_type != "misc" else "volume"
        fields.append((name, "{" + str(publication.series_volume) + "}"))
    if publication.place:
        fields.append(("address", "{" + bibtex_escape(publication.place) + "}"))
    fields.append(("year", "{" + str(date.year) + "}"))
    if _precision(publication) != DatePrecision.YEAR:
        fields.append(("month", BIBTEX_MONTHS[date.month - 1]))
    fields.append(("language", "{" + publication.locale.language_code + "}"))
    if publication.doi:
        # Typeset verbatim like the URL (biblatex's `doi` field, read by
        # Zotero, JabRef and BibTeX styles that know it).
        fields.append(("doi", "{" + _bibtex_url(publication.doi) + "}"))
    if url:
        fields.append(("url", "{" + _bibtex_url(url) + "}"))
    licence = licence_info(publication.licence)
    if licence is not None:
        # No BibTeX style prints it; `copyright` is the name reference
        # managers (Zotero's importer among them) read into their rights field.
        fields.append(("copyright", "{" + bibtex_escape(licence.short_name) + "}"))
    body = ",\n".join(f"  {name} = {value}" for name, value in fields)
    key = key or bibtex_key(publication=publication)
    return f"@{entry_type}{{{key},\n{body}\n}}\n"


def _ris_author(author) -> str:
    if author.is_organisation:
        return _one_line(author.name)
    family, given = name_split(author.name)
    return f"{family}, {given}" if given else family


def citation_ris(*, publication, url: str = "") -> str:
    """The publication as one RIS record: one `TAG  - value` per line, CRLF."""
    date = publication.publication_date
    ris_type = citation_type(publication=publication).ris
    lines = [("TY", ris_type)]
    lines += [("AU", _ris_author(author)) for author in publication.author_list()]
    lines.append(("TI", publication.full_title))
    if publication.series_name:
        lines.append(("JO" if ris_type == "JOUR" else "T3", publication.series_name))
    if publication.series_volume:
        lines.append(("IS" if ris_type == "JOUR" else "VL", publication.series_volume))
    lines.append(("PY", date.year))
    lines.append(("DA", date_ris(publication=publication)))
    lines.append(("PB", citation_publisher(publication=publication)))
    if publication.place:
        lines.append(("CY", publication.place))
    lines.append(("LA", publication.locale.language_code))
    if publication.summary:
        lines.append(("AB", publication.summary))
    if publication.doi:
        # RIS has no tag for a licence; the DOI has its own.
        lines.append(("DO", publication.doi))
    if url:
        lines.append(("UR", url))
    lines.append(("ER", ""))
    return "".join(f"{tag}  - {_one_line(value)}{RIS_LINE_END}" for tag, value in lines)
