"""Tombstones for harvesters: written when a public publication is unpublished,
deleted or put behind a view restriction, cleared when it is public again."""

from django.utils import timezone

from wagtail.models import Page, PageViewRestriction

from publications.models import OaiTombstone, PublicationPage

from .records import ProgrammeSets, public_publications, tombstone_sets


def oai_tombstone_write(
    *, page: PublicationPage, programme_sets: ProgrammeSets | None = None
) -> None:
    """Record that this publication is withdrawn (now), with the sets it was in."""
    OaiTombstone.objects.update_or_create(
        page_id=page.pk,
        defaults={
            "deleted_at": timezone.now(),
            "set_specs": tombstone_sets(page, programme_sets),
        },
    )


def oai_tombstone_clear(*, page_id: int) -> None:
    OaiTombstone.objects.filter(page_id=page_id).delete()


def _was_public(page: PublicationPage) -> bool:
    return not page.get_view_restrictions().exists()


def on_page_unpublished(sender, instance, **kwargs):
    if isinstance(instance, PublicationPage) and _was_public(instance):
        oai_tombstone_write(page=instance)


def on_page_published(sender, instance, **kwargs):
    if isinstance(instance, PublicationPage):
        oai_tombstone_clear(page_id=instance.pk)


def on_publication_deleted(sender, instance, **kwargs):
    # Before the rows go: the page's programmes can still be read.
    if instance.live and _was_public(instance):
        oai_tombstone_write(page=instance)


def on_restriction_saved(sender, instance, created, **kwargs):
    """Live publications under a new restriction leave the public record."""
    if not created:
        return
    pages = PublicationPage.objects.live().descendant_of(instance.page, inclusive=True)
    # Those already behind another restriction were not public: no record.
    for path in (
        PageViewRestriction.objects.exclude(pk=instance.pk)
        .values_list("page__path", flat=True)
        .distinct()
    ):
        pages = pages.exclude(path__startswith=path)
    programme_sets = ProgrammeSets()
    for page in pages.defer_streamfields().prefetch_related("programmes"):
        oai_tombstone_write(page=page, programme_sets=programme_sets)


def on_restriction_deleted(sender, instance, **kwargs):
    """Publications public again once a restriction goes are live records again."""
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is None:  # the restricted page itself is being deleted
        return
    OaiTombstone.objects.filter(
        page_id__in=public_publications()
        .descendant_of(page, inclusive=True)
        .values("pk")
    ).delete()


def connect() -> None:
    from django.db.models.signals import post_delete, post_save, pre_delete

    from wagtail.signals import page_published, page_unpublished

    post_save.connect(
        on_restriction_saved,
        sender=PageViewRestriction,
        dispatch_uid="publications_oai_tombstone_restricted",
    )
    post_delete.connect(
        on_restriction_deleted,
        sender=PageViewRestriction,
        dispatch_uid="publications_oai_tombstone_unrestricted",
    )

    page_unpublished.connect(
        on_page_unpublished, dispatch_uid="publications_oai_tombstone_unpublished"
    )
    page_published.connect(
        on_page_published, dispatch_uid="publications_oai_tombstone_published"
    )
    pre_delete.connect(
        on_publication_deleted,
        sender=PublicationPage,
        dispatch_uid="publications_oai_tombstone_deleted",
    )
