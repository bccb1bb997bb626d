"""Normalise what visitors type for the directory search: invisible characters, case, letters, endings, phones.

Every word becomes one or more *keys* in a coarse Latin spelling that Kazakh Cyrillic, Russian
Cyrillic, the Kazakh Latin alphabet of 2021 and the usual Russian-style Latin spellings share:
"Қордай", "кордай", "Qordai" and "Korday" all give "kordai"; "Мойынқұм", "Moiynqūm" and "Moyynkum"
all give "moinkum". Word endings are cut off by the Snowball Russian stemmer and by a short table of
Kazakh case and possessive endings, so "Достоевского" and "ауданының" find "Достоевский" and "аудан".
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

# Characters nobody sees that break a word in two: every "format" character of Unicode (category Cf:
# zero-width space and joiners, soft hyphen, byte order mark, word joiner, bidirectional marks, tags;
# a test checks the list against the running Python's Unicode), plus the combining grapheme joiner
# and the variation selectors.
_INVISIBLE = re.compile(
    "[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
    "\u034f\ufe00-\ufe0f]"
)

# Kazakh letters to the Russian ones a Russian keyboard types instead (and ё to е).
_KAZAKH_TO_RUSSIAN = str.maketrans({
    "қ": "к", "ө": "о", "ұ": "у", "ү": "у", "і": "и", "ғ": "г", "ң": "н", "ә": "а", "һ": "х", "ё": "е",
})
# Folded Cyrillic to the coarse Latin key: vowels that Latin spellings confuse share one letter
# (и, й, ы, і -> i), as do the letters that differ only between Kazakh and Russian. A sound Latin
# writes with two letters is one letter of the key (ш -> ş, ч -> ç, ц -> c), so one wrong letter
# stays one edit ("Тараш" is one letter from "Тараз").
_CYRILLIC_KEY = str.maketrans({
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "j", "з": "z", "и": "i",
    "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s",
    "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "c", "ч": "ç", "ш": "ş", "щ": "ş", "ъ": "",
    "ы": "i", "ь": "", "э": "e", "ю": "iu", "я": "ia",
})
# Latin letters with marks, from the Kazakh Latin alphabet of 2021 (Ä Ğ I/ı İ Ñ Ö Ş Ū Ü) and the
# 2017-2018 drafts (Á Ǵ Ń Ó Ú Ý, apostrophes), to the coarse key.
_LATIN_MARKS = str.maketrans({
    "ä": "a", "á": "a", "ğ": "g", "ǵ": "g", "ı": "i", "ñ": "n", "ń": "n", "ö": "o", "ó": "o",
    "ū": "u", "ü": "u", "ú": "u", "ý": "u", "é": "e", "'": "", "ʼ": "", "’": "",
})
# Digraphs of the Russian-style (BGN, passport) Latin spellings, longest first.
_LATIN_DIGRAPHS = (("shch", "\x02"), ("sch", "\x02"), ("sh", "\x02"), ("ch", "\x01"), ("zh", "j"), ("kh", "h"),
                   ("yu", "iu"), ("ya", "ia"), ("yo", "io"))
_LATIN_LETTERS = str.maketrans({"y": "i", "q": "k", "w": "u", "x": "h"})

# Kazakh case, possessive and plural endings, folded to Russian letters (ның -> нын), longest first.
# From the Kazakh noun declension: genitive -ның/-нің/-дың/-дің/-тың/-тің, dative -ға/-ге/-қа/-ке/
# -на/-не, locative -да/-де/-та/-те/-нда/-нде, ablative -дан/-ден/-тан/-тен/-нан/-нен, accusative
# -ны/-ні/-ды/-ді/-ты/-ті, instrumental -мен/-бен/-пен, possessive -ы/-і/-сы/-сі, plural -лар/-лер/...
KAZAKH_ENDINGS = tuple(sorted({
    "нын", "нин", "дын", "дин", "тын", "тин", "ынын", "инин",
    "га", "ге", "ка", "ке", "на", "не", "ына", "ине", "сына", "сине",
    "да", "де", "та", "те", "нда", "нде", "ында", "инде",
    "дан", "ден", "тан", "тен", "нан", "нен", "ынан", "инен",
    "ны", "ни", "ды", "ди", "ты", "ти", "ын", "ин",
    "мен", "бен", "пен",
    "сы", "си", "ы", "и",
    "лар", "лер", "дар", "дер", "тар", "тер",
}, key=len, reverse=True))
MIN_STEM = 3

_RUSSIAN = snowballstemmer.stemmer("russian")
_WORD = re.compile(r"[^\W_]+")
_LETTERS_OR_DIGITS = re.compile(r"[^\W\d_]+|\d+")
_CYRILLIC = re.compile(r"[а-я]")
_REPEATS = re.compile(r"(.)\1+")


def visible(text: str) -> str:
    """The text in NFKC form without invisible characters (a zero-width space inside a word joins it)."""
    return _INVISIBLE.sub("", unicodedata.normalize("NFKC", text or ""))


def fold(text: str) -> str:
    """Visible, case-folded text with Kazakh letters as the Russian ones and spaces collapsed."""
    text = text or ""
    for _ in range(8):  # NFKC and casefold can each expose work for the other; stop when stable
        folded = " ".join(visible(text).casefold().translate(_KAZAKH_TO_RUSSIAN).split())
        if folded == text:
            break
        text = folded
    return text


def words(text: str) -> list[str]:
    """The folded words of a text: punctuation is a space, letters and digits are separate words."""
    found: list[str] = []
    for word in _WORD.findall(fold(text)):
        found += _LETTERS_OR_DIGITS.findall(word)
    return found


def _latin_key(word: str) -> str:
    word = unicodedata.normalize("NFC", word).translate(_LATIN_MARKS).replace("i̇", "i")
    word = word.replace("ş", "\x02").replace("ç", "\x01")
    word = "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))
    for digraph, key in _LATIN_DIGRAPHS:
        word = word.replace(digraph, key)
    word = word.replace("ts", "c").translate(_LATIN_LETTERS)
    return word.replace("\x01", "ç").replace("\x02", "ş")


@lru_cache(maxsize=65536)
def key(word: str) -> str:
    """A folded word's coarse Latin key: Cyrillic or Latin, Kazakh or Russian spelling, doubled letters once."""
    if word.isdigit():
        return word
    word = word.translate(_CYRILLIC_KEY) if _CYRILLIC.search(word) else _latin_key(word)
    return _REPEATS.sub(r"\1", word)


def kazakh_stem(word: str) -> str:
    """A folded word without one or two Kazakh endings (ауданынын -> аудан), never shorter than 3 letters."""
    for _ in range(2):
        for ending in KAZAKH_ENDINGS:
            if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM:
                word = word[: -len(ending)]
                break
        else:
            break
    return word


@lru_cache(maxsize=65536)
def variants(word: str) -> tuple[str, ...]:
    """The keys of a folded word: as written, then (Cyrillic only) its Russian stem, then its Kazakh stem."""
    if not _CYRILLIC.search(word):
        return (key(word),)
    russian = _RUSSIAN.stemWord(word)
    return key(word), key(russian if len(russian) >= MIN_STEM else word), key(kazakh_stem(word))


_PHONE_RUN = re.compile(r"\+?\d[\d\s\-‐‑–—().]*\d")


def phone_digits(text: str) -> list[str]:
    """Runs of at least five digits written as a phone number (spaces, dashes, brackets, dots, a +)."""
    found = []
    for run in _PHONE_RUN.findall(visible(text)):
        digits = re.sub(r"\D", "", run)
        if len(digits) >= 5:
            found.append(national(digits))
    return found


def national(digits: str) -> str:
    """A Kazakh number's national digits: 8 7262 ..., +7 7262 ... and 7 7262 ... lose their 8 or 7."""
    if len(digits) == 11 and digits[0] in "78":
        return digits[1:]
    if len(digits) == 12 and digits.startswith("87"):  # "8 +7 ..." typed by habit
        return digits[2:]
    return digits
