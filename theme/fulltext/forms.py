"""Which words of a text a search matched, so that they can be highlighted.

The database decides what matches; this module says which words of a title
or an excerpt it would have taken, so that "mining" highlights "mines":

- SQLite: every word is a prefix (`ranked`), accents ignored as FTS5's
  unicode61 tokenizer ignores them: "econ" marks "économie".
- PostgreSQL: a word of the text is marked when its Snowball stem equals the
  stem of a term, with the stemmer of the language's configuration (the
  snowballstemmer package holds the same Snowball algorithms as PostgreSQL's
  english_stem and french_stem dictionaries); 'simple' (Swahili) compares
  lower-cased words. An approximation: PostgreSQL's stop words and its own
  build of the stemmers can differ on a rare word.
"""

import functools
import re
import threading
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

import snowballstemmer

from .configs import search_config

_WORD = re.compile(r"[^\W_]+")
# PostgreSQL configurations whose dictionary is a Snowball stemmer.
SNOWBALL_LANGUAGES = {"english": "english", "french": "french"}

PREFIX = "prefix"
STEM = "stem"


# Words seen are remembered, as stems are (below): excerpts and PDF pages
# repeat the same few thousand words.
FOLD_CACHE_SIZE = 50_000


@functools.lru_cache(maxsize=FOLD_CACHE_SIZE)
def folded(word: str) -> str:
    """Lower case without accents, as FTS5's unicode61 tokenizer compares."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


# A stemmer object keeps its word while it works: one per thread.
_stemmers = threading.local()
STEM_CACHE_SIZE = 50_000


@functools.cache
def _stem_function(config: str) -> Callable[[str], str]:
    """The stem of a word in `config`, remembered: a page of results asks for
    the same few thousand words again and again (20 excerpts stemmed word by
    word took 76 ms a page on a slow machine)."""
    language = SNOWBALL_LANGUAGES.get(config)
    if language is None:
        return str.casefold

    @functools.lru_cache(maxsize=STEM_CACHE_SIZE)
    def stem(word: str) -> str:
        stemmer = getattr(_stemmers, language, None)
        if stemmer is None:
            stemmer = snowballstemmer.stemmer(language)
            setattr(_stemmers, language, stemmer)
        return stemmer.stemWord(word.casefold())

    return stem


@dataclass(frozen=True)
class WordMatch:
    """How a database compares a word of a text with the terms of a search."""

    terms: tuple[str, ...]
    mode: str  # PREFIX or STEM
    config: str = "simple"

    @functools.cached_property
    def _keys(self) -> tuple[str, ...]:
        if self.mode == PREFIX:
            return tuple(folded(term) for term in self.terms)
        stem = _stem_function(self.config)
        return tuple(stem(term) for term in self.terms)

    def matches(self, word: str) -> bool:
        if self.mode == PREFIX:
            return folded(word).startswith(self._keys)
        return _stem_function(self.config)(word) in self._keys

    def forms(self, *texts: str) -> tuple[str, ...]:
        """The distinct words of `texts` that match a term, the terms first."""
        found = dict.fromkeys(self.terms)
        for text in texts:
            # Each distinct word once, in the order of its first appearance.
            for word in dict.fromkeys(_WORD.findall(text)):
                if word not in found and self.matches(word):
                    found[word] = None
        return tuple(found)


def word_match(*, terms: tuple[str, ...], language_code: str, vendor: str) -> WordMatch:
    """The comparison the database `vendor` makes for a page in this language."""
    if vendor == "postgresql":
        return WordMatch(terms=terms, mode=STEM, config=search_config(language_code))
    return WordMatch(terms=terms, mode=PREFIX)
