"""The library of the demo site: real publications named in the seed documents.

Titles, authors, places, dates, programmes, countries, partners and funders
come from the institute's 2019 annual report (its "Output" lists and its
2017–2019 assignments), the Kimberley Process Civil Society Coalition's 2019
annual report and DCAF's study of the South Kivu Voluntary Principles working
group. Summaries are our own words. Where a source gives a year or a month but
no day, the date is the first day of that month (or of January) and says so;
"date_precision" is "year" where only the year is known (else the month).
"""

from publications.choices import Licence

# Organisations the publications need beyond those of the site's facts:
# (name, acronym, kind, iso code or "", website)
EXTRA_ORGANISATIONS = [
    ("Zimbabwe Environmental Law Association", "ZELA", "partner", "ZW", ""),
    ("Omega Research Foundation", "", "partner", "", ""),
    ("Levin Sources", "", "partner", "", ""),
    ("Fairphone", "", "funder", "", ""),
    ("Tetra Tech", "", "partner", "", ""),
    ("Concordis International", "", "partner", "", ""),
    ("Wildlife Conservation Society", "WCS", "funder", "", ""),
    ("European Union", "EU", "funder", "", ""),
    ("European Instrument for Democracy and Human Rights", "EIDHR", "funder", "", ""),
    ("United States Department of State", "", "funder", "", ""),
    ("Kimberley Process Civil Society Coalition", "KP CSC", "partner", "", ""),
    ("Armed Rights Operation (Opération droits blindés)", "", "partner", "", ""),
    ("Subsaharan Field Research and Consulting Services", "SFR", "partner", "", ""),
    ("Project on Resources and Governance", "PRG", "partner", "", ""),
    ("Geneva Centre for Security Sector Governance", "DCAF", "partner", "", ""),
    ("Observatoire Gouvernance et Paix", "OGP", "partner", "CD", ""),
    ("Embassy of the Netherlands in the DR Congo", "", "funder", "", ""),
    ("Governance Links", "", "partner", "TZ", ""),
    ("TAWEA", "", "partner", "TZ", ""),
    ("Cedesota", "", "partner", "TZ", ""),
    ("LEAT", "", "partner", "TZ", ""),
    ("HakiArdhi", "", "partner", "TZ", ""),
]

# Countries the publications need beyond those of the site's facts.
EXTRA_COUNTRIES = [("ZW", "Zimbabwe", "southern_africa")]

# The seed documents carry a copyright notice ("© IPIS", "© DCAF") and no
# Creative Commons licence: all rights reserved, unless a fact says otherwise
# ("licence"). The demo's site settings
# take it as the default licence of new publications.
DEFAULT_LICENCE = Licence.ALL_RIGHTS_RESERVED

LIBRARY = {
    "en": (
        "Publications",
        "Reports, maps, briefing papers and partner studies from our field "
        "research, each with its files to download and a citation to copy.",
    ),
    "fr": (
        "Publications",
        "Rapports, cartes et études de nos partenaires, issus de nos recherches "
        "de terrain, avec les fichiers à télécharger et une référence à citer.",
    ),
    "sw": (
        "Machapisho",
        "Ripoti, ramani, taarifa za uchambuzi na tafiti za washirika wetu kutoka "
        "utafiti wa uwandani, kila moja na mafaili ya kupakua na rejeo la kunukuu.",
    ),
}

VOICES_SERIES = {
    "voices-from-tanzania": {
        "language": "en",
        "title": "Voices from Tanzania",
        "intro": "Tanzanian civil society organisations write up their own field "
        "studies on business and human rights; we help with method and editing, "
        "and publish the results as one volume a year.",
        "partners": ["BHRT", "CHRAGG", "LHRC", "Governance Links", "TAWEA"]
        + ["Cedesota", "LEAT", "HakiArdhi"],
    },
    "voix-du-congo": {
        "language": "fr",
        "title": "Voix du Congo",
        "intro": "Des organisations congolaises publient leurs propres enquêtes "
        "de terrain ; nous les accompagnons pour la méthode et la rédaction afin "
        "que leur travail touche un plus large public.",
        "partners": ["APDE"],
    },
}

# Authors: a team member by name ("person"), or ("name", affiliation) for an
# outside author, or ("org", name) for an organisation as author.
# Organisations: (role, name or acronym).
# Files: (language, label); "" is the full report.
PUBLICATIONS = [
    {
        "slug": "mapping-asm-northwest-tanzania",
        "title": "Mapping artisanal and small-scale mining in northwest Tanzania",
        "subtitle": "A survey on its nature, scope and impact",
        "authors": ["Hans Merket", "Elard Mawala"],
        "date": "2019-01-01",  # January 2019
        "place": "Antwerp",
        "type": "report",
        "programmes": ["natural-resources", "business-human-rights"],
        "countries": ["TZ"],
        "organisations": [("supported_by", "DGD")],
        "external": (
            "http://ipisresearch.be/mapping/webmapping/tza/v1/",
            "Explore the interactive map",
        ),
        "summary": "Field teams surveyed hundreds of small mines and processing "
        "sites around Lake Victoria. The study weighs what artisanal gold mining "
        "gives (jobs, income, local spending) against what it costs: unsafe pits, "
        "mercury, licensing gaps and unequal conditions for women.",
    },
    {
        "slug": "social-license-to-operate-northwest-tanzania",
        "title": "Dissecting the social license to operate",
        "subtitle": "Local community perceptions of industrial mining in "
        "northwest Tanzania",
        "authors": ["Hans Merket", ("Elise Foubert", "")],
        "date": "2019-08-01",  # August 2019
        "place": "Antwerp/Mwanza",
        "type": "report",
        "programmes": ["business-human-rights", "natural-resources"],
        "countries": ["TZ"],
        "organisations": [("supported_by", "DGD")],
        "body": [
            (
                "key_figures",
                {
                    "heading": "Who was asked",
                    "items": [
                        {"figure": "32", "label": "villages surveyed"},
                        {"figure": "6", "label": "industrial mines nearby"},
                    ],
                    "source": "IPIS village surveys",
                },
            ),
        ],
        "summary": "What do villagers living next to large gold mines think of "
        "them? People in 32 villages around six of those mines answered our "
        "questions, so that companies and government can hear and act on it.",
    },
    {
        "slug": "digital-stakeholder-engagement-platform-tanzania",
        "title": "Piloting a digital stakeholder engagement platform for "
        "Tanzania's mining sector",
        "subtitle": "Incident tracking and mobile surveys",
        "authors": ["Hans Merket", "Elard Mawala"],
        "date": "2019-10-01",  # October 2019
        "place": "Antwerp/Mwanza",
        "type": "report",
        "programmes": ["natural-resources", "capacity-enhancement"],
        "countries": ["TZ"],
        "organisations": [("supported_by", "DGD")],
        "summary": "A phone-based platform let informants in mining areas report "
        "incidents anonymously and answer short surveys. The report describes how "
        "the pilot worked and what it takes to keep such a channel running.",
    },
    {
        "slug": "webmap-asm-northwest-tanzania",
        "title": "Artisanal and small-scale mining in northwest Tanzania",
        "subtitle": "Interactive webmap",
        "authors": [
            ("Manuel Claeys-Bouuaert", ""),
            ("Markus Geray", ""),
            ("Adebayo Ishola", ""),
        ],
        "date": "2019-01-01",  # 2019, with the January report
        "date_precision": "year",
        "place": "Antwerp",
        "type": "map",
        "programmes": ["conflict-mapping", "natural-resources"],
        "countries": ["TZ"],
        "organisations": [("supported_by", "DGD")],
        "external": (
            "http://ipisresearch.be/mapping/webmapping/tza/v1/",
            "Open the webmap",
        ),
        "summary": "The mining and processing sites visited in northwest Tanzania "
        "on one map, with what the teams recorded at each of them.",
    },
    {
        "slug": "incident-reporting-gold-eastern-drc-progress-2019",
        "title": "Advancing incident reporting and community participation in "
        "responsible sourcing",
        "subtitle": "Cooperative and CSO capacity enhancement in eastern DR "
        "Congo's gold sector",
        "authors": [
            "Erik Gobbers",
            "Alexandre Jaillon",
            ("Gabriel Kamundala", ""),
        ],
        "date": "2019-08-01",  # 2019; covers January to July 2019
        "date_precision": "year",
        "place": "Antwerp",
        "type": "progress_report",
        "programmes": ["natural-resources", "capacity-enhancement"],
        "countries": ["CD"],
        "organisations": [
            ("supported_by", "EPRM"),
            ("in_cooperation_with", "Ulula"),
            ("in_cooperation_with", "CEGEMI"),
        ],
        "summary": "Progress of the Kufatilia project in its third phase: how "
        "partner organisations in South Kivu, North Kivu and Ituri check and "
        "follow up incidents reported by text message, and how mining "
        "cooperatives were trained along the way.",
    },
    {
        "slug": "kufatilia-asm-incident-tracker",
        "title": "Kufatilia: artisanal mining incident tracker",
        "subtitle": "Eastern DR Congo",
        "authors": [("IPIS", "", True)],
        "date": "2019-12-01",  # online through 2019, updated live
        "date_precision": "year",
        "place": "Antwerp",
        "type": "map",
        "programmes": ["natural-resources", "conflict-mapping"],
        "countries": ["CD"],
        "organisations": [
            ("supported_by", "EPRM"),
            ("in_cooperation_with", "Ulula"),
        ],
        "external": (
            "https://ipisresearch.be/home/conflict-mapping/maps/"
            "conflict-mapping-drc/asm-incident-tracker/",
            "Open the incident tracker",
        ),
        "summary": "A public map of the incidents that people in mining areas "
        "report by text message, and where each one stands in its follow-up.",
    },
    {
        "slug": "due-diligence-impact-eastern-drc-baseline",
        "title": "Assessing the impact of due diligence programmes in eastern DR Congo",
        "subtitle": "A baseline study",
        "authors": ["Erik Gobbers", "Alexandre Jaillon", ("Antoine Heuty", "")],
        "date": "2019-04-01",  # April 2019
        "place": "Antwerp",
        "type": "report",
        "programmes": ["natural-resources", "business-human-rights"],
        "countries": ["CD"],
        "organisations": [
            ("in_cooperation_with", "SFR"),
            ("in_cooperation_with", "Ulula"),
            ("in_cooperation_with", "PRG"),
        ],
        "body": [
            (
                "key_figures",
                {
                    "heading": "The baseline in numbers",
                    "items": [
                        {"figure": "623", "label": "mining sites visited"},
                        {"figure": "115,500", "label": "artisanal miners at them"},
                        {"figure": "52 %", "label": "of the sites producing 3T"},
                    ],
                    "source": "IPIS field visits for the baseline study",
                },
            ),
        ],
        "summary": "Teams visited 623 mines, half of them covered by due "
        "diligence programmes, and asked miners by phone about what they see. "
        "Child labour and army interference are rarer in covered mines but far "
        "from gone, and accidents are as common in both.",
    },
    {
        "slug": "mapping-artisanal-mining-eastern-drc-2019",
        "title": "Mapping artisanal mining areas and mineral supply chains in "
        "eastern DRC",
        "subtitle": "Impact of armed interference and responsible sourcing",
        "authors": ["Ken Matthysen", "Peer Schouten", "Steven Spittaels"],
        "date": "2019-04-01",  # April 2019
        "place": "Antwerp",
        "type": "report",
        "programmes": ["conflict-mapping", "natural-resources"],
        "countries": ["CD"],
        "organisations": [
            ("supported_by", "IOM"),
            ("supported_by", "USAID"),
            ("in_cooperation_with", "DIIS"),
        ],
        "external": (
            "https://www.ipisresearch.be/mapping/webmapping/drcongo/v6",
            "Explore the webmap",
        ),
        "summary": "Updated field data on armed groups and soldiers at artisanal "
        "mines in eastern DR Congo. Responsible sourcing has made real progress, "
        "yet much of what drives armed interference, corruption and smuggling "
        "is left untouched.",
    },
    {
        "slug": "webmap-artisanal-mining-eastern-drc-v6",
        "title": "Artisanal mining in eastern DR Congo",
        "subtitle": "Interactive webmap, 2019 update",
        "authors": [("IPIS", "", True)],
        "date": "2019-04-01",  # April 2019, with the report
        "place": "Antwerp",
        "type": "map",
        "programmes": ["conflict-mapping"],
        "countries": ["CD"],
        "organisations": [("supported_by", "IOM"), ("supported_by", "USAID")],
        "external": (
            "https://www.ipisresearch.be/mapping/webmapping/drcongo/v6/",
            "Open the webmap",
        ),
        "summary": "Mining site visits up to January 2019, a new layer of zones "
        "of armed interference and satellite imagery, with the open data table "
        "to download.",
    },
    {
        "slug": "asm-mapping-runde-rural-district-zimbabwe",
        "title": "Artisanal and small-scale mining mapping in the Runde Rural "
        "District of Zimbabwe",
        "authors": [("IPIS", "", True), ("ZELA", "", True)],
        "date": "2019-04-01",  # April 2019
        "place": "Antwerp",
        "type": "report",
        "programmes": ["natural-resources", "capacity-enhancement"],
        "countries": ["ZW"],
        "organisations": [("supported_by", "ZELA")],
        "external": (
            "https://www.ipisresearch.be/mapping/webmapping/zwe_mines_zela/",
            "Open the interactive map",
        ),
        "body": [
            (
                "key_figures",
                {
                    "heading": "The mapping in numbers",
                    "items": [
                        {"figure": "317", "label": "mining sites visited"},
                        {"figure": "7", "label": "wards of Zvishavane"},
                        {"figure": "5", "label": "teams of enumerators"},
                    ],
                    "source": "ZELA pilot study with IPIS",
                },
            ),
            (
                "fact_box",
                {
                    "heading": "How the data was collected",
                    "text": "<p>Enumerators filled in a questionnaire on a phone "
                    "at every site, after a training in mobile data collection "
                    "in November 2018.</p>",
                },
            ),
        ],
        "summary": "After a training in mobile data collection, enumerators of "
        "a Zimbabwean partner visited 317 gold mining sites in seven wards. The "
        "report sets out who works them, how, and where mining and farming "
        "collide.",
    },
    {
        "slug": "regulating-responsible-sourcing-3tg",
        "title": "Regulating responsible sourcing of 3TG minerals",
        "authors": [("IPIS", "", True)],
        "date": "2019-12-01",  # December 2019
        "place": "Antwerp",
        "type": "insight",
        "series": ("Insights on Due Diligence in Mineral Sourcing", 1),
        "programmes": ["natural-resources", "business-human-rights"],
        "countries": [],
        "organisations": [("supported_by", "EU")],
        "summary": "The first volume of a series on due diligence in mineral "
        "supply chains: which rules apply to tin, tantalum, tungsten and gold, "
        "and what they ask of companies.",
    },
    {
        "slug": "cartographie-sites-miniers-ouest-centrafrique",
        "language": "fr",
        "title": "Cartographie des sites miniers artisanaux dans l'ouest de la "
        "Centrafrique",
        "authors": ["Alexandre Jaillon", "Guillaume de Brier"],
        "date": "2019-11-01",  # novembre 2019
        "place": "Anvers",
        "type": "report",
        "programmes": ["conflict-mapping", "natural-resources"],
        "countries": ["CF"],
        "organisations": [
            ("supported_by", "USAID"),
            ("in_cooperation_with", "Tetra Tech"),
        ],
        "external": (
            "https://www.ipisresearch.be/mapping/webmapping/carmine",
            "Explorer la carte interactive",
        ),
        "summary": "Avec le ministère des Mines, des équipes ont visité les "
        "sites d'or et de diamant de sept préfectures de l'ouest du pays. Le "
        "rapport décrit leurs travailleurs, leur production, la présence de "
        "l'État et des groupes armés, et les circuits de vente.",
    },
    {
        "slug": "webmap-artisanal-mining-western-car",
        "title": "Artisanal mining sites in western Central African Republic",
        "subtitle": "Interactive webmap",
        "authors": [("IPIS", "", True)],
        "date": "2019-11-01",  # November 2019, with the report
        "place": "Antwerp",
        "type": "map",
        "programmes": ["conflict-mapping"],
        "countries": ["CF"],
        "organisations": [("supported_by", "USAID")],
        "external": (
            "https://www.ipisresearch.be/mapping/webmapping/carmine",
            "Open the webmap",
        ),
        "summary": "The gold and diamond mines our teams visited in seven "
        "western prefectures, with figures on workers, licences and armed "
        "presence, and a short illustrated story.",
    },
    {
        "slug": "legality-arms-transfers-yemen-coalition",
        "title": "Opinion on the legality of arms transfers to Saudi Arabia, the "
        "United Arab Emirates and other members of the coalition militarily "
        "involved in Yemen",
        "authors": [
            ("Eric David", ""),
            ("Daniel Turp", ""),
            "Brian Wood",
            ("Valentina Azarova", ""),
        ],
        "date": "2019-12-01",  # December 2019
        "place": "Antwerp",
        "type": "legal_opinion",
        "programmes": ["arms-trade-security"],
        "countries": ["YE", "SA"],
        "organisations": [
            ("in_cooperation_with", "Armed Rights Operation (Opération droits blindés)")
        ],
        "summary": "Four lawyers and researchers set out what international law, "
        "the law of state responsibility and the Arms Trade Treaty require of "
        "states that supply weapons to the parties at war in Yemen.",
    },
    {
        "slug": "transnational-brokering-africa-grey-market",
        "title": "Transnational brokering: a complex web",
        "subtitle": "Africa and the “grey” market",
        "authors": ["Peter Danssaert", "Brian Wood"],
        "date": "2020-01-01",  # January 2020, Africa in Fact issue 52
        "place": "",
        "publisher": "Africa in Fact",
        "type": "article",
        "series": ("Africa in Fact", 52),
        "programmes": ["arms-trade-security"],
        "countries": [],
        "organisations": [],
        "summary": "Arms brokers work across borders where rules are thin. The "
        "article shows how companies and criminal networks alike have broken UN "
        "embargoes in Africa, sometimes helped by officials.",
    },
    {
        "slug": "arms-ammunition-factories-africa",
        "title": "Arms and ammunitions factories in Africa",
        "subtitle": "Defence-related companies: interactive map",
        "authors": [("IPIS", "", True)],
        "date": "2019-12-01",  # updated in 2019
        "date_precision": "year",
        "place": "Antwerp",
        "type": "map",
        "programmes": ["arms-trade-security"],
        "countries": [],
        "organisations": [("in_cooperation_with", "Omega Research Foundation")],
        "external": (
            "https://ipisresearch.be/mapping/webmapping/factories/index.html",
            "Open the map",
        ),
        "summary": "A database of the companies that make, assemble or maintain "
        "weapons, ammunition, aircraft parts and military vehicles across "
        "Africa, mostly state-owned, mapped to show the industry's size and "
        "spread.",
    },
    {
        "slug": "car-ouham-pende-basemap",
        "title": "Central African Republic: Ouham-Pendé basemap",
        "authors": [("IPIS", "", True)],
        "date": "2019-01-01",  # 2019
        "date_precision": "year",
        "place": "Antwerp",
        "type": "map",
        "programmes": ["conflict-mapping"],
        "countries": ["CF"],
        "organisations": [("in_cooperation_with", "Concordis International")],
        "summary": "Towns, villages, roads, displacement camps and natural "
        "features of a prefecture crossed each year by herders and their cattle: "
        "the places that matter most for transhumance and its conflicts.",
    },
    {
        "slug": "first-multi-stakeholder-meeting-bhr-tanzania",
        "title": "Report of the first multi-stakeholder meeting on business and "
        "human rights in Tanzania",
        "authors": [("CHRAGG", "", True), ("BHRT", "", True), ("IPIS", "", True)],
        "date": "2019-04-01",  # after the March 2019 dialogue
        "place": "",
        "type": "annual_report",
        "programmes": ["business-human-rights"],
        "countries": ["TZ"],
        "organisations": [
            ("published_with", "CHRAGG"),
            ("published_with", "BHRT"),
            ("supported_by", "EIDHR"),
        ],
        "summary": "Civil society, business and government from mainland "
        "Tanzania and Zanzibar met to discuss business and human rights. The "
        "report sums up the frameworks, the priorities they agreed on (land "
        "rights and the environment) and five case studies.",
    },
    {
        "slug": "quarterly-briefing-bhr-tanzania",
        "title": "Quarterly briefing on business and human rights in Tanzania",
        "authors": [("IPIS", "", True)],
        "date": "2019-07-01",  # 2019
        "date_precision": "year",
        "place": "",
        "type": "briefing_paper",
        "programmes": ["business-human-rights"],
        "countries": ["TZ"],
        "organisations": [
            ("published_with", "CHRAGG"),
            ("published_with", "BHRT"),
            ("supported_by", "EIDHR"),
        ],
        "summary": "Every three months, a digest of what happened where "
        "companies and human rights meet in Tanzania, sector by sector: mining "
        "and oil, farming, tourism and infrastructure.",
    },
    {
        "slug": "miners-revenue-basic-needs-study",
        "title": "The Miner's Revenue and Basic Needs Study",
        "authors": [
            "Guillaume de Brier",
            ("A. Jorns", ""),
            ("Markus Geray", ""),
            "Alexandre Jaillon",
        ],
        "date": "2020-03-01",  # March 2020
        "place": "Antwerp",
        "type": "report",
        "programmes": ["natural-resources"],
        "countries": ["CD"],
        "organisations": [
            ("commissioned_by", "Fairphone"),
            ("in_cooperation_with", "Levin Sources"),
        ],
        "summary": "Why do mining families stay poor when mining pays better "
        "than most work? Comparing miners' incomes with what basic needs cost "
        "points to productivity, remoteness, prices, gender and how earnings are "
        "shared at the mine.",
    },
    {
        "slug": "real-care-is-rare",
        "title": "Real Care is Rare",
        "subtitle": "An on-the-ground perspective on blood diamonds and the fifth “C”",
        "authors": [("Kimberley Process Civil Society Coalition", "", True)],
        "date": "2019-04-01",  # 2019; first shown at the April OECD forum
        "date_precision": "year",
        "place": "",
        "publisher": "Kimberley Process Civil Society Coalition",
        "type": "report",
        "programmes": ["natural-resources", "business-human-rights"],
        "countries": ["ZW", "CD"],
        "organisations": [
            ("published_with", "KP CSC"),
            ("supported_by", "EU"),
        ],
        "summary": "Diamonds still come out of places where miners and "
        "neighbours suffer violence and abuse, yet they pass as conflict-free "
        "because the Kimberley Process only looks at rebel movements. The "
        "coalition's members document cases from several countries.",
    },
    {
        "slug": "kp-csc-annual-report-2019",
        "title": "2019 KP Civil Society Coalition Annual Report to the Kimberley "
        "Process",
        "authors": [("Kimberley Process Civil Society Coalition", "", True)],
        "date": "2020-11-01",  # mentions 1 November 2020, so not earlier
        "place": "",
        "publisher": "Kimberley Process Civil Society Coalition",
        "type": "annual_report",
        "programmes": ["natural-resources"],
        "countries": ["ZW", "CD"],
        "organisations": [("published_with", "KP CSC")],
        "summary": "What the coalition's eleven members did in the last year of "
        "the Kimberley Process reform cycle: negotiating a wider definition of "
        "conflict diamonds (without consensus), taking part in working groups, "
        "and training and advocacy at home, from Zimbabwe to Sierra Leone.",
    },
    {
        "slug": "voluntary-principles-working-group-south-kivu",
        "title": "Improving Security and Human Rights through Multistakeholder Action",
        "subtitle": "Lessons Learned from the Voluntary Principles Working Group "
        "in South Kivu, DRC",
        "authors": [("Guilain Mathé", "")],
        "date": "2021-09-01",  # first published in September 2021
        "place": "Geneva",
        "publisher": "DCAF – Geneva Centre for Security Sector Governance",
        "type": "partner_study",
        "programmes": ["business-human-rights", "natural-resources"],
        "countries": ["CD"],
        "organisations": [
            ("commissioned_by", "DCAF"),
            ("in_cooperation_with", "OGP"),
            ("supported_by", "Embassy of the Netherlands in the DR Congo"),
        ],
        "summary": "Since 2018 a working group led by a South Kivu NGO has "
        "brought mining companies, security forces, authorities and communities "
        "together. Interviews with its members show how it built trust, settled "
        "disputes and trained the mining police, and what it needs to last.",
    },
    {
        "slug": "everything-that-moves-will-be-taxed",
        "title": "“Everything that moves will be taxed”",
        "subtitle": "The political economy of roadblocks in North and South Kivu",
        "authors": [("IPIS", "", True)],
        "date": "2017-01-01",  # 2017
        "date_precision": "year",
        "place": "Antwerp",
        "type": "report",
        "programmes": ["conflict-mapping"],
        "countries": ["CD"],
        "organisations": [],
        "summary": "Who sets up the barriers on the roads and rivers of the "
        "Kivus, what they collect from travellers and traders, and how this "
        "income keeps armed and state actors going.",
    },
    {
        "slug": "pillage-route-walikale-masisi",
        "language": "fr",
        "title": "Pillage route",
        "subtitle": "L'économie politique des barrages routiers à Walikale et Masisi",
        "authors": [("IPIS", "", True)],
        "date": "2017-01-01",  # 2017
        "date_precision": "year",
        "place": "Anvers",
        "type": "report",
        "programmes": ["conflict-mapping"],
        "countries": ["CD"],
        "organisations": [],
        "summary": "Qui tient les barrages sur les routes de Walikale et de "
        "Masisi, combien ils rapportent et à qui : une enquête sur ce commerce "
        "de la route et ses effets sur les habitants.",
    },
    {
        "slug": "politics-of-pillage-roadblocks-car",
        "title": "The Politics of Pillage",
        "subtitle": "The political economy of roadblocks in the Central African "
        "Republic",
        "authors": [("IPIS", "", True)],
        "date": "2017-01-01",  # 2017
        "date_precision": "year",
        "place": "Antwerp",
        "type": "report",
        "programmes": ["conflict-mapping"],
        "countries": ["CF"],
        "organisations": [("commissioned_by", "United States Department of State")],
        "summary": "Barriers on the country's roads are a main source of money "
        "for armed groups. The report maps them and follows the money, to show "
        "what keeps the fighting profitable.",
    },
    {
        "slug": "mapping-conflict-motives-car",
        "title": "Mapping Conflict Motives in the Central African Republic",
        "authors": [("IPIS", "", True)],
        "date": "2017-01-01",  # 2017
        "date_precision": "year",
        "place": "Antwerp",
        "type": "map",
        "programmes": ["conflict-mapping"],
        "countries": ["CF"],
        "organisations": [("commissioned_by", "United States Department of State")],
        "summary": "Maps and analysis of where armed groups operate in the "
        "Central African Republic and what they fight over, from mines to "
        "cattle routes.",
    },
    {
        "slug": "car-conflict-mapping-2018",
        "title": "Central African Republic: a conflict mapping",
        "authors": [("IPIS", "", True)],
        "date": "2018-01-01",  # 2018
        "date_precision": "year",
        "place": "Antwerp",
        "type": "report",
        "programmes": ["conflict-mapping"],
        "countries": ["CF"],
        "organisations": [("commissioned_by", "United States Department of State")],
        "summary": "An updated picture of the armed groups in the Central "
        "African Republic, their areas of control and their sources of income.",
    },
    {
        "slug": "asm-kahuzi-biega-national-park",
        "title": "Artisanal mining in and around Kahuzi-Biega National Park",
        "authors": [("IPIS", "", True)],
        "date": "2019-09-01",  # 2019; presented in Bukavu in September
        "date_precision": "year",
        "place": "Antwerp",
        "type": "report",
        "programmes": ["natural-resources", "conflict-mapping"],
        "countries": ["CD"],
        "organisations": [
            ("commissioned_by", "WCS"),
            ("supported_by", "USAID"),
        ],
        "summary": "Interviews with hundreds of miners, traders and hunters "
        "explain why people mine in and around a World Heritage park, and what "
        "conservationists should keep in mind when they engage with them.",
    },
    {
        "slug": "mining-okapi-wildlife-reserve",
        "title": "The impact of mining in the Okapi Wildlife Reserve area",
        "authors": [("IPIS", "", True)],
        "date": "2019-12-01",  # 2019
        "date_precision": "year",
        "place": "Antwerp",
        "type": "report",
        "programmes": ["natural-resources"],
        "countries": ["CD"],
        "organisations": [
            ("commissioned_by", "WCS"),
            ("supported_by", "USAID"),
        ],
        "summary": "Gold mining at the edge of the Okapi reserve in Ituri: the "
        "networks behind it, its place in the local economy and what it does "
        "to the forest.",
    },
    {
        "slug": "annual-report-2019",
        "title": "Annual Report 2019",
        "authors": [("IPIS", "", True)],
        "date": "2020-06-01",  # 2020
        "date_precision": "year",
        "place": "Antwerp",
        "type": "annual_report",
        "programmes": [
            "natural-resources",
            "conflict-mapping",
            "arms-trade-security",
            "business-human-rights",
            "capacity-enhancement",
        ],
        "countries": ["CD", "TZ", "CF", "ZW", "SS"],
        "organisations": [("supported_by", "DGD")],
        "summary": "A year of work in five programmes: mines mapped in three "
        "countries, incident reporting in eastern Congo, dialogue on business "
        "and human rights in Tanzania, arms trade research, and over 80 new "
        "maps.",
    },
]

# Studies of the Voices series, by series slug.
VOICES_STUDIES = {
    "voix-du-congo": [
        {
            "slug": "misisi-incidents-chaine-approvisionnement-or",
            "title": "Misisi, pourquoi tant d'incidents dans la chaîne "
            "d'approvisionnement de l'or",
            "authors": [("Julien Mapenzi", "APDE")],
            "date": "2019-10-01",  # octobre 2019
            "place": "Anvers/Misisi",
            "type": "partner_study",
            "series": ("Voix du Congo", None),
            "programmes": ["natural-resources", "capacity-enhancement"],
            "countries": ["CD"],
            "organisations": [
                ("published_with", "APDE"),
                ("supported_by", "EU"),
            ],
            "summary": "Une organisation de Misisi, au Sud-Kivu, recense les "
            "incidents qui touchent la filière de l'or (accidents, taxes "
            "illégales, violences) et cherche pourquoi ils se répètent.",
        }
    ],
    "voices-from-tanzania": [
        {
            "slug": "voices-from-tanzania-volume-1",
            "title": "Voices from Tanzania",
            "subtitle": "Case studies on business and human rights",
            "authors": [
                ("CHRAGG", "", True),
                ("BHRT", "", True),
                ("LHRC", "", True),
                ("Governance Links", "", True),
            ],
            "date": "2019-03-01",  # early 2019
            "date_precision": "year",
            "place": "Antwerp",
            "type": "partner_study",
            "series": ("Voices from Tanzania", 1),
            "programmes": ["business-human-rights", "capacity-enhancement"],
            "countries": ["TZ"],
            "organisations": [
                ("published_with", "CHRAGG"),
                ("published_with", "BHRT"),
                ("published_with", "LHRC"),
                ("supported_by", "EIDHR"),
            ],
            "summary": "Tanzanian organisations write up cases of companies "
            "harming people's rights, and how those affected sought redress. The "
            "first volume of the series.",
        },
        {
            "slug": "voices-from-tanzania-volume-2",
            "title": "Voices from Tanzania",
            "subtitle": "Land rights and environment",
            "authors": [
                ("TAWEA", "", True),
                ("Cedesota", "", True),
                ("LEAT", "", True),
                ("HakiArdhi", "", True),
            ],
            "date": "2020-02-01",  # early 2020
            "date_precision": "year",
            "place": "Antwerp",
            "type": "partner_study",
            "series": ("Voices from Tanzania", 2),
            "programmes": ["business-human-rights", "capacity-enhancement"],
            "countries": ["TZ"],
            "organisations": [
                ("published_with", "TAWEA"),
                ("published_with", "Cedesota"),
                ("published_with", "LEAT"),
                ("published_with", "HakiArdhi"),
                ("supported_by", "EIDHR"),
            ],
            "summary": "Four organisations, trained by us in Dar es Salaam to plan "
            "field work and write it up, studied land disputes and damage to "
            "the environment, the theme chosen at the 2019 dialogue.",
        },
    ],
}

# Publications that point readers to one another: (slug, related slugs).
RELATED = [
    (
        "mapping-asm-northwest-tanzania",
        [
            "social-license-to-operate-northwest-tanzania",
            "webmap-asm-northwest-tanzania",
        ],
    ),
    (
        "mapping-artisanal-mining-eastern-drc-2019",
        [
            "webmap-artisanal-mining-eastern-drc-v6",
            "due-diligence-impact-eastern-drc-baseline",
        ],
    ),
    ("real-care-is-rare", ["kp-csc-annual-report-2019"]),
]
