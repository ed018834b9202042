"""Translations: every user-facing text, from gettext catalogues (``locale/<lang>/LC_MESSAGES/vvr.po``).

A message is keyed by its context and a key: ``message`` (problems found in uploads), ``cli`` (command-line
output), ``chart`` (legends and axes), ``ui`` (the dashboard) and ``format`` (the language's date pattern and its
own name). A message with a count has plural forms, chosen by the catalogue's plural rule on the ``n`` given.
The languages are the catalogues there are: Finnish first (the default), then the others by code; a new
language is a new ``.po`` file.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import math
from pathlib import Path

import pandas as pd
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LOCALES = Path(__file__).with_name("locale")
DOMAIN = "vvr"
DEFAULT = "fi"


def _languages(root: Path = LOCALES) -> tuple[str, ...]:
    """The languages with a catalogue under ``root``: the default first, then the others by code."""
    found = sorted(p.parent.parent.name for p in root.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    return tuple(sorted(found, key=lambda code: code != DEFAULT))


LANGS = _languages()


@functools.cache
def catalogue(lang: str):
    """The Babel catalogue of ``lang`` as written in its ``.po`` file (for checks: every key, its plural forms)."""
    with (LOCALES / lang / "LC_MESSAGES" / f"{DOMAIN}.po").open("rb") as f:
        return read_po(f, locale=lang, domain=DOMAIN)


@functools.cache
def _translations(lang: str) -> Translations:
    """The gettext translations of ``lang``, compiled in memory from its ``.po`` file (no build step)."""
    buf = io.BytesIO()
    write_mo(buf, catalogue(lang))
    buf.seek(0)
    return Translations(buf, domain=DOMAIN)


@functools.cache
def _plural(context: str, key: str) -> bool:
    message = catalogue(DEFAULT).get(key, context=context)
    return message is not None and message.pluralizable


def text(context: str, key: str, lang: str = DEFAULT, **params: object) -> str:
    """The message ``key`` of ``context`` in ``lang`` with ``params`` filled in; with plural forms, the form
    for ``params["n"]``. An unknown language falls back to Finnish."""
    tr = _translations(lang if lang in LANGS else DEFAULT)
    if _plural(context, key):
        out = tr.npgettext(context, key, f"{key}.plural", int(params["n"]))
    else:
        out = tr.pgettext(context, key)
    return out.format(**params) if params else out


def t(key: str, lang: str = DEFAULT, **params: object) -> str:
    """A problem found in an upload."""
    return text("message", key, lang, **params)


def cli(key: str, lang: str = DEFAULT, **params: object) -> str:
    """The command-line text ``key``."""
    return text("cli", key, lang, **params)


def chart_label(key: str, lang: str = DEFAULT) -> str:
    """A chart legend or axis label."""
    return text("chart", key, lang)


def ui(key: str, lang: str = DEFAULT, **params: object) -> str:
    """The dashboard label ``key``."""
    return text("ui", key, lang, **params)


def localized(fi: str, en: str, lang: str = DEFAULT) -> str:
    """A text that the workbook contract or the project's settings declare in Finnish and English (an
    indicator's name, a vocabulary's value, a sheet's name, the funder's acknowledgement): as declared in those
    two languages, and in any other from its catalogue's ``data`` context, keyed by the Finnish text (English
    when that catalogue has none). So a third language is its ``.po`` file alone."""
    if lang == DEFAULT or not fi:
        return fi
    if lang == "en":
        return en
    out = _translations(lang if lang in LANGS else DEFAULT).pgettext("data", fi)
    return en if out == fi else out


def language_name(lang: str) -> str:
    """The language's name in itself ("Suomi", "English"), for the language choice."""
    return text("format", "language", lang)


@functools.cache
def keys(context: str) -> frozenset[str]:
    """Every key of ``context`` in the default catalogue (asked per table row when labels are written: kept)."""
    return frozenset(m.id[0] if m.pluralizable else m.id for m in catalogue(DEFAULT) if m.id and m.context == context)


@functools.cache
def babel_locale(lang: str):
    """The CLDR locale of a language (Finnish for one without a catalogue)."""
    from babel import Locale

    return Locale.parse(lang if lang in LANGS else DEFAULT)


def fi_date(day: dt.date | None, lang: str = "fi") -> str:
    """A day in the language's pattern (its catalogue's ``format``/``date``): ``1.4.2011`` in Finnish,
    ``2011-04-01`` in English; missing → ``–``."""
    if day is None or day is pd.NA or (isinstance(day, float) and math.isnan(day)) or day is pd.NaT:
        return "–"
    from babel.dates import format_date

    return format_date(day, text("format", "date", lang), locale=babel_locale(lang))
