"""Runs after tests/e2e in a full run: the browser must leave nothing behind."""

import asyncio
import os

import pytest


def test_no_event_loop_is_left_running():
    with pytest.raises(RuntimeError):
        asyncio.get_running_loop()


def test_django_async_safety_is_back_on():
    assert "DJANGO_ALLOW_ASYNC_UNSAFE" not in os.environ
