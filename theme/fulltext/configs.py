"""PostgreSQL text-search configurations by language.

A French page is indexed and searched with French stemming, so "ressource"
finds "ressources". Swahili has no configuration in PostgreSQL (nor a
Snowball stemmer), so its words are matched as written, lower-cased
('simple'); so is any language not listed.
"""

# The configurations' names are also SQL identifiers in `ranked`: plain words.
SEARCH_CONFIGS = {"en": "english", "fr": "french", "sw": "simple"}
FALLBACK_CONFIG = "simple"


def search_config(language_code: str) -> str:
    """The configuration for `language_code` ("fr", "fr-be" or "FR" alike)."""
    base = (language_code or "").lower().split("-")[0]
    return SEARCH_CONFIGS.get(base, FALLBACK_CONFIG)
