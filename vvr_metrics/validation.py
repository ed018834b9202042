"""Problems found in uploads, and the checks that are not about one cell.

A ``Problem`` names the file, sheet, row and column and reads in Finnish or English.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .i18n import t

ERROR = "error"  # the row is rejected
WARNING = "warning"  # stored, but the user should know
BLOCKER = "blocker"  # nothing from the file can be stored


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
        return t(self.code, lang, **dict(self.params))

    def line(self, lang: str = "fi") -> str:
        """``file: sheet, row N, column C: message`` on one line."""
        parts = [p for p in (self.sheet,) if p]
        if self.row is not None:
            parts.append(t("loc_row", lang, row=self.row))
        if self.column:
            parts.append(t("loc_column", lang, column=self.column))
        where = ", ".join(parts)
        return f"{self.file}: {where}: {self.message(lang)}" if where else f"{self.file}: {self.message(lang)}"


class CellError(ValueError):
    """A cell value that does not parse; carries the message code and its parameters."""

    def __init__(self, code: str, **params: object):
        super().__init__(code)
        self.code = code
        self.params = params


# Anything shaped like a Finnish personal identity code: DDMMYY, a century sign (or any dash, as
# word processors turn "-" into "‐" or "–"), three digits and a check character. The check character
# is not verified: a typo of a real code is still personal data. Letters glued on ("HETU131052-308T")
# do not hide it; only a digit right before it does (then it is part of a longer number).
_HETU = re.compile(r"(?<![0-9])([0-3][0-9])([01][0-9])([0-9]{2})([-+A-FU-Y\u2010-\u2015\u2212])([0-9]{3})([0-9A-Y])")

_HETU_ANY_CASE = re.compile(_HETU.pattern, re.I)


def find_hetu(text: str) -> str | None:
    """The birth-date part (``131052``) of the first henkilötunnus-like code in ``text``, or None."""
    if len(text) < 11:
        return None
    for m in _HETU.finditer(text.upper()):
        day, month = int(m.group(1)), int(m.group(2))
        if 1 <= day <= 31 and 1 <= month <= 12:
            return m.group(1) + m.group(2) + m.group(3)
    return None


def mask_hetu(text: str) -> str:
    """``text`` with every identity-code-like part cut to its birth date (``131052…``)."""
    return _HETU_ANY_CASE.sub(lambda m: m.group(1) + m.group(2) + m.group(3) + "…", text)


def business_id_valid(digits: str, check: str) -> bool:
    """The check digit rule of the Finnish business ID (Y-tunnus)."""
    weights = (7, 9, 10, 5, 8, 4, 2)
    remainder = sum(int(d) * w for d, w in zip(digits, weights)) % 11
    if remainder == 1:
        return False
    expected = 0 if remainder == 0 else 11 - remainder
    return int(check) == expected
