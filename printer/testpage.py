"""A test page for installers: every Kazakh and Russian letter, the number sizes and a QR code.

Run: python -m printer.testpage URL [--profile P] [--width W]
"""

import argparse
import sys

from printer.canvas import Flow
from printer.escpos_bytes import INIT, finish, raster, resolve
from printer.fonts import font
from printer.layout import RENDER_LOCK, font_sizes, number_font
from printer.qr import qr_image

KAZAKH = "Әә Ғғ Ққ Ңң Өө Ұұ Үү Һһ Іі"
RUSSIAN_UPPER = "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ"
RUSSIAN_LOWER = RUSSIAN_UPPER.lower()
PANGRAM_KK = "Қазақ тілі: әріп, ғылым, қала, аңыз, өлең, ұлт, үй, гауһар, іні"
TEST_QR = "KEZEK TEST QR 0123456789"


def render_test_page(width_dots: int, profile_name: str = ""):
    """The test page as a 1-bit image `width_dots` wide."""
    with RENDER_LOCK:
        return _render(width_dots, profile_name)


def _render(width_dots: int, profile_name: str):
    flow = Flow(width_dots, margin=max(8, width_dots // 36))
    small, body = font(18), font(24 if width_dots >= 500 else 20)
    flow.space(10)
    flow.text("Kezek — тест / тексеру", font(28, bold=True), align="center")
    flow.text(f"{profile_name} · {width_dots} dots", small, align="center")
    flow.space(8)
    flow.rule(3)
    flow.space(8)
    flow.text("Қазақ әріптері / Казахские буквы:", font(20, bold=True))
    flow.text(KAZAKH, font(30 if width_dots >= 500 else 22, bold=True))
    flow.text(PANGRAM_KK, body)
    flow.space(8)
    flow.text("Орыс әріптері / Русские буквы:", font(20, bold=True))
    flow.text(RUSSIAN_UPPER, body)
    flow.text(RUSSIAN_LOWER, body)
    flow.space(8)
    flow.rule(2, dashed=True)
    biggest = font_sizes(width_dots)["number"]
    for size in (biggest, biggest * 3 // 4, biggest // 2, biggest * 3 // 10):
        face = number_font("A-015", size, flow.inner)
        flow.space(8)
        flow.text(f"{face.size} px", small)
        flow.tight_text("A-015", face)
    flow.space(12)
    flow.rule(2, dashed=True)
    flow.space(8)
    flow.text(f"QR: {TEST_QR}", small, align="center")
    flow.image(qr_image(TEST_QR, width_dots * 9 // 20))
    flow.space(8)
    return flow.render()


def build_test_page(profile: str = "TM-T20II", width_dots: int | None = None) -> bytes:
    """ESC/POS bytes of the test page for a printer profile and paper width."""
    found, width = resolve(profile, width_dots)
    return INIT + raster(render_test_page(width, found.name)) + finish(found)


def main(argv: list[str] | None = None) -> int:
    """Print the test page to a printer URL; exit status 1 with the reason when printing fails."""
    from printer.errors import PrinterError
    from printer.transport import open_printer

    parser = argparse.ArgumentParser(prog="python -m printer.testpage", description=__doc__.splitlines()[0])
    parser.add_argument("url", help="printer URL, e.g. tcp://192.168.1.50:9100 or usb://04b8:0e15")
    parser.add_argument("--profile", default="TM-T20II", help="python-escpos profile (TM-T20II, POS-5890, ...)")
    parser.add_argument("--width", type=int, default=None, help="printable width in dots (576 = 80 mm, 384 = 58 mm)")
    parser.add_argument("--timeout", type=float, default=5.0, help="seconds to wait for the printer")
    parser.add_argument("--png", help="also save the page as a PNG preview to this path")
    args = parser.parse_args(argv)
    try:
        found, width = resolve(args.profile, args.width)
        if args.png:
            render_test_page(width, found.name).save(args.png)
        printer = open_printer(args.url, timeout=args.timeout)
        status = printer.status()
        print(f"status: online={status.online} paper={status.paper} cover_open={status.cover_open} ({status.detail})")
        printer.send(build_test_page(args.profile, args.width))
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except PrinterError as error:
        print(f"printing failed ({error.reason}): {error}", file=sys.stderr)
        return 1
    print(f"test page sent to {args.url} ({found.name}, {width} dots)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
