"""Security headers, a strict content security policy, proxy awareness and secure cookies."""
from __future__ import annotations

import ipaddress

from flask import Flask, Response, current_app, request
from werkzeug.middleware.proxy_fix import ProxyFix

# Everything a page needs is served by the app itself; nothing may come from another host.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "media-src 'self' blob:",
    "font-src 'self'",
    "connect-src 'self' ws: wss:",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "object-src 'none'",
])


LOOPBACK = ("127.0.0.1", "::1", "localhost")


def is_loopback(address: str | None) -> bool:
    """Whether `address` is this machine (127.0.0.0/8, ::1)."""
    try:
        return ipaddress.ip_address(address or "").is_loopback
    except ValueError:
        return address in LOOPBACK


def plain_http_warning(host: str, tls: bool) -> str | None:
    """What to warn of when the embedded server listens on `host` beyond this machine without TLS."""
    if tls or is_loopback(host):
        return None
    return (f"Serving plain HTTP on {host}: staff passwords and sessions cross the office network unencrypted. "
            "Give `kezek serve` --certfile and --keyfile, or put a TLS proxy in front (docs/deployment.md).")


def warn_plain_sign_in() -> None:
    """Log a warning when a member of staff signs in over plain HTTP from another machine."""
    if not request.is_secure and not is_loopback(request.remote_addr):
        current_app.logger.warning(
            "A member of staff signed in over plain HTTP from %s: the password crossed the network unencrypted. "
            "Serve over TLS (docs/deployment.md, \"TLS\").", request.remote_addr)


def init_app(app: Flask) -> None:
    """Add the headers to every answer; trust one proxy's forwarded headers when told to, warn when not told."""
    if app.config.get("BEHIND_PROXY"):
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)
    else:
        warned = []

        @app.before_request
        def forwarded_without_proxy_setting():
            # Behind a proxy that is not declared, every visitor seems to be the proxy: one rate-limit bucket.
            if not warned and "X-Forwarded-For" in request.headers:
                warned.append(True)
                app.logger.warning(
                    "Requests carry X-Forwarded-For but KEZEK_BEHIND_PROXY is not set: every visitor looks like "
                    "the proxy (%s), so sign-in and kiosk limits count them all as one. Set KEZEK_BEHIND_PROXY=1 "
                    "(and KEZEK_SECURE_COOKIES=1 behind TLS).", request.remote_addr)

    @app.after_request
    def security_headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if app.config.get("SESSION_COOKIE_SECURE"):
            headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response
