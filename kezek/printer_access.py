"""Printers as staff reach them through the web: the installation's printer policy and rate-limited status checks."""
from __future__ import annotations

import logging

from flask import current_app, request
from flask_login import current_user
from limits import parse_many

from kezek.printing import live_statuses, printer_policy

log = logging.getLogger(__name__)

NOT_CHECKED = {"online": False, "paper": "unknown", "cover_open": None}


def current_policy():
    """The printer policy of the current app (printer.policy.PrinterPolicy)."""
    return printer_policy(current_app.config)


def _within_budget() -> bool:
    """Whether the member of staff asking may check one more printer now (Flask-Limiter's storage counts)."""
    from kezek.extensions import limiter

    who = f"user:{current_user.id}" if current_user.is_authenticated else f"address:{request.remote_addr}"
    try:
        limits = parse_many(current_app.config.get("PRINTER_STATUS_LIMIT", "30 per minute"))
        return all(limiter.limiter.hit(limit, "printer-status", who) for limit in limits)
    except Exception:  # the limiter's storage is away: check nothing rather than anything
        log.warning("printer status budget unknown; status not checked", exc_info=True)
        return False


def staff_statuses(urls: list[str], timeout: float) -> dict[str, dict]:
    """Printer statuses for a staff page: refused URLs are never opened, and each check spends the asker's budget.

    Without the budget the printer field would answer online / refused / timeout for any address,
    a port scanner for whoever may edit a kiosk.
    """
    policy = current_policy()
    answers: dict[str, dict] = {}
    asked = []
    for url in sorted(set(urls)):
        if policy.use_refusal(url):
            answers[url] = {**NOT_CHECKED, "detail": "not_allowed"}
        elif not _within_budget():
            answers[url] = {**NOT_CHECKED, "detail": "not_checked"}
        else:
            asked.append(url)
    answers.update(live_statuses(asked, timeout, policy))
    return answers
