"""Two partners in two series, an editor, and drafts to fight over.

tests/publications/conftest.py offers `voices` (built for each test) and
`voices_shared` (built once per module). A module whose tests may share one
build imports `voices_from_module`, which takes the name `voices` there:
`from tests.publications.partner_setup import voices_from_module  # noqa: F401`.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import Group

from wagtail.models import Comment, Page, Workflow

import pytest
import wagtail_factories

from publications.choices import OrganisationRole, PublicationType
from publications.models import (
    Organisation,
    PublicationDownload,
    PublicationOrganisation,
    PublicationPage,
    VoicesPartner,
    VoicesSeriesPage,
)
from publications.partners import WORKFLOW_NAME, partner_ensure
from tests.publications.factories import (
    OrganisationFactory,
    PdfDocumentFactory,
    VoicesSeriesPageFactory,
)
from tests.utils.shared import built_for_module, rows_again

PASSWORD = "partner-test-password"  # noqa: S105
DOCUMENT_A_TAG = "kamituga informants"
REVIEW_A_COMMENT = "Blur the face of the second informant"


@dataclass
class Voices:
    library: Page
    fr_library: Page
    tanzania: VoicesSeriesPage  # English only
    congo_fr: VoicesSeriesPage  # French, with an English translation
    congo_en: VoicesSeriesPage
    apde: VoicesPartner
    haki: VoicesPartner
    apde_org: Organisation
    haki_org: Organisation
    author_a: object  # APDE, writes in Voix du Congo
    author_a2: object  # APDE too: a fellow author, who owns none of A's drafts
    author_b: object  # HakiArdhi, writes in Voices from Tanzania
    editor: object  # Wagtail's Editors group
    draft_a: PublicationPage  # A's draft, not submitted
    review_a: PublicationPage  # A's draft in the review workflow
    live_a: PublicationPage  # A's published study
    draft_b: PublicationPage
    document_a: object
    image_a: object
    document_b: object
    workflow: Workflow


def study_draft(
    *,
    parent: Page,
    owner,
    organisation: Organisation,
    title: str,
    slug: str,
    document=None,
) -> PublicationPage:
    """A study saved as a draft by `owner`, as the editor would."""
    page = PublicationPage(
        title=title,
        slug=slug,
        live=False,
        owner=owner,
        publication_date=datetime.date(2026, 11, 1),
        publication_type=PublicationType.PARTNER_STUDY,
        summary=f"What {title} found.",
        body=[("paragraph", f"<p>Findings of {title}.</p>")],
    )
    page.organisations = [
        PublicationOrganisation(
            organisation=organisation, role=OrganisationRole.PUBLISHED_WITH
        )
    ]
    if document is not None:
        page.downloads = [PublicationDownload(document=document, language="en")]
    parent.add_child(instance=page)
    page.save_revision(user=owner)
    return page


def partner_user(django_user_model, *, username: str, group: Group, name: str = ""):
    first_name, _space, last_name = name.partition(" ")
    user = django_user_model.objects.create_user(
        username,
        f"{username}@example.org",
        PASSWORD,
        first_name=first_name,
        last_name=last_name,
    )
    user.groups.add(group)
    return user


def voices_build() -> Voices:
    """The scenario, from an empty database (Wagtail's root page and groups)."""
    from django.contrib.auth import get_user_model

    from tests.publications.factories import PublicationIndexPageFactory
    from tests.site_config.factories import home_page_make, locales_ensure

    django_user_model = get_user_model()
    locales = locales_ensure()
    home = home_page_make(locales)
    library = PublicationIndexPageFactory(parent=home)
    fr_home = library.get_parent().specific.copy_for_translation(locales["fr"])
    fr_home.save_revision().publish()
    fr_library = library.copy_for_translation(locales["fr"])
    fr_library.save_revision().publish()

    tanzania = VoicesSeriesPageFactory(
        parent=library, title="Voices from Tanzania", slug="voices-from-tanzania"
    )
    congo_fr = VoicesSeriesPageFactory(
        parent=fr_library, title="Voix du Congo", slug="voix-du-congo"
    )
    congo_fr.save_revision().publish()
    congo_en = congo_fr.copy_for_translation(locales["en"])
    congo_en.title = "Voices from Congo"
    congo_en.slug = "voices-from-congo"
    congo_en.save_revision().publish()
    apde_org = OrganisationFactory(name="APDE", acronym="APDE", partner=True)
    haki_org = OrganisationFactory(name="HakiArdhi", acronym="HakiArdhi", partner=True)

    apde = partner_ensure(name="APDE", series_slug="voix-du-congo").partner
    haki = partner_ensure(name="HakiArdhi", series_slug="voices-from-tanzania").partner
    author_a = partner_user(
        django_user_model, username="author-a", group=apde.group, name="Amani Mukendi"
    )
    author_a2 = partner_user(
        django_user_model, username="author-a2", group=apde.group, name="Chantal Ilunga"
    )
    author_b = partner_user(
        django_user_model, username="author-b", group=haki.group, name="Baraka Mwita"
    )
    editor = partner_user(
        django_user_model, username="editor", group=Group.objects.get(name="Editors")
    )

    document_a = PdfDocumentFactory(
        title="APDE field notes", collection=apde.collection
    )
    document_b = PdfDocumentFactory(
        title="Haki field notes", collection=haki.collection
    )
    image_a = wagtail_factories.ImageFactory(
        title="APDE photo", collection=apde.collection
    )
    # Tags say what a file is about: private as long as the file is.
    document_a.tags.add(DOCUMENT_A_TAG)
    image_a.tags.add(DOCUMENT_A_TAG)
    draft_a = study_draft(
        parent=congo_fr,
        owner=author_a,
        organisation=apde_org,
        title="Misisi gold draft",
        slug="misisi-gold-draft",
        document=document_a,
    )
    review_a = study_draft(
        parent=congo_fr,
        owner=author_a,
        organisation=apde_org,
        title="Kamituga review draft",
        slug="kamituga-review-draft",
    )
    workflow = Workflow.objects.get(name=WORKFLOW_NAME)
    workflow.start(review_a, author_a)
    # A reviewer's comment on A's study, for A's eyes (and the reviewers').
    Comment.objects.create(
        page=review_a,
        user=editor,
        text=REVIEW_A_COMMENT,
        contentpath="title",
        revision_created=review_a.latest_revision,
    )
    live_a = study_draft(
        parent=congo_fr,
        owner=author_a,
        organisation=apde_org,
        title="Shabunda published study",
        slug="shabunda-published-study",
    )
    live_a.get_latest_revision().publish()
    draft_b = study_draft(
        parent=tanzania,
        owner=author_b,
        organisation=haki_org,
        title="Geita land draft",
        slug="geita-land-draft",
        document=document_b,
    )
    for page in (draft_a, review_a, live_a, draft_b):
        page.refresh_from_db()
    return Voices(
        library=library,
        fr_library=fr_library,
        tanzania=tanzania,
        congo_fr=congo_fr,
        congo_en=congo_en,
        apde=apde,
        haki=haki,
        apde_org=apde_org,
        haki_org=haki_org,
        author_a=author_a,
        author_a2=author_a2,
        author_b=author_b,
        editor=editor,
        draft_a=draft_a,
        review_a=review_a,
        live_a=live_a,
        draft_b=draft_b,
        document_a=document_a,
        image_a=image_a,
        document_b=document_b,
        workflow=workflow,
    )


@pytest.fixture
def voices(db) -> Voices:
    """The scenario, built for one test."""
    return voices_build()


@pytest.fixture(scope="module")
def voices_shared(django_db_setup, django_db_blocker):
    """The scenario built once for a module whose tests only read it (or undo
    what they change): each test runs inside it and is rolled back."""
    with built_for_module(django_db_blocker, voices_build) as built:
        yield built


@pytest.fixture(name="voices")
def voices_from_module(voices_shared, db) -> Voices:
    """`voices` in a module that imports this: the scenario built once for the
    module, its rows read again for each test (which runs in a savepoint)."""
    return rows_again(voices_shared)


__all__ = [
    "DOCUMENT_A_TAG",
    "PASSWORD",
    "REVIEW_A_COMMENT",
    "Voices",
    "study_draft",
    "voices",
    "voices_from_module",
    "voices_shared",
]
