"""What each licence of a publication is called and where its text is.

A publication keeps the licence it was published under: the site's default
licence (site settings, through the `publication_default_licence` hook) only
fills in the choice for a new publication. Changing the default later must
not relicense what is already out, which a fallback read at display time would.
"""

from dataclasses import dataclass

from wagtail import hooks

from publications.choices import Licence

DEFAULT_LICENCE_HOOK = "publication_default_licence"
LICENCE_URLS = {
    Licence.CC_BY: "https://creativecommons.org/licenses/by/4.0/",
    Licence.CC_BY_SA: "https://creativecommons.org/licenses/by-sa/4.0/",
    Licence.CC_BY_NC: "https://creativecommons.org/licenses/by-nc/4.0/",
    Licence.CC_BY_NC_ND: "https://creativecommons.org/licenses/by-nc-nd/4.0/",
}
# The short names people read on the page and in citations.
LICENCE_SHORT_NAMES = {
    Licence.CC_BY: "CC BY 4.0",
    Licence.CC_BY_SA: "CC BY-SA 4.0",
    Licence.CC_BY_NC: "CC BY-NC 4.0",
    Licence.CC_BY_NC_ND: "CC BY-NC-ND 4.0",
}


@dataclass(frozen=True)
class LicenceInfo:
    code: str
    label: str
    short_name: str
    url: str


def licence_info(code: str) -> LicenceInfo | None:
    """The licence stored as `code`, or None when none was chosen."""
    if code not in Licence.values:
        return None
    licence = Licence(code)
    return LicenceInfo(
        code=code,
        label=str(licence.label),
        short_name=LICENCE_SHORT_NAMES.get(licence, str(licence.label)),
        url=LICENCE_URLS.get(licence, ""),
    )


def default_licence(*, site) -> str:
    """The licence a new publication on `site` starts with ("" for none).

    Asked of the functions registered for the hook, the first answer wins:
    site_config registers one reading its site settings.
    """
    for hook in hooks.get_hooks(DEFAULT_LICENCE_HOOK):
        code = hook(site)
        if code:
            return code
    return ""
