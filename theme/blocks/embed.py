"""An interactive map or video from an allowed site, loaded on the reader's click."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.images.blocks import ImageBlock

from theme.embeds import embed_frame, embed_url_validate


class InteractiveEmbedValue(blocks.StructValue):
    """The block with the frame its address loads (None if not allowed now)."""

    @property
    def frame(self):
        return embed_frame(self.get("url") or "")


class InteractiveEmbedBlock(blocks.StructBlock):
    url = blocks.URLBlock(
        label=_("address of the map or video"),
        help_text=_(
            "E.g. the institute's webmap, or a YouTube or Vimeo video. Nothing is "
            "loaded from that site until the reader asks for it."
        ),
    )
    title = blocks.CharBlock(
        label=_("title"),
        max_length=200,
        help_text=_("What the map or video shows; names the frame for screen readers."),
    )
    image = ImageBlock(
        required=False,
        label=_("static image"),
        help_text=_(
            "A picture of the map or a still of the video, shown until the reader "
            "loads it. Without one, a plain card with the link is shown."
        ),
    )
    caption = blocks.CharBlock(label=_("caption"), max_length=300, required=False)

    class Meta:
        icon = "site"
        label = _("Interactive map or video")
        template = "components/interactive_embed/interactive_embed.html"
        value_class = InteractiveEmbedValue
        description = _(
            "A webmap or a video from an allowed site, loaded when the reader "
            "clicks; a static image and a link until then."
        )
        preview_value = {
            "url": "https://www.ipisresearch.be/mapping/webmapping/drcongo/v6/",
            "title": "Artisanal mining sites in eastern DR Congo",
            "caption": "Mining sites visited by field teams, with their minerals.",
        }

    def clean(self, value):
        value = super().clean(value)
        try:
            embed_url_validate(value.get("url") or "")
        except ValidationError as error:
            raise StructBlockValidationError(block_errors={"url": error}) from error
        return value
