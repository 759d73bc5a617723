"""Search terms shown in text: whole-word matches in <mark>, excerpts around them.

Used by site search and by the passages quoted from PDFs (publications.pdf).
"""

import re

from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString

EXCERPT_LENGTH = 240


def text_highlight(text: str, terms: tuple[str, ...]) -> SafeString:
    """`text` escaped, with whole-word, case-insensitive matches of `terms` in <mark>.

    The text is split on the matches before anything is escaped, and each piece
    is escaped on its own, so a term can never match inside an entity such as
    `&amp;` and nothing from the text or the query is ever trusted as markup.
    """
    if not terms:
        return escape(text)
    pattern = terms_pattern(terms)
    pieces = pattern.split(text)
    # re.split with one capturing group alternates text, match, text, ...
    return format_html_join(
        "",
        "{}",
        (
            (format_html("<mark>{}</mark>", piece) if index % 2 else escape(piece),)
            for index, piece in enumerate(pieces)
            if piece
        ),
    )


def terms_pattern(terms: tuple[str, ...]) -> re.Pattern:
    """Any of the terms as a whole word, case-insensitive, as one capturing group."""
    # Longest first, so "peacebuilding" wins over "peace" where both are terms.
    alternatives = "|".join(
        re.escape(term) for term in sorted(terms, key=len, reverse=True)
    )
    return re.compile(rf"(?<!\w)({alternatives})(?!\w)", re.IGNORECASE)


def text_excerpt(
    text: str, terms: tuple[str, ...], *, length: int = EXCERPT_LENGTH
) -> str:
    """About `length` characters of `text` around the first match, cut at spaces."""
    if len(text) <= length:
        return text
    start = 0
    match = terms_pattern(terms).search(text) if terms else None
    if match is not None and match.end() > length - 20:
        start = max(0, match.start() - length // 4)
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < match.start() else start
    end = start + length
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return f"{prefix}{text[start:end].strip()}{suffix}"
