from django.core.management.base import BaseCommand, CommandError

from briefings.news.choices import FetchOutcome
from briefings.news.ingest.refresh import IngestReport, sources_ingest
from briefings.news.models import NewsSource

TITLE_WIDTH = 40


class Command(BaseCommand):
    help = (
        "Fetch news feeds into the inbox, showing progress per source and a "
        "summary. Exits 0 even when some feeds fail: failures are recorded on "
        "their sources and retried with backoff."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--source",
            type=int,
            action="append",
            metavar="ID",
            help="Only this source (may be repeated); fetched even if not due.",
        )
        parser.add_argument(
            "--due-only",
            action="store_true",
            help="Only active sources whose next poll time has come (for cron).",
        )

    def handle(self, *args, source=None, due_only=False, **options):
        if source:
            missing = set(source) - set(
                NewsSource.objects.filter(pk__in=source).values_list("pk", flat=True)
            )
            if missing:
                raise CommandError(
                    "No news source with id "
                    + ", ".join(str(pk) for pk in sorted(missing))
                    + "."
                )
        reports = sources_ingest(
            source_ids=source, due_only=due_only, progress=self.progress
        )
        self.summary(reports)

    def progress(self, report: IngestReport) -> None:
        if report.outcome == FetchOutcome.FAILED:
            line = self.style.ERROR(f"failed: {report.error}")
        elif report.outcome == FetchOutcome.NOT_MODIFIED:
            line = "not modified"
        elif report.outcome == FetchOutcome.UNCHANGED:
            line = "unchanged (same document as last time)"
        elif report.outcome == "skipped":
            line = f"skipped: {report.note}"
        else:
            line = self.style.SUCCESS(
                f"{report.new} new, {report.updated} updated, "
                f"{report.unchanged} unchanged"
            )
            if report.dismissed_by_rules:
                line += f", {report.dismissed_by_rules} dismissed by keyword rules"
        self.stdout.write(f"[{report.source_id}] {report.title}: {line}")

    def summary(self, reports: list[IngestReport]) -> None:
        if not reports:
            self.stdout.write("No news source to fetch.")
            return
        header = (
            f"{'Source':<{TITLE_WIDTH}} {'New':>5} {'Updated':>8} "
            f"{'Unchanged':>10}  Result"
        )
        self.stdout.write("")
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for report in reports:
            title = report.title[: TITLE_WIDTH - 1]
            self.stdout.write(
                f"{title:<{TITLE_WIDTH}} {report.new:>5} {report.updated:>8} "
                f"{report.unchanged:>10}  {self.result_label(report)}"
            )
        self.stdout.write("-" * len(header))
        totals = {
            name: sum(getattr(report, name) for report in reports)
            for name in ("new", "updated", "unchanged")
        }
        self.stdout.write(
            f"{'Total':<{TITLE_WIDTH}} {totals['new']:>5} {totals['updated']:>8} "
            f"{totals['unchanged']:>10}"
        )
        count = {
            outcome: sum(1 for report in reports if report.outcome == outcome)
            for outcome in (*FetchOutcome.values, "skipped")
        }
        self.stdout.write(
            f"{len(reports)} sources: {count[FetchOutcome.CHANGED]} with new "
            f"content, {count[FetchOutcome.UNCHANGED]} unchanged, "
            f"{count[FetchOutcome.NOT_MODIFIED]} not modified, "
            f"{count[FetchOutcome.FAILED]} failed, {count['skipped']} skipped."
        )

    @staticmethod
    def result_label(report: IngestReport) -> str:
        if report.outcome == "skipped":
            return "skipped"
        return str(FetchOutcome(report.outcome).label)
