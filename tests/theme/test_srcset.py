"""A picture smaller than the widths asked for names each width once."""

import re

from django.template import engines

import pytest

from tests.publications.factories import CoverImageFactory

pytestmark = pytest.mark.django_db

TEMPLATE = engines["django"].from_string(
    "{% load wagtailimages_tags %}"
    "{% picture image format-{webp,jpeg} width-{480,800,1200} "
    'sizes="100vw" alt="" %}'
)


def candidate_widths(html: str) -> list[list[str]]:
    return [
        re.findall(r" (\d+w)", srcset)
        for srcset in re.findall(r'srcset="([^"]*)"', html)
    ]


def test_a_small_picture_names_each_width_once():
    image = CoverImageFactory(file__width=600, file__height=400)

    html = TEMPLATE.render({"image": image})

    # 800 and 1,200 both give the 600 px original: one candidate for it.
    assert candidate_widths(html) == [["480w", "600w"], ["480w", "600w"]]


def test_a_picture_narrower_than_every_width_has_one_candidate():
    image = CoverImageFactory(file__width=300, file__height=200)

    html = TEMPLATE.render({"image": image})

    assert candidate_widths(html) == [[], []]
    assert html.count("srcset=") == 2


def test_a_large_picture_keeps_every_width():
    image = CoverImageFactory(file__width=1600, file__height=1000)

    html = TEMPLATE.render({"image": image})

    assert candidate_widths(html) == [["480w", "800w", "1200w"]] * 2
