"""Interactive maps and videos from other sites, loaded only when a reader asks.

An editor pastes the address of a map or video whose host is one of
`settings.EMBED_ALLOWED_HOSTS`. The page shows a static image and a link; the
frame's address (`embed_frame`) is only put in the page as data, and a small
script (theme/static/theme/js/embed.js) makes the frame when the reader clicks.
The public Content-Security-Policy allows frames from these hosts and no
other (`embed_frame_sources`).

Frames load over HTTPS (a page served over HTTPS cannot frame HTTP); only a
loopback host (tests, a local map server) may be framed over HTTP.
"""

import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Video sites: the address people copy is not the one that can be framed.
YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "youtu.be"}
YOUTUBE_FRAME_HOST = "www.youtube-nocookie.com"
VIMEO_HOSTS = {"vimeo.com", "www.vimeo.com", "player.vimeo.com"}
VIMEO_FRAME_HOST = "player.vimeo.com"
_VIDEO_ID = re.compile(r"^[A-Za-z0-9_-]{6,20}$")


@dataclass(frozen=True)
class EmbedFrame:
    """What the reader's click loads: a frame address, its host, map or video."""

    src: str
    host: str
    is_video: bool


def _is_loopback(host: str) -> bool:
    name = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    name = name.strip("[]")
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def _host(url: str) -> str:
    """`www.example.org` or `127.0.0.1:8123`: the URL's host, port if any."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return ""
    return parts.netloc.rsplit("@", 1)[-1].lower()


def allowed_hosts() -> set[str]:
    return {host.strip().lower() for host in settings.EMBED_ALLOWED_HOSTS if host}


def embed_url_validate(url: str) -> None:
    """A clear error unless the address is on an allowed host."""
    host = _host(url)
    if not host:
        raise ValidationError(_("Give the full address, starting with https://."))
    if host not in allowed_hosts():
        raise ValidationError(
            _(
                "Maps and videos can be embedded from these sites only: "
                "%(hosts)s. Link to other sites with a call to action instead."
            )
            % {"hosts": ", ".join(sorted(allowed_hosts()))}
        )
    if embed_frame(url) is None:
        raise ValidationError(
            _("This address does not name one video; copy the video's own address.")
        )


def _video_frame(parts) -> str | None:
    host = parts.hostname or ""
    path = parts.path.strip("/")
    video_id = ""
    if host in YOUTUBE_HOSTS:
        if host == "youtu.be":
            video_id = path
        elif path == "watch":
            video_id = (parse_qs(parts.query).get("v") or [""])[0]
        elif path.startswith(("embed/", "shorts/", "live/")):
            video_id = path.split("/", 1)[1]
        frame_host, prefix = YOUTUBE_FRAME_HOST, "embed"
    else:
        video_id = path.removeprefix("video/")
        frame_host, prefix = VIMEO_FRAME_HOST, "video"
    if not _VIDEO_ID.match(video_id) or (
        frame_host == VIMEO_FRAME_HOST and not video_id.isdigit()
    ):
        return None
    return f"https://{frame_host}/{prefix}/{video_id}"


def embed_frame(url: str) -> EmbedFrame | None:
    """The frame an allowed address loads; None if it cannot be framed."""
    host = _host(url)
    if not host or host not in allowed_hosts():
        return None
    parts = urlsplit(url.strip())
    if (parts.hostname or "") in YOUTUBE_HOSTS | VIMEO_HOSTS:
        src = _video_frame(parts)
        if src is None:
            return None
        return EmbedFrame(src=src, host=urlsplit(src).netloc, is_video=True)
    scheme = parts.scheme if _is_loopback(host) else "https"
    return EmbedFrame(
        src=parts._replace(scheme=scheme).geturl(),
        host=host,
        is_video=False,
    )


def embed_frame_sources() -> list[str]:
    """CSP frame-src sources: the frame origins of every allowed host."""
    sources = set()
    for host in allowed_hosts():
        bare = host.split(":")[0] if host.count(":") == 1 else host
        if bare in YOUTUBE_HOSTS:
            sources.add(f"https://{YOUTUBE_FRAME_HOST}")
        elif bare in VIMEO_HOSTS:
            sources.add(f"https://{VIMEO_FRAME_HOST}")
        elif _is_loopback(host):
            sources.add(f"http://{host}")
        else:
            sources.add(f"https://{host}")
    return sorted(sources)
