"""The start page listing every office's screens, and the health check."""
from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, current_app, render_template, request, send_from_directory
from flask_babel import format_date as babel_format_date
from flask_babel import get_locale
from markupsafe import Markup
from sqlalchemy import select, text

from kezek.clock import app_now
from kezek.extensions import db
from kezek.models import Office
from kezek.services import services

bp = Blueprint("home", __name__)


@bp.app_template_global()
def current_lang() -> str:
    """The language of the page being rendered."""
    return str(get_locale() or "kk")


@bp.app_template_global()
def lang_url(code: str) -> str:
    """This page (with its query) in language `code`: the language switch's links."""
    args = request.args.to_dict(flat=False)
    args["lang"] = [code]
    return f"{request.path}?{urlencode(args, doseq=True)}"


@bp.app_template_global()
def localized(obj, field: str = "name") -> str:
    """`obj.<field>_<lang>` in the page's language, falling back to Kazakh."""
    lang = current_lang()
    return getattr(obj, f"{field}_{lang}", None) or getattr(obj, f"{field}_kk")


@bp.app_template_global()
def format_date(day, pattern: str = "medium") -> str:
    """A date in the page's language, e.g. 'дүйсенбі, 30 қараша'."""
    return babel_format_date(day, pattern)


@bp.app_template_global()
def qr_svg(data: str) -> Markup:
    """An inline SVG QR code of `data`."""
    import segno

    return Markup(segno.make(data, error="m").svg_inline(scale=8, border=2, title=""))


@bp.app_template_global()
def weekday_name(weekday: int, width: str = "abbreviated") -> str:
    """A weekday's name (0 = Monday) in the page's language."""
    from babel.dates import get_day_names

    return get_day_names(width, locale=current_lang())[weekday]


@bp.app_template_global()
def office_week(office) -> list:
    """The office's weekly hours as runs of weekdays with the same hours."""
    from kezek.queue.hours import week_summary

    return week_summary(office)


@bp.app_template_global()
def closed_weekdays(office) -> list[int]:
    """The weekdays (0 = Monday) on which the office has no hours."""
    return sorted(set(range(7)) - {row.weekday for row in office.hours})


@bp.app_template_global()
def wait_words(low: int, high: int, ahead: int, open_now: bool = True) -> str:
    """The estimated wait in the page's language, worded as on the paper ticket."""
    from printer.labels import wait_text

    return wait_text(current_lang(), low, high, ahead, open_now)


@bp.get("/")
def index():
    """Every office with links to its kiosk and board."""
    offices = db.session.scalars(select(Office).where(Office.enabled).order_by(Office.is_regional, Office.id)).all()
    return render_template("home.html", offices=offices)


@bp.get("/favicon.ico")
def favicon():
    """Browsers ask for /favicon.ico whatever the page says."""
    return send_from_directory(current_app.static_folder, "favicon.ico", max_age=86400)


@bp.get("/healthz")
def health():
    """Liveness and database readiness, for load balancers and monitoring."""
    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}


@bp.get("/readyz")
def ready():
    """Readiness: the database takes a write at the latest migration; Redis (live channel, limits) answers if set."""
    from kezek.health import rate_limit_storage_answers, readiness

    checks = readiness(db.engine, current_app.config.get("MESSAGE_QUEUE"), app_now(),
                       services(current_app).write_lock)
    shared_limits = rate_limit_storage_answers()
    if shared_limits is not None:
        checks["rate_limit_storage"] = shared_limits
    return {"ready": all(checks.values()), "checks": checks}, 200 if all(checks.values()) else 503
