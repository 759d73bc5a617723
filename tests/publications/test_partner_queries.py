"""A partner's admin listings cost the same number of queries however many
studies the series holds."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest

from tests.publications.partner_setup import study_draft

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


# Wagtail's own page chooser costs three queries per page listed, for staff as
# for partners (measured: 31 queries with 3 studies, 61 with 13), so it is not
# held to this; the hook that hides drafts there adds no query of its own.
@pytest.mark.parametrize("actor", ["author_a", "editor"])
def test_explorer_queries_do_not_grow_with_studies(
    voices, client, actor, django_assert_max_num_queries
):
    client.force_login(getattr(voices, actor))
    url = reverse("wagtailadmin_explore", args=[voices.congo_fr.pk])
    _queries(client, url)  # warm caches (content types, site root paths)
    few = _queries(client, url)
    for number in range(10):
        study_draft(
            parent=voices.congo_fr,
            owner=voices.author_a if number % 2 else voices.editor,
            organisation=voices.apde_org,
            title=f"Extra study {number}",
            slug=f"extra-study-{number}",
        )
    with django_assert_max_num_queries(few):
        response = client.get(url)
    text = response.content.decode()
    assert "Extra study 1" in text  # A's own draft
    assert ("Extra study 0" in text) == (actor == "editor")  # someone else's
