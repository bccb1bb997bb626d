"""What the console tells a clerk when it refuses a command, and why the visitor on call was called."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext

from kezek.queue import call_reason
from kezek.queue.call_reason import CallReason
from kezek.queue.errors import QueueError


def _state_message(state: str | None) -> str:
    if state == "paused":
        return _("The cabinet is paused. Resume it first (key P).")
    if state == "closed":
        return _("The cabinet is closed. Open it first.")
    return _("The cabinet is not open.")


def _status_message(status: str | None) -> str:
    return {
        "waiting": _("This visitor is waiting in the queue: call them first."),
        "called": _("This visitor has been called but not started yet."),
        "serving": _("This visitor is being served."),
        "served": _("This visit is finished already."),
        "no_show": _("This visitor is marked as a no-show already."),
        "cancelled": _("This ticket is cancelled."),
    }.get(status or "", _("The ticket is not at this cabinet any more."))


def refusal(error: QueueError) -> str:
    """One sentence saying why a command was refused and what to do instead."""
    details = error.details
    reason = details.get("reason")
    if error.code == "not_found":
        what = details.get("what")
        if what == "number":
            return _("No such number is waiting for this cabinet. Check the number on the visitor's ticket.")
        if what == "cabinet":
            return _("That cabinet does not exist in this office.")
        if what in ("visit_kind", "service"):
            return _("That visit kind is not offered in this office.")
        return _("That ticket is not in this office's queue.")
    if reason == "no_ticket":
        return _("Choose a ticket first.")
    if reason == "no_target":
        return _("Choose a visit kind or a cabinet to transfer the visitor to.")
    if reason == "recall_first":
        needed = details.get("needed", 1)
        return ngettext("Recall the number once before marking a no-show.",
                        "Recall the number %(num)d times before marking a no-show.", needed) + " " + \
            ngettext("Recalled %(num)d time so far.", "Recalled %(num)d times so far.", details.get("recalls", 0))
    if reason == "busy":
        return _("Several cabinets called at the same moment. Please press the key again.")
    if reason == "still_serving":
        return _("Finish, transfer or cancel %(label)s first.", label=details.get("label", ""))
    if reason == "bad_number":
        return _("Type a ticket number such as B-007 or 7.")
    if reason == "ambiguous_number":
        return _("Several tickets have that number (%(labels)s): type the letter too.",
                 labels=", ".join(details.get("labels", [])))
    if reason == "too_late_to_undo":
        return _("Too late to undo: a cancellation can be taken back for one minute only.")
    if reason == "not_cancelled_here":
        return _("Only the cabinet that cancelled a ticket can take the cancellation back.")
    if reason == "cancel_reason":
        return _("Choose why the ticket is cancelled.")
    if "state" in details:
        return _state_message(details["state"])
    if "status" in details:
        return _status_message(details["status"])
    return _("The command could not be carried out. Nothing was changed.")


def call_reason_text(reason: CallReason | None) -> str | None:
    """The line under the called number saying why this visitor was called."""
    if reason is None:
        return None
    limit = reason.limit_minutes or 0
    if reason.code == call_reason.EARLIEST and reason.over:
        return _("Earliest ticket in the queue, already past the %(num)d-minute limit.", num=limit)
    if reason.code == call_reason.EARLIEST:
        return _("Earliest ticket in the queue.")
    if reason.code == call_reason.WAITED_LONGEST:
        return _("Waited longest: more than 15 minutes past the %(num)d-minute limit.", num=limit)
    if reason.code == call_reason.BEFORE_BREAK:
        return _("Ticket order: lunch or closing is near, so nobody is pushed past it.")
    if reason.code == call_reason.PACE_CAP:
        return _("Earliest ticket: waited longer than the queue's pace, so not passed over any more.")
    if reason.code == call_reason.NEAR_LIMIT:
        return _("Called ahead of older tickets: about to pass the %(num)d-minute limit.", num=limit)
    if reason.code == call_reason.CHOSEN:
        return _("Called by number: the visitor came up with the ticket.")
    return _("Called ahead of older tickets by the office's call policy.")


def cancel_reasons() -> dict[str, str]:
    """Why a ticket may be cancelled, as the clerk picks it."""
    return {"left": _("The visitor left"), "mistake": _("Ticket taken by mistake"),
            "duplicate": _("The visitor has another ticket"), "other": _("Other reason")}
