"""The TrueType fonts tickets are drawn with (DejaVu Sans, shipped in static/fonts/, installed as kezek.static)."""

from functools import lru_cache

from PIL import ImageFont

from kezek.resources import fonts_folder

FONT_DIR = fonts_folder()
REGULAR = FONT_DIR / "DejaVuSans.ttf"
BOLD = FONT_DIR / "DejaVuSans-Bold.ttf"


@lru_cache(maxsize=64)
def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    """DejaVu Sans at `size` pixels; loaded once per size, since loading costs about a millisecond."""
    return ImageFont.truetype(str(BOLD if bold else REGULAR), size)
