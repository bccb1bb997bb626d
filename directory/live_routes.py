"""The read-only live feed of the directory: each office's state now as JSON, the region's, and its OpenAPI document.

Other public sites may show it (any origin may read it); it carries counts and minutes only, never a
ticket, a number or anything about a visitor. Directory pages fetch it to stay live without a reload.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources

from flask import Response, current_app, g, jsonify, request

from kezek.clock import app_now
from directory import bp
from directory.live import find_live_office, listed_offices
from directory.live_text import office_live
from kezek.extensions import db

LANGUAGES = ("kk", "ru", "en")
_SLUG = re.compile(r"^[a-z0-9_-]{1,40}$")
OPENAPI = "live-feed.openapi.json"


@lru_cache(maxsize=1)
def openapi_document() -> dict:
    """The feed's OpenAPI document, shipped inside the directory package."""
    return json.loads(resources.files("directory").joinpath("data", OPENAPI).read_text("utf-8"))


@bp.before_request
def feed_language_from_url():
    """The feed's language comes from `?lang=` alone: reading it sets no cookie."""
    if (request.endpoint or "").startswith("directory.live"):
        g.language_from_url_only = True


def _feed(data: dict, status: int = 200) -> Response:
    answer = jsonify(data)
    answer.status_code = status
    answer.headers["Access-Control-Allow-Origin"] = "*"
    answer.headers["Cache-Control"] = "no-cache"
    return answer


def _language() -> str | None:
    lang = request.args.get("lang", "kk")
    return lang if lang in LANGUAGES else None


def _bad_language() -> Response:
    return _feed({"error": "bad_request", "message": "lang must be one of kk, ru, en"}, 400)


@bp.get("/live.json")
def live_region():
    """Every office of the directory, live: status, waits per service, quietest hours."""
    lang = _language()
    if lang is None:
        return _bad_language()
    offices = [office_live(office, lang) for office in listed_offices(db.session)]
    return _feed({"generated_at": app_now().isoformat(), "offices": offices})


@bp.get("/live/<office_slug>.json")
def live_office(office_slug: str):
    """One office of the directory, live."""
    lang = _language()
    if lang is None:
        return _bad_language()
    office = find_live_office(db.session, office_slug) if _SLUG.match(office_slug) else None
    if office is None:
        return _feed({"error": "not_found", "message": "no such office in the directory"}, 404)
    return _feed(office_live(office, lang))


@bp.get("/openapi.json")
def live_openapi():
    """The OpenAPI document describing the live feed."""
    return _feed(openapi_document())
