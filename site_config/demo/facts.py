"""Facts taken from the institute's 2019 annual report, in sentences of our own."""

import datetime

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

# The three Briefings of 2019: (slug, issue date, focus, standfirst, editorial paragraphs)
BRIEFINGS = [
    (
        "october-2019",
        "2019-10-15",
        "Guiding companies on their human rights duties",
        "What the international standards ask of companies that source, build or invest in fragile regions, and where the guidance still falls short.",
        [
            "Companies working in or buying from conflict-affected areas are expected to know, and to show, how their operations affect the people around them. The UN Guiding Principles and the OECD due diligence guidance give them a method: identify the risks, act on them, track the results and report.",
            "Our field research in eastern DR Congo and northwest Tanzania shows how uneven the practice still is. This issue gathers recent news on corporate human rights duties, from mandatory due diligence debates in Europe to community grievances around mines.",
        ],
    ),
    (
        "november-2019",
        "2019-11-15",
        "The Kimberley Process after a failed reform cycle",
        "Three years of negotiation ended without a broader definition of conflict diamonds. What now for the communities the scheme was meant to protect?",
        [
            "The plenary meeting of the Kimberley Process in New Delhi in November 2019 closed a three-year reform cycle. The proposal backed by the Civil Society Coalition, to widen the definition of conflict diamonds to stones linked to systematic violence, human rights abuses and environmental harm, found no consensus.",
            "Some smaller steps did pass, such as a peer review system that listens to civil society and communities. This issue looks at what the Coalition, of which IPIS is a member, will push for next, and collects the month's news on diamonds and other minerals.",
        ],
    ),
    (
        "december-2019",
        "2019-12-15",
        "Defence-related companies in Africa",
        "Who makes, services and sells military equipment on the continent? A first look at a sector that rarely explains itself.",
        [
            "Alongside this issue we publish a map of defence-related companies active in Africa: manufacturers, service providers and traders, with where they are registered and where they operate.",
            "Transparency about this sector matters for arms control: it shows where equipment may come from, which licences apply, and who could be asked to account for diversion. The news selection follows arms transfers, export licences and security sector reform across the region.",
        ],
    ),
]

# The next issues, drafts in the demo: composed from the inbox, never published.
BRIEFING_DRAFT = {
    "slug": "briefing-january-2020",
    "title": "Briefing January 2020",
    "issue_date": datetime.date(2020, 1, 15),
    "focus_title": "Artisanal gold: from incident reports to follow-up",
    "standfirst": "What a year of reporting incidents by text message has changed in "
    "eastern DR Congo's gold mines, and what it has not.",
    "editorial": "<p>By the end of 2019, more than 460 incidents at artisanal "
    "gold mines in eastern DR Congo had been reported by text message and "
    "followed up by partner organisations. This issue asks what the reports "
    "changed at the mines, and where follow-up stalls.</p>",
}
BULLETIN_DRAFT = {
    "slug": "january-february-2020",
    "title": "Arms Trade Bulletin January–February 2020",
    "issue_date": datetime.date(2020, 2, 29),
    "period_label": "January–February 2020",
    "focus_title": "Brokering and the grey market",
    "standfirst": "How arms reach buyers through intermediaries who never touch them.",
    "editorial": "<p>Brokers arrange arms deals between third countries, often "
    "without the goods passing through the country where they are registered. "
    "This issue follows what licensing can and cannot see of their trade.</p>",
}

# The Arms Trade Bulletins of 2019, bimonthly: (slug, issue date, period, focus, editorial paragraphs)
# The annual report lists the year's editorial themes without dating them; the
# pairing of theme and issue below is ours.
BULLETINS = [
    (
        "december-2018-february-2019",
        "2019-02-28",
        "December 2018–February 2019",
        "Arms transfers and the war in Yemen",
        [
            "European and North American weapons keep reaching the parties to the war in Yemen, despite the civilian toll documented by UN experts. This issue follows the licences, the court cases and the parliamentary questions.",
        ],
    ),
    (
        "march-april-2019",
        "2019-04-30",
        "March–April 2019",
        "UK arms supplies to Saudi Arabia",
        [
            "British licensing of arms exports to Saudi Arabia is being tested in court. We summarise the arguments and what they could mean for other exporters bound by the Arms Trade Treaty.",
        ],
    ),
    (
        "may-june-2019",
        "2019-06-30",
        "May–June 2019",
        "Diversion, and what real-time locating systems could do about it",
        [
            "Weapons rarely stay where the paperwork says they go. Tracking technologies already used in logistics could help exporters and importers know where a consignment is, and raise the cost of diverting it.",
        ],
    ),
    (
        "july-august-2019",
        "2019-08-31",
        "July–August 2019",
        "Arms proliferation in Libya",
        [
            "Eight years after the fall of the former government, Libya remains awash with weapons, and the UN embargo is openly flouted. This issue traces new deliveries and the routes arms take onward into the Sahel.",
        ],
    ),
    (
        "september-october-2019",
        "2019-10-31",
        "September–October 2019",
        "Gender-based violence and arms transfer controls",
        [
            "The Arms Trade Treaty asks exporters to consider the risk that weapons are used for serious acts of gender-based violence. We look at how, and whether, states apply that criterion.",
        ],
    ),
    (
        "november-december-2019",
        "2019-12-31",
        "November–December 2019",
        "On-site verification as a way to halt diversion",
        [
            "Checking after delivery that weapons are where they should be is common for some exporters and unknown to others. This issue argues for wider use of on-site verification, and reports on training in the region.",
        ],
    ),
]

# The publication the English home page features, and why.
FEATURED_PUBLICATION_SLUG = "mapping-artisanal-mining-eastern-drc-2019"
FEATURED_TEXT = (
    "Updated field data on armed interference in eastern DR Congo's artisanal "
    "mines, with lessons on what responsible sourcing has and has not changed, "
    "and a webmap anyone can explore."
)

# The about page in French and Swahili: (slug, title, intro, heading, paragraphs,
# quote, attribution), translations of the English page written for each readership.
ABOUT_TRANSLATIONS = {
    "fr": (
        "a-propos",
        "À propos",
        "Un institut de recherche indépendant au service d’une paix durable, du "
        "développement durable et des droits humains.",
        "Notre mission",
        [
            "<p>IPIS est un institut de recherche indépendant fondé à Anvers. Il "
            "œuvre pour une paix durable, un développement soutenable et le respect "
            "des droits humains, en donnant à celles et ceux qui poursuivent ces "
            "objectifs l’information, l’analyse et les compétences dont ils ont "
            "besoin.</p>",
            "<p>Nos travaux portent sur l’Afrique subsaharienne et sur quatre "
            "thèmes : les ressources naturelles, les motivations des acteurs armés, "
            "la conduite des entreprises et le commerce international des armes. "
            "La recherche de terrain en est le cœur : fin 2019, nos équipes et nos "
            "partenaires avaient visité des centaines de sites miniers dans le seul "
            "est de la RD Congo.</p>",
            "<p>Parce que nous traitons des informations sensibles, nous nous "
            "tenons à quelques règles simples : être fiables, rester impartiaux, "
            "garder un regard critique et vérifier chaque fait deux fois.</p>",
        ],
        "Des données de terrain fiables, partagées ouvertement : c’est ainsi que "
        "la recherche devient utile aux personnes qu’elle concerne.",
        "Le principe de travail de l’institut",
    ),
    "sw": (
        "kuhusu-sisi",
        "Kuhusu sisi",
        "Taasisi huru ya utafiti inayofanya kazi kwa ajili ya amani ya kudumu, "
        "maendeleo endelevu na haki za binadamu.",
        "Dhamira yetu",
        [
            "<p>IPIS ni taasisi huru ya utafiti iliyoanzishwa Antwerp, Ubelgiji. "
            "Inafanya kazi kwa ajili ya amani ya kudumu, maendeleo endelevu na "
            "kuheshimiwa kwa haki za binadamu, kwa kuwapa wanaofuatilia malengo "
            "hayo taarifa, uchambuzi na ujuzi wanaohitaji.</p>",
            "<p>Kazi yetu inalenga Afrika kusini mwa Sahara, katika maeneo manne: "
            "maliasili, kinachosukuma makundi yenye silaha, mwenendo wa makampuni, "
            "na biashara ya kimataifa ya silaha. Utafiti wa uwandani ndio kiini "
            "chake: kufikia mwisho wa 2019, timu zetu na washirika wetu walikuwa "
            "wametembelea mamia ya maeneo ya migodi mashariki mwa DR Congo "
            "pekee.</p>",
            "<p>Kwa kuwa tunashughulikia taarifa nyeti, tunajiwekea kanuni chache "
            "rahisi: kuaminika, kutopendelea, kuwa na jicho la uchambuzi, na "
            "kuhakiki kila ukweli mara mbili.</p>",
        ],
        "Takwimu za uhakika kutoka uwandani, zikishirikishwa kwa uwazi, ndizo "
        "zinazoufanya utafiti kuwa na manufaa kwa watu unaowahusu.",
        "Kanuni ya kazi ya taasisi",
    ),
}

# Country names in French and Swahili, keyed by ISO code.
COUNTRY_TRANSLATIONS = {
    "fr": {
        "CD": "République démocratique du Congo",
        "TZ": "Tanzanie",
        "CF": "République centrafricaine",
        "SS": "Soudan du Sud",
        "UG": "Ouganda",
        "RW": "Rwanda",
        "BI": "Burundi",
        "YE": "Yémen",
        "SA": "Arabie saoudite",
        "LY": "Libye",
        "BE": "Belgique",
    },
    "sw": {
        "CD": "Jamhuri ya Kidemokrasia ya Kongo",
        "TZ": "Tanzania",
        "CF": "Jamhuri ya Afrika ya Kati",
        "SS": "Sudan Kusini",
        "UG": "Uganda",
        "RW": "Rwanda",
        "BI": "Burundi",
        "YE": "Yemen",
        "SA": "Saudi Arabia",
        "LY": "Libya",
        "BE": "Ubelgiji",
    },
}

# Organisations whose name differs in French or Swahili: {acronym: (name, acronym)}.
ORGANISATION_TRANSLATIONS = {
    "fr": {
        "DGD": ("Coopération belge au développement", "DGD"),
        "EPRM": ("Partenariat européen pour des minerais responsables", "EPRM"),
        "IOM": ("Organisation internationale pour les migrations", "OIM"),
        "USAID": ("Agence des États-Unis pour le développement international", "USAID"),
        "DIIS": ("Institut danois d’études internationales", "DIIS"),
        "CHRAGG": (
            "Commission des droits de l’homme et de la bonne gouvernance",
            "CHRAGG",
        ),
        "LHRC": ("Centre juridique et des droits de l’homme", "LHRC"),
    },
    "sw": {
        "DGD": ("Ushirikiano wa Maendeleo wa Ubelgiji", "DGD"),
        "IOM": ("Shirika la Kimataifa la Uhamiaji", "IOM"),
        "USAID": ("Shirika la Misaada la Kimataifa la Marekani", "USAID"),
        "CHRAGG": ("Tume ya Haki za Binadamu na Utawala Bora", "THBUB"),
        "LHRC": ("Kituo cha Sheria na Haki za Binadamu", "LHRC"),
        "BHRT": ("Biashara na Haki za Binadamu Tanzania", "BHRT"),
    },
}

# The archive's slug, title and introduction in French (the French tree has the
# French Arms Trade Bulletin).
BULLETIN_INDEX_TRANSLATIONS = {
    "fr": (
        "bulletin-commerce-des-armes",
        "Bulletin sur le commerce des armes",
        "Tous les deux mois, un éditorial sur les transferts d’armes et la "
        "sécurité, et une sélection d’articles par région et par thème.",
    ),
}

# Arms Trade Bulletins translated into French, keyed by the English issue's slug:
# (slug, title, period, focus, standfirst, editorial paragraphs).
BULLETIN_TRANSLATIONS = {
    "fr": {
        "september-october-2019": (
            "septembre-octobre-2019",
            "Bulletin sur le commerce des armes, septembre–octobre 2019",
            "Septembre–octobre 2019",
            "Violences fondées sur le genre et contrôle des transferts d’armes",
            "Le Traité sur le commerce des armes demande aux exportateurs de "
            "peser le risque que les armes servent à des violences graves fondées "
            "sur le genre.",
            [
                "Le Traité sur le commerce des armes demande aux exportateurs de "
                "peser le risque que les armes servent à commettre des actes graves "
                "de violence fondée sur le genre. Nous examinons si les États "
                "appliquent ce critère, et comment.",
                "Ce numéro rassemble aussi, région par région, les articles qui ont "
                "retenu notre attention sur les transferts d’armes et la sécurité "
                "en septembre et octobre 2019.",
            ],
        ),
    },
}

# The first Voices from Tanzania study in Swahili, the language of the partners
# who wrote it: the series page, then the study, as translations of the English.
VOICES_TRANSLATIONS = {
    "sw": {
        "series": (
            "voices-from-tanzania",
            "sauti-kutoka-tanzania",
            "Sauti kutoka Tanzania",
            "Asasi za kiraia za Tanzania huandika tafiti zao za uwandani kuhusu "
            "biashara na haki za binadamu; sisi tunasaidia katika mbinu na "
            "uhariri, na wao ndio wanaoamua kinachochapishwa.",
        ),
        "studies": {
            "voices-from-tanzania-volume-1": (
                "sauti-kutoka-tanzania-juzuu-1",
                "Sauti kutoka Tanzania",
                "Mifano ya biashara na haki za binadamu",
                "Asasi za Tanzania zinaeleza visa vya makampuni yaliyokiuka haki "
                "za watu, na jinsi walioathirika walivyotafuta haki. Juzuu la "
                "kwanza la mfululizo huu.",
            ),
        },
    },
}
