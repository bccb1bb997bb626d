"""Finding English words in what a Kazakh or Russian reader is shown: pages, forms' errors, exports, tickets.

General on purpose: pages come from the app's URL map and the links on its pages, so a page added
tomorrow is read too; the allowlist holds only names and codes, never sentences.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

# Names and codes a Kazakh or Russian page may show in Latin letters. Keep it short: a word is allowed
# here because it is a name or a code in every language, never because a translation is missing.
ALLOWED = {
    "kezek",                                        # the product
    "asia", "almaty",                               # the time zone's name, Asia/Almaty
    "csv", "xlsx", "json", "excel", "qr", "esc", "pos", "usb", "tcp", "cups", "url",  # formats, programs, protocols
    "python", "escpos",                             # the printer library whose model names the form asks for
    "google", "authenticator", "freeotp", "aegis",  # authenticator apps the two-factor page names
    "aa",                                           # the kiosk's larger-text button shows the letters Aa
}
# Text inside these elements is code, not words (keys, URLs, printer profiles).
CODE_TAGS = {"code", "kbd", "samp", "script", "style", "template", "noscript", "svg"}
SPOKEN_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")
# Links, e-mail addresses, paths, and the {placeholders} a script fills in.
LINK = re.compile(r"[a-z][a-z0-9+.-]*://\S*|www\.\S+|\S+@\S+|(?<![\w])/[\w/.?=&%-]+|\{\w+\}", re.I)
TOKEN = re.compile(r"[^\W\d_](?:[\w'’-]*[^\W_])?")
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]")


def english_words(text: str, allowed: set[str] = frozenset()) -> list[str]:
    """The Latin-letter words in `text` that are neither names nor codes (links and e-mail addresses dropped)."""
    text = LINK.sub(" ", text)
    found = []
    for token in TOKEN.findall(text):
        if not LATIN_WORD.fullmatch(token):
            continue  # Cyrillic, mixed with digits (B-007, TM-T20II) or a single letter
        if all(part.lower() in ALLOWED or part in allowed or part.lower() in allowed
               for part in re.split(r"[-'’]", token) if part):
            continue
        found.append(token)
    return found


class PageText(HTMLParser):
    """The words a reader of the page meets: text, titles, placeholders, button labels, and the messages
    the page's scripts show (data-* attributes); not code, and not parts marked as in another language."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self, lang: str):
        super().__init__(convert_charrefs=True)
        self.lang = lang
        self.stack: list[tuple[str, bool]] = []  # (tag, hidden from this check)
        self.parts: list[str] = []

    def _skipping(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        skip = self._skipping() or tag in CODE_TAGS or (
            attributes.get("lang") not in (None, "", self.lang) and tag != "html")
        if not skip:
            for name in SPOKEN_ATTRIBUTES:
                if attributes.get(name):
                    self.parts.append(attributes[name])
            if tag == "input" and attributes.get("type") in ("submit", "button", "reset") and attributes.get("value"):
                self.parts.append(attributes["value"])
            for name, value in attributes.items():
                # Messages a script shows later; ids, URLs and JSON are not words.
                if name.startswith("data-") and value and " " in value and not value.lstrip().startswith(("{", "[")):
                    self.parts.append(value)
        if tag not in self.VOID:
            self.stack.append((tag, skip))

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        if not self._skipping() and data.strip():
            self.parts.append(data)


def page_words(html: str, lang: str, allowed: set[str] = frozenset()) -> list[str]:
    """English words on an HTML page in `lang`."""
    parser = PageText(lang)
    parser.feed(html)
    parser.close()
    return english_words("\n".join(parser.parts), allowed)


class Forms(HTMLParser):
    """The POST forms of a page: action and fields (name, type, value, options)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self.current: dict | None = None
        self.select: dict | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self.current = {"action": attributes.get("action") or "", "method": (attributes.get("method") or "get").lower(),
                            "fields": []}
            self.forms.append(self.current)
        elif self.current is not None and tag in ("input", "textarea", "select") and attributes.get("name"):
            field = {"name": attributes["name"], "tag": tag, "type": (attributes.get("type") or "text").lower(),
                     "value": attributes.get("value") or "", "options": []}
            self.current["fields"].append(field)
            if tag == "select":
                self.select = field
        elif tag == "option" and self.select is not None:
            self.select["options"].append(attributes.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None


def post_forms(html: str) -> list[dict]:
    """The page's POST forms."""
    parser = Forms()
    parser.feed(html)
    parser.close()
    return [form for form in parser.forms if form["method"] == "post"]


def wrong_values(form: dict) -> dict[str, str]:
    """What a careless user might send: letters in numbers, an impossible date, empty text, an unknown choice;
    the form's hidden fields (the CSRF token among them) are kept."""
    data: dict[str, str] = {}
    for field in form["fields"]:
        kind = field["type"] if field["tag"] == "input" else field["tag"]
        if kind == "hidden":
            data[field["name"]] = field["value"]
        elif kind in ("number", "range"):
            data[field["name"]] = "abc"
        elif kind in ("date", "datetime-local", "month", "week"):
            data[field["name"]] = "2026-02-31"
        elif kind == "time":
            data[field["name"]] = "25:61"
        elif kind == "email":
            data[field["name"]] = "not an address"
        elif kind == "select":
            data[field["name"]] = "999999"
        elif kind in ("checkbox", "radio", "submit", "button", "file"):
            continue
        else:
            data[field["name"]] = ""
    return data


LINK_HREF = re.compile(r'<a\b[^>]*\bhref="([^"#]+)"', re.I)


def links(html: str) -> list[str]:
    """The same-site links of a page."""
    return [href.replace("&amp;", "&") for href in LINK_HREF.findall(html) if href.startswith("/") and not href.startswith("//")]
