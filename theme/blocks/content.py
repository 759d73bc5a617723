"""Content blocks shared by every StreamField on the site."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.images.blocks import ImageBlock

PARAGRAPH_FEATURES = ["h3", "h4", "bold", "italic", "link", "document-link", "ol", "ul"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("heading"), max_length=200)
    level = blocks.ChoiceBlock(
        choices=[("h2", _("Section heading")), ("h3", _("Subheading"))],
        default="h2",
        label=_("level"),
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "components/heading/heading.html"
        preview_value = {"text": "Mapping artisanal mining in eastern DR Congo"}
        description = _("A section heading; it appears in the page outline.")


class RichParagraphBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        kwargs.setdefault("features", PARAGRAPH_FEATURES)
        super().__init__(**kwargs)

    class Meta:
        icon = "pilcrow"
        label = _("Paragraph")
        template = "components/paragraph/paragraph.html"
        preview_value = (
            "<p>Field research in 623 mining sites gives a picture of how due "
            "diligence changes working conditions.</p>"
        )
        description = _("Text with links, lists and emphasis.")


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageBlock()
    caption = blocks.CharBlock(required=False, max_length=300, label=_("caption"))
    credit = blocks.CharBlock(required=False, max_length=120, label=_("credit"))

    class Meta:
        icon = "image"
        label = _("Image")
        template = "components/figure/figure.html"
        description = _("An image with optional caption and credit.")


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("quotation"))
    attribution = blocks.CharBlock(required=False, label=_("attribution"))

    class Meta:
        icon = "openquote"
        label = _("Quotation")
        template = "components/quote/quote.html"
        preview_value = {
            "quote": "Independent data is what makes responsible sourcing credible.",
            "attribution": "A researcher",
        }
        description = _("A pull quote with its source.")


class CallToActionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("heading"), max_length=120)
    text = blocks.TextBlock(required=False, label=_("text"))
    page = blocks.PageChooserBlock(required=False, label=_("page"))
    url = blocks.URLBlock(required=False, label=_("or external link"))
    button_label = blocks.CharBlock(label=_("button label"), max_length=60)

    class Meta:
        icon = "link"
        label = _("Call to action")
        template = "components/call_to_action/call_to_action.html"
        preview_value = {
            "heading": "Read the Briefing",
            "text": "A monthly digest of news on natural resources and conflict.",
            "url": "https://example.org/",
            "button_label": "Subscribe",
        }
        description = _("A highlighted box with one link.")

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("url")):
            raise StructBlockValidationError(
                block_errors={
                    "url": ValidationError(
                        _("Choose a page or give an external link (one of the two).")
                    )
                }
            )
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        page = value.get("page")
        context["href"] = page.localized.url if page else value.get("url")
        return context
