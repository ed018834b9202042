"""Finnish number and date formatting, and display tables for the pages."""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from . import catalogue
from . import workbook_format as wf
from .explore import TOTAL
from .i18n import babel_locale as _locale
from .i18n import fi_date, localized

NBSP = "\u00a0"

HEADER_KEYS = ("indicator", "municipality", "year", "month", "target", "target_women", "actual", "actual_women",
               "actual_men", "achieved")  # fmt: skip
NUMBER_HEADER_KEYS = ("month", "realised", "cumulative", "path", "forecast", "source", "amount", "eu_state", "public")


def headers(lang: str, context: str = "header") -> dict[str, str]:
    """A table's column headers in ``lang`` (the catalogue's ``header`` or ``number_header`` context)."""
    from .i18n import text

    keys = HEADER_KEYS if context == "header" else NUMBER_HEADER_KEYS
    return {key: text(context, key, lang) for key in keys}


_MARKDOWN = set("\\`*_{}[]()#+-.!|<>~$:")


def md_escape(text: str) -> str:
    """Uploaded text for a Streamlit element that renders Markdown: every special character escaped, so a
    note such as ``[x](javascript:alert(1))`` or ``<img src=x>`` shows as the plain text it is."""
    return "".join("\\" + ch if ch in _MARKDOWN else ch for ch in str(text))


def md_code(text: str) -> str:
    """Text shown verbatim inside Markdown as a code span: nothing in it is formatting, and an e-mail address is
    not turned into a link (escaping alone does not stop that)."""
    text = str(text).replace("\n", " ")
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    return f"{fence} {text} {fence}"


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def fi_number(value: object, decimals: int = 0, unit: str = "", lang: str = "fi") -> str:
    """A number in the language's CLDR format: ``1 421``, ``766 613 €``, ``12,5 %`` in Finnish; ``1,421``,
    ``613,288 €`` and ``120.0%`` in English. Euros follow the number, as in the funder's tables. Missing → ``–``."""
    if _missing(value):
        return "–"
    from babel.numbers import format_decimal

    locale = _locale(lang)
    # half up, as everywhere (babel alone rounds half to even: 12,25 % would show as 12,2 %); from the shortest
    # repr, so that 12.25 is 12.25 and not 12.2499999…
    exact = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = format_decimal(exact, format="#,##0" + ("." + "0" * decimals if decimals else ""), locale=locale)
    if unit == "%":  # where the language puts the sign, and with what space
        return f"{locale.percent_formats[None].prefix[0]}{text}{percent_sign(lang)}"
    return f"{text}{NBSP}{unit}" if unit else text


def percent_sign(lang: str) -> str:
    """What follows a percentage in the language: ``" %"`` (no-break space) in Finnish, ``"%"`` in English."""
    return _locale(lang).percent_formats[None].suffix[0]


def separators(lang: str) -> str:
    """The language's decimal and group symbols, as plotly's ``separators`` takes them (``", "`` in Finnish)."""
    from babel.numbers import get_decimal_symbol, get_group_symbol

    return get_decimal_symbol(_locale(lang)) + get_group_symbol(_locale(lang))


def format_value(value: object, code: str, lang: str = "fi") -> str:
    unit = "€" if catalogue.BY_CODE[code].unit == catalogue.EUR else ""
    return fi_number(value, 0, unit, lang)


def indicator_display(table: pd.DataFrame, lang: str = "fi") -> pd.DataFrame:
    """The planned-vs-realised table with names, Finnish numbers and % achieved, ready to show."""
    names = {i.code: i.name(lang) for i in catalogue.CATALOGUE}
    out = pd.DataFrame()
    h = headers(lang)
    out[h["indicator"]] = table["indicator"].map(names)
    for g in ("municipality", "year", "month"):
        if g in table.columns:
            out[h[g]] = table[g].astype("string").fillna("–")
    hidden = table.attrs.get("hidden", set())
    for col in ("target", "target_women", "actual", "actual_women", "actual_men"):
        out[h[col]] = [
            "x" if (i, col) in hidden else format_value(v, c, lang)
            for i, (v, c) in enumerate(zip(table[col], table["indicator"]))
        ]
    achieved = []
    for target, actual in zip(table["target"], table["actual"]):
        ok = not _missing(target) and not _missing(actual) and float(target) > 0
        achieved.append(fi_number(100 * float(actual) / float(target), 1, "%", lang) if ok else "–")
    out[h["achieved"]] = achieved
    return out


STATUS_BACKGROUND = {"ahead": "#d5efe6", "on_track": "#d6e6f3", "behind": "#f8dccb"}


def status_display(status: pd.DataFrame, lang: str = "fi"):
    """The overview table: the final-report columns, % achieved and the status in colour and word.

    Returns a pandas Styler (the status cell is coloured; the word and a symbol carry the same meaning).
    """
    from .i18n import ui

    out = indicator_display(status, lang)
    column = ui("status", lang)
    out[column] = [ui(f"status_{s}", lang) if isinstance(s, str) else "–" for s in status["status"]]
    colours = [STATUS_BACKGROUND.get(s, "") for s in status["status"]]
    return out.style.apply(lambda col: [f"background-color: {c}" if c else "" for c in colours], subset=[column])


def records_display(records: pd.DataFrame, lang: str = "fi") -> pd.DataFrame:
    """Source records with the workbook's own column names and Finnish dates."""
    from .i18n import ui

    names = {
        "file_name": ui("file", lang),
        "sheet": ui("sheet", lang),
        "source_row": ui("row", lang),
        "indicator": ui("dim_indicator", lang),
    }
    for sheet in wf.SHEETS:
        for column in sheet.columns:
            names.setdefault(column.field, localized(column.header_fi, column.header_en, lang))
    out = records.copy()
    for col in out.columns:
        if col == "day" or str(out[col].dtype).startswith("datetime"):
            out[col] = [fi_date(pd.Timestamp(d).date(), lang) if not _missing(d) else "" for d in out[col]]
        elif out[col].dtype == bool or str(out[col].dtype) == "boolean":
            out[col] = [("" if _missing(b) else ui("yes" if b else "no", lang)) for b in out[col]]
    if "indicator" in out.columns:
        out["indicator"] = out["indicator"].map(
            lambda c: catalogue.BY_CODE[c].name(lang) if c in catalogue.BY_CODE else c
        )
    return out.rename(columns=names).fillna("")


def preview_display(plan, lang: str = "fi") -> pd.DataFrame:
    """One row per sheet of an upload preview, numbers written the language's way."""
    from .i18n import ui

    return pd.DataFrame(
        [
            {
                ui("col_sheet", lang): s.sheet,
                **{
                    ui(key, lang): fi_number(value, lang=lang)
                    for key, value in (
                        ("col_rows", s.rows),
                        ("col_added", s.added),
                        ("col_removed", s.removed),
                        ("col_unchanged", s.unchanged),
                        ("col_rejected", s.rejected),
                        ("col_totals", s.totals_rows),
                    )
                },
            }
            for s in plan.sheets
        ],
        columns=[
            ui(k, lang)
            for k in (
                "col_sheet",
                "col_rows",
                "col_added",
                "col_removed",
                "col_unchanged",
                "col_rejected",
                "col_totals",
            )
        ],
    )


def change_display(change: pd.DataFrame, lang: str = "fi") -> pd.DataFrame:
    """Key indicators before and after an upload: name, now, after, change."""
    from .i18n import ui

    rows = []
    for rec in change.to_dict("records"):
        code = rec["indicator"]
        diff = rec["after"] - rec["before"]
        rows.append(
            {
                ui("dim_indicator", lang): catalogue.BY_CODE[code].name(lang),
                ui("now", lang): format_value(rec["before"], code, lang),
                ui("after", lang): format_value(rec["after"], code, lang),
                ui("difference", lang): ("+" if diff > 0 else "") + format_value(diff, code, lang) if diff else "–",
            }
        )
    return pd.DataFrame(rows)


def problems_display(problems, lang: str = "fi", limit: int = 500) -> pd.DataFrame:
    """Problems as a table: sheet, row, column and the message (– where a place does not apply)."""
    from .i18n import ui

    return pd.DataFrame(
        [
            {
                ui("file", lang): p.file,
                ui("sheet", lang): p.sheet or "–",
                ui("row", lang): fi_number(p.row, lang=lang) if p.row is not None else "–",
                ui("column_header", lang): p.column or "–",
                ui("message_header", lang): p.message(lang),
            }
            for p in list(problems)[:limit]
        ]
    )


def actor_display(actor: object, lang: str = "fi") -> str:
    """Who did it, in words: roles and the example data translated, ``cli:maija`` as "komentorivi (maija)"."""
    from .i18n import ui

    if _missing(actor) or actor == "":
        return "–"
    actor = str(actor)
    if actor in ("staff", "viewer", "admin"):
        return ui(f"role_{actor}", lang)
    if actor in ("example", "anonymous"):
        return ui(f"actor_{actor}", lang)
    if actor == "cli":
        return ui("actor_cli", lang)
    if actor.startswith("cli:"):
        return f"{ui('actor_cli', lang)} ({actor[4:]})"
    for role in ("staff", "viewer"):  # a named person: "<e-mail or name> (<role>)"
        if actor.endswith(f" ({role})"):
            return f"{actor[: -len(role) - 3]} ({ui(f'role_{role}', lang)})"
    return actor


def history_display(history: pd.DataFrame, lang: str = "fi") -> pd.DataFrame:
    from .i18n import ui

    return pd.DataFrame(
        {
            ui("h_source", lang): history["source"],
            ui("h_version", lang): [fi_number(x, lang=lang) for x in history["version"]],
            ui("h_at", lang): [f"{fi_date(t.date(), lang)} {t:%H:%M}" for t in history["uploaded_at"]],
            ui("h_by", lang): [actor_display(a, lang) for a in history["uploaded_by"]],
            ui("h_file", lang): history["file_name"].fillna("–"),
            ui("h_rows", lang): [fi_number(x, lang=lang) for x in history["rows_stored"]],
            ui("h_rejected", lang): [fi_number(x, lang=lang) for x in history["rows_rejected"]],
            ui("h_active", lang): [ui("yes", lang) if a else "–" for a in history["active"]],
        }
    )


def month_labels(frame: pd.DataFrame, column: str = "month") -> pd.DataFrame:
    """A copy with the month column written ``3/2012`` (also for an empty frame)."""
    months = pd.to_datetime(frame[column]) if len(frame) else frame[column]
    return frame.assign(**{column: [month_label(m) for m in months]})


def category_label(dim: str, value: str, lang: str = "fi") -> str:
    """A Tutki label as a reader of ``lang`` says it: the indicator's name, a month as 4/2011, and in English the
    vocabulary's English word ("Koulutus" → "Training", "EU ja valtio" → "EU and state"), Women/Men and Yes/No.
    Finnish keeps the workbook's own words (N/M, K/E)."""
    if value == TOTAL:
        from .i18n import ui

        return ui("total", lang)
    if dim == "indicator":
        return catalogue.BY_CODE[value].name(lang) if value in catalogue.BY_CODE else value
    if dim == "month" and re.fullmatch(r"\d{4}-\d{2}", value):  # 2011-04 sorts; 4/2011 is how it is read
        return month_label(dt.date(int(value[:4]), int(value[5:]), 1), lang)
    from .i18n import keys, text

    if dim == "gender" and f"gender.{value}" in keys("value"):
        return text("value", f"gender.{value}", lang)
    if dim in ("subsidised", "entrepreneurship") and f"yesno.{value}" in keys("value"):
        return text("value", f"yesno.{value}", lang)
    if dim in wf.VOCABULARIES:
        english = {fi: en for fi, en, _ in wf.VOCABULARIES[dim].values}
        return localized(value, english[value], lang) if value in english else value
    return value


def pivot_display(table: pd.DataFrame, dims: list[str], codes: list[str], lang: str = "fi") -> pd.DataFrame:
    """Pivot values written the Finnish way; euros get € (from the row's indicator, or the only one chosen)."""
    out = table.copy()
    if "indicator" in out.columns:
        row_codes = out["indicator"].tolist()
    else:
        row_codes = [codes[0] if len(codes) == 1 else None] * len(out)
    units = ["€" if c in catalogue.BY_CODE and catalogue.BY_CODE[c].unit == catalogue.EUR else "" for c in row_codes]
    hidden = table.attrs.get("hidden", set())
    out.attrs = {}  # display text: the hidden cells are written as x here
    for col in [c for c in out.columns if c not in dims]:
        out[col] = [
            "x" if (i, col) in hidden else fi_number(v, 0, u, lang) for i, (v, u) in enumerate(zip(table[col], units))
        ]
    return out


def numbers_display(frame: pd.DataFrame, lang: str = "fi") -> pd.DataFrame:
    """The numbers behind a monthly chart: months as 3/2012, headers and funding sources in the language."""
    from .workbook_format import FUNDING_SOURCES

    out = month_labels(frame) if "month" in frame.columns else frame.copy()
    if "source" in out.columns:
        english = {c: e for c, e, _ in FUNDING_SOURCES.values}
        out["source"] = out["source"].map(lambda s: localized(s, english[s], lang) if s in english else s)
    for col in out.columns:
        if col not in ("month", "source"):
            out[col] = pd.to_numeric(out[col], errors="coerce").round(2)
    return out.rename(columns=headers(lang, "number_header"))


def numbers_screen(frame: pd.DataFrame, lang: str = "fi", eur: bool = False) -> pd.DataFrame:
    """The numbers behind a monthly chart as the page shows them: ``numbers_display`` with every number written
    in the language (``10 174,39 €`` in Finnish; the download keeps them as numbers)."""
    export = numbers_export(frame, lang, eur)
    out = export.frame.copy()
    places = {"eur": (2, "€"), "decimal": (1, ""), "count": (0, "")}
    for col, kind in export.kinds.items():
        if kind in places:
            out[col] = [fi_number(v, *places[kind], lang) for v in out[col]]
    return out


def audit_display(events: pd.DataFrame, lang: str = "fi") -> pd.DataFrame:
    """The audit log, newest first; every column text, so that the table has one type per column."""
    from .i18n import keys, ui

    events = events.iloc[::-1]
    return pd.DataFrame(
        {
            ui("a_at", lang): [f"{fi_date(t.date(), lang)} {t:%H:%M:%S}" for t in events["happened_at"]],
            ui("a_actor", lang): [actor_display(a, lang) for a in events["actor"]],
            ui("a_action", lang): [
                ui(f"action_{a}", lang) if f"action_{a}" in keys("ui") else str(a) for a in events["action"]
            ],
            ui("h_source", lang): events["source"].fillna("–"),
            ui("h_version", lang): ["–" if _missing(x) else fi_number(x, lang=lang) for x in events["version"]],
            ui("h_rows", lang): ["–" if _missing(x) else fi_number(x, lang=lang) for x in events["rows"]],
        }
    )


def month_label(month: dt.date, lang: str = "fi") -> str:
    """A month in the language's pattern (its catalogue's ``format``/``month``): ``3/2012``."""
    from babel.dates import format_date

    from .i18n import text

    return format_date(month, text("format", "month", lang), locale=_locale(lang))


def coverage_display(cov, lang: str = "fi") -> pd.DataFrame:
    """The coverage grid as text: a row per month, a column per municipality, ``19 · lähde``."""
    from .i18n import t

    out = {t("cov_month", lang): [month_label(m, lang) for m in cov.grid["month"]]}
    for m in cov.municipalities:
        out[m] = [
            f"{fi_number(n, lang=lang)} · {', '.join(src)}" if n else "0"
            for n, src in zip(cov.grid[m], cov.grid[f"{m} sources"])
        ]
    return pd.DataFrame(out)


def coverage_warnings(cov, lang: str = "fi") -> list[str]:
    """One sentence per gap and per likely double upload; nothing when all is well."""
    from .coverage import month_ranges
    from .i18n import t

    lines = []
    for gap in cov.gaps:
        runs = ", ".join(
            month_label(a, lang) if a == b else f"{month_label(a, lang)}–{month_label(b, lang)}"
            for a, b in month_ranges(gap.months)
        )
        lines.append(t("cov_gap", lang, municipality=gap.municipality, n=len(gap.months), months=runs))
    for spike in cov.spikes:
        lines.append(
            t(
                "cov_spike",
                lang,
                municipality=spike.municipality,
                month=month_label(spike.month, lang),
                n=fi_number(spike.records, lang=lang),
                median=fi_number(spike.median, 1 if spike.median % 1 else 0, lang=lang),
                sources=", ".join(spike.sources),
            )
        )
    for double in cov.doubles:
        lines.append(
            t(
                "cov_double",
                lang,
                municipality=double.municipality,
                month=month_label(double.month, lang),
                n=fi_number(double.records, lang=lang),
                sources=", ".join(double.sources),
            )
        )
    return lines


def scope_label(municipalities, since, until, settings, lang: str = "fi") -> str:
    """What a view shows: ``Hartola, Sysmä, 1.1.2014–31.12.2014``; the whole project says so."""
    from .i18n import ui

    where = ", ".join(municipalities) if municipalities else ui("whole_project_scope", lang)
    if since is None and until is None:
        return where
    return f"{where}, {fi_date(since or settings.start, lang)}–{fi_date(until or settings.end, lang)}"


def target_note(municipalities, since, settings, lang: str = "fi") -> str | None:
    """Which targets a filtered view is measured against (None: the whole project's)."""
    from .i18n import ui
    from .indicators import year_weights

    years = year_weights(since, settings)
    if not municipalities and years is None:
        return None
    parts = []
    if municipalities:
        parts.append(ui("targets_municipal", lang))
    if years is not None:
        first, last = min(years), max(years)
        if first == last:
            parts.append(ui("targets_year", lang, years=first))
        else:
            parts.append(ui("targets_years", lang, years=f"{first}–{last}"))
        parts += [
            ui("targets_prorated", lang, year=y, share=fi_number(100 * w, 1, "%", lang))
            for y, w in years.items()
            if w < 1
        ]
    return ui("view_targets", lang, how="; ".join(parts))


def _unit_kind(code: str | None) -> str:
    return "eur" if code in catalogue.BY_CODE and catalogue.BY_CODE[code].unit == catalogue.EUR else "count"


def indicator_export(table: pd.DataFrame, lang: str = "fi"):
    """The planned-vs-realised table as data for CSV and Excel: numbers stay numbers (a hidden value, NA in a
    protected table, is written ``x``), % achieved is a share, headers are unique."""
    from .exports import ExportTable
    from .suppression import MARK

    names = {i.code: i.name(lang) for i in catalogue.CATALOGUE}
    h = headers(lang)
    out = pd.DataFrame({h["indicator"]: table["indicator"].map(names).tolist()})
    kinds = {h["indicator"]: "text"}
    for g in ("municipality", "year", "month"):
        if g in table.columns:
            out[h[g]] = [None if _missing(x) else (int(x) if g == "year" else str(x)) for x in table[g]]
            kinds[h[g]] = "text"
    hidden = getattr(table, "attrs", {}).get("hidden", set())
    for col in ("target", "target_women", "actual", "actual_women", "actual_men"):
        out[h[col]] = [
            MARK if (i, col) in hidden else (None if _missing(v) else float(v)) for i, v in enumerate(table[col])
        ]
        kinds[h[col]] = "row"
    shares = []
    for target, actual in zip(table["target"], table["actual"]):
        ok = not _missing(target) and not _missing(actual) and float(target) > 0
        shares.append(float(actual) / float(target) if ok else None)
    out[h["achieved"]] = shares
    kinds[h["achieved"]] = "pct"
    return ExportTable(out, kinds, tuple(_unit_kind(c) for c in table["indicator"]))


def numbers_export(frame: pd.DataFrame, lang: str = "fi", eur: bool = False):
    """The numbers behind a monthly chart as data: counts (or euros) realised, the path and forecast with a decimal."""
    from .exports import ExportTable

    shown = numbers_display(frame, lang)
    names = headers(lang, "number_header")
    kinds = {}
    for col in frame.columns:
        head = names.get(col, col)
        if col in ("month", "source"):
            kinds[head] = "text"
        elif eur or col in ("amount", "eu_state", "public"):
            kinds[head] = "eur"
        else:
            kinds[head] = "decimal" if col in ("path", "forecast") else "count"
    return ExportTable(shown, kinds)


def pivot_export(table: pd.DataFrame, dims: list[str], codes: list[str], lang: str = "fi"):
    """The Tutki pivot as data: the dimension columns as text, every value a number of its row's unit."""
    from .exports import ExportTable

    if "indicator" in table.columns:
        row_codes = table["indicator"].tolist()
    else:
        row_codes = [codes[0] if len(codes) == 1 else None] * len(table)
    kinds = {str(c): ("text" if c in dims else "row") for c in table.columns}
    frame = table.copy().astype(object)
    for i, col in table.attrs.get("hidden", set()):
        frame.iat[i, list(table.columns).index(col)] = "x"
    frame.columns = [str(c) for c in frame.columns]
    return ExportTable(frame, kinds, tuple(_unit_kind(c) for c in row_codes))
