"""One candidate per width in every `srcset` Wagtail's picture and srcset_image
tags write.

Wagtail never enlarges an image, so asking a 600 px picture for 800 and 1,200
px renditions gives two more 600 px files, and `srcset` then names the same
width twice: invalid HTML (the Nu checker refuses it) and a choice the browser
cannot make. The first rendition of each width is kept, the rest dropped.
"""

from wagtail.images.models import AbstractRendition, ResponsiveImage


def width_srcset(renditions: list[AbstractRendition]) -> str:
    """`url 480w, url 600w`: each width once, in the order given."""
    widths = set()
    unique = []
    for rendition in renditions:
        if rendition.width not in widths:
            widths.add(rendition.width)
            unique.append(rendition)
    if len(unique) == 1:
        # A single candidate needs no width descriptor.
        return unique[0].url
    return ", ".join(f"{rendition.url} {rendition.width}w" for rendition in unique)


def install() -> None:
    """Make Wagtail's responsive images write `width_srcset`."""
    ResponsiveImage.get_width_srcset = classmethod(
        lambda cls, renditions: width_srcset(renditions)
    )
