"""Regional sections of the demo Arms Trade Bulletins of 2019."""

from briefings.demo import DemoSection, digest_sections_demo_ensure


def regional(region: str, theme: str, **sections) -> DemoSection:
    """A demo section of one region and theme, headed by them."""
    return DemoSection(fields={"region": region, "theme": theme}, **sections)


ARMS = (
    "Small arms diversion: tracing a batch of rifles",
    "Arms Trade Treaty: reporting rates stay low",
    "Private security companies and the weapons they carry",
    "Air cargo and the logistics of arms flows",
)

BULLETIN_SECTIONS = {
    "december-2018-february-2019": [
        regional(
            "middle_east",
            "Arms transfers",
            publications=("legality-arms-transfers-yemen-coalition",),
            comments={
                "legality-arms-transfers-yemen-coalition": (
                    "The legal opinion behind this issue's editorial."
                )
            },
        ),
        regional("global", "Treaty reporting", news=(ARMS[1],)),
    ],
    "march-april-2019": [
        regional(
            "europe",
            "Export licensing",
            publications=("legality-arms-transfers-yemen-coalition",),
        ),
        regional("global", "Logistics", news=(ARMS[3],)),
    ],
    "may-june-2019": [
        regional(
            "africa",
            "Diversion",
            news=(ARMS[0], "Roadblocks and the money they raise"),
            comments={
                ARMS[0]: "A case study in how a batch leaves its declared owner."
            },
        ),
        regional("global", "Tracking", news=(ARMS[3],)),
    ],
    "july-august-2019": [
        regional(
            "africa",
            "Arms embargoes",
            news=("South Sudan: a fragile calm around the oil fields",),
            publications=("transnational-brokering-africa-grey-market",),
        ),
        regional("global", "Private security", news=(ARMS[2],)),
    ],
    "september-october-2019": [
        regional(
            "africa",
            "Civilians and arms",
            news=("Displacement figures rise in border areas",),
        ),
        regional("global", "Arms Trade Treaty", news=(ARMS[1],)),
    ],
    "november-december-2019": [
        regional(
            "africa",
            "Defence industry",
            publications=("arms-ammunition-factories-africa",),
        ),
        regional("global", "Verification", news=(ARMS[0], ARMS[1])),
    ],
}


def bulletin_sections_demo_ensure(*, index) -> int:
    """Fill the demo Bulletins' regional sections; returns issues filled."""
    return digest_sections_demo_ensure(index=index, plan=BULLETIN_SECTIONS)
