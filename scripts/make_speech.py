"""Record the kiosk's spoken phrases with espeak-ng into static/sounds/speech/ (the speaker button).

Usage: .venv/bin/python scripts/make_speech.py   (needs espeak-ng, and the soundfile package for Ogg Vorbis)
The files are committed; run this again when the kiosk's phrases (kiosk/speech_phrases.py) or the
services' names change. Old recordings nobody reads any more are removed.
"""
from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET = ROOT / "static" / "sounds"
RATE = 22050


def phrases() -> dict[str, set[str]]:
    """Every phrase the kiosk reads, per language: the fixed ones (through the translations) and the
    seed's service and visit kind names."""
    from flask_babel import force_locale

    from kezek import create_app
    from kezek.seed_data import SERVICES
    from kiosk.speech_phrases import PHRASES

    folder = tempfile.mkdtemp()
    app = create_app({"INSTANCE_PATH": folder, "DATABASE_URL": f"sqlite:///{folder}/speech.sqlite3", "SECRET_KEY": "speech"})
    found: dict[str, set[str]] = {"kk": set(), "ru": set()}
    with app.test_request_context():
        for lang in found:
            with force_locale(lang):
                found[lang] |= {str(phrase) for phrase in PHRASES}
            for service in SERVICES:
                found[lang].add(service[f"name_{lang}"])
                found[lang] |= {kind[f"name_{lang}"] for kind in service["visit_kinds"]}
    return found


def record(lang: str, text: str, target: Path, work: Path) -> None:
    """Say `text` with espeak-ng's voice for `lang`, slowly, into a mono Ogg Vorbis file."""
    import soundfile

    raw = work / "phrase.wav"
    subprocess.run(["espeak-ng", "-v", lang, "-s", "135", "-p", "45", "-a", "180", "-w", str(raw), text], check=True)
    data, rate = soundfile.read(raw)
    target.parent.mkdir(parents=True, exist_ok=True)
    soundfile.write(target, data, rate, format="OGG", subtype="VORBIS")


def main() -> None:
    """Write every phrase's recording, remove the ones no phrase needs, print the total size."""
    from kiosk.speech import phrase_name

    wanted = set()
    with tempfile.TemporaryDirectory() as folder:
        for lang, texts in phrases().items():
            for text in sorted(texts):
                name = phrase_name(lang, text)
                wanted.add(name)
                if not (TARGET / name).exists():
                    record(lang, text, TARGET / name, Path(folder))
    for old in (TARGET / "speech").rglob("*.ogg"):
        if str(old.relative_to(TARGET)) not in wanted:
            old.unlink()
    total = sum(path.stat().st_size for path in (TARGET / "speech").rglob("*.ogg"))
    print(f"{len(wanted)} recordings, {total / 1024:.0f} KiB in {TARGET / 'speech'}")


if __name__ == "__main__":
    main()
