"""Guessing passwords at the sign-in forms, from the attacker's side.

Policy (settings, "Security"): five failures for one username from one
address lock that pair for an hour after the last failure; staff with the
unlock permission can lift it sooner in Settings > Locked sign-ins.
"""

import re
from datetime import timedelta

from django.contrib.auth.models import AnonymousUser, Group, Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest
from axes.models import AccessAttempt

from site_config.login_throttle import LOCKED_MESSAGE, lockout_response

pytestmark = pytest.mark.django_db

PASSWORD = "the-right-password-42"
ATTACKER = "203.0.113.66"
OWNER = "198.51.100.20"
LOCKED = str(LOCKED_MESSAGE)
INVALID = "and password didn&#x27;t match"


@pytest.fixture
def partner(django_user_model):
    """Someone who signs in to Wagtail's admin (a Voices author, say)."""
    user = django_user_model.objects.create_user(
        "apde", "apde@example.org", PASSWORD, first_name="Amani"
    )
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


@pytest.fixture
def admin_user(django_user_model):
    return django_user_model.objects.create_superuser(
        "root", "root@example.org", PASSWORD
    )


def sign_in(client, username, password, *, address=ATTACKER, url=None, **headers):
    return client.post(
        url or reverse("wagtailadmin_login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        **headers,
    )


def fail(client, username, times, **kwargs):
    return [sign_in(client, username, "wrong-guess", **kwargs) for _ in range(times)]


def signed_in(client) -> bool:
    return client.get(reverse("wagtailadmin_home")).status_code == 200


def test_four_failures_do_not_lock_the_fifth_does(client, partner):
    for response in fail(client, "apde", 4):
        assert response.status_code == 200
        assert INVALID in response.content.decode()
        assert LOCKED not in response.content.decode()

    fifth = sign_in(client, "apde", "wrong-guess")

    assert fifth.status_code == 429
    assert AccessAttempt.objects.get(username="apde").failures_since_start == 5


def test_the_locked_page_is_the_login_form_with_a_clear_message(client, partner):
    fail(client, "apde", 5)

    response = sign_in(client, "apde", "wrong-guess")

    html = response.content.decode()
    assert response.status_code == 429
    assert response["Content-Type"].startswith("text/html")
    # Wagtail's login page, the message where its errors go, and only that one.
    assert '<form class="login-form"' in html
    assert f'<li class="error">{LOCKED}</li>' in html.replace("&#x27;", "'")
    assert INVALID not in html


def test_the_right_password_is_refused_while_locked(client, partner):
    fail(client, "apde", 5)

    response = sign_in(client, "apde", PASSWORD)

    assert response.status_code == 429
    assert not signed_in(client)


def test_the_owner_signs_in_from_another_address(client, partner):
    fail(client, "apde", 5)

    response = sign_in(Client(), "apde", PASSWORD, address=OWNER)

    assert response.status_code == 302
    # ...while the attacker's address stays locked for that username.
    assert sign_in(client, "apde", PASSWORD).status_code == 429


def test_other_usernames_from_the_locked_address_are_not_locked(
    client, partner, admin_user
):
    fail(client, "apde", 5)

    assert sign_in(client, "root", PASSWORD).status_code == 302


def test_behind_the_proxy_each_visitor_is_counted_apart(settings, partner):
    """One proxy in front: the address it appended counts, not the client's text."""
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.1"
    attacker = Client()
    for forged in range(5):
        # Whatever the attacker writes first, the proxy appends the truth.
        fail(
            attacker,
            "apde",
            1,
            address=proxy,
            HTTP_X_FORWARDED_FOR=f"192.0.2.{forged}, {ATTACKER}",
        )

    locked = sign_in(
        attacker,
        "apde",
        PASSWORD,
        address=proxy,
        HTTP_X_FORWARDED_FOR=f"192.0.2.99, {ATTACKER}",
    )
    owner = sign_in(
        Client(), "apde", PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR=OWNER
    )

    assert locked.status_code == 429
    assert owner.status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}


def test_django_admin_login_is_throttled_too(client, admin_user):
    url = reverse("admin:login")
    fail(client, "root", 5, url=url)

    response = sign_in(client, "root", PASSWORD, url=url)

    assert response.status_code == 429
    html = response.content.decode().replace("&#x27;", "'")
    assert LOCKED in html
    assert "enter a correct username and password" not in html
    assert client.get(reverse("admin:index")).status_code == 302


def test_failed_passwords_are_not_stored(client, partner):
    sign_in(client, "apde", "hunter2-almost-right")

    attempt = AccessAttempt.objects.get()
    assert "hunter2" not in attempt.post_data
    assert "password=****" in attempt.post_data


def test_the_lock_ends_an_hour_after_the_last_failure(client, partner):
    fail(client, "apde", 5)
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - timedelta(hours=1, minutes=1)
    )

    assert sign_in(client, "apde", PASSWORD).status_code == 302
    assert signed_in(client)


def test_staff_see_the_lock_and_unlock_it(client, partner, admin_user):
    fail(Client(), "apde", 5)
    client.force_login(admin_user)

    listing = client.get(reverse("site_config_locked_sign_ins"))
    html = listing.content.decode()
    assert listing.status_code == 200
    assert "apde" in html
    assert ATTACKER in html
    assert "Unlock apde" in html
    # The header names the screen (not only the "Home" breadcrumb).
    assert re.search(r"<h1[^>]*>\s*(<svg.*?</svg>)?\s*Locked sign-ins", html, re.S)

    unlocked = client.post(
        reverse("site_config_locked_sign_ins"),
        {"username": "apde", "ip_address": ATTACKER},
        follow=True,
    )

    assert "“apde” may sign in again from 203.0.113.66." in unlocked.content.decode()
    assert not AccessAttempt.objects.exists()
    assert sign_in(Client(), "apde", PASSWORD).status_code == 302


def test_unlocking_one_pair_leaves_the_others_locked(client, partner, admin_user):
    fail(Client(), "apde", 5)
    fail(Client(), "apde", 5, address=OWNER)
    client.force_login(admin_user)

    client.post(
        reverse("site_config_locked_sign_ins"),
        {"username": "apde", "ip_address": ATTACKER},
    )

    assert sign_in(Client(), "apde", PASSWORD, address=OWNER).status_code == 429
    assert sign_in(Client(), "apde", PASSWORD).status_code == 302


def test_a_group_given_the_permission_may_unlock(client, partner, django_user_model):
    helpdesk = Group.objects.create(name="Helpdesk")
    helpdesk.permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(
            content_type__app_label="axes", codename="delete_accessattempt"
        ),
    )
    staff = django_user_model.objects.create_user("helper", password=PASSWORD)
    staff.groups.add(helpdesk)
    fail(Client(), "apde", 5)
    client.force_login(staff)

    response = client.post(
        reverse("site_config_locked_sign_ins"),
        {"username": "apde", "ip_address": ATTACKER},
    )

    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()


@pytest.mark.parametrize("who", ["partner", "editor"])
def test_without_the_permission_nobody_sees_or_lifts_locks(
    who, client, partner, django_user_model
):
    if who == "editor":
        user = django_user_model.objects.create_user("eda", password=PASSWORD)
        user.groups.add(Group.objects.get(name="Editors"))
    else:
        user = partner
    fail(Client(), "apde", 5)
    client.force_login(user)

    listing = client.get(reverse("site_config_locked_sign_ins"))
    unlock = client.post(
        reverse("site_config_locked_sign_ins"),
        {"username": "apde", "ip_address": ATTACKER},
    )
    home = client.get(reverse("wagtailadmin_home"))

    assert listing.status_code == unlock.status_code == 302
    assert listing["Location"] == reverse("wagtailadmin_home")
    assert ATTACKER not in listing.content.decode()
    assert AccessAttempt.objects.get().failures_since_start == 5
    assert "Locked sign-ins" not in home.content.decode()


def test_the_menu_offers_the_screen_to_those_who_may_unlock(client, admin_user):
    client.force_login(admin_user)

    home = client.get(reverse("wagtailadmin_home")).content.decode()

    assert "Locked sign-ins" in home
    assert reverse("site_config_locked_sign_ins") in home


def test_wagtail_group_editor_offers_the_unlock_permission(client, admin_user):
    client.force_login(admin_user)

    page = client.get(reverse("wagtailusers_groups:add")).content.decode()

    permission = Permission.objects.get(codename="delete_accessattempt")
    assert f'value="{permission.pk}"' in page


def test_an_incomplete_unlock_form_changes_nothing(client, partner, admin_user):
    fail(Client(), "apde", 5)
    client.force_login(admin_user)

    response = client.post(
        reverse("site_config_locked_sign_ins"), {"username": "apde"}, follow=True
    )

    assert "Nothing to unlock" in response.content.decode()
    assert AccessAttempt.objects.get().failures_since_start == 5


def test_unlocking_what_is_no_longer_locked_says_so(client, admin_user):
    client.force_login(admin_user)

    response = client.post(
        reverse("site_config_locked_sign_ins"),
        {"username": "apde", "ip_address": ATTACKER},
        follow=True,
    )

    assert "no longer locked" in response.content.decode()
    assert "No sign-in is locked." in response.content.decode()


def test_a_request_without_an_address_is_counted_without_one(client, partner):
    """A Unix socket gives no address: the failure is still recorded (no 500)."""
    response = sign_in(client, "apde", "wrong-guess", address="")

    assert response.status_code == 200
    assert AccessAttempt.objects.get().ip_address is None


def test_a_lock_outside_a_login_form_still_explains_itself(rf):
    request = rf.post("/api/login/")
    request.user = AnonymousUser()

    response = lockout_response(request, None, {"username": "apde"})

    assert response.status_code == 429
    assert LOCKED in response.content.decode().replace("&#x27;", "'")
