"""Admin form rules for publication pages: where the page sits, and what the
person saving it may point to."""

from django import forms
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.blocks import StreamBlockValidationError

from publications.blocks import Reference, stream_references, stream_without
from publications.choices import DownloadLanguage, OrganisationRole, PublicationType

REFUSED_MESSAGES = {
    "document": _(
        "You cannot use this document: it is not in a collection you may "
        "choose from. Choose one of your own documents."
    ),
    "image": _(
        "You cannot use this image: it is not in a collection you may choose "
        "from. Choose one of your own images."
    ),
    "page": _(
        "You cannot link to this page: it is neither published nor one of your drafts."
    ),
}
REFUSED_IN_BODY = _(
    "The body used documents, images or pages you may not use; they have been "
    "taken out below. Choose your own, then save again."
)


def references_user_may_use(*, user, references: set[Reference]) -> set[Reference]:
    """Those of `references` the user's choosers would offer them.

    Documents and images: in a collection where the user has Wagtail's
    "choose" permission (all of them for a superuser). Pages: every page for
    staff, live pages and their own drafts for a partner author. A public
    collection is no exception: unpublished institute files are kept there
    too, and an id typed into the form must not reveal their names.
    """
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import Page
    from wagtail.permissions import policy_registry

    from publications.permissions import partner_visible_pages

    ids = {kind: set() for kind in ("page", "document", "image")}
    for kind, object_id in references:
        if kind in ids and object_id.isdigit():
            ids[kind].add(int(object_id))
    usable = set()
    for kind, model in (
        ("document", get_document_model()),
        ("image", get_image_model()),
    ):
        if ids[kind]:
            policy = policy_registry.get_by_type(model)
            usable |= {
                (kind, str(pk))
                for pk in policy.instances_user_has_any_permission_for(user, ["choose"])
                .filter(pk__in=ids[kind])
                .values_list("pk", flat=True)
            }
    if ids["page"]:
        pages = partner_visible_pages(Page.objects.filter(pk__in=ids["page"]), user)
        usable |= {("page", str(pk)) for pk in pages.values_list("pk", flat=True)}
    return usable & references


def _is_voices_series(page) -> bool:
    from publications.models import VoicesSeriesPage

    return page is not None and issubclass(page.specific_class, VoicesSeriesPage)


class PublicationPageForm(WagtailAdminPageForm):
    """A study in a Voices series is a partner study with a partner organisation."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        locale = self._page_locale()
        if locale is not None:
            for name in ("programmes", "countries"):
                self._one_term_per_translation(name, locale)
            self._downloads_default_to(locale.language_code)
        if not self.is_bound and self.instance.pk is None:
            self._licence_default()
        if (
            _is_voices_series(self.parent_page)
            and not self.is_bound
            and self.instance.pk is None
        ):
            self.initial["publication_type"] = PublicationType.PARTNER_STUDY
            self._organisation_prefill(locale)

    # Terms and rows in the page's language ----------------------------------------

    def _page_locale(self):
        if self.instance.locale_id is not None:
            return self.instance.locale
        parent = getattr(self, "parent_page", None)
        return parent.locale if parent is not None else None

    def _one_term_per_translation(self, name: str, locale) -> None:
        """Offer each term of field `name` once, in the page's language; tick
        the terms the page has, whichever language version it holds."""
        field = self.fields.get(name)
        if field is None:
            return
        shown = field.queryset.model.objects.one_per_translation(locale)
        field.queryset = shown
        if self.is_bound:
            return
        held = [getattr(value, "pk", value) for value in self.initial.get(name) or []]
        if held:
            keys = field.queryset.model._default_manager.filter(pk__in=held).values(
                "translation_key"
            )
            self.initial[name] = list(
                shown.filter(translation_key__in=keys).values_list("pk", flat=True)
            )

    def _downloads_default_to(self, language: str) -> None:
        """A new file row says it is in the page's language, not English."""
        downloads = self.formsets.get("downloads")
        if downloads is None or language not in DownloadLanguage.values:
            return
        downloads.form = _rows_defaulting(downloads.form, language=language)

    def _licence_default(self) -> None:
        """A new publication starts with the site's default licence."""
        from publications.licences import default_licence

        parent = getattr(self, "parent_page", None)
        if self.instance.licence or parent is None or "licence" not in self.fields:
            return
        code = default_licence(site=parent.get_site())
        if code:
            self.initial["licence"] = code

    def _organisation_prefill(self, locale) -> None:
        """A new study of a partner author is by their organisation: name it."""
        from publications.partners import author_organisation

        organisations = self.formsets.get("organisations")
        if organisations is None or self.for_user is None:
            return
        organisation = author_organisation(user=self.for_user, locale=locale)
        if organisation is None:
            return
        organisations.extra = 1
        organisations.initial_extra = [
            {
                "organisation": organisation.pk,
                "role": OrganisationRole.PUBLISHED_WITH,
            }
        ]

    def clean(self):
        cleaned_data = super().clean()
        self._refuse_what_the_user_may_not_use(cleaned_data)
        if not _is_voices_series(self.parent_page):
            return cleaned_data
        if cleaned_data.get("publication_type") not in (
            None,
            PublicationType.PARTNER_STUDY,
        ):
            self.add_error(
                "publication_type",
                forms.ValidationError(
                    _("A study in a Voices series is a partner study."),
                    code="voices_type",
                ),
            )
        organisations = self.formsets.get("organisations")
        # The inline rows are validated after this form; validating them here
        # (it is done once and kept) tells which rows will be saved.
        if (
            organisations is not None
            and organisations.is_valid()
            and not any(
                form.cleaned_data.get("organisation")
                and not form.cleaned_data.get("DELETE")
                for form in organisations.forms
            )
        ):
            self.add_error(
                None,
                forms.ValidationError(
                    _(
                        "Name the partner organisation that wrote this study "
                        "under “Organisations”."
                    ),
                    code="voices_partner",
                ),
            )
        return cleaned_data

    # What the person saving may point to ----------------------------------------

    def _saved_references(self) -> set[Reference]:
        """What the page's latest saved version already points to: an editor may
        have attached a library file, which must not stop the author's save."""
        from wagtail.models import Page

        from publications.publication import publication_references

        if self.instance.pk is None:
            return set()
        page = (
            Page.objects.select_related("latest_revision")
            .filter(pk=self.instance.pk)
            .first()
        )
        if page is None:
            return set()
        saved = (
            page.latest_revision.as_object()
            if page.latest_revision is not None
            else page.specific
        )
        return publication_references(publication=saved)

    def _wanted_references(self, cleaned_data) -> list[tuple[Reference, object]]:
        """(reference, where it is) for each the form would save: the form
        itself with a field name, an inline row's form, or the body."""
        wanted = []
        cover = cleaned_data.get("cover_image")
        if cover is not None:
            wanted.append((("image", str(cover.pk)), (self, "cover_image")))
        for relation, kind, name in (
            ("downloads", "document", "document"),
            ("related_publications", "page", "related"),
        ):
            formset = self.formsets.get(relation)
            if formset is None:
                continue
            formset.is_valid()  # validated once and kept, as the form does
            for row in formset.forms:
                data = getattr(row, "cleaned_data", None) or {}
                target = data.get(name)
                if target is not None and not data.get("DELETE"):
                    wanted.append(((kind, str(target.pk)), (row, name)))
        body = cleaned_data.get("body")
        if body is not None and "body" in self.fields:
            block = self.fields["body"].block
            for reference, _path in stream_references(block=block, value=body):
                wanted.append((reference, (self, "body")))
        return wanted

    def _refuse_what_the_user_may_not_use(self, cleaned_data) -> None:
        """A document, image or page the user may not choose is refused where
        it was given, and not shown back to them in the form."""
        if self.for_user is None:
            return
        wanted = self._wanted_references(cleaned_data)
        if not wanted:
            return
        references = {reference for reference, _place in wanted}
        refused = references - references_user_may_use(
            user=self.for_user, references=references
        )
        if refused:
            # Read only when needed: most saves point to nothing refused.
            refused -= self._saved_references()
        if not refused:
            return
        body_refused = False
        for reference, (form, name) in wanted:
            if reference not in refused:
                continue
            if name == "body":
                body_refused = True
                continue
            if name in form.fields and name not in form.errors:
                form.add_error(name, REFUSED_MESSAGES[reference[0]])
                _show_instead(form, name, None)
        if body_refused:
            block = self.fields["body"].block
            shown = stream_without(
                block=block, value=cleaned_data["body"], refused=refused
            )
            self.add_error(
                "body", StreamBlockValidationError(non_block_errors=[REFUSED_IN_BODY])
            )
            _show_instead(self, "body", shown)


def _rows_defaulting(form_class, *, language: str):
    """`form_class` whose new rows start with `language` as their language."""

    class RowForm(form_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            if self.instance.pk is None and not self.is_bound:
                self.initial["language"] = language

    RowForm.__name__ = form_class.__name__
    return RowForm


def _show_instead(form, name: str, value) -> None:
    """Render field `name` of a refused form with `value`, not what was posted,
    so that the form shown again names nothing the user may not see."""
    form.fields[name].bound_data = lambda _data, _initial: value
