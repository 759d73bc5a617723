"""The demo partners of `load_demo_content`."""

import json
from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from wagtail.models import Comment, WorkflowState

import pytest

from publications.models import PublicationPage, VoicesPartner
from publications.permissions import is_partner_author

pytestmark = pytest.mark.django_db


def _load() -> str:
    out = StringIO()
    call_command("load_demo_content", stdout=out)
    return out.getvalue()


def test_demo_partners_write_review_and_stay_put_on_a_second_run(monkeypatch, client):
    monkeypatch.setenv("DEMO_PARTNER_PASSWORD", "partner-demo-password-7")
    output = _load()

    assert "Voices partner login: user: apde  password: partner-demo-password-7" in (
        output
    )
    assert set(VoicesPartner.objects.values_list("name", flat=True)) == {
        "APDE",
        "HakiArdhi",
    }
    users = get_user_model().objects
    for username, series_slug, language, published_slug in (
        ("apde", "voix-du-congo", "fr", "misisi-incidents-chaine-approvisionnement-or"),
        ("hakiardhi", "voices-from-tanzania", "en", "voices-from-tanzania-volume-2"),
    ):
        author = users.get(username=username)
        assert is_partner_author(author)
        # Through the sign-in form: django-axes needs the request (client.login
        # has none).
        signed_in = client.post(
            reverse("wagtailadmin_login"),
            {"username": username, "password": "partner-demo-password-7"},
        )
        assert signed_in.status_code == 302, signed_in.content
        studies = PublicationPage.objects.filter(
            owner=author, locale__language_code=language
        )
        published = studies.get(live=True)
        assert published.slug == published_slug
        assert published.get_parent().slug == series_slug
        draft = studies.get(live=False)
        state = draft.current_workflow_state
        assert state.status == WorkflowState.STATUS_IN_PROGRESS
        assert state.workflow.name == "Voices editorial review"
        comment = Comment.objects.get(page=draft)
        assert comment.user.username == "admin"
        # The author finds the draft and the comment in the editor.
        response = client.get(reverse("wagtailadmin_pages:edit", args=[draft.pk]))
        assert response.status_code == 200
        # (comments travel to the editor as JSON, with \u escapes)
        assert json.dumps(comment.text)[1:40] in response.content.decode()
        # …and the public does not.
        client.logout()
        assert (
            draft.title not in client.get(published.get_parent().url).content.decode()
        )

    counts = (
        users.count(),
        PublicationPage.objects.count(),
        Comment.objects.count(),
        WorkflowState.objects.count(),
    )
    output = _load()
    assert "Voices partner login" not in output
    assert counts == (
        users.count(),
        PublicationPage.objects.count(),
        Comment.objects.count(),
        WorkflowState.objects.count(),
    )
