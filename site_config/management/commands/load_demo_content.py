from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from wagtail.models import Site

from site_config.demo.build import demo_site_build
from site_config.search_index import tasks_run_here


def default_site_address_set() -> str:
    """Give the default Wagtail Site BASE_URL's host and port, so that Wagtail's
    own absolute URLs (page.full_url) agree with the links the site writes."""
    parts = urlsplit(settings.BASE_URL)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    hostname = parts.hostname or "localhost"
    site = Site.objects.filter(is_default_site=True).first()
    if site is not None and (site.hostname, site.port) != (hostname, port):
        site.hostname, site.port = hostname, port
        site.save(update_fields=["hostname", "port"])
    return f"{hostname}:{port}"


class Command(BaseCommand):
    help = (
        "Build the demo site from the institute's public facts. Safe to run again: "
        "it only adds what is missing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=int,
            default=0,
            metavar="N",
            help="Also add N synthetic records of each content type (benchmarks).",
        )

    def handle(self, *args, scale: int, **options):
        if scale < 0 or scale > 100_000:
            raise CommandError("--scale must be between 0 and 100000.")
        # Index updates (and other tasks) run here, not in a queue: the demo is
        # searchable as soon as the command ends, with or without a worker.
        with tasks_run_here():
            report = demo_site_build(scale=scale)
        address = default_site_address_set()
        self.stdout.write(f"Site address: {address} (from BASE_URL).")
        if report.created:
            summary = ", ".join(f"{n} {label}" for label, n in report.created.items())
            self.stdout.write(self.style.SUCCESS(f"Demo content added: {summary}."))
        else:
            self.stdout.write("Demo content already in place; nothing added.")
        for username, password in report.partner_passwords.items():
            self.stdout.write(
                self.style.WARNING(
                    f"Voices partner login: user: {username}  password: {password}"
                )
            )
        if report.admin_created:
            self.stdout.write(
                self.style.WARNING(
                    "Admin login (at /admin/): user: admin  "
                    f"password: {report.admin_password}"
                )
            )
        elif report.admin_password:
            self.stdout.write("Admin password reset from DEMO_ADMIN_PASSWORD.")
        else:
            self.stdout.write(
                "Admin login: user 'admin', with the password printed on the first "
                "run (set DEMO_ADMIN_PASSWORD and run again to choose a new one)."
            )
