"""The sections of a digest: news items, publications and links, with comments.

Every item keeps a copy of what the reader sees (title, source, date, link,
summary), so an issue still reads the same when the news item it came from is
deleted or the publication is unpublished. Choosing a news item or a
publication fills the empty copied fields when the page is saved.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

from briefings.news.chooser import news_item_chooser_viewset
from briefings.news.ingest.clean import text_from_html

NewsItemChooserBlock = news_item_chooser_viewset.get_block_class(
    name="NewsItemChooserBlock", module_path="briefings.blocks"
)


class CopiedFieldsBlock(blocks.StructBlock):
    """Title, source, date, link and summary as the reader sees them."""

    title = blocks.CharBlock(label=_("title"), max_length=500, required=False)
    source = blocks.CharBlock(label=_("source"), max_length=255, required=False)
    date = blocks.DateBlock(label=_("date"), required=False)
    url = blocks.URLBlock(label=_("link"), max_length=2000, required=False)
    summary = blocks.TextBlock(label=_("summary"), required=False)
    comment = blocks.TextBlock(
        label=_("staff comment"),
        required=False,
        help_text=_("Why this matters; shown under the summary."),
    )

    def copy_from_origin(self, value) -> None:
        """Fill empty copied fields from the chosen news item or publication."""

    def clean(self, value):
        value = super().clean(value)
        self.copy_from_origin(value)
        if not (value.get("title") or "").strip():
            raise StructBlockValidationError(
                block_errors={
                    "title": ValidationError(
                        _("Give the item a title, or choose where it comes from.")
                    )
                }
            )
        return value


class NewsItemBlock(CopiedFieldsBlock):
    news_item = NewsItemChooserBlock(label=_("news item"), required=False)

    class Meta:
        icon = "openquote"
        label = _("News item")
        form_classname = "struct-block digest-news-item"
        description = _(
            "An article from the news inbox; its details are copied and stay editable."
        )
        preview_value = {
            "title": "Artisanal miners return to the gold sites of Ituri",
            "source": "Great Lakes minerals desk",
            "summary": "Traders report more gold leaving the province.",
        }

    def copy_from_origin(self, value) -> None:
        item = value.get("news_item")
        if item is None:
            return
        copied = {
            "title": item.title,
            "source": item.source.title,
            "date": item.published_at.date() if item.published_at else None,
            "url": item.original_url(),
            "summary": text_from_html(item.summary_html),
        }
        for name, copy in copied.items():
            if not value.get(name) and copy:
                value[name] = copy


class PublicationBlock(CopiedFieldsBlock):
    publication = blocks.PageChooserBlock(
        label=_("publication"),
        page_type="publications.PublicationPage",
        required=False,
    )

    class Meta:
        icon = "doc-full"
        label = _("Publication")
        description = _("A report or map from the library; it links into the library.")

    def copy_from_origin(self, value) -> None:
        page = value.get("publication")
        if page is None:
            return
        page = page.specific
        copied = {
            "title": page.title,
            "date": getattr(page, "publication_date", None),
            "summary": getattr(page, "summary", ""),
        }
        for name, copy in copied.items():
            if not value.get(name) and copy:
                value[name] = copy


class ExternalLinkBlock(CopiedFieldsBlock):
    class Meta:
        icon = "link-external"
        label = _("External link")
        description = _("Any article on the web, typed in by hand.")

    def clean(self, value):
        value = super().clean(value)
        if not value.get("url"):
            raise StructBlockValidationError(
                block_errors={
                    "url": ValidationError(_("An external link needs a link."))
                }
            )
        return value


class DigestItemsBlock(blocks.StreamBlock):
    news_item = NewsItemBlock()
    publication = PublicationBlock()
    link = ExternalLinkBlock()

    class Meta:
        icon = "list-ul"
        label = _("Items")


class DigestSectionBlock(blocks.StructBlock):
    """A heading, an optional introduction and the items under it."""

    heading = blocks.CharBlock(label=_("heading"), max_length=255)
    intro = blocks.TextBlock(label=_("introduction"), required=False)
    items = DigestItemsBlock(required=False)

    class Meta:
        icon = "folder-open-inverse"
        label = _("Section")
        description = _("A group of items under one heading, e.g. “Natural resources”.")


class DigestSectionsBlock(blocks.StreamBlock):
    """The sections of a Briefing."""

    section = DigestSectionBlock()

    class Meta:
        icon = "list-ul"


def date_from_raw(value) -> datetime.date | None:
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None
