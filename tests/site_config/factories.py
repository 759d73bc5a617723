"""Builders for the site's own pages and settings."""

from wagtail.models import Locale, Page, Site

import factory
import wagtail_factories

from site_config.models import HomePage, NavigationItem, SiteSettings, StandardPage


class HomePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = HomePage

    title = "Research for durable peace"
    intro = "Field data on mines, armed groups, companies and weapons."
    newsletter_heading = "Stay informed"
    newsletter_text = "A monthly Briefing of news and analysis."


class StandardPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = StandardPage

    title = factory.Sequence(lambda n: f"Standard page {n}")
    intro = "What this page is about."


class NavigationItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NavigationItem

    settings = factory.LazyFunction(lambda: SiteSettings.for_site(_default_site()))
    page = factory.SubFactory(StandardPageFactory)
    label = ""


def _default_site():
    return Site.objects.get(is_default_site=True)


def locales_ensure() -> dict[str, Locale]:
    """The three content languages: en (default), fr and sw."""
    return {
        code: Locale.objects.get_or_create(language_code=code)[0]
        for code in ("en", "fr", "sw")
    }


def home_page_make(locales: dict[str, Locale], slug: str = "institute"):
    """An English HomePage as the default site's root, replacing the stock page.

    A module's shared rows take another slug: a test of the module that makes
    its own home then replaces the shared one (inside its savepoint).
    """
    # After a transactional test the tables were flushed: no root, no site.
    root = Page.get_first_root_node() or Page.add_root(
        instance=Page(title="Root", slug="root", locale=locales["en"])
    )
    home = HomePageFactory(parent=root, slug=slug, locale=locales["en"])
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost", port=80, root_page=home, is_default_site=True
        )
        return home
    stock = site.root_page
    site.root_page = home
    site.save()
    if stock.pk != home.pk:
        stock.delete()
    return home
