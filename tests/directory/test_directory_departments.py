"""Every department field from annex 1, checked against values written out by hand from the seed."""
import pytest

NAME = "{} жұмыспен қамту және әлеуметтік бағдарламалар бөлімі"

# number, slug, name prefix, head, settlement, street, house, floor, cabinet, phones, e-mails
DEPARTMENTS = [
    (1, "taraz", "Тараз қаласы әкімиятының", "Сейдалина Қосайкул Сатыбалдықызы", "Тараз қаласы",
     "Достоевский көшесі", "14", None, "201",
     [("+77262345124", "8-7262-345124"), ("+77262342879", "342879")],
     [("sobes-taraz@mail.ru", "sobes-taraz@mail.ru")]),
    (2, "baizak", "Байзақ ауданының әкімиятының", "Абдрахманова Бақыткүл Ешенқұлқызы",
     "Сарыкемер ауылы", "Байзақ батыр көшесі", "112", None, "102",
     [("+77263721971", "8-72637-21971"), ("+77263722338", "22338")],
     [("utzszn_baizak@topmail.kz", "utzszn_baizak@topmail.kz")]),
    (3, "merki", "Меркі ауданының әкімиятының", "Абылқасымов Шорман Төреханұлы", "Меркі ауылы",
     "Исмаилов көшесі", "157", None, "104",
     [("+77263222551", "8-72632-22551"), ("+77263221666", "21666")],
     [("mozsp@mail.kz", "mozsp@mail.kz")]),
    (4, "ryskulov", "Т.Рысқұлов ауданының әкімиятының", "Қосалов Шардарбек Амреқұлұлы",
     "Құлан ауылы", "Жібек жолы көшесі", "83", "2", "204",
     [("+77263121281", "8-72631-21281"), ("+77263121644", "21644")],
     [("TRS2008@topmail.kz", "TRS2008@ topmail.kz")]),
    (5, "korday", "Қордай ауданының әкімиятының", "Қарамолдаева Баян Назкейқызы", "Қордай ауылы",
     "Белашов көшесі", "3", None, "105",
     [("+77263621281", "8-72636-21281"), ("+77263621249", "21249")],
     [("utzsnkorday@mail.kz", "utzsnkorday@mail.kz")]),
    (6, "shu", "Шу ауданының әкімиятының", "Оңласын Мейірбек Қалмырзаұлы", "Төле би ауылы",
     "Балуан Шолақ көшесі", "189", None, "104",
     [("+77263831096", "8-72638-31096"), ("+77263831637", "31637")],
     [("shuozsp@topmail.kz", "shuozsp@ topmail.kz")]),
    (7, "talas", "Талас ауданының әкімиятының", "Тұралиева Роза Тұралықызы", "Қаратау қаласы",
     "Қонаев көшесі", "26", None, "106",
     [("+77264461306", "8-72644-61306"), ("+77264461522", "61522")],
     [("otzsp_karatau@mail.ru", "otzsp_karatau@mail.ru")]),
    (8, "sarysu", "Сарысу ауданының әкімиятының", "Усембаев Болат Базарбайұлы", "Жанатас қаласы",
     "Жібек жолы көшесі", "53", None, "102",
     [("+77263462806", "8-72634-62806"), ("+77263461680", "61680")],
     [("dkz@mail.kz", "dkz@mail.kz")]),
    (9, "zhualy", "Жуалы ауданының әкімиятының", "Құрмашев Кәрібай", "Бауыржан Момышұлы ауылы",
     "Жамбыл көшесі", "1", None, "105",
     [("+77263522276", "8-72635-22276"), ("+77263522150", "22150")],
     [("juali_sobes@mail.ru", "juali_sobes@mail.ru")]),
    (10, "zhambyl", "Жамбыл ауданының әкімиятының", "Несіпбеков Нұрлан Құдербайұлы", "Аса ауылы",
     "Абай көшесі", "123", None, "201",
     [("+77263321756", "8-72633-21756"), ("+77263321182", "21182")],
     [("asa_sobes@mail.ru", "asa_sobes@mail.ru")]),
    (11, "moiynkum", "Мойнқұм ауданының әкімиятының", "Даниярова Жақсыгүл Мырзабайқызы",
     "Мойынқұм ауылы", "Көшенов көшесі", "10", None, "103",
     [("+77264224721", "8-72642-24721"), ("+77264224893", "24893")],
     [("ozsp_moinkum@topmail.kz", "ozsp_moinkum@ topmail.kz")]),
]


def test_eleven_departments_in_annex_order(seed):
    assert [d.district for d in seed.departments] == [row[1] for row in DEPARTMENTS]


@pytest.mark.parametrize("row", DEPARTMENTS, ids=[row[1] for row in DEPARTMENTS])
def test_department_fields(seed, row):
    number, slug, prefix, head, settlement, street, house, floor, cabinet, phones, emails = row
    dept = seed.department(slug)
    assert dept.number == number
    assert dept.name_kk == NAME.format(prefix)
    assert dept.head == head
    assert (dept.settlement, dept.street, dept.house) == (settlement, street, house)
    assert (dept.floor, dept.cabinet) == (floor, cabinet)
    assert [(p.e164, p.source) for p in dept.phones] == phones
    assert all(p.valid for p in dept.phones)
    assert [(e.address, e.source) for e in dept.emails] == emails


@pytest.mark.parametrize("row", DEPARTMENTS, ids=[row[1] for row in DEPARTMENTS])
def test_department_hours_come_from_standard_2(seed, row):
    hours = seed.department(row[1]).hours
    assert hours.weekdays == ("mon", "tue", "wed", "thu", "fri")
    assert (hours.opens, hours.closes, hours.lunch_start, hours.lunch_end) == (
        "09:00", "18:00", "13:00", "14:00")
    assert hours.standard == 2


def test_department_keeps_both_source_rows(seed):
    dept = seed.department("ryskulov")
    assert [(s.standard, s.part, s.line) for s in dept.sources] == [
        (1, "annex1", 168), (2, "annex1", 495)]
    assert dept.address_source == "Құлан ауылы, Жібек жолы көшесі, 83 2 қабат кабинет N 204"
    assert dept.name_source.startswith('"Т.Рысқұлов') and dept.name_source.endswith('" ММ')
    assert dept.phones[1].area_code_from == "previous"
    assert (dept.phones[0].standard, dept.phones[0].line) == (1, 172)


def test_district_names(seed):
    assert seed.department("taraz").district_name == "Тараз қаласы"
    assert seed.department("moiynkum").district_name == "Мойынқұм ауданы"
    assert seed.department("moiynkum").district_name_ru == "Мойынкумский район"


@pytest.mark.parametrize("slug,needs", [
    ("taraz", True), ("baizak", True), ("merki", False), ("ryskulov", True), ("korday", False),
    ("shu", True), ("talas", False), ("sarysu", False), ("zhualy", False), ("zhambyl", False),
    ("moiynkum", True),
])
def test_department_needs_review(seed, slug, needs):
    dept = seed.department(slug)
    assert dept.needs_review is needs
    assert bool(dept.review_reasons) is needs
