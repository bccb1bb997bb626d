"""ESC/POS command bytes: initialise, a 1-bit image as GS v 0 raster bands, feed and cut, the paper width."""

from PIL import Image

from printer.profiles import Profile, get_profile

ESC, GS = b"\x1b", b"\x1d"
INIT = ESC + b"@"
BAND_ROWS = 256  # small bands keep cheap printers with little buffer from dropping lines
_INVERT = bytes(255 - value for value in range(256))


def raster(image: Image.Image) -> bytes:
    """GS v 0 commands printing a 1-bit image (black = ink), in bands of BAND_ROWS rows."""
    if image.mode != "1":
        raise ValueError("raster() takes a 1-bit image; threshold it first")
    if image.width % 8:
        padded = Image.new("1", (image.width + 8 - image.width % 8, image.height), 1)
        padded.paste(image, (0, 0))
        image = padded
    width_bytes = image.width // 8
    # Pillow packs "1" images MSB first with 1 = white; ESC/POS wants 1 = black
    data = image.tobytes().translate(_INVERT)
    out = bytearray()
    for top in range(0, image.height, BAND_ROWS):
        rows = min(BAND_ROWS, image.height - top)
        out += GS + b"v0\x00" + width_bytes.to_bytes(2, "little") + rows.to_bytes(2, "little")
        out += data[top * width_bytes : (top + rows) * width_bytes]
    return bytes(out)


def finish(profile: Profile) -> bytes:
    """Feed the ticket past the cutter and cut it (only feed on printers without a cutter)."""
    feed = ESC + b"d\x04"
    return feed + (GS + b"V\x01" if profile.cut else b"")


def resolve(profile: str, width_dots: int | None) -> tuple[Profile, int]:
    """The profile object and the printable width in dots (the profile's unless given)."""
    found = get_profile(profile)
    width = width_dots or found.width_dots
    if width < 128 or width > 2048:
        raise ValueError(f"implausible paper width {width} dots")
    return found, width
