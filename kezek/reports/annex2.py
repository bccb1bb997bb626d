"""Annex 2 of each standard (no Flask): the quality and accessibility indicators of a service for a year.

The indicators, normative values and next year's targets are copied from annex 2 of each standard
in the seed (resolution N 120); managers may edit them. Values the system can measure are computed
from the wait records, the decision dates and visitor feedback; the others are entered by a manager.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from kezek.models import Service, User
from kezek.models.reports import Annex2Value, FeedbackAnswer
from kezek.reports import rollup

REGION = 0  # the scope of figures for all offices together

# (code, group, kk as in the seed, ru, en, measured by); group headings are (code, kk, ru, en).
GROUPS = [
    ("1", "Уақытылығы", "Своевременность", "Timeliness"),
    ("2", "Сапасы", "Качество", "Quality"),
    ("3", "Қол жетімділік", "Доступность", "Accessibility"),
    ("4", "Шағымдану үдерісі", "Процесс обжалования", "Complaints"),
    ("5", "Сыпайылық", "Вежливость", "Politeness"),
]
INDICATORS = [
    (
        "1.1",
        "құжаттарды тапсырған сәттен бастап белгіленген мерзімде қызметті ұсыну оқиғаларының % (үлесі)",
        "% (доля) случаев предоставления услуги в установленный срок с момента сдачи документов",
        "% of cases where the service was delivered within the set term from the hand-in of documents",
        "decisions",
    ),
    (
        "1.2",
        "қызмет алуды кезекте 40 минуттан аспайтын уақыт күткен тұтынушылардың % (үлесі)",
        "% (доля) потребителей, ожидавших получения услуги в очереди не более 40 минут",
        "% of visitors who waited in the queue no more than 40 minutes",
        "waits",
    ),
    (
        "2.1",
        "қызметті ұсыну үдерісінің сапасына қанағаттанған тұтынушылардың % (үлесі)",
        "% (доля) потребителей, удовлетворённых качеством процесса предоставления услуги",
        "% of visitors satisfied with the quality of the service process",
        "process",
    ),
    (
        "2.2",
        "құжаттарды лауазымды тұлға дұрыс ресімдеген жағдайдың (жүргізілген төлемдер, есеп айырысулар және т.б.) % (үлесі)",
        "% (доля) случаев правильного оформления документов должностным лицом (произведённые выплаты, расчёты и т.д.)",
        "% of cases where the official processed the documents correctly (payments made, calculations, etc.)",
        None,
    ),
    (
        "3.1",
        "қызметті ұсыну тәртібі туралы сапаға және ақпаратқа қанағаттанған тұтынушылардың % (үлесі)",
        "% (доля) потребителей, удовлетворённых качеством и информацией о порядке предоставления услуги",
        "% of visitors satisfied with the quality of and the information on how the service is delivered",
        "information",
    ),
    (
        "3.2",
        "тұтынушы құжаттарды дұрыс толтырған және бірінші реттен тапсырған оқиғалардың % (үлесі)",
        "% (доля) случаев, когда потребитель правильно заполнил документы и сдал их с первого раза",
        "% of cases where the visitor filled in the documents correctly and handed them in the first time",
        "documents",
    ),
    (
        "3.3",
        "Интернет арқылы қол жетімді қызметтерінің ақпарат % (үлесі)",
        "% (доля) информации об услугах, доступной через Интернет",
        "% of information about the services available online",
        None,
    ),
    (
        "4.1",
        "қызметтің осы түрі бойынша қызмет көрсетілген тұтынушылардың жалпы санына негізделген шағымдардың % (үлесі)",
        "% (доля) обоснованных жалоб от общего числа обслуженных потребителей по данному виду услуги",
        "% of justified complaints out of all visitors served for this service",
        None,
    ),
    (
        "4.2",
        "белгіленген мерзімде қаралған және қанағаттандырылған негізделген шағымдардың % (үлесі)",
        "% (доля) обоснованных жалоб, рассмотренных и удовлетворённых в установленный срок",
        "% of justified complaints considered and resolved within the set term",
        None,
    ),
    (
        "4.3",
        "шағымданудың қолданыстағы тәртібіне қанағаттанған тұтынушылардың % (үлесі)",
        "% (доля) потребителей, удовлетворённых существующим порядком обжалования",
        "% of visitors satisfied with the existing complaints procedure",
        None,
    ),
    (
        "4.4",
        "шағымдану мерзіміне қанағаттанған тұтынушылардың % (үлесі)",
        "% (доля) потребителей, удовлетворённых сроками обжалования",
        "% of visitors satisfied with the time taken by complaints",
        None,
    ),
    (
        "5.1",
        "қызметкерлердің сыпайылығына қанағаттанған тұтынушылардың % (үлесі)",
        "% (доля) потребителей, удовлетворённых вежливостью персонала",
        "% of visitors satisfied with the politeness of the staff",
        "politeness",
    ),
]
# Normative value and next year's target per indicator, as annex 2 of each standard gives them.
SEED = {
    "social_assistance": {
        "1.1": (100, 100),
        "1.2": (100, 100),
        "2.1": (100, 100),
        "2.2": (100, 100),
        "3.1": (100, 100),
        "3.2": (99, 100),
        "3.3": (100, 100),
        "4.1": (1, 0),
        "4.2": (1, 0),
        "4.3": (100, 100),
        "4.4": (100, 100),
        "5.1": (98, 100),
    },
    "unemployed_certificate": {
        "1.1": (100, 100),
        "1.2": (100, 100),
        "2.1": (100, 100),
        "2.2": (100, 100),
        "3.1": (100, 100),
        "3.2": (100, 100),
        "3.3": (None, None),
        "4.1": (0, 0),
        "4.2": (0, 0),
        "4.3": (0, 0),
        "4.4": (0, 0),
        "5.1": (99, 100),
    },
}
CODES = [indicator[0] for indicator in INDICATORS]
MEASURED = {indicator[0] for indicator in INDICATORS if indicator[4]}


@dataclass
class Row:
    """One indicator of the table: names, normative value, target, current value and where it came from."""

    code: str
    names: dict[str, str]
    normative: float | None
    target: float | None
    value: float | None
    measured: bool
    numerator: int | None = None
    denominator: int | None = None
    entered_by: str = ""
    entered_at: datetime | None = None
    beside: list[dict] = field(default_factory=list)


def _share(numerator: int, denominator: int) -> float | None:
    return round(100 * numerator / denominator, 1) if denominator else None


def _year(query, column, year: int):
    return query.where(column >= date(year, 1, 1), column <= date(year, 12, 31))


def _offices(query, column, office_ids: list[int] | None):
    return query if office_ids is None else query.where(column.in_(office_ids))


SUMMED = ("called", "at_40", "within", "docs_ok", "docs")


def measured_values(
    session: Session, service: Service, year: int, office_ids: list[int] | None, today: date
) -> dict[str, tuple[int, int, list[dict]]]:
    """Numerator, denominator and figures shown beside for each measured indicator."""
    one = lambda cond: func.sum(case((cond, 1), else_=0))  # noqa: E731
    where = rollup.plan(session, date(year, 1, 1), date(year, 12, 31), office_ids, rollup.closed_before(today))
    groups: dict[tuple, dict] = {}
    for r in rollup.rows(session, "detail", where, office_ids, service.id):
        if r.minute is None:  # never called
            continue
        group = groups.setdefault((r.hand_in, r.wait_limit_minutes), dict.fromkeys(SUMMED, 0))
        for name in group:
            group[name] += getattr(r, name) or 0
    beside = [
        {
            "hand_in": hand_in,
            "limit": limit,
            "within": g["within"],
            "called": g["called"],
            "share": _share(g["within"], g["called"]),
        }
        for (hand_in, limit), g in sorted(groups.items(), key=lambda item: (not item[0][0], item[0][1]))
    ]
    values = {
        "waits": (sum(g["at_40"] for g in groups.values()), sum(g["called"] for g in groups.values()), beside),
        "documents": (
            sum(g["docs_ok"] for (hand_in, _l), g in groups.items() if hand_in),
            sum(g["docs"] for (hand_in, _l), g in groups.items() if hand_in),
            [],
        ),
    }
    feedback = _offices(
        _year(
            select(
                *[
                    x
                    for name in ("process", "information", "politeness")
                    for x in (one(getattr(FeedbackAnswer, name).is_(True)), func.count(getattr(FeedbackAnswer, name)))
                ]
            ).where(FeedbackAnswer.service_id == service.id),
            FeedbackAnswer.service_day,
            year,
        ),
        FeedbackAnswer.office_id,
        office_ids,
    )
    answers = session.execute(feedback).one()
    for index, name in enumerate(("process", "information", "politeness")):
        values[name] = (answers[2 * index] or 0, answers[2 * index + 1] or 0, [])
    values["decisions"] = _decisions(rollup.decisions(session, where, office_ids, service.id), service, today)
    return values


def _decisions(cases: list[tuple], service: Service, today: date):
    """Served hand-ins decided within the service term, out of those decided or already past the term."""
    term = timedelta(days=service.service_term_days)
    in_time = counted = pending = 0
    for day, lag, count in cases:
        if lag is None and day + term >= today:
            pending += count
            continue
        counted += count
        in_time += count if lag is not None and lag <= term.days else 0
    return in_time, counted, [{"pending": pending, "term_days": service.service_term_days}]


def entries(session: Session, service_id: int, year: int, scope: int) -> dict[str, Annex2Value]:
    """The manager's entries for a scope (an office id, or REGION) by indicator code."""
    rows = session.scalars(
        select(Annex2Value).where(
            Annex2Value.service_id == service_id, Annex2Value.year == year, Annex2Value.scope == scope
        )
    )
    return {row.indicator: row for row in rows}


def table(session: Session, service: Service, year: int, scope: int, today: date) -> list[Row]:
    """The annex 2 table of `service` for `year` over one office (its id) or the region (REGION)."""
    office_ids = None if scope == REGION else [scope]
    own, region = entries(session, service.id, year, scope), entries(session, service.id, year, REGION)
    measured = measured_values(session, service, year, office_ids, today)
    seed = SEED.get(service.code, {})
    rows = []
    for code, kk, ru, en, source in INDICATORS:
        entry, fallback = own.get(code), region.get(code)
        normative, target = seed.get(code, (None, None))
        for known in (fallback, entry):
            if known is not None:
                normative = known.normative if known.normative is not None else normative
                target = known.target if known.target is not None else target
        row = Row(code, {"kk": kk, "ru": ru, "en": en}, normative, target, None, source is not None)
        if source:
            row.numerator, row.denominator, row.beside = measured[source]
            row.value = _share(row.numerator, row.denominator)
        elif entry is not None:
            row.value = entry.value
        if entry is not None:
            row.entered_by, row.entered_at = entry.entered_by, entry.entered_at
        rows.append(row)
    return rows


def save(
    session: Session,
    service_id: int,
    year: int,
    scope: int,
    code: str,
    user: User,
    now: datetime,
    *,
    normative: float | None,
    target: float | None,
    value: float | None,
) -> Annex2Value:
    """Store a manager's normative value, target and (for indicators not measured) current value."""
    if code not in CODES:
        raise ValueError(code)
    entry = entries(session, service_id, year, scope).get(code)
    if entry is None:
        entry = Annex2Value(service_id=service_id, year=year, scope=scope, indicator=code)
        session.add(entry)
    entry.normative, entry.target = normative, target
    entry.value = None if code in MEASURED else value
    entry.entered_by, entry.entered_at = user.username, now
    return entry
