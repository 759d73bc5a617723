"""A chooser for news items, used by the digest sections' news item block."""

from django.db.models import Case, IntegerField, Value, When
from django.utils.translation import gettext_lazy as _

from wagtail.admin.viewsets.chooser import ChooserViewSet

from briefings.news.choices import NewsStatus
from briefings.news.models import NewsItem


class NewsItemChooserViewSet(ChooserViewSet):
    model = NewsItem
    icon = "openquote"
    choose_one_text = _("Choose a news item")
    choose_another_text = _("Choose another news item")
    edit_item_text = _("Inspect")
    per_page = 30

    def get_object_list(self):
        """Shortlisted items first, then new ones; dismissed items never."""
        return (
            NewsItem.objects.inbox()
            .exclude(status=NewsStatus.DISMISSED)
            .select_related("source")
            .annotate(
                shortlist_rank=Case(
                    When(status=NewsStatus.SHORTLISTED, then=Value(0)),
                    When(status=NewsStatus.NEW, then=Value(1)),
                    default=Value(2),
                    output_field=IntegerField(),
                )
            )
            .order_by("shortlist_rank", "-published_at", "-pk")
        )


news_item_chooser_viewset = NewsItemChooserViewSet("news_item_chooser")
