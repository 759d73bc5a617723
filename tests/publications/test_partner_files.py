"""A partner may point only to what their own choosers offer, and publishing
releases only the study's own partner's files.

Partner B (HakiArdhi) types the ids of partner A's (APDE) private document,
image and draft into the study form, as a hand-made POST would: every field
that takes one (files, cover, related publications, the body's blocks and
rich-text links) refuses it, nothing is saved, and neither the form shown again
nor the live preview names A's file or draft.
"""

import json

from django.urls import reverse

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Revision
from wagtail.test.utils.form_data import (
    nested_form_data,
    querydict_from_html,
    rich_text,
    streamfield,
)

import pytest
import wagtail_factories

from publications.forms import REFUSED_IN_BODY, REFUSED_MESSAGES
from publications.models import PublicationDownload, PublicationPage
from publications.partners import LIBRARY_COLLECTION_NAME
from tests.publications.factories import PdfDocumentFactory
from tests.publications.partner_setup import voices_from_module  # noqa: F401
from theme.blocks.content import PARAGRAPH_FEATURES

pytestmark = pytest.mark.django_db


def _a_names(voices) -> list[str]:
    """Everything of A's that B must never read."""
    document = voices.document_a
    return [
        document.title,
        document.filename,
        voices.image_a.title,
        voices.image_a.file.name.rsplit("/", 1)[-1],
        voices.draft_a.title,
        voices.draft_a.slug,
    ]


def _leaks(html: str, voices) -> list[str]:
    return [name for name in _a_names(voices) if name in html]


def _form_data(client, url: str) -> dict[str, list[str]]:
    response = client.get(url)
    assert response.status_code == 200
    data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    # The browser's script sends the body's blocks; one paragraph stands in.
    return _with_body(
        {key: data.getlist(key) for key in data},
        [("paragraph", _paragraph("<p>What the study found.</p>"))],
    )


def _with_body(data: dict, blocks: list) -> dict:
    data = {key: value for key, value in data.items() if not key.startswith("body-")}
    data.update(
        {
            key: [value]
            for key, value in nested_form_data({"body": streamfield(blocks)}).items()
        }
    )
    return data


def _add_row(data: dict, prefix: str, fields: dict) -> dict:
    """One more inline row (a file, a related publication) in the posted form."""
    index = int(data[f"{prefix}-TOTAL_FORMS"][0])
    data[f"{prefix}-TOTAL_FORMS"] = [str(index + 1)]
    row = {"id": "", "ORDER": str(index + 1), "DELETE": "", **fields}
    for name, value in row.items():
        data[f"{prefix}-{index}-{name}"] = [str(value)]
    return data


def _paragraph(html: str) -> str:
    return rich_text(html, features=PARAGRAPH_FEATURES)


def _image_block(image) -> dict:
    return {
        "image": {"image": image.pk, "alt_text": "A photo", "decorative": False},
        "caption": "",
        "credit": "",
    }


def _cta(page) -> dict:
    return {
        "heading": "Read on",
        "text": "",
        "page": page.pk,
        "url": "",
        "button_label": "Read",
    }


def _edit_url(page) -> str:
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def _revisions(page) -> int:
    return Revision.page_revisions.filter(object_id=str(page.pk)).count()


@pytest.fixture
def b_client(client, voices):
    client.force_login(voices.author_b)
    return client


@pytest.fixture
def image_b(voices):
    return wagtail_factories.ImageFactory(
        title="Haki photo", collection=voices.haki.collection
    )


# Each field, one at a time: refused on the field, with the message ------------


def _refused_field(b_client, voices, data, *, field_error: str):
    page = voices.draft_b
    before = _revisions(page)
    response = b_client.post(_edit_url(page), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "The page could not be saved due to validation errors" in html
    assert str(field_error) in html
    assert _leaks(html, voices) == []
    assert _revisions(page) == before
    return html


def test_another_partners_document_is_refused_as_a_file(b_client, voices):
    data = _form_data(b_client, _edit_url(voices.draft_b))
    _add_row(
        data,
        "downloads",
        {"document": voices.document_a.pk, "language": "en", "label": ""},
    )
    _refused_field(b_client, voices, data, field_error=REFUSED_MESSAGES["document"])
    assert list(
        PublicationDownload.objects.filter(page=voices.draft_b).values_list(
            "document", flat=True
        )
    ) == [voices.document_b.pk]


def test_another_partners_image_is_refused_as_cover(b_client, voices):
    data = _form_data(b_client, _edit_url(voices.draft_b))
    data["cover_image"] = [str(voices.image_a.pk)]
    _refused_field(b_client, voices, data, field_error=REFUSED_MESSAGES["image"])
    latest = PublicationPage.objects.get(pk=voices.draft_b.pk).get_latest_revision()
    assert latest.as_object().cover_image_id is None


def test_another_partners_draft_is_refused_as_related(b_client, voices):
    data = _form_data(b_client, _edit_url(voices.draft_b))
    _add_row(data, "related_publications", {"related": voices.draft_a.pk})
    _refused_field(b_client, voices, data, field_error=REFUSED_MESSAGES["page"])


@pytest.mark.parametrize(
    "block",
    [
        pytest.param(lambda v: ("image", _image_block(v.image_a)), id="image-block"),
        pytest.param(lambda v: ("call_to_action", _cta(v.draft_a)), id="page-block"),
        pytest.param(
            lambda v: (
                "paragraph",
                _paragraph(f'<p><a linktype="page" id="{v.draft_a.pk}">see</a></p>'),
            ),
            id="rich-text-page-link",
        ),
        pytest.param(
            lambda v: (
                "paragraph",
                _paragraph(
                    f'<p><a linktype="document" id="{v.document_a.pk}">notes</a></p>'
                ),
            ),
            id="rich-text-document-link",
        ),
        pytest.param(
            lambda v: (
                "fact_box",
                {
                    "heading": "Method",
                    "text": _paragraph(
                        f'<p><a linktype="page" id="{v.draft_a.pk}">how</a></p>'
                    ),
                },
            ),
            id="rich-text-in-a-struct",
        ),
    ],
)
def test_another_partners_file_or_draft_is_refused_in_the_body(
    b_client,
    voices,
    block,
):
    data = _form_data(b_client, _edit_url(voices.draft_b))
    data = _with_body(
        data, [("heading", {"text": "Findings", "level": "h2"}), block(voices)]
    )
    html = _refused_field(b_client, voices, data, field_error=REFUSED_IN_BODY)
    # The rest of what B wrote is shown back, to be saved again.
    assert "Findings" in html


def test_rich_text_image_embed_is_refused_or_dropped(b_client, voices):
    """Study text has no image feature: an embed sent anyway never reaches the
    page, and A's image is named nowhere."""
    contentstate = {
        "blocks": [
            {
                "key": "e1",
                "type": "atomic",
                "depth": 0,
                "text": " ",
                "inlineStyleRanges": [],
                "entityRanges": [{"offset": 0, "length": 1, "key": 0}],
                "data": {},
            }
        ],
        "entityMap": {
            "0": {
                "type": "IMAGE",
                "mutability": "IMMUTABLE",
                "data": {"id": voices.image_a.pk, "format": "fullwidth", "alt": "x"},
            }
        },
    }
    data = _form_data(b_client, _edit_url(voices.draft_b))
    data = _with_body(data, [("paragraph", json.dumps(contentstate))])
    response = b_client.post(_edit_url(voices.draft_b), data)
    assert _leaks(response.content.decode(), voices) == []
    latest = PublicationPage.objects.get(pk=voices.draft_b.pk).get_latest_revision()
    assert f'id="{voices.image_a.pk}"' not in str(latest.content["body"])


def test_everything_at_once_is_refused_and_preview_names_nothing(
    b_client,
    voices,
):
    page = voices.draft_b
    preview = reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk])
    data = _form_data(b_client, _edit_url(page))
    # B's preview panel has shown the draft as it is.
    assert b_client.post(preview, data).json() == {
        "is_valid": True,
        "is_available": True,
    }
    data["cover_image"] = [str(voices.image_a.pk)]
    _add_row(
        data,
        "downloads",
        {"document": voices.document_a.pk, "language": "en", "label": ""},
    )
    _add_row(data, "related_publications", {"related": voices.draft_a.pk})
    data = _with_body(
        data,
        [
            ("image", _image_block(voices.image_a)),
            ("call_to_action", _cta(voices.draft_a)),
            (
                "paragraph",
                _paragraph(
                    f'<p><a linktype="page" id="{voices.draft_a.pk}">see</a> and '
                    f'<a linktype="document" id="{voices.document_a.pk}">notes</a>'
                    "</p>"
                ),
            ),
        ],
    )
    html = _refused_field(b_client, voices, data, field_error=REFUSED_IN_BODY)
    for message in REFUSED_MESSAGES.values():
        assert str(message) in html

    # The live preview: refused, and what it shows is B's last valid state.
    response = b_client.post(preview, data)
    assert response.json() == {"is_valid": False, "is_available": True}
    response = b_client.get(preview)
    assert response.status_code == 200
    assert _leaks(response.content.decode(), voices) == []
    assert page.title in response.content.decode()


def test_add_form_preview_refuses_another_partners_files(b_client, voices):
    """A study never saved: the preview of the add form shows none of A's."""
    args = ["publications", "publicationpage", voices.tanzania.pk]
    data = _form_data(b_client, reverse("wagtailadmin_pages:add", args=args))
    data["title"] = ["Borrowed evidence"]
    data["slug"] = ["borrowed-evidence"]
    data["summary"] = ["A study."]
    data["publication_date"] = ["2026-11-01"]
    data["cover_image"] = [str(voices.image_a.pk)]
    _add_row(
        data,
        "downloads",
        {"document": voices.document_a.pk, "language": "en", "label": ""},
    )
    data = _with_body(data, [("image", _image_block(voices.image_a))])
    preview = reverse("wagtailadmin_pages:preview_on_add", args=args)
    response = b_client.post(preview, data)
    assert response.json() == {"is_valid": False, "is_available": False}
    response = b_client.get(preview)
    assert _leaks(response.content.decode(), voices) == []

    response = b_client.post(reverse("wagtailadmin_pages:add", args=args), data)
    assert response.status_code == 200
    assert str(REFUSED_MESSAGES["image"]) in response.content.decode()
    assert _leaks(response.content.decode(), voices) == []
    assert not PublicationPage.objects.filter(slug="borrowed-evidence").exists()


# What B may use ----------------------------------------------------------------


def test_own_files_live_pages_and_own_drafts_are_accepted(
    b_client,
    voices,
    image_b,
):
    other_draft_b = voices.draft_b.copy(
        update_attrs={"slug": "second-draft-b", "title": "Second Haki draft"}
    )
    page = voices.draft_b
    data = _form_data(b_client, _edit_url(page))
    data["cover_image"] = [str(image_b.pk)]
    _add_row(data, "related_publications", {"related": voices.live_a.pk})
    _add_row(data, "related_publications", {"related": other_draft_b.pk})
    data = _with_body(
        data,
        [
            ("image", _image_block(image_b)),
            ("call_to_action", _cta(voices.live_a)),
            (
                "paragraph",
                _paragraph(
                    f'<p><a linktype="document" id="{voices.document_b.pk}">ours</a>'
                    "</p>"
                ),
            ),
        ],
    )
    response = b_client.post(_edit_url(page), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    saved = PublicationPage.objects.get(pk=page.pk).get_latest_revision_as_object()
    assert saved.cover_image_id == image_b.pk
    assert [row.related_id for row in saved.related_publications.all()] == [
        voices.live_a.pk,
        other_draft_b.pk,
    ]


def test_public_library_files_are_chosen_by_staff_not_typed_by_partners(
    b_client,
    client,
    voices,
):
    """A collection without a view restriction is not a reason to accept a
    file: staff keep unpublished institute files there too. What an editor
    attached stays, and B's next save goes through."""
    root_file = PdfDocumentFactory(title="Institute annual accounts draft")
    attached = PdfDocumentFactory(title="Institute methodology note")
    page = voices.draft_b

    data = _form_data(b_client, _edit_url(page))
    _add_row(data, "downloads", {"document": root_file.pk, "language": "en"})
    response = b_client.post(_edit_url(page), data)
    assert response.status_code == 200
    assert str(REFUSED_MESSAGES["document"]) in response.content.decode()
    assert root_file.title not in response.content.decode()

    # The editor attaches a library file to B's draft.
    editor = client.__class__()
    editor.force_login(voices.editor)
    data = _form_data(editor, _edit_url(page))
    _add_row(data, "downloads", {"document": attached.pk, "language": "fr"})
    response = editor.post(_edit_url(page), data)
    assert response.status_code == 302, response.content.decode()[:3000]

    # B saves again with it, and with a change of their own.
    data = _form_data(b_client, _edit_url(page))
    data["summary"] = ["What Geita found, revised."]
    response = b_client.post(_edit_url(page), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    saved = PublicationPage.objects.get(pk=page.pk).get_latest_revision_as_object()
    assert saved.summary == "What Geita found, revised."
    assert {row.document_id for row in saved.downloads.all()} == {
        voices.document_b.pk,
        attached.pk,
    }


def test_editors_may_use_any_partners_files(client, voices):
    client.force_login(voices.editor)
    page = voices.draft_a
    data = _form_data(client, _edit_url(page))
    _add_row(data, "downloads", {"document": voices.document_b.pk, "language": "en"})
    response = client.post(_edit_url(page), data)
    assert response.status_code == 302, response.content.decode()[:3000]


# Publishing releases the study's own partner's files only ----------------------


@pytest.fixture
def library_collection(voices):
    return Collection.get_first_root_node().add_child(name=LIBRARY_COLLECTION_NAME)


def _approve(client, voices):
    page = voices.review_a
    task_state = page.current_workflow_task_state
    client.force_login(voices.editor)
    response = client.post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=[page.pk, "approve", task_state.pk],
        ),
        {"comment": ""},
    )
    assert response.status_code in (200, 302)
    page.refresh_from_db()
    assert page.live


def test_approving_a_study_releases_only_its_own_partners_files(
    client,
    voices,
    library_collection,
):
    """A's study under review was made (by an editor, or a direct write) to
    point to B's file and image too: only A's are made public."""
    image_a2 = wagtail_factories.ImageFactory(
        title="APDE map", collection=voices.apde.collection
    )
    document_a2 = PdfDocumentFactory(
        title="APDE annex", collection=voices.apde.collection
    )
    image_b = wagtail_factories.ImageFactory(
        title="Haki photo", collection=voices.haki.collection
    )
    document_b2 = PdfDocumentFactory(
        title="Haki annex", collection=voices.haki.collection
    )
    study = voices.review_a.get_latest_revision_as_object()
    study.cover_image = voices.image_a
    study.downloads = [
        PublicationDownload(document=voices.document_a, language="fr"),
        PublicationDownload(document=voices.document_b, language="en"),
    ]
    study.body = [
        ("image", {"image": image_a2, "caption": "", "credit": ""}),
        ("image", {"image": image_b, "caption": "", "credit": ""}),
        (
            "paragraph",
            f'<p><a linktype="document" id="{document_a2.pk}">annex</a> '
            f'<a linktype="document" id="{document_b2.pk}">theirs</a></p>',
        ),
    ]
    study.save_revision(user=voices.editor)

    _approve(client, voices)

    def collection_of(obj):
        return type(obj).objects.get(pk=obj.pk).collection

    for own in (voices.document_a, document_a2, voices.image_a, image_a2):
        assert collection_of(own) == library_collection, own
    for theirs in (voices.document_b, document_b2, image_b):
        assert collection_of(theirs) == voices.haki.collection, theirs
    # B's file, linked from A's published study, still answers only to B and
    # the reviewers.
    client.logout()
    response = client.get(voices.document_b.url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailcore_login"))
    response = client.get(voices.document_a.url)
    assert response.status_code == 200


def test_a_study_an_editor_wrote_releases_its_series_partners_files(
    voices,
    library_collection,
):
    """The owner is staff: the study is the series' partner's (one partner
    writes in Voices from Tanzania), so B's file is released, A's is not."""
    from tests.publications.partner_setup import study_draft

    study = study_draft(
        parent=voices.tanzania,
        owner=voices.editor,
        organisation=voices.haki_org,
        title="Editor-made study",
        slug="editor-made-study",
        document=voices.document_b,
    )
    study = study.get_latest_revision_as_object()
    study.downloads = [
        PublicationDownload(document=voices.document_b, language="en"),
        PublicationDownload(document=voices.document_a, language="fr"),
    ]
    study.cover_image = voices.image_a
    study.save_revision(user=voices.editor).publish(user=voices.editor)

    assert get_document_model().objects.get(pk=voices.document_b.pk).collection == (
        library_collection
    )
    assert get_document_model().objects.get(pk=voices.document_a.pk).collection == (
        voices.apde.collection
    )
    assert get_image_model().objects.get(pk=voices.image_a.pk).collection == (
        voices.apde.collection
    )
