from django import template
from django.forms.models import ModelChoiceIteratorValue
from django.utils.translation import get_language

from briefings.newsletter.forms import CONSENT_TEXT, SubscribeForm

register = template.Library()


@register.simple_tag
def newsletter_signup_form(prefix: str = "newsletter") -> dict | None:
    """The subscription form for a page block, or None when no list is public."""
    form = SubscribeForm(language=get_language(), auto_id=f"{prefix}-%s")
    lists = list(form.fields["lists"].queryset)
    if not lists:
        return None
    # The lists are read once, here; the checkboxes render from this list.
    form.fields["lists"].choices = [
        (ModelChoiceIteratorValue(m.pk, m), m.local_name) for m in lists
    ]
    return {"form": form, "consent_text": CONSENT_TEXT}
