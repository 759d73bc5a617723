"""Staff side of the newsletter: send actions, progress, subscribers, CSV."""

import csv
import io

from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

import pytest

from briefings.newsletter.choices import ConsentAction, DeliveryStatus, SubscriberStatus
from briefings.newsletter.models import ConsentRecord, Delivery, Dispatch, Subscriber
from tests.briefings.newsletter.factories import MailingListFactory, SubscriberFactory

pytestmark = pytest.mark.django_db


MAILING_PERMISSIONS = [
    "send_digest",
    "view_subscriber",
    "add_subscriber",
    "change_subscriber",
    "view_mailinglist",
]


def _staff(django_user_model, username, codenames):
    from wagtail.models import GroupPagePermission, Page

    user = django_user_model.objects.create_user(
        username, f"{username}@institute.example", "pw", is_staff=True
    )
    group = Group.objects.create(name=f"group of {username}")
    for codename in ("add_page", "change_page", "publish_page"):
        GroupPagePermission.objects.create(
            group=group,
            page=Page.get_first_root_node(),
            permission=Permission.objects.get(codename=codename),
        )
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        *Permission.objects.filter(
            content_type__app_label="newsletter", codename__in=codenames
        ),
    )
    user.groups.add(group)
    return user


@pytest.fixture
def sender(django_user_model):
    return _staff(django_user_model, "sender", MAILING_PERMISSIONS)


@pytest.fixture
def partner(django_user_model):
    """Someone in the admin with no newsletter permission (a Voices partner)."""
    return _staff(django_user_model, "partner", [])


@pytest.fixture
def readers(briefing_list):
    return [
        SubscriberFactory(language=language, lists=[briefing_list])
        for language in ("en", "en", "fr", "sw")
    ]


def test_send_buttons_only_for_senders_on_published_digests(
    client, issue, sender, partner
):
    edit = reverse("wagtailadmin_pages:edit", args=[issue.pk])
    client.force_login(sender)
    content = client.get(edit).content.decode()
    assert reverse("newsletter_digest_send", args=[issue.pk]) in content
    assert reverse("newsletter_digest_send_test", args=[issue.pk]) in content
    # Not on other pages.
    home_edit = reverse("wagtailadmin_explore", args=[issue.get_parent().pk])
    assert "newsletter/send/" not in client.get(home_edit).content.decode()
    # Not on drafts, where only a test can be sent.
    issue.unpublish()
    content = client.get(edit).content.decode()
    assert reverse("newsletter_digest_send", args=[issue.pk]) + '"' not in content
    assert reverse("newsletter_digest_send_test", args=[issue.pk]) in content


def test_staff_without_permission_see_no_newsletter_menu_or_views(
    client, issue, partner, briefing_list
):
    client.force_login(partner)
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    for label in ("Newsletter", "Subscribers", "Dispatches", "Mailing lists"):
        assert label not in dashboard
    for url in (
        reverse("newsletter_digest_send", args=[issue.pk]),
        reverse("newsletter_digest_send_test", args=[issue.pk]),
        reverse("newsletter_dispatch_index"),
        reverse("newsletter_subscribers_import"),
        reverse("subscriber:index"),
    ):
        response = client.get(url)
        assert response.status_code in (302, 403), url
    response = client.post(
        reverse("newsletter_digest_send", args=[issue.pk]),
        {"mailing_list": briefing_list.pk},
    )
    assert response.status_code in (302, 403)
    assert not Dispatch.objects.exists()


def test_sender_sees_the_menu(client, sender):
    client.force_login(sender)
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Subscribers" in dashboard
    assert "Dispatches" in dashboard


def test_send_to_list_confirms_counts_then_sends_in_the_background(
    client, issue, sender, briefing_list, readers, renders
):
    client.force_login(sender)
    url = reverse("newsletter_digest_send", args=[issue.pk])
    content = client.get(url).content.decode()
    assert "Monthly Briefing" in content
    assert "en: 3, fr: 1" in content  # sw falls back to the default language

    # The first step only leads to the confirmation; typing the name sends.
    confirm = client.post(url, {"mailing_list": briefing_list.pk})
    assert not Dispatch.objects.exists()
    response = client.post(confirm["Location"], {"confirm_name": "Monthly Briefing"})
    dispatch = Dispatch.objects.get()
    assert response["Location"] == reverse(
        "newsletter_dispatch_progress", args=[dispatch.pk]
    )
    assert dispatch.created_by == sender
    assert len(mail.outbox) == 4  # the immediate task backend ran it

    progress = client.get(response["Location"]).content.decode()
    assert "4 of 4 sent" in progress
    # The same issue cannot be sent twice.
    again = client.post(url, {"mailing_list": briefing_list.pk})
    assert again.status_code == 400
    again = client.post(confirm["Location"], {"confirm_name": "Monthly Briefing"})
    assert again.status_code == 400
    assert len(mail.outbox) == 4
    assert "already sent" in client.get(url).content.decode()
    assert (
        "Monthly Briefing"
        in client.get(reverse("newsletter_dispatch_index")).content.decode()
    )


def test_send_without_choosing_a_list(client, issue, sender, briefing_list):
    client.force_login(sender)
    response = client.post(reverse("newsletter_digest_send", args=[issue.pk]), {})
    assert response.status_code == 400
    assert "Choose a list." in response.content.decode()


def test_send_test_goes_to_the_staff_member(
    client, issue, sender, briefing_list, renders
):
    client.force_login(sender)
    url = reverse("newsletter_digest_send_test", args=[issue.pk])
    assert client.get(url).status_code == 200
    assert mail.outbox == []  # a GET sends nothing
    client.post(url, {"addresses": "sender@institute.example", "language": "en"})
    (message,) = mail.outbox
    assert message.to == ["sender@institute.example"]
    assert not Dispatch.objects.exists()


def test_progress_shows_failures_and_retries_them(
    client, issue, sender, briefing_list, readers, renders
):
    from briefings.newsletter.dispatch import dispatch_create

    dispatch = dispatch_create(page=issue, mailing_list=briefing_list)
    Delivery.objects.filter(pk=dispatch.deliveries.first().pk).update(
        status=DeliveryStatus.FAILED, error="550 no such mailbox"
    )
    client.force_login(sender)
    url = reverse("newsletter_dispatch_progress", args=[dispatch.pk])
    content = client.get(url).content.decode()
    assert "550 no such mailbox" in content
    assert "0 of 4 sent" in content
    client.post(url)
    assert len(mail.outbox) == 4
    assert "4 of 4 sent" in client.get(url).content.decode()


def test_subscribers_listing_filters_and_export(
    client, sender, briefing_list, django_assert_max_num_queries
):
    other = MailingListFactory(name="Tanzania quarterly", slug="tanzania")
    SubscriberFactory(email="a@example.org", language="fr", lists=[briefing_list])
    SubscriberFactory(email="b@example.org", language="sw", lists=[other])
    SubscriberFactory(email="c@example.org", pending=True)
    client.force_login(sender)
    index = reverse("subscriber:index")
    content = client.get(index, {"mailing_list": briefing_list.pk}).content.decode()
    assert "a@example.org" in content
    assert "b@example.org" not in content
    content = client.get(index, {"status": "pending"}).content.decode()
    assert "c@example.org" in content and "a@example.org" not in content
    content = client.get(index, {"language": "sw"}).content.decode()
    assert "b@example.org" in content and "a@example.org" not in content
    content = client.get(index, {"q": "b@exa"}).content.decode()
    assert "b@example.org" in content and "a@example.org" not in content

    with django_assert_max_num_queries(40) as few:
        client.get(index)
    SubscriberFactory.create_batch(15, lists=[briefing_list, other])
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(index)

    response = client.get(index, {"export": "csv"})
    rows = list(
        csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode()))
    )
    by_email = {row["Email address"]: row for row in rows}
    assert by_email["a@example.org"]["Lists"] == "briefing"
    assert by_email["b@example.org"]["Language"] == "sw"


CSV_HEADER = "email,name,language,lists,consent,consent_text\n"


def _upload(client, text: str):
    return client.post(
        reverse("newsletter_subscribers_import"),
        {"file": SimpleUploadedFile("people.csv", text.encode(), "text/csv")},
    )


def test_csv_import_confirms_only_with_consent(client, sender, briefing_list):
    SubscriberFactory(
        email="left@example.org",
        status=SubscriberStatus.UNSUBSCRIBED,
    )
    client.force_login(sender)
    response = _upload(
        client,
        CSV_HEADER
        + "Yes@Example.org,Neema,sw,briefing,yes,Signed up at the Dar launch\n"
        + "no@example.org,,en,briefing,no,\n"
        + "left@example.org,,en,briefing,yes,\n",
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "left@example.org" in content
    yes = Subscriber.objects.get(email="yes@example.org")
    assert yes.status == SubscriberStatus.CONFIRMED
    assert yes.language == "sw"
    assert list(yes.lists.all()) == [briefing_list]
    record = ConsentRecord.objects.get(subscriber=yes)
    assert record.action == ConsentAction.IMPORTED
    assert record.form_text == "Signed up at the Dar launch"
    assert "people.csv" in record.source and "line 2" in record.source
    inspect = client.get(reverse("subscriber:inspect", args=[yes.pk]))
    assert "Imported with consent" in inspect.content.decode()
    no = Subscriber.objects.get(email="no@example.org")
    assert no.status == SubscriberStatus.PENDING
    assert not no.subscriptions.exists()
    left = Subscriber.objects.get(email="left@example.org")
    assert left.status == SubscriberStatus.UNSUBSCRIBED
    assert not left.subscriptions.exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("email,lists\n", "Missing columns: consent"),
        (CSV_HEADER + "not-an-address,,en,briefing,yes,\n", "Line 2: invalid address"),
        (CSV_HEADER + "a@example.org,,en,nope,yes,\n", "unknown lists: nope"),
        (CSV_HEADER + "a@example.org,,xx,briefing,yes,\n", "unknown language"),
        (
            CSV_HEADER + "a@example.org,,en,briefing,maybe,\n",
            "consent must be yes or no",
        ),
        (
            CSV_HEADER
            + "a@example.org,,en,briefing,yes,\nA@example.org,,en,briefing,yes,\n",
            "appears twice",
        ),
    ],
)
def test_csv_import_refuses_bad_files_and_imports_nothing(
    client, sender, briefing_list, text, message
):
    client.force_login(sender)
    response = _upload(client, text + "ok@example.org,,en,briefing,yes,\n")
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Subscriber.objects.exists()


def test_csv_import_refuses_a_binary_file(client, sender):
    client.force_login(sender)
    response = client.post(
        reverse("newsletter_subscribers_import"),
        {"file": SimpleUploadedFile("people.csv", b"\xff\xfe\x00bad", "text/csv")},
    )
    assert response.status_code == 400
    assert "not UTF-8" in response.content.decode()


def test_mailing_list_snippet_admin(client, sender, briefing_list):
    client.force_login(sender)
    response = client.get(reverse("wagtailsnippets_newsletter_mailinglist:list"))
    assert response.status_code == 200
    assert "Monthly Briefing" in response.content.decode()


def test_staff_can_suppress_but_never_confirm(client, sender, briefing_list):
    left = SubscriberFactory(
        email="left@example.org", status=SubscriberStatus.UNSUBSCRIBED
    )
    reader = SubscriberFactory(email="reader@example.org", lists=[briefing_list])
    client.force_login(sender)
    data = {"email": "left@example.org", "name": "", "language": "en"}
    response = client.post(
        reverse("subscriber:edit", args=[left.pk]), {**data, "status": "confirmed"}
    )
    assert response.status_code == 200
    assert "Only the person can confirm" in response.content.decode()
    left.refresh_from_db()
    assert left.status == SubscriberStatus.UNSUBSCRIBED

    response = client.post(
        reverse("subscriber:edit", args=[reader.pk]),
        {**data, "email": "reader@example.org", "status": "bounced"},
    )
    assert response.status_code == 302
    reader.refresh_from_db()
    assert reader.status == SubscriberStatus.BOUNCED
    assert reader.status_changed_at is not None
    # Added by hand: pending until they confirm.
    response = client.post(
        reverse("subscriber:add"),
        {
            "email": "new@example.org",
            "name": "",
            "language": "fr",
            "status": "confirmed",
        },
    )
    assert "Only the person can confirm" in response.content.decode()
    assert not Subscriber.objects.filter(email="new@example.org").exists()


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/admin/briefings/send/{issue}/", "/admin/newsletter/send/{issue}/"),
        ("/admin/briefings/send/{issue}/test/", "/admin/newsletter/send/{issue}/test/"),
        ("/admin/briefings/dispatches/", "/admin/newsletter/dispatches/"),
        ("/admin/briefings/dispatches/4/", "/admin/newsletter/dispatches/4/"),
        (
            "/admin/briefings/subscribers/import/",
            "/admin/newsletter/subscribers/import/",
        ),
        (
            "/admin/snippets/briefings/mailinglist/edit/2/?next=x",
            "/admin/snippets/newsletter/mailinglist/edit/2/?next=x",
        ),
    ],
)
def test_the_newsletter_screens_old_addresses_lead_to_the_new_ones(
    client, sender, issue, old, new
):
    client.force_login(sender)

    response = client.get(old.format(issue=issue.pk))

    assert response.status_code == 308
    assert response["Location"] == new.format(issue=issue.pk)


def test_an_old_address_leads_somewhere_that_still_checks_permissions(
    client, partner, issue
):
    client.force_login(partner)

    moved = client.get(f"/admin/briefings/send/{issue.pk}/")
    response = client.get(moved["Location"])

    assert moved["Location"] == f"/admin/newsletter/send/{issue.pk}/"
    assert response.status_code in (302, 403)
    assert "Send to list" not in response.content.decode()
