"""The demo's French and Swahili texts for the pages, settings and lists.

Written in our words from the facts in the seeds; keyed by language code.
"""

# Site settings: (tagline, footer text).
SITE_TEXTS = {
    "fr": (
        "Recherche indépendante pour la paix, le développement et les droits humains",
        "Un institut de recherche basé à Anvers, avec des bureaux à Arusha et à "
        "Bukavu. Nous recueillons sur le terrain des données sur les ressources "
        "naturelles, les conflits armés, les entreprises et les droits humains et "
        "le commerce des armes, et nous les partageons librement.",
    ),
    "sw": (
        "Utafiti huru kwa ajili ya amani, maendeleo na haki za binadamu",
        "Taasisi ya utafiti yenye makao makuu Antwerp na ofisi Arusha na Bukavu. "
        "Tunakusanya takwimu uwandani kuhusu maliasili, migogoro ya kivita, "
        "biashara na haki za binadamu na biashara ya silaha, na tunazishiriki "
        "kwa uwazi.",
    ),
}

# The research page: (slug, title, intro, paragraph).
RESEARCH = {
    "fr": (
        "recherche",
        "Nos recherches",
        "Cinq programmes, une région : l’Afrique subsaharienne.",
        "Nos chercheurs travaillent dans des programmes qui partagent données et "
        "méthodes. Chacun est présenté ci-dessous.",
    ),
    "sw": (
        "utafiti",
        "Utafiti wetu",
        "Programu tano, kanda moja: Afrika kusini mwa Sahara.",
        "Watafiti wetu hufanya kazi katika programu zinazoshirikiana takwimu na "
        "mbinu. Kila moja imeelezwa hapa chini.",
    ),
}

# Programme pages' slugs, by the English programme slug.
PROGRAMME_SLUGS = {
    "fr": {
        "natural-resources": "ressources-naturelles",
        "conflict-mapping": "cartographie-des-conflits",
        "arms-trade-security": "commerce-des-armes-et-securite",
        "business-human-rights": "entreprises-et-droits-humains",
        "capacity-enhancement": "renforcement-des-capacites",
    },
    "sw": {
        "natural-resources": "maliasili",
        "conflict-mapping": "ramani-za-migogoro",
        "arms-trade-security": "biashara-ya-silaha-na-usalama",
        "business-human-rights": "biashara-na-haki-za-binadamu",
        "capacity-enhancement": "kujenga-uwezo",
    },
}

# The team page: (slug, title, intro, headings of staff, researchers,
# associates and board, in the order of the English page).
TEAM = {
    "fr": (
        "equipe",
        "Notre équipe",
        "Les personnes qui menaient nos recherches au 31 décembre 2019, et le "
        "conseil d’administration qui supervise l’institut bénévolement.",
        ("Personnel", "Chercheurs", "Chercheurs associés", "Conseil d’administration"),
    ),
    "sw": (
        "timu",
        "Timu yetu",
        "Watu waliofanya utafiti wetu tarehe 31 Desemba 2019, na bodi "
        "inayosimamia taasisi bila malipo.",
        ("Wafanyakazi", "Watafiti", "Watafiti washirika", "Bodi ya wakurugenzi"),
    ),
}

# People's roles, by the English role.
ROLES = {
    "fr": {
        "Chair of the board": "Président du conseil d’administration",
        "Secretary of the board": "Secrétaire du conseil d’administration",
        "Board member": "Membre du conseil d’administration",
        "Director": "Directeur",
        "Communication and coordination": "Communication et coordination",
        "Office manager": "Gestionnaire de bureau",
        "Partners and logistics officer": "Chargé des partenaires et de la logistique",
        "Office assistant": "Assistante de bureau",
        "Researcher": "Chercheur·e",
        "Associate researcher": "Chercheur·e associé·e",
    },
    "sw": {
        "Chair of the board": "Mwenyekiti wa bodi",
        "Secretary of the board": "Katibu wa bodi",
        "Board member": "Mjumbe wa bodi",
        "Director": "Mkurugenzi",
        "Communication and coordination": "Mawasiliano na uratibu",
        "Office manager": "Meneja wa ofisi",
        "Partners and logistics officer": "Afisa wa washirika na usafirishaji",
        "Office assistant": "Msaidizi wa ofisi",
        "Researcher": "Mtafiti",
        "Associate researcher": "Mtafiti mshirika",
    },
}

# The Briefing archive: (slug, title, intro).
BRIEFING_INDEX = {
    "fr": (
        "briefing",
        "Briefing",
        "Chaque mois, un éditorial sur un thème et une sélection d’actualités sur "
        "les ressources naturelles, les conflits, les entreprises et les droits "
        "humains, et le commerce des armes.",
    ),
    "sw": (
        "briefing",
        "Briefing",
        "Kila mwezi, tahariri kuhusu mada moja na uteuzi wa habari kuhusu "
        "maliasili, migogoro, biashara na haki za binadamu, na biashara ya silaha.",
    ),
}

# Briefings translated, by the English issue's slug: (slug, title, focus,
# standfirst, editorial paragraphs).
BRIEFINGS = {
    "fr": {
        "december-2019": (
            "decembre-2019",
            "Briefing décembre 2019",
            "Les entreprises liées à la défense en Afrique",
            "Qui fabrique, entretient et vend du matériel militaire sur le "
            "continent ? Un premier regard sur un secteur qui s’explique rarement.",
            [
                "Avec ce numéro, nous publions une carte des entreprises liées à la "
                "défense actives en Afrique : fabricants, prestataires de services "
                "et négociants, avec leur lieu d’enregistrement et leurs zones "
                "d’activité.",
                "La transparence de ce secteur compte pour le contrôle des armes : "
                "elle montre d’où le matériel peut venir, quelles licences "
                "s’appliquent et à qui demander des comptes en cas de "
                "détournement. La sélection d’actualités suit les transferts "
                "d’armes, les licences d’exportation et la réforme du secteur de "
                "la sécurité dans la région.",
            ],
        ),
    },
    "sw": {
        "december-2019": (
            "desemba-2019",
            "Briefing Desemba 2019",
            "Makampuni yanayohusiana na ulinzi barani Afrika",
            "Nani hutengeneza, kuhudumia na kuuza vifaa vya kijeshi barani? "
            "Mtazamo wa kwanza kwa sekta ambayo mara chache hujieleza.",
            [
                "Pamoja na toleo hili tunachapisha ramani ya makampuni "
                "yanayohusiana na ulinzi yanayofanya kazi barani Afrika: "
                "watengenezaji, watoa huduma na wafanyabiashara, pamoja na mahali "
                "yaliposajiliwa na yanapofanya kazi.",
                "Uwazi kuhusu sekta hii ni muhimu kwa udhibiti wa silaha: "
                "unaonyesha vifaa vinaweza kutoka wapi, leseni zipi zinahusika, na "
                "nani anaweza kuwajibishwa silaha zinapoelekezwa kwingine. Uteuzi "
                "wa habari unafuatilia uhamishaji wa silaha, leseni za kuuza nje "
                "na mageuzi ya sekta ya usalama katika kanda.",
            ],
        ),
    },
}

# Digest section headings, Bulletin themes and editors' comments, by the
# English text: a translated issue shows its sections in its own language.
SECTION_TEXTS = {
    "fr": {
        "Arms trade": "Commerce des armes",
        "Natural resources": "Ressources naturelles",
        "Our publications": "Nos publications",
        "Read with our map: transport is where many transfers become visible.": (
            "À lire avec notre carte : c’est au transport que bien des transferts "
            "deviennent visibles."
        ),
        "Civilians and arms": "Les civils et les armes",
        "Arms Trade Treaty": "Traité sur le commerce des armes",
    },
    "sw": {
        "Arms trade": "Biashara ya silaha",
        "Natural resources": "Maliasili",
        "Our publications": "Machapisho yetu",
        "Read with our map: transport is where many transfers become visible.": (
            "Soma pamoja na ramani yetu: usafirishaji ndipo uhamishaji mwingi "
            "unapoonekana."
        ),
    },
}
