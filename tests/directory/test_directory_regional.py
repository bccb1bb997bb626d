"""The regional department from section 6 of both standards."""


def test_regional_department(seed):
    reg = seed.regional
    assert reg.district == "region"
    assert reg.name_kk == ("Жамбыл облысы әкімиятының жұмыспен қамтуды үйлестіру және "
                           "әлеуметтік бағдарламалар басқармасы")
    assert (reg.settlement, reg.street, reg.house) == ("Тараз қаласы", "Қарахан көшесі", "1")
    assert [(p.e164, p.source, p.area_code_from) for p in reg.phones] == [
        ("+77262454494", "45-44-94", "assumed")]
    assert [(e.address, e.line) for e in reg.emails] == [("taraz@enbek.kz", 133)]


def test_regional_hours_and_reception(seed):
    reg = seed.regional
    assert (reg.hours.opens, reg.hours.closes) == ("09:00", "19:00")
    assert (reg.hours.lunch_start, reg.hours.lunch_end) == ("13:00", "15:00")
    assert reg.head_reception.weekdays == ("tue", "thu", "fri")
    assert (reg.head_reception.opens, reg.head_reception.closes) == ("09:00", "18:00")
    assert len(reg.deputy_reception.weekdays) == 7
    assert (reg.deputy_reception.opens, reg.deputy_reception.closes) == ("09:00", "18:00")


def test_regional_second_phone_is_kept_in_the_report(seed):
    issue = next(i for i in seed.report.conflicts if i.entry == "regional:region")
    assert issue.field == "phones"
    assert [(v.text, v.standard, v.line) for v in issue.values] == [
        ("45-44-94", 1, 129), ("45-97-13", 2, 456)]
    assert issue.current == "+77262454494"
    assert seed.regional.needs_review
