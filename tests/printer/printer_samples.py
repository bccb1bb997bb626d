"""Sample tickets for printer tests and the benchmark."""
from datetime import datetime
from zoneinfo import ZoneInfo

from printer import TicketPrint

ALMATY = ZoneInfo("Asia/Almaty")


def sample_ticket(lang: str = "kk", **changes) -> TicketPrint:
    """A realistic hand-in ticket for targeted social assistance."""
    values = dict(
        office={
            "kk": "Жамбыл ауданының жұмыспен қамту және әлеуметтік бағдарламалар бөлімі",
            "ru": "Отдел занятости и социальных программ Жамбылского района",
            "en": "Zhambyl District Department of Employment and Social Programmes",
        },
        number="A-015",
        service={
            "kk": "Атаулы әлеуметтік көмек тағайындау",
            "ru": "Назначение адресной социальной помощи",
            "en": "Targeted social assistance",
        },
        visit_kind={"kk": "Құжат тапсыру", "ru": "Сдача документов", "en": "Hand in documents"},
        lang=lang,
        issued_local=datetime(2026, 11, 25, 14, 5, tzinfo=ALMATY),
        people_ahead=4,
        estimate_min=(10, 25),
        wait_limit_min=30,
        documents={
            "kk": ["Өтініш", "Отбасы құрамы туралы анықтама", "Отбасының табысы туралы мәліметтер",
                   "Жеке қосалқы шаруашылық туралы анықтама", "Жеке куәлік және әлеуметтік код"],
            "ru": ["Заявление", "Справка о составе семьи", "Сведения о доходах семьи",
                   "Справка о личном подсобном хозяйстве", "Удостоверение личности и социальный код"],
            "en": ["Application", "Family composition statement", "Family income statement",
                   "Personal subsidiary farm statement", "ID card and social code"],
        },
        status_url="http://kezek.local/t/7QK2M9XD",
        cabinet="3",
    )
    values.update(changes)
    return TicketPrint(**values)
