from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from briefings.news.ingest.opml import MAX_OPML_BYTES, OpmlError, opml_import


class Command(BaseCommand):
    help = (
        "Add the feeds listed in an OPML file as news sources. Only feed "
        "addresses, titles and categories are read; existing sources are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The OPML file to read.")

    def handle(self, *args, file: Path, **options):
        try:
            with file.open("rb") as handle:
                data = handle.read(MAX_OPML_BYTES + 1)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        try:
            report = opml_import(data=data)
        except OpmlError as error:
            raise CommandError(f"{file}: {error}") from None
        for source in report.created:
            self.stdout.write(f"added: {source.title} <{source.feed_url}>")
        for url in report.existing:
            self.stdout.write(f"already listed: {url}")
        for message in report.skipped:
            self.stderr.write(self.style.WARNING(f"skipped: {message}"))
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(report.created)} added, {len(report.existing)} already "
                f"listed, {len(report.skipped)} skipped."
            )
        )
