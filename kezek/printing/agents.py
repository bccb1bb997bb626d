"""Kiosks whose printer hangs off the kiosk PC: the agent URL and the print agent's token."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from kezek.models.cabinet import Kiosk

# Kiosks whose printer hangs off the kiosk PC: a print agent there fetches their jobs (printer/agent.py).
AGENT_URL = "agent://"


def is_agent(url: str) -> bool:
    """Whether a printer URL means "a print agent on the kiosk PC takes these jobs"."""
    return url.strip().lower().startswith(AGENT_URL)


def token_hash(token: str) -> str:
    """The stored form of an agent token.

    SHA-256, not a slow password hash: the token is 256 random bits (nothing to guess) and the agent
    presents it every two seconds.
    """
    return hashlib.sha256(token.encode()).hexdigest()


def new_agent_token(kiosk: Kiosk) -> str:
    """Give `kiosk` a new print agent token (the old one stops working); returns it, the caller commits."""
    token = secrets.token_urlsafe(32)
    kiosk.agent_token_hash = token_hash(token)
    return token


def agent_token_matches(kiosk: Kiosk, token: str) -> bool:
    """Whether `token` is the kiosk's agent token (a kiosk without one accepts none)."""
    stored = kiosk.agent_token_hash or ""
    return bool(stored and token) and hmac.compare_digest(stored, token_hash(token))
