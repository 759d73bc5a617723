"""The demo in French and Swahili: pages, people, digests and settings texts.

Each builder translates what the English demo has and leaves any existing
translation as it is (an editor's work is never overwritten).
"""

import copy
import json

from wagtail.models import Locale, Page

from briefings.models import BriefingIndexPage, BriefingPage
from publications.models import Person
from site_config.demo import facts_languages as facts
from site_config.demo.facts import PEOPLE
from site_config.models import SiteSettings, SiteSettingsTranslation


def _translation_publish(page: Page, locale: Locale, **fields) -> Page:
    translation = page.copy_for_translation(locale, copy_parents=True)
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.save()
    translation.save_revision().publish()
    return translation


def settings_texts_ensure(
    *, site_settings: SiteSettings, locales: dict[str, Locale]
) -> int:
    """The tagline and footer text in French and Swahili; returns rows added."""
    have = set(
        site_settings.text_translations.values_list("locale__language_code", flat=True)
    )
    added = [
        SiteSettingsTranslation(
            settings=site_settings,
            locale=locales[code],
            tagline=tagline,
            footer_text=footer_text,
            sort_order=order,
        )
        for order, (code, (tagline, footer_text)) in enumerate(facts.SITE_TEXTS.items())
        if code in locales and code not in have
    ]
    SiteSettingsTranslation.objects.bulk_create(added)
    return len(added)


def people_translations_ensure(*, locales: dict[str, Locale]) -> int:
    """The demo's team in French and Swahili, with the role translated."""
    added = 0
    english = list(
        Person.objects.filter(
            locale=locales["en"], name__in=[name for name, _role, _group in PEOPLE]
        )
    )
    for code, roles in facts.ROLES.items():
        if code not in locales:
            continue
        have = set(
            Person.objects.filter(locale=locales[code]).values_list(
                "translation_key", flat=True
            )
        )
        for person in english:
            if person.translation_key in have:
                continue
            translated = person.copy_for_translation(locales[code])
            translated.role = roles.get(person.role, person.role)
            translated.save()
            added += 1
    return added


def sections_translated(raw: list, code: str) -> str:
    """Digest sections with their headings, themes and comments in `code`."""
    texts = facts.SECTION_TEXTS.get(code, {})
    sections = copy.deepcopy(raw)
    for section in sections:
        value = section["value"]
        for name in ("heading", "theme"):
            if value.get(name):
                value[name] = texts.get(value[name], value[name])
        for item in value.get("items", []):
            comment = item["value"].get("comment")
            if comment:
                item["value"]["comment"] = texts.get(comment, comment)
    return json.dumps(sections)


def pages_translations_ensure(
    *,
    research: Page,
    team: Page,
    programmes: list,
    locales: dict[str, Locale],
) -> int:
    """Research, programmes, team, the Briefing archive and its December issue."""
    added = 0
    for code, (slug, title, intro, paragraph) in facts.RESEARCH.items():
        if code not in locales or research.has_translation(locales[code]):
            continue
        _translation_publish(
            research,
            locales[code],
            slug=slug,
            title=title,
            intro=intro,
            search_description=intro,
            body=[("paragraph", f"<p>{paragraph}</p>")],
        )
        added += 1
    for code, slugs in facts.PROGRAMME_SLUGS.items():
        if code not in locales:
            continue
        for english in programmes:
            page = english.landing_page
            programme = english.get_translation_or_none(locales[code])
            if page is None or programme is None or page.has_translation(locales[code]):
                continue
            _translation_publish(
                page,
                locales[code],
                slug=slugs[english.slug],
                title=programme.name,
                intro=programme.summary,
                search_description=programme.summary,
            )
            added += 1
    for code, (slug, title, intro, headings) in facts.TEAM.items():
        if code not in locales or team.has_translation(locales[code]):
            continue
        body = copy.deepcopy(list(team.body.raw_data))
        people = [block for block in body if block["type"] == "people"]
        for block, heading in zip(people, headings, strict=False):
            block["value"]["heading"] = heading
        _translation_publish(
            team,
            locales[code],
            slug=slug,
            title=title,
            intro=intro,
            search_description=intro,
            body=json.dumps(body),
        )
        added += 1
    index = BriefingIndexPage.objects.filter(locale=locales["en"]).first()
    if index is None:
        return added
    for code, (slug, title, intro) in facts.BRIEFING_INDEX.items():
        if code in locales and not index.has_translation(locales[code]):
            _translation_publish(
                index, locales[code], slug=slug, title=title, intro=intro
            )
            added += 1
    for code, issues in facts.BRIEFINGS.items():
        if code not in locales:
            continue
        for issue in BriefingPage.objects.child_of(index).filter(slug__in=issues):
            if issue.has_translation(locales[code]):
                continue
            slug, title, focus, standfirst, paragraphs = issues[issue.slug]
            _translation_publish(
                issue,
                locales[code],
                slug=slug,
                title=title,
                focus_title=focus,
                standfirst=standfirst,
                search_description=standfirst,
                seo_title="",
                editorial="".join(f"<p>{text}</p>" for text in paragraphs),
                sections=sections_translated(list(issue.sections.raw_data), code),
            )
            added += 1
    return added
