"""A text-only ticket (a few hundred bytes) for slow serial lines; Kazakh letters lose their marks."""

import textwrap

from printer.escpos_bytes import raster
from printer.labels import label, minutes, wait_text
from printer.profiles import Profile
from printer.qr import qr_image
from printer.ticket import TicketPrint, pick

ESC, GS, LF = b"\x1b", b"\x1d", b"\n"
CENTER, LEFT = ESC + b"a\x01", ESC + b"a\x00"
BOLD_ON, BOLD_OFF = ESC + b"E\x01", ESC + b"E\x00"
FONT_A_DOTS = 12
FONT_B_DOTS = 9

# No code page python-escpos knows has these letters; the nearest Russian letter keeps words readable.
_FOLD = str.maketrans(
    {
        "ә": "а",
        "Ә": "А",
        "ғ": "г",
        "Ғ": "Г",
        "қ": "к",
        "Қ": "К",
        "ң": "н",
        "Ң": "Н",
        "ө": "о",
        "Ө": "О",
        "ұ": "у",
        "Ұ": "У",
        "ү": "у",
        "Ү": "У",
        "һ": "х",
        "Һ": "Х",
        "і": "i",
        "І": "I",
        "–": "-",
        "—": "-",
        "•": "-",
        "«": '"',
        "»": '"',
    }
)


def native_qr(data: str, module: int) -> bytes:
    """GS ( k commands printing `data` as a model 2 QR code (only on printers that support it)."""
    payload = data.encode("utf-8")

    def fn(body: bytes) -> bytes:
        """One GS ( k function with its length prefix."""
        return GS + b"(k" + len(body).to_bytes(2, "little") + body

    return fn(b"1A2\x00") + fn(b"1C" + bytes([module])) + fn(b"1E1") + fn(b"1P0" + payload) + fn(b"1Q0")


def ticket_text_bytes(ticket: TicketPrint, profile: Profile, width: int) -> bytes:
    """Native-text ESC/POS for the ticket body (no init, no cut)."""
    number, codec = profile.codepage("CP866", "CP1251") or (0, "cp437")
    columns = width // FONT_A_DOTS
    first, second = ticket.languages

    def line(text: str, bold: bool = False) -> bytes:
        """Wrapped, folded and encoded text lines."""
        wrapped = textwrap.wrap(text.translate(_FOLD), columns) or [""]
        body = b"".join(part.encode(codec, errors="replace") + LF for part in wrapped)
        return BOLD_ON + body + BOLD_OFF if bold else body

    def row(key: str, value: str) -> bytes:
        """A label with its value at the right edge, then the label in the second language."""
        value = value.translate(_FOLD)
        name = textwrap.shorten(label(key, first).translate(_FOLD), columns - len(value) - 1, placeholder=".")
        text = name + " " * (columns - len(name) - len(value)) + value
        return text.encode(codec, errors="replace") + LF + line(label(key, second))

    magnify = max(1, min(8, columns // max(1, len(ticket.number))))
    rule = b"-" * columns + LF
    out = bytearray(ESC + b"t" + bytes([number]) + CENTER)
    out += line(pick(ticket.office, first), bold=True) + line(pick(ticket.office, second)) + rule
    out += line(f"{label('your_number', first)} / {label('your_number', second)}")
    out += GS + b"!" + bytes([(magnify - 1) << 4 | (magnify - 1)]) + ticket.number.encode("ascii", "replace")
    out += LF + GS + b"!\x00"
    out += line(pick(ticket.service, first), bold=True) + line(pick(ticket.service, second))
    out += line(pick(ticket.visit_kind, first), bold=True) + line(pick(ticket.visit_kind, second)) + rule
    if ticket.cabinet:
        out += line(label("cabinet", first, cabinet=ticket.cabinet), bold=True)
        out += line(label("cabinet", second, cabinet=ticket.cabinet))
    else:
        out += line(label("watch_board", first), bold=True) + line(label("watch_board", second))
    out += rule + LEFT
    low, high = ticket.estimate_min
    out += row("issued", ticket.issued_local.strftime("%d.%m.%Y %H:%M"))
    out += row("people_ahead", str(ticket.people_ahead))
    out += row("estimate", wait_text(first, low, high, ticket.people_ahead))
    out += row("wait_limit", minutes(first, ticket.wait_limit_min))
    documents = ticket.documents.get(first) or ticket.documents.get(second) or []
    if documents:
        out += rule + line(f"{label('documents', first)} / {label('documents', second)}:", bold=True)
        out += b"".join(line(f"- {item}") for item in documents)
    out += rule + CENTER + line(label("follow_qr", first), bold=True) + line(label("follow_qr", second))
    if profile.native_qr:
        out += native_qr(ticket.status_url, 6 if width >= 500 else 5)
    else:
        out += raster(qr_image(ticket.status_url, width * 9 // 20))
    out += address_bytes(ticket.status_url, width) + LEFT
    return bytes(out)


def address_bytes(url: str, width: int) -> bytes:
    """The phone address as text: one line in font A, else in the smaller font B, else broken only
    after a "/" so the code a visitor may type stays whole."""
    data = url.encode("ascii", "replace")
    for dots, font_b in ((FONT_A_DOTS, b"\x00"), (FONT_B_DOTS, b"\x01")):
        if len(data) <= width // dots:
            return ESC + b"M" + font_b + data + LF + ESC + b"M\x00"
    columns, lines, rest = width // FONT_B_DOTS, [], data
    while len(rest) > columns:
        cut = rest.rfind(b"/", 0, columns)
        if cut <= 0:
            break
        lines.append(rest[: cut + 1])
        rest = rest[cut + 1 :]
    return ESC + b"M\x01" + b"".join(part + LF for part in [*lines, rest]) + ESC + b"M\x00"
