"""Citations: the text line, BibTeX (checked by a strict parser) and RIS."""

import datetime
import re

import pytest

from publications.choices import DatePrecision, OrganisationRole, PublicationType
from publications.citation import (
    bibtex_escape,
    bibtex_key_base,
    bibtex_keys,
    citation_bibtex,
    citation_publisher,
    citation_ris,
    citation_text,
    citation_type,
    date_iso,
    initials,
    name_split,
)
from publications.models import (
    Organisation,
    PublicationAuthor,
    PublicationOrganisation,
    PublicationPage,
)

pytestmark = pytest.mark.django_db

URL = "https://example.org/en/publications/mapping-asm/"


def publication(locales, *, authors=(), **fields) -> PublicationPage:
    """An unsaved publication whose authors need no database."""
    values = {
        "title": "Mapping artisanal and small-scale mining in northwest Tanzania",
        "subtitle": "A survey on its nature, scope and impact",
        "publication_date": datetime.date(2019, 1, 15),
        "publication_type": PublicationType.REPORT,
        "summary": "Field teams surveyed mines.\nThey weighed costs and gains.",
        "place": "Antwerp",
        "publisher": "IPIS",
        "locale": locales["en"],
        "slug": "mapping-asm",
    }
    values.update(fields)
    page = PublicationPage(**values)
    page.authors = [
        PublicationAuthor(external_name=name, is_organisation=organisation)
        for name, organisation in (
            (author, False) if isinstance(author, str) else author for author in authors
        )
    ]
    return page


# Names


@pytest.mark.parametrize(
    ("name", "family", "given"),
    [
        ("Hans Merket", "Merket", "Hans"),
        ("Guillaume de Brier", "de Brier", "Guillaume"),
        ("Manuel Claeys-Bouuaert", "Claeys-Bouuaert", "Manuel"),
        ("Zacharie Bulakali Ntakobajira", "Ntakobajira", "Zacharie Bulakali"),
        ("  Elise   Foubert ", "Foubert", "Elise"),
        ("Madonna", "Madonna", ""),
        ("Vincent van Gogh", "van Gogh", "Vincent"),
    ],
)
def test_names_split_into_family_and_given_names(name, family, given):
    assert name_split(name) == (family, given)


@pytest.mark.parametrize(
    ("given", "expected"),
    [("Hans", "H."), ("Jean-Pierre", "J.-P."), ("Zacharie Bulakali", "Z. B.")],
)
def test_initials(given, expected):
    assert initials(given) == expected


# The citation line


def test_citation_text_for_two_authors(locales):
    page = publication(locales, authors=["Hans Merket", "Elard Mawala"])

    assert citation_text(publication=page) == (
        "Merket, H. and Mawala, E. (2019). Mapping artisanal and small-scale "
        "mining in northwest Tanzania: A survey on its nature, scope and impact. "
        "Antwerp: IPIS."
    )


def test_citation_text_for_three_authors_an_organisation_and_a_series(locales):
    page = publication(
        locales,
        title="Regulating responsible sourcing of 3TG minerals",
        subtitle="",
        authors=["Erik Gobbers", "Alexandre Jaillon", ("IPIS", True)],
        series_name="Insights on Due Diligence in Mineral Sourcing",
        series_volume=1,
        publication_date=datetime.date(2019, 12, 1),
    )

    assert citation_text(publication=page) == (
        "Gobbers, E., Jaillon, A. and IPIS (2019). Regulating responsible "
        "sourcing of 3TG minerals. Insights on Due Diligence in Mineral Sourcing, "
        "vol. 1. Antwerp: IPIS."
    )


def test_citation_text_without_authors_or_place_starts_with_the_publisher(locales):
    page = publication(
        locales,
        title="Real Care is Rare?",
        subtitle="",
        place="",
        publisher="Kimberley Process Civil Society Coalition",
    )

    assert citation_text(publication=page) == (
        "Kimberley Process Civil Society Coalition (2019). Real Care is Rare? "
        "Kimberley Process Civil Society Coalition."
    )


# BibTeX, read back by a strict parser


BIBTEX_UNESCAPES = {
    r"\textbackslash{}": "\\",
    r"\textasciicircum{}": "^",
    r"\textasciitilde{}": "~",
    r"\{": "{",
    r"\}": "}",
    r"\$": "$",
    r"\&": "&",
    r"\%": "%",
    r"\#": "#",
    r"\_": "_",
}
MONTHS = [
    "jan",
    "feb",
    "mar",
    "apr",
    "may",
    "jun",
    "jul",
    "aug",
    "sep",
    "oct",
    "nov",
    "dec",
]


class BibTeXError(ValueError):
    pass


def _braced(text: str, start: int) -> tuple[str, int]:
    """The content of the balanced {…} group at `start`, and the index after it."""
    if text[start] != "{":
        raise BibTeXError(f"expected {{ at {start}")
    depth, index = 0, start
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2  # an escaped character never opens or closes a group
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return text[start + 1 : index], index + 1
        index += 1
    raise BibTeXError("unbalanced braces")


def _unescape(raw: str) -> str:
    """The plain text of a value; an unescaped special character is an error."""
    out, index = [], 0
    while index < len(raw):
        for sequence, char in BIBTEX_UNESCAPES.items():
            if raw.startswith(sequence, index):
                out.append(char)
                index += len(sequence)
                break
        else:
            char = raw[index]
            if char in "&%$#_^~\\":
                raise BibTeXError(f"unescaped {char!r} in {raw!r}")
            if char not in "{}":  # grouping braces carry no text
                out.append(char)
            index += 1
    return "".join(out)


def parse_bibtex(text: str) -> tuple[str, str, dict[str, str]]:
    """One entry → (type, key, {field: plain value}); raise on anything loose."""
    match = re.fullmatch(r"@(\w+)\{([A-Za-z0-9]+),\n(.*)\n\}\n", text, re.DOTALL)
    if not match:
        raise BibTeXError("not a single well-formed entry")
    entry_type, key, body = match.groups()
    fields: dict[str, str] = {}
    index = 0
    while index < len(body):
        field = re.compile(r"  ([a-z]+) = ").match(body, index)
        if not field:
            raise BibTeXError(f"bad field at {body[index : index + 30]!r}")
        name, index = field.group(1), field.end()
        if name in fields:
            raise BibTeXError(f"duplicate field {name}")
        if body[index] == "{":
            raw, index = _braced(body, index)
            fields[name] = raw if name == "url" else _unescape(raw)
        else:
            word = re.compile(r"[a-z]+").match(body, index)
            if not word or word.group() not in MONTHS:
                raise BibTeXError(f"bare value that is not a month in {name}")
            fields[name], index = word.group(), word.end()
        if body.startswith(",\n", index):
            index += 2
        elif index != len(body):
            raise BibTeXError(f"junk after {name}")
    return entry_type, key, fields


def test_bibtex_escapes_every_latex_special_character():
    assert bibtex_escape(r"R&D 100% $5 #1 a_b {x} ~ ^ \ ") == (
        r"R\&D 100\% \$5 \#1 a\_b \{x\} \textasciitilde{} \textasciicircum{} "
        r"\textbackslash{}"
    )


def test_bibtex_entry_reads_back_with_every_field(locales):
    page = publication(locales, authors=["Hans Merket", "Elard Mawala"])

    entry_type, key, fields = parse_bibtex(citation_bibtex(publication=page, url=URL))

    assert (entry_type, key) == ("techreport", "merket2019mapping")
    assert fields == {
        "author": "Merket, Hans and Mawala, Elard",
        "title": "Mapping artisanal and small-scale mining in northwest Tanzania: "
        "A survey on its nature, scope and impact",
        "institution": "IPIS",
        "type": "Report",
        "address": "Antwerp",
        "year": "2019",
        "month": "jan",
        "language": "en",
        "url": URL,
    }


def test_bibtex_round_trips_titles_full_of_special_characters(locales):
    title = r"Guns & gold: 100% {profit}, $ and # of a_b ~ c ^ d \ e"
    page = publication(
        locales,
        title=title,
        subtitle="",
        authors=[("Omega & Partners", True), "Jean-Pierre de la Tour"],
        publisher="R&D Institute",
    )

    text = citation_bibtex(publication=page)
    _type, _key, fields = parse_bibtex(text)

    assert fields["title"] == title
    assert fields["institution"] == "R&D Institute"
    assert fields["author"] == "Omega & Partners and de la Tour, Jean-Pierre"
    # The organisation stays whole inside its own braces: never "Partners, O.".
    assert "author = {{Omega \\& Partners} and de la Tour, Jean-Pierre}" in text


def test_bibtex_entry_types_follow_the_publication_type(locales):
    article = publication(
        locales,
        publication_type=PublicationType.ARTICLE,
        series_name="Africa in Fact",
        series_volume=52,
        authors=["Peter Danssaert", "Brian Wood"],
    )
    webmap = publication(locales, publication_type=PublicationType.MAP)

    article_type, article_key, article_fields = parse_bibtex(
        citation_bibtex(publication=article)
    )
    map_type, _key, map_fields = parse_bibtex(citation_bibtex(publication=webmap))

    assert (article_type, article_key) == ("article", "danssaert2019mapping")
    assert article_fields["journal"] == "Africa in Fact"
    assert article_fields["number"] == "52"
    assert map_type == "misc"
    assert map_fields["publisher"] == "IPIS"
    assert "author" not in map_fields


def test_bibtex_key_is_plain_ascii(locales):
    page = publication(
        locales, title="Égalité des droits", authors=["Émilie Ngoy-Kümmel"]
    )

    _type, key, _fields = parse_bibtex(citation_bibtex(publication=page))

    assert key == "ngoykummel2019egalite"


def test_strict_parser_refuses_a_loose_special_character():
    with pytest.raises(BibTeXError):
        parse_bibtex("@misc{key,\n  title = {R&D}\n}\n")
    with pytest.raises(BibTeXError):
        parse_bibtex("@misc{key,\n  title = {unbalanced\n}\n")


# RIS


def test_ris_has_one_tag_per_line_and_ends_the_record(locales):
    page = publication(locales, authors=["Hans Merket", ("IPIS", True)])

    text = citation_ris(publication=page, url=URL)

    assert text.endswith("ER  - \r\n")
    lines = text.split("\r\n")[:-1]
    assert all(re.fullmatch(r"[A-Z][A-Z0-9]  - .*", line) for line in lines)
    tags = [line[:2] for line in lines]
    assert tags[0] == "TY" and tags[-1] == "ER"
    for tag in ("TY", "AU", "TI", "PY", "DA", "PB", "UR", "ER"):
        assert tag in tags
    values = {}
    for line in lines:
        values.setdefault(line[:2], []).append(line[6:])
    assert values["TY"] == ["RPRT"]
    assert values["AU"] == ["Merket, Hans", "IPIS"]
    assert values["TI"] == [
        "Mapping artisanal and small-scale mining in northwest Tanzania: A survey "
        "on its nature, scope and impact"
    ]
    assert values["PY"] == ["2019"]
    assert values["DA"] == ["2019/01/15/"]
    assert values["PB"] == ["IPIS"]
    assert values["CY"] == ["Antwerp"]
    assert values["UR"] == [URL]
    # The summary's line break would start a bogus tag: it becomes a space.
    assert values["AB"] == ["Field teams surveyed mines. They weighed costs and gains."]


def test_ris_types_follow_the_publication_type(locales):
    webmap = publication(locales, publication_type=PublicationType.MAP)
    article = publication(
        locales,
        publication_type=PublicationType.ARTICLE,
        series_name="Africa in Fact",
        series_volume=52,
    )

    assert citation_ris(publication=webmap).startswith("TY  - MAP\r\n")
    article_ris = citation_ris(publication=article)
    assert article_ris.startswith("TY  - JOUR\r\n")
    assert "JO  - Africa in Fact\r\n" in article_ris
    assert "IS  - 52\r\n" in article_ris


# One type, one date, one key, one publisher in every format


@pytest.mark.parametrize(
    ("kind", "json_ld", "bibtex", "ris"),
    [
        (PublicationType.REPORT, "Report", "techreport", "RPRT"),
        (PublicationType.PARTNER_STUDY, "Report", "techreport", "RPRT"),
        (PublicationType.MAP, "Map", "misc", "MAP"),
        (PublicationType.ARTICLE, "Article", "article", "JOUR"),
        (PublicationType.OTHER, "CreativeWork", "misc", "GEN"),
    ],
)
def test_one_type_table_for_the_three_formats(locales, kind, json_ld, bibtex, ris):
    page = publication(locales, publication_type=kind)

    assert citation_type(publication=page).json_ld == json_ld
    assert citation_bibtex(publication=page, key="k").startswith(f"@{bibtex}{{k,")
    assert citation_ris(publication=page).startswith(f"TY  - {ris}\r\n")


@pytest.mark.parametrize(
    ("precision", "iso", "ris", "month"),
    [
        (DatePrecision.DAY, "2019-11-05", "2019/11/05/", "nov"),
        (DatePrecision.MONTH, "2019-11", "2019/11//", "nov"),
        (DatePrecision.YEAR, "2019", "2019///", None),
    ],
)
def test_a_date_is_written_as_precisely_as_it_is_known(
    locales, precision, iso, ris, month
):
    page = publication(
        locales,
        publication_date=datetime.date(2019, 11, 5),
        date_precision=precision,
    )

    bibtex = citation_bibtex(publication=page, key="k")
    assert date_iso(publication=page) == iso
    assert f"DA  - {ris}\r\n" in citation_ris(publication=page)
    assert ("  month = nov" in bibtex) is (month is not None)


def test_a_partner_study_credits_its_partners_in_its_own_language(locales):
    page = publication(
        locales,
        locale=locales["fr"],
        publication_type=PublicationType.PARTNER_STUDY,
        place="Anvers/Misisi",
    )
    page.organisations = [
        PublicationOrganisation(
            organisation=Organisation(name=name), role=OrganisationRole.PUBLISHED_WITH
        )
        for name in ("APDE", "CDJP")
    ] + [
        PublicationOrganisation(
            organisation=Organisation(name="EU"), role=OrganisationRole.SUPPORTED_BY
        )
    ]

    assert citation_publisher(publication=page) == "APDE et CDJP"
    assert citation_text(publication=page).endswith("Anvers/Misisi : APDE et CDJP.")
    assert "PB  - APDE et CDJP\r\n" in citation_ris(publication=page)
    assert "institution = {APDE et CDJP}" in citation_bibtex(publication=page, key="k")


def test_shared_bibtex_keys_get_letters_in_a_fixed_order(locales):
    pages = [
        publication(locales, slug=slug, publication_date=datetime.date(2019, m, 1))
        for slug, m in (("c", 4), ("a", 1), ("b", 1))
    ]
    for pk, page in enumerate(pages, start=1):
        page.pk = pk

    keys = bibtex_keys(pages)

    base = bibtex_key_base(publication=pages[0])
    assert keys == {2: base, 3: base + "b", 1: base + "c"}
