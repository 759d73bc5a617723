"""Keyword rules of a source: which arriving items are dismissed, and why."""

import re
from dataclasses import dataclass

from briefings.news.ingest.clean import text_clean, text_from_html
from briefings.news.models import NewsItem, NewsSource


def keywords_parse(text: str) -> list[str]:
    """One keyword or phrase per line, blank lines and repeats ignored."""
    keywords: list[str] = []
    for line in (text or "").splitlines():
        keyword = text_clean(line).casefold()
        if keyword and keyword not in keywords:
            keywords.append(keyword)
    return keywords


def _keyword_found(keyword: str, text: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(keyword)}(?!\w)", text) is not None


def keyword_rules_check(
    *, include: list[str], exclude: list[str], text: str
) -> tuple[bool, str]:
    """Whether an item with this text passes the rules, and why not."""
    folded = text.casefold()
    for keyword in exclude:
        if _keyword_found(keyword, folded):
            return False, f"Dismissed by the exclude keyword “{keyword}”."
    if include and not any(_keyword_found(keyword, folded) for keyword in include):
        return False, "Dismissed: mentions none of the include keywords."
    return True, ""


def rules_text(*, title: str, summary_html: str, categories=()) -> str:
    """What the rules read of an item: its title, summary text and categories."""
    return " ".join([title, text_from_html(summary_html), *categories])


@dataclass(frozen=True)
class RuleTestRow:
    item: NewsItem
    kept: bool
    note: str


def source_rules_test(
    *, source: NewsSource, include_keywords: str, exclude_keywords: str, limit: int = 50
) -> list[RuleTestRow]:
    """What these keyword rules would do to the source's most recent items."""
    include = keywords_parse(include_keywords)
    exclude = keywords_parse(exclude_keywords)
    rows = []
    for item in source.items.order_by("-published_at", "-pk")[:limit]:
        kept, note = keyword_rules_check(
            include=include,
            exclude=exclude,
            text=rules_text(title=item.title, summary_html=item.summary_html),
        )
        rows.append(RuleTestRow(item=item, kept=kept, note=note))
    return rows
