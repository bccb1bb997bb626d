"""Test helpers: draw a line of text straight with Pillow and find it inside a ticket image."""
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONTS = Path(__file__).resolve().parents[2] / "static" / "fonts"


def draw_line(text: str, size: int, bold: bool = False) -> Image.Image:
    """`text` drawn directly with Pillow and DejaVu Sans, thresholded at 128, cropped to its ink."""
    font = ImageFont.truetype(str(FONTS / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")), size)
    canvas = Image.new("L", (int(font.getlength(text)) + 40, size * 2), 255)
    ImageDraw.Draw(canvas).text((20, 10), text, font=font, fill=0)
    one_bit = canvas.point(lambda v: 255 if v >= 128 else 0).convert("1", dither=Image.Dither.NONE)
    box = one_bit.point(lambda v: 255 - v).getbbox()
    return one_bit.crop(box)


def _rows(image: Image.Image) -> list[str]:
    image = image.convert("1")
    width = image.width
    stride = (width + 7) // 8
    data = image.tobytes()
    return ["".join(format(b, "08b") for b in data[y * stride:(y + 1) * stride])[:width] for y in range(image.height)]


def find(needle: Image.Image, haystack: Image.Image) -> tuple[int, int] | None:
    """The (x, y) where `needle` appears pixel for pixel in `haystack`, or None."""
    small, big = _rows(needle), _rows(haystack)
    for y in range(len(big) - len(small) + 1):
        x = big[y].find(small[0])
        while x >= 0:
            if all(big[y + k][x:x + len(row)] == row for k, row in enumerate(small)):
                return x, y
            x = big[y].find(small[0], x + 1)
    return None
