"""Where a sign-in may send the user afterwards: a path of this site, judged as a browser would read it."""
from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

# Browsers drop leading and trailing C0 controls and spaces from a URL, and every tab, CR and LF inside it
# (WHATWG URL standard), and read a backslash as a slash in http(s) URLs: "/\t/evil.example" and
# "/\\evil.example" both lead to //evil.example, another host.
_EDGES = "".join(chr(code) for code in range(0x21))
_DROPPED = re.compile(r"[\t\n\r]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# A target is checked again after each round of percent-decoding, so that an encoded form of a bypass
# (for a page or proxy that decodes once more) is refused too.
_ROUNDS = 3


def _as_browser_reads(target: str) -> str:
    return _DROPPED.sub("", target.strip(_EDGES)).replace("\\", "/")


def _stays_here(target: str) -> bool:
    read = _as_browser_reads(target)
    if not read.startswith("/") or read.startswith("//") or _CONTROL.search(read):
        return False
    parts = urlsplit(read)
    return not parts.scheme and not parts.netloc


def safe_next(target: str | None) -> str | None:
    """`target` as the browser will read it if it is a path of this site, else None."""
    if not target or len(target) > 2000:
        return None
    decoded = target
    for _round in range(_ROUNDS):
        if not _stays_here(decoded):
            return None
        decoded = unquote(decoded)
    if not _stays_here(decoded):
        return None
    return _as_browser_reads(target)
