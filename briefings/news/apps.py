from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    """Feeds in, news items out: sources, ingestion and the editors' inbox."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "briefings.news"
    label = "news"
    verbose_name = _("News")
