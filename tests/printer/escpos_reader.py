"""A small ESC/POS reader for tests: raster and image commands back to pictures, text back to text."""
from dataclasses import dataclass, field

from PIL import Image

CODEPAGES = {0: "cp437", 17: "cp866", 46: "cp1251", 53: "kz1048", 59: "cp866", 73: "cp1251"}


@dataclass
class Printout:
    """What an ESC/POS job would put on paper."""

    bands: list[Image.Image] = field(default_factory=list)  # raster pieces in order, "1" mode, black = 0
    lines: list[str] = field(default_factory=list)  # text lines in order
    qr_codes: list[str] = field(default_factory=list)  # payloads of native QR codes printed
    commands: list[str] = field(default_factory=list)  # names of every command seen
    cuts: int = 0
    status_queries: list[int] = field(default_factory=list)

    @property
    def image(self) -> Image.Image:
        """All raster pieces stacked top to bottom, left-aligned on a white page."""
        width = max((band.width for band in self.bands), default=1)
        height = sum(band.height for band in self.bands) or 1
        page = Image.new("1", (width, height), 1)
        y = 0
        for band in self.bands:
            page.paste(band, (0, y))
            y += band.height
        return page

    @property
    def text(self) -> str:
        """The printed text, one line per LF."""
        return "\n".join(self.lines)


def _raster_image(width_bytes: int, height: int, data: bytes) -> Image.Image:
    # ESC/POS raster: MSB first, 1 = black; Pillow "1": 1 = white
    inverted = bytes(255 - b for b in data)
    return Image.frombytes("1", (width_bytes * 8, height), inverted)


def _column_image(columns: int, stripe: int, data: bytes) -> Image.Image:
    height = stripe * 8
    image = Image.new("1", (columns, height), 1)
    pixels = image.load()
    for x in range(columns):
        for byte_index in range(stripe):
            byte = data[x * stripe + byte_index]
            for bit in range(8):
                if byte & (0x80 >> bit):
                    pixels[x, byte_index * 8 + bit] = 0
    return image


class _Reader:
    def __init__(self, data: bytes, codepages: dict[int, str]):
        self.data, self.pos, self.codepages = data, 0, codepages
        self.codec = "cp437"
        self.out = Printout()
        self.pending_text = bytearray()
        self.qr_store = b""

    def take(self, count: int) -> bytes:
        """The next `count` bytes of the job."""
        if self.pos + count > len(self.data):
            raise ValueError(f"truncated command at byte {self.pos}")
        chunk = self.data[self.pos:self.pos + count]
        self.pos += count
        return chunk

    def flush_line(self) -> None:
        """End the current text line."""
        self.out.lines.append(self.pending_text.decode(self.codec, errors="replace"))
        self.pending_text.clear()

    def run(self) -> Printout:
        """Read the whole job."""
        while self.pos < len(self.data):
            byte = self.take(1)[0]
            if byte == 0x0A:
                self.flush_line()
            elif byte == 0x0D:
                continue
            elif byte == 0x1B:
                self.esc(self.take(1))
            elif byte == 0x1D:
                self.gs(self.take(1))
            elif byte == 0x10:
                if self.take(1) != b"\x04":
                    raise ValueError(f"unknown DLE command at byte {self.pos}")
                self.out.status_queries.append(self.take(1)[0])
                self.out.commands.append("DLE EOT")
            elif byte >= 0x20:
                self.pending_text.append(byte)
            else:
                raise ValueError(f"unknown control byte {byte:#04x} at {self.pos - 1}")
        if self.pending_text:
            self.flush_line()
        return self.out

    def esc(self, command: bytes) -> None:
        """Handle one ESC command."""
        name = "ESC " + command.decode("latin-1")
        self.out.commands.append(name)
        if command == b"@":
            self.codec = "cp437"
        elif command == b"t":
            number = self.take(1)[0]
            self.codec = self.codepages.get(number, "cp437")
        elif command in (b"a", b"E", b"!", b"-", b"M", b"3", b"J", b"G"):
            self.take(1)
        elif command == b"2":
            pass
        elif command == b"d":
            for _ in range(self.take(1)[0]):
                self.flush_line()
        elif command == b"*":
            mode = self.take(1)[0]
            columns = int.from_bytes(self.take(2), "little")
            stripe = 3 if mode in (32, 33) else 1
            self.out.bands.append(_column_image(columns, stripe, self.take(columns * stripe)))
            if self.pos < len(self.data) and self.data[self.pos] == 0x0A:
                self.pos += 1  # the LF after each stripe only advances the paper
        else:
            raise ValueError(f"unknown ESC command {command!r} at {self.pos}")

    def gs(self, command: bytes) -> None:
        """Handle one GS command."""
        name = "GS " + command.decode("latin-1")
        if command == b"v":
            if self.take(1) != b"0":
                raise ValueError("only GS v 0 is known")
            self.take(1)  # density
            width_bytes = int.from_bytes(self.take(2), "little")
            height = int.from_bytes(self.take(2), "little")
            self.out.bands.append(_raster_image(width_bytes, height, self.take(width_bytes * height)))
            name = "GS v 0"
        elif command == b"(":
            kind = self.take(1)
            body = self.take(int.from_bytes(self.take(2), "little"))
            name = "GS ( " + kind.decode("latin-1")
            if kind == b"L" and body[1:2] == b"p":
                width = int.from_bytes(body[6:8], "little")
                height = int.from_bytes(body[8:10], "little")
                self.out.bands.append(_raster_image((width + 7) // 8, height, body[10:]))
            elif kind == b"k" and body[:2] == b"1P":
                self.qr_store = body[3:]
            elif kind == b"k" and body[:2] == b"1Q":
                self.out.qr_codes.append(self.qr_store.decode("utf-8"))
        elif command == b"V":
            mode = self.take(1)[0]
            if mode in (65, 66):
                self.take(1)
            self.out.cuts += 1
        elif command in (b"!", b"B", b"b", b"H", b"f", b"h", b"w"):
            self.take(1)
        elif command in (b"L", b"W"):
            self.take(2)
        else:
            raise ValueError(f"unknown GS command {command!r} at {self.pos}")
        self.out.commands.append(name)


def read_escpos(data: bytes, codepages: dict[int, str] | None = None) -> Printout:
    """Decode an ESC/POS job; raises ValueError on bytes it does not understand."""
    return _Reader(bytes(data), codepages or CODEPAGES).run()
