"""Extract messages, merge them into the Kazakh and Russian catalogues and compile them.

Usage: .venv/bin/python scripts/i18n.py   (then translate the new empty entries in the .po files)
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CATALOGS = ROOT / "kezek" / "translations"
SOURCES = ["kezek", "kiosk", "display", "directory", "printer"]


def run(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", *args], check=True, cwd=ROOT)


def main() -> None:
    pot = ROOT / "build" / "messages.pot"
    pot.parent.mkdir(exist_ok=True)
    sources = [s for s in SOURCES if (ROOT / s).is_dir()]
    run("extract", "-F", "babel.cfg", "-k", "_l", "--no-location", "--sort-output", "-o", str(pot), *sources)
    for lang in ("kk", "ru"):
        po = CATALOGS / lang / "LC_MESSAGES" / "messages.po"
        if po.exists():
            run("update", "-i", str(pot), "-d", str(CATALOGS), "-l", lang, "--no-fuzzy-matching", "--ignore-obsolete")
        else:
            run("init", "-i", str(pot), "-d", str(CATALOGS), "-l", lang)
    run("compile", "-d", str(CATALOGS), "--statistics")


if __name__ == "__main__":
    main()
