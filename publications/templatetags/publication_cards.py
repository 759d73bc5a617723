"""`{{ publication|card_image }}`: the picture a publication's card shows."""

from django import template

from publications.cards import card_image as _card_image
from publications.models import PublicationPage

register = template.Library()


@register.filter
def card_image(publication):
    """The cover or the PDF's first page (see publications.cards); None for
    anything but a publication."""
    if not isinstance(publication, PublicationPage):
        return None
    return _card_image(publication)
