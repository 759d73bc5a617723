"""Fixtures of the news tests: a real feed server on 127.0.0.1."""

import pytest

from tests.briefings.news.feeds import local_feed_server


@pytest.fixture(scope="module")
def running_feed_server():
    with local_feed_server() as running:
        yield running


@pytest.fixture
def server(running_feed_server):
    """The module's feed server, with no request expected or recorded yet."""
    running_feed_server.clear()
    yield running_feed_server
    running_feed_server.clear()
