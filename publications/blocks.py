"""The body of a publication page: the theme's content blocks plus key figures."""

from django.utils.translation import gettext_lazy as _

from wagtail import blocks

from theme.blocks import (
    CallToActionBlock,
    CaptionedImageBlock,
    HeadingBlock,
    InteractiveEmbedBlock,
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
    interactive = InteractiveEmbedBlock()

    class Meta:
        block_counts = {"heading": {"max_num": 40}}


# What a body refers to ---------------------------------------------------------
# A reference is (kind, id): "page", "document" or "image", and the object's
# primary key as a string (as rich text and Wagtail's reference index hold it).

Reference = tuple[str, str]
REFERENCE_KINDS = ("page", "document", "image")


def reference_kind(model) -> str | None:
    """ "page", "document" or "image" for a model a body can point to."""
    from wagtail.documents.models import AbstractDocument
    from wagtail.images.models import AbstractImage
    from wagtail.models import Page

    for kind, base in (
        ("page", Page),
        ("document", AbstractDocument),
        ("image", AbstractImage),
    ):
        if isinstance(model, type) and issubclass(model, base):
            return kind
    return None


def stream_references(
    *, block: blocks.StreamBlock, value
) -> list[tuple[Reference, str]]:
    """(reference, content path) for every page, document and image a stream
    points to: chooser blocks, rich-text links and embedded images alike.

    Wagtail's own extraction (that of its reference index) is used, so a new
    block or rich-text feature is covered as soon as Wagtail knows it.
    """
    # Blocks added in the form may have no id yet; the paths need one.
    block.get_prep_value(value)
    found = []
    for model, object_id, _model_path, content_path in block.extract_references(value):
        kind = reference_kind(model)
        if kind is not None:
            found.append(((kind, str(object_id)), content_path))
    return found


def _rich_text_without(html: str, refused: set[Reference]) -> str:
    """The rich text with refused links made plain and refused images left out."""
    from wagtail.rich_text.rewriters import FIND_A_TAG, FIND_EMBED_TAG, extract_attrs

    def link(match):
        attrs = extract_attrs(match.group(1))
        if (attrs.get("linktype"), attrs.get("id")) in refused:
            return "<a>"
        return match.group(0)

    def embed(match):
        attrs = extract_attrs(match.group(1))
        if (attrs.get("embedtype"), attrs.get("id")) in refused:
            return ""
        return match.group(0)

    return FIND_EMBED_TAG.sub(embed, FIND_A_TAG.sub(link, html))


def _leaf_without(leaf, refused: set[Reference]):
    if isinstance(leaf, str):  # rich text
        return _rich_text_without(leaf, refused)
    if isinstance(leaf, dict) and "image" in leaf:  # an ImageBlock
        return {**leaf, "image": None}
    return None  # a chooser block's id


def _prep_replace(node, path: list[str], replace):
    """`node` (a stream's stored form) with the item at `path` replaced."""
    if not path:
        return replace(node)
    head, rest = path[0], path[1:]
    if isinstance(node, list):  # a stream or a list: items found by id
        return [
            {**item, "value": _prep_replace(item.get("value"), rest, replace)}
            if isinstance(item, dict) and item.get("id") == head
            else item
            for item in node
        ]
    if isinstance(node, dict) and head in node:  # a struct: children by name
        return {**node, head: _prep_replace(node[head], rest, replace)}
    return node


def stream_without(*, block: blocks.StreamBlock, value, refused: set[Reference]):
    """The stream with every refused reference taken out, the rest untouched."""
    stored = block.get_prep_value(value)
    for reference, path in stream_references(block=block, value=value):
        if reference in refused:
            stored = _prep_replace(
                stored,
                path.split(".") if path else [],
                lambda leaf: _leaf_without(leaf, refused),
            )
    return block.to_python(stored)
