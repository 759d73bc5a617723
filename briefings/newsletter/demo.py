"""Demo mailing lists (and a few demo subscribers) for `load_demo_content`."""

from django.db import transaction

from wagtail.models import Locale, Page

from briefings.newsletter.choices import ConsentAction, SubscriberStatus
from briefings.newsletter.models import (
    ConsentRecord,
    MailingList,
    MailingListTranslation,
    Subscriber,
    Subscription,
)

SENDER_NAME = "IPIS"
SENDER_EMAIL = "info@ipisresearch.be"

DEMO_LISTS = [
    {
        "slug": "monthly-briefing",
        "name": "Monthly Briefing",
        "description": (
            "Once a month: our editorial on one focus topic, then a selection of "
            "news on natural resources, conflict and business & human rights in "
            "sub-Saharan Africa."
        ),
        "sort_order": 1,
    },
    {
        "slug": "arms-trade-bulletin",
        "name": "Arms Trade Bulletin",
        "description": (
            "Every two months: arms transfers, trafficking and security news from "
            "Africa, sorted by region and theme."
        ),
        "sort_order": 2,
    },
    {
        "slug": "tanzania-bhr-quarterly",
        "name": "Business & Human Rights in Tanzania quarterly",
        "description": (
            "Every quarter, with our partners: news and reports on business and "
            "human rights in Tanzania's extraction, agriculture, tourism and "
            "infrastructure sectors."
        ),
        "sort_order": 3,
    },
]

# The lists' names and descriptions in French and Swahili, by slug.
LIST_TRANSLATIONS = {
    "fr": {
        "monthly-briefing": (
            "Briefing mensuel",
            "Une fois par mois : notre éditorial sur un thème, puis une sélection "
            "d’actualités sur les ressources naturelles, les conflits et les "
            "entreprises et droits humains en Afrique subsaharienne.",
        ),
        "arms-trade-bulletin": (
            "Bulletin sur le commerce des armes",
            "Tous les deux mois : transferts d’armes, trafics et sécurité en "
            "Afrique, classés par région et par thème.",
        ),
        "tanzania-bhr-quarterly": (
            "Trimestriel entreprises et droits humains en Tanzanie",
            "Chaque trimestre, avec nos partenaires : actualités et rapports sur "
            "les entreprises et les droits humains dans les mines, l’agriculture, "
            "le tourisme et les infrastructures en Tanzanie.",
        ),
    },
    "sw": {
        "monthly-briefing": (
            "Briefing ya kila mwezi",
            "Mara moja kwa mwezi: tahariri yetu kuhusu mada moja, kisha uteuzi wa "
            "habari kuhusu maliasili, migogoro na biashara na haki za binadamu "
            "Afrika kusini mwa Sahara.",
        ),
        "arms-trade-bulletin": (
            "Jarida la Biashara ya Silaha",
            "Kila miezi miwili: uhamishaji wa silaha, magendo na habari za usalama "
            "kutoka Afrika, zilizopangwa kwa kanda na mada.",
        ),
        "tanzania-bhr-quarterly": (
            "Jarida la robo mwaka la biashara na haki za binadamu Tanzania",
            "Kila robo mwaka, pamoja na washirika wetu: habari na ripoti kuhusu "
            "biashara na haki za binadamu katika sekta za madini, kilimo, utalii "
            "na miundombinu Tanzania.",
        ),
    },
}

# Addresses on the reserved example.org domain: nothing can ever reach anyone.
DEMO_SUBSCRIBERS = [
    ("amani.reader@example.org", "Amani", "sw", ["monthly-briefing"]),
    ("claire.lectrice@example.org", "Claire", "fr", ["monthly-briefing"]),
    (
        "sam.analyst@example.org",
        "Sam",
        "en",
        ["monthly-briefing", "arms-trade-bulletin", "tanzania-bhr-quarterly"],
    ),
]


@transaction.atomic
def mailing_demo_ensure(
    *, carried: dict[str, type[Page]], report=None
) -> dict[str, int]:
    """Create the demo lists and subscribers that are missing; counts of new ones.

    `carried` names the digest page type each list carries, by list slug (a
    list not named carries any digest); `report` (the demo build's) is told
    what was created.
    """
    created = {"mailing lists": 0, "subscribers": 0}
    lists = {}
    for fields in DEMO_LISTS:
        mailing_list, new = MailingList.objects.get_or_create(
            slug=fields["slug"],
            defaults={
                **fields,
                "digest_type": (
                    carried[fields["slug"]]._meta.label_lower
                    if fields["slug"] in carried
                    else ""
                ),
                "from_name": SENDER_NAME,
                "from_email": SENDER_EMAIL,
                "reply_to": SENDER_EMAIL,
            },
        )
        lists[mailing_list.slug] = mailing_list
        created["mailing lists"] += new
    _list_translations_ensure(lists)
    for email, name, language, slugs in DEMO_SUBSCRIBERS:
        subscriber, new = Subscriber.objects.get_or_create(
            email=email,
            defaults={
                "name": name,
                "language": language,
                "status": SubscriberStatus.CONFIRMED,
            },
        )
        if not new:
            continue
        created["subscribers"] += 1
        for slug in slugs:
            Subscription.objects.create(subscriber=subscriber, mailing_list=lists[slug])
        ConsentRecord.objects.create(
            subscriber=subscriber,
            action=ConsentAction.IMPORTED,
            list_names=", ".join(lists[slug].name for slug in slugs),
            language=language,
            source="demo content",
        )
    if report is not None:
        for label, count in created.items():
            report.add(label, count)
    return created


def _list_translations_ensure(lists: dict[str, MailingList]) -> None:
    """The demo lists' names in French and Swahili, where not written yet."""
    locales = Locale.objects.in_bulk(LIST_TRANSLATIONS, field_name="language_code")
    have = set(
        MailingListTranslation.objects.filter(
            mailing_list__in=lists.values()
        ).values_list("mailing_list__slug", "locale__language_code")
    )
    MailingListTranslation.objects.bulk_create(
        MailingListTranslation(
            mailing_list=lists[slug],
            locale=locales[code],
            name=name,
            description=description,
        )
        for code, names in LIST_TRANSLATIONS.items()
        if code in locales
        for slug, (name, description) in names.items()
        if slug in lists and (slug, code) not in have
    )
