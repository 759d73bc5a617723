import pytest

from briefings.models import BriefingPage
from briefings.newsletter.demo import mailing_demo_ensure
from briefings.newsletter.models import MailingList, Subscriber

pytestmark = pytest.mark.django_db


def test_demo_lists_are_created_once():
    carried = {"monthly-briefing": BriefingPage}
    assert mailing_demo_ensure(carried=carried) == {
        "mailing lists": 3,
        "subscribers": 3,
    }
    assert mailing_demo_ensure(carried=carried) == {
        "mailing lists": 0,
        "subscribers": 0,
    }
    assert list(MailingList.objects.values_list("name", flat=True)) == [
        "Monthly Briefing",
        "Arms Trade Bulletin",
        "Business & Human Rights in Tanzania quarterly",
    ]
    sam = Subscriber.objects.get(email="sam.analyst@example.org")
    assert sam.lists.count() == 3
    assert sam.consents.get().source == "demo content"
    carriers = dict(MailingList.objects.values_list("slug", "digest_type"))
    assert carriers["monthly-briefing"] == "briefings.briefingpage"
    assert carriers["tanzania-bhr-quarterly"] == ""
