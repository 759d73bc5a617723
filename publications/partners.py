"""Onboarding of Voices partners with Wagtail's own groups, collections and workflow.

A partner organisation gets one group (its authors), one collection (its images
and PDFs, private to the group and the reviewers until published) and the
"add" page permission on every translation of its series: Wagtail then lets
each author create studies there and edit the ones they own, never publish.
Every study in a series goes through the "Voices editorial review" workflow,
approved by the reviewers' groups. Everything here is idempotent.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import override

from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from publications.models import Organisation, VoicesPartner, VoicesSeriesPage
from theme.address import base_url as public_base_url

WORKFLOW_NAME = "Voices editorial review"
TASK_NAME = "Editorial review"
# Wagtail's own staff groups: they review, approve and publish Voices studies.
REVIEWER_GROUP_NAMES = ("Editors", "Moderators")
PARTNERS_COLLECTION_NAME = "Voices partners"
LIBRARY_COLLECTION_NAME = "Library"  # as publications.demo names it
GROUP_PREFIX = "Voices partner: "
# "add" lets an author create studies and edit the ones they own; nothing more.
PARTNER_PAGE_PERMISSIONS = ("add",)
REVIEWER_PAGE_PERMISSIONS = ("add", "change", "publish")
PARTNER_MEDIA_PERMISSIONS = {
    ("wagtaildocs", "document"): ("add", "change", "choose"),
    ("wagtailimages", "image"): ("add", "change", "choose"),
}


class PartnerError(ValueError):
    """Bad input to the onboarding: an unknown series, an empty name, …"""


@dataclass
class PartnerReport:
    """What one onboarding run created; empty `created` means nothing changed."""

    partner: VoicesPartner
    series: list[VoicesSeriesPage]
    user: object | None = None
    invited: bool = False
    created: list[str] = field(default_factory=list)


def _permission(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def voices_series_translations(*, slug: str) -> list[VoicesSeriesPage]:
    """Every language version of the series with this slug, in any page tree."""
    keys = set(
        VoicesSeriesPage.objects.filter(slug=slug).values_list(
            "translation_key", flat=True
        )
    )
    if not keys:
        known = sorted(set(VoicesSeriesPage.objects.values_list("slug", flat=True)))
        raise PartnerError(
            _("There is no Voices series with the slug “%(slug)s”. Known: %(known)s.")
            % {"slug": slug, "known": ", ".join(known) or _("none")}
        )
    return list(
        VoicesSeriesPage.objects.filter(translation_key__in=keys)
        .select_related("locale")
        .order_by("path")
    )


def reviewer_groups_ensure(*, created: list[str] | None = None) -> list[Group]:
    """Wagtail's Editors and Moderators groups, with admin access."""
    access_admin = _permission("wagtailadmin", "access_admin")
    groups = []
    for name in REVIEWER_GROUP_NAMES:
        group, new = Group.objects.get_or_create(name=name)
        if new and created is not None:
            created.append(f"group {name}")
        group.permissions.add(access_admin)
        groups.append(group)
    return groups


def voices_workflow_ensure(*, created: list[str] | None = None) -> Workflow:
    """The "Voices editorial review" workflow: one approval by the reviewers."""
    created = created if created is not None else []
    reviewers = reviewer_groups_ensure(created=created)
    workflow, new = Workflow.objects.get_or_create(
        name=WORKFLOW_NAME, defaults={"active": True}
    )
    if new:
        created.append(f"workflow {WORKFLOW_NAME}")
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME)
        task.groups.set(reviewers)
        created.append(f"task {TASK_NAME}")
    if not WorkflowTask.objects.filter(workflow=workflow, task=task).exists():
        WorkflowTask.objects.create(
            workflow=workflow,
            task=task,
            sort_order=WorkflowTask.objects.filter(workflow=workflow).count(),
        )
    return workflow


def _series_permissions_ensure(
    series: VoicesSeriesPage,
    *,
    group: Group,
    reviewers: list[Group],
    workflow: Workflow,
    created: list[str],
) -> None:
    for codename in PARTNER_PAGE_PERMISSIONS:
        _row, new = GroupPagePermission.objects.get_or_create(
            group=group,
            page=series,
            permission=_permission("wagtailcore", f"{codename}_page"),
        )
        if new:
            created.append(f"{codename} on {series.title} ({series.locale})")
    for reviewer in reviewers:
        for codename in REVIEWER_PAGE_PERMISSIONS:
            GroupPagePermission.objects.get_or_create(
                group=reviewer,
                page=series,
                permission=_permission("wagtailcore", f"{codename}_page"),
            )
    # A workflow an editor chose for this series stays; otherwise ours.
    _assignment, new = WorkflowPage.objects.get_or_create(
        page=series, defaults={"workflow": workflow}
    )
    if new:
        created.append(f"workflow on {series.title} ({series.locale})")


def _collection_ensure(
    name: str, *, group: Group, reviewers: list[Group], created: list[str]
) -> Collection:
    root = Collection.get_first_root_node()
    parent = root.get_children().filter(name=PARTNERS_COLLECTION_NAME).first()
    if parent is None:
        parent = root.add_child(name=PARTNERS_COLLECTION_NAME)
        created.append(f"collection {PARTNERS_COLLECTION_NAME}")
    collection = parent.get_children().filter(name=name).first()
    if collection is None:
        collection = parent.add_child(name=name)
        created.append(f"collection {name}")
    # Drafts' files are for the partner and the reviewers only; a study's files
    # move to the public library collection when it is published.
    restriction = CollectionViewRestriction.objects.filter(
        collection=collection
    ).first()
    if restriction is None:
        restriction = CollectionViewRestriction.objects.create(
            collection=collection,
            restriction_type=CollectionViewRestriction.GROUPS,
        )
        created.append(f"view restriction on {name}")
    restriction.groups.add(group, *reviewers)
    for (app_label, model), codenames in PARTNER_MEDIA_PERMISSIONS.items():
        for codename in codenames:
            _row, new = GroupCollectionPermission.objects.get_or_create(
                group=group,
                collection=collection,
                permission=_permission(app_label, f"{codename}_{model}"),
            )
            if new:
                created.append(f"{codename}_{model} on {name}")
    return collection


def _organisation_for(name: str) -> Organisation | None:
    return (
        Organisation.objects.filter(Q(name=name) | Q(acronym=name))
        .filter(locale=Locale.get_default())
        .first()
    )


@transaction.atomic
def partner_ensure(
    *, name: str, series_slug: str, email: str = "", base_url: str = ""
) -> PartnerReport:
    """The partner's group, collection and permissions on every translation of
    the series; with `email`, its first author (invited by email once)."""
    name = " ".join(name.split())
    if not name:
        raise PartnerError(_("The partner needs a name."))
    if len(GROUP_PREFIX + name) > 150:
        raise PartnerError(_("The partner's name is too long (at most 130 letters)."))
    all_series = voices_series_translations(slug=series_slug)
    created: list[str] = []
    reviewers = reviewer_groups_ensure(created=created)
    workflow = voices_workflow_ensure(created=created)

    group, new = Group.objects.get_or_create(name=GROUP_PREFIX + name)
    if new:
        created.append(f"group {group.name}")
    group.permissions.add(_permission("wagtailadmin", "access_admin"))
    partner = VoicesPartner.objects.filter(name=name).first()
    collection = _collection_ensure(
        name, group=group, reviewers=reviewers, created=created
    )
    if partner is None:
        partner = VoicesPartner.objects.create(
            name=name,
            group=group,
            collection=collection,
            organisation=_organisation_for(name),
        )
        created.append(f"partner {name}")
    for series in all_series:
        _series_permissions_ensure(
            series,
            group=group,
            reviewers=reviewers,
            workflow=workflow,
            created=created,
        )
    report = PartnerReport(partner=partner, series=all_series, created=created)
    if email:
        report.user, report.invited = partner_author_ensure(
            partner=partner, email=email, base_url=base_url
        )
        if report.invited:
            created.append(f"user {email}")
    return report


def partner_author_ensure(
    *, partner: VoicesPartner, email: str, base_url: str = ""
) -> tuple[object, bool]:
    """The user with this address in the partner's group; a new one is invited.

    Returns (user, invited). An existing user is only added to the group.
    """
    from django.core.validators import validate_email

    email = email.strip()
    try:
        validate_email(email)
    except ValidationError as error:
        raise PartnerError(
            _("“%(email)s” is not an email address.") % {"email": email}
        ) from error
    user_model = get_user_model()
    user = user_model.objects.filter(email__iexact=email).first()
    invited = False
    if user is None:
        if user_model.objects.filter(username=email.lower()).exists():
            raise PartnerError(
                _("A user named “%(email)s” already exists.") % {"email": email}
            )
        user = user_model(username=email.lower(), email=email, is_active=True)
        user.set_unusable_password()
        user.save()
        invited = True
    user.groups.add(partner.group)
    if invited:
        partner_invitation_send(partner=partner, user=user, base_url=base_url)
    return user, invited


def partner_invitation_send(
    *, partner: VoicesPartner, user, base_url: str = ""
) -> None:
    """Email a new author the link that sets their password."""
    base_url = (base_url or public_base_url()).rstrip("/")
    link = base_url + reverse(
        "wagtailadmin_password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    context = {
        "partner": partner,
        "user": user,
        "link": link,
        "admin_url": base_url + reverse("wagtailadmin_home"),
        "site_name": settings.WAGTAIL_SITE_NAME,
    }
    with override(settings.LANGUAGE_CODE):
        subject = _("Your author account for the Voices series")
        body = render_to_string("publications/emails/partner_invitation.txt", context)
    send_mail(subject, body, None, [user.email])


def study_partner(*, study) -> VoicesPartner | None:
    """The partner a study belongs to, or None when that is not certain.

    The partners whose group may add pages above the study (its series) are
    the candidates. Of those, the one its owner belongs to: the owner is set
    when the page is created and a partner cannot change it, while the names
    under "Organisations" are whatever the author typed. A study an editor
    created belongs to its series' partner when the series has only one.
    """
    candidates = list(
        VoicesPartner.objects.filter(
            group__page_permissions__page__in=Page.objects.ancestor_of(study),
            group__page_permissions__permission__codename="add_page",
        )
        .select_related("collection")
        .distinct()
    )
    if study.owner_id is not None:
        owners = [
            partner
            for partner in candidates
            if partner.group.user_set.filter(pk=study.owner_id).exists()
        ]
        if owners:
            return owners[0] if len(owners) == 1 else None
        if VoicesPartner.objects.filter(group__user=study.owner_id).exists():
            return None  # another partner's author: not this series' study
    return candidates[0] if len(candidates) == 1 else None


def study_files_release(sender=None, *, instance, **kwargs) -> int:
    """On publishing a study, move its own partner's files (its downloads, its
    cover, and the documents and images its body uses) out of that partner's
    private collection into the public library's, so readers can use them.

    Files of any other collection stay where they are: another partner's stay
    private, whatever the study points to. Connected to Wagtail's
    `page_published`; returns how many files moved.
    """
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    from publications.models import PublicationPage
    from publications.publication import publication_references

    if not isinstance(instance, PublicationPage):
        return 0
    partner = study_partner(study=instance)
    if partner is None:
        return 0
    own = partner.collection.get_descendants(inclusive=True)
    references = publication_references(publication=instance)
    library = library_collection()
    moved = 0
    for kind, model in (
        ("document", get_document_model()),
        ("image", get_image_model()),
    ):
        ids = {int(pk) for found, pk in references if found == kind and pk.isdigit()}
        if ids:
            moved += model.objects.filter(pk__in=ids, collection__in=own).update(
                collection=library
            )
    return moved


def library_collection() -> Collection:
    """The public collection published files go to: "Library", or the root."""
    root = Collection.get_first_root_node()
    return root.get_children().filter(name=LIBRARY_COLLECTION_NAME).first() or root


def author_organisation(*, user, locale: Locale | None = None) -> Organisation | None:
    """The organisation a partner author writes for, in `locale` where it is
    translated; None for staff, or an author of several partners."""
    from publications.permissions import is_partner_author

    if not is_partner_author(user):
        return None
    partners = list(
        VoicesPartner.objects.filter(
            group__user=user, organisation__isnull=False
        ).select_related("organisation")
    )
    if len(partners) != 1:
        return None
    organisation = partners[0].organisation
    return (
        Organisation.objects.one_per_translation(locale)
        .filter(translation_key=organisation.translation_key)
        .first()
        or organisation
    )
