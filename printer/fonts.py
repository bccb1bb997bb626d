"""The TrueType fonts tickets are drawn with (DejaVu Sans, shipped in static/fonts/)."""
from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

FONT_DIR = Path(__file__).resolve().parent.parent / "static" / "fonts"
REGULAR = FONT_DIR / "DejaVuSans.ttf"
BOLD = FONT_DIR / "DejaVuSans-Bold.ttf"


@lru_cache(maxsize=64)
def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    """DejaVu Sans at `size` pixels; loaded once per size, since loading costs about a millisecond."""
    return ImageFont.truetype(str(BOLD if bold else REGULAR), size)
