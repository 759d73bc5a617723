"""Apply the subscribers' retention periods the privacy notice states."""

from django.core.management.base import BaseCommand

from briefings.newsletter.privacy import retention, subscribers_purge


class Command(BaseCommand):
    help = (
        "Delete never-confirmed sign-ups and people who left, keeping hashed "
        "suppression entries and consent records for the stated period. Run daily."
    )

    def handle(self, *args, **options):
        periods = retention()
        report = subscribers_purge()
        self.stdout.write(
            f"Unconfirmed sign-ups older than {periods.pending_days} days deleted: "
            f"{report.pending_deleted}\n"
            f"People who left more than {periods.left_days} days ago deleted: "
            f"{report.left_deleted}\n"
            f"Consent records older than {periods.consent_days} days deleted: "
            f"{report.consents_deleted}"
        )
