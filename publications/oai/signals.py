"""Tombstones for harvesters: written when a public publication is unpublished
or deleted, cleared when it is published again."""

from django.utils import timezone

from publications.models import OaiTombstone, PublicationPage

from .records import tombstone_sets


def oai_tombstone_write(*, page: PublicationPage) -> None:
    """Record that this publication is withdrawn (now), with the sets it was in."""
    OaiTombstone.objects.update_or_create(
        page_id=page.pk,
        defaults={"deleted_at": timezone.now(), "set_specs": tombstone_sets(page)},
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


def connect() -> None:
    from django.db.models.signals import pre_delete

    from wagtail.signals import page_published, page_unpublished

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
