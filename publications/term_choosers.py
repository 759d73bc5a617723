"""Choosers of taxonomy terms (organisations, programmes, countries, people):
each term once, in the language of the page being edited, found by its name in
any language.

A term exists once per language it is translated into. Wagtail's snippet
chooser lists every row and opens filtered to the page's language, so a term
written only in English cannot be found from a French page. Here the chooser
has no language filter: it lists `TermQuerySet.one_per_translation(locale)`,
where `locale` is the page's language (the `locale` parameter Wagtail's
chooser sends), and a search matches a term when any of its translations
matches. The words of the chooser and its widget are ours, translated lazily
(Wagtail's snippet widget freezes "Choose …" in the language active when the
form class was first built).
"""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.models import Locale
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
)
from wagtail.snippets.widgets import AdminSnippetChooser

# The words of each chooser: (choose, choose another, edit, modal title).
TERM_WORDS = {
    "programme": (
        _("Choose programme"),
        _("Choose another programme"),
        _("Edit this programme"),
        _("Choose a programme"),
    ),
    "country": (
        _("Choose country"),
        _("Choose another country"),
        _("Edit this country"),
        _("Choose a country"),
    ),
    "organisation": (
        _("Choose organisation"),
        _("Choose another organisation"),
        _("Edit this organisation"),
        _("Choose an organisation"),
    ),
    "person": (
        _("Choose person"),
        _("Choose another person"),
        _("Edit this person"),
        _("Choose a person"),
    ),
}
# The fields a chooser search looks in, per model: names (in every language).
TERM_SEARCH_FIELDS = {
    "programme": ("name", "slug"),
    "country": ("name", "iso_code"),
    "organisation": ("name", "acronym"),
    "person": ("name",),
}
SEARCH_MAX_LENGTH = 100


def term_search(queryset, query: str):
    """The terms of `queryset` one of whose translations matches `query` by name."""
    model = queryset.model
    condition = Q()
    for name in TERM_SEARCH_FIELDS.get(model._meta.model_name, ("name",)):
        condition |= Q(**{f"{name}__icontains": query})
    matching = model._default_manager.filter(condition).values("translation_key")
    return queryset.filter(translation_key__in=matching)


def chooser_locale(code: str | None) -> Locale | None:
    """The locale named by the chooser's `locale` parameter, or None."""
    if not code:
        return None
    return Locale.objects.filter(language_code=code).first()


class TermSearchForm(BaseFilterForm):
    """A search box only: the language is the page's, not a filter."""

    q = forms.CharField(
        label=_("Search term"),
        max_length=SEARCH_MAX_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Name, in any language")}),
    )

    def filter(self, objects):
        query = (self.cleaned_data.get("q") or "").strip()
        if query:
            self.is_searching = True
            self.search_query = query
            objects = term_search(objects, query)
        return objects


class TermChooseMixin:
    """The listing of a term chooser: each term once, in the page's language."""

    filter_form_class = TermSearchForm
    search_tab_label = _("Search")

    # No locale filter and no locale column: one row per term.
    i18n_enabled = False

    @property
    def page_subtitle(self):
        return ""

    def get_object_list(self):
        locale = chooser_locale(self.request.GET.get("locale"))
        return self.model_class.objects.one_per_translation(locale)


class TermChooseView(TermChooseMixin, ChooseView):
    pass


class TermChooseResultsView(TermChooseMixin, ChooseResultsView):
    pass


class TermChooserWidget(AdminSnippetChooser):
    """The snippet chooser widget, with our own words, in the reader's language."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        words = TERM_WORDS[self.model._meta.model_name]
        self.choose_one_text, self.choose_another_text, self.link_to_chosen_text = (
            words[:3]
        )


class TermChooserViewSet(SnippetChooserViewSet):
    choose_view_class = TermChooseView
    choose_results_view_class = TermChooseResultsView
    base_widget_class = TermChooserWidget
    # The page's language travels with searches and pages of results.
    preserve_url_parameters = ["multiple", "locale"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        words = TERM_WORDS[self.model._meta.model_name]
        self.choose_one_text, self.choose_another_text = words[:2]
        self.edit_item_text, self.page_title = words[2:]


__all__ = [
    "TERM_WORDS",
    "TermChooserViewSet",
    "TermChooserWidget",
    "chooser_locale",
    "term_search",
]
