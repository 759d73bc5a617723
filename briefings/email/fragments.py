"""The MJML and text of one digest item, built in Python for speed.

An issue has dozens of items; the Django template language costs about a
quarter of a millisecond per item and part, which would dominate the render.
The page skeleton stays in the templates (`digest.mjml`, `digest.txt`); these
functions write only the repeated item markup. Every value is escaped here.
"""

from django.utils.html import escape

from briefings.outline import OutlineItem

META_STYLE = "margin:0;font-size:14px;color:#555555"
META_CLASS = "muted"
COMMENT_STYLE = "margin:8px 0 0;padding-left:12px;border-left:3px solid #c8a200"


def _multiline(value: str) -> str:
    return escape(value).replace("\n", "<br>")


def _meta(item: OutlineItem, *, label_publication: str) -> str:
    origin = label_publication if item.is_publication else item.source
    return " · ".join(part for part in (origin, item.date_label) if part)


def item_mjml(item: OutlineItem, *, label_publication: str, label_comment: str) -> str:
    """One item as an MJML section: cover (if any), title link, meta, text."""
    url = escape(item.url)
    title = escape(item.title)
    heading = f'<a href="{url}" style="color:#0b5394">{title}</a>' if url else title
    parts = [f'<h3 style="font-size:18px;margin:0 0 4px" dir="auto">{heading}</h3>']
    if meta := _meta(item, label_publication=label_publication):
        parts.append(
            f'<p class="{META_CLASS}" style="{META_STYLE}" dir="auto">'
            f"{escape(meta)}</p>"
        )
    if item.summary:
        parts.append(
            f'<p style="margin:8px 0 0" dir="auto">{_multiline(item.summary)}</p>'
        )
    if item.comment:
        parts.append(
            f'<p style="{COMMENT_STYLE}" dir="auto"><strong>{escape(label_comment)}'
            f"</strong> {_multiline(item.comment)}</p>"
        )
    text = f'<mj-text css-class="wrap">{"".join(parts)}</mj-text>'
    if item.image is None:
        return (
            '<mj-section background-color="#ffffff" padding="0 0 8px" css-class="card">'
            f"<mj-column>{text}</mj-column></mj-section>\n"
        )
    image = item.image
    link = f' href="{url}"' if url else ""
    return (
        '<mj-section background-color="#ffffff" padding="0 0 8px" css-class="card">'
        f'<mj-column width="30%"><mj-image src="{escape(image.url)}" '
        f'alt="{escape(image.alt)}" width="{image.width}px" '
        f'height="{image.height}px"{link} padding="8px 24px" /></mj-column>'
        f'<mj-column width="70%">{text}</mj-column></mj-section>\n'
    )


def item_text(item: OutlineItem, *, label_publication: str, label_comment: str) -> str:
    """One item of the plain-text part: title, meta, address, summary, comment."""
    lines = [f"* {item.title}"]
    if meta := _meta(item, label_publication=label_publication):
        lines.append(f"  {meta}")
    if item.url:
        lines.append(f"  {item.url}")
    if item.summary:
        lines += ["", f"  {item.summary}"]
    if item.comment:
        lines += ["", f"  {label_comment} {item.comment}"]
    return "\n".join(lines) + "\n\n"
