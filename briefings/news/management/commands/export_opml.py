from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from briefings.news.ingest.opml import opml_export


class Command(BaseCommand):
    help = "Write every news source as an OPML 2.0 document (to stdout by default)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", type=Path, metavar="FILE", help="Write to this file instead."
        )

    def handle(self, *args, output: Path | None = None, **options):
        document = opml_export()
        if output is None:
            self.stdout.write(document.decode("utf-8"), ending="")
            return
        try:
            output.write_bytes(document)
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error.strerror}.") from None
        self.stderr.write(f"Wrote {output}.")
