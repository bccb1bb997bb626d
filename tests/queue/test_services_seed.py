"""The two services of the seed with their four visit kinds, limits, terms and documents."""
from __future__ import annotations

from sqlalchemy import select

from kezek.models import Office, Service


def test_every_visit_kind_of_the_seed_has_its_legal_wait_limit(db):
    services = {s.code: s for s in db.scalars(select(Service))}
    limits = {
        (code, kind.kind): (kind.prefix, kind.wait_limit_minutes)
        for code, service in services.items() for kind in service.visit_kinds
    }
    assert limits == {
        ("social_assistance", "hand_in"): ("A", 30),
        ("social_assistance", "collect"): ("B", 10),
        ("unemployed_certificate", "hand_in"): ("C", 10),
        ("unemployed_certificate", "collect"): ("D", 10),
    }
    assert services["social_assistance"].service_term_days == 10
    assert services["unemployed_certificate"].service_term_days == 3


def test_hand_in_visits_list_the_documents_of_the_standard(db):
    services = {s.code: s for s in db.scalars(select(Service))}
    assistance = services["social_assistance"].visit_kinds[0]
    assert len(assistance.documents) == 5
    assert "Отбасы құрамы туралы мәлімет" in assistance.document_names("kk")
    assert "Сведения о доходах членов семьи" in assistance.document_names("ru")
    certificate = services["unemployed_certificate"].visit_kinds[0]
    assert certificate.document_names("en") == ["Application", "Unemployment card issued by the department"]
    assert services["social_assistance"].visit_kinds[1].documents == []


def test_the_eleven_departments_and_the_regional_department_are_loaded(db):
    offices = db.scalars(select(Office).where(Office.slug != "demo")).all()
    assert len(offices) == 12
    assert sum(o.is_regional for o in offices) == 1
    taraz = next(o for o in offices if o.slug == "taraz")
    assert taraz.name_kk == "Тараз қаласы әкімиятының жұмыспен қамту және әлеуметтік бағдарламалар бөлімі"
    assert [(h.weekday, str(h.opens), str(h.lunch_start)) for h in taraz.hours][0] == (0, "09:00:00", "13:00:00")
