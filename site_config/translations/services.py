"""Recording translations and telling whether they are behind their source."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from wagtail.log_actions import get_active_log_context
from wagtail.models import Locale, Page, PageLogEntry

from site_config.models import TranslationRecord

PERMISSION = "site_config.review_translations"

MISSING = "missing"
OUT_OF_DATE = "out_of_date"
NEVER_CHECKED = "never_checked"
ALIAS = "alias"
UP_TO_DATE = "up_to_date"
SOURCE = "source"


def _revision_now(page_id: int) -> int | None:
    """The revision a copy of the page is made from now: the live one for a live
    page, else the latest (what CopyPageForTranslationAction copies)."""
    row = (
        Page.objects.filter(pk=page_id)
        .values("live", "live_revision_id", "latest_revision_id")
        .first()
    )
    if row is None:
        return None
    if row["live"] and row["live_revision_id"]:
        return row["live_revision_id"]
    return row["latest_revision_id"]


def translation_record_made(*, source: Page, translation: Page, user=None):
    """Record that `translation` was just made from `source` as it is now."""
    record, _created = TranslationRecord.objects.update_or_create(
        translation_id=translation.pk,
        defaults={
            "source_id": source.pk,
            "source_revision_id": _revision_now(source.pk),
            "is_alias": translation.alias_of_id is not None,
            "checked_at": timezone.now(),
            "checked_by": user if getattr(user, "pk", None) else None,
        },
    )
    return record


def copy_for_translation_recorded(sender, source_obj, target_obj, **kwargs) -> None:
    """`copy_for_translation_done` receiver: pages only (snippets have no tree of
    revisions to compare)."""
    if isinstance(source_obj, Page) and isinstance(target_obj, Page):
        translation_record_made(
            source=source_obj,
            translation=target_obj,
            user=get_active_log_context().user,
        )


def translation_source_default(*, translation: Page) -> Page | None:
    """The page a translation without a record is compared with: the one in the
    default language of its translation group (None for an original)."""
    if translation.locale_id == Locale.get_default().pk:
        return None
    return (
        Page.objects.filter(
            translation_key=translation.translation_key,
            locale=Locale.get_default(),
        )
        .exclude(pk=translation.pk)
        .first()
    )


def translation_mark_up_to_date(
    *, translation: Page, user, source: Page | None = None
) -> TranslationRecord:
    """Record that `translation` was checked against its source's live revision."""
    record = TranslationRecord.objects.filter(translation=translation).first()
    if source is None:
        source = (
            record.source
            if record
            else translation_source_default(translation=translation)
        )
    if source is None:
        raise ValueError("a translation needs a source page")
    revision_id = (
        Page.objects.filter(pk=source.pk)
        .values_list("live_revision_id", "latest_revision_id")
        .get()
    )
    record, _created = TranslationRecord.objects.update_or_create(
        translation=translation,
        defaults={
            "source": source,
            "source_revision_id": revision_id[0] or revision_id[1],
            "is_alias": translation.alias_of_id is not None,
            "checked_at": timezone.now(),
            "checked_by": user,
        },
    )
    return record


@dataclass(frozen=True)
class TranslationState:
    """One translation (or its absence) as the report and the notice show it."""

    state: str
    language: str
    page_id: int | None = None
    source_id: int | None = None
    checked_revision_id: int | None = None
    live_revision_id: int | None = None
    since: datetime | None = None

    @property
    def label(self) -> str:
        if self.state == OUT_OF_DATE:
            if self.since is None:
                return _("Out of date")
            return _("Out of date since %(date)s") % {
                "date": date_format(timezone.localtime(self.since), "DATE_FORMAT")
            }
        return {
            MISSING: _("Missing"),
            NEVER_CHECKED: _("Never checked"),
            ALIAS: _("Alias"),
            UP_TO_DATE: _("Up to date"),
            SOURCE: _("Source"),
        }[self.state]

    @property
    def compare_url(self) -> str | None:
        """Wagtail's comparison of the source: the revision checked, the live one."""
        if self.state != OUT_OF_DATE or not self.checked_revision_id:
            return None
        return reverse(
            "wagtailadmin_pages:revisions_compare",
            args=[self.source_id, self.checked_revision_id, self.live_revision_id],
        )

    @property
    def can_be_marked(self) -> bool:
        return self.state in (OUT_OF_DATE, NEVER_CHECKED)


def _first_publish_after(source, revision):
    """When the source was first published after `revision` (both expressions)."""
    return Subquery(
        PageLogEntry.objects.filter(
            page_id=OuterRef(source),
            action="wagtail.publish",
            revision_id__gt=OuterRef(revision),
        )
        .order_by("timestamp")
        .values("timestamp")[:1]
    )


def _state(
    *,
    language: str,
    page_id,
    alias_of_id,
    recorded: bool,
    source_id,
    checked,
    live,
    since,
) -> TranslationState:
    if page_id is None:
        return TranslationState(MISSING, language)
    if alias_of_id is not None:
        return TranslationState(ALIAS, language, page_id)
    if not recorded or checked is None:
        return TranslationState(NEVER_CHECKED, language, page_id, source_id)
    if live is not None and live > checked:
        return TranslationState(
            OUT_OF_DATE, language, page_id, source_id, checked, live, since
        )
    return TranslationState(UP_TO_DATE, language, page_id, source_id, checked, live)


def translation_state(*, translation: Page) -> TranslationState:
    """Where one translated page stands against its source (two queries)."""
    language = translation.locale.language_code
    if translation.alias_of_id is not None:
        return TranslationState(ALIAS, language, translation.pk)
    record = (
        TranslationRecord.objects.filter(translation_id=translation.pk)
        .annotate(
            live=F("source__live_revision_id"),
            since=Coalesce(
                _first_publish_after("source_id", "source_revision_id"),
                F("source__last_published_at"),
            ),
        )
        .first()
    )
    if record is None:
        source = translation_source_default(translation=translation)
        return TranslationState(
            NEVER_CHECKED if source else SOURCE,
            language,
            translation.pk,
            source.pk if source else None,
        )
    return _state(
        language=language,
        page_id=translation.pk,
        alias_of_id=None,
        recorded=True,
        source_id=record.source_id,
        checked=record.source_revision_id,
        live=record.live,
        since=record.since,
    )


def _records_of(locale: Locale):
    return TranslationRecord.objects.filter(
        translation__translation_key=OuterRef("translation_key"),
        translation__locale_id=locale.pk,
    )


def _original_pages(default: Locale) -> Q:
    """Pages that are nobody's translation: no record, no alias, and in the
    default language unless their group has no original there."""
    recorded = TranslationRecord.objects.filter(translation_id=OuterRef("pk"))
    default_original = (
        Page.objects.filter(
            translation_key=OuterRef("translation_key"),
            locale_id=default.pk,
            alias_of__isnull=True,
        )
        .exclude(pk=OuterRef("pk"))
        .exclude(
            Exists(TranslationRecord.objects.filter(translation_id=OuterRef("pk")))
        )
    )
    return (
        Q(alias_of__isnull=True, depth__gt=1)
        & ~Exists(recorded)
        & (Q(locale_id=default.pk) | ~Exists(default_original))
    )


def translations_report_pages(*, locales: list[Locale]) -> QuerySet:
    """Every source page with, per language, its translation and the record of
    it, in one query whatever the number of pages."""
    queryset = Page.objects.filter(_original_pages(Locale.get_default()))
    for locale in locales:
        code = locale.language_code.replace("-", "_")
        group = Page.objects.filter(
            translation_key=OuterRef("translation_key"), locale_id=locale.pk
        )
        records = _records_of(locale)
        queryset = queryset.annotate(
            **{
                f"t_{code}": Subquery(group.values("pk")[:1]),
                f"alias_{code}": Subquery(group.values("alias_of_id")[:1]),
                f"recorded_{code}": Exists(records),
                f"rsource_{code}": Subquery(records.values("source_id")[:1]),
                f"checked_{code}": Subquery(records.values("source_revision_id")[:1]),
                f"live_{code}": Subquery(
                    records.values("source__live_revision_id")[:1]
                ),
            }
        ).annotate(
            **{
                f"since_{code}": Coalesce(
                    _first_publish_after(f"rsource_{code}", f"checked_{code}"),
                    Subquery(records.values("source__last_published_at")[:1]),
                )
            }
        )
    return queryset


def translations_report_filter(queryset, *, locales, states) -> QuerySet:
    """Source pages with at least one translation in one of `states`."""
    wanted = Q(pk__in=[])
    for locale in locales:
        code = locale.language_code.replace("-", "_")
        other = ~Q(locale_id=locale.pk)
        present = Q(**{f"t_{code}__isnull": False, f"alias_{code}__isnull": True})
        if MISSING in states:
            wanted |= Q(**{f"t_{code}__isnull": True})
        if OUT_OF_DATE in states:
            wanted |= (
                present
                & Q(**{f"recorded_{code}": True})
                & Q(**{f"live_{code}__gt": F(f"checked_{code}")})
            )
        if NEVER_CHECKED in states:
            wanted |= (
                other
                & present
                & (
                    Q(**{f"recorded_{code}": False})
                    | Q(**{f"checked_{code}__isnull": True})
                )
            )
    return queryset.filter(wanted)


def translations_report_states(page, *, locales) -> list[TranslationState]:
    """The states of a page's translations, from `translations_report_pages`."""
    states = []
    for locale in locales:
        code = locale.language_code.replace("-", "_")
        if locale.pk == page.locale_id:
            states.append(TranslationState(SOURCE, locale.language_code, page.pk))
            continue
        states.append(
            _state(
                language=locale.language_code,
                page_id=getattr(page, f"t_{code}"),
                alias_of_id=getattr(page, f"alias_{code}"),
                recorded=getattr(page, f"recorded_{code}"),
                source_id=getattr(page, f"rsource_{code}"),
                checked=getattr(page, f"checked_{code}"),
                live=getattr(page, f"live_{code}"),
                since=getattr(page, f"since_{code}"),
            )
        )
    return states


def translations_mark_all_up_to_date(*, made_since: datetime) -> int:
    """Mark up to date the translations made since `made_since` that nobody has
    checked, and those never recorded (the demo's, written from their sources
    as they are now); the number marked. Older records keep their state."""
    made_now = TranslationRecord.objects.filter(
        made_at__gte=made_since, checked_by__isnull=True, is_alias=False
    ).select_related("translation")
    marked = 0
    for record in made_now:
        translation_mark_up_to_date(translation=record.translation, user=None)
        marked += 1
    default = Locale.get_default()
    originals = Page.objects.filter(locale=default, alias_of__isnull=True, depth__gt=1)
    sources = {page.translation_key: page for page in originals}
    unrecorded = (
        Page.objects.filter(
            translation_key__in=originals.values("translation_key"),
            alias_of__isnull=True,
            translation_record__isnull=True,
        )
        .exclude(locale=default)
        .order_by("path")
    )
    for translation in unrecorded:
        translation_mark_up_to_date(
            translation=translation,
            user=None,
            source=sources[translation.translation_key],
        )
        marked += 1
    return marked
