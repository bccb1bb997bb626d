"""Phone normalisation to E.164: shared area codes, 4- and 5-digit codes, invalid numbers kept."""
from directory.phones import normalise_phone, parse_phones


def _pairs(text, **kw):
    return [(p.e164, p.source, p.valid) for p in parse_phones(text, **kw)]


def test_second_number_takes_first_ones_area_code():
    assert _pairs("8-72637-21971, 22338") == [
        ("+77263721971", "8-72637-21971", True), ("+77263722338", "22338", True)]


def test_unseparated_trunk_number_and_space():
    assert _pairs("87263461437 63281") == [
        ("+77263461437", "87263461437", True), ("+77263463281", "63281", True)]


def test_four_digit_area_code_with_six_digit_local():
    assert _pairs("8-7262-345124, 342879") == [
        ("+77262345124", "8-7262-345124", True), ("+77262342879", "342879", True)]


def test_too_long_number_is_reported_not_dropped():
    phones = parse_phones("8-72633-22328, 211535")
    assert len(phones) == 2
    assert (phones[1].valid, phones[1].e164, phones[1].problem) == (False, None, "length")


def test_local_number_without_area_code():
    assert normalise_phone("45-44-94").problem == "no_area_code"
    assumed = normalise_phone("45-44-94", default_area_code="7262")
    assert (assumed.e164, assumed.area_code_from) == ("+77262454494", "assumed")


def test_not_a_phone():
    assert parse_phones("") == [] and parse_phones("www.sarysu.ku") == []
    assert not normalise_phone("12345678901234").valid
