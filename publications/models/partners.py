"""A partner organisation that writes Voices studies: its group and collection."""

from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.models import Collection


class VoicesPartner(models.Model):
    """Ties a partner's Wagtail group (its authors) to its own collection.

    Page permissions on the series live on the group (GroupPagePermission), so
    Wagtail's own checks apply; this row only says which group is a partner's,
    so that the admin can hide other partners' drafts from its members.
    """

    name = models.CharField(_("name"), max_length=150, unique=True)
    group = models.OneToOneField(
        Group,
        verbose_name=_("group"),
        on_delete=models.CASCADE,
        related_name="voices_partner",
    )
    collection = models.OneToOneField(
        Collection,
        verbose_name=_("collection"),
        on_delete=models.PROTECT,
        related_name="voices_partner",
    )
    organisation = models.ForeignKey(
        "publications.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("Voices partner")
        verbose_name_plural = _("Voices partners")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
