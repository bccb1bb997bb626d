"""Alert e-mail (no Flask): the mail server from one URL, and one message sent to one manager."""
from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

TIMEOUT_SECONDS = 10.0


@dataclass(frozen=True)
class MailServer:
    """Where alert e-mail goes: host, port, sign-in, and whether the connection is TLS from the start."""

    host: str
    port: int
    user: str = ""
    password: str = ""
    tls: bool = False


def mail_server(url: str) -> MailServer | None:
    """The server `url` names (smtp://[user:password@]host[:port] or smtps://...); None when none is set.

    ValueError when it cannot be read."""
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ValueError(f"not an smtp:// or smtps:// address: {url!r}")
    tls = parts.scheme == "smtps"
    return MailServer(parts.hostname, parts.port or (465 if tls else 25), unquote(parts.username or ""),
                      unquote(parts.password or ""), tls)


def send(server: MailServer, sender: str, to: str, subject: str, body: str) -> None:
    """Send one plain-text message; raises OSError or smtplib.SMTPException when the server will not take it."""
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, to, subject
    message.set_content(body)
    if server.tls:
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(server.host, server.port, timeout=TIMEOUT_SECONDS,
                                              context=ssl.create_default_context())
    else:
        smtp = smtplib.SMTP(server.host, server.port, timeout=TIMEOUT_SECONDS)
    with smtp:
        if not server.tls:
            smtp.ehlo()
            if smtp.has_extn("starttls"):
                smtp.starttls(context=ssl.create_default_context())
                smtp.ehlo()
        if server.user:
            smtp.login(server.user, server.password)
        smtp.send_message(message)
