"""The 11 districts of the Zhambyl region as the seed names them: slugs, names and area codes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class District:
    """A district (or the city of Taraz): stable slug, names, phone area code and seed spellings."""

    slug: str
    name_kk: str
    name_ru: str
    area_code: str
    stems: tuple[str, ...]
    latin: str


# Order is the order of annex 1 and annex 3 in the seed. Area codes are the ones the seed
# writes for each office; stems are the spellings the seed uses for the district in names.
DISTRICTS: tuple[District, ...] = (
    District("taraz", "Тараз қаласы", "город Тараз", "7262", ("Тараз",), "taraz"),
    District("baizak", "Байзақ ауданы", "Байзакский район", "72637", ("Байзақ",), "baizak"),
    District("merki", "Меркі ауданы", "Меркенский район", "72632", ("Меркі",), "merki"),
    District(
        "ryskulov",
        "Т. Рысқұлов ауданы",
        "район Турара Рыскулова",
        "72631",
        ("Рысқұлов",),
        "ryskulov",
    ),
    District("korday", "Қордай ауданы", "Кордайский район", "72636", ("Қордай",), "korday"),
    District("shu", "Шу ауданы", "Шуский район", "72638", ("Шу ",), "shu"),
    District("talas", "Талас ауданы", "Таласский район", "72644", ("Талас",), "talas"),
    District("sarysu", "Сарысу ауданы", "Сарысуский район", "72634", ("Сарысу",), "sarysu"),
    District("zhualy", "Жуалы ауданы", "Жуалынский район", "72635", ("Жуалы",), "zhualy"),
    District("zhambyl", "Жамбыл ауданы", "Жамбылский район", "72633", ("Жамбыл ",), "zhambyl"),
    District(
        "moiynkum",
        "Мойынқұм ауданы",
        "Мойынкумский район",
        "72642",
        ("Мойынқұм", "Мойнқұм"),
        "moiynkum",
    ),
)

REGION = District("region", "Жамбыл облысы", "Жамбылская область", "7262", (), "region")

BY_SLUG = {d.slug: d for d in DISTRICTS}

AREA_CODES = tuple(sorted({d.area_code for d in DISTRICTS}, key=len, reverse=True))

# Spellings of district names the seed uses besides the standard one.
SPELLING_VARIANTS = {"Мойнқұм": "Мойынқұм"}

# Words the seed spells with a Russian letter where Kazakh has its own.
SUSPECT_WORDS = {"Бейбитшілік": "Бейбітшілік"}


def district_for_name(name: str, number: int | None = None) -> District | None:
    """Return the district a row's name refers to, else the one at its annex number, else None."""
    padded = f"{name} "
    for district in DISTRICTS:
        if any(stem in padded for stem in district.stems):
            return district
    if number is not None and 1 <= number <= len(DISTRICTS):
        return DISTRICTS[number - 1]
    return None
