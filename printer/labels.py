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


# The wait as a visitor reads it, on screen and on paper alike (`wait_text`).
WAIT_WORDS: dict[str, dict[str, str]] = {
    "none": {"kk": "күтусіз", "ru": "без ожидания", "en": "no wait"},
    "up_to": {"kk": "{high} минутқа дейін", "ru": "до {high} мин", "en": "up to {high} min"},
    "range": {"kk": "{low}–{high} минут", "ru": "{low}–{high} мин", "en": "{low}–{high} min"},
    "about": {"kk": "шамамен {high} минут", "ru": "около {high} мин", "en": "about {high} min"},
    "closed": {"kk": "кеңсе ашылғаннан кейін", "ru": "после открытия", "en": "after the office opens"},
}


def wait_form(low: int, high: int, ahead: int, open_now: bool = True) -> str:
    """How to word a wait: "closed", "none" (nobody ahead, served at once), "up_to", "about" or "range".

    "No wait" only when the office receives visitors and nobody is ahead: with someone ahead the
    wait is at least "up to 1 min", whatever the projection rounds it to.
    """
    if not open_now:
        return "closed"
    if ahead <= 0 and high <= 1:
        return "none"
    if low <= 0:
        return "up_to"
    return "about" if low >= high else "range"


def wait_text(lang: str, low: int, high: int, ahead: int, open_now: bool = True) -> str:
    """The estimated wait in `lang` (kk, ru or en), as the kiosk's screen and the paper ticket say it."""
    form = wait_form(low, high, ahead, open_now)
    return WAIT_WORDS[form][lang].format(low=low, high=max(high, 1))
