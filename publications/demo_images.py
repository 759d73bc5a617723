"""Pictures for the demo, drawn here: the sources give places and figures but
no image files.

A map publication's cover shows the sites of the area it maps as dots with
their names, on a grid of latitude and longitude with a scale bar; the annual
report's cover charts where the year's turnover came from; the home page's
hero is a dark map of the places the institute works in. Places and figures
come from the sources (`/work/shared/seeds`); positions are the towns'
approximate coordinates. Nothing else is invented: no borders, lakes or roads
the sources do not give.

Drawing is pure (`map_draw`, `chart_draw` return JPEG bytes, the same bytes
for the same input) and fast (about 25 ms a picture), so `load_demo_content`
stays quick. `demo_image_ensure` stores a picture once as a Wagtail image with
its alternative text, and finds it again on a second run.
"""

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.files.base import ContentFile

from wagtail.images import get_image_model
from wagtail.models import Collection

from PIL import Image, ImageDraw, ImageFont

PAPER = (244, 241, 234)
INK = (33, 37, 41)
MUTED = (110, 110, 104)
GRID = (214, 208, 196)
LAND = (232, 226, 212)
ACCENT = (176, 74, 34)
BRAND = (24, 64, 96)
NIGHT = (16, 30, 44)
NIGHT_GRID = (44, 66, 86)
NIGHT_DOT = (240, 178, 92)
NIGHT_TEXT = (214, 222, 230)
KM_PER_DEGREE = 111.32
JPEG_QUALITY = 85


@dataclass(frozen=True)
class Place:
    name: str
    latitude: float
    longitude: float


@dataclass(frozen=True)
class DemoMap:
    """A map cover: its area's name and the places the sources name in it."""

    area: str
    places: tuple[Place, ...]
    alt: str


@dataclass(frozen=True)
class DemoChart:
    """A bar chart: a title, a unit and labelled values, largest first."""

    title: str
    unit: str
    bars: tuple[tuple[str, float], ...]
    alt: str


_NORTHWEST_TANZANIA = (
    Place("Mwanza", -2.52, 32.90),
    Place("Shinyanga", -3.66, 33.42),
    Place("Kahama", -3.84, 32.60),
    Place("Musoma (Mara)", -1.50, 33.80),
)
_EASTERN_DRC = (
    Place("Goma", -1.68, 29.22),
    Place("Bukavu", -2.51, 28.86),
    Place("Kalehe", -2.10, 28.92),
    Place("Walikale", -1.42, 28.05),
    Place("Mwenga", -3.04, 28.43),
    Place("Kamituga", -3.06, 28.18),
    Place("Kampene", -3.60, 26.67),
)
_CAR = (
    Place("Bangui", 4.37, 18.56),
    Place("Paoua", 7.24, 16.44),
    Place("Bria", 6.54, 21.99),
)
_ZIMBABWE = (
    Place("Zvishavane (Runde)", -20.33, 30.07),
    Place("Marange", -19.98, 32.37),
    Place("Mutare", -18.97, 32.67),
)

# Publication slug (demo_facts) -> its cover.
COVERS: dict[str, DemoMap | DemoChart] = {
    "webmap-asm-northwest-tanzania": DemoMap(
        "Northwest Tanzania",
        _NORTHWEST_TANZANIA,
        "Map of northwest Tanzania marking Mwanza, Shinyanga, Kahama and Musoma.",
    ),
    "mapping-asm-northwest-tanzania": DemoMap(
        "Northwest Tanzania",
        _NORTHWEST_TANZANIA,
        "Map of northwest Tanzania marking Mwanza, Shinyanga, Kahama and Musoma.",
    ),
    "mapping-artisanal-mining-eastern-drc-2019": DemoMap(
        "Eastern DR Congo",
        _EASTERN_DRC,
        "Map of eastern DR Congo marking Goma, Bukavu, Kalehe, Walikale, Mwenga, "
        "Kamituga and Kampene.",
    ),
    "webmap-artisanal-mining-eastern-drc-v6": DemoMap(
        "Eastern DR Congo",
        _EASTERN_DRC,
        "Map of eastern DR Congo marking Goma, Bukavu, Kalehe, Walikale, Mwenga, "
        "Kamituga and Kampene.",
    ),
    "kufatilia-asm-incident-tracker": DemoMap(
        "South Kivu and North Kivu",
        _EASTERN_DRC[:6],
        "Map of the Kivus marking Goma, Bukavu, Kalehe, Walikale, Mwenga and Kamituga.",
    ),
    "webmap-artisanal-mining-western-car": DemoMap(
        "Central African Republic",
        _CAR,
        "Map of the Central African Republic marking Bangui, Paoua and Bria.",
    ),
    "mapping-conflict-motives-car": DemoMap(
        "Central African Republic",
        _CAR,
        "Map of the Central African Republic marking Bangui, Paoua and Bria.",
    ),
    "asm-mapping-runde-rural-district-zimbabwe": DemoMap(
        "Eastern Zimbabwe",
        _ZIMBABWE,
        "Map of eastern Zimbabwe marking Zvishavane in Runde, Marange and Mutare.",
    ),
    "annual-report-2019": DemoChart(
        "Turnover 2019 by source",
        "thousand euros",
        (
            ("Programme subsidies", 574.1),
            ("Project subsidies", 457.1),
            ("Social and commercial enterprises", 429.9),
            ("Structural subsidies", 244.9),
            ("Governments and intergovernmental bodies", 177.3),
            ("Non-governmental organisations", 138.3),
        ),
        "Bar chart of the 2019 turnover of about two million euros by source: "
        "programme subsidies 574 thousand euros, project subsidies 457, "
        "enterprises 430, structural subsidies 245, governments 177, "
        "NGOs 138.",
    ),
}

HERO = DemoMap(
    "Where our teams work",
    (
        Place("Bangui", 4.37, 18.56),
        Place("Paoua", 7.24, 16.44),
        Place("Bria", 6.54, 21.99),
        Place("Goma", -1.68, 29.22),
        Place("Bukavu", -2.51, 28.86),
        Place("Kampene", -3.60, 26.67),
        Place("Mwanza", -2.52, 32.90),
        Place("Arusha", -3.37, 36.68),
        Place("Lubumbashi", -11.66, 27.48),
        Place("Zvishavane", -20.33, 30.07),
        Place("Marange", -19.98, 32.37),
    ),
    "",  # decorative: the hero's title says what the site is
)


def _font(size: int) -> ImageFont.FreeTypeFont:
    """Pillow's own font, the same on every machine."""
    return ImageFont.load_default(size=size)


def _jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue()


def _wrapped(text: str, font, width: int, draw: ImageDraw.ImageDraw) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        trial = f"{lines[-1]} {word}" if lines else word
        if lines and draw.textlength(trial, font=font) <= width:
            lines[-1] = trial
        else:
            lines.append(word)
    return lines


def _projection(places: Sequence[Place], box: tuple[int, int, int, int]):
    """Equirectangular, longitudes shrunk by the cosine of the middle latitude,
    fitted (with a margin of a degree) into `box` without distortion."""
    left, top, right, bottom = box
    lats = [p.latitude for p in places]
    lons = [p.longitude for p in places]
    shrink = math.cos(math.radians((max(lats) + min(lats)) / 2))
    south, north = min(lats) - 1, max(lats) + 1
    west, east = min(lons) - 1, max(lons) + 1
    width_deg, height_deg = (east - west) * shrink, north - south
    scale = min((right - left) / width_deg, (bottom - top) / height_deg)
    x0 = left + ((right - left) - width_deg * scale) / 2
    y0 = top + ((bottom - top) - height_deg * scale) / 2

    def at(latitude: float, longitude: float) -> tuple[float, float]:
        return (
            x0 + (longitude - west) * shrink * scale,
            y0 + (north - latitude) * scale,
        )

    return at, scale, (south, north, west, east)


def _overlaps(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _label_spot(draw, text, font, point, radius, *, box, taken):
    """Where a place's name goes: right of its dot, else left, above or
    below, wherever it covers no other name or dot and stays on the map."""
    x, y = point
    gap = radius + 6
    candidates = [
        ((x + gap, y), "lm"),
        ((x - gap, y), "rm"),
        ((x, y - gap), "mb"),
        ((x, y + gap), "mt"),
    ]
    for spot, anchor in candidates:
        bounds = draw.textbbox(spot, text, font=font, anchor=anchor)
        inside = (
            bounds[0] >= box[0]
            and bounds[2] <= box[2]
            and bounds[1] >= box[1]
            and bounds[3] <= box[3]
        )
        if inside and not any(_overlaps(bounds, other) for other in taken):
            return spot, anchor
    return candidates[0]


def _latitude_label(latitude: int) -> str:
    if latitude == 0:
        return "0°"
    return f"{abs(latitude)}°{'S' if latitude < 0 else 'N'}"


def _grid_step(span: float) -> int:
    """Degrees between grid lines: at most about eight lines across."""
    return next(step for step in (1, 2, 5, 10, 20) if span / step <= 8)


def _map_layer(
    draw: ImageDraw.ImageDraw,
    demo: DemoMap,
    box: tuple[int, int, int, int],
    *,
    colours: dict,
    label_size: int,
) -> float:
    """Grid, dots and labels of `demo` in `box`; returns pixels per degree."""
    at, scale, (south, north, west, east) = _projection(demo.places, box)
    left, top, right, bottom = box
    small = _font(max(11, label_size - 6))
    step = _grid_step(max(north - south, east - west))
    for latitude in range(math.ceil(south / step) * step, math.floor(north) + 1, step):
        y = at(latitude, west)[1]
        if top <= y <= bottom:
            draw.line([(left, y), (right, y)], fill=colours["grid"], width=1)
            draw.text(
                (left + 4, y - 2),
                _latitude_label(latitude),
                fill=colours["grid_text"],
                font=small,
                anchor="ls",
            )
    for longitude in range(math.ceil(west / step) * step, math.floor(east) + 1, step):
        x = at(south, longitude)[0]
        if left <= x <= right:
            draw.line([(x, top), (x, bottom)], fill=colours["grid"], width=1)
            draw.text(
                (x + 3, bottom - 4),
                f"{longitude}°E",
                fill=colours["grid_text"],
                font=small,
                anchor="ls",
            )
    font = _font(label_size)
    radius = max(4, label_size // 3)
    spots = [at(place.latitude, place.longitude) for place in demo.places]
    taken = [(x - radius, y - radius, x + radius, y + radius) for x, y in spots]
    for x, y in spots:
        draw.ellipse(
            [x - radius, y - radius, x + radius, y + radius],
            fill=colours["dot"],
            outline=colours["dot_line"],
            width=2,
        )
    for place, (x, y) in zip(demo.places, spots, strict=True):
        where = _label_spot(
            draw, place.name, font, (x, y), radius, box=box, taken=taken
        )
        taken.append(draw.textbbox(where[0], place.name, font=font, anchor=where[1]))
        draw.text(
            where[0], place.name, fill=colours["label"], font=font, anchor=where[1]
        )
    return scale


def map_draw(demo: DemoMap, *, size: tuple[int, int] = (600, 800)) -> bytes:
    """A portrait map cover: the area's name over its places, with a scale bar."""
    width, height = size
    image = Image.new("RGB", size, PAPER)
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, width, 14], fill=BRAND)
    title = _font(40)
    y = 50
    for line in _wrapped(demo.area, title, width - 80, draw):
        draw.text((40, y), line, fill=INK, font=title)
        y += 48
    draw.text((40, y + 4), "Places named in the study", fill=MUTED, font=_font(20))
    box = (40, y + 50, width - 40, height - 90)
    draw.rectangle(box, fill=LAND, outline=GRID, width=2)
    colours = {
        "grid": GRID,
        "grid_text": MUTED,
        "dot": ACCENT,
        "dot_line": PAPER,
        "label": INK,
    }
    inner = (box[0] + 10, box[1] + 10, box[2] - 10, box[3] - 10)
    per_degree = _map_layer(draw, demo, inner, colours=colours, label_size=20)
    # A scale bar of a round number of kilometres, about a quarter of the map.
    km_per_pixel = KM_PER_DEGREE / per_degree
    target = (box[2] - box[0]) / 4 * km_per_pixel
    km = next(
        step for step in (10, 20, 50, 100, 200, 500, 1000, 2000) if step >= target
    )
    bar = km / km_per_pixel
    base = height - 50
    draw.line([(40, base), (40 + bar, base)], fill=INK, width=4)
    draw.text((48 + bar, base), f"{km} km", fill=INK, font=_font(18), anchor="lm")
    # North: an arrow over an N.
    draw.polygon(
        [(width - 52, base - 14), (width - 44, base - 34), (width - 36, base - 14)],
        fill=INK,
    )
    draw.text((width - 44, base - 10), "N", fill=INK, font=_font(18), anchor="mt")
    return _jpeg(image)


def chart_draw(chart: DemoChart, *, size: tuple[int, int] = (600, 800)) -> bytes:
    """A portrait cover with a horizontal bar chart of the chart's values."""
    width, height = size
    image = Image.new("RGB", size, PAPER)
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, width, 14], fill=BRAND)
    title = _font(38)
    y = 50
    for line in _wrapped(chart.title, title, width - 80, draw):
        draw.text((40, y), line, fill=INK, font=title)
        y += 46
    draw.text((40, y + 4), f"In {chart.unit}", fill=MUTED, font=_font(20))
    top = y + 60
    largest = max(value for _label, value in chart.bars)
    row = (height - 60 - top) / len(chart.bars)
    label_font, value_font = _font(19), _font(19)
    bar_right = width - 110
    for index, (label, value) in enumerate(chart.bars):
        y = top + index * row
        for line_number, line in enumerate(
            _wrapped(label, label_font, width - 80, draw)[:2]
        ):
            draw.text((40, y + line_number * 22), line, fill=INK, font=label_font)
        bar_top = y + 50
        length = (bar_right - 40) * value / largest
        draw.rectangle([40, bar_top, 40 + length, bar_top + 22], fill=BRAND)
        draw.text(
            (48 + length, bar_top + 11),
            f"{value:,.0f}",
            fill=INK,
            font=value_font,
            anchor="lm",
        )
    return _jpeg(image)


def hero_draw(demo: DemoMap = HERO, *, size: tuple[int, int] = (1600, 700)) -> bytes:
    """A wide, dark map for behind the home page's title: the places on the
    right, where the title (on the left) leaves room, and away from the top and
    bottom edges, which a wide screen crops."""
    width, height = size
    image = Image.new("RGB", size, NIGHT)
    draw = ImageDraw.Draw(image)
    colours = {
        "grid": NIGHT_GRID,
        "grid_text": NIGHT_GRID,
        "dot": NIGHT_DOT,
        "dot_line": NIGHT,
        "label": NIGHT_TEXT,
    }
    _map_layer(
        draw,
        demo,
        (width // 2, 130, width - 90, height - 130),
        colours=colours,
        label_size=26,
    )
    return _jpeg(image)


def cover_draw(cover: DemoMap | DemoChart) -> bytes:
    if isinstance(cover, DemoChart):
        return chart_draw(cover)
    return map_draw(cover)


def demo_image_ensure(
    *, title: str, alt: str, draw, collection: Collection | None = None
):
    """The Wagtail image called `title`, drawn by `draw()` the first time."""
    model = get_image_model()
    existing = model.objects.filter(title=title).first()
    if existing is not None:
        return existing
    data = draw()
    slug = "".join(c if c.isalnum() else "-" for c in title.lower()).strip("-")
    image = model(
        title=title,
        description=alt,
        collection=collection or root_collection_ensure(),
        file=ContentFile(data, name=f"demo-{slug[:60]}.jpg"),
    )
    image._set_image_file_metadata()  # size, hash and dimensions, as an upload
    image.save()
    return image


def root_collection_ensure() -> Collection:
    """Wagtail's root collection; a flushed database (transactional tests) has none."""
    return Collection.get_first_root_node() or Collection.add_root(name="Root")


def demo_cover_ensure(*, slug: str, title: str, collection: Collection | None = None):
    """The drawn cover of the demo publication `slug`, or None if it has none."""
    cover = COVERS.get(slug)
    if cover is None:
        return None
    return demo_image_ensure(
        title=f"Cover: {title}",
        alt=cover.alt,
        draw=lambda: cover_draw(cover),
        collection=collection,
    )


def demo_hero_ensure():
    """The home page's hero picture (decorative: no alternative text)."""
    return demo_image_ensure(title="Home: where our teams work", alt="", draw=hero_draw)
