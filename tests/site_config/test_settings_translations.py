"""Settings texts and mailing-list names in the reader's language."""

from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from briefings.newsletter.models import MailingListTranslation
from site_config.models import SiteSettings, SiteSettingsTranslation
from tests.briefings.newsletter.factories import MailingListFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def french_home(home_page, locales):
    french = home_page.copy_for_translation(locales["fr"])
    french.title = "Accueil"
    french.save_revision().publish()
    return french


@pytest.fixture
def site_settings(home_page, locales):
    settings = SiteSettings.for_site(home_page.get_site())
    settings.organisation_name = "IPIS"
    settings.tagline = "Independent research"
    settings.footer_text = "Based in Antwerp."
    settings.save()
    SiteSettingsTranslation.objects.create(
        settings=settings,
        locale=locales["fr"],
        tagline="Recherche indépendante",
        footer_text="",  # empty: the English text stands in
    )
    return settings


def test_tagline_and_footer_follow_the_readers_language(
    client, french_home, site_settings
):
    english = client.get("/en/").content.decode()
    client.get("/fr/")  # warm the cached chrome
    with CaptureQueriesContext(connection) as captured:
        french = client.get("/fr/").content.decode()

    # The texts come with the cached settings: no query of their own.
    assert not any("sitesettingstranslation" in q["sql"] for q in captured)

    assert "Independent research" in english
    assert "Recherche indépendante" in french
    assert "Independent research" not in french
    assert "Based in Antwerp." in french  # no French text: the English one


def test_list_names_follow_the_readers_language_on_the_form_and_in_email(
    client, french_home, locales
):
    briefing = MailingListFactory(name="Monthly Briefing", slug="briefing")
    MailingListTranslation.objects.create(
        mailing_list=briefing,
        locale=locales["fr"],
        name="Briefing mensuel",
        description="Une fois par mois.",
    )
    cache.clear()

    form = client.get("/fr/newsletter/").content.decode()
    english_form = client.get("/en/newsletter/").content.decode()
    client.post(
        "/fr/newsletter/",
        {"email": "reader@example.org", "lists": [briefing.pk], "language": "fr"},
    )

    assert "Briefing mensuel" in form and "Une fois par mois." in form
    assert "Monthly Briefing" in english_form and "Briefing mensuel" not in english_form
    assert "Briefing mensuel" in mail.outbox[0].body
