"""Problems found in uploads, and the checks that are not about one cell.

A ``Problem`` names the file, sheet, row and column and reads in Finnish or English.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from .i18n import t

ERROR = "error"  # the row is rejected
WARNING = "warning"  # stored, but the user should know
BLOCKER = "blocker"  # nothing from the file can be stored


_PLAIN = set("–—‘’“”…€−×·•")


def visible(text: str) -> str:
    """``text`` as a message shows it: a character a reader could not see or tell apart from another (a
    zero-width space, a non-breaking space, a Cyrillic "е" in "Hеinola") is written as its code, ``\\u0435``."""
    out = []
    for ch in text:
        plain = (
            (ch.isascii() and ch.isprintable())
            or unicodedata.category(ch) == "Cc"  # control characters: each output escapes them its own way (⏎)
            or ("\u00a1" <= ch <= "\u00ff" and ch != "\u00ad")
            or ch in _PLAIN
            or (unicodedata.category(ch).startswith("L") and "LATIN" in unicodedata.name(ch, ""))
        )
        out.append(ch if plain else f"\\u{ord(ch):04x}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08x}")
    return "".join(out)


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or worth knowing) about an upload, with its location."""

    file: str
    sheet: str | None
    row: int | None
    column: str | None
    code: str
    params: tuple[tuple[str, object], ...] = ()
    severity: str = ERROR

    def message(self, lang: str = "fi") -> str:
        return t(self.code, lang, **{k: visible(v) if isinstance(v, str) else v for k, v in self.params})

    def line(self, lang: str = "fi") -> str:
        """``file: sheet, row N, column C: message`` on one line."""
        parts = [visible(p) for p in (self.sheet,) if p]
        if self.row is not None:
            parts.append(t("loc_row", lang, row=self.row))
        if self.column:
            parts.append(t("loc_column", lang, column=self.column))
        where = ", ".join(parts)
        file = visible(self.file)
        return f"{file}: {where}: {self.message(lang)}" if where else f"{file}: {self.message(lang)}"


class CellError(ValueError):
    """A cell value that does not parse; carries the message code and its parameters."""

    def __init__(self, code: str, **params: object):
        super().__init__(code)
        self.code = code
        self.params = params


# Anything shaped like a Finnish personal identity code: DDMMYY, a century sign (or any dash or space, as word
# processors turn "-" into "‐" or "–" and people type "131052 308T"), three digits and a check character. It is
# matched on the text as a reader sees it: format characters (soft hyphen, zero-width space, word joiner) taken
# out, compatibility forms (full-width, small) folded, every Unicode digit read as a digit, every dash as "-" and
# every space as " ". The check character is not verified: a typo of a real code is still personal data. Letters
# glued on ("HETU131052-308T") do not hide it; only a digit right before it does (then it is a longer number).
_HETU = re.compile(r"(?<![0-9])([0-3][0-9])([01][0-9])([0-9]{2}) *([-+A-FU-Y]| ) *([0-9]{3})([0-9A-Y])", re.I)


@functools.lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str | None:
    """One character as a reader sees it (see above): None for an invisible one."""
    category = unicodedata.category(ch)
    if category == "Cf":
        return None
    if category == "Nd":
        return str(unicodedata.digit(ch))
    if category == "Pd" or ch == "\u2212":
        return "-"
    if category == "Zs":
        return " "
    folded = unicodedata.normalize("NFKC", ch)
    return folded if folded != ch and len(folded) == 1 and folded.isascii() else ch  # full-width letters


def _folded(text: str) -> str:
    """``text`` folded; only its own non-ASCII characters are looked up (a sheet has a handful: ä, ö, €)."""
    if text.isascii():
        return text
    return text.translate({ord(c): _fold_char(c) for c in set(text) if not c.isascii()})


def _matches(folded: str):
    for m in _HETU.finditer(folded):
        if 1 <= int(m.group(1)) <= 31 and 1 <= int(m.group(2)) <= 12:
            yield m


def find_hetu(text: str) -> str | None:
    """The birth-date part (``131052``) of the first henkilötunnus-like code in ``text``, or None."""
    if len(text) < 11:
        return None
    m = next(_matches(_folded(text)), None)
    return m.group(1) + m.group(2) + m.group(3) if m else None


def mask_hetu(text: str) -> str:
    """``text`` with every identity-code-like part cut to its birth date (``131052…``)."""
    if find_hetu(text) is None:
        return text
    folded, where = [], []  # the folded text, and where each of its characters came from
    for i, ch in enumerate(text):
        mapped = ch if ch.isascii() else _fold_char(ch)
        if mapped is not None:
            folded.append(mapped)
            where.append(i)
    out, last = [], 0
    for m in _matches("".join(folded)):
        out += [text[last : where[m.end(3) - 1] + 1], "…"]
        last = where[m.end() - 1] + 1
    return "".join(out) + text[last:]


def business_id_valid(digits: str, check: str) -> bool:
    """The check digit rule of the Finnish business ID (Y-tunnus)."""
    weights = (7, 9, 10, 5, 8, 4, 2)
    remainder = sum(int(d) * w for d, w in zip(digits, weights)) % 11
    if remainder == 1:
        return False
    expected = 0 if remainder == 0 else 11 - remainder
    return int(check) == expected
