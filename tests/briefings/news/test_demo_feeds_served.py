"""The demo feeds served by the site itself, in development only."""

import importlib

from django.urls import reverse

import pytest

from briefings.news.demo import DEMO_FEEDS_DIR
from briefings.news.ingest.refresh import source_ingest
from tests.briefings.news.factories import NewsSourceFactory
from tests.site_config.test_settings import PRODUCTION_ENV, run_manage

HELD_BACK = "gold-supply-chain-watch.xml"


def _url(name: str) -> str:
    return reverse("news_demo_feed", args=[name])


@pytest.mark.django_db
def test_the_demo_feeds_are_not_served_unless_the_setting_says_so(client, settings):
    settings.NEWS_DEMO_FEEDS_SERVED = False

    assert client.get(_url(HELD_BACK)).status_code == 404


@pytest.mark.django_db
def test_a_demo_feed_is_served_with_its_type_in_development(client, settings):
    settings.NEWS_DEMO_FEEDS_SERVED = True

    rss = client.get(_url(HELD_BACK))
    atom = client.get(_url("arms-transfers-observer.atom"))

    assert rss.status_code == 200
    assert rss["Content-Type"] == "application/rss+xml; charset=utf-8"
    assert rss.content == (DEMO_FEEDS_DIR / HELD_BACK).read_bytes()
    assert atom["Content-Type"].startswith("application/atom+xml")
    assert client.get(_url("README.md")).status_code == 404
    assert client.get(_url("..%2Fdemo.py")).status_code == 404
    assert client.get("/demo-feeds/moved/" + HELD_BACK).status_code == 404


def test_only_development_settings_serve_the_feeds_and_allow_loopback():
    dev = importlib.import_module("site_config.settings.dev")
    base = importlib.import_module("site_config.settings.base")

    assert dev.NEWS_DEMO_FEEDS_SERVED is True
    assert "127.0.0.1/32" in dev.FEEDS_ALLOWED_NETWORKS
    assert base.NEWS_DEMO_FEEDS_SERVED is False
    assert base.FEEDS_ALLOWED_NETWORKS == []


def test_production_settings_allow_no_loopback_and_serve_no_demo_feed():
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; "
        "print(settings.FEEDS_ALLOWED_NETWORKS, settings.NEWS_DEMO_FEEDS_SERVED)",
        env=PRODUCTION_ENV,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[] False"


@pytest.mark.django_db(transaction=True)
def test_fetching_the_held_back_demo_source_from_the_site_brings_new_items(
    live_server, settings
):
    settings.NEWS_DEMO_FEEDS_SERVED = True
    source = NewsSourceFactory(feed_url=f"{live_server.url}{_url(HELD_BACK)}")

    report = source_ingest(source=source, force=True)

    assert report.error == ""
    assert report.new == 11
    source.refresh_from_db()
    assert source.state().kind == "healthy"
