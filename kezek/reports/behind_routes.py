"""The centre's sync notes on the reports, and the region-wide report of offices whose figures are incomplete:
thin views over kezek.reports.behind."""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import abort, current_app, render_template
from sqlalchemy import select

from kezek.access import roles_required
from kezek.clock import app_now
from kezek.extensions import db
from kezek.models import ADMIN, REGIONAL_MANAGER, Office
from kezek.reports import bp
from kezek.reports.behind import STALE_MINUTES, SyncNote, incomplete_offices, sync_notes
from kezek.reports.scope import is_regional


bp.add_app_template_global(is_regional, "is_regional")  # the menu shows the region-wide report to regional staff


def stale_minutes() -> int:
    """After how many minutes without a sync an office's figures count as incomplete (SYNC_STALE_MINUTES)."""
    return int(current_app.config.get("SYNC_STALE_MINUTES", STALE_MINUTES))


@bp.app_template_global()
def office_date(office: Office, moment: datetime) -> date:
    """The day a moment falls on at the office."""
    return moment.astimezone(ZoneInfo(office.timezone)).date()


@bp.app_template_global()
def sync_note(office_id: int | None) -> SyncNote | None:
    """The office's sync note when a node serves it (None otherwise, and for the whole region)."""
    if not office_id:
        return None
    return sync_notes(db.session, [office_id], app_now(), stale_minutes()).get(office_id)


@bp.app_template_global()
def sync_notes_of(office_ids: list[int] | None) -> list[SyncNote]:
    """The sync notes of the offices given (None: every office a node serves), in office order."""
    notes = sync_notes(db.session, office_ids, app_now(), stale_minutes())
    return [notes[key] for key in sorted(notes)]


@bp.get("/incomplete")
@roles_required(REGIONAL_MANAGER, ADMIN)
def incomplete_page():
    """Offices with incomplete figures: served by a node that has not synced lately or still had changes waiting."""
    if not is_regional():
        abort(403)
    offices = {office.id: office for office in db.session.scalars(select(Office))}
    rows = incomplete_offices(db.session, None, app_now(), stale_minutes())
    return render_template("reports/incomplete.html", rows=rows, offices=offices, stale=stale_minutes())
