"""Cell parsers: one raw cell value in, one typed value out, or a ``CellError``.

Raw values are what the workbook reader gives: str, float, int, bool, date or datetime, with
blank cells as ``""``.
"""

from __future__ import annotations

import datetime as dt
import re

from . import workbook_format as wf
from .catalogue import find_indicator
from .i18n import fi_date
from .settings import ProjectSettings, fold
from .validation import CellError, business_id_valid

_EXCEL_EPOCH = dt.date(1899, 12, 30)
_DMY = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})\.?$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_MONTH = (
    (re.compile(r"^(\d{1,2})\s*/\s*(\d{4})$"), "mY"),
    (re.compile(r"^(\d{1,2})\.(\d{4})$"), "mY"),
    (re.compile(r"^(\d{4})-(\d{1,2})$"), "Ym"),
)
_YES = frozenset(fold(v) for v in wf.YES)
_NO = frozenset(fold(v) for v in wf.NO)
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def shown(value: object) -> str:
    """A raw value as the user would recognise it in a message."""
    if isinstance(value, dt.datetime):
        return fi_date(value.date()) if value.time() == dt.time() else f"{fi_date(value.date())} {value:%H:%M}"
    if isinstance(value, dt.date):
        return fi_date(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _serial(value: float) -> dt.date | None:
    if 1 <= value < 2958466 and float(value).is_integer():
        return _EXCEL_EPOCH + dt.timedelta(days=int(value))
    return None


def _text_date(text: str, month_ok: bool) -> dt.date | None:
    text = text.strip()
    # "2012-03-04 00:00:00" and "4.3.2012 0:00" as exported by some tools
    if " " in text and ":" in text:
        text = text.split()[0]
    try:
        if m := _DMY.match(text):
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        if m := _ISO.match(text):
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if text.isdigit() and len(text) == 5:
            return _serial(float(text))
        if month_ok:
            for pattern, order in _MONTH:
                if m := pattern.match(text):
                    a, b = int(m.group(1)), int(m.group(2))
                    month, year = (a, b) if order == "mY" else (b, a)
                    return dt.date(year, month, 1)
    except ValueError:
        return None
    return None


def parse_date(value: object, settings: ProjectSettings, today: dt.date, month_ok: bool = False) -> dt.date:
    """A day from an Excel date, a serial number or a text date; checked against the project period."""
    day: dt.date | None
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    elif isinstance(value, bool):
        day = None
    elif isinstance(value, (int, float)):
        day = _serial(float(value))
    elif isinstance(value, str):
        day = _text_date(value, month_ok)
    else:
        day = None
    if day is None:
        raise CellError("bad_month" if month_ok else "bad_date", value=shown(value))
    if not settings.start <= day <= settings.end:
        raise CellError(
            "date_outside_period", value=shown(value), start=fi_date(settings.start), end=fi_date(settings.end)
        )
    if day > today:
        raise CellError("date_in_future", value=shown(value), today=fi_date(today))
    return day


def parse_code(value: object) -> str | None:
    """An identifier as written: numbers lose a trailing ``.0`` but text keeps its leading zeros."""
    if is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.date, dt.datetime)):
        return shown(value)
    return str(value).strip()


_MARKS = {
    "fi": re.compile(r"[+-]?(?:\d{1,3}(?: \d{3})+|\d+)(?:,\d+)?"),  # 1 234,56 (the Finnish way)
    "dots": re.compile(r"[+-]?\d{1,3}(?:\.\d{3})+(?:,\d+)?"),  # 1.234,56 and 1.234.567
    "en": re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?"),  # 1,234.56 and 1,234,567
    "point": re.compile(r"[+-]?\d+\.\d+"),  # 1234.56
}


def _text_number(value: str, code: str, decimals: int | None) -> float:
    """A number written as text, read only when it is unambiguous (``decimals``: at most that many)."""
    text = _SPACES.sub(" ", value).replace("€", "").replace("\u2212", "-").strip()
    text = re.sub(r"(?i)\s*eur(oa)?$", "", text).strip()
    marks = ("fi", "dots", "en", "point")
    kind = next((k for k in marks if _MARKS[k].fullmatch(text)), None)
    if kind is None:
        raise CellError(code, value=shown(value))  # also exponents (1e3) and stray marks (12,3,4)
    whole, fraction = text, ""
    if kind in ("fi", "dots") and "," in text:
        whole, fraction = text.split(",")
    elif kind in ("en", "point") and "." in text:
        whole, fraction = text.split(".")
    digits = whole.replace(" ", "").replace(".", "").replace(",", "").lstrip("+-")
    sign = "-" if whole.startswith("-") else ""
    # one mark followed by exactly three digits, after one to three digits that could lead a thousands group:
    # 1.234 and 1,234 read as 1,234 or as 1 234
    lone = kind in ("fi", "point") and len(fraction) == 3 and " " not in whole and 1 <= len(digits) <= 3
    if (lone and digits[0] != "0") or (kind == "dots" and not fraction and text.count(".") == 1):
        if kind == "dots":
            digits, fraction = text.lstrip("+-").split(".")
        raise CellError(
            "ambiguous_number",
            value=shown(value),
            first=f"{sign}{digits},{fraction}",
            second=f"{sign}{digits} {fraction}",
        )
    if decimals is not None and len(fraction) > decimals:
        raise CellError("too_many_decimals", value=shown(value))
    return float(f"{sign}{digits}.{fraction or 0}")


def parse_number(
    value: object, code: str = "bad_number", allow_negative: bool = False, decimals: int | None = None
) -> float:
    """A number from a numeric cell or text such as ``1 234,56 €``, read only when it is unambiguous."""
    if isinstance(value, bool):
        raise CellError(code, value=shown(value))
    if isinstance(value, (int, float)):
        number = float(value)
        if number != number or number in (float("inf"), float("-inf")):
            raise CellError(code, value=shown(value))
    elif isinstance(value, str):
        number = _text_number(value, code, decimals)
    else:
        raise CellError(code, value=shown(value))
    if number < 0 and not allow_negative:
        raise CellError(code, value=shown(value))
    return number


def parse_euros(value: object) -> float:
    """Euros, rounded half-up to whole cents (a computed cell such as ``=1/3``); text has at most two decimals."""
    from decimal import ROUND_HALF_UP, Decimal

    number = parse_number(value, "bad_amount", allow_negative=True, decimals=2)
    return float(Decimal(repr(number)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def parse_count(value: object) -> int:
    if isinstance(value, str) and " " in _SPACES.sub(" ", value.strip()):
        raise CellError("bad_count", value=shown(value))  # "1 2" is no 12: digit groups are not read in counts
    number = parse_number(value, "bad_count")
    if not number.is_integer():
        raise CellError("bad_count", value=shown(value))
    return int(number)


def parse_yesno(value: object, default: bool) -> bool:
    if is_blank(value):
        return default
    if isinstance(value, bool):
        return value
    key = fold(shown(value))
    if key in _YES:
        return True
    if key in _NO:
        return False
    raise CellError("bad_yesno", value=shown(value))


def parse_gender(value: object) -> str | None:
    text = shown(value) if not is_blank(value) else ""
    if text in wf.UNKNOWN_GENDER:
        return None
    found = wf.GENDERS.lookup(text)
    if found is None:
        raise CellError("bad_gender", value=text)
    return found


def parse_municipality(value: object, settings: ProjectSettings) -> str:
    found = settings.municipality(shown(value))
    if found is None:
        raise CellError("bad_municipality", value=shown(value), allowed=", ".join(settings.municipalities))
    return found


def parse_choice(value: object, vocabulary: str) -> str:
    vocab = wf.VOCABULARIES[vocabulary]
    found = vocab.lookup(shown(value))
    if found is None:
        raise CellError("bad_choice", value=shown(value), allowed=", ".join(vocab.canonical))
    return found


_BUSINESS_ID = re.compile(r"^(\d{6,7})-(\d)$")


def parse_business_id(value: object) -> str:
    text = _SPACES.sub("", shown(value))
    m = _BUSINESS_ID.match(text)
    if not m:
        raise CellError("bad_business_id", value=shown(value))
    digits = m.group(1).zfill(7)
    if not business_id_valid(digits, m.group(2)):
        raise CellError("bad_business_id", value=shown(value))
    return f"{digits}-{m.group(2)}"


def parse_year(value: object, settings: ProjectSettings) -> int:
    years = f"{settings.start.year}–{settings.end.year}"
    try:
        number = parse_number(value, "bad_year")
    except CellError:
        raise CellError("bad_year", value=shown(value), years=years) from None
    if not number.is_integer() or int(number) not in settings.years:
        raise CellError("bad_year", value=shown(value), years=years)
    return int(number)


def parse_indicator(value: object) -> str:
    found = find_indicator(shown(value))
    if found is None:
        raise CellError("bad_indicator", value=shown(value))
    return found.code
