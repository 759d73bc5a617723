"""One gate in front of every Wagtail admin view, for partner authors.

Wagtail checks what a person may *do* with an object, but many of its views
name the object (a title in a heading, an error message or a confirmation
list) before, or without, asking whether that person may *see* it. For a
partner author this gate settles that first, from the URL alone:

- a page named in the URL (edit, history, revisions, workflow, preview,
  usage, explorer, chooser, …) must be live or theirs: another author's draft
  is denied, whichever organisation that author writes for (drafts are not
  shared within an organisation);
- the explorer opens at their own series, in each language they write in;
- ids in the query string (page chooser's `chosen-multiple`, bulk actions,
  document and image choosers) must all be objects they may see, and bulk
  actions on pages or anything else than their files are refused outright;
- staff reports that count or list every page of a type are refused;
- tag suggestions and tag filters offer only tags of their own files;
- "owner", "edited by", "requested by" and "user" filters offer only
  themselves, not the authors of other partners;
- staff choosers (news items, workflow tasks and their "create a task" form,
  mailing lists, embeds: a study's body embeds nothing) are refused;
- the view and its rendering run inside `partner_viewing`: pages the author
  does not own are named by their live title, never by a draft's
  (`publications.permissions.install`).

`site_config.urls` applies `partner_admin_guard` to all of Wagtail's admin
URLs; staff and reviewers pass straight through.
"""

import json
from contextvars import copy_context
from functools import wraps

from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q
from django.forms import ModelChoiceField
from django.http import JsonResponse
from django.shortcuts import redirect
from django.template.response import SimpleTemplateResponse
from django.utils import translation
from django.utils.html import escape
from django.views.decorators.cache import never_cache

from taggit.models import Tag
from wagtail.admin.auth import permission_denied, require_admin_access
from wagtail.models import GroupPagePermission, Page

from publications.permissions import (
    draft_hidden,
    is_partner_author,
    partner_viewing,
    partner_visible_pages,
)

# URL keyword arguments that name a page, in any admin view.
PAGE_KWARGS = (
    "page_id",
    "parent_page_id",
    "page_to_move_id",
    "destination_id",
    "page_pk",
)
EXPLORER_VIEWS = (
    "wagtailadmin_explore_root",
    "wagtailadmin_explore",
    "wagtailadmin_explore_results",
)
# Whole-site page statistics: staff tools that name any page of a type.
STAFF_ONLY_VIEWS = frozenset(
    {
        "wagtailadmin_reports:page_types_usage",
        "wagtailadmin_reports:page_types_usage_results",
        "wagtailadmin_pages:type_use",
        "wagtailadmin_pages:type_use_results",
    }
)
# Choosers of staff data that no partner form uses: news items and mailing
# lists (digests), workflow tasks (and the chooser's form creating one), embeds
# (a study's body has no embed feature, and fetching one reaches out).
STAFF_ONLY_PREFIXES = (
    "wagtailadmin_workflows:",
    "news_item_chooser:",
    "wagtailsnippetchoosers_newsletter_mailinglist:",
    "wagtailembeds:",
)
EXTERNAL_LINK_VIEW = "wagtailadmin_choose_page_external_link"
MEDIA_CHOSEN_MULTIPLE = {
    "wagtaildocs_chooser:chosen_multiple": "documents",
    "wagtailimages_chooser:chosen_multiple": "images",
}
TAG_AUTOCOMPLETE_VIEWS = (
    "wagtailadmin_tag_autocomplete",
    "wagtailadmin_tag_model_autocomplete",
)
TAG_AUTOCOMPLETE_LIMIT = 10


def _media_policy(kind: str):
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.permissions import policy_registry

    model = get_document_model() if kind == "documents" else get_image_model()
    return policy_registry.get_by_type(model)


def _media_kind(app_label: str, model_name: str) -> str | None:
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    for kind, model in (
        ("documents", get_document_model()),
        ("images", get_image_model()),
    ):
        meta = model._meta
        if (meta.app_label, meta.model_name) == (app_label, model_name):
            return kind
    return None


def partner_media(user, kind: str, actions=("choose", "change")):
    """The documents or images a partner author may use: their collection's."""
    return _media_policy(kind).instances_user_has_any_permission_for(user, actions)


def partner_tags(user):
    """Tags on the documents and images a partner author may use."""
    items = Q()
    for kind in ("documents", "images"):
        media = partner_media(user, kind)
        items |= Q(
            taggit_taggeditem_items__content_type__app_label=media.model._meta.app_label,
            taggit_taggeditem_items__content_type__model=media.model._meta.model_name,
            taggit_taggeditem_items__object_id__in=media.values("pk"),
        )
    return Tag.objects.filter(items).distinct()


def partner_series(user) -> list[Page]:
    """The pages the author's group may add to (their series), those in the
    author's admin language first."""
    pages = list(
        Page.objects.filter(
            pk__in=GroupPagePermission.objects.filter(group__user=user).values("page")
        )
        .select_related("locale")
        .order_by("path")
    )
    language = _admin_language(user).split("-")[0]
    pages.sort(key=lambda page: page.locale.language_code != language)
    return pages


def _admin_language(user) -> str:
    """The language the person chose for the admin, else the active one (the
    gate runs before Wagtail switches to the person's language)."""
    try:
        preferred = user.wagtail_userprofile.preferred_language
    except ObjectDoesNotExist:
        preferred = ""
    return preferred or translation.get_language() or ""


def _page_ids(ids) -> list[int] | None:
    """Page or object ids from the query string; None when one is not a number."""
    try:
        return [int(value) for value in ids]
    except (TypeError, ValueError):
        return None


def _all_visible(queryset, ids) -> bool:
    numbers = _page_ids(ids)
    if numbers is None:
        return False
    return queryset.filter(pk__in=numbers).count() == len(set(numbers))


def _explorer_answer(request, name: str, page_id):
    """Redirect to the author's series when the explorer asks for a page outside
    it (the tree's root, a home page, another partner's series)."""
    series = partner_series(request.user)
    if not series:
        return permission_denied(request)
    if page_id is not None:
        page = Page.objects.filter(pk=page_id).only("path").first()
        if page is not None and any(page.path.startswith(own.path) for own in series):
            return None
    target = "wagtailadmin_explore_results" if name.endswith("_results") else None
    return redirect(target or "wagtailadmin_explore", series[0].pk)


def partner_admin_refusal(request, name: str, kwargs: dict):
    """The answer a partner author gets instead of the view, or None to go on."""
    user = request.user
    if name in STAFF_ONLY_VIEWS or name.startswith(STAFF_ONLY_PREFIXES):
        return permission_denied(request)
    page_ids = [kwargs[key] for key in PAGE_KWARGS if key in kwargs]
    if name.startswith("wagtailadmin_pages:") and "pk" in kwargs:
        page_ids.append(kwargs["pk"])
    if page_ids and not _all_visible(
        partner_visible_pages(Page.objects.all(), user), page_ids
    ):
        return permission_denied(request)
    if name in EXPLORER_VIEWS:
        answer = _explorer_answer(request, name, kwargs.get("parent_page_id"))
        if answer is not None:
            return answer
    ids = request.GET.getlist("id")
    if name == "wagtailadmin_choose_page_chosen_multiple" and not _all_visible(
        partner_visible_pages(Page.objects.all(), user), ids
    ):
        return permission_denied(request)
    if name in MEDIA_CHOSEN_MULTIPLE and not _all_visible(
        partner_media(user, MEDIA_CHOSEN_MULTIPLE[name], ("choose",)), ids
    ):
        return permission_denied(request)
    if name == "wagtail_bulk_action":
        # Partners may only tidy their own files in bulk; never pages.
        kind = _media_kind(kwargs.get("app_label"), kwargs.get("model_name"))
        if kind is None or not _all_visible(
            partner_media(user, kind, ("change",)), ids
        ):
            return permission_denied(request)
    if name in TAG_AUTOCOMPLETE_VIEWS:
        return _tag_autocomplete(request, kwargs)
    return None


def _tag_autocomplete(request, kwargs):
    if kwargs.get("app_name", "taggit") != "taggit" or kwargs.get(
        "model_name", "tag"
    ) not in ("tag",):
        return JsonResponse([], safe=False)
    term = request.GET.get("term", "")
    if not term:
        return JsonResponse([], safe=False)
    names = (
        partner_tags(request.user)
        .filter(name__istartswith=term)
        .order_by("name")
        .values_list("name", flat=True)[:TAG_AUTOCOMPLETE_LIMIT]
    )
    return JsonResponse(list(names), safe=False)


class PartnerImageChooserMixin:
    """The image chooser's tag buttons, for a partner author: their own tags."""

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        if "popular_tags" in context:
            allowed = set(partner_tags(self.request.user).values_list("pk", flat=True))
            context["popular_tags"] = [
                tag for tag in context["popular_tags"] if tag.pk in allowed
            ]
        return context


def filterset_narrow(filterset, user) -> None:
    """Narrow a listing's filter form to what a partner author may know of: the
    filters naming people offer only the author, tag filters only their tags."""
    user_model = get_user_model()
    for name, field in filterset.form.fields.items():
        queryset = getattr(field, "queryset", None)
        if isinstance(field, ModelChoiceField) and queryset.model is user_model:
            field.queryset = queryset.filter(pk=user.pk)
        elif name == "tag":
            allowed = set(partner_tags(user).values_list("name", flat=True))
            field.choices = [
                (value, label) for value, label in field.choices if value in allowed
            ]


_partner_choosers: dict = {}


def _partner_image_chooser(view):
    """The image chooser's view with PartnerImageChooserMixin, built once per URL
    (the chooser renders its modal at once: its context cannot be changed after)."""
    from wagtail.images.views.chooser import ImageChooseViewMixin

    view_class = getattr(view, "view_class", None)
    if view_class is None or not issubclass(view_class, ImageChooseViewMixin):
        return None
    key = id(view)
    if key not in _partner_choosers:
        subclass = type(
            f"Partner{view_class.__name__}", (PartnerImageChooserMixin, view_class), {}
        )
        _partner_choosers[key] = never_cache(
            require_admin_access(subclass.as_view(**view.view_initkwargs))
        )
    return _partner_choosers[key]


def _external_link_live_title(response):
    """The external-link chooser turns a URL of the site into a page link and
    names the page by its `draft_title` (not through `get_admin_display_title`):
    for a page whose draft the author may not see, put its live title back."""
    try:
        data = json.loads(response.content)
    except (ValueError, AttributeError):
        return response
    internal = data.get("internal") or data.get("result") or {}
    page_id = internal.get("id") if isinstance(internal, dict) else None
    if page_id is None:
        return response
    page = Page.objects.filter(pk=page_id).first()
    if page is None or not draft_hidden(page) or page.draft_title == page.title:
        return response
    internal["adminTitle"] = page.title
    if "html" in data:
        data["html"] = data["html"].replace(
            escape(page.draft_title), escape(page.title)
        )
    response.content = json.dumps(data)
    return response


def _in_context(context, iterator):
    """Iterate `iterator` (a streamed export) inside `context`."""
    iterator = iter(iterator)
    while True:
        try:
            yield context.run(next, iterator)
        except StopIteration:
            return


def _render_in(context, response):
    """Have the response render (later, in Django's handler) or stream inside
    `context`, so that templates see what the view saw."""
    if isinstance(response, SimpleTemplateResponse) and not response.is_rendered:
        render = response.render
        response.render = lambda: context.run(render)
    elif getattr(response, "streaming", False):
        response.streaming_content = _in_context(context, response.streaming_content)
    return response


def _partner_view(view, request, name, args, kwargs):
    refusal = partner_admin_refusal(request, name, kwargs)
    if refusal is not None:
        return refusal
    chooser = _partner_image_chooser(view)
    response = (chooser or view)(request, *args, **kwargs)
    # Listings (explorer, search, reports, documents, images) answer with a
    # template response not rendered yet: narrow its filter form first.
    context = getattr(response, "context_data", None)
    if (
        isinstance(response, SimpleTemplateResponse)
        and not response.is_rendered
        and context
        and context.get("filters") is not None
    ):
        filterset_narrow(context["filters"], request.user)
    if name == EXTERNAL_LINK_VIEW and request.method == "POST":
        response = _external_link_live_title(response)
    return response


def partner_admin_guard(view):
    """Wrap an admin view with the partner author's gate (see the module)."""

    @wraps(view)
    def guarded(request, *args, **kwargs):
        if not is_partner_author(request.user):
            return view(request, *args, **kwargs)
        match = request.resolver_match
        name = match.view_name if match else ""
        with partner_viewing(request.user):
            context = copy_context()
        response = context.run(_partner_view, view, request, name, args, kwargs)
        return _render_in(context, response)

    return guarded


def admin_urlpatterns_guarded(urlpatterns):
    """Wagtail's admin URL patterns, each view behind `partner_admin_guard`."""
    from wagtail.utils.urlpatterns import decorate_urlpatterns

    return decorate_urlpatterns(urlpatterns, partner_admin_guard)


__all__ = [
    "admin_urlpatterns_guarded",
    "partner_admin_guard",
    "partner_media",
    "partner_series",
    "partner_tags",
]
