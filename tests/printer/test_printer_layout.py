"""The ticket layout: a 1-bit image with real Kazakh letters, both languages and a readable QR code."""
import pytest
import zxingcpp
from hypothesis import given, settings
from hypothesis import strategies as st

from printer import render_ticket
from printer.canvas import wrap
from printer.fonts import font
from printer.layout import font_sizes
from printer_lines import draw_line, find
from printer_samples import sample_ticket

KAZAKH_LETTERS = "Әә Ғғ Ққ Ңң Өө Ұұ Үү Һһ Іі"


@pytest.mark.parametrize("width", [576, 384, 512])
def test_render_is_one_bit_and_paper_wide(width):
    image = render_ticket(sample_ticket("kk"), width)
    assert image.mode == "1"
    assert image.width == width
    assert 600 < image.height < 3000


def test_kazakh_line_matches_the_same_line_drawn_directly():
    ticket = sample_ticket("kk", service={"kk": KAZAKH_LETTERS, "ru": "Проверка", "en": "Check"})
    image = render_ticket(ticket, 576)
    assert find(draw_line(KAZAKH_LETTERS, font_sizes(576)["service"], bold=True), image) is not None


def test_a_question_mark_line_would_not_match():
    # guards the finder itself: what python-escpos prints for Kazakh letters is not on the ticket
    image = render_ticket(sample_ticket("kk", service={"kk": KAZAKH_LETTERS, "ru": "Проверка"}), 576)
    assert find(draw_line("?? ?? ?? ?? ?? ?? ?? ?? Іі", font_sizes(576)["service"], bold=True), image) is None


@pytest.mark.parametrize(("lang", "second"), [("kk", "ru"), ("ru", "kk"), ("en", "kk")])
@pytest.mark.parametrize("width", [576, 384])
def test_visitor_language_first_then_the_second_language(lang, second, width):
    ticket = sample_ticket(lang)
    image = render_ticket(ticket, width)
    sizes = font_sizes(width)
    first_at = find(draw_line(ticket.visit_kind[lang], sizes["kind"], bold=True), image)
    second_at = find(draw_line(ticket.visit_kind[second], sizes["kind2"]), image)
    assert first_at and second_at
    assert first_at[1] < second_at[1]


def test_watch_the_board_without_a_cabinet_and_cabinet_when_known():
    sizes = font_sizes(576)
    board = render_ticket(sample_ticket("ru", cabinet=None), 576)
    assert find(draw_line("Следите за номером на табло", sizes["kind"], bold=True), board)
    cabinet = render_ticket(sample_ticket("ru", cabinet="12А"), 576)
    assert find(draw_line("Кабинет № 12А", sizes["cabinet"], bold=True), cabinet)


def test_documents_only_when_there_are_some():
    sizes = font_sizes(576)
    with_docs = render_ticket(sample_ticket("kk"), 576)
    collect = render_ticket(sample_ticket("kk", documents={}), 576)
    heading = draw_line("Дайындап қойыңыз / Подготовьте:", sizes["heading"], bold=True)
    assert find(heading, with_docs)
    assert find(heading, collect) is None
    assert collect.height < with_docs.height


@pytest.mark.parametrize("width", [576, 384])
def test_qr_code_gives_the_status_address(width):
    ticket = sample_ticket("ru", status_url="https://kezek.example.kz/t/ZX81QW7P")
    results = zxingcpp.read_barcodes(render_ticket(ticket, width).convert("L"))
    assert [r.text for r in results if r.format == zxingcpp.BarcodeFormat.QRCode] == [ticket.status_url]


def test_big_number_is_the_largest_text():
    image = render_ticket(sample_ticket("kk", number="A-015"), 576)
    number = draw_line("A-015", font_sizes(576)["number"], bold=True)
    assert find(number, image)
    assert number.height > 100


def test_long_number_shrinks_to_fit_58mm():
    image = render_ticket(sample_ticket("kk", number="AB-12345"), 384)
    assert image.width == 384


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="әғқңөұүһі абвгд ЖЗИ xyz-", min_size=0, max_size=120), st.integers(40, 500))
def test_wrap_keeps_every_letter_and_the_width(text, width):
    face = font(22)
    lines = wrap(text, face, width)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "").replace("\n", "")
    for line in lines:
        assert face.getlength(line) <= width or len(line) == 1


def test_russian_letters_with_marks_above_match_direct_drawing():
    text = "ЁЙ Ёж йод ЪЫЬ щ"
    image = render_ticket(sample_ticket("ru", service={"ru": text, "kk": "Тексеру"}), 576)
    assert find(draw_line(text, font_sizes(576)["service"], bold=True), image)


@pytest.mark.parametrize("number", ["A-015", "AB-12345", "Ж-999", "W-WWWW"])
@pytest.mark.parametrize("width", [384, 576])
def test_big_number_always_fits_inside_the_margins(number, width):
    from printer.layout import number_font

    inner = width - 2 * max(8, width // 36)
    face = number_font(number, font_sizes(width)["number"], inner)
    left, _, right, _ = face.getbbox(number)
    assert right - left <= inner
