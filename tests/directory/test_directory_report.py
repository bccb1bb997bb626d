"""The import report names every conflict and anomaly the seed holds, with source texts and lines."""
import json

EXPECTED_CONFLICTS = {
    ("department:taraz", "head", "differs", 152, 479),
    ("department:baizak", "head", "differs", 158, 485),
    ("department:moiynkum", "name_kk", "differs", 211, 538),
    ("akimat:baizak", "house", "missing_in_standard_2", 313, 646),
    ("akimat:merki", "house", "missing_in_standard_2", 318, 651),
    ("akimat:ryskulov", "house", "missing_in_standard_2", 323, 658),
    ("akimat:korday", "street", "missing_in_standard_2", 328, 663),
    ("akimat:korday", "house", "missing_in_standard_2", 328, 663),
    ("akimat:shu", "street", "differs", 333, 668),
    ("akimat:shu", "house", "missing_in_standard_2", 333, 668),
    ("akimat:talas", "street", "missing_in_standard_2", 338, 673),
    ("akimat:talas", "house", "missing_in_standard_2", 338, 673),
    ("akimat:sarysu", "street", "missing_in_standard_2", 343, 678),
    ("akimat:sarysu", "house", "missing_in_standard_2", 343, 678),
    ("akimat:zhualy", "street", "missing_in_standard_2", 348, 683),
    ("akimat:zhualy", "house", "missing_in_standard_2", 348, 683),
    ("akimat:zhambyl", "street", "missing_in_standard_2", 353, 688),
    ("akimat:zhambyl", "house", "missing_in_standard_2", 353, 688),
    ("akimat:moiynkum", "street", "missing_in_standard_2", 358, 693),
    ("akimat:moiynkum", "house", "missing_in_standard_2", 358, 693),
    ("regional:region", "phones", "differs", 129, 456),
}

EXPECTED_ANOMALIES = {
    ("department:taraz", "name", "unbalanced_quotes", 478),
    ("department:ryskulov", "emails", "email_spaces", 172),
    ("department:ryskulov", "emails", "email_spaces", 499),
    ("department:shu", "emails", "email_spaces", 184),
    ("department:shu", "emails", "email_spaces", 511),
    ("department:moiynkum", "emails", "email_spaces", 214),
    ("department:moiynkum", "name", "spelling_suspect", 211),
    ("akimat:merki", "web_sites", "web_names_other_district", 319),
    ("akimat:merki", "web_sites", "web_names_other_district", 654),
    ("akimat:merki", "emails", "email_shared_with_department", 319),
    ("akimat:ryskulov", "web_sites", "web_name_misspelt", 324),
    ("akimat:ryskulov", "web_sites", "web_name_misspelt", 659),
    ("akimat:sarysu", "web_sites", "web_domain_suspect", 344),
    ("akimat:sarysu", "web_sites", "web_domain_suspect", 679),
    ("akimat:sarysu", "address", "spelling_suspect", 343),
    ("akimat:zhambyl", "phones", "phone_invalid", 354),
    ("akimat:zhambyl", "phones", "phone_invalid", 689),
    ("akimat:zhambyl", "address", "address_shared_with_department", 353),
    ("akimat:moiynkum", "name", "spelling_suspect", 357),
    ("akimat:moiynkum", "name", "spelling_suspect", 692),
    ("akimat:moiynkum", "emails", "email_spaces", 696),
    ("regional:region", "phones", "phone_area_code_assumed", 129),
    ("regional:region", "phones", "phone_area_code_assumed", 456),
    ("regional:region", "hours", "weekends_not_excluded", 131),
    ("regional:region", "hours", "weekends_not_excluded", 458),
}


def test_every_conflict_is_reported(seed):
    found = {(i.entry, i.field, i.kind, i.values[0].line, i.values[1].line)
             for i in seed.report.conflicts}
    assert found == EXPECTED_CONFLICTS


def test_conflicts_keep_both_source_texts_and_pick_standard_1(seed):
    shu = next(i for i in seed.report.conflicts if (i.entry, i.field) == ("akimat:shu", "street"))
    assert [v.text for v in shu.values] == ["Төле би ауылы, Төле би көшесі 272",
                                            "Төле би ауылы, Балуан Шолақ көшесі"]
    assert [(v.standard, v.part) for v in shu.values] == [(1, "annex3"), (2, "annex3")]
    assert shu.current == "Төле би көшесі" == next(a for a in seed.akimats
                                                    if a.district == "shu").street


def test_every_anomaly_is_reported(seed):
    found = {(i.entry, i.field, i.kind, i.values[0].line if i.values else None)
             for i in seed.report.anomalies}
    assert found == EXPECTED_ANOMALIES


def test_anomalies_name_their_source_text(seed):
    bad = [i for i in seed.report.anomalies if i.kind == "email_spaces"]
    assert {i.detail.split(" -> ")[0] for i in bad} == {
        "'TRS2008@ topmail.kz'", "'shuozsp@ topmail.kz'", "'ozsp_moinkum@ topmail.kz'",
        "'Moinkum_ akimat@mail.ru'"}
    invalid = next(i for i in seed.report.anomalies if i.kind == "phone_invalid")
    assert "'211535'" in invalid.detail


def test_text_only_differences_are_listed_without_review(seed):
    diffs = {(i.entry, i.field, i.kind) for i in seed.report.differences}
    assert ("table:annex1", "header", "source_text_differs") in diffs  # аты-жөні / аты-жәні
    assert ("department:shu", "address", "source_text_differs") in diffs  # comma before 189
    assert ("department:taraz", "name", "source_text_differs") in diffs  # quotes
    assert ("department:moiynkum", "contacts", "source_text_differs") in diffs
    assert ("akimat:taraz", "contacts", "source_text_differs") in diffs  # comma between phones
    assert sum(1 for d in diffs if d[1:] == ("hours", "only_in_standard_2")) == 11
    assert not seed.akimat("taraz").needs_review


def test_review_reasons_are_codes(seed):
    assert seed.akimat("shu").review_reasons == [
        "conflict:differs:street", "conflict:missing_in_standard_2:house"]
    assert "anomaly:phone_invalid:phones" in seed.akimat("zhambyl").review_reasons


def test_to_dict_is_json_ready(seed):
    data = json.loads(json.dumps(seed.to_dict(), ensure_ascii=False))
    assert len(data["departments"]) == 11 and len(data["akimats"]) == 11
    assert data["departments"][1]["phones"][1] == {
        "e164": "+77263722338", "source": "22338", "national": "7263722338", "valid": True,
        "problem": None, "area_code": "72637", "area_code_from": "previous", "standard": 1,
        "line": 160}
    assert json.loads(json.dumps(seed.report.to_dict()))["conflicts"][0]["values"][0]["line"] == 152
