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

import pandas as pd

from . import catalogue
from .i18n import t

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
        ws = wb.create_sheet((sheet.name_en if lang == "en" else sheet.name_fi)[:31])
        columns = list(sheet.columns)
        for c, column in enumerate(columns, start=1):
            set_cell(ws.cell(1, c), column.header_en if lang == "en" else column.header_fi)
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
