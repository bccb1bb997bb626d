"""Directory pages: the searchable list, one page per entry, a print view, the kiosk view, exports."""
from __future__ import annotations

import json
from zoneinfo import ZoneInfo

from flask import Response, abort, current_app, g, render_template, request
from flask_babel import get_locale
from flask_login import current_user
from sqlalchemy import select

from kezek.clock import app_now
from directory import bp, caveats, labels
from directory.districts import DISTRICTS
from directory.export import directory_csv, directory_data
from directory.live import find_live_office, office_slug_for
from directory.live_text import office_live
from directory.russian_addresses import shown_address
from directory.finder import (MAX_QUERY, all_entries, district_label, entry_for_office, find_entry,
                              related, search)
from kezek.access import may_edit_district
from kezek.extensions import db
from kezek.models import ADMIN, DEPARTMENT, Office, Service
from kezek.queue.issuing import find_office
from kezek.services import current_services

KINDS = "any(regional, department, akimat)"


@bp.app_template_global()
def directory_card(office: Office) -> dict | None:
    """An office's own directory entry and where its complaints go, for the kiosk's idle screen."""
    entry = entry_for_office(db.session, office)
    return {"entry": entry, **related(db.session, entry)} if entry else None


@bp.record_once
def _template_globals(state) -> None:
    """The directory's translated words and date helpers, visible in every template and macro."""
    state.app.jinja_env.globals.update(dir_labels=labels, dir_caveats=caveats, dir_address=shown_address,
                                      local_date=local_date,
                                      local_time=local_time, district_label=district_label)


def _found(query: str, district: str = "") -> list:
    """The entries the visitor's words find, best first, through the app's search index."""
    return search(all_entries(db.session), query, district, current_services().directory_search)


@bp.app_context_processor
def directory_context() -> dict:
    """Whether the reader is an administrator (who sees review reasons and invalid numbers) and may edit an entry."""
    return {"is_admin": current_user.is_authenticated and current_user.role == ADMIN, "may_edit": may_edit_district}


@bp.app_template_filter("phone")
def phone_filter(e164: str) -> str:
    """A phone as people write it in Kazakhstan (tel: links and exports keep E.164)."""
    from directory.phones import display_phone

    return display_phone(e164)


@bp.app_template_filter("dir_field")
def field_label(name: str) -> str:
    """A field's name in the page's language."""
    return str(labels.FIELDS.get(name, name))


def _local(moment):
    return moment.astimezone(ZoneInfo(current_app.config["TIMEZONE"]))


def local_date(moment):
    """The office-local date of a UTC moment."""
    return _local(moment).date() if moment else None


def local_time(moment) -> str:
    """The office-local time of a UTC moment, HH:MM."""
    return _local(moment).strftime("%H:%M") if moment else ""


def _services() -> list[Service]:
    return list(db.session.scalars(select(Service).order_by(Service.position)))


def _search_args() -> tuple[str, str]:
    """The visitor's search words and district; hostile or oversized input gets 400."""
    query = request.args.get("q", "").strip()
    district = request.args.get("district", "")
    if len(query) > MAX_QUERY or "\x00" in query:
        abort(400)
    if district and district not in {d.slug for d in DISTRICTS} | {"region"}:
        abort(400)
    return query, district


def _entry_or_404(kind: str, district: str):
    entry = find_entry(db.session, kind, district)
    if entry is None:
        abort(404)
    return entry


@bp.get("/")
def index():
    """Every entry, or those the search words and district find."""
    query, district = _search_args()
    entries = _found(query, district)
    return render_template("directory/index.html", entries=entries, query=query, district=district,
                           districts=DISTRICTS, live=_live(entries))


@bp.get(f"/<{KINDS}:kind>/<district>")
def entry(kind: str, district: str):
    """One entry: live state, contacts, hours, services and documents, complaints, where its data came from."""
    item = _entry_or_404(kind, district)
    return render_template("directory/entry.html", entry=item, services=_services(), live=_live([item]),
                           **related(db.session, item))


def _live(entries: list) -> dict:
    """The live state in sentences of each listed office among `entries`, by office slug."""
    slugs = {office_slug_for(e.kind, e.district) for e in entries} - {None}
    offices = [find_live_office(db.session, slug) for slug in sorted(slugs)]
    return {office.slug: office_live(office, str(get_locale())) for office in offices if office}


@bp.get("/print")
def print_all():
    """The whole directory on paper."""
    entries = all_entries(db.session)
    return render_template("directory/print.html", entries=entries, services=_services(),
                           related={e.id: related(db.session, e) for e in entries if e.kind == DEPARTMENT})


@bp.get("/export.json")
def export_json():
    """The whole directory as JSON."""
    data = directory_data(all_entries(db.session), app_now())
    return Response(json.dumps(data, ensure_ascii=False, indent=1), mimetype="application/json",
                    headers={"Content-Disposition": "inline; filename=directory.json"})


@bp.get("/export.csv")
def export_csv():
    """The whole directory as CSV."""
    return Response(directory_csv(all_entries(db.session)), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=directory.csv"})


@bp.before_request
def kiosk_language_from_url():
    """On a kiosk the language comes from the URL, so the next visitor starts in Kazakh."""
    if (request.endpoint or "").startswith("directory.kiosk"):
        g.language_from_url_only = True


def _kiosk_context(office_slug: str) -> dict:
    office = find_office(db.session, office_slug)
    kiosk_slug = request.args.get("kiosk", "")
    if len(kiosk_slug) > 40:
        abort(400)
    return {"office": office, "kiosk_slug": kiosk_slug}


@bp.get("/kiosk/<office_slug>")
def kiosk_index(office_slug: str):
    """The directory on the kiosk, in large type: this office first, then every district."""
    context = _kiosk_context(office_slug)
    query, _district = _search_args()
    entries = _found(query)
    own = entry_for_office(db.session, context["office"])
    return render_template("directory/kiosk_index.html", entries=entries, query=query, own=own, **context)


@bp.get(f"/kiosk/<office_slug>/<{KINDS}:kind>/<district>")
def kiosk_entry(office_slug: str, kind: str, district: str):
    """One entry on the kiosk, in large type."""
    context = _kiosk_context(office_slug)
    item = _entry_or_404(kind, district)
    return render_template("directory/kiosk_entry.html", entry=item, services=_services(),
                           **related(db.session, item), **context)

