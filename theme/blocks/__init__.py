from .content import (
    CallToActionBlock,
    CaptionedImageBlock,
    HeadingBlock,
    QuoteBlock,
    RichParagraphBlock,
)
from .embed import InteractiveEmbedBlock

__all__ = [
    "CallToActionBlock",
    "CaptionedImageBlock",
    "HeadingBlock",
    "InteractiveEmbedBlock",
    "QuoteBlock",
    "RichParagraphBlock",
]
