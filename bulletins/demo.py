"""Regional sections of the demo Arms Trade Bulletins of 2019."""

from briefings.demo_digests import DemoSection, digest_sections_demo_ensure

ARMS = (
    "Small arms diversion: tracing a batch of rifles",
    "Arms Trade Treaty: reporting rates stay low",
    "Private security companies and the weapons they carry",
    "Air cargo and the logistics of arms flows",
)

BULLETIN_SECTIONS = {
    "december-2018-february-2019": [
        DemoSection(
            region="middle_east",
            theme="Arms transfers",
            publications=("legality-arms-transfers-yemen-coalition",),
            comments={
                "legality-arms-transfers-yemen-coalition": (
                    "The legal opinion behind this issue's editorial."
                )
            },
        ),
        DemoSection(region="global", theme="Treaty reporting", news=(ARMS[1],)),
    ],
    "march-april-2019": [
        DemoSection(
            region="europe",
            theme="Export licensing",
            publications=("legality-arms-transfers-yemen-coalition",),
        ),
        DemoSection(region="global", theme="Logistics", news=(ARMS[3],)),
    ],
    "may-june-2019": [
        DemoSection(
            region="africa",
            theme="Diversion",
            news=(ARMS[0], "Roadblocks and the money they raise"),
            comments={
                ARMS[0]: "A case study in how a batch leaves its declared owner."
            },
        ),
        DemoSection(region="global", theme="Tracking", news=(ARMS[3],)),
    ],
    "july-august-2019": [
        DemoSection(
            region="africa",
            theme="Arms embargoes",
            news=("South Sudan: a fragile calm around the oil fields",),
            publications=("transnational-brokering-africa-grey-market",),
        ),
        DemoSection(region="global", theme="Private security", news=(ARMS[2],)),
    ],
    "september-october-2019": [
        DemoSection(
            region="africa",
            theme="Civilians and arms",
            news=("Displacement figures rise in border areas",),
        ),
        DemoSection(region="global", theme="Arms Trade Treaty", news=(ARMS[1],)),
    ],
    "november-december-2019": [
        DemoSection(
            region="africa",
            theme="Defence industry",
            publications=("arms-ammunition-factories-africa",),
        ),
        DemoSection(region="global", theme="Verification", news=(ARMS[0], ARMS[1])),
    ],
}


def bulletin_sections_demo_ensure(*, index) -> int:
    """Fill the demo Bulletins' regional sections; returns issues filled."""
    return digest_sections_demo_ensure(index=index, plan=BULLETIN_SECTIONS)
