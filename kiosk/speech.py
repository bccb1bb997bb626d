"""Reading a kiosk screen aloud from recordings served by the app: which file says which phrase.

A phrase's recording is named by a hash of its words (`static/sounds/speech/<lang>/<hash>.ogg`), so a
service renamed by an administrator simply has no recording until scripts/make_speech.py is run again;
numbers are read with the board's fragments (display/speech.py). Flask-free.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from display.speech import number_parts, spell

LANGUAGES = ("kk", "ru")
FOLDER = "speech"


def reading_language(page_lang: str) -> str:
    """The language the speaker reads in: the page's when it is Kazakh or Russian, else Russian."""
    return page_lang if page_lang in LANGUAGES else "ru"


def phrase_name(lang: str, text: str) -> str:
    """The recording's path under static/sounds for `text` in `lang`."""
    digest = hashlib.sha1(" ".join(text.split()).encode("utf-8")).hexdigest()[:12]
    return f"{FOLDER}/{lang}/{digest}.ogg"


class Label(str):
    """A ticket number to read with the board's fragments, such as "A-015"."""


def recordings(lang: str, parts: list, sounds: Path) -> list[str]:
    """Paths (under static/sounds) saying `parts` in order: phrases that have a recording, numbers
    (0-999) and ticket numbers (Label) with the board's fragments; a phrase without a recording is skipped."""
    found = []
    for part in parts:
        if isinstance(part, Label):
            found += [f"{name}.ogg" for name in spell(part, lang)]
        elif isinstance(part, int):
            found += [f"{name}.ogg" for name in number_parts(part, lang)] if 0 <= part < 1000 else []
        elif part and (sounds / phrase_name(lang, part)).exists():
            found.append(phrase_name(lang, part))
    return found
