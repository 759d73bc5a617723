"""Builders for the site's own pages and settings."""

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
    from wagtail.models import Site

    return Site.objects.get(is_default_site=True)
