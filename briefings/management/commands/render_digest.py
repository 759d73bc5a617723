"""Write one digest issue as an email (HTML, plain text or MJML)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wagtail.models import Locale, Page

from briefings.email.render import render_digest_email
from briefings.models import DigestPage, digest_page_models

FORMATS = ("html", "text", "mjml")


class Command(BaseCommand):
    help = "Render a digest issue as an email (HTML, plain text or MJML)."

    def add_arguments(self, parser):
        parser.add_argument("page_id", help="The id of the issue page.")
        parser.add_argument("--format", default="html", help="html, text or mjml.")
        parser.add_argument(
            "--locale", help="Render the issue's translation in this language."
        )
        parser.add_argument(
            "-o", "--output", help="Write to this file instead of standard output."
        )
        parser.add_argument("--base-url", help="Absolute base of every link.")

    def handle(self, *args, page_id, format, locale, output, base_url, **options):
        if format not in FORMATS:
            raise CommandError(
                f"Unknown format {format!r}: choose one of {', '.join(FORMATS)}."
            )
        try:
            pk = int(page_id)
        except ValueError:
            raise CommandError(f"{page_id!r} is not a page id (a number).") from None
        page = Page.objects.filter(pk=pk).first()
        if page is None:
            raise CommandError(f"No page has the id {pk}.")
        page = page.specific
        if not isinstance(page, DigestPage):
            kinds = ", ".join(
                str(model._meta.verbose_name) for model in digest_page_models()
            )
            raise CommandError(
                f"Page {pk} ({page.title!r}) is a {page._meta.verbose_name}, "
                f"not a digest issue ({kinds})."
            )
        if locale:
            target = Locale.objects.filter(language_code=locale).first()
            if target is None:
                codes = ", ".join(
                    Locale.objects.values_list("language_code", flat=True)
                )
                raise CommandError(
                    f"Unknown language {locale!r}: choose one of {codes}."
                )
            translation = page.get_translation_or_none(target)
            if translation is None:
                raise CommandError(f"Page {pk} has no translation in {locale!r}.")
            page = translation
        email = render_digest_email(page, base_url=base_url)
        content = {"html": email.html, "text": email.text, "mjml": email.mjml}[format]
        if output:
            try:
                Path(output).write_text(content, encoding="utf-8")
            except OSError as error:
                raise CommandError(
                    f"Cannot write {output}: {error.strerror}."
                ) from None
            self.stderr.write(f"Wrote {format} of {page.title!r} to {output}.")
        else:
            self.stdout.write(content, ending="" if content.endswith("\n") else "\n")
