"""Sections of the demo digest issues, composed from demo news and publications.

Each issue gets its sections once: an issue that already has sections (the
demo's, or an editor's) is left as it is, so running the demo again adds nothing.
News items are referred to by title, publications by slug; what the demo does
not have is skipped rather than invented.
"""

import json
import uuid
from dataclasses import dataclass, field

from briefings.compose import news_item_raw
from briefings.news.inbox import news_items_used_mark
from briefings.news.models import NewsItem
from publications.models import PublicationPage


@dataclass(frozen=True)
class DemoSection:
    heading: str = ""
    news: tuple[str, ...] = ()
    publications: tuple[str, ...] = ()
    comments: dict[str, str] = field(default_factory=dict)
    # Fields a page type's sections have beyond heading, intro and items.
    fields: dict[str, str] = field(default_factory=dict)


BRIEFING_SECTIONS = {
    "october-2019": [
        DemoSection(
            "Business and human rights",
            news=(
                "Towards a national action plan on business and human rights",
                "Grievance mechanisms at large mines: who uses them?",
                "Consultation on Belgium’s baseline assessment on business and "
                "human rights",
                "Compensation for land: slow payments, long disputes",
            ),
            comments={
                "Grievance mechanisms at large mines: who uses them?": (
                    "A useful check on whether complaint channels reach the "
                    "people they are meant for."
                )
            },
        ),
        DemoSection(
            "Security and human rights",
            news=(
                "Three years of a working group on security and human rights in "
                "South Kivu",
                "Building trust before solving incidents",
            ),
        ),
        DemoSection(
            "Our publications",
            publications=(
                "quarterly-briefing-bhr-tanzania",
                "voluntary-principles-working-group-south-kivu",
            ),
        ),
    ],
    "november-2019": [
        DemoSection(
            "Natural resources",
            news=(
                "No consensus on a wider definition of conflict diamonds",
                "Peer reviews will now listen to communities",
                "A regional action plan for Central Africa",
                "Conflict diamonds are not a thing of the past",
            ),
            comments={
                "No consensus on a wider definition of conflict diamonds": (
                    "The heart of this month's editorial: the reform that did "
                    "not happen."
                )
            },
        ),
        DemoSection(
            "Conflict",
            news=(
                "Mediation in mining areas of the Central African Republic",
                "Roadblocks and the money they raise",
            ),
        ),
        DemoSection(
            "Our publications",
            publications=("kp-csc-annual-report-2019", "real-care-is-rare"),
        ),
    ],
    "december-2019": [
        DemoSection(
            "Arms trade",
            news=(
                "Private security companies and the weapons they carry",
                "Air cargo and the logistics of arms flows",
            ),
            comments={
                "Air cargo and the logistics of arms flows": (
                    "Read with our map: transport is where many transfers "
                    "become visible."
                )
            },
        ),
        DemoSection(
            "Natural resources",
            news=(
                "The EU regulation on conflict minerals is in force",
                "Smelter audits: what the lists of conformant smelters leave out",
                "Gold smuggling routes shift towards the lakes",
            ),
        ),
        DemoSection(
            "Our publications",
            publications=(
                "arms-ammunition-factories-africa",
                "regulating-responsible-sourcing-3tg",
            ),
        ),
    ],
}


def _raw_section(section: DemoSection, *, news, publications) -> dict:
    items = []
    for title in section.news:
        item = news.get(title)
        if item is None:
            continue
        raw = news_item_raw(item)
        raw["value"]["comment"] = section.comments.get(title, "")
        items.append(raw)
    for slug in section.publications:
        page = publications.get(slug)
        if page is None:
            continue
        items.append(
            {
                "type": "publication",
                "id": str(uuid.uuid4()),
                "value": {
                    "publication": page.pk,
                    "title": page.title,
                    "source": "",
                    "date": page.publication_date.isoformat(),
                    "url": "",
                    "summary": page.summary,
                    "comment": section.comments.get(slug, ""),
                },
            }
        )
    value = {**section.fields, "heading": section.heading, "intro": "", "items": items}
    return {"type": "section", "id": str(uuid.uuid4()), "value": value}


def digest_sections_demo_ensure(*, index, plan: dict[str, list[DemoSection]]) -> int:
    """Give the demo issues under `index` their sections; returns issues filled."""
    issues = [
        issue
        for issue in index.get_children().specific()
        if issue.slug in plan and not issue.sections
    ]
    if not issues:
        return 0
    titles = {title for sections in plan.values() for s in sections for title in s.news}
    slugs = {
        slug for sections in plan.values() for s in sections for slug in s.publications
    }
    news = {
        item.title: item
        for item in NewsItem.objects.inbox()
        .filter(title__in=titles)
        .select_related("source")
        .order_by("pk")
    }
    publications = {
        page.slug: page
        for page in PublicationPage.objects.live().filter(
            slug__in=slugs, locale_id=index.locale_id
        )
    }
    for issue in issues:
        sections = [
            _raw_section(section, news=news, publications=publications)
            for section in plan[issue.slug]
        ]
        issue.sections = json.dumps(sections)
        issue.save_revision().publish()
        used = [
            item.pk
            for section in plan[issue.slug]
            for title in section.news
            if (item := news.get(title)) is not None
        ]
        news_items_used_mark(item_ids=used, page=issue)
    return len(issues)
