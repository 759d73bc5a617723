"""The browser fixtures, the network guard and the axe helper work."""

import pytest
from playwright.sync_api import expect

from tests.e2e import axe
from tests.e2e.axe import assert_no_axe_violations

DOT = "data:image/gif;base64,R0lGODlhAQABAAAAACw="
CLEAN_PAGE = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Clean</title></head>
<body><main><h1>Clean</h1><img src="{DOT}" alt="A dot"></main></body></html>"""
BROKEN_PAGE = CLEAN_PAGE.replace(' alt="A dot"', ' id="no-alt"')


def test_browser_tests_are_marked_e2e(request):
    assert request.node.get_closest_marker("e2e") is not None


def test_admin_login_page_renders_with_its_styles(live_server, page):
    page.goto(f"{live_server.url}/admin/login/")

    expect(page).to_have_title("Sign in - Wagtail")
    expect(page.get_by_role("heading", name="Sign in to Wagtail")).to_be_visible()
    expect(page.get_by_label("Username")).to_be_visible()
    # The stylesheet came from the live server: the sign-in button is styled.
    button = page.get_by_role("button", name="Sign in")
    assert button.evaluate("el => getComputedStyle(el).borderRadius") != "0px"


def test_user_created_in_the_test_can_sign_in(live_server, page, django_user_model):
    # The ORM works in a test that drives the browser (DJANGO_ALLOW_ASYNC_UNSAFE).
    django_user_model.objects.create_superuser("editor", "editor@example.org", "pw")
    page.goto(f"{live_server.url}/admin/login/")

    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("pw")
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_url(f"{live_server.url}/admin/")


def test_admin_login_page_has_no_axe_violations(live_server, page):
    page.goto(f"{live_server.url}/admin/login/")

    assert_no_axe_violations(page, context="admin login")


def test_axe_passes_a_clean_page(page):
    page.set_content(CLEAN_PAGE)

    assert_no_axe_violations(page)


def test_axe_lists_each_violation_with_its_nodes(page):
    page.set_content(BROKEN_PAGE)

    with pytest.raises(pytest.fail.Exception) as failure:
        assert_no_axe_violations(page, context="image without alt")

    report = str(failure.value)
    assert report.startswith(
        "axe found 1 violation on about:blank (image without alt):"
    )
    assert "- image-alt [critical] Images must have alternative text" in report
    assert "    at #no-alt\n" in report
    assert (
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" id="no-alt">' in report
    )


def test_missing_axe_skips_outside_ci(page, monkeypatch, tmp_path):
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr(axe, "AXE_JS", tmp_path / "axe.min.js")

    with pytest.raises(pytest.skip.Exception, match="`make test` installs"):
        assert_no_axe_violations(page)


def test_missing_axe_fails_in_ci(page, monkeypatch, tmp_path):
    monkeypatch.setenv("CI", "true")
    monkeypatch.setattr(axe, "AXE_JS", tmp_path / "axe.min.js")

    with pytest.raises(pytest.fail.Exception, match="axe-core is not installed"):
        assert_no_axe_violations(page)


def test_requests_to_other_hosts_are_aborted_in_the_browser(page, blocked_requests):
    failures = []
    page.on("requestfailed", lambda request: failures.append(request))

    page.set_content('<img src="http://example.com/x.png" alt="">')

    assert blocked_requests == ["http://example.com/x.png"]
    # Aborted by the route, before any connection: Chromium says ".Inspector".
    [failed] = failures
    assert failed.url == "http://example.com/x.png"
    assert failed.failure == "net::ERR_BLOCKED_BY_CLIENT.Inspector"
