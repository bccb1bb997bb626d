"""Facts taken from resolution N 120 (2008) of the Zhambyl region akimat: offices and services."""
from __future__ import annotations

# (slug, Kazakh district as in annex 1, annex 1 cabinet, Russian district, English district)
DEPARTMENTS = [
    ("taraz", "Тараз қаласы", "201", "города Тараз", "Taraz city"),
    ("baizak", "Байзақ ауданы", "102", "Байзакского района", "Baizak district"),
    ("merki", "Меркі ауданы", "104", "Меркенского района", "Merki district"),
    ("ryskulov", "Т.Рысқұлов ауданы", "204", "района Т. Рыскулова", "T. Ryskulov district"),
    ("korday", "Қордай ауданы", "105", "Кордайского района", "Korday district"),
    ("shu", "Шу ауданы", "104", "Шуского района", "Shu district"),
    ("talas", "Талас ауданы", "106", "Таласского района", "Talas district"),
    ("sarysu", "Сарысу ауданы", "102", "Сарысуского района", "Sarysu district"),
    ("zhualy", "Жуалы ауданы", "105", "Жуалынского района", "Zhualy district"),
    ("zhambyl", "Жамбыл ауданы", "201", "Жамбылского района", "Zhambyl district"),
    ("moiynkum", "Мойынқұм ауданы", "103", "Мойынкумского района", "Moiynkum district"),
]

REGIONAL = {
    "slug": "region",
    "district": "region",
    "name_kk": "Жамбыл облысы әкімиятының жұмыспен қамтуды үйлестіру және әлеуметтік бағдарламалар басқармасы",
    "name_ru": "Управление координации занятости и социальных программ акимата Жамбылской области",
    "name_en": "Regional Department for Employment Coordination and Social Programmes, Zhambyl region",
}


def department_names(district_kk: str, district_ru: str, district_en: str) -> dict[str, str]:
    """The three names of a district department, as annex 1 names it in Kazakh."""
    genitive = district_kk if district_kk.endswith("қаласы") else district_kk.removesuffix("ы") + "ының"
    return {
        "name_kk": f"{genitive} әкімиятының жұмыспен қамту және әлеуметтік бағдарламалар бөлімі",
        "name_ru": f"Отдел занятости и социальных программ акимата {district_ru}",
        "name_en": f"Department of Employment and Social Programmes, {district_en} akimat",
    }


def _doc(kk: str, ru: str, en: str) -> dict[str, str]:
    return {"kk": kk, "ru": ru, "en": en}


# Standard 1 (targeted social assistance), items 7 and 12-14; standard 2 (certificate), items 7 and 12.
SERVICES = [
    {
        "code": "social_assistance",
        "name_kk": "Мемлекеттік атаулы әлеуметтік көмек тағайындау",
        "name_ru": "Назначение государственной адресной социальной помощи",
        "name_en": "Targeted social assistance",
        "service_term_days": 10,
        "visit_kinds": [
            {
                "kind": "hand_in", "prefix": "A", "wait_limit_minutes": 30, "default_service_minutes": 12,
                "name_kk": "Құжаттарды тапсыру", "name_ru": "Сдать документы", "name_en": "Hand in documents",
                "documents": [
                    _doc("Белгіленген үлгідегі өтініш", "Заявление установленного образца",
                         "Application in the set form"),
                    _doc("Отбасы құрамы туралы мәлімет", "Сведения о составе семьи",
                         "Statement of family composition"),
                    _doc("Отбасы мүшелерінің табыстары туралы мәлімет", "Сведения о доходах членов семьи",
                         "Statement of family members' income"),
                    _doc("Жеке шаруа қожалығының бар-жоқтығы туралы мәлімет",
                         "Сведения о наличии личного подсобного хозяйства",
                         "Statement on a personal subsidiary farm"),
                    _doc("Жеке куәлік пен әлеуметтік жеке код туралы куәлік (көрсету үшін)",
                         "Удостоверение личности и свидетельство о социальном индивидуальном коде (предъявить)",
                         "ID card and social individual code certificate (to show)"),
                ],
            },
            {
                "kind": "collect", "prefix": "B", "wait_limit_minutes": 10, "default_service_minutes": 4,
                "name_kk": "Хабарламаны алу", "name_ru": "Получить уведомление", "name_en": "Collect the notice",
                "documents": [],
            },
        ],
    },
    {
        "code": "unemployed_certificate",
        "name_kk": "Жұмыссыз азаматтарға анықтама беру",
        "name_ru": "Выдача справки безработным гражданам",
        "name_en": "Certificate for unemployed citizens",
        "service_term_days": 3,
        "visit_kinds": [
            {
                "kind": "hand_in", "prefix": "C", "wait_limit_minutes": 10, "default_service_minutes": 6,
                "name_kk": "Құжаттарды тапсыру", "name_ru": "Сдать документы", "name_en": "Hand in documents",
                "documents": [
                    _doc("Өтініш", "Заявление", "Application"),
                    _doc("Бөлім берген жұмыссыздық куәлігі", "Удостоверение безработного, выданное отделом",
                         "Unemployment card issued by the department"),
                ],
            },
            {
                "kind": "collect", "prefix": "D", "wait_limit_minutes": 10, "default_service_minutes": 3,
                "name_kk": "Анықтаманы алу", "name_ru": "Получить справку", "name_en": "Collect the certificate",
                "documents": [],
            },
        ],
    },
]
