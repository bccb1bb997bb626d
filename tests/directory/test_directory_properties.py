"""Property tests: the importer and the phone reader never crash; fold is idempotent."""
from hypothesis import given, settings
from hypothesis import strategies as st

from directory.importer import parse_seed
from directory.phones import parse_phones
from directory.search import fold, matches

SEED_BITS = st.sampled_from([
    "\t1 ", "\t11 ", "\n", "\t", "Стандарттың N 1 қосымша", "Стандарттың N 3 қосымша",
    "Мемлекеттік қызмет көрсетудің стандарты", "6. Байланыс ақпараты", "кабинет N ", "-",
    "8-72637-21971, 22338", "@ ", "www.", ".ku", '"', "»", "басқармасы", "мекемесі, ",
    "үзіліс", "Жұмыс және қабылдау кестесі", "Мойнқұм", "Бастықтың", "9-00 ден 18-00",
])


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_parse_seed_never_crashes_on_any_text(text):
    seed = parse_seed(text)
    seed.to_dict()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(SEED_BITS, st.text(max_size=5)), max_size=60).map("".join))
def test_parse_seed_never_crashes_on_seed_like_text(text):
    seed = parse_seed(text)
    seed.to_dict()
    seed.report.to_dict()


@given(st.text(), st.one_of(st.none(), st.text(alphabet="0123456789", max_size=6)))
def test_phone_reader_never_crashes(text, area):
    for phone in parse_phones(text, default_area_code=area):
        assert phone.valid == (phone.e164 is not None)


@given(st.text(alphabet="0123456789-, ", max_size=40))
def test_valid_phones_are_e164(text):
    for phone in parse_phones(text):
        if phone.valid:
            assert phone.e164.startswith("+7") and len(phone.e164) == 12


@given(st.text())
def test_fold_is_idempotent(text):
    assert fold(fold(text)) == fold(text)


@given(st.text(), st.text())
def test_matches_never_crashes(field, query):
    assert isinstance(matches([field], query), bool)
