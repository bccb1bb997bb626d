"""Render the board's spoken fragments with espeak-ng and the chime with sox into static/sounds/.

Usage: .venv/bin/python scripts/make_announcements.py   (needs espeak-ng and sox with Ogg Vorbis)
The files are committed; run this again only when the fragment list in display/speech.py changes.
"""
from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from display.speech import CHIME, fragments  # noqa: E402

TARGET = ROOT / "static" / "sounds"
VOICES = {"kk": "kk", "ru": "ru"}
RATE = 22050
# Trim leading and trailing silence so fragments join without gaps; pad a little between words.
TRIM = ["silence", "1", "0.02", "0.5%", "reverse", "silence", "1", "0.02", "0.5%", "reverse", "pad", "0", "0.06"]


def encode(raw: Path, target: Path, *effects: str) -> None:
    """Resample to mono 22 kHz Ogg Vorbis at a low quality setting (speech stays clear, files stay small)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["sox", str(raw), "-r", str(RATE), "-c", "1", "-C", "1", str(target), *effects], check=True)


def speak(lang: str, text: str, target: Path, work: Path) -> None:
    """Say `text` with espeak-ng's voice for `lang`, slowly enough for a hall."""
    raw = work / "speech.wav"
    subprocess.run(["espeak-ng", "-v", VOICES[lang], "-s", "125", "-p", "45", "-a", "180", "-w", str(raw), text],
                   check=True)
    encode(raw, target, "norm", "-3", *TRIM)


def chime(target: Path, work: Path) -> None:
    """A two-tone ding-dong (E6 then C6) with a soft decay."""
    raw = work / "chime.wav"
    subprocess.run(["sox", "-n", "-r", str(RATE), "-c", "1", str(raw),
                    "synth", "0.55", "sine", "1318.5", "sine", "2637", "fade", "l", "0", "0.55", "0.5",
                    "remix", "1", ":", "synth", "0.9", "sine", "1046.5", "sine", "2093", "fade", "l", "0", "0.9", "0.85",
                    "remix", "1", "gain", "-n", "-3"], check=True)
    encode(raw, target, "pad", "0", "0.25")


def main() -> None:
    """Write every fragment and the chime, then print the total size."""
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        chime(TARGET / f"{CHIME}.ogg", work)
        for name, (lang, text) in sorted(fragments().items()):
            speak(lang, text, TARGET / f"{name}.ogg", work)
    total = sum(path.stat().st_size for path in TARGET.rglob("*.ogg"))
    print(f"{len(fragments()) + 1} files, {total / 1024:.0f} KiB in {TARGET}")


if __name__ == "__main__":
    main()
