"""Words the administration shows for codes: a printer's state, its print jobs' states, staff roles.

The printer code is Flask-free and reports in codes ("refused: connection refused while sending",
"dummy printer"); the page says what that means and keeps the technical rest as a code for a technician.
"""
from __future__ import annotations

from flask_babel import gettext as _
from markupsafe import Markup, escape

from kezek.admin import bp


def _reasons() -> dict[str, str]:
    return {
        "offline": _("the printer cannot be reached"),
        "timeout": _("the printer does not answer"),
        "refused": _("the printer refuses the connection"),
        "paper_out": _("out of paper"),
        "cover_open": _("the cover is open"),
        "disconnected": _("the printer closed the connection"),
        "bad_url": _("the printer's address is wrong"),
    }


@bp.app_template_global()
def printer_detail(detail: str | None) -> Markup:
    """The printer's own remark in words, the technical part (if any) as code."""
    if not detail or detail == "ready":
        return Markup("")
    if detail == "dummy printer":
        return escape(_("test printer: nothing is printed"))
    if detail.endswith("no status channel"):
        return escape(_("this printer cannot report its state"))
    reason, _sep, rest = detail.partition(": ")
    words = _reasons().get(reason)
    if words is None:
        words, rest = _("the printer reports a problem"), detail
    return escape(words) + (Markup(" <code>%s</code>") % rest if rest else Markup(""))


@bp.app_template_global()
def print_job_state(state: str | None) -> str:
    """A print job's state in words."""
    return {"queued": _("waiting to print"), "sent": _("printed"), "failed": _("failed"),
            "superseded": _("replaced by a reprint")}.get(state or "", state or "")


@bp.app_template_global()
def role_name(role: str) -> str:
    """A staff role in words."""
    from kezek.admin.user_routes import role_names

    return role_names().get(role, role)
