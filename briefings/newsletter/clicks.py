"""Click counts without tracking people, and the sent issue kept as it was sent.

Once per dispatch and language (never per subscriber), `rendering_prepare`
gives every http(s) link of the email a signed redirect through the site
(`newsletter:click`) and keeps the result as the dispatch's archive. The
redirect's token carries the dispatch and the link's row, nothing about the
reader: every reader of a language gets the same links, so a click can only
add one to the link's total. The redirect goes only to a URL stored for that
dispatch, never to a URL taken from the request.

NEWSLETTER_CLICK_COUNTING = False leaves links as they are (they go straight
to their targets). Test sends never come here.

NEWSLETTER_VIEW_IN_BROWSER = "archived" points the email's "view in browser"
link (the issue's own page) to the archived copy (`newsletter:archived`);
"live" (the default) leaves it to the page.
"""

import html as html_module
import re
from dataclasses import replace
from urllib.parse import urljoin

from django.conf import settings
from django.core import signing
from django.db import IntegrityError
from django.db.models import F
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from briefings.email.render import PREFERENCES_PLACEHOLDER, UNSUBSCRIBE_PLACEHOLDER
from briefings.newsletter.models import Dispatch, DispatchArchive, DispatchLink
from briefings.newsletter.tokens import TokenInvalid

CLICK_SALT = "briefings.newsletter.click"
ARCHIVE_SALT = "briefings.newsletter.archived"
VIEW_ARCHIVED = "archived"
VIEW_LIVE = "live"
MAX_URL_LENGTH = 2000

_HREF = re.compile(r'(<a\b[^>]*?\shref=")(https?://[^"]+)(")', re.I | re.S)
_TEXT_URL = re.compile(r"https?://[^\s<>\"]+")


def click_counting_enabled() -> bool:
    return bool(getattr(settings, "NEWSLETTER_CLICK_COUNTING", True))


def view_in_browser_mode() -> str:
    mode = getattr(settings, "NEWSLETTER_VIEW_IN_BROWSER", VIEW_LIVE)
    return VIEW_ARCHIVED if mode == VIEW_ARCHIVED else VIEW_LIVE


def _keys() -> dict:
    return {
        "key": settings.SECRET_KEY,
        "fallback_keys": list(getattr(settings, "SECRET_KEY_FALLBACKS", [])),
    }


def click_token_make(*, dispatch_id: int, link_id: int) -> str:
    return signing.Signer(salt=CLICK_SALT, **_keys()).sign(f"{dispatch_id}.{link_id}")


def click_token_read(token: str) -> tuple[int, int]:
    """The dispatch and link ids of a click token; raises TokenInvalid."""
    try:
        value = signing.Signer(salt=CLICK_SALT, **_keys()).unsign(token)
    except signing.BadSignature as error:
        raise TokenInvalid(str(error)) from error
    dispatch_part, _, link_part = value.partition(".")
    if not (dispatch_part.isdigit() and link_part.isdigit()):
        raise TokenInvalid("bad click token")
    return int(dispatch_part), int(link_part)


def archive_token_make(*, dispatch_id: int, language: str) -> str:
    return signing.Signer(salt=ARCHIVE_SALT, **_keys()).sign(
        f"{dispatch_id}.{language}"
    )


def archive_token_read(token: str) -> tuple[int, str]:
    """The dispatch id and language of an archived-issue token; raises TokenInvalid."""
    try:
        value = signing.Signer(salt=ARCHIVE_SALT, **_keys()).unsign(token)
    except signing.BadSignature as error:
        raise TokenInvalid(str(error)) from error
    dispatch_part, _, language = value.partition(".")
    if not dispatch_part.isdigit() or not language:
        raise TokenInvalid("bad archive token")
    return int(dispatch_part), language


def archived_url(*, base_url: str, dispatch_id: int, language: str) -> str:
    token = archive_token_make(dispatch_id=dispatch_id, language=language)
    with translation.override(language):
        return base_url + reverse("newsletter:archived", kwargs={"token": token})


def click_count(*, token: str) -> str:
    """Add one to the link's count and return where it leads; raises
    TokenInvalid for a token that is not one of ours or names no such link."""
    dispatch_id, link_id = click_token_read(token)
    link = (
        DispatchLink.objects.filter(pk=link_id, dispatch_id=dispatch_id)
        .only("url")
        .first()
    )
    if link is None:
        raise TokenInvalid("no such link")
    DispatchLink.objects.filter(pk=link.pk).update(clicks=F("clicks") + 1)
    return link.url


def _link_ids(dispatch: Dispatch, urls: list[str]) -> dict[str, int]:
    """The dispatch's link rows for these URLs, made where missing (in a few
    queries, whatever the number of links; a second worker finds them made)."""
    existing = dict(
        DispatchLink.objects.filter(dispatch=dispatch).values_list("url", "pk")
    )
    missing = [url for url in dict.fromkeys(urls) if url not in existing]
    if missing:
        rows = [
            DispatchLink(dispatch=dispatch, url=url, position=len(existing) + n)
            for n, url in enumerate(missing)
        ]
        try:
            DispatchLink.objects.bulk_create(rows)
        except IntegrityError:
            # Another run made them meanwhile (the lease makes it rare).
            rows = DispatchLink.objects.filter(dispatch=dispatch, url__in=missing)
        existing.update({row.url: row.pk for row in rows})
    return existing


def links_rewrite(
    *, html: str, text: str, dispatch: Dispatch, base_url: str, language: str
) -> tuple[str, str]:
    """Every http(s) link of the HTML and the text through the counting
    redirect (the unsubscribe and preferences placeholders and mailto: are
    not links here and stay as they are)."""
    html_urls = [html_module.unescape(m.group(2)) for m in _HREF.finditer(html)]
    text_urls = _TEXT_URL.findall(text)
    urls = [url for url in html_urls + text_urls if len(url) <= MAX_URL_LENGTH]
    if not urls:
        return html, text
    ids = _link_ids(dispatch, urls)
    with translation.override(language):
        prefix = reverse("newsletter:click", kwargs={"token": "__token__"})
    redirects: dict[str, str] = {}

    def redirect(url: str) -> str:
        if url not in ids:
            return url
        if url not in redirects:
            token = click_token_make(dispatch_id=dispatch.pk, link_id=ids[url])
            redirects[url] = base_url + prefix.replace("__token__", token)
        return redirects[url]

    def html_link(match: re.Match) -> str:
        url = html_module.unescape(match.group(2))
        return f"{match.group(1)}{escape(redirect(url))}{match.group(3)}"

    html = _HREF.sub(html_link, html)
    text = _TEXT_URL.sub(lambda match: redirect(match.group(0)), text)
    return html, text


def _page_url(page, base_url: str) -> str:
    parts = page.get_url_parts()
    if parts is None:
        return ""
    return urljoin(base_url + "/", parts[2])


def _view_link_to_archive(
    *, html: str, text: str, page_url: str, archive_url: str
) -> tuple[str, str]:
    if not page_url:
        return html, text
    html = html.replace(f'href="{escape(page_url)}"', f'href="{escape(archive_url)}"')
    text = re.sub(rf"{re.escape(page_url)}(?=[\s>]|$)", archive_url, text)
    return html, text


def rendering_prepare(*, dispatch: Dispatch, page, language: str, rendered, base_url):
    """The rendering of one language as this dispatch sends it: archived the
    first time, and taken from the archive afterwards (a resumed worker sends
    exactly what the first one sent)."""
    archive = DispatchArchive.objects.filter(
        dispatch=dispatch, language=language
    ).first()
    if archive is None:
        html, text = rendered.html, rendered.text
        if view_in_browser_mode() == VIEW_ARCHIVED:
            html, text = _view_link_to_archive(
                html=html,
                text=text,
                page_url=_page_url(page, base_url),
                archive_url=archived_url(
                    base_url=base_url, dispatch_id=dispatch.pk, language=language
                ),
            )
        if click_counting_enabled():
            html, text = links_rewrite(
                html=html,
                text=text,
                dispatch=dispatch,
                base_url=base_url,
                language=language,
            )
        # Made once; a run that finds it made sends what the first one sent.
        archive = DispatchArchive(
            dispatch=dispatch,
            language=language,
            subject=rendered.subject,
            html=html,
            text=text,
        )
        try:
            DispatchArchive.objects.bulk_create([archive])
        except IntegrityError:
            # Another run archived it meanwhile (the lease makes it rare).
            archive = DispatchArchive.objects.get(dispatch=dispatch, language=language)
    return replace(
        rendered, subject=archive.subject, html=archive.html, text=archive.text
    )


def archive_for_reading(archive: DispatchArchive, *, base_url: str) -> tuple[str, str]:
    """The archived HTML and text with the personal links' placeholders
    replaced by the subscription page (they belonged to each reader)."""
    with translation.override(archive.language):
        subscribe = base_url + reverse("newsletter:subscribe")
    html = archive.html
    text = archive.text
    for placeholder in (UNSUBSCRIBE_PLACEHOLDER, PREFERENCES_PLACEHOLDER):
        html = html.replace(placeholder, escape(subscribe))
        text = text.replace(placeholder, subscribe)
    return html, text
