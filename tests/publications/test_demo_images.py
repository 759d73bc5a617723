"""The demo's drawn pictures: maps of the places the sources name and a chart
of the 2019 turnover, the same bytes on every run, stored once with their
alternative text."""

import io

import pytest
from PIL import Image

from publications import demo_facts
from publications.demo_images import (
    COVERS,
    DemoChart,
    cover_draw,
    demo_cover_ensure,
    demo_hero_ensure,
    hero_draw,
)


def test_every_drawn_cover_belongs_to_a_demo_publication():
    slugs = {fact["slug"] for fact in demo_facts.PUBLICATIONS}

    assert set(COVERS) <= slugs
    assert all(cover.alt for cover in COVERS.values())


@pytest.mark.parametrize("slug", sorted(COVERS))
def test_a_cover_is_a_portrait_jpeg_drawn_the_same_each_time(slug):
    data = cover_draw(COVERS[slug])

    assert data == cover_draw(COVERS[slug])
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG"
        assert image.size == (600, 800)
        # Not a blank page: the dots, labels or bars are drawn.
        assert len(set(image.convert("L").getdata())) > 20


def test_the_chart_shows_the_turnover_by_source_from_the_annual_report():
    chart = COVERS["annual-report-2019"]

    assert isinstance(chart, DemoChart)
    # € 2,021,747.51 in the 2019 annual report, in thousands.
    assert round(sum(value for _label, value in chart.bars)) == 2022


def test_the_hero_is_wide():
    with Image.open(io.BytesIO(hero_draw())) as image:
        assert image.size == (1600, 700)


@pytest.mark.django_db
def test_a_cover_is_stored_once_with_its_alternative_text():
    slug = "webmap-asm-northwest-tanzania"

    first = demo_cover_ensure(slug=slug, title="Artisanal mining in Tanzania")
    again = demo_cover_ensure(slug=slug, title="Artisanal mining in Tanzania")

    assert first.pk == again.pk
    assert first.description.startswith("Map of northwest Tanzania")
    assert (first.width, first.height) == (600, 800)
    assert demo_cover_ensure(slug="no-such-publication", title="x") is None
    assert demo_hero_ensure().description == ""
