"""The files the installed package carries (static assets, fonts, migrations), found through importlib.resources."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def _folder(package: str, *parts: str) -> Path:
    """The folder of `package` (or below it) on disk; Flask and Alembic need real paths, and a wheel
    is always installed unpacked, so the package's files are on disk."""
    found = resources.files(package).joinpath(*parts)
    if not isinstance(found, Path):
        raise RuntimeError(f"{package} is not installed as files on disk ({found!r})")
    return found


def static_folder() -> Path:
    """The assets every page loads: the top-level static/ folder, installed as kezek.static."""
    return _folder("kezek.static")


def fonts_folder() -> Path:
    """The TrueType fonts the pages and printed tickets use."""
    return _folder("kezek.static", "fonts")


def migrations_folder() -> Path:
    """Alembic's script location: env.py, script.py.mako and versions/."""
    return _folder("kezek", "migrations")
