"""How to cite a publication: a line of text, a BibTeX entry and an RIS record.

Plain functions over a PublicationPage; they read its authors through
`publication.authors.all()`, so a prefetched page costs no extra query.
"""

import re
import unicodedata
from urllib.parse import quote

from publications.choices import PublicationType

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
BIBTEX_TYPES = {
    PublicationType.MAP: "misc",
    PublicationType.ARTICLE: "article",
    PublicationType.OTHER: "misc",
}
RIS_TYPES = {
    PublicationType.MAP: "MAP",
    PublicationType.ARTICLE: "JOUR",
    PublicationType.OTHER: "GEN",
}
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


def _join_names(names: list[str]) -> str:
    if len(names) <= 2:
        return " and ".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def _sentence(text: str) -> str:
    text = _one_line(text)
    return text if text[-1:] in ".?!" else f"{text}."


def citation_text(*, publication) -> str:
    """“Merket, H. and Mawala, E. (2019). Title: subtitle. Antwerp: IPIS.”"""
    authors = publication.author_list()
    who = _join_names([author_short_name(author) for author in authors])
    who = who or _one_line(publication.publisher)
    parts = [
        f"{who} ({publication.publication_date.year}).",
        _sentence(publication.full_title),
    ]
    if publication.series_name:
        parts.append(_sentence(publication.series_label))
    publisher = _one_line(publication.publisher)
    place = _one_line(publication.place)
    parts.append(_sentence(f"{place}: {publisher}" if place else publisher))
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


def bibtex_key(*, publication) -> str:
    """“merket2019mapping”: first author's family name, year, first title word."""
    authors = publication.author_list()
    first = ""
    if authors:
        author = authors[0]
        first = author.name if author.is_organisation else name_split(author.name)[0]
    first = _ascii_word(first.split(" ")[-1] if first else publication.publisher)
    words = [_ascii_word(word) for word in publication.title.split()]
    word = next((word for word in words if len(word) > 3), words[0] if words else "")
    return f"{first or 'anon'}{publication.publication_date.year}{word}"


def _bibtex_author(author) -> str:
    if author.is_organisation:
        # Double braces keep an organisation's name whole, never "Family, G.".
        return "{" + bibtex_escape(author.name) + "}"
    family, given = name_split(author.name)
    if not given:
        return bibtex_escape(family)
    return f"{bibtex_escape(family)}, {bibtex_escape(given)}"


def citation_bibtex(*, publication, url: str = "") -> str:
    """The publication as one BibTeX entry (@techreport, @article or @misc)."""
    entry_type = BIBTEX_TYPES.get(publication.publication_type, "techreport")
    date = publication.publication_date
    fields: list[tuple[str, str]] = []
    authors = publication.author_list()
    if authors:
        fields.append(
            ("author", "{" + " and ".join(map(_bibtex_author, authors)) + "}")
        )
    fields.append(("title", "{" + bibtex_escape(publication.full_title) + "}"))
    publisher = "{" + bibtex_escape(publication.publisher) + "}"
    if entry_type == "techreport":
        fields.append(("institution", publisher))
        fields.append(
            (
                "type",
                "{" + bibtex_escape(publication.get_publication_type_display()) + "}",
            )
        )
    elif entry_type == "article":
        journal = publication.series_name or publication.publisher
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
    fields.append(("month", BIBTEX_MONTHS[date.month - 1]))
    fields.append(("language", "{" + publication.locale.language_code + "}"))
    if url:
        fields.append(("url", "{" + _bibtex_url(url) + "}"))
    body = ",\n".join(f"  {name} = {value}" for name, value in fields)
    return f"@{entry_type}{{{bibtex_key(publication=publication)},\n{body}\n}}\n"


def _ris_author(author) -> str:
    if author.is_organisation:
        return _one_line(author.name)
    family, given = name_split(author.name)
    return f"{family}, {given}" if given else family


def citation_ris(*, publication, url: str = "") -> str:
    """The publication as one RIS record: one `TAG  - value` per line, CRLF."""
    date = publication.publication_date
    ris_type = RIS_TYPES.get(publication.publication_type, "RPRT")
    lines = [("TY", ris_type)]
    lines += [("AU", _ris_author(author)) for author in publication.author_list()]
    lines.append(("TI", publication.full_title))
    if publication.series_name:
        lines.append(("JO" if ris_type == "JOUR" else "T3", publication.series_name))
    if publication.series_volume:
        lines.append(("IS" if ris_type == "JOUR" else "VL", publication.series_volume))
    lines.append(("PY", date.year))
    lines.append(("DA", f"{date:%Y/%m/%d}/"))
    lines.append(("PB", publication.publisher))
    if publication.place:
        lines.append(("CY", publication.place))
    lines.append(("LA", publication.locale.language_code))
    if publication.summary:
        lines.append(("AB", publication.summary))
    if url:
        lines.append(("UR", url))
    lines.append(("ER", ""))
    return "".join(f"{tag}  - {_one_line(value)}{RIS_LINE_END}" for tag, value in lines)
