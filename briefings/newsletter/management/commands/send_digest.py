from django.core.management.base import BaseCommand, CommandError

from wagtail.models import Page

from briefings.newsletter.choices import DispatchStatus
from briefings.newsletter.dispatch import (
    DispatchRefused,
    dispatch_check,
    dispatch_create,
    dispatch_for,
    dispatch_progress,
    dispatch_send,
    recipients_by_language,
)
from briefings.newsletter.models import MailingList


class Command(BaseCommand):
    help = (
        "Send a published digest issue to a mailing list, each subscriber in "
        "their language. Run it again to resume a dispatch that stopped: only "
        "what was not sent goes out."
    )

    def add_arguments(self, parser):
        parser.add_argument("page_id", type=int, help="The issue's page id.")
        parser.add_argument(
            "--list", dest="slug", required=True, help="The mailing list's slug."
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Show who would get it, in which language; send nothing.",
        )
        parser.add_argument("--batch-size", type=int, default=500)

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
        if dispatch is None:
            try:
                dispatch_check(page=page, mailing_list=mailing_list)
            except DispatchRefused as error:
                raise CommandError(str(error)) from None
        elif dispatch.status in (
            DispatchStatus.DONE,
            DispatchStatus.DONE_WITH_FAILURES,
        ):
            raise CommandError(
                f"“{page.title}” was already sent to “{mailing_list}” "
                f"(dispatch {dispatch.pk}); nobody gets it twice."
            )
        counts = recipients_by_language(page=page, mailing_list=mailing_list)
        for language, count in counts.items():
            self.stdout.write(f"{language}: {count}")
        total = sum(counts.values())
        if dry_run:
            self.stdout.write(f"Dry run: {total} recipients, nothing sent.")
            return
        if dispatch is None:
            try:
                dispatch = dispatch_create(page=page, mailing_list=mailing_list)
            except DispatchRefused as error:
                raise CommandError(str(error)) from None
        else:
            self.stdout.write(f"Resuming dispatch {dispatch.pk}.")
        report = dispatch_send(dispatch=dispatch, batch_size=batch_size)
        if report.busy:
            raise CommandError(
                f"Dispatch {dispatch.pk} is being sent by another worker right now."
            )
        progress = dispatch_progress(dispatch=dispatch)
        self.stdout.write(
            self.style.SUCCESS(
                f"Dispatch {dispatch.pk}: {progress['sent']} of {progress['total']} "
                f"sent, {progress['failed']} failed, {progress['skipped']} skipped."
            )
        )
