"""Every akimat field from annex 3, checked against values written out by hand from the seed."""
import pytest

# number, slug, name, settlement, street, house, phones (e164, source), web hosts (host, source),
# e-mails (address, source); the current value is the first standard's.
AKIMATS = [
    (1, "taraz", "Тараз қаласы әкімияты", "Тараз қаласы", "Достық алаңы", "3",
     [("+77262454814", "8-7262-454814"), ("+77262430846", "430846")],
     [("www.gorakim.kz", "www.gorakim.kz")], []),
    (2, "baizak", "Байзақ ауданының әкімияты", "Сарыкемер ауылы", "Байзақ батыр көшесі", "107",
     [("+77263721096", "8-72637-21096"), ("+77263721582", "21582")],
     [], [("baizak_akimat@mail.ru", "baizak_akimat@mail.ru")]),
    (3, "merki", "Меркі ауданының әкімияты", "Меркі ауылы", "Исмаилов көшесі", "169",
     [("+77263221689", "8-72632-21689"), ("+77263221361", "21361")],
     [("www.zhambul.kz", "www.zhambul.kz")], [("mozsp@mail.kz", "mozsp@mail.kz")]),
    (4, "ryskulov", "Тұрар Рысқұлов ауданының әкімияты", "Құлан ауылы", "Жібек жолы көшесі", "75",
     [("+77263121600", "8-72631-21600"), ("+77263122342", "22342")],
     [("t-ryckulov.kz", "T-Ryckulov.kz")], []),
    (5, "korday", "Қордай ауданының әкімияты", "Қордай ауылы", "Төле би көшесі", "106",
     [("+77263621240", "8-72636-21240"), ("+77263621360", "21360")],
     [("www.akimatkorday.kz", "www.akimatkorday.kz")], []),
    (6, "shu", "Шу ауданының әкімияты", "Төле би ауылы", "Төле би көшесі", "272",
     [("+77263832198", "8-72638-32198"), ("+77263831955", "31955")],
     [("www.zhambulshu.kz", "www.zhambulshu.kz")], []),
    (7, "talas", "Талас ауданының әкімияты", "Қаратау қаласы", "Достық алаңы", "1",
     [("+77264462407", "8-72644-62407"), ("+77264460105", "60105")],
     [], [("ekonomkaratau@mail.ru", "ekonomkaratau@mail.ru")]),
    (8, "sarysu", "Сарысу ауданының әкімияты", "Жанатас қаласы", "Бейбитшілік көшесі", "1",
     [("+77263461437", "87263461437"), ("+77263463281", "63281")],
     [("www.sarysu.ku", "www.sarysu.ku")], []),
    (9, "zhualy", "Жуалы ауданының әкімияты", "Бауыржан Момышұлы ауылы", "Жамбыл көшесі", "12",
     [("+77263521500", "8-72635-21500"), ("+77263521573", "21573")],
     [("www.new.zhualy.kz", "www.new.zhualy.kz")], [("Jua_fin@tarnet.kz", "Jua_fin@tarnet.kz")]),
    (10, "zhambyl", "Жамбыл ауданының әкімияты", "Аса ауылы", "Абай көшесі", "123",
     [("+77263322328", "8-72633-22328"), (None, "211535")],
     [("www.zhambyl.kz", "www.zhambyl.kz")], [("marxraiy@mail.ru", "marxraiy@mail.ru")]),
    (11, "moiynkum", "Мойнқұм ауданының әкімияты", "Мойынқұм ауылы", "Амангельды көшесі", "147",
     [("+77264224155", "8-72642-24155"), ("+77264224487", "24487")],
     [], [("Moinkum_akimat@mail.ru", "Moinkum_akimat@mail.ru")]),
]


def test_eleven_akimats_in_annex_order(seed):
    assert [a.district for a in seed.akimats] == [row[1] for row in AKIMATS]


@pytest.mark.parametrize("row", AKIMATS, ids=[row[1] for row in AKIMATS])
def test_akimat_fields(seed, row):
    number, slug, name, settlement, street, house, phones, sites, emails = row
    akimat = seed.akimat(slug)
    assert akimat.number == number
    assert akimat.name_kk == name
    assert (akimat.settlement, akimat.street, akimat.house) == (settlement, street, house)
    assert [(p.e164, p.source) for p in akimat.phones] == phones
    assert [(w.host, w.source) for w in akimat.web_sites] == sites
    assert [(e.address, e.source) for e in akimat.emails] == emails
    assert all(p.standard == 1 for p in akimat.phones)


def test_invalid_number_is_kept_not_dropped(seed):
    bad = seed.akimat("zhambyl").phones[1]
    assert (bad.valid, bad.e164, bad.national, bad.problem) == (False, None, "72633211535", "length")


def test_wrapped_contact_cell_in_standard_2_is_read(seed):
    # standard 2 puts the Moiynkum e-mail on its own untabbed line after a blank line
    row = seed.akimat("moiynkum").sources[1]
    assert row.cells[-1] == (696, "Moinkum_ akimat@mail.ru")
    assert seed.akimat("merki").sources[1].cells[-1] == (654, "mozsp@mail.kz www.zhambul.kz")


def test_next_heading_is_not_part_of_the_last_row(seed):
    assert seed.akimat("moiynkum").contacts_source == "8-72642-24155 24487 Moinkum_akimat@mail.ru"


def test_only_taraz_akimat_needs_no_review(seed):
    assert [a.district for a in seed.akimats if not a.needs_review] == ["taraz"]
