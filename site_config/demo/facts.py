"""Facts taken from the institute's 2019 annual report, in sentences of our own."""

from publications.choices import OrganisationKind, PersonGroup, Region

ORGANISATION_NAME = "International Peace Information Service (IPIS)"
TAGLINE = "Independent research for peace, development and human rights"
ADDRESS = "IPIS vzw\nItaliëlei 98a\n2000 Antwerp\nBelgium"
PHONE = "+32 3 225 00 22"
EMAIL = "info@ipisresearch.be"
TWITTER = "https://twitter.com/ipisresearch"
FACEBOOK = "https://www.facebook.com/ipisresearch"
FOOTER_TEXT = (
    "An Antwerp-based research institute with offices in Arusha and Bukavu. "
    "We gather data in the field on natural resources, armed conflict, "
    "business and human rights and the arms trade, and share it openly."
)

# (slug, name, summary)
PROGRAMMES = [
    (
        "natural-resources",
        "Natural Resources",
        "How minerals are mined and traded in sub-Saharan Africa, and what that "
        "means for conflict, livelihoods, the environment and governance.",
    ),
    (
        "conflict-mapping",
        "Conflict Mapping",
        "Field data on armed actors and their motives, turned into maps that "
        "anyone can explore and download.",
    ),
    (
        "arms-trade-security",
        "Arms Trade & Security",
        "Tracing how weapons reach the region, the logistics behind the flows, "
        "and what could stop their spread.",
    ),
    (
        "business-human-rights",
        "Business & Human Rights",
        "The role of companies in the region: the wealth and peace they can "
        "bring, the harm they can do, and the rules that apply to them.",
    ),
    (
        "capacity-enhancement",
        "Capacity Enhancement",
        "Training and support so that partners and local researchers can "
        "collect, analyse and publish data themselves.",
    ),
]

# (iso_code, name, region)
COUNTRIES = [
    ("CD", "Democratic Republic of the Congo", Region.GREAT_LAKES),
    ("TZ", "Tanzania", Region.EAST_AFRICA),
    ("CF", "Central African Republic", Region.CENTRAL_AFRICA),
    ("SS", "South Sudan", Region.HORN_OF_AFRICA),
    ("UG", "Uganda", Region.GREAT_LAKES),
    ("RW", "Rwanda", Region.GREAT_LAKES),
    ("BI", "Burundi", Region.GREAT_LAKES),
    ("YE", "Yemen", Region.MIDDLE_EAST),
    ("SA", "Saudi Arabia", Region.MIDDLE_EAST),
    ("LY", "Libya", Region.NORTH_AFRICA),
    ("BE", "Belgium", Region.EUROPE),
]

# (name, acronym, kind, country iso or "", website)
ORGANISATIONS = [
    ("Belgian Development Cooperation", "DGD", OrganisationKind.FUNDER, "BE", ""),
    (
        "European Partnership for Responsible Minerals",
        "EPRM",
        OrganisationKind.FUNDER,
        "",
        "https://europeanpartnership-responsibleminerals.eu/",
    ),
    (
        "International Organization for Migration",
        "IOM",
        OrganisationKind.FUNDER,
        "",
        "https://www.iom.int/",
    ),
    (
        "United States Agency for International Development",
        "USAID",
        OrganisationKind.FUNDER,
        "",
        "",
    ),
    ("Ulula", "", OrganisationKind.PARTNER, "", "https://ulula.com/"),
    (
        "Centre d'Expertise en Gestion du secteur Minier",
        "CEGEMI",
        OrganisationKind.PARTNER,
        "CD",
        "",
    ),
    (
        "Danish Institute for International Studies",
        "DIIS",
        OrganisationKind.PARTNER,
        "",
        "https://www.diis.dk/",
    ),
    (
        "Action pour la paix et le développement",
        "APDE",
        OrganisationKind.PARTNER,
        "CD",
        "",
    ),
    ("Business and Human Rights Tanzania", "BHRT", OrganisationKind.PARTNER, "TZ", ""),
    (
        "Commission for Human Rights and Good Governance",
        "CHRAGG",
        OrganisationKind.PARTNER,
        "TZ",
        "",
    ),
    ("Legal and Human Rights Centre", "LHRC", OrganisationKind.PARTNER, "TZ", ""),
]

# (name, role, group) — the team on 31 December 2019 and the board on 1 January 2020
PEOPLE = [
    ("Johan Swinnen", "Chair of the board", PersonGroup.BOARD),
    ("Tom Sauer", "Secretary of the board", PersonGroup.BOARD),
    ("Jean Reynaert", "Board member", PersonGroup.BOARD),
    ("Dirk Timmermans", "Board member", PersonGroup.BOARD),
    ("Cathy Suykens", "Board member", PersonGroup.BOARD),
    ("Jan Pollet", "Board member", PersonGroup.BOARD),
    ("Saartje Boutsen", "Board member", PersonGroup.BOARD),
    ("Ellen Talloen", "Board member", PersonGroup.BOARD),
    ("Filip Reyniers", "Director", PersonGroup.STAFF),
    ("Han Verleyen", "Communication and coordination", PersonGroup.STAFF),
    ("Anne Hullebroeck", "Office manager", PersonGroup.STAFF),
    ("Julien Marquet", "Partners and logistics officer", PersonGroup.STAFF),
    ("Jasleen Kaur", "Office assistant", PersonGroup.STAFF),
    ("Peter Danssaert", "Researcher", PersonGroup.RESEARCHER),
    ("Ken Matthysen", "Researcher", PersonGroup.RESEARCHER),
    ("Fiona Southward", "Researcher", PersonGroup.RESEARCHER),
    ("Lotte Hoex", "Researcher", PersonGroup.RESEARCHER),
    ("Alexandre Jaillon", "Researcher", PersonGroup.RESEARCHER),
    ("Guillaume de Brier", "Researcher", PersonGroup.RESEARCHER),
    ("Hans Merket", "Researcher", PersonGroup.RESEARCHER),
    ("Mieke Thierens", "Researcher", PersonGroup.RESEARCHER),
    ("Erik Gobbers", "Researcher", PersonGroup.RESEARCHER),
    ("Thomas Muller", "Researcher", PersonGroup.RESEARCHER),
    ("Didier Verbruggen", "Researcher", PersonGroup.RESEARCHER),
    ("Zacharie Bulakali Ntakobajira", "Associate researcher", PersonGroup.ASSOCIATE),
    ("Patient Lwarhoga Birindwa", "Associate researcher", PersonGroup.ASSOCIATE),
    ("Elard Mawala", "Associate researcher", PersonGroup.ASSOCIATE),
    ("Peer Schouten", "Associate researcher", PersonGroup.ASSOCIATE),
    ("Steven Spittaels", "Associate researcher", PersonGroup.ASSOCIATE),
    ("Brian Wood", "Associate researcher", PersonGroup.ASSOCIATE),
    ("Liliana Lizarazo Rodriquez", "Associate researcher", PersonGroup.ASSOCIATE),
]

HOME = {
    "en": (
        "Research for durable peace in sub-Saharan Africa",
        "We collect data where it is hard to get, on mines, armed groups, "
        "companies and weapons, and put it in the hands of the people who can "
        "use it for peace, development and human rights.",
        "Stay informed",
        "Every month the Briefing brings an editorial and a selection of news on "
        "natural resources, conflict, business and human rights and the arms trade.",
    ),
    "fr": (
        "La recherche au service d’une paix durable en Afrique subsaharienne",
        "Nous recueillons des données là où elles sont difficiles à obtenir — "
        "mines, groupes armés, entreprises, armes — et les mettons à la "
        "disposition de celles et ceux qui œuvrent pour la paix et les droits "
        "humains.",
        "Restez informé·e",
        "Chaque mois, le Briefing propose un éditorial et une sélection "
        "d’actualités sur les ressources naturelles, les conflits, les entreprises "
        "et les droits humains, et le commerce des armes.",
    ),
    "sw": (
        "Utafiti kwa ajili ya amani ya kudumu Afrika kusini mwa Sahara",
        "Tunakusanya takwimu mahali ambapo ni vigumu kuzipata — migodi, makundi "
        "yenye silaha, makampuni na silaha — na kuziweka mikononi mwa wanaofanya "
        "kazi kwa ajili ya amani, maendeleo na haki za binadamu.",
        "Pata habari",
        "Kila mwezi, Briefing huleta tahariri na uteuzi wa habari kuhusu "
        "maliasili, migogoro, biashara na haki za binadamu, na biashara ya silaha.",
    ),
}

ABOUT_PARAGRAPHS = [
    "<p>IPIS is an independent research institute founded in Antwerp. It works "
    "for a future of lasting peace, sustainable development and respect for human "
    "rights, by giving those who pursue that future the information, analysis and "
    "skills they need.</p>",
    "<p>Our work concentrates on sub-Saharan Africa, and on four themes: natural "
    "resources, what drives armed actors, the conduct of business, and the "
    "international trade in arms. Field research is at the heart of it: by the end "
    "of 2019 our teams and partners had visited hundreds of mining sites in eastern "
    "DR Congo alone.</p>",
    "<p>Because we handle sensitive information, we hold ourselves to a few plain "
    "rules: be reliable, stay impartial, keep a critical eye, and check every fact "
    "twice.</p>",
]

# Programme names and summaries in French and Swahili, keyed by slug.
PROGRAMME_TRANSLATIONS = {
    "fr": {
        "natural-resources": (
            "Ressources naturelles",
            "L’exploitation et le commerce des minerais en Afrique subsaharienne, et leurs liens avec les conflits, les moyens de subsistance et la gouvernance.",
        ),
        "conflict-mapping": (
            "Cartographie des conflits",
            "Des données de terrain sur les acteurs armés et leurs motivations, transformées en cartes ouvertes à tous.",
        ),
        "arms-trade-security": (
            "Commerce des armes et sécurité",
            "Comment les armes arrivent dans la région, la logistique derrière ces flux, et ce qui pourrait freiner leur prolifération.",
        ),
        "business-human-rights": (
            "Entreprises et droits humains",
            "Le rôle des entreprises dans la région : la richesse qu’elles créent, les torts qu’elles causent et les règles qui s’appliquent à elles.",
        ),
        "capacity-enhancement": (
            "Renforcement des capacités",
            "Formation et accompagnement pour que partenaires et chercheurs locaux collectent, analysent et publient eux-mêmes leurs données.",
        ),
    },
    "sw": {
        "natural-resources": (
            "Maliasili",
            "Jinsi madini yanavyochimbwa na kuuzwa Afrika kusini mwa Sahara, na maana yake kwa migogoro, maisha ya watu na utawala.",
        ),
        "conflict-mapping": (
            "Ramani za migogoro",
            "Takwimu za uwandani kuhusu makundi yenye silaha na nia zao, zikigeuzwa kuwa ramani zilizo wazi kwa wote.",
        ),
        "arms-trade-security": (
            "Biashara ya silaha na usalama",
            "Jinsi silaha zinavyofika katika kanda, usafirishaji wake, na kinachoweza kuzuia kuenea kwake.",
        ),
        "business-human-rights": (
            "Biashara na haki za binadamu",
            "Nafasi ya makampuni katika kanda: utajiri yanaoleta, madhara yanayosababisha na sheria zinazoyahusu.",
        ),
        "capacity-enhancement": (
            "Kujenga uwezo",
            "Mafunzo na msaada ili washirika na watafiti wa ndani wakusanye, wachambue na wachapishe takwimu wenyewe.",
        ),
    },
}
