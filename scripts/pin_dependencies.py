"""Write constraints.txt: the exact version of every package the product, its tests and its tools install.

Usage: python3 scripts/pin_dependencies.py   (then commit constraints.txt)

It installs Kezek with every extra into a fresh virtual environment, without the current pins, and
freezes what the resolver picked; run it to take newer releases, and run the tests on the result.
Installs then take the pinned versions: `pip install -c constraints.txt -e '.[test]'` (README, .ci/run).
The pins are for Linux and CPython 3.11, where they were resolved; on Windows pip adds the few
Windows-only packages (waitress, colorama, ...) unpinned where this file has no line for them.
"""
from __future__ import annotations

import subprocess
import sys
import tempfile
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "constraints.txt"
EXTRAS = "test,regional,bench,dev"


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        venv.create(folder, with_pip=True)
        python = str(Path(folder) / ("Scripts" if sys.platform == "win32" else "bin") / "python")
        subprocess.run([python, "-m", "pip", "install", "-q", f"{ROOT}[{EXTRAS}]"], check=True)
        frozen = subprocess.run([python, "-m", "pip", "freeze", "--all", "--exclude", "kezek"],
                                check=True, capture_output=True, text=True).stdout
    pins = sorted((line for line in frozen.splitlines() if line and not line.startswith(("pip==", "setuptools=="))),
                  key=str.lower)
    header = [
        "# Every package Kezek, its tests and its tools install, at the versions CI runs.",
        f"# Made by `python3 scripts/pin_dependencies.py` (extras: {EXTRAS}) on Python "
        f"{sys.version_info.major}.{sys.version_info.minor}; do not edit by hand.",
    ]
    TARGET.write_text("\n".join([*header, *pins]) + "\n")
    print(f"{len(pins)} pins written to {TARGET.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
