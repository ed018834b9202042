"""The gettext catalogues: complete in every language, every message used, every message the code asks for
present, plurals and CLDR formats right."""

import ast
import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from vvr_metrics import i18n
from vvr_metrics.formatting import fi_date, fi_number
from vvr_metrics.i18n import LANGS, catalogue, cli, t, ui

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [*sorted((ROOT / "vvr_metrics").glob("*.py")), *sorted((ROOT / "pages").glob("*.py")), ROOT / "dashboard.py"]
LOOKUPS = {"ui": "ui", "t": "message", "cli": "cli", "_say": "cli", "label": "chart", "chart_label": "chart"}


def messages(lang: str) -> dict[tuple[str, str], tuple[str, ...]]:
    """(context, key) -> the message's forms (one, or one per plural form)."""
    out = {}
    for m in catalogue(lang):
        if not m.id:
            continue
        key = m.id[0] if m.pluralizable else m.id
        out[(m.context, key)] = tuple(m.string) if m.pluralizable else (m.string,)
    return out


def placeholders(text: str) -> set[str]:
    return set(re.findall(r"\{(\w+)\}", text))


def test_finnish_is_the_default_and_both_languages_are_there():
    assert LANGS[:2] == ("fi", "en")


@pytest.mark.parametrize("lang", LANGS)
def test_no_message_is_declared_twice(lang):
    """gettext keeps one of two entries with the same context and key, silently: "group_axis" once named both
    the comparison group's radio choice and the group itself."""
    po = (i18n.LOCALES / lang / "LC_MESSAGES" / "vvr.po").read_text(encoding="utf-8")
    pairs = re.findall(r'^msgctxt "(.*)"\nmsgid "(.*)"$', po, flags=re.M)
    assert len(pairs) == len(set(pairs)) == len(catalogue(lang))  # every message has a context


@pytest.mark.parametrize("lang", LANGS[1:])
def test_every_language_has_every_message_with_the_same_placeholders(lang):
    default, other = messages("fi"), messages(lang)
    assert set(other) == set(default), set(other) ^ set(default)
    for key, forms in default.items():
        assert all(f.strip() for f in other[key]), key  # nothing empty (gettext would show the key)
        assert len(other[key]) == len(forms), key
        assert {p for f in other[key] for p in placeholders(f)} == {p for f in forms for p in placeholders(f)}, key


def test_every_message_is_used_and_every_message_asked_for_exists():
    constants, prefixes, asked = set(), set(), set()
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                constants.add(node.value)
            elif isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
                prefixes.add(str(node.values[0].value))  # f"status_{s}": every key that starts so may be asked
            if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
                name = getattr(node.func, "id", getattr(node.func, "attr", ""))
                if name in LOOKUPS and isinstance(node.args[0].value, str):
                    asked.add((LOOKUPS[name], node.args[0].value))
                elif name == "text" and len(node.args) > 1 and isinstance(node.args[1], ast.Constant):
                    asked.add((node.args[0].value, node.args[1].value))
    prefixes = {p for p in prefixes if len(p) >= 3 and p[-1] in "_."}
    known = set(messages("fi"))
    unused = sorted(
        (ctx, key) for ctx, key in known if key not in constants and not any(key.startswith(p) for p in prefixes)
    )
    assert unused == []
    assert sorted(asked - known) == []


def test_plurals_follow_the_count():
    assert ui("drill_count", "fi", n=1) == "1 lähderivi"
    assert ui("drill_count", "fi", n=2) == "2 lähderiviä"
    assert ui("drill_count", "en", n=1) == "1 source record"
    assert ui("drill_count", "en", n=0) == "0 source records"
    assert ui("has_rejected", "fi", n=1).startswith("1 rivi hylätään.")
    assert t("hidden_rows", "en", n=1) == "The sheet has 1 hidden or filtered row. It was read too."
    assert cli("stored", "fi", source="hartola", version=3, n=21) == "Tallennettu: hartola versio 3, 21 riviä"


def test_numbers_and_dates_in_each_languages_cldr_format():
    nbsp = "\u00a0"
    assert fi_number(1421) == f"1{nbsp}421"
    assert fi_number(766613, unit="€") == f"766{nbsp}613{nbsp}€"
    assert fi_number(12.5, 1, "%") == f"12,5{nbsp}%"
    assert fi_date(dt.date(2011, 4, 1)) == "1.4.2011"
    assert fi_number(613288, unit="€", lang="en") == f"613,288{nbsp}€"
    assert fi_number(120, 1, "%", lang="en") == "120.0%"
    assert fi_date(dt.date(2011, 4, 1), "en") == "2011-04-01"


def test_a_new_language_is_a_new_po_file(tmp_path, monkeypatch):
    """Swedish as a third language: a copy of the English catalogue with a few messages in Swedish, its own date
    pattern, and the translation of one vocabulary value (keyed by the Finnish text). Nothing else changes."""
    from vvr_metrics import catalogue as indicators
    from vvr_metrics import formatting

    shutil.copytree(i18n.LOCALES, tmp_path / "locale")
    swedish = tmp_path / "locale" / "sv" / "LC_MESSAGES"
    swedish.mkdir(parents=True)
    po = (i18n.LOCALES / "en" / "LC_MESSAGES" / "vvr.po").read_text(encoding="utf-8")
    po = po.replace('"Language: en\\n"', '"Language: sv\\n"')
    po = po.replace('msgid "total"\nmsgstr "Total"', 'msgid "total"\nmsgstr "Totalt"')
    po = po.replace('msgid "date"\nmsgstr "yyyy-MM-dd"', 'msgid "date"\nmsgstr "d/M y"')
    po = po.replace('msgid "language"\nmsgstr "English"', 'msgid "language"\nmsgstr "Svenska"')
    po += '\nmsgctxt "data"\nmsgid "Koulutus"\nmsgstr "Utbildning"\n'
    (swedish / "vvr.po").write_text(po, encoding="utf-8")

    monkeypatch.setattr(i18n, "LOCALES", tmp_path / "locale")
    monkeypatch.setattr(i18n, "LANGS", i18n._languages(tmp_path / "locale"))
    for cached in (i18n.catalogue, i18n._translations, i18n.keys, formatting._locale):
        cached.cache_clear()
    try:
        assert i18n.LANGS == ("fi", "en", "sv")
        assert i18n.language_name("sv") == "Svenska"
        assert ui("total", "sv") == "Totalt" and ui("drill_count", "sv", n=2) == "2 source records"
        assert formatting.category_label("measure", "Koulutus", "sv") == "Utbildning"
        assert indicators.BY_CODE["uudet_tyopaikat"].name("sv") == "New jobs"  # not translated yet: English
        assert fi_date(dt.date(2011, 4, 1), "sv") == "1/4 2011"
        assert fi_number(1421.5, 1, "%", "sv") == "1\u00a0421,5\u00a0%"  # CLDR sv
    finally:
        for cached in (i18n.catalogue, i18n._translations, i18n.keys, formatting._locale):
            cached.cache_clear()
