"""A partner's first study in "Voix du Congo": their organisation is already
named, the choosers offer each term once in the page's language and find it by
its name in any language, and a new file says it is in French."""

import json

from django.urls import reverse

from wagtail.models import Locale
from wagtail.test.utils.form_data import (
    nested_form_data,
    querydict_from_html,
    rich_text,
    streamfield,
)

import pytest

from publications.choices import OrganisationRole
from publications.models import Country, Organisation, Programme, PublicationPage
from tests.publications.factories import (
    CountryFactory,
    OrganisationFactory,
    ProgrammeFactory,
)
from theme.blocks.content import PARAGRAPH_FEATURES

pytestmark = pytest.mark.django_db


@pytest.fixture
def voices(voices_shared):
    """The scenario built once for the module; each test's changes are undone."""
    return voices_shared


CHOOSER = "wagtailsnippetchoosers_publications_organisation:choose"
CHOOSER_RESULTS = "wagtailsnippetchoosers_publications_organisation:choose_results"


def _translated(term, language: str, **fields):
    """The translation of `term` into `language`, with `fields` changed."""
    copy = term.copy_for_translation(Locale.objects.get(language_code=language))
    for name, value in fields.items():
        setattr(copy, name, value)
    copy.save()
    return copy


def _add_url(series) -> str:
    return reverse(
        "wagtailadmin_pages:add",
        args=["publications", "publicationpage", series.pk],
    )


def _chooser(client, *, locale="fr", q=None, results=False):
    params = {"locale": locale}
    if q is not None:
        params["q"] = q
    response = client.get(reverse(CHOOSER_RESULTS if results else CHOOSER), params)
    assert response.status_code == 200
    if results:
        return response.content.decode()
    return json.loads(response.content)["html"]


def test_chooser_lists_each_organisation_once_in_the_page_language(voices, client):
    haki_fr = _translated(voices.haki_org, "fr", name="HakiArdhi (Tanzanie)")
    client.force_login(voices.author_a)

    html = _chooser(client)

    # APDE exists only in English and is offered from a French page; HakiArdhi
    # is offered in French, once; there is no language filter to get wrong.
    assert html.count("APDE") == 1
    assert "HakiArdhi (Tanzanie)" in html
    assert html.count("HakiArdhi (Tanzanie)") == 1
    assert f"chosen/{voices.apde_org.pk}/" in html
    assert f"chosen/{haki_fr.pk}/" in html
    assert f"chosen/{voices.haki_org.pk}/" not in html
    assert 'name="locale"' not in html
    assert "Choose an organisation" in html


def test_chooser_finds_a_term_by_its_name_in_any_language(voices, client):
    _translated(voices.haki_org, "fr", name="Droits fonciers HakiArdhi")
    _translated(voices.apde_org, "sw", name="Hatua kwa amani APDE")
    client.force_login(voices.author_a)

    # An English name finds the French version; a Swahili one finds APDE,
    # shown in English as it has no French translation.
    html = _chooser(client, q="HakiArdhi", results=True)
    assert "Droits fonciers HakiArdhi" in html
    html = _chooser(client, q="hatua kwa", results=True)
    assert html.count("APDE") == 1
    assert "Hatua" not in html
    html = _chooser(client, q="nothing like it", results=True)
    assert "APDE" not in html and "HakiArdhi" not in html


def test_chooser_queries_do_not_grow_with_terms(
    voices, client, django_assert_max_num_queries
):
    client.force_login(voices.author_a)
    _chooser(client)
    with django_assert_max_num_queries(30) as captured:
        _chooser(client)
    few = len(captured)
    for number in range(8):
        organisation = OrganisationFactory(name=f"Partner {number}")
        _translated(organisation, "fr", name=f"Partenaire {number}")
    with django_assert_max_num_queries(few):
        html = _chooser(client)
    assert html.count("Partenaire") == 8
    assert "Partner 3" not in html


@pytest.mark.parametrize("model", ["programme", "country", "person"])
def test_every_taxonomy_chooser_has_no_language_filter(voices, client, model):
    client.force_login(voices.author_a)
    response = client.get(
        reverse(f"wagtailsnippetchoosers_publications_{model}:choose"),
        {"locale": "fr"},
    )
    assert response.status_code == 200
    assert 'name="locale"' not in json.loads(response.content)["html"]


def test_new_study_names_the_partner_organisation(voices, client):
    client.force_login(voices.author_a)

    response = client.get(_add_url(voices.congo_fr))

    data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    assert data["organisations-TOTAL_FORMS"] == "1"
    assert data["organisations-0-organisation"] == str(voices.apde_org.pk)
    assert data["organisations-0-role"] == OrganisationRole.PUBLISHED_WITH
    # Staff choose for themselves: nothing is filled in for an editor.
    client.force_login(voices.editor)
    response = client.get(_add_url(voices.congo_fr))
    data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    assert data["organisations-TOTAL_FORMS"] == "0"


def test_first_study_saves_as_it_comes_with_a_french_file(voices, client):
    client.force_login(voices.author_a)
    url = _add_url(voices.congo_fr)
    html = client.get(url).content.decode()
    data = querydict_from_html(html, form_id="page-edit-form")
    form = {key: data.getlist(key) for key in data}
    form = {key: value for key, value in form.items() if not key.startswith("body-")}
    paragraph = rich_text(
        "<p>Ce que l'étude a trouvé.</p>", features=PARAGRAPH_FEATURES
    )
    form.update(
        {
            key: [value]
            for key, value in nested_form_data(
                {"body": streamfield([("paragraph", paragraph)])}
            ).items()
        }
    )
    form.update(
        {
            "title": ["Kamituga : les négociants d'or"],
            "slug": ["kamituga-negociants"],
            "publication_date": ["2026-11-20"],
            "summary": ["Les négociants décrivent la première année."],
            "downloads-TOTAL_FORMS": ["1"],
            "downloads-0-id": [""],
            "downloads-0-ORDER": ["1"],
            "downloads-0-DELETE": [""],
            "downloads-0-document": [str(voices.document_a.pk)],
            "downloads-0-language": ["fr"],
            "downloads-0-label": [""],
        }
    )
    # The new file row's template starts in French, the page's language.
    template = html.split('id="id_downloads-__prefix__-language"')[1]
    assert 'value="fr" selected' in template.split("</select>")[0]

    response = client.post(url, form)

    assert response.status_code == 302, response.content.decode()[:2000]
    study = PublicationPage.objects.get(slug="kamituga-negociants")
    assert [row.organisation for row in study.organisations.all()] == [voices.apde_org]
    assert [row.language for row in study.downloads.all()] == ["fr"]


def test_study_form_offers_each_programme_and_country_once(voices, client):
    programme = ProgrammeFactory(name="Natural Resources", slug="natural-resources")
    programme_fr = _translated(programme, "fr", name="Ressources naturelles")
    _translated(programme, "sw", name="Maliasili")
    congo = CountryFactory(name="DR Congo", iso_code="CD")
    congo_fr = _translated(congo, "fr", name="RD Congo")
    english_only = CountryFactory(name="Tanzania", iso_code="TZ")
    # A study saved with the English versions of its terms.
    study = voices.draft_a
    study.programmes = [programme]
    study.countries = [congo, english_only]
    study.save_revision(user=voices.author_a)
    client.force_login(voices.author_a)

    response = client.get(reverse("wagtailadmin_pages:edit", args=[study.pk]))

    html = response.content.decode()
    assert "Ressources naturelles" in html
    assert "Natural Resources" not in html and "Maliasili" not in html
    assert "RD Congo" in html and "Tanzania" in html
    assert ">DR Congo<" not in html
    data = querydict_from_html(html, form_id="page-edit-form")
    assert data.getlist("programmes") == [str(programme_fr.pk)]
    assert sorted(data.getlist("countries")) == sorted(
        [str(congo_fr.pk), str(english_only.pk)]
    )
    assert Programme.objects.count() == 3 and Country.objects.count() == 3
    assert Organisation.objects.filter(name="APDE").count() == 1
