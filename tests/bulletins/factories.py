import datetime

import factory
import wagtail_factories

from bulletins.models import BulletinIndexPage, BulletinPage


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
