"""Sections of the Arms Trade Bulletin: by region, optionally by theme."""

from django.utils.translation import gettext_lazy as _

from wagtail import blocks

from briefings.blocks import DigestItemsBlock
from bulletins.choices import BulletinRegion


class BulletinSectionBlock(blocks.StructBlock):
    """The articles on one region (and theme): heading made from both if empty."""

    region = blocks.ChoiceBlock(
        label=_("region"), choices=BulletinRegion.choices, default="africa"
    )
    theme = blocks.CharBlock(
        label=_("theme"),
        max_length=120,
        required=False,
        help_text=_("E.g. “Arms transfers”, “Small arms control”."),
    )
    heading = blocks.CharBlock(
        label=_("heading"),
        max_length=255,
        required=False,
        help_text=_("Leave empty to use the region and theme."),
    )
    intro = blocks.TextBlock(label=_("introduction"), required=False)
    items = DigestItemsBlock(required=False)

    class Meta:
        icon = "site"
        label = _("Regional section")
        description = _("Articles about one region, and optionally one theme.")


class BulletinSectionsBlock(blocks.StreamBlock):
    """The sections of an Arms Trade Bulletin."""

    section = BulletinSectionBlock()

    class Meta:
        icon = "list-ul"
