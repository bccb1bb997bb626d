"""Refusals the queue rules give, each with a machine-readable code and its details."""

from __future__ import annotations

from datetime import datetime


class QueueError(Exception):
    """A rule refused the request; nothing was changed."""

    code = "queue_error"
    status = 409

    def __init__(self, **details):
        super().__init__(self.code)
        self.details = details


class NotFound(QueueError):
    """An office, service, visit kind, kiosk or ticket that does not exist (or is disabled)."""

    code = "not_found"
    status = 404


class OfficeClosed(QueueError):
    """The office is not receiving now; `opens_at` says when it next does."""

    code = "office_closed"

    def __init__(self, reason: str, opens_at: datetime | None):
        super().__init__(reason=reason, opens_at=opens_at)
        self.reason = reason
        self.opens_at = opens_at


class TooLateToday(QueueError):
    """A new ticket could not be served before the office closes today."""

    code = "too_late_today"

    def __init__(self, closes_at: datetime, opens_at: datetime | None):
        super().__init__(closes_at=closes_at, opens_at=opens_at)
        self.closes_at = closes_at
        self.opens_at = opens_at


class NotAccepting(QueueError):
    """The visit kind is closed for new tickets by an administrator."""

    code = "not_accepting"
