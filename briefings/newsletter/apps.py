from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsletterConfig(AppConfig):
    """Mailing lists, subscribers and their consent, and sending digests to them."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "briefings.newsletter"
    label = "newsletter"
    verbose_name = _("Newsletter")

    def ready(self) -> None:
        from wagtail.signals import page_published

        # The email provider's reports (anymail's tracking signal).
        from briefings.newsletter import webhooks  # noqa: F401
        from briefings.newsletter.schedule import page_published_receiver

        # Sends that wait for their page start when it goes live, also when
        # `publish_scheduled` publishes it.
        page_published.connect(
            page_published_receiver, dispatch_uid="newsletter_scheduled_sends"
        )
