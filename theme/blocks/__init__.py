from .content import (
    CallToActionBlock,
    CaptionedImageBlock,
    HeadingBlock,
    QuoteBlock,
    RichParagraphBlock,
)

__all__ = [
    "CallToActionBlock",
    "CaptionedImageBlock",
    "HeadingBlock",
    "QuoteBlock",
    "RichParagraphBlock",
]
