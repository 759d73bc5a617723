from django.core.management.base import BaseCommand, CommandError

from wagtail.models import Page

from briefings.newsletter.choices import DispatchStatus
from briefings.newsletter.dispatch import (
    DispatchRefused,
    dispatch_cancel,
    dispatch_check,
    dispatch_create,
    dispatch_for,
    dispatch_pause,
    dispatch_progress,
    dispatch_resume,
    dispatch_send,
    recipients_by_language,
    recipients_sample,
)
from briefings.newsletter.models import MailingList

FINISHED = (DispatchStatus.DONE, DispatchStatus.DONE_WITH_FAILURES)


class Command(BaseCommand):
    help = (
        "Send a published digest issue to a mailing list, each subscriber in "
        "their language. Run it again to resume a dispatch that stopped: only "
        "what was not sent goes out, and messages in doubt are left to staff. "
        "--pause, --resume and --cancel act on a dispatch under way."
    )

    def add_arguments(self, parser):
        parser.add_argument("page_id", type=int, help="The issue's page id.")
        parser.add_argument(
            "--list", dest="slug", required=True, help="The mailing list's slug."
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=(
                "Show how many subscribers of the list would get it in each "
                "language, and three of them; send nothing."
            ),
        )
        parser.add_argument("--batch-size", type=int, default=500)
        action = parser.add_mutually_exclusive_group()
        action.add_argument(
            "--pause",
            action="store_true",
            help="Stop sending before the next message, until resumed.",
        )
        action.add_argument(
            "--resume",
            action="store_true",
            help="Resume a paused dispatch and send what is left.",
        )
        action.add_argument(
            "--cancel",
            action="store_true",
            help="Stop for good; what was not sent is recorded as not sent.",
        )

    def handle(self, *args, page_id, slug, dry_run, batch_size, **options):
        page = Page.objects.filter(pk=page_id).first()
        if page is None:
            raise CommandError(f"No page with id {page_id}.")
        page = page.specific
        mailing_list = MailingList.objects.filter(slug=slug).first()
        if mailing_list is None:
            known = ", ".join(MailingList.objects.values_list("slug", flat=True))
            raise CommandError(f"No mailing list '{slug}' (lists: {known or 'none'}).")
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        dispatch = dispatch_for(page=page, mailing_list=mailing_list)
        if options["pause"] or options["cancel"]:
            self._stop(dispatch, cancel=options["cancel"])
            return
        if dispatch is None:
            if options["resume"]:
                raise CommandError("Nothing to resume: this issue was not sent.")
            try:
                dispatch_check(page=page, mailing_list=mailing_list)
            except DispatchRefused as error:
                raise CommandError(str(error)) from None
        elif dispatch.status in FINISHED:
            raise CommandError(
                f"“{page.title}” was already sent to “{mailing_list}” "
                f"(dispatch {dispatch.pk}); nobody gets it twice."
            )
        elif dispatch.status == DispatchStatus.CANCELLED:
            raise CommandError(f"Dispatch {dispatch.pk} was cancelled.")
        elif dispatch.status == DispatchStatus.PAUSED and not options["resume"]:
            raise CommandError(
                f"Dispatch {dispatch.pk} is paused; --resume sends what is left."
            )
        counts = recipients_by_language(page=page, mailing_list=mailing_list)
        total = sum(counts.values())
        if dry_run:
            self._dry_run(page, mailing_list, counts, total)
            return
        for language, count in counts.items():
            self.stdout.write(f"{language}: {count}")
        if dispatch is None:
            try:
                dispatch = dispatch_create(page=page, mailing_list=mailing_list)
            except DispatchRefused as error:
                raise CommandError(str(error)) from None
        else:
            dispatch_resume(dispatch=dispatch)
            self.stdout.write(f"Resuming dispatch {dispatch.pk}.")
        report = dispatch_send(dispatch=dispatch, batch_size=batch_size)
        if report.busy:
            dispatch.refresh_from_db()
            raise CommandError(
                f"Dispatch {dispatch.pk} is being sent by another worker "
                f"({dispatch.runner or 'none'}); if that worker died, its lease "
                f"runs out at {dispatch.lease_until:%H:%M:%S} and any worker "
                "takes over."
                if dispatch.lease_until
                else f"Dispatch {dispatch.pk} cannot be sent ({dispatch.status})."
            )
        progress = dispatch_progress(dispatch=dispatch)
        summary = (
            f"Dispatch {dispatch.pk}: {progress['sent']} of {progress['total']} "
            f"sent, {progress['failed']} failed, {progress['skipped']} skipped, "
            f"{progress['uncertain']} in doubt."
        )
        if report.stopped:
            summary += f" Stopped: {report.stopped}."
        self.stdout.write(self.style.SUCCESS(summary))
        if progress["uncertain"]:
            self.stdout.write(
                "Messages in doubt are never sent again on their own: decide on "
                "the dispatch's screen in the admin."
            )

    def _dry_run(self, page, mailing_list, counts: dict, total: int) -> None:
        """Counts per language of the list, and a few recipients as examples."""
        slug = mailing_list.slug
        self.stdout.write(f"Dry run: “{page.title}” to “{mailing_list}” ({slug})")
        for language, count in counts.items():
            noun = "recipient" if count == 1 else "recipients"
            self.stdout.write(f"  {language}: {count} {noun}")
        samples = recipients_sample(page=page, mailing_list=mailing_list, count=3)
        if samples:
            self.stdout.write(f"Sample recipients ({len(samples)} of {total}):")
            for email, language in samples:
                self.stdout.write(f"  {email} ({language})")
        self.stdout.write(f"Dry run: {total} recipients, nothing sent.")

    def _stop(self, dispatch, *, cancel: bool) -> None:
        if dispatch is None:
            raise CommandError("This issue was not sent to this list.")
        if cancel:
            if dispatch.status in (*FINISHED, DispatchStatus.CANCELLED):
                raise CommandError(f"Dispatch {dispatch.pk} is over already.")
            count = dispatch_cancel(dispatch=dispatch)
            self.stdout.write(
                self.style.SUCCESS(
                    f"Dispatch {dispatch.pk} cancelled: {count} messages not sent."
                )
            )
            return
        if not dispatch_pause(dispatch=dispatch):
            raise CommandError(
                f"Dispatch {dispatch.pk} is not being sent ({dispatch.status})."
            )
        self.stdout.write(self.style.SUCCESS(f"Dispatch {dispatch.pk} paused."))
