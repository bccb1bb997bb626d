"""The manager's live floor: a thin view over kezek.reports.floor; the page keeps itself up to date over /floor."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import abort, redirect, render_template, url_for
from flask_login import current_user

from kezek.access import require_office, roles_required
from kezek.alerts.engine import open_alerts
from kezek.clock import app_now
from kezek.extensions import db
from kezek.models import Office
from kezek.reports import bp
from kezek.reports.floor import office_floor
from kezek.reports.scope import MANAGERS, is_regional, offices_in_reach


@bp.app_template_global()
def office_time(office: Office, moment: datetime) -> str:
    """A moment as the office's wall clock shows it, e.g. 10:42."""
    return moment.astimezone(ZoneInfo(office.timezone)).strftime("%H:%M")


def office_or_404(office_id: int) -> Office:
    """A district office the signed-in manager may see (404 unknown, 403 another office)."""
    office = db.session.get(Office, office_id)
    if office is None or office.is_regional:
        abort(404)
    require_office(office.id)
    return office


@bp.get("/live")
@roles_required(*MANAGERS)
def live_floor():
    """Regional staff: every office as a tile; an office's manager: straight to their office's floor."""
    if not is_regional():
        return redirect(url_for("reports.live_office", office_id=current_user.office_id))
    moment = app_now()
    tiles = [(office, office_floor(db.session, office, moment), *unacknowledged(office.id))
             for office in offices_in_reach() if office.enabled]
    return render_template("reports/live_grid.html", tiles=tiles)


def unacknowledged(office_id: int) -> tuple[int, int]:
    """How many of the office's alerts no manager has acknowledged yet (its tile turns red while any is), and when
    the latest of them was raised or repeated (Unix seconds; 0: none): the grid sounds when that moves on."""
    alerts = [alert for alert in open_alerts(db.session, office_id) if alert.acknowledged_at is None]
    return len(alerts), max((int(alert.shown_at.timestamp()) for alert in alerts), default=0)


@bp.get("/live/<int:office_id>")
@roles_required(*MANAGERS)
def live_office(office_id: int):
    """One office's live floor."""
    office = office_or_404(office_id)
    return render_template("reports/live.html", office=office, floor=office_floor(db.session, office, app_now()),
                           regional=is_regional())


@bp.get("/live/<int:office_id>/part")
@roles_required(*MANAGERS)
def live_part(office_id: int):
    """The office's floor alone, for the page to swap in when the socket says the office changed."""
    office = office_or_404(office_id)
    return render_template("reports/_floor.html", office=office, floor=office_floor(db.session, office, app_now()))


@bp.get("/live/<int:office_id>/tile")
@roles_required(*MANAGERS)
def live_tile(office_id: int):
    """The office's tile of the regional grid alone, for the grid to swap in."""
    office = office_or_404(office_id)
    alerts, alert_shown = unacknowledged(office.id)
    return render_template("reports/_floor_tile.html", office=office, floor=office_floor(db.session, office, app_now()),
                           alerts=alerts, alert_shown=alert_shown)
