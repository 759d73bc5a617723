from django.utils.translation import gettext_lazy as _

from wagtail.fields import StreamField

from briefings.models import DigestIndexPage, DigestPage
from bulletins.blocks import BulletinSectionsBlock


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

    parent_page_types = ["bulletins.BulletinIndexPage"]
    subpage_types: list[str] = []
    template = "briefings/digest_page.html"

    class Meta:
        verbose_name = _("Arms Trade Bulletin")
        verbose_name_plural = _("Arms Trade Bulletins")


class BulletinIndexPage(DigestIndexPage):
    issue_model = BulletinPage

    parent_page_types = ["site_config.HomePage"]
    subpage_types = ["bulletins.BulletinPage"]
    max_count_per_parent = 1
    template = "briefings/digest_index_page.html"

    class Meta:
        verbose_name = _("Arms Trade Bulletin archive")
