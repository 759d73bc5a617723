"""`{{ publication|card_image }}`: the picture a publication's card shows."""

from django import template

from publications.cards import card_image as _card_image

register = template.Library()


@register.filter
def card_image(publication):
    """The cover or the PDF's first page (see publications.cards)."""
    return _card_image(publication)
