from django.core.management.base import BaseCommand, CommandError

from publications.library.tally import library_counts_drift, library_counts_rebuild


class Command(BaseCommand):
    help = (
        "Count the library's publications per facet again from scratch (after a "
        "bulk load or a change made outside Django). With --check, only report "
        "what differs and exit with an error if anything does."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Compare the stored counts with a fresh count; change nothing.",
        )

    def handle(self, *args, check: bool, **options):
        if check:
            problems = library_counts_drift()
            for problem in problems[:50]:
                self.stdout.write(problem)
            if problems:
                raise CommandError(
                    f"{len(problems)} library counts differ; run "
                    "`manage.py library_counts` to count again."
                )
            self.stdout.write("Library counts are current.")
            return
        listed = library_counts_rebuild()
        self.stdout.write(
            self.style.SUCCESS(f"Library counts rebuilt: {listed} publications listed.")
        )
