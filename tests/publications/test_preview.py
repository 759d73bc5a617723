"""Previewing a page that was never saved renders, for every page type.

The editor's live preview posts the add form to Wagtail's preview_on_add and
then loads the preview; a page that exists only in the form (no primary key, no
rows in the database) must render like any other.
"""

from django.db import models
from django.urls import reverse

from wagtail.fields import StreamField
from wagtail.models import Page, Site, get_page_models
from wagtail.test.utils.form_data import querydict_from_html

import pytest

from tests.site_config.factories import HomePageFactory

pytestmark = pytest.mark.django_db


def creatable_page_models() -> list[type[Page]]:
    """Every page type an editor can add somewhere in the admin."""
    return [
        model
        for model in get_page_models()
        if model.is_creatable and model.allowed_parent_page_models()
    ]


def _parent_for(model: type[Page]) -> Page | None:
    """A page the model may be added under, where Wagtail's add view offers it."""
    for page in Page.objects.order_by("path").specific():
        if page.specific_class in model.allowed_parent_page_models() and (
            model.can_create_at(page)
        ):
            return page
    return None


def _add_form_data(client, model: type[Page], parent: Page) -> dict:
    """What the browser would post from the add form, as the editor opened it."""
    meta = model._meta
    url = reverse(
        "wagtailadmin_pages:add", args=[meta.app_label, meta.model_name, parent.pk]
    )
    response = client.get(url)
    assert response.status_code == 200, (model, parent, response.get("Location"))
    data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    data = data.copy()
    data["title"] = f"Unsaved {meta.verbose_name}"
    data["slug"] = f"unsaved-{meta.model_name}"
    for field in meta.get_fields():
        # The browser's script sends a StreamField's blocks; an empty one here.
        if isinstance(field, StreamField):
            data[f"{field.name}-count"] = "0"
        # A date the page cannot be without (a publication's, an issue's).
        elif isinstance(field, models.DateField) and not (
            field.blank or field.has_default() or data.get(field.name)
        ):
            data[field.name] = "2026-03-02"
        # A required choice of another object (a programme page's programme).
        elif (
            isinstance(field, models.ForeignKey)
            and field.editable
            and not field.blank
            and not data.get(field.name)
        ):
            first = field.related_model._default_manager.order_by("pk").first()
            if first is not None:
                data[field.name] = str(first.pk)
    return data


def _preview_unsaved(client, model: type[Page], parent: Page, data) -> str:
    meta = model._meta
    url = reverse(
        "wagtailadmin_pages:preview_on_add",
        args=[meta.app_label, meta.model_name, parent.pk],
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.json() == {"is_valid": True, "is_available": True}, model
    response = client.get(url)
    assert response.status_code == 200, model
    return response.content.decode()


@pytest.fixture
def staff_client(client, django_user_model):
    admin = django_user_model.objects.create_superuser(
        "preview-admin", "preview-admin@example.org", "preview-password"
    )
    client.force_login(admin)
    client.raise_request_exception = True
    return client


def test_every_page_type_is_in_the_list():
    """The enumeration sees the project's page types, not just Wagtail's."""
    labels = {model._meta.label for model in creatable_page_models()}
    assert {
        "site_config.HomePage",
        "site_config.StandardPage",
        "publications.PublicationIndexPage",
        "publications.PublicationPage",
        "publications.VoicesSeriesPage",
        "briefings.BriefingIndexPage",
        "briefings.BriefingPage",
        "bulletins.BulletinIndexPage",
        "bulletins.BulletinPage",
    } <= labels


def _previews(client, models) -> tuple[set[str], dict[str, str]]:
    """(the types previewed, {type: what went wrong}) for those that have a
    place in the tree as it is."""
    seen, problems = set(), {}
    for model in models:
        parent = _parent_for(model)
        if parent is None:
            continue
        label = model._meta.label
        seen.add(label)
        try:
            data = _add_form_data(client, model, parent)
            html = _preview_unsaved(client, model, parent, data)
        except Exception as error:  # noqa: BLE001 - every type is reported
            problems[label] = repr(error)
            continue
        # The preview is the page itself, with the title typed in the form.
        if f"Unsaved {model._meta.verbose_name}" not in html:
            problems[label] = "the typed title is not shown"
    return seen, problems


def test_unsaved_page_of_every_type_previews(staff_client):
    from site_config.demo.build import demo_site_build

    models = creatable_page_models()
    # A fresh install: only the home page has a place (once, under the root).
    seen, problems = _previews(staff_client, models)
    assert seen == {"site_config.HomePage"}
    demo_site_build()
    # A second site with an empty home page, so that the types allowed once
    # per parent (a library, a briefing index) have somewhere to be added.
    spare = HomePageFactory(parent=Page.get_first_root_node(), slug="spare-home")
    Site.objects.create(hostname="spare.localhost", root_page=spare)
    more_seen, more_problems = _previews(
        staff_client, [model for model in models if model._meta.label not in seen]
    )
    problems |= more_problems
    assert problems == {}, "\n".join(f"{k}: {v}" for k, v in problems.items())
    assert seen | more_seen == {model._meta.label for model in models}
    assert not Page.objects.filter(slug__startswith="unsaved-").exists()
