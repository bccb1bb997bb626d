"""Fixed ticket wording in Kazakh, Russian and English (the printer has no Flask-Babel)."""

LABELS: dict[str, dict[str, str]] = {
    "your_number": {"kk": "Сіздің нөміріңіз", "ru": "Ваш номер", "en": "Your number"},
    "cabinet": {"kk": "№ {cabinet} кабинет", "ru": "Кабинет № {cabinet}", "en": "Cabinet {cabinet}"},
    "watch_board": {
        "kk": "Нөміріңізді таблодан қадағалаңыз",
        "ru": "Следите за номером на табло",
        "en": "Watch for your number on the board",
    },
    "issued": {"kk": "Берілген уақыты", "ru": "Время выдачи", "en": "Issued"},
    "people_ahead": {"kk": "Сіздің алдыңызда", "ru": "Перед вами", "en": "People ahead of you"},
    "estimate": {"kk": "Болжамды күту", "ru": "Примерное ожидание", "en": "Estimated wait"},
    "wait_limit": {
        "kk": "Күтудің ең ұзақ уақыты",
        "ru": "Предельное время ожидания",
        "en": "Longest wait allowed",
    },
    "minutes": {"kk": "мин", "ru": "мин", "en": "min"},
    "documents": {"kk": "Дайындап қойыңыз", "ru": "Подготовьте", "en": "Have ready"},
    "follow_qr": {
        "kk": "Кезекті телефоннан бақылаңыз",
        "ru": "Следите за очередью с телефона",
        "en": "Follow the queue on your phone",
    },
}


def label(key: str, lang: str, **values) -> str:
    """The label `key` in `lang`, with `{name}` placeholders filled from `values`."""
    return LABELS[key][lang].format(**values)


def minutes(lang: str, low: int, high: int | None = None) -> str:
    """A minute amount or range such as "10–20 мин"."""
    unit = LABELS["minutes"][lang]
    if high is None or high == low:
        return f"{low} {unit}"
    return f"{low}–{high} {unit}"
