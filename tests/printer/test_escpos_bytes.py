"""ESC/POS bytes decoded back: the raster is the rendered ticket, the QR gives the address, text reads back."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
import zxingcpp
from PIL import ImageChops

from escpos_reader import read_escpos
from printer import build_test_page, build_ticket_bytes, render_ticket
from printer.escpos_bytes import BAND_ROWS, raster
from printer.layout import font_sizes
from printer.profiles import get_profile, import_escpos
from printer.testpage import KAZAKH, TEST_QR
from printer_lines import draw_line, find
from printer_samples import sample_ticket


def same_pixels(a, b) -> bool:
    """True when two images have the same size and pixels."""
    return a.size == b.size and ImageChops.difference(a.convert("L"), b.convert("L")).getbbox() is None


def qr_texts(image) -> list[str]:
    """The payloads of the QR codes zxing-cpp finds in `image`."""
    return [r.text for r in zxingcpp.read_barcodes(image.convert("L")) if r.format == zxingcpp.BarcodeFormat.QRCode]


@pytest.mark.parametrize(("profile", "width"), [("TM-T20II", 576), ("POS-5890", 384)])
def test_printed_raster_is_the_rendered_ticket(profile, width):
    ticket = sample_ticket("kk")
    printout = read_escpos(build_ticket_bytes(ticket, profile))
    assert printout.commands[0] == "ESC @"
    assert set(printout.commands) - {"ESC @", "GS v 0", "ESC d", "GS V"} == set()
    assert all(band.height <= BAND_ROWS for band in printout.bands)
    assert same_pixels(printout.image, render_ticket(ticket, width))
    assert printout.text.strip() == ""  # nothing printed as text, so no "?" for Kazakh letters


def test_qr_read_back_from_printed_bytes_gives_status_address():
    ticket = sample_ticket("ru", status_url="https://kezek.example.kz/t/Q8WERTY2")
    assert qr_texts(read_escpos(build_ticket_bytes(ticket, "POS-5890")).image) == [ticket.status_url]


def test_kazakh_line_read_back_from_printed_bytes_matches_direct_drawing():
    ticket = sample_ticket("kk", office={"kk": KAZAKH, "ru": "Проверка"})
    printed = read_escpos(build_ticket_bytes(ticket, "TM-T20II")).image
    assert find(draw_line(KAZAKH, 24, bold=True), printed)


def test_cut_only_on_printers_with_a_cutter():
    assert read_escpos(build_ticket_bytes(sample_ticket(), "TM-T20II")).cuts == 1
    assert read_escpos(build_ticket_bytes(sample_ticket(), "POS-5890")).cuts == 0


def test_width_override_and_profile_width():
    assert get_profile("TM-T20II").width_dots == 576
    assert get_profile("POS-5890").width_dots == 384
    printout = read_escpos(build_ticket_bytes(sample_ticket(), "TM-T20II", width_dots=512))
    assert printout.image.width == 512


def test_unknown_profile_and_mode_are_value_errors():
    with pytest.raises(ValueError):
        build_ticket_bytes(sample_ticket(), "NO-SUCH-PRINTER")
    with pytest.raises(ValueError):
        build_ticket_bytes(sample_ticket(), mode="pdf")


def test_text_mode_reads_back_as_text_with_a_native_qr():
    ticket = sample_ticket("ru", cabinet="7")
    data = build_ticket_bytes(ticket, "TM-T20II", mode="text")
    printout = read_escpos(data)
    assert len(data) < 3000
    assert "A-015" in printout.text
    assert "Кабинет № 7" in printout.text
    assert "Назначение адресной социальной помощи" in printout.text
    assert "Заявление" in printout.text
    assert "?" not in printout.text.replace(ticket.status_url, "")  # Kazakh folded, not lost to "?"
    assert printout.qr_codes == [ticket.status_url]


def test_text_mode_uses_an_image_qr_where_the_printer_has_no_native_qr():
    ticket = sample_ticket("kk")
    printout = read_escpos(build_ticket_bytes(ticket, "POS-5890", mode="text"))
    assert printout.qr_codes == []
    assert qr_texts(printout.image) == [ticket.status_url]


def test_test_page_has_every_letter_the_number_sizes_and_a_qr():
    for profile, width in (("TM-T20II", 576), ("POS-5890", 384)):
        page = read_escpos(build_test_page(profile)).image
        assert page.width == width
        assert find(draw_line(KAZAKH, 30 if width >= 500 else 22, bold=True), page)
        assert find(draw_line("A-015", font_sizes(width)["number"] * 3 // 10, bold=True), page)
        assert qr_texts(page) == [TEST_QR]


def test_raster_pads_odd_widths_and_rejects_grey_images():
    from PIL import Image

    odd = Image.new("1", (21, 5), 0)
    printout = read_escpos(raster(odd))
    assert printout.image.size == (24, 5)
    with pytest.raises(ValueError):
        raster(Image.new("L", (8, 8)))


@pytest.mark.parametrize("impl", ["bitImageRaster", "graphics", "bitImageColumn"])
def test_reader_decodes_what_python_escpos_emits_for_images(impl):
    image = render_ticket(sample_ticket("kk"), 384).crop((0, 0, 384, 300))
    dummy = import_escpos().Dummy(profile="POS-5890")
    dummy.image(image, impl=impl)
    decoded = read_escpos(dummy.output).image
    assert same_pixels(decoded.crop((0, 0, 384, 300)), image)


def test_python_escpos_text_really_loses_kazakh_letters():
    # the reason tickets are raster: text() has no code page for ә ғ қ ң ө ұ ү һ
    dummy = import_escpos().Dummy(profile="TM-T20II")
    dummy.text("Қазақ әліпбиі\n")
    assert "?" in read_escpos(dummy.output).text


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 80), st.integers(1, 300), st.binary(min_size=0, max_size=64))
def test_raster_round_trip_of_any_picture(width, height, seed):
    from PIL import Image

    noise = bytes((seed * (width * height // max(1, len(seed)) + 1))[: width * height]) if seed else bytes(width * height)
    picture = Image.frombytes("L", (width, height), noise).point(lambda v: 255 if v & 1 else 0).convert("1")
    decoded = read_escpos(raster(picture)).image
    assert same_pixels(decoded.crop((0, 0, width, height)), picture)
    assert decoded.width == (width + 7) // 8 * 8


def test_renders_from_many_threads_are_identical():
    from concurrent.futures import ThreadPoolExecutor

    tickets = [sample_ticket("kk", number=f"A-{n:03d}") for n in range(8)]
    with ThreadPoolExecutor(4) as pool:
        images = list(pool.map(lambda t: render_ticket(t, 576).tobytes(), tickets))
    assert images == [render_ticket(t, 576).tobytes() for t in tickets]
