"""Server time and queries of the media view (site_config/media.py), with
2,000 images and 2,000 renditions in the tables it looks file names up in."""

from django.test import Client

from wagtail.images import get_image_model

import pytest

from publications.partners import library_collection
from tests.publications.partner_setup import voices  # noqa: F401

pytestmark = pytest.mark.django_db

IMAGES = 2_000
ACCEL = "/internal-media/"


@pytest.fixture
def media(voices):  # noqa: F811
    image_model = get_image_model()
    library = library_collection()
    images = image_model.objects.bulk_create(
        image_model(
            title=f"Photo {n}",
            file=f"original_images/photo-{n}.jpg",
            width=800,
            height=600,
            collection=library,
        )
        for n in range(IMAGES)
    )
    image_model.get_rendition_model().objects.bulk_create(
        image_model.get_rendition_model()(
            image=image,
            filter_spec="fill-80x60",
            focal_point_key="",
            file=f"images/photo-{n}.fill-80x60.jpg",
            width=80,
            height=60,
        )
        for n, image in enumerate(images)
    )
    private = voices.image_a
    public = image_model.objects.get(pk=images[-1].pk)
    return {
        "voices": voices,
        "private_rendition": f"/media/{private.get_rendition('fill-80x60').file.name}",
        "private_original": f"/media/{private.file.name}",
        "public_original": f"/media/{public.file.name}",
    }


def test_bench_media(media, bench, settings):
    settings.MEDIA_ACCEL_REDIRECT_LOCATION = ACCEL
    visitor, member = Client(), Client()
    member.force_login(media["voices"].author_a)
    # Queries, constant whatever the number of images: the file's lookup and
    # the restrictions; with a restriction its groups; for a member the
    # session, the user and their groups; on a 404 Wagtail's redirect lookup.
    cases = [
        ("media_public_image_anonymous", visitor, media["public_original"], 200, 2),
        ("media_private_rendition_member", member, media["private_rendition"], 200, 6),
        ("media_private_image_refused", visitor, media["private_original"], 404, 5),
    ]
    for name, client, url, status, queries in cases:
        assert client.get(url).status_code == status
        result = bench(
            name, lambda c=client, u=url: c.get(u), rounds=50, count_queries=True
        )
        assert result.queries <= queries, name
