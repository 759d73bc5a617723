"""Every page template produces valid HTML (Nu HTML Checker, one run for all)."""

from django.template.loader import render_to_string

import pytest

from tests.utils.html import assert_valid_html_documents

pytestmark = pytest.mark.django_db


def test_page_templates_produce_valid_html(client, demo_site):
    paths = [
        "/en/",
        "/fr/",
        "/sw/",
        "/en/about/",
        "/en/team/",
        "/en/research/",
        "/en/research/natural-resources/",
        "/en/briefing/",
        "/en/briefing/november-2019/",
        "/en/arms-trade-bulletin/",
        "/en/arms-trade-bulletin/may-june-2019/",
        # Translations: hreflang links in the head, translated interface text.
        "/en/arms-trade-bulletin/september-october-2019/",
        "/fr/bulletin-commerce-des-armes/septembre-octobre-2019/",
        "/fr/a-propos/",
        "/sw/kuhusu-sisi/",
        "/sw/publications/",
        "/fr/recherche/ressources-naturelles/",
        "/sw/utafiti/",
        "/fr/equipe/",
        "/sw/briefing/desemba-2019/",
    ]
    documents = {}
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        documents[path] = response.content
    not_found = client.get("/en/missing/")
    assert not_found.status_code == 404
    documents["404"] = not_found.content
    unknown_language = client.get("/de/")
    assert unknown_language.status_code == 404
    documents["404 unknown language"] = unknown_language.content
    documents["500"] = render_to_string("500.html")

    assert_valid_html_documents(documents)
