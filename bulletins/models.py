from django.utils.translation import gettext_lazy as _

from wagtail.fields import StreamField

from briefings.models import DigestIndexPage, DigestPage
from bulletins.blocks import BulletinSectionsBlock
from bulletins.choices import BulletinRegion


def region_of(heading: str) -> str | None:
    """The region a heading names (“Africa”, “africa”), if it names one."""
    wanted = heading.strip().casefold()
    for value, label in BulletinRegion.choices:
        if wanted in (value, str(label).casefold()):
            return value
    return None


class BulletinPage(DigestPage):
    """The bimonthly Arms Trade Bulletin: an editorial, then news by region."""

    sections = StreamField(
        BulletinSectionsBlock(),
        blank=True,
        verbose_name=_("sections"),
        help_text=_(
            "Articles by region and theme. Add news items from the inbox with "
            "“Add to the draft digest chosen”."
        ),
    )

    feed_url_name = "bulletins_feed"
    digest_name = _("Arms Trade Bulletin")
    section_suggestions = tuple(label for _value, label in BulletinRegion.choices)

    parent_page_types = ["bulletins.BulletinIndexPage"]
    subpage_types: list[str] = []
    template = "briefings/digest_page.html"

    class Meta:
        verbose_name = _("Arms Trade Bulletin")
        verbose_name_plural = _("Arms Trade Bulletins")

    @classmethod
    def section_matches(cls, value: dict, heading: str) -> bool:
        """A heading that names a region also finds that region's untitled section."""
        if super().section_matches(value, heading):
            return True
        region = region_of(heading)
        untitled = not value.get("heading") and not value.get("theme")
        return bool(region) and untitled and value.get("region") == region

    @classmethod
    def section_new(cls, heading: str) -> dict:
        """A section of the region the heading names (headed by it), else “Global”."""
        region = region_of(heading)
        return {
            "region": region or "global",
            "theme": "",
            **super().section_new("" if region else heading),
        }

    @classmethod
    def section_heading(cls, value: dict) -> str:
        """The heading given, else the region and theme: “Africa — Arms transfers”."""
        heading = super().section_heading(value)
        if heading:
            return heading
        region = value.get("region") or ""
        label = str(BulletinRegion(region).label) if region in BulletinRegion else ""
        theme = (value.get("theme") or "").strip()
        return " — ".join(part for part in (label, theme) if part)


class BulletinIndexPage(DigestIndexPage):
    issue_model = BulletinPage

    parent_page_types = ["site_config.HomePage"]
    subpage_types = ["bulletins.BulletinPage"]
    max_count_per_parent = 1
    template = "briefings/digest_index_page.html"

    class Meta:
        verbose_name = _("Arms Trade Bulletin archive")
