import datetime

import factory
import wagtail_factories

from briefings.models import BriefingIndexPage, BriefingPage
from bulletins.models import BulletinIndexPage, BulletinPage


class BriefingIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = BriefingIndexPage

    title = "Briefing"
    slug = "briefing"
    intro = "Every month, an editorial and a selection of news."


class BriefingPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = BriefingPage

    title = factory.Sequence(lambda n: f"Briefing {n}")
    issue_date = factory.Sequence(
        lambda n: datetime.date(2019, 1, 15) + datetime.timedelta(days=31 * n)
    )
    focus_title = factory.Sequence(lambda n: f"Focus topic {n}")
    standfirst = "A short introduction to the issue."
    editorial = "<p>What we think this month.</p>"


class BulletinIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = BulletinIndexPage

    title = "Arms Trade Bulletin"
    slug = "arms-trade-bulletin"


class BulletinPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = BulletinPage

    title = factory.Sequence(lambda n: f"Arms Trade Bulletin {n}")
    issue_date = factory.Sequence(
        lambda n: datetime.date(2019, 2, 28) + datetime.timedelta(days=61 * n)
    )
    period_label = ""
    focus_title = factory.Sequence(lambda n: f"Arms focus {n}")
    editorial = "<p>Arms transfers this season.</p>"
