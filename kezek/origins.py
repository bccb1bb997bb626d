"""Which web origins are the installation's own: the only ones whose pages may open its live sockets."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from urllib.parse import urlsplit

from werkzeug.sansio.utils import host_is_trusted


def origin_of(url: str | None) -> str | None:
    """The scheme://host[:port] of `url`, lower-case, or None."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    if not parts.scheme or not parts.netloc:
        return None
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def configured_origins(config: Mapping) -> set[str]:
    """The origins named in the settings: the public address and KEZEK_SOCKET_ORIGINS."""
    named = [config.get("PUBLIC_URL"), *config.get("SOCKET_ORIGINS", ())]
    return {origin for origin in map(origin_of, named) if origin}


def origin_check(config: Mapping) -> Callable[[str, dict], bool]:
    """Flask-SocketIO's `cors_allowed_origins`: a named origin, or the page's own host (when trusted).

    A page served by this server opens its socket from the same host it was loaded from, so an origin
    whose host is the request's Host is the installation's own; where KEZEK_TRUSTED_HOSTS is set, that
    host must also be one of those (a DNS-rebinding page has a Host of its own choosing).
    """
    named = configured_origins(config)
    trusted = config.get("TRUSTED_HOSTS")
    behind_proxy = bool(config.get("BEHIND_PROXY"))

    def allowed(origin: str | None, environ: dict | None = None) -> bool:
        own = origin_of(origin)
        if own is None:
            return False
        if own in named:
            return True
        environ = environ or {}
        host = environ.get("HTTP_HOST", "")
        if behind_proxy and environ.get("HTTP_X_FORWARDED_HOST"):
            host = environ["HTTP_X_FORWARDED_HOST"].split(",")[0].strip()
        if not host or urlsplit(own).netloc != host.lower():
            return False
        return trusted is None or host_is_trusted(host, trusted)

    return allowed
