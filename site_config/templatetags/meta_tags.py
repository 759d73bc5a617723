"""`{% page_meta_tags %}`: description, canonical, OpenGraph and Twitter card."""

from django import template

from site_config.meta import page_meta

register = template.Library()


@register.inclusion_tag("site_config/includes/page_meta_tags.html", takes_context=True)
def page_meta_tags(context) -> dict:
    """The head's metadata for whatever page or view is being rendered."""
    return {"meta": page_meta(context=context, request=context.get("request"))}
