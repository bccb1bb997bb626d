"""QR codes as 1-bit Pillow images, drawn by segno (works on every printer, unlike native GS ( k)."""

from functools import lru_cache

from PIL import Image


@lru_cache(maxsize=256)
def qr_image(data: str, max_width: int) -> Image.Image:
    """A 1-bit QR image of `data` with a 4-module quiet zone, as large as fits `max_width` (cached)."""
    import segno

    code = segno.make_qr(data, error="m")
    modules = code.symbol_size(scale=1, border=4)[0]
    scale = max(1, min(8, max_width // modules))
    # one pixel per module, then a nearest-neighbour resize: ten times faster than scaling in segno
    pixels = bytes(0 if dark else 255 for row in code.matrix_iter(scale=1, border=4) for dark in row)
    small = Image.frombytes("L", (modules, modules), pixels)
    return small.resize((modules * scale, modules * scale), Image.NEAREST).convert("1", dither=Image.Dither.NONE)
