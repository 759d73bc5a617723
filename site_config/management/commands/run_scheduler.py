"""Run all periodic work in this process, until stopped (exactly one per site)."""

import signal

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from site_config.scheduler import JOBS, scheduler_build, scheduler_lock


class Command(BaseCommand):
    help = (
        "Run the periodic jobs (feed polls, scheduled sends, scheduled publishing, "
        "pruning, purges) until stopped. Run exactly one beside the web server and "
        "the task worker: a second one finds the lock taken and stops."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--list", action="store_true", help="Print the jobs and their intervals."
        )

    def handle(self, *args, **options):
        if options["list"]:
            for job in JOBS:
                interval = settings.SCHEDULER_INTERVALS.get(job.name, "?")
                self.stdout.write(f"{job.name}\tevery {interval} s\t{job.description}")
            return
        lock = scheduler_lock()
        if not lock.acquire():
            raise CommandError(
                "Another scheduler is running for this database (it holds the "
                "lock): this one stops. Run exactly one."
            )
        try:
            scheduler = scheduler_build(lock=lock)

            def stop(signum, frame):
                if scheduler.running:
                    scheduler.shutdown(wait=False)

            signal.signal(signal.SIGTERM, stop)
            self.stdout.write(
                f"Scheduler started with {len(JOBS)} jobs (Ctrl-C or SIGTERM stops it)."
            )
            self.stdout.flush()
            try:
                scheduler.start()
            except KeyboardInterrupt:
                stop(signal.SIGINT, None)
        finally:
            lock.release()
        if getattr(scheduler, "lost_lock", False):
            raise CommandError("The scheduler lost its lock and stopped.")
        self.stdout.write("Scheduler stopped.")
