"""A top-to-bottom drawing flow that turns text blocks into one 1-bit image of a given width."""

from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

# Pixels at or above this grey level become white; Pillow's anti-aliased glyph edges are cut here
# instead of being dithered into speckles by a later conversion.
THRESHOLD = 128
_INK = [255 if v > 255 - THRESHOLD else 0 for v in range(256)]


@lru_cache(maxsize=2048)
def line_ink(text: str, font: ImageFont.FreeTypeFont) -> tuple[Image.Image, int, int]:
    """One line drawn anti-aliased and thresholded to a 1-bit ink mask, with how far left of and above
    the pen position it starts.

    Cached: office, service, labels and documents repeat on every ticket.
    """
    left, top, right, bottom = font.getbbox(text)
    shift_x, shift_y = -min(0, left), -min(0, top)
    size = (max(1, right + shift_x), max(1, bottom + shift_y, sum(font.getmetrics())))
    canvas = Image.new("L", size, 0)
    ImageDraw.Draw(canvas).text((shift_x, shift_y), text, font=font, fill=255)
    # ink where the glyph covers more than half the pixel, as if drawn black on white and cut at
    # THRESHOLD; letting a library convert grey to 1 bit would dither the letter edges instead
    return canvas.point(_INK).convert("1", dither=Image.Dither.NONE), shift_x, shift_y


@lru_cache(maxsize=1024)
def wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> tuple[str, ...]:
    """Split `text` into lines no wider than `width` pixels, breaking at spaces (or inside a long word)."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}" if line else word
            if font.getlength(candidate) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            line = word
            while font.getlength(line) > width and len(line) > 1:
                cut = len(line) - 1
                while cut > 1 and font.getlength(line[:cut]) > width:
                    cut -= 1
                lines.append(line[:cut])
                line = line[cut:]
        lines.append(line)
    return tuple(lines)


class Flow:
    """Collects drawing steps with their heights, then paints them onto one canvas."""

    def __init__(self, width: int, margin: int):
        self.width = width
        self.margin = margin
        self.inner = width - 2 * margin
        self.height = 0
        self._steps: list[tuple[int, str, tuple]] = []

    def space(self, height: int) -> None:
        """Leave `height` blank pixels."""
        self.height += height

    def text(
        self, text: str, font: ImageFont.FreeTypeFont, align: str = "left", indent: int = 0, line_gap: int = 0
    ) -> None:
        """Add wrapped text; `align` is "left", "center" or "right"."""
        ascent, descent = font.getmetrics()
        for line in wrap(text, font, self.inner - indent):
            width = font.getlength(line)
            x = self.margin + indent
            if align == "center":
                x = self.margin + (self.inner - width) / 2
            elif align == "right":
                x = self.width - self.margin - width
            self._steps.append((self.height, "text", (x, line, font)))
            self.height += ascent + descent + line_gap

    def bullet(self, text: str, font: ImageFont.FreeTypeFont) -> None:
        """A list item: "• " and the text, its continuation lines lined up under the text."""
        indent = round(font.getlength("• "))
        ascent, descent = font.getmetrics()
        self._steps.append((self.height, "text", (self.margin, "•", font)))
        for line in wrap(text, font, self.inner - indent):
            self._steps.append((self.height, "text", (self.margin + indent, line, font)))
            self.height += ascent + descent

    def tight_text(self, text: str, font: ImageFont.FreeTypeFont) -> None:
        """Add one centred line cropped to its ink, for the big number."""
        left, top, right, bottom = font.getbbox(text)
        x = self.margin + (self.inner - (right - left)) / 2 - left
        self._steps.append((self.height - top, "text", (x, text, font)))
        self.height += bottom - top

    def row(self, labels: tuple[str, str], value: str, label_fonts: tuple, value_font) -> None:
        """A two-language label on the left with a bold value on the right, top-aligned."""
        value_width = int(value_font.getlength(value))
        label_width = max(self.inner // 3, self.inner - value_width - self.margin)
        top = self.height
        self._steps.append((top, "text", (self.width - self.margin - value_width, value, value_font)))
        for text, font in zip(labels, label_fonts):
            ascent, descent = font.getmetrics()
            for line in wrap(text, font, label_width):
                self._steps.append((self.height, "text", (self.margin, line, font)))
                self.height += ascent + descent
        value_ascent, value_descent = value_font.getmetrics()
        self.height = max(self.height, top + value_ascent + value_descent)

    def rule(self, thickness: int = 2, dashed: bool = False) -> None:
        """A horizontal line across the inner width."""
        self._steps.append((self.height, "rule", (thickness, dashed)))
        self.height += thickness

    def image(self, image: Image.Image) -> None:
        """A centred picture (such as the QR code)."""
        self._steps.append((self.height, "image", (image, None)))
        self.height += image.height

    def beside(self, image: Image.Image, lines: list[tuple[str, ImageFont.FreeTypeFont]], gap: int = 12) -> None:
        """A picture at the left margin with wrapped text lines to its right, centred on each other."""
        column = self.inner - image.width - gap
        wrapped = [(part, font) for text, font in lines for part in wrap(text, font, column)]
        text_height = sum(sum(font.getmetrics()) for _, font in wrapped)
        top = self.height
        self._steps.append((top + max(0, (text_height - image.height) // 2), "image", (image, self.margin)))
        y = top + max(0, (image.height - text_height) // 2)
        for part, font in wrapped:
            self._steps.append((y, "text", (self.margin + image.width + gap, part, font)))
            y += sum(font.getmetrics())
        self.height = top + max(image.height, text_height)

    def render(self) -> Image.Image:
        """Paint every step onto a white 1-bit page and return it."""
        canvas = Image.new("1", (self.width, self.height), 1)
        draw = ImageDraw.Draw(canvas)
        for y, kind, args in self._steps:
            if kind == "text":
                x, line, font = args
                ink, shift_x, shift_y = line_ink(line, font)
                canvas.paste(0, (round(x) - shift_x, y - shift_y), mask=ink)
            elif kind == "rule":
                thickness, dashed = args
                step = 12 if dashed else self.inner
                for x in range(self.margin, self.width - self.margin, step):
                    end = min(x + (step // 2 if dashed else step), self.width - self.margin) - 1
                    draw.rectangle((x, y, end, y + thickness - 1), fill=0)
            elif kind == "image":
                picture, x = args
                canvas.paste(picture.convert("1"), ((self.width - picture.width) // 2 if x is None else x, y))
        return canvas
