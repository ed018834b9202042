"""Files the project writes: rejected rows, the indicator table as CSV/JSON.

Uploaded text is data: a value that starts with ``=``, ``+``, ``-`` or ``@`` is written as text,
never as a formula.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from . import catalogue
from .i18n import localized, t

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def set_cell(cell, value: object) -> None:
    """Write ``value`` into an openpyxl cell; text is always text, dates get a Finnish format."""
    if isinstance(value, dt.datetime):
        cell.value = value
        cell.number_format = "d.m.yyyy h:mm"
    elif isinstance(value, dt.date):
        cell.value = value
        cell.number_format = "d.m.yyyy"
    elif isinstance(value, str):
        cell.value = value
        cell.data_type = "s"  # never a formula, whatever the text starts with
    else:
        cell.value = value


def csv_safe(value: str) -> str:
    """Text for a CSV cell that a spreadsheet will not run as a formula."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def write_rejected(plans: Iterable, out, lang: str = "fi") -> int:
    """The rejected rows of every plan as a workbook: the original rows plus an error column.

    ``out`` is a path or a binary file object. Returns the number of rows written.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.active)
    written = 0
    sheets: dict[tuple[str, str], object] = {}
    plans = list(plans)
    for plan in plans:
        for sheet_name, header, rej in plan.rejected:
            key = (plan.file_name, sheet_name)
            ws = sheets.get(key)
            if ws is None:
                title = sheet_name if len(plans) == 1 else f"{plan.source}-{sheet_name}"
                title = "".join(ch for ch in title if ch not in "[]:*?/\\")[:28] or "Rivit"
                base, n = title, 2
                while title in wb.sheetnames:
                    title, n = f"{base[:25]}({n})", n + 1
                ws = wb.create_sheet(title)
                width = len(header)
                for c, value in enumerate(header, start=1):
                    set_cell(ws.cell(1, c), value)
                set_cell(ws.cell(1, width + 1), t("error_column", lang))
                set_cell(ws.cell(1, width + 2), t("loc_row", lang, row="").strip().capitalize())
                for cell in ws[1]:
                    cell.font = Font(bold=True)
                ws.freeze_panes = "A2"
                sheets[key] = ws
            width = len(header)
            r = ws.max_row + 1
            for c, value in enumerate(rej.values[:width], start=1):
                set_cell(ws.cell(r, c), value)
            set_cell(
                ws.cell(r, width + 1),
                "; ".join(f"{p.column}: {p.message(lang)}" if p.column else p.message(lang) for p in rej.problems),
            )
            ws.cell(r, width + 2).value = rej.row
            written += 1
    if not wb.sheetnames:
        wb.create_sheet("Rivit")
    wb.save(out)
    return written


def rejected_xlsx(plans: Iterable, lang: str = "fi") -> bytes:
    """``write_rejected`` into bytes, for a download built only when it is clicked."""
    buf = io.BytesIO()
    write_rejected(plans, buf, lang)
    return buf.getvalue()


def removed_rows_xlsx(plan, lang: str = "fi") -> bytes:
    """The stored records a replace would take out of use, one sheet per record type, with the
    workbook's own column headers (so that they can be pasted back if the drop was a mistake)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from . import workbook_format as wf

    wb = Workbook()
    wb.remove(wb.active)
    for table, frame in plan.removed_records.items():
        sheet = wf.SHEETS_BY_TABLE[table]
        ws = wb.create_sheet(localized(sheet.name_fi, sheet.name_en, lang)[:31])
        columns = list(sheet.columns)
        for c, column in enumerate(columns, start=1):
            set_cell(ws.cell(1, c), localized(column.header_fi, column.header_en, lang))
            ws.cell(1, c).font = Font(bold=True)
        for r, rec in enumerate(frame.to_dict("records"), start=2):
            for c, column in enumerate(columns, start=1):
                value = rec.get(column.field)
                if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
                    continue
                if isinstance(value, pd.Timestamp):
                    value = value.date()
                elif isinstance(value, bool):
                    value = t("yes_short" if value else "no_short", lang)
                set_cell(ws.cell(r, c), value)
    if not wb.sheetnames:
        wb.create_sheet("Rivit")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _number(value: object, unit: str) -> object:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    value = float(value)
    if unit == catalogue.EUR:
        value = round(value, 2)
        return int(value) if value.is_integer() else value
    return int(round(value))


def _machine_rows(table: pd.DataFrame) -> list[dict]:
    rows = []
    for rec in table.astype(object).where(table.notna(), None).to_dict("records"):
        unit = catalogue.BY_CODE[rec["indicator"]].unit
        for col in ("target", "target_women", "actual", "actual_women", "actual_men"):
            rec[col] = _number(rec[col], unit)
        if "year" in rec and rec["year"] is not None:
            rec["year"] = int(rec["year"])
        rows.append(rec)
    return rows


def indicators_csv(table: pd.DataFrame) -> str:
    """The indicator table as CSV: codes, numbers with '.' decimals, empty cells for missing values."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(list(table.columns))
    for rec in _machine_rows(table):
        writer.writerow(["" if v is None else (csv_safe(v) if isinstance(v, str) else v) for v in rec.values()])
    return buf.getvalue()


def indicators_json(table: pd.DataFrame) -> str:
    """The indicator table as a JSON list of objects; missing values are null."""
    return json.dumps(_machine_rows(table), ensure_ascii=False, indent=1)


# Excel number formats (Excel shows them with the reader's own separators: 1 421, 766 613,25 €, 12,5 %).
EXCEL_FORMATS = {"count": "#,##0", "decimal": "#,##0.0", "eur": '#,##0.00 "€"', "pct": "0.0 %"}


@dataclass(frozen=True)
class ExportTable:
    """A table to download, as data. ``frame`` has the display headers and raw values (numbers are numbers,
    a hidden value is the text ``x``). ``kinds`` says how each column's numbers are written: count,
    decimal, eur, pct (a share, 0.125 = 12,5 %) or text; ``row_kinds`` overrides the kind ``"row"`` per
    row (a table whose rows mix euros and counts)."""

    frame: pd.DataFrame
    kinds: dict[str, str]
    row_kinds: tuple[str, ...] = ()

    def kind(self, row: int, column: str) -> str:
        kind = self.kinds.get(column, "text")
        return self.row_kinds[row] if kind == "row" else kind


def _plain(value: object) -> object:
    """A cell's value as plain Python: None for missing, numbers as int/float."""
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def _csv_number(value: float, kind: str, lang: str) -> str:
    if kind == "pct":
        value *= 100
    decimals = {"count": 0, "decimal": 1, "eur": 2, "pct": 1}.get(kind, 2)
    text = f"{value:.{decimals}f}"
    return text.replace(".", _decimal(lang))


def _decimal(lang: str) -> str:
    """The language's decimal symbol (CLDR): a comma in Finnish, a point in English."""
    from babel.numbers import get_decimal_symbol

    from .i18n import babel_locale as _locale

    return get_decimal_symbol(_locale(lang))


def holds_mark(tables: Iterable[ExportTable]) -> bool:
    """Whether any table to download shows a hidden value (``x``): then its first lines say what ``x`` means."""
    return any((t.frame.astype(object) == "x").to_numpy().any() for t in tables)


def data_csv(table: ExportTable, lang: str = "fi", first_line: str = "") -> bytes:
    """CSV that a spreadsheet opens by double click: Finnish ``;`` with decimal commas, English ``,`` and ``.``,
    UTF-8 with BOM. ``first_line`` (the view and the source) comes before the header. Text is never a formula."""
    buf = io.StringIO()
    # where the decimal symbol is a comma, a spreadsheet expects ";" between fields
    writer = csv.writer(buf, delimiter=";" if _decimal(lang) == "," else ",", lineterminator="\r\n")
    if first_line:
        writer.writerow([csv_safe(first_line)])
    writer.writerow([csv_safe(str(c)) for c in table.frame.columns])
    for r, row in enumerate(table.frame.itertuples(index=False)):
        out = []
        for column, value in zip(table.frame.columns, row):
            value = _plain(value)
            kind = table.kind(r, column)
            if value is None:
                out.append("")
            elif isinstance(value, (int, float)) and not isinstance(value, bool) and kind != "text":
                out.append(_csv_number(float(value), kind, lang))
            else:
                out.append(csv_safe(str(value)))
        writer.writerow(out)
    return buf.getvalue().encode("utf-8-sig")


def sheet_title(name: str, taken: Iterable[str] = ()) -> str:
    """An Excel sheet name: no ``[]:*?/\\``, at most 31 characters cut on a word boundary, unique among ``taken``."""
    clean = " ".join("".join(ch for ch in name if ch not in "[]:*?/\\'").split()) or "Taulukko"
    if len(clean) > 31:
        cut = clean[:31]
        clean = cut[: cut.rfind(" ")] if " " in cut else cut
        clean = clean.rstrip(" ,.;–-")
    taken = {t.casefold() for t in taken}
    title, n = clean, 2
    while title.casefold() in taken:
        suffix = f" ({n})"
        base = clean if len(clean) + len(suffix) <= 31 else clean[: 31 - len(suffix)].rstrip()
        title, n = base + suffix, n + 1
    return title


def data_xlsx(sheets: dict[str, ExportTable], first_line: str = "") -> bytes:
    """Tables as a workbook: numbers as numbers with number formats, euros with cents, shares as percent;
    ``first_line`` (the view and the source) above each header. Text is never a formula."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    wb.remove(wb.active)
    for name, table in sheets.items():
        ws = wb.create_sheet(sheet_title(name, wb.sheetnames))
        top = 1
        if first_line:
            set_cell(ws.cell(1, 1), first_line)
            ws.cell(1, 1).font = Font(italic=True)
            top = 3
        for c, col in enumerate(table.frame.columns, start=1):
            set_cell(ws.cell(top, c), str(col))
            ws.cell(top, c).font = Font(bold=True)
            ws.column_dimensions[ws.cell(top, c).column_letter].width = max(12, min(40, len(str(col)) + 4))
        for r, row in enumerate(table.frame.itertuples(index=False)):
            for c, (column, value) in enumerate(zip(table.frame.columns, row), start=1):
                value = _plain(value)
                if value is None:
                    continue
                cell = ws.cell(top + 1 + r, c)
                kind = table.kind(r, column)
                if isinstance(value, (int, float)) and not isinstance(value, bool) and kind in EXCEL_FORMATS:
                    cell.value = round(float(value), 4 if kind == "pct" else 2)
                    cell.number_format = EXCEL_FORMATS[kind]
                else:
                    set_cell(cell, value)
                    if value == "x":  # a hidden value, aligned with the numbers
                        cell.alignment = Alignment(horizontal="right")
        ws.freeze_panes = ws.cell(top + 1, 1)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def table_csv(frame: pd.DataFrame) -> bytes:
    """A display table as CSV (UTF-8 with BOM so that Excel opens it right); text never a formula."""
    safe = frame.map(lambda v: csv_safe(v) if isinstance(v, str) else v)
    return safe.to_csv(index=False).encode("utf-8-sig")


def table_xlsx(sheets: dict[str, pd.DataFrame], source_line: str = "") -> bytes:
    """Tables as an Excel workbook, one sheet each, with the source line above the header."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.active)
    for name, frame in sheets.items():
        ws = wb.create_sheet("".join(ch for ch in name if ch not in "[]:*?/\\")[:31] or "Taulukko")
        top = 1
        if source_line:
            set_cell(ws.cell(1, 1), source_line)
            ws.cell(1, 1).font = Font(italic=True)
            top = 3
        for c, col in enumerate(frame.columns, start=1):
            set_cell(ws.cell(top, c), str(col))
            ws.cell(top, c).font = Font(bold=True)
            ws.column_dimensions[ws.cell(top, c).column_letter].width = max(12, min(40, len(str(col)) + 4))
        for r, row in enumerate(frame.itertuples(index=False), start=top + 1):
            for c, value in enumerate(row, start=1):
                if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
                    continue
                set_cell(ws.cell(r, c), value.item() if hasattr(value, "item") else value)
        ws.freeze_panes = ws.cell(top + 1, 1)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
