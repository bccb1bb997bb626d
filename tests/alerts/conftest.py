"""Fixtures of the alert tests: a local SMTP server (aiosmtpd) that keeps or refuses what it is sent."""
from __future__ import annotations

import email
import email.policy
import socket

import pytest


class Inbox:
    """An aiosmtpd handler keeping every message, or refusing each with `refuse` (an SMTP reply)."""

    def __init__(self, refuse: str | None = None):
        self.messages: list[tuple[list[str], str]] = []
        self.refuse = refuse

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            return self.refuse
        self.messages.append((list(envelope.rcpt_tos), envelope.content.decode("utf-8", "replace")))
        return "250 OK"


def text_of(raw: str) -> str:
    """A received message's subject and plain text, decoded."""
    message = email.message_from_string(raw, policy=email.policy.default)
    return f"Subject: {message['Subject']}\n{message.get_content()}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp():
    from aiosmtpd.controller import Controller

    def start(refuse: str | None = None) -> tuple[Inbox, int]:
        inbox = Inbox(refuse)
        controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
        controller.start()
        started.append(controller)
        return inbox, controller.port

    started: list = []
    yield start
    for controller in started:
        controller.stop()
