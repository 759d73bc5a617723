"""Import subscribers from CSV: confirmed only when the file says they consented."""

import csv
import io
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from briefings.newsletter.choices import ConsentAction, SubscriberStatus
from briefings.newsletter.models import (
    SUPPRESSED_STATUSES,
    ConsentRecord,
    MailingList,
    Subscriber,
    Subscription,
    address_hash,
    email_is_valid,
    normalize_email,
)
from briefings.newsletter.privacy import suppressed_among

MAX_IMPORT_BYTES = 5 * 1024 * 1024
REQUIRED_COLUMNS = {"email", "lists", "consent"}
YES = {"yes", "y", "true", "1", "oui", "ndiyo"}
NO = {"no", "n", "false", "0", "non", "hapana", ""}


class ImportRefused(Exception):
    """The file cannot be imported; `errors` says why, line by line."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass
class ImportReport:
    confirmed: int = 0
    pending: int = 0
    kept_suppressed: list[str] = field(default_factory=list)


@dataclass
class _Row:
    line: int
    email: str
    name: str
    language: str
    lists: list[MailingList]
    consent: bool
    consent_text: str


def _rows(data: bytes) -> list[_Row]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused(["The file is not UTF-8 text."]) from None
    reader = csv.DictReader(io.StringIO(text))
    columns = {name.strip().lower() for name in (reader.fieldnames or [])}
    if missing := REQUIRED_COLUMNS - columns:
        raise ImportRefused(
            [
                f"Missing columns: {', '.join(sorted(missing))} (needed: "
                "email, lists, consent; optional: name, language, consent_text)."
            ]
        )
    lists = {
        mailing_list.slug: mailing_list for mailing_list in MailingList.objects.all()
    }
    languages = dict(settings.LANGUAGES)
    errors: list[str] = []
    rows: list[_Row] = []
    seen: set[str] = set()
    try:
        records = list(reader)
    except csv.Error as error:
        raise ImportRefused([f"The CSV is malformed: {error}."]) from None
    for number, record in enumerate(records, start=2):
        record = {
            (k or "").strip().lower(): (v or "").strip() for k, v in record.items() if k
        }
        email = normalize_email(record.get("email", ""))
        problems = []
        if not email_is_valid(email):
            problems.append(f"invalid address {email!r}")
        elif email in seen:
            problems.append(f"{email} appears twice")
        seen.add(email)
        slugs = [
            s.strip()
            for s in record.get("lists", "").replace(",", ";").split(";")
            if s.strip()
        ]
        unknown = [slug for slug in slugs if slug not in lists]
        if unknown:
            problems.append(f"unknown lists: {', '.join(unknown)}")
        if not slugs:
            problems.append("no list")
        language = record.get("language") or settings.LANGUAGE_CODE
        if language not in languages:
            problems.append(f"unknown language {language!r}")
        consent_value = record.get("consent", "").lower()
        if consent_value not in YES | NO:
            problems.append(f"consent must be yes or no, not {consent_value!r}")
        name = record.get("name", "")
        if any(ord(char) < 32 for char in name) or len(name) > 120:
            problems.append("the name must be one line of at most 120 characters")
        if problems:
            errors.append(f"Line {number}: {'; '.join(problems)}.")
            continue
        rows.append(
            _Row(
                line=number,
                email=email,
                name=name,
                language=language,
                lists=[lists[slug] for slug in slugs],
                consent=consent_value in YES,
                consent_text=record.get("consent_text", ""),
            )
        )
    if errors:
        raise ImportRefused(errors)
    return rows


def subscribers_import(*, data: bytes, source: str) -> ImportReport:
    """Import every row or none; people who left are never subscribed again."""
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportRefused(["The file is larger than 5 MB: split it."])
    rows = _rows(data)
    report = ImportReport()
    now = timezone.now()
    with transaction.atomic():
        existing = {
            subscriber.email: subscriber
            for subscriber in Subscriber.objects.filter(
                email__in=[row.email for row in rows]
            )
        }
        # Erased or purged people left only a hashed suppression entry: an
        # import never brings them back (a new double opt-in does).
        suppressed = suppressed_among(row.email for row in rows)
        for row in rows:
            subscriber = existing.get(row.email)
            if (
                subscriber is not None and subscriber.status in SUPPRESSED_STATUSES
            ) or row.email in suppressed:
                report.kept_suppressed.append(row.email)
                continue
            if subscriber is None:
                subscriber = Subscriber.objects.create(
                    email=row.email, name=row.name, language=row.language
                )
            if not row.consent:
                report.pending += 1
                continue
            if subscriber.status != SubscriberStatus.CONFIRMED:
                subscriber.status = SubscriberStatus.CONFIRMED
                subscriber.confirmed_at = now
                subscriber.status_changed_at = now
                subscriber.save()
            for mailing_list in row.lists:
                Subscription.objects.update_or_create(
                    subscriber=subscriber,
                    mailing_list=mailing_list,
                    defaults={"active": True, "ended_at": None},
                )
            ConsentRecord.objects.create(
                subscriber=subscriber,
                email_hash=address_hash(subscriber.email),
                action=ConsentAction.IMPORTED,
                list_names=", ".join(m.name for m in row.lists),
                form_text=row.consent_text,
                language=row.language,
                source=f"{source}, line {row.line}",
            )
            report.confirmed += 1
    return report
