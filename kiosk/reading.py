"""What the kiosk's speaker button reads on each screen, in Kazakh or Russian, as recording URLs."""
from __future__ import annotations

from pathlib import Path

from flask import current_app, url_for
from flask_babel import force_locale

from kezek.home import current_lang
from kiosk import speech_phrases as say
from kiosk.speech import Label, reading_language, recordings


def _urls(lang: str, parts: list) -> list[str]:
    sounds = Path(current_app.static_folder) / "sounds"
    return [url_for("static", filename=f"sounds/{path}") for path in recordings(lang, parts, sounds)]


def _closed(opening, lang: str) -> list:
    return [] if opening.is_open else [str(say.CLOSED.get(opening.reason, say.CLOSED["after_closing"]))]


def start_reading(services, opening) -> list[str]:
    """The start screen: closed or not, the question, each service, the directory."""
    lang = reading_language(current_lang())
    with force_locale(lang):
        parts = [*_closed(opening, lang), str(say.WHAT_FOR), *[s.name(lang) for s in services], str(say.DIRECTORY)]
    return _urls(lang, parts)


def service_reading(service, choices, opening) -> list[str]:
    """A service screen: the service, closed or not, each visit kind with the people ahead."""
    lang = reading_language(current_lang())
    with force_locale(lang):
        parts = [service.name(lang), *_closed(opening, lang)]
        for choice in choices:
            parts += [choice.visit_kind.name(lang), str(say.PEOPLE_AHEAD), choice.estimate.people_ahead]
    return _urls(lang, parts)


def ticket_reading(ticket) -> list[str]:
    """The ticket screen: the number, then where to take the ticket and what to watch."""
    lang = reading_language(current_lang())
    with force_locale(lang):
        parts = [str(say.YOUR_NUMBER), Label(ticket.label), str(say.WATCH_BOARD)]
    return _urls(lang, parts)
