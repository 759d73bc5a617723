from django.core.management.base import BaseCommand, CommandError

from publications.partners import PartnerError, partner_ensure


class Command(BaseCommand):
    help = (
        "Give a partner organisation its group, collection and permissions on "
        "every translation of a Voices series, and optionally invite its first "
        "author. Running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="The partner's name, e.g. APDE.")
        parser.add_argument(
            "--series",
            required=True,
            action="append",
            metavar="SLUG",
            help="Slug of the Voices series (any language); repeat for several.",
        )
        parser.add_argument(
            "--email", default="", help="Invite a first author with this address."
        )

    def handle(self, *args, name: str, series: list[str], email: str, **options):
        changed = False
        for position, slug in enumerate(series):
            try:
                report = partner_ensure(
                    name=name, series_slug=slug, email=email if position == 0 else ""
                )
            except PartnerError as error:
                raise CommandError(str(error)) from None
            changed = changed or bool(report.created)
            languages = ", ".join(
                f"{page.title} ({page.locale.language_code})" for page in report.series
            )
            self.stdout.write(f"{report.partner.name}: {languages}")
            for line in report.created:
                self.stdout.write(f"  created: {line}")
            if report.invited:
                self.stdout.write(f"  invitation sent to {report.user.email}")
            elif report.user is not None:
                self.stdout.write(f"  {report.user.email} is in the group")
        total = "done" if changed else "nothing changed"
        self.stdout.write(
            self.style.SUCCESS(f"Partner {report.partner.name}: {total}.")
        )
