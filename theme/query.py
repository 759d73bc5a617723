"""Reader-typed search queries made safe for any search backend."""

import re
import unicodedata

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12

# Words as the search backends see them: letters and digits in any script.
_WORD = re.compile(r"[^\W_]+")
_SPACE = re.compile(r"\s+")


def query_clean(raw: str) -> str:
    """The query as typed, without control characters, whitespace collapsed, capped.

    NUL bytes and other control characters go (PostgreSQL refuses NUL in a
    string); the length is capped so a 10,000-character query costs nothing.
    """
    raw = raw[: MAX_QUERY_LENGTH * 4]
    printable = "".join(
        " " if unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co") else char
        for char in raw
    )
    return _SPACE.sub(" ", printable).strip()[:MAX_QUERY_LENGTH].strip()


def query_terms(query: str) -> tuple[str, ...]:
    """The distinct words of a cleaned query, in order, at most MAX_TERMS.

    Punctuation, quotes and operators are dropped, so nothing the reader types
    reaches the backend's query syntax (FTS5 MATCH, tsquery) as syntax.
    """
    seen: dict[str, str] = {}
    for word in _WORD.findall(query):
        seen.setdefault(word.casefold(), word)
        if len(seen) == MAX_TERMS:
            break
    return tuple(seen.values())
