"""The body of a publication page: the theme's content blocks plus key figures."""

from django.utils.translation import gettext_lazy as _

from wagtail import blocks

from theme.blocks import (
    CallToActionBlock,
    CaptionedImageBlock,
    HeadingBlock,
    QuoteBlock,
    RichParagraphBlock,
)


class KeyFigureBlock(blocks.StructBlock):
    figure = blocks.CharBlock(
        label=_("figure"),
        max_length=20,
        help_text=_("The number as readers should see it, e.g. 623 or 52 %."),
    )
    label = blocks.CharBlock(
        label=_("what it counts"), max_length=120, help_text=_("E.g. mining sites")
    )

    class Meta:
        icon = "decimal"
        label = _("Key figure")


class KeyFiguresValue(blocks.StructValue):
    """A key-figures block with the figures that are filled in."""

    @property
    def figures(self) -> list:
        return [item for item in self.get("items") or [] if item.get("figure")]


class KeyFiguresBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("heading"), max_length=120, required=False)
    items = blocks.ListBlock(KeyFigureBlock(), min_num=1, max_num=6, label=_("figures"))
    source = blocks.CharBlock(
        label=_("source"),
        max_length=200,
        required=False,
        help_text=_("Where the figures come from, e.g. IPIS field data, 2019."),
    )

    class Meta:
        icon = "table"
        label = _("Key figures")
        template = "components/key_figures/key_figures.html"
        value_class = KeyFiguresValue
        preview_value = {
            "heading": "The research in numbers",
            "items": [
                {"figure": "623", "label": "mining sites visited"},
                {"figure": "115,500", "label": "artisanal miners"},
                {"figure": "52 %", "label": "of sites producing 3T minerals"},
            ],
            "source": "IPIS field data, 2019",
        }
        description = _("Up to six numbers that sum up the findings.")


class FactBoxBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("heading"), max_length=120)
    text = RichParagraphBlock(
        label=_("text"), features=["bold", "italic", "link", "ol", "ul"]
    )

    class Meta:
        icon = "info-circle"
        label = _("Fact box")
        template = "components/fact_box/fact_box.html"
        preview_value = {
            "heading": "What is due diligence?",
            "text": "<p>The steps a company takes to find, prevent and account "
            "for harm in its supply chain.</p>",
        }
        description = _("A boxed aside: a definition, a method note, a context.")


class ReportStoryBlock(blocks.StreamBlock):
    """The web version of a report: its findings, figures, images and quotes."""

    heading = HeadingBlock()
    paragraph = RichParagraphBlock()
    image = CaptionedImageBlock()
    quote = QuoteBlock()
    key_figures = KeyFiguresBlock()
    fact_box = FactBoxBlock()
    call_to_action = CallToActionBlock()

    class Meta:
        block_counts = {"heading": {"max_num": 40}}
