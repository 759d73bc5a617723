"""Mailing lists and subscribers, and sending backends that count or crash."""

import factory

from briefings.newsletter.choices import SubscriberStatus
from briefings.newsletter.models import MailingList, Subscriber, Subscription
from briefings.newsletter.send import DjangoEmailSendingBackend


class MailingListFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MailingList
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"List {n}")
    slug = factory.Sequence(lambda n: f"list-{n}")
    from_name = "The Institute"
    from_email = "briefing@institute.example"
    reply_to = "editors@institute.example"

    class Params:
        briefing = factory.Trait(
            name="Monthly Briefing",
            slug="briefing",
            digest_type="briefings.briefingpage",
        )


class SubscriberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subscriber
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"reader{n}@example.org")
    language = "en"
    status = SubscriberStatus.CONFIRMED

    class Params:
        pending = factory.Trait(status=SubscriberStatus.PENDING)

    @factory.post_generation
    def lists(self, create, extracted, **kwargs):
        for mailing_list in extracted or ():
            Subscription.objects.create(subscriber=self, mailing_list=mailing_list)


class CountingRender:
    """The real renderer, counting calls per language."""

    def __init__(self, real):
        self.real = real
        self.calls: list[str] = []

    def __call__(self, page, *, base_url, language=None):
        self.calls.append(page.locale.language_code)
        return self.real(page, base_url=base_url, language=language)


class CrashingBackend(DjangoEmailSendingBackend):
    """Django's locmem backend underneath, dying after a number of messages."""

    def __init__(self, crash_after: int):
        super().__init__()
        self.crash_after = crash_after
        self.sent = 0

    def send(self, message):
        if self.sent >= self.crash_after:
            raise ConnectionResetError("the SMTP connection dropped")
        super().send(message)
        self.sent += 1
