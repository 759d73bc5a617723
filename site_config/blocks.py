"""Blocks for the institute's own pages (about, mission, team)."""

from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.models import Locale

from publications.choices import PersonGroup
from publications.models import Person
from theme.blocks import (
    CallToActionBlock,
    CaptionedImageBlock,
    HeadingBlock,
    QuoteBlock,
    RichParagraphBlock,
)


class PeopleBlock(blocks.StructBlock):
    """Everyone of one group (the team, the board, …) in the page's language."""

    heading = blocks.CharBlock(label=_("heading"), max_length=120)
    group = blocks.ChoiceBlock(choices=PersonGroup.choices, label=_("group"))
    show_contact = blocks.BooleanBlock(
        required=False, default=True, label=_("show email addresses")
    )

    class Meta:
        icon = "group"
        label = _("People")
        template = "components/people/people.html"
        description = _("Lists the people of one group, with role and photo.")

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        page = (parent_context or {}).get("page")
        locale = page.locale if page else Locale.get_active()
        context["people"] = (
            Person.objects.filter(group=value["group"], locale=locale)
            .select_related("photo")
            .order_by("sort_order", "name")
        )
        return context


class StandardStoryBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = RichParagraphBlock()
    image = CaptionedImageBlock()
    quote = QuoteBlock()
    call_to_action = CallToActionBlock()
    people = PeopleBlock()

    class Meta:
        block_counts = {"heading": {"max_num": 40}}
