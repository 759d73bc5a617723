"""Demo Voices partners: APDE for "Voix du Congo" and HakiArdhi for "Voices from
Tanzania", each with an author account, its published study and a draft in review
with an editor's comment.

Called by the site's demo builder once the library and the admin user exist.
Re-runs add only what is missing; a draft an author or editor changed is kept.
"""

import datetime
import os
import secrets
from collections import Counter
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from wagtail.models import Comment, Page, Workflow

from publications.choices import DatePrecision, OrganisationRole, PublicationType
from publications.models import (
    Organisation,
    PublicationOrganisation,
    PublicationPage,
    VoicesSeriesPage,
)
from publications.partners import WORKFLOW_NAME, partner_ensure


@dataclass(frozen=True)
class DemoPartner:
    name: str  # as the partner's group is named
    organisation: str  # name or acronym of the Organisation snippet
    series_slug: str
    username: str
    first_name: str
    last_name: str
    published_slug: str  # the study of the demo library this author looks after
    draft: dict
    comment: str


PARTNERS = [
    DemoPartner(
        name="APDE",
        organisation="APDE",
        series_slug="voix-du-congo",
        username="apde",
        first_name="Julien",
        last_name="Mapenzi",
        published_slug="misisi-incidents-chaine-approvisionnement-or",
        draft={
            "slug": "misisi-comites-locaux-incidents-or",
            "title": "Misisi : ce que les comités locaux font des incidents signalés",
            "date": "2020-03-01",
            "summary": "Suite de l'étude de 2019 sur la filière de l'or à Misisi : "
            "comment les comités locaux reçoivent les incidents signalés (accidents, "
            "taxes illégales, violences) et ce qui change ensuite pour les creuseurs.",
            "body": "<p>Brouillon en cours : l'équipe d'APDE reprend les incidents "
            "recensés à Misisi, au Sud-Kivu, et suit leur traitement.</p>",
        },
        comment="Merci ! Pourriez-vous préciser la période couverte et le nombre "
        "d'incidents suivis dans le résumé ?",
    ),
    DemoPartner(
        name="HakiArdhi",
        organisation="HakiArdhi",
        series_slug="voices-from-tanzania",
        username="hakiardhi",
        first_name="HakiArdhi",
        last_name="author",
        published_slug="voices-from-tanzania-volume-2",
        draft={
            "slug": "hakiardhi-land-rights-environment-case-study",
            "title": "Land rights and environment: a HakiArdhi case study",
            "date": "2020-02-01",
            "summary": "HakiArdhi's case study for the series' volume on land rights "
            "and the environment, planned at the July 2019 training on field "
            "research and report writing in Dar es Salaam.",
            "body": "<p>Draft: the field work plan and first findings on a land "
            "dispute, written up after the Dar es Salaam training.</p>",
        },
        comment="Thank you. Please say in the summary where the field work took "
        "place and how many people you interviewed.",
    ),
]


def _password(report_passwords: dict, username: str) -> str:
    wanted = os.environ.get("DEMO_PARTNER_PASSWORD", "")
    password = wanted or secrets.token_urlsafe(12)
    report_passwords[username] = password
    return password


def _author_ensure(spec: DemoPartner, *, group, passwords: dict, counts: Counter):
    user_model = get_user_model()
    user = user_model.objects.filter(username=spec.username).first()
    if user is None:
        user = user_model.objects.create_user(
            spec.username,
            f"{spec.username}@example.org",
            _password(passwords, spec.username),
            first_name=spec.first_name,
            last_name=spec.last_name,
        )
        counts["partner authors"] += 1
    else:
        wanted = os.environ.get("DEMO_PARTNER_PASSWORD", "")
        if wanted and not user.check_password(wanted):
            user.set_password(wanted)
            user.save(update_fields=["password"])
            passwords[spec.username] = wanted
    user.groups.add(group)
    return user


def _draft_ensure(
    spec: DemoPartner,
    *,
    series: VoicesSeriesPage,
    author,
    reviewer,
    workflow: Workflow,
    counts: Counter,
) -> None:
    fields = spec.draft
    if series.get_children().filter(slug=fields["slug"]).exists():
        return
    organisation = (
        Organisation.objects.filter(locale=series.locale)
        .filter(acronym=spec.organisation)
        .first()
        or Organisation.objects.filter(name=spec.organisation).first()
        or Organisation.objects.filter(acronym=spec.organisation).first()
    )
    page = PublicationPage(
        title=fields["title"],
        slug=fields["slug"],
        locale=series.locale,
        live=False,
        owner=author,
        publication_date=datetime.date.fromisoformat(fields["date"]),
        date_precision=DatePrecision.MONTH,
        publication_type=PublicationType.PARTNER_STUDY,
        summary=fields["summary"],
        place="Antwerp",
        series_name=series.title,
        body=[("paragraph", fields["body"])],
    )
    if organisation is not None:
        page.organisations = [
            PublicationOrganisation(
                organisation=organisation, role=OrganisationRole.PUBLISHED_WITH
            )
        ]
    series.add_child(instance=page)
    revision = page.save_revision(user=author)
    workflow.start(page, author)
    if reviewer is not None:
        Comment.objects.create(
            page=page,
            user=reviewer,
            text=spec.comment,
            contentpath="summary",
            position="",
            revision_created=revision,
        )
    counts["partner drafts"] += 1


@transaction.atomic
def partners_demo_ensure() -> tuple[dict[str, int], dict[str, str]]:
    """The demo partners; returns (created counts, {username: new password})."""
    counts: Counter = Counter()
    passwords: dict[str, str] = {}
    workflow = None
    reviewer = get_user_model().objects.filter(username="admin").first()
    for spec in PARTNERS:
        if not VoicesSeriesPage.objects.filter(slug=spec.series_slug).exists():
            continue
        report = partner_ensure(name=spec.name, series_slug=spec.series_slug)
        counts["partners"] += int(f"partner {spec.name}" in report.created)
        author = _author_ensure(
            spec, group=report.partner.group, passwords=passwords, counts=counts
        )
        workflow = workflow or Workflow.objects.get(name=WORKFLOW_NAME)
        series = report.series[0]
        for translation in report.series:
            published = (
                Page.objects.child_of(translation)
                .filter(slug=spec.published_slug, owner__isnull=True)
                .first()
            )
            if published is not None:
                Page.objects.filter(pk=published.pk).update(owner=author)
            if translation.get_children().filter(slug=spec.published_slug).exists():
                series = translation
        _draft_ensure(
            spec,
            series=series.specific,
            author=author,
            reviewer=reviewer,
            workflow=workflow,
            counts=counts,
        )
    return dict(counts), passwords


__all__ = ["PARTNERS", "partners_demo_ensure"]
