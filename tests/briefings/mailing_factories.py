import factory

from briefings.choices import SubscriberStatus
from briefings.models import MailingList, Subscriber, Subscription


class MailingListFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MailingList
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"List {n}")
    slug = factory.Sequence(lambda n: f"list-{n}")
    from_name = "The Institute"
    from_email = "briefing@institute.example"
    reply_to = "editors@institute.example"


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
