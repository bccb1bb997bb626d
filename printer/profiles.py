"""Printer models from python-escpos's capability database: paper width and what they can do."""

import os
import tempfile
from dataclasses import dataclass
from functools import lru_cache

DEFAULT_WIDTH = 576


def _cache_dir() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    for folder in (
        os.path.join(base, "kezek", "escpos"),
        os.path.join(tempfile.gettempdir(), f"kezek-escpos-{os.getuid()}"),
    ):
        try:
            os.makedirs(folder, exist_ok=True)
            if os.access(folder, os.W_OK):
                return folder
        except OSError:
            continue
    return tempfile.gettempdir()


def import_escpos(module: str = "escpos.printer"):
    """Import a python-escpos module with its capability pickle kept in one stable folder, not a new temp dir."""
    import importlib

    if "ESCPOS_CAPABILITIES_PICKLE_DIR" not in os.environ:
        os.environ["ESCPOS_CAPABILITIES_PICKLE_DIR"] = _cache_dir()
    return importlib.import_module(module)


@dataclass(frozen=True)
class Profile:
    """What the ticket builder needs to know about a printer model."""

    name: str
    width_dots: int
    cut: bool
    native_qr: bool
    codepages: tuple[tuple[int, str], ...]

    def codepage(self, *names: str) -> tuple[int, str] | None:
        """The first of `names` the printer has, as (ESC t number, Python codec), or None."""
        for wanted in names:
            for number, name in self.codepages:
                if name.upper() == wanted.upper():
                    return number, name.lower()
        return None


@lru_cache(maxsize=32)
def get_profile(name: str = "TM-T20II") -> Profile:
    """Look up a python-escpos profile by name (ValueError when unknown)."""
    capabilities = import_escpos("escpos.capabilities")
    try:
        data = capabilities.get_profile(name).profile_data
    except KeyError as error:
        raise ValueError(f"unknown printer profile {name!r}") from error
    pixels = data.get("media", {}).get("width", {}).get("pixels")
    features = data.get("features", {})
    return Profile(
        name=name,
        width_dots=int(pixels) if str(pixels).isdigit() else DEFAULT_WIDTH,
        cut=bool(features.get("paperPartCut") or features.get("paperFullCut")),
        native_qr=bool(features.get("qrCode")),
        codepages=tuple((int(k), v) for k, v in data.get("codePages", {}).items() if str(k).isdigit()),
    )
