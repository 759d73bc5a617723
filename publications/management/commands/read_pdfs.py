from collections import Counter

from django.core.management.base import BaseCommand

from publications.pdf.read import document_text_read, pdf_documents_unread


class Command(BaseCommand):
    help = (
        "Read the text of PDF documents for search inside them (in the sandbox), "
        "store it and reindex their publications. By default only documents "
        "never read or whose file changed since."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--all",
            action="store_true",
            dest="everything",
            help="Read every PDF document again, even those read already.",
        )

    def handle(self, *args, everything: bool, **options):
        documents = pdf_documents_unread(everything=everything)
        statuses: Counter = Counter()
        for position, document in enumerate(documents, start=1):
            text = document_text_read(document=document, force=True)
            if text is None:
                continue
            statuses[text.get_status_display()] += 1
            reason = f" ({text.reason})" if text.reason else ""
            self.stdout.write(
                f"[{position}/{len(documents)}] {document.title}: "
                f"{text.get_status_display()}, {text.pages_read} pages{reason}"
            )
        summary = ", ".join(f"{count} {label}" for label, count in statuses.items())
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(documents)} PDF documents read"
                + (f": {summary}." if summary else ".")
            )
        )
