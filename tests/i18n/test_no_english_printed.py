"""A Kazakh or Russian visitor's printed ticket has no English word: the bytes sent to the printer, decoded."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from kezek.extensions import db
from kezek.models import Ticket
from kezek.printing import ticket_print
from printer.ticket_bytes import build_ticket_bytes
from printer.labels import label
from printer.textmode import _FOLD
from tests.i18n.test_no_english import data_words
from tests.i18n.words import english_words
from tests.printer.escpos_reader import read_escpos


@pytest.mark.parametrize("lang", ["kk", "ru"])
@pytest.mark.parametrize("prefix", ["A", "B", "C", "D"])
def test_a_printed_ticket_speaks_the_visitors_languages(app, kiosk, lang, prefix):
    kiosk.take(prefix, lang=lang)
    with app.app_context():
        ticket = db.session.scalar(select(Ticket).where(Ticket.prefix == prefix))
        printed = read_escpos(build_ticket_bytes(ticket_print(ticket, "https://kezek.example/t/abc"), mode="text"))
        allowed = data_words(db.session)
    assert ticket.label in printed.text  # the bytes were read back as text
    assert label("people_ahead", lang).translate(_FOLD) in printed.text  # the catalogue's words, not English
    assert english_words(printed.text, allowed | {"kezek", "example"}) == []
