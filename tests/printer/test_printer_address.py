"""The phone address under the QR code, decoded from the printed bytes: one line on 58 and 80 mm paper."""
import pytest

from escpos_reader import read_escpos
from printer import build_ticket_bytes
from printer.layout import MIN_ADDRESS_SIZE, address_lines, font_sizes
from printer.fonts import font
from printer_lines import draw_line, find
from printer_samples import sample_ticket
from kezek.queue.codes import ALPHABET, LENGTH, new_code, typed_code

ADDRESSES = [
    "http://127.0.0.1:5000/t/{code}",
    "http://192.168.100.200:8080/t/{code}",
    "https://kezek.enbek-zhambyl.kz/t/{code}",
]


@pytest.mark.parametrize(("profile", "width"), [("POS-5890", 384), ("TM-T20II", 576)])
@pytest.mark.parametrize("address", ADDRESSES)
def test_the_printed_address_is_one_unbroken_line(profile, width, address):
    url = address.format(code=new_code())
    printout = read_escpos(build_ticket_bytes(sample_ticket("kk", status_url=url), profile))
    # The whole address drawn as one line at some size the layout may pick is found on the paper.
    sizes = range(font_sizes(width)["small"], MIN_ADDRESS_SIZE - 1, -1)
    assert any(find(draw_line(url, size), printout.image) for size in sizes)


def test_a_long_address_breaks_only_after_a_slash_never_inside_the_code():
    code = new_code()
    url = f"https://kezek-region-server.social-services.zhambyl-oblysy.gov.kz/queue/phones/t/{code}"
    lines = address_lines(url, font(MIN_ADDRESS_SIZE), 364)
    assert len(lines) > 1 and "".join(lines) == url
    assert lines[-1].endswith(code) and code not in "".join(lines[:-1])
    assert all(line.endswith("/") for line in lines[:-1])


def test_codes_use_no_look_alike_characters():
    codes = {new_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(len(code) == LENGTH for code in codes)
    used = set("".join(codes))
    assert used <= set(ALPHABET) and not used & set("O0Il1o")


def test_a_code_typed_in_lower_case_is_read_as_issued():
    code = new_code()
    assert typed_code(code.lower()) == code
    assert typed_code("a-mixed_Case") == "a-mixed_Case"  # an older code stays as it was


@pytest.mark.parametrize(("profile", "width"), [("POS-5890", 384), ("TM-T20II", 576)])
@pytest.mark.parametrize("address", ADDRESSES)
def test_the_text_mode_address_never_breaks_inside_the_code(profile, width, address):
    code = new_code()
    url = address.format(code=code)
    lines = read_escpos(build_ticket_bytes(sample_ticket("ru", status_url=url), profile, mode="text")).lines
    if len(url) <= width // 9:  # fits font B's columns: one line
        assert url in lines
    else:
        assert any(a + b == url and b == code for a, b in zip(lines, lines[1:]))
