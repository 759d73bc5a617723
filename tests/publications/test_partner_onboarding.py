"""Onboarding a partner: the service, `add_partner` and the admin screen."""

import json
from io import StringIO

from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from wagtail.models import (
    CollectionViewRestriction,
    GroupCollectionPermission,
    GroupPagePermission,
    WorkflowPage,
)

import pytest
from bs4 import BeautifulSoup

from publications.models import VoicesPartner
from publications.partners import (
    GROUP_PREFIX,
    PARTNERS_COLLECTION_NAME,
    WORKFLOW_NAME,
    PartnerError,
    partner_ensure,
)
from publications.permissions import is_partner_author
from tests.publications.partner_setup import voices_from_module  # noqa: F401

pytestmark = pytest.mark.django_db


def test_partner_gets_group_collection_and_every_translation_of_its_series(voices):
    partner = voices.apde
    assert partner.group.name == GROUP_PREFIX + "APDE"
    assert partner.organisation == voices.apde_org
    assert partner.collection.get_parent().name == PARTNERS_COLLECTION_NAME
    pages = set(
        GroupPagePermission.objects.filter(group=partner.group).values_list(
            "page_id", "permission__codename"
        )
    )
    # Voix du Congo lives in the French tree; its English version counts too.
    assert pages == {(voices.congo_fr.pk, "add_page"), (voices.congo_en.pk, "add_page")}
    media = set(
        GroupCollectionPermission.objects.filter(group=partner.group).values_list(
            "collection_id", "permission__codename"
        )
    )
    assert media == {
        (partner.collection.pk, codename)
        for codename in (
            "add_document",
            "change_document",
            "choose_document",
            "add_image",
            "change_image",
            "choose_image",
        )
    }
    restriction = CollectionViewRestriction.objects.get(collection=partner.collection)
    assert set(restriction.groups.values_list("name", flat=True)) == {
        partner.group.name,
        "Editors",
        "Moderators",
    }
    for series in (voices.congo_fr, voices.congo_en):
        assert WorkflowPage.objects.get(page=series).workflow.name == WORKFLOW_NAME
        assert series.permissions_for_user(voices.editor).can_publish_subpage()


def test_onboarding_twice_changes_nothing(voices):
    counts = (
        Group.objects.count(),
        GroupPagePermission.objects.count(),
        GroupCollectionPermission.objects.count(),
        VoicesPartner.objects.count(),
    )
    report = partner_ensure(name="APDE", series_slug="voix-du-congo")
    assert report.created == []
    assert report.partner == voices.apde
    assert counts == (
        Group.objects.count(),
        GroupPagePermission.objects.count(),
        GroupCollectionPermission.objects.count(),
        VoicesPartner.objects.count(),
    )


def test_a_series_chosen_by_its_translation_slug_covers_all_languages(voices):
    report = partner_ensure(name="Cedesota", series_slug="voices-from-congo")
    assert {page.pk for page in report.series} == {
        voices.congo_fr.pk,
        voices.congo_en.pk,
    }


def test_an_editor_choice_of_workflow_for_a_series_is_kept(voices):
    from wagtail.models import Workflow

    other = Workflow.objects.create(name="Legal check")
    WorkflowPage.objects.filter(page=voices.tanzania).update(workflow=other)
    partner_ensure(name="LEAT", series_slug="voices-from-tanzania")
    assert WorkflowPage.objects.get(page=voices.tanzania).workflow == other


@pytest.mark.parametrize(
    ("name", "slug", "message"),
    [
        ("APDE", "no-such-series", "no Voices series with the slug “no-such-series”"),
        ("   ", "voix-du-congo", "needs a name"),
        ("x" * 140, "voix-du-congo", "too long"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(voices, name, slug, message):
    before = Group.objects.count()
    with pytest.raises(PartnerError, match=message):
        partner_ensure(name=name, series_slug=slug)
    assert Group.objects.count() == before


def test_command_onboards_invites_once_and_reports_no_change(voices):
    mail.outbox.clear()  # the scenario's submission already notified the editors
    out = StringIO()
    call_command(
        "add_partner",
        "TAWEA",
        "--series",
        "voices-from-tanzania",
        "--email",
        "Amina@Example.org",
        stdout=out,
    )
    text = out.getvalue()
    assert "TAWEA: Voices from Tanzania (en)" in text
    assert "invitation sent to Amina@Example.org" in text
    assert "done." in text
    assert len(mail.outbox) == 1
    invitation = mail.outbox[0]
    assert invitation.to == ["Amina@Example.org"]
    assert "/admin/password_reset/" in invitation.body
    user = Group.objects.get(name=GROUP_PREFIX + "TAWEA").user_set.get()
    assert user.username == "amina@example.org"
    assert not user.has_usable_password()
    assert is_partner_author(user)

    out = StringIO()
    call_command(
        "add_partner",
        "TAWEA",
        "--series",
        "voices-from-tanzania",
        "--email",
        "amina@example.org",
        stdout=out,
    )
    assert "nothing changed" in out.getvalue()
    assert "amina@example.org is in the group" in out.getvalue().lower()
    assert len(mail.outbox) == 1


def test_command_refuses_unknown_series_and_bad_email(voices):
    mail.outbox.clear()
    with pytest.raises(CommandError, match="Known: voices-from-congo"):
        call_command("add_partner", "X", "--series", "nope", stdout=StringIO())
    with pytest.raises(CommandError, match="not an email address"):
        call_command(
            "add_partner",
            "X",
            "--series",
            "voix-du-congo",
            "--email",
            "not-an-address",
            stdout=StringIO(),
        )
    assert not mail.outbox


def test_editor_in_a_partner_group_stays_an_editor(voices):
    voices.editor.groups.add(voices.apde.group)
    voices.editor.refresh_from_db()
    assert not is_partner_author(voices.editor)
    assert is_partner_author(voices.author_a)


@pytest.fixture
def admin_client(client, django_user_model, voices):
    admin = django_user_model.objects.create_superuser(
        "admin", "admin@example.org", "pw"
    )
    client.force_login(admin)
    return client


def test_admin_screen_adds_a_partner(admin_client, voices):
    url = reverse("publications_partner_add")
    page = admin_client.get(url)
    assert page.status_code == 200
    soup = BeautifulSoup(page.content, "html.parser")
    assert "APDE" in soup.find("table", class_="listing").get_text()
    response = admin_client.post(
        url,
        {"name": "LHRC", "series": voices.tanzania.pk, "email": "desk@lhrc.example"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == url
    text = response.content.decode()
    assert "Partner “LHRC” can now write in 1 series page(s)." in text
    assert "An invitation was sent to desk@lhrc.example." in text
    assert VoicesPartner.objects.filter(name="LHRC").exists()
    again = admin_client.post(url, {"name": "LHRC", "series": voices.tanzania.pk})
    assert again.status_code == 302
    assert "nothing changed" in admin_client.get(url).content.decode()


def test_admin_screen_shows_errors_and_keeps_input(admin_client, voices):
    url = reverse("publications_partner_add")
    response = admin_client.post(url, {"name": "LHRC", "email": "nope"})
    assert response.status_code == 200
    text = response.content.decode()
    assert 'value="LHRC"' in text
    assert "This field is required." in text
    assert "Enter a valid email address." in text
    assert not VoicesPartner.objects.filter(name="LHRC").exists()
    response = admin_client.post(url, {"name": " ", "series": voices.tanzania.pk})
    assert "This field is required." in response.content.decode()


def _menu_labels(client) -> set[str]:
    response = client.get(reverse("wagtailadmin_home"))
    soup = BeautifulSoup(response.content, "html.parser")
    props = json.loads(soup.find(id="wagtail-sidebar-props").string)
    labels = set()

    def walk(value):
        if isinstance(value, dict):
            if isinstance(value.get("label"), str):
                labels.add(value["label"])
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(props)
    return labels


def test_partner_sees_only_pages_images_and_documents_in_the_menu(voices, client):
    client.force_login(voices.author_a)
    labels = _menu_labels(client)
    assert {"Pages", "Images", "Documents"} <= labels
    for staff_menu in (
        "Inbox",
        "Sources",
        "Snippets",
        "Taxonomy",
        "Settings",
        "Voices partners",
        "Users",
        "Groups",
    ):
        assert staff_menu not in labels


def test_partner_admin_menu_is_for_site_admins(admin_client):
    assert "Voices partners" in _menu_labels(admin_client)


def test_a_taken_user_name_is_refused_and_nothing_is_half_made(
    admin_client, voices, django_user_model
):
    django_user_model.objects.create_user("taken@example.org", "", "pw")
    response = admin_client.post(
        reverse("publications_partner_add"),
        {"name": "LEAT", "series": voices.tanzania.pk, "email": "taken@example.org"},
    )
    assert response.status_code == 200
    assert "A user named “taken@example.org” already exists." in (
        response.content.decode()
    )
    assert not VoicesPartner.objects.filter(name="LEAT").exists()
    assert not Group.objects.filter(name=GROUP_PREFIX + "LEAT").exists()


def test_who_counts_as_a_partner_author(voices, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    assert str(voices.apde) == "APDE"
    assert not is_partner_author(None)
    assert not is_partner_author(AnonymousUser())
    boss = django_user_model.objects.create_superuser("boss", "b@example.org", "pw")
    boss.groups.add(voices.apde.group)
    assert not is_partner_author(boss)
