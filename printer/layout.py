"""The ticket layout: TicketPrint data -> one 1-bit image, independent of any printer."""

import threading

from PIL import Image

from printer.canvas import Flow
from printer.fonts import font
from printer.labels import label, minutes, wait_text
from printer.qr import qr_image
from printer.ticket import TicketPrint, pick

# FreeType faces are shared by all threads and are not safe to use from two at once
RENDER_LOCK = threading.Lock()

# Sizes in pixels for an 80 mm (576 dot) ticket; narrower paper scales them down.
_SIZES = {
    "office": 24,
    "office2": 19,
    "caption": 20,
    "number": 160,
    "service": 30,
    "service2": 22,
    "kind": 24,
    "kind2": 19,
    "cabinet": 30,
    "cabinet2": 20,
    "label": 21,
    "label2": 18,
    "value": 26,
    "heading": 22,
    "item": 21,
    "small": 16,
}


def font_sizes(width: int) -> dict[str, int]:
    """Text sizes in pixels for a ticket `width` dots wide."""
    # 58 mm paper loses proportionally less text size than width, so it stays readable
    factor = 1.0 if width >= 576 else max(0.6, (width / 576) ** 0.5)
    return {key: max(12, round(size * factor)) for key, size in _SIZES.items()}


def number_font(number: str, size: int, width: int):
    """The bold font for the big number: `size` pixels, or smaller so it fits `width`."""
    big = font(size, bold=True)
    left, _, right, _ = big.getbbox(number)
    if right - left > width:
        size = max(24, int(size * width / (right - left)))
        big = font(size, bold=True)
        # glyph widths do not scale exactly with size; step down until it really fits
        while size > 24 and big.getbbox(number)[2] - big.getbbox(number)[0] > width:
            size -= 2
            big = font(size, bold=True)
    return big


def render_ticket(ticket: TicketPrint, width_dots: int = 576) -> Image.Image:
    """Draw the whole ticket as a 1-bit image `width_dots` wide (save it as PNG for a preview)."""
    with RENDER_LOCK:
        return _render(ticket, width_dots)


def _render(ticket: TicketPrint, width_dots: int) -> Image.Image:
    first, second = ticket.languages
    size = font_sizes(width_dots)
    flow = Flow(width_dots, margin=max(8, width_dots // 36))
    gap = max(6, size["label"] // 2)

    flow.space(gap)
    flow.text(pick(ticket.office, first), font(size["office"], bold=True), align="center")
    flow.text(pick(ticket.office, second), font(size["office2"]), align="center")
    flow.space(gap)
    flow.rule(3)
    flow.space(gap)
    flow.text(f"{label('your_number', first)} / {label('your_number', second)}", font(size["caption"]), align="center")
    flow.space(gap)
    flow.tight_text(ticket.number, number_font(ticket.number, size["number"], flow.inner))
    flow.space(gap * 2)
    flow.text(pick(ticket.service, first), font(size["service"], bold=True), align="center")
    flow.text(pick(ticket.service, second), font(size["service2"]), align="center")
    flow.space(gap // 2)
    flow.text(pick(ticket.visit_kind, first), font(size["kind"], bold=True), align="center")
    flow.text(pick(ticket.visit_kind, second), font(size["kind2"]), align="center")
    flow.space(gap)
    flow.rule(2, dashed=True)
    flow.space(gap)
    if ticket.cabinet:
        flow.text(label("cabinet", first, cabinet=ticket.cabinet), font(size["cabinet"], bold=True), align="center")
        flow.text(label("cabinet", second, cabinet=ticket.cabinet), font(size["cabinet2"]), align="center")
    else:
        flow.text(label("watch_board", first), font(size["kind"], bold=True), align="center")
        flow.text(label("watch_board", second), font(size["kind2"]), align="center")
    flow.space(gap)
    flow.rule(2, dashed=True)
    flow.space(gap)

    label_fonts = (font(size["label"]), font(size["label2"]))
    value_font = font(size["value"], bold=True)
    low, high = ticket.estimate_min
    rows = (
        ("issued", ticket.issued_local.strftime("%d.%m.%Y %H:%M")),
        ("people_ahead", str(ticket.people_ahead)),
        ("estimate", wait_text(first, low, high, ticket.people_ahead)),
        ("wait_limit", minutes(first, ticket.wait_limit_min)),
    )
    for index, (key, value) in enumerate(rows):
        if index:
            flow.space(gap)
        flow.row((label(key, first), label(key, second)), value, label_fonts, value_font)

    documents = ticket.documents.get(first) or ticket.documents.get(second) or []
    if documents:
        flow.space(gap)
        flow.rule(2, dashed=True)
        flow.space(gap)
        flow.text(f"{label('documents', first)} / {label('documents', second)}:", font(size["heading"], bold=True))
        for item in documents:
            flow.bullet(item, font(size["item"]))

    flow.space(gap)
    flow.rule(3)
    flow.space(gap)
    qr = qr_image(ticket.status_url, width_dots // 3 if width_dots >= 576 else width_dots * 2 // 5)
    flow.beside(
        qr,
        [
            (label("follow_qr", first), font(size["label"], bold=True)),
            (label("follow_qr", second), font(size["label2"])),
        ],
    )
    flow.space(gap // 2)
    url_font = address_font(ticket.status_url, size["small"], flow.inner)
    for line in address_lines(ticket.status_url, url_font, flow.inner):
        flow.text(line, url_font, align="center")
    flow.space(gap)
    return flow.render()


# The address is printed no smaller than this (pixels): still readable on a thermal head.
MIN_ADDRESS_SIZE = 11


def address_font(url: str, size: int, width: int):
    """The address's font: `size` pixels, or smaller (down to MIN_ADDRESS_SIZE) so it fits on one line."""
    face = font(size)
    while size > MIN_ADDRESS_SIZE and face.getlength(url) > width:
        size -= 1
        face = font(size)
    return face


def address_lines(url: str, face, width: int) -> list[str]:
    """The address in lines no wider than `width`: one when it fits, else broken only after a "/",
    so the code a visitor may type is never split."""
    if face.getlength(url) <= width:
        return [url]
    lines, rest = [], url
    while face.getlength(rest) > width:
        cut = rest.rfind("/", 0, len(rest) - 1)
        while cut > 0 and face.getlength(rest[: cut + 1]) > width:
            cut = rest.rfind("/", 0, cut)
        if cut <= 0:
            break  # no slash to break at: the whole rest stays on its line, cut off at the paper's edge
        lines.append(rest[: cut + 1])
        rest = rest[cut + 1 :]
    return lines + [rest]
