"""Sends planned for later: at a time, or when the page goes live.

A `ScheduledSend` is only a promise. When it is due (its time has come, or its
page went live) it becomes a `Dispatch` through `dispatch_create`, which makes
the same checks as a send started by hand; a refusal is recorded with its
reason for staff to read. Each one is started at most once: the change from
"waiting" to "started" is one conditional UPDATE, in the transaction that
creates the dispatch.

Times are stored in UTC. Staff type and read them in the institute's time
zone (settings.TIME_ZONE), whatever time zone their own admin profile names.
"""

import logging
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from wagtail.models import Page

from briefings.newsletter.choices import ScheduledSendStatus
from briefings.newsletter.dispatch import (
    DispatchRefused,
    dispatch_check,
    dispatch_create,
    dispatch_for,
)
from briefings.newsletter.models import Dispatch, MailingList, ScheduledSend

logger = logging.getLogger(__name__)


class ScheduleRefused(Exception):
    """This send cannot be planned (a clear reason for staff)."""


class WallClockError(ValueError):
    """A local time that a day of clock change skips or repeats."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.code = code


def institute_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def wall_clock_to_utc(value: datetime, zone: ZoneInfo | None = None) -> datetime:
    """A naive local time in the institute's zone as an aware UTC datetime.

    Refuses the times that do not exist (clocks go forward) and those that
    happen twice (clocks go back): guessing either would send an hour off.
    """
    zone = zone or institute_zone()
    first = value.replace(tzinfo=zone, fold=0)
    second = value.replace(tzinfo=zone, fold=1)
    if first.utcoffset() != second.utcoffset():
        back = first.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
        if back != value:
            raise WallClockError(
                _(
                    "%(time)s does not exist in %(zone)s: the clocks go forward "
                    "that night. Choose another time."
                )
                % {"time": value.strftime("%Y-%m-%d %H:%M"), "zone": zone.key},
                code="imaginary",
            )
        raise WallClockError(
            _(
                "%(time)s happens twice in %(zone)s: the clocks go back that "
                "night. Choose another time."
            )
            % {"time": value.strftime("%Y-%m-%d %H:%M"), "zone": zone.key},
            code="ambiguous",
        )
    return first.astimezone(UTC)


def page_go_live_at(page: Page) -> datetime | None:
    """When a page that is not live yet is scheduled to go live, if it is."""
    if page.live:
        return None
    revision = page.revisions.filter(approved_go_live_at__isnull=False).first()
    return revision.approved_go_live_at if revision else None


def scheduled_sends_pending(*, page: Page):
    """Waiting sends of this issue in any of its languages, soonest first."""
    return (
        ScheduledSend.objects.filter(
            status=ScheduledSendStatus.PENDING,
            page__translation_key=page.translation_key,
        )
        .select_related("page", "mailing_list", "created_by")
        .order_by(F("send_at").asc(nulls_first=True), "pk")
    )


def scheduled_send_create(
    *,
    page: Page,
    mailing_list: MailingList,
    send_at: datetime | None,
    user=None,
    now: datetime | None = None,
) -> ScheduledSend:
    """Plan a send at `send_at` (aware), or when the page goes live (None)."""
    now = now or timezone.now()
    page = page.specific
    go_live_at = page_go_live_at(page)
    if send_at is None:
        if page.live:
            raise ScheduleRefused(
                _("This issue is already live: send it now or choose a time.")
            )
        if go_live_at is None:
            raise ScheduleRefused(
                _(
                    "This issue is not live and not scheduled to go live. Publish "
                    "it, or set a go-live date and publish, then come back."
                )
            )
    else:
        if send_at <= now:
            raise ScheduleRefused(_("This time is in the past. Choose a later time."))
        if not page.live and go_live_at is None:
            raise ScheduleRefused(
                _(
                    "This issue is not live and not scheduled to go live. Publish "
                    "it, or set a go-live date and publish, then come back."
                )
            )
        if go_live_at is not None and send_at < go_live_at:
            raise ScheduleRefused(
                _(
                    "The issue goes live only at %(go_live)s. Choose a later time, "
                    "or “when the page goes live”."
                )
                % {"go_live": local_text(go_live_at)}
            )
    with transaction.atomic():
        # One plan at a time per list, as dispatch_create does.
        MailingList.objects.select_for_update().get(pk=mailing_list.pk)
        if page.live:
            try:
                dispatch_check(page=page, mailing_list=mailing_list)
            except DispatchRefused as refused:
                raise ScheduleRefused(str(refused)) from refused
        else:
            if not mailing_list.carries(page):
                raise ScheduleRefused(
                    _("The list “%(list)s” does not carry this kind of digest.")
                    % {"list": mailing_list}
                )
            if dispatch_for(page=page, mailing_list=mailing_list):
                raise ScheduleRefused(
                    _("This issue has already been sent to “%(list)s”.")
                    % {"list": mailing_list}
                )
        if ScheduledSend.objects.filter(
            status=ScheduledSendStatus.PENDING,
            mailing_list=mailing_list,
            page__translation_key=page.translation_key,
        ).exists():
            raise ScheduleRefused(
                _(
                    "A send of this issue to “%(list)s” is already planned. Cancel "
                    "it first to change it."
                )
                % {"list": mailing_list}
            )
        try:
            with transaction.atomic():
                return ScheduledSend.objects.create(
                    page=page,
                    mailing_list=mailing_list,
                    send_at=send_at,
                    created_by=user,
                )
        except IntegrityError as error:
            raise ScheduleRefused(
                _("A send of this issue to “%(list)s” is already planned.")
                % {"list": mailing_list}
            ) from error


def scheduled_send_cancel(*, scheduled_send: ScheduledSend, user=None) -> bool:
    """Cancel a waiting send; False when it had already started or stopped."""
    return bool(
        ScheduledSend.objects.filter(
            pk=scheduled_send.pk, status=ScheduledSendStatus.PENDING
        ).update(
            status=ScheduledSendStatus.CANCELLED,
            cancelled_by=user,
            finished_at=timezone.now(),
        )
    )


def _send_task_enqueue(dispatch_id: int) -> None:
    # Imported here: the tasks module imports this one.
    from briefings.newsletter.tasks import dispatch_send_task

    dispatch_send_task.enqueue(dispatch_id)


def scheduled_send_start(*, scheduled_send: ScheduledSend) -> Dispatch | None:
    """Turn a waiting send into a dispatch (once), or record why it cannot be."""
    now = timezone.now()
    with transaction.atomic():
        taken = ScheduledSend.objects.filter(
            pk=scheduled_send.pk, status=ScheduledSendStatus.PENDING
        ).update(status=ScheduledSendStatus.STARTED, finished_at=now)
        if not taken:
            return None  # cancelled, or started by another run
        scheduled_send = ScheduledSend.objects.select_related(
            "page", "mailing_list", "created_by"
        ).get(pk=scheduled_send.pk)
        try:
            dispatch = dispatch_create(
                page=scheduled_send.page,
                mailing_list=scheduled_send.mailing_list,
                user=scheduled_send.created_by,
            )
        except DispatchRefused as refused:
            ScheduledSend.objects.filter(pk=scheduled_send.pk).update(
                status=ScheduledSendStatus.REFUSED, reason=str(refused)[:2000]
            )
            logger.warning("Scheduled send %s refused: %s", scheduled_send.pk, refused)
            return None
        ScheduledSend.objects.filter(pk=scheduled_send.pk).update(dispatch=dispatch)
        # Sending starts once the dispatch is committed, never inside this
        # transaction (a worker could not see it yet).
        transaction.on_commit(lambda: _send_task_enqueue(dispatch.pk))
    logger.info("Scheduled send %s started dispatch %s", scheduled_send.pk, dispatch.pk)
    return dispatch


def scheduled_sends_start_due(*, now: datetime | None = None) -> list[int]:
    """Start every waiting send that is due; the ids of the dispatches started.

    Due: its time has come, or it waits for its page and the page is live (the
    page_published signal starts those at once; this catches any it missed).
    """
    now = now or timezone.now()
    due = (
        ScheduledSend.objects.filter(status=ScheduledSendStatus.PENDING)
        .filter(
            Q(send_at__lte=now) | Q(send_at__isnull=True, page__live=True),
        )
        .order_by("send_at", "pk")
    )
    started = []
    for scheduled_send in list(due):
        dispatch = scheduled_send_start(scheduled_send=scheduled_send)
        if dispatch is not None:
            started.append(dispatch.pk)
    return started


def scheduled_sends_waiting_for(*, page: Page) -> bool:
    """Whether some send waits for this page to go live."""
    return ScheduledSend.objects.filter(
        status=ScheduledSendStatus.PENDING, send_at__isnull=True, page_id=page.pk
    ).exists()


def page_published_receiver(sender, instance, **kwargs) -> None:
    """A page went live: start the sends that waited for it (in the worker).

    Wagtail also sends `page_published` when it only records a schedule for
    later; the page is not live then, and nothing starts.
    """
    if not instance.live or not scheduled_sends_waiting_for(page=instance):
        return
    from briefings.newsletter.tasks import scheduled_sends_due_task

    transaction.on_commit(scheduled_sends_due_task.enqueue)


def local_text(value: datetime) -> str:
    """A moment as staff read it: in the institute's time zone, with its name."""
    local = timezone.localtime(value, institute_zone())
    return f"{local:%Y-%m-%d %H:%M} ({institute_zone().key})"


def local_input_value(value: datetime) -> str:
    return f"{timezone.localtime(value, institute_zone()):%Y-%m-%dT%H:%M}"


def default_send_at(now: datetime | None = None) -> datetime:
    """A suggestion for the form: the next whole hour, at least 30 minutes away."""
    # In UTC: the institute's offsets are whole hours, and no local hour is
    # skipped or repeated this way.
    later = (now or timezone.now()).astimezone(UTC) + timedelta(minutes=90)
    return later.replace(minute=0, second=0, microsecond=0)


def scheduled_sends_refused(*, page: Page, limit: int = 20) -> list[ScheduledSend]:
    """Planned sends of this issue that were refused when due, with the reason."""
    return list(
        ScheduledSend.objects.filter(
            status=ScheduledSendStatus.REFUSED,
            page__translation_key=page.translation_key,
        )
        .select_related("mailing_list")
        .order_by("-finished_at", "-pk")[:limit]
    )
