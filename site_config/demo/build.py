"""Builders for the demo site. Each one creates what is missing and leaves the rest.

Running them twice changes nothing; content edited by staff is never overwritten.
"""

import datetime
import os
import secrets
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from modelcluster.fields import ParentalKey
from wagtail.models import Locale, Page, ReferenceIndex, Site
from wagtail.signal_handlers import disable_reference_index_auto_update

from modelsearch import index as search_index
from modelsearch.backends import get_search_backends
from modelsearch.signal_handlers import post_save_signal_handler as search_post_save

from briefings.demo import BRIEFING_SECTIONS, digest_sections_demo_ensure
from briefings.models import BriefingIndexPage, BriefingPage
from briefings.news.demo import news_demo_ensure
from briefings.newsletter.demo import mailing_demo_ensure
from bulletins.demo import bulletin_sections_demo_ensure
from bulletins.models import BulletinIndexPage, BulletinPage
from publications.choices import PersonGroup
from publications.demo import library_demo_ensure
from publications.demo_facts import DEFAULT_LICENCE
from publications.demo_images import demo_hero_ensure
from publications.demo_partners import partners_demo_ensure
from publications.models import (
    Country,
    Organisation,
    Person,
    Programme,
    PublicationIndexPage,
    PublicationPage,
    VoicesSeriesPage,
)
from site_config.demo import facts, facts_languages, languages
from site_config.demo.scale import scale_content_ensure
from site_config.models import (
    HomePage,
    NavigationItem,
    ProgrammePage,
    SiteSettings,
    StandardPage,
)
from site_config.translations.services import translations_mark_all_up_to_date


@dataclass
class DemoReport:
    """What a demo run created, for the command's summary."""

    created: dict[str, int] = field(default_factory=dict)
    admin_password: str | None = None
    admin_created: bool = False
    partner_passwords: dict[str, str] = field(default_factory=dict)

    def add(self, label: str, count: int = 1) -> None:
        if count:
            self.created[label] = self.created.get(label, 0) + count


def locales_ensure(*, report: DemoReport) -> dict[str, Locale]:
    """One Locale per configured content language."""
    from django.conf import settings

    locales, added = {}, False
    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        locales[code], created = Locale.objects.get_or_create(language_code=code)
        added = added or created
    # Reported as the languages the site now has (English comes with Wagtail's
    # own migration), so a first run says "3 content languages", not "2 locales".
    report.add("content languages", len(locales) if added else 0)
    return locales


def _publish(page: Page) -> Page:
    page.save_revision().publish()
    return page


def _tree_root(*, locale: Locale) -> Page:
    """Wagtail's root node, recreated when the database was flushed."""
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    return root


def home_pages_ensure(*, locales: dict[str, Locale], report: DemoReport) -> HomePage:
    """The English home page as the site root, with its French and Swahili twins."""
    home = HomePage.objects.filter(locale=locales["en"]).first()
    if home is None:
        title, intro, cta_heading, cta_text = facts.HOME["en"]
        home = _tree_root(locale=locales["en"]).add_child(
            instance=HomePage(
                title=title,
                slug="institute",
                locale=locales["en"],
                intro=intro,
                newsletter_heading=cta_heading,
                newsletter_text=cta_text,
                seo_title="Research for durable peace",
                search_description=intro,
                hero_image=demo_hero_ensure(),
            )
        )
        _publish(home)
        report.add("pages")
    site = Site.objects.select_related("root_page").filter(is_default_site=True).first()
    if site is None:  # a flushed database has no site
        Site.objects.create(
            hostname="localhost", root_page=home, is_default_site=True, site_name="IPIS"
        )
    elif site.root_page_id != home.pk:
        stock = site.root_page
        site.root_page = home
        site.site_name = "IPIS"
        site.save()
        # Wagtail's own "Welcome to your new Wagtail site!" page goes once unused.
        if stock.specific_class is Page and not stock.get_children().exists():
            stock.delete()
    for code, locale in locales.items():
        if code == "en" or home.has_translation(locale):
            continue
        title, intro, cta_heading, cta_text = facts.HOME[code]
        translation = home.copy_for_translation(locale)
        translation.title = title
        translation.intro = intro
        translation.search_description = intro
        translation.seo_title = ""
        translation.newsletter_heading = cta_heading
        translation.newsletter_text = cta_text
        translation.programmes_heading = facts_languages.RESEARCH[code][1]
        translation.save()
        _publish(translation)
        report.add("pages")
    return home


def programmes_ensure(*, locales: dict[str, Locale], report: DemoReport) -> list:
    """The five research programmes, translated into French and Swahili."""
    programmes = []
    for order, (slug, name, summary) in enumerate(facts.PROGRAMMES):
        programme, created = Programme.objects.get_or_create(
            slug=slug,
            locale=locales["en"],
            defaults={"name": name, "summary": summary, "sort_order": order},
        )
        report.add("programmes", int(created))
        programmes.append(programme)
        for code, names in facts.PROGRAMME_TRANSLATIONS.items():
            if code not in locales or programme.has_translation(locales[code]):
                continue
            translated = programme.copy_for_translation(locales[code])
            translated.name, translated.summary = names[slug]
            translated.save()
            report.add("programmes", 1)
    return programmes


def taxonomy_ensure(*, locale: Locale, report: DemoReport) -> None:
    """Countries, partner and funder organisations, board and team."""
    countries = {}
    for iso_code, name, region in facts.COUNTRIES:
        countries[iso_code], created = Country.objects.get_or_create(
            iso_code=iso_code, locale=locale, defaults={"name": name, "region": region}
        )
        report.add("countries", int(created))
    for name, acronym, kind, iso_code, website in facts.ORGANISATIONS:
        _organisation, created = Organisation.objects.get_or_create(
            name=name,
            locale=locale,
            defaults={
                "acronym": acronym,
                "kind": kind,
                "country": countries.get(iso_code),
                "website": website,
            },
        )
        report.add("organisations", int(created))
    for order, (name, role, group) in enumerate(facts.PEOPLE):
        _person, created = Person.objects.get_or_create(
            name=name,
            locale=locale,
            defaults={"role": role, "group": group, "sort_order": order},
        )
        report.add("people", int(created))


def taxonomy_translations_ensure(
    *, locales: dict[str, Locale], report: DemoReport
) -> None:
    """Countries in French and Swahili; organisations where their name differs."""
    english = locales["en"]
    for code, names in facts.COUNTRY_TRANSLATIONS.items():
        if code not in locales:
            continue
        for country in Country.objects.filter(locale=english, iso_code__in=names):
            if country.has_translation(locales[code]):
                continue
            translated = country.copy_for_translation(locales[code])
            translated.name = names[country.iso_code]
            translated.save()
            report.add("countries")
    for code, names in facts.ORGANISATION_TRANSLATIONS.items():
        if code not in locales:
            continue
        for organisation in Organisation.objects.filter(
            locale=english, acronym__in=names
        ).select_related("country"):
            if organisation.has_translation(locales[code]):
                continue
            translated = organisation.copy_for_translation(locales[code])
            translated.name, translated.acronym = names[organisation.acronym]
            if organisation.country is not None:
                translated.country = organisation.country.get_translation_or_none(
                    locales[code]
                )
            translated.save()
            report.add("organisations")


def _translation_publish(page: Page, locale: Locale, **fields) -> Page:
    """A published translation of `page` (parents included) with `fields` set."""
    translation = page.copy_for_translation(locale, copy_parents=True)
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.save()
    return _publish(translation)


def about_translations_ensure(
    *, about: Page, locales: dict[str, Locale], report: DemoReport
) -> None:
    """The about page in French and Swahili, as translations of the English one."""
    for code, fact in facts.ABOUT_TRANSLATIONS.items():
        if code not in locales or about.has_translation(locales[code]):
            continue
        slug, title, intro, heading, paragraphs, quote, attribution = fact
        _translation_publish(
            about,
            locales[code],
            slug=slug,
            title=title,
            intro=intro,
            body=[
                ("heading", {"text": heading, "level": "h2"}),
                *(("paragraph", text) for text in paragraphs),
                ("quote", {"quote": quote, "attribution": attribution}),
            ],
        )
        report.add("pages")


def bulletin_translations_ensure(
    *, locales: dict[str, Locale], report: DemoReport
) -> None:
    """Arms Trade Bulletin issues in French: translations of the same issues."""
    for code, issues in facts.BULLETIN_TRANSLATIONS.items():
        if code not in locales:
            continue
        english = BulletinPage.objects.filter(
            locale=locales["en"], slug__in=issues
        ).select_related("locale")
        for issue in english:
            if issue.has_translation(locales[code]):
                continue
            index = issue.get_parent().specific
            if not index.has_translation(locales[code]):
                slug, title, intro = facts.BULLETIN_INDEX_TRANSLATIONS[code]
                _translation_publish(
                    index, locales[code], slug=slug, title=title, intro=intro
                )
                report.add("pages")
            slug, title, period, focus, standfirst, paragraphs = issues[issue.slug]
            _translation_publish(
                issue,
                locales[code],
                slug=slug,
                title=title,
                period_label=period,
                focus_title=focus,
                standfirst=standfirst,
                search_description=standfirst,
                seo_title="",
                editorial="".join(f"<p>{text}</p>" for text in paragraphs),
                sections=languages.sections_translated(
                    list(issue.sections.raw_data), code
                ),
            )
            report.add("digest issues")


def voices_translations_ensure(
    *, locales: dict[str, Locale], report: DemoReport
) -> None:
    """Voices studies translated into their partners' language, with their series."""
    for code, fact in facts.VOICES_TRANSLATIONS.items():
        if code not in locales:
            continue
        english_slug, slug, title, intro = fact["series"]
        series = VoicesSeriesPage.objects.filter(
            locale=locales["en"], slug=english_slug
        ).first()
        if series is None or not series.get_parent().has_translation(locales[code]):
            continue
        if not series.has_translation(locales[code]):
            _translation_publish(
                series, locales[code], slug=slug, title=title, intro=intro
            )
            report.add("pages")
        for study in PublicationPage.objects.child_of(series).filter(
            slug__in=fact["studies"]
        ):
            if study.has_translation(locales[code]):
                continue
            slug, title, subtitle, summary = fact["studies"][study.slug]
            _translation_publish(
                study,
                locales[code],
                slug=slug,
                title=title,
                subtitle=subtitle,
                summary=summary,
                search_description=summary,
                series_name=title,
            )
            report.add("pages")


def _child_page(parent: Page, *, slug: str, report: DemoReport, **fields) -> Page:
    existing = parent.get_children().filter(slug=slug).first()
    if existing is not None:
        return existing.specific
    page = parent.add_child(instance=StandardPage(slug=slug, **fields))
    report.add("pages")
    return _publish(page)


def standard_pages_ensure(
    *, home: HomePage, programmes: list, report: DemoReport
) -> list[Page]:
    """About, research (one page per programme) and team, linked from the menu."""
    about = _child_page(
        home,
        slug="about",
        report=report,
        title="About us",
        intro="An independent research institute working for durable peace, "
        "sustainable development and human rights.",
        body=[
            ("heading", {"text": "Our mission", "level": "h2"}),
            *(("paragraph", text) for text in facts.ABOUT_PARAGRAPHS),
            (
                "quote",
                {
                    "quote": "Reliable data from the field, shared openly, is how "
                    "research becomes useful to the people it is about.",
                    "attribution": "The institute's working principle",
                },
            ),
        ],
    )
    research = _child_page(
        home,
        slug="research",
        report=report,
        title="Our research",
        intro="Five programmes, one region: sub-Saharan Africa.",
        body=[
            (
                "paragraph",
                "<p>Our researchers work in programmes that share data and "
                "methods. Each page below presents one of them.</p>",
            )
        ],
    )
    for programme in programmes:
        page = research.get_children().filter(slug=programme.slug).first()
        if page is None:
            page = research.add_child(
                instance=ProgrammePage(
                    slug=programme.slug,
                    title=programme.name,
                    intro=programme.summary,
                    search_description=programme.summary,
                    programme=programme,
                )
            )
            _publish(page)
            report.add("pages")
        if programme.landing_page_id is None:
            programme.landing_page = page
            programme.save(update_fields=["landing_page"])
    team = _child_page(
        home,
        slug="team",
        report=report,
        title="Our team",
        intro="The people behind our research on 31 December 2019, and the board "
        "that oversees the institute without pay.",
        body=[
            (
                "people",
                {"heading": "Staff", "group": PersonGroup.STAFF, "show_contact": False},
            ),
            (
                "people",
                {
                    "heading": "Researchers",
                    "group": PersonGroup.RESEARCHER,
                    "show_contact": False,
                },
            ),
            (
                "people",
                {
                    "heading": "Associate researchers",
                    "group": PersonGroup.ASSOCIATE,
                    "show_contact": False,
                },
            ),
            (
                "people",
                {
                    "heading": "Board of directors",
                    "group": PersonGroup.BOARD,
                    "show_contact": False,
                },
            ),
        ],
    )
    return [about, research, team]


def _index_page(home: HomePage, model, *, slug: str, report: DemoReport, **fields):
    existing = model.objects.child_of(home).first()
    if existing is not None:
        return existing, False
    page = home.add_child(instance=model(slug=slug, **fields))
    report.add("pages")
    return _publish(page), True


def _issues_ensure(index, model, issues: list[dict], *, report: DemoReport) -> None:
    have = set(model.objects.child_of(index).values_list("slug", flat=True))
    for fields in issues:
        if fields["slug"] in have:
            continue
        _publish(index.add_child(instance=model(**fields)))
        report.add("digest issues")


def digests_ensure(*, home: HomePage, report: DemoReport) -> list[Page]:
    """The Briefing and Arms Trade Bulletin archives with the issues of 2019."""
    briefings, briefings_new = _index_page(
        home,
        BriefingIndexPage,
        slug="briefing",
        report=report,
        title="Briefing",
        intro="Every month, an editorial on one focus topic and a selection of news "
        "on natural resources, conflict, business and human rights, and the arms "
        "trade.",
    )
    _issues_ensure(
        briefings,
        BriefingPage,
        [
            {
                "slug": slug,
                "title": f"Briefing {datetime.date.fromisoformat(day):%B %Y}",
                "issue_date": datetime.date.fromisoformat(day),
                "focus_title": focus,
                "standfirst": standfirst,
                "editorial": "".join(f"<p>{text}</p>" for text in paragraphs),
            }
            for slug, day, focus, standfirst, paragraphs in facts.BRIEFINGS
        ],
        report=report,
    )
    bulletins, bulletins_new = _index_page(
        home,
        BulletinIndexPage,
        slug="arms-trade-bulletin",
        report=report,
        title="Arms Trade Bulletin",
        intro="Every two months, an editorial on arms transfers and security, and "
        "a selection of articles by region and theme.",
    )
    _issues_ensure(
        bulletins,
        BulletinPage,
        [
            {
                "slug": slug,
                "title": f"Arms Trade Bulletin {period}",
                "issue_date": datetime.date.fromisoformat(day),
                "period_label": period,
                "focus_title": focus,
                "standfirst": paragraphs[0].split(". ")[0] + ".",
                "editorial": "".join(f"<p>{text}</p>" for text in paragraphs),
            }
            for slug, day, period, focus, paragraphs in facts.BULLETINS
        ],
        report=report,
    )
    report.add(
        "digest issues composed",
        digest_sections_demo_ensure(index=briefings, plan=BRIEFING_SECTIONS)
        + bulletin_sections_demo_ensure(index=bulletins),
    )
    digest_drafts_ensure(briefings=briefings, bulletins=bulletins, report=report)
    return [
        page
        for page, new in ((briefings, briefings_new), (bulletins, bulletins_new))
        if new
    ]


def digest_drafts_ensure(*, briefings, bulletins, report: DemoReport) -> None:
    """The next issues, as drafts to compose from the inbox (never published)."""
    drafts = (
        (briefings, BriefingPage, facts.BRIEFING_DRAFT),
        (bulletins, BulletinPage, facts.BULLETIN_DRAFT),
    )
    for index, model, fields in drafts:
        if model.objects.child_of(index).filter(slug=fields["slug"]).exists():
            continue
        draft = index.add_child(instance=model(**fields, live=False))
        draft.save_revision()
        report.add("digest drafts")


def library_ensure(
    *, home: HomePage, locales: dict[str, Locale], report: DemoReport
) -> list[Page]:
    """The library with its publications and Voices series; features one of them."""
    had_library = PublicationIndexPage.objects.child_of(home).exists()
    for label, count in library_demo_ensure(home=home, locales=locales).items():
        report.add(label, count)
    if home.featured_page_id is None:
        featured = (
            PublicationPage.objects.live()
            .filter(locale=home.locale, slug=facts.FEATURED_PUBLICATION_SLUG)
            .first()
        )
        if featured is not None:
            home.featured_page = featured
            home.featured_text = facts.FEATURED_TEXT
            home.save_revision().publish()
    library = PublicationIndexPage.objects.child_of(home).first()
    return [library] if library is not None and not had_library else []


def site_settings_ensure(
    *, menu: list[Page], new_sections: list[Page], report: DemoReport
) -> SiteSettings:
    """Contact, social links, footer and main navigation of the default site.

    Sections created by this run join the menu; an editor's menu is otherwise
    left as it is.
    """
    site = Site.objects.get(is_default_site=True)
    site_settings = SiteSettings.for_site(site)
    if not site_settings.organisation_name:
        site_settings.organisation_name = facts.ORGANISATION_NAME
        site_settings.tagline = facts.TAGLINE
        site_settings.address = facts.ADDRESS
        site_settings.email = facts.EMAIL
        site_settings.phone = facts.PHONE
        site_settings.footer_text = facts.FOOTER_TEXT
        site_settings.twitter_url = facts.TWITTER
        site_settings.facebook_url = facts.FACEBOOK
        site_settings.default_licence = DEFAULT_LICENCE
        site_settings.save()
        report.add("site settings")
    items = site_settings.navigation_items
    wanted = menu if not items.exists() else []
    wanted += [page for page in new_sections if not items.filter(page=page).exists()]
    start = (items.aggregate(last=Max("sort_order"))["last"] or 0) + 1
    NavigationItem.objects.bulk_create(
        NavigationItem(settings=site_settings, page=page, sort_order=start + order)
        for order, page in enumerate(wanted)
    )
    report.add("menu items", len(wanted))
    return site_settings


def admin_user_ensure(*, report: DemoReport) -> None:
    """An `admin` superuser, password from DEMO_ADMIN_PASSWORD or made up."""
    user_model = get_user_model()
    wanted = os.environ.get("DEMO_ADMIN_PASSWORD", "")
    user = user_model.objects.filter(username="admin").first()
    if user is None:
        password = wanted or secrets.token_urlsafe(12)
        user_model.objects.create_superuser(
            "admin", "admin@example.org", password, first_name="Site", last_name="Admin"
        )
        report.admin_created = True
        report.admin_password = password
    elif wanted and not user.check_password(wanted):
        user.set_password(wanted)
        user.save(update_fields=["password"])
        report.admin_password = wanted


def partners_demo(*, report: DemoReport) -> None:
    """Voices partners with an author each, after the library and the admin."""
    created, report.partner_passwords = partners_demo_ensure()
    for label, count in created.items():
        report.add(label, count)


@contextmanager
def references_indexed_once():
    """Update Wagtail's reference index once per object saved inside, at the end.

    Wagtail updates it on every save: a page saved, revised and published is
    indexed three times. Saving many objects, as the demo does, it is cheaper
    to note what changed and index each object once (about a third of the
    build's time otherwise).
    """
    saved: dict[type, set] = defaultdict(set)
    deleted: list = []

    def note_saved(sender, instance, raw=False, **kwargs):
        if not raw and sender in ReferenceIndex.tracked_models:
            saved[sender].add(instance.pk)

    def note_deleted(sender, instance, **kwargs):
        if sender in ReferenceIndex.tracked_models:
            deleted.append(instance)

    post_save.connect(note_saved, weak=False)
    post_delete.connect(note_deleted, weak=False)
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        post_save.disconnect(note_saved)
        post_delete.disconnect(note_deleted)
    for instance in deleted:
        ReferenceIndex.remove_for_object(instance)
        ReferenceIndex.remove_references_to(instance)
    indexed = {}
    for model, pks in saved.items():
        for instance in model.objects.filter(pk__in=pks).order_by("pk"):
            # An inline row (a download, an author) is indexed with its page.
            while (parent_key := _parental_key(instance)) is not None:
                instance = getattr(instance, parent_key)
            if instance is not None and ReferenceIndex.is_indexed(type(instance)):
                indexed[type(instance), instance.pk] = instance
    for instance in indexed.values():
        ReferenceIndex.create_or_update_for_object(instance)


@contextmanager
def search_indexed_once():
    """Add each indexed object saved inside to the search index once, at the end.

    Every save of an indexed model updates the index (through the task queue:
    at once in tests, by the worker in production): the demo's pages, saved,
    revised and published, made 580 updates, a third of the build's time in
    the test suite. Here the saves are noted, and each model's objects are
    added in one bulk call per backend when the block ends, so a site is
    searchable as soon as `load_demo_content` returns, with no task left.
    """
    saved: dict[type, set] = defaultdict(set)
    models = [
        model
        for model in search_index.get_indexed_models()
        if getattr(model, "search_auto_update", True)
    ]

    def note_saved(sender, instance, raw=False, **kwargs):
        if not raw:
            saved[sender].add(instance.pk)

    for model in models:
        post_save.disconnect(search_post_save, sender=model)
        post_save.connect(note_saved, sender=model, weak=False)
    try:
        yield
    finally:
        for model in models:
            post_save.disconnect(note_saved, sender=model)
            post_save.connect(search_post_save, sender=model)
    backends = list(get_search_backends(with_auto_update=True))
    for model, pks in saved.items():
        objects = list(model.get_indexed_objects().filter(pk__in=pks).order_by("pk"))
        if not objects:
            continue
        for backend in backends:
            backend.add_bulk(model, objects)


def _parental_key(instance) -> str | None:
    for model_field in instance._meta.get_fields():
        if isinstance(model_field, ParentalKey):
            return model_field.name
    return None


@transaction.atomic
def demo_site_build(*, scale: int = 0) -> DemoReport:
    """Build (or complete) the whole demo site and return what was created."""
    with references_indexed_once(), search_indexed_once():
        return _demo_site_build(scale=scale)


def _demo_site_build(*, scale: int) -> DemoReport:
    report = DemoReport()
    started = timezone.now()
    locales = locales_ensure(report=report)
    home = home_pages_ensure(locales=locales, report=report)
    programmes = programmes_ensure(locales=locales, report=report)
    taxonomy_ensure(locale=locales["en"], report=report)
    taxonomy_translations_ensure(locales=locales, report=report)
    for label, count in news_demo_ensure().items():
        report.add(label, count)
    menu = standard_pages_ensure(home=home, programmes=programmes, report=report)
    new_sections = library_ensure(home=home, locales=locales, report=report)
    new_sections += digests_ensure(home=home, report=report)
    mailing_demo_ensure(
        carried={
            "monthly-briefing": BriefingPage,
            "arms-trade-bulletin": BulletinPage,
        },
        report=report,
    )
    about_translations_ensure(about=menu[0], locales=locales, report=report)
    bulletin_translations_ensure(locales=locales, report=report)
    voices_translations_ensure(locales=locales, report=report)
    site_settings = site_settings_ensure(
        menu=menu, new_sections=new_sections, report=report
    )
    report.add(
        "pages",
        languages.pages_translations_ensure(
            research=menu[1], team=menu[2], programmes=programmes, locales=locales
        ),
    )
    report.add("people", languages.people_translations_ensure(locales=locales))
    report.add(
        "settings translations",
        languages.settings_texts_ensure(site_settings=site_settings, locales=locales),
    )
    admin_user_ensure(report=report)
    partners_demo(report=report)
    if scale:
        for label, count in scale_content_ensure(scale=scale, home=home).items():
            report.add(label, count)
    # The demo's translations were written from the sources as they are now.
    report.add(
        "translations marked up to date",
        translations_mark_all_up_to_date(made_since=started),
    )
    return report
