"""Raw sheet cells to typed records: sheet recognition, header detection, aliases, totals rows.

``parse_workbook`` returns, per recognised sheet, the valid records and the rejected rows with
their problems. It never touches the store.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from . import cells
from . import workbook_format as wf
from .settings import ProjectSettings, fold
from .validation import BLOCKER, ERROR, WARNING, CellError, Problem, find_hetu, mask_hetu
from .workbook_reader import RawSheet, RawWorkbook, col_letter

HEADER_SEARCH_ROWS = 50
# Headers and values of columns outside the spec that look like personal data (never stored anyway).
_PERSONAL_HEADERS = {
    fold(h)
    for h in (
        "nimi",
        "name",
        "etunimi",
        "sukunimi",
        "first name",
        "last name",
        "henkilö",
        "asiakas",
        "yhteyshenkilö",
        "sähköposti",
        "email",
        "e-mail",
        "sposti",
        "s-posti",
        "puhelin",
        "puh",
        "puh.",
        "phone",
        "matkapuhelin",
        "gsm",
        "osoite",
        "address",
        "henkilötunnus",
        "hetu",
        "syntymäaika",
        "katuosoite",
        "lähiosoite",
        "postiosoite",
        "kotiosoite",
        "postinumero",
        "postinro",
        "postitoimipaikka",
        "street address",
        "street",
        "home address",
        "postal address",
        "zip",
        "zip code",
        "postcode",
        "postal code",
    )
}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", re.I)
_PHONE = re.compile(r"^\+?[\d\s()-]{7,}$")
_TOTALS = tuple(fold(label) for label in wf.TOTALS_LABELS)


@dataclass
class RejectedRow:
    row: int
    values: list[object]
    problems: list[Problem]


@dataclass
class SheetResult:
    """What one recognised sheet holds."""

    sheet_name: str
    spec: wf.Sheet
    header_row: int | None
    header: list[object] = field(default_factory=list)
    columns: dict[str, list] = field(default_factory=dict)  # field -> values of the valid rows, plus source_row
    rejected: list[RejectedRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # sheet-level
    unknown_columns: list[str] = field(default_factory=list)
    totals_rows: list[int] = field(default_factory=list)

    @property
    def records(self) -> list[dict]:
        """The valid rows as dicts (source_row plus every field of the sheet)."""
        keys = list(self.columns)
        return [dict(zip(keys, vals)) for vals in zip(*self.columns.values())]


@dataclass
class ParsedWorkbook:
    file_name: str
    kind: str
    sheets: list[SheetResult]
    ignored_sheets: list[str]
    blockers: list[Problem]
    notices: list[Problem] = field(default_factory=list)  # about the workbook, not one sheet


def _parser(column: wf.Column, settings: ProjectSettings, today: dt.date):
    kind = column.kind
    if kind == wf.DATE:
        return lambda v: cells.parse_date(v, settings, today)
    if kind == wf.MONTH_OR_DATE:
        return lambda v: cells.parse_date(v, settings, today, month_ok=True)
    if kind == wf.MUNICIPALITY:
        return lambda v: cells.parse_municipality(v, settings)
    if kind == wf.GENDER:
        return cells.parse_gender
    if kind == wf.YESNO:
        return lambda v: cells.parse_yesno(v, bool(column.default))
    if kind in (wf.TEXT, wf.CODE):
        return cells.parse_code
    if kind == wf.CHOICE:
        return lambda v: cells.parse_choice(v, column.vocabulary)
    if kind == wf.AMOUNT:
        return cells.parse_euros
    if kind == wf.COUNT:
        return cells.parse_count
    if kind == wf.NUMBER:
        return cells.parse_number
    if kind == wf.BUSINESS_ID:
        return cells.parse_business_id
    if kind == wf.YEAR:
        return lambda v: cells.parse_year(v, settings)
    if kind == wf.INDICATOR:
        return cells.parse_indicator
    raise ValueError(kind)


def _memoised(parse):
    """Cache a parser per column: tracking sheets repeat the same few values thousands of times."""
    cache: dict[tuple[type, object], tuple[bool, object]] = {}

    def run(value):
        key = (type(value), value)
        hit = cache.get(key)
        if hit is None:
            try:
                hit = (True, parse(value))
            except CellError as exc:
                hit = (False, exc)
            if len(cache) < 200_000:
                cache[key] = hit
        if hit[0]:
            return hit[1]
        raise hit[1]

    return run


def _match_header(row: list[object], spec: wf.Sheet) -> tuple[dict[str, int], list[str], list[str]]:
    """Map fields to column indexes; also the unknown headers and the repeated ones."""
    mapping: dict[str, int] = {}
    unknown, repeated = [], []
    for idx, value in enumerate(row):
        if cells.is_blank(value) or not isinstance(value, str):
            if not cells.is_blank(value):
                unknown.append(cells.shown(value))
            continue
        column = next((c for c in spec.columns if c.matches(value)), None)
        if column is None:
            unknown.append(value.strip())
        elif column.field in mapping:
            repeated.append(value.strip())
        else:
            mapping[column.field] = idx
    return mapping, unknown, repeated


def _personal_columns(raw: RawSheet, header_row: int, header: list, known: set[int]) -> list[str]:
    """Unknown columns whose header or values look like names, e-mail addresses or phone numbers."""
    found = []
    for idx, title in enumerate(header):
        if idx in known or cells.is_blank(title):
            continue
        name = cells.shown(title)
        if fold(name).rstrip(":*. ") in _PERSONAL_HEADERS:
            found.append(name)
            continue
        sample = [
            str(r[idx]).strip()
            for r in raw.rows[header_row : header_row + 200]
            if idx < len(r) and isinstance(r[idx], str) and r[idx].strip()
        ]
        if sample and sum(bool(_EMAIL.match(v) or _PHONE.match(v)) for v in sample) > len(sample) / 2:
            found.append(name)
    return found


def _is_totals(first: object, row_number: int, raw: RawSheet) -> bool:
    """A totals row: its first non-empty cell says so, or its numbers are SUM formulas."""
    if row_number in raw.sum_rows:
        return True
    if isinstance(first, str):
        key = fold(first).rstrip(":").strip()
        return key in _TOTALS or any(key.startswith(label + " ") for label in _TOTALS)
    return False


def parse_sheet(
    raw: RawSheet, spec: wf.Sheet, file_name: str, settings: ProjectSettings, today: dt.date
) -> SheetResult:
    """Find the header, then turn every data row into a record or a rejected row."""
    sheet_name = _safe_name(raw.name)  # an identity code in a sheet name is masked (the file is blocked)
    result = SheetResult(sheet_name, spec, None)
    if all(cells.is_blank(v) for row in raw.rows for v in row):
        result.problems.append(Problem(file_name, sheet_name, None, None, "no_rows", (), WARNING))
        return result
    required = {c.field for c in spec.required}
    best: tuple[int, int, dict[str, int]] | None = None
    for r, row in enumerate(raw.rows[:HEADER_SEARCH_ROWS]):
        mapping, unknown, repeated = _match_header(row, spec)
        if required <= mapping.keys():
            result.header_row = r + 1
            result.header = list(row)
            result.unknown_columns = unknown
            for name in repeated:
                result.problems.append(
                    Problem(file_name, sheet_name, r + 1, name, "duplicate_column", (("value", name),), WARNING)
                )
            break
        if mapping and (best is None or len(mapping) > best[1]):
            best = (r, len(mapping), mapping)
    if result.header_row is None:
        found = best[2] if best else {}
        missing = [c.header_fi for c in spec.required if c.field not in found]
        result.problems.append(
            Problem(
                file_name,
                sheet_name,
                best[0] + 1 if best else None,
                None,
                "missing_columns",
                (("value", ", ".join(missing)),),
                ERROR,
            )
        )
        return result
    if result.unknown_columns:
        result.problems.append(
            Problem(
                file_name,
                sheet_name,
                result.header_row,
                None,
                "unknown_columns",
                (("value", ", ".join(result.unknown_columns)),),
                WARNING,
            )
        )

    mapping, _, _ = _match_header(result.header, spec)
    personal = _personal_columns(raw, result.header_row, result.header, set(mapping.values()))
    if personal:
        result.problems.append(
            Problem(
                file_name,
                sheet_name,
                result.header_row,
                None,
                "personal_data_columns",
                (("value", ", ".join(personal)),),
                WARNING,
            )
        )
    columns = [
        (spec.column(f), idx, _memoised(_parser(spec.column(f), settings, today)), cells.shown(result.header[idx]))
        for f, idx in mapping.items()
    ]
    error_cells = raw.error_cells

    # Rows that hold a record (not blank, not totals). A row whose known columns are all blank is no
    # record: what else it holds is a stray cell (a value typed far below or right of the data).
    data: list[tuple[int, list]] = []
    known = [idx for _, idx, _, _ in columns]
    stray: list[str] = []
    for r in range(result.header_row, len(raw.rows)):
        row = raw.rows[r]
        first = row[0] if row else ""
        if first == "" or first is None or (isinstance(first, str) and not first.strip()):
            first = next((v for v in row if not (v == "" or v is None or (isinstance(v, str) and not v.strip()))), None)
        if first is None:
            if not error_cells or not any((r + 1, idx) in error_cells for idx in known):
                continue
        elif _is_totals(first, r + 1, raw):
            result.totals_rows.append(r + 1)
            continue
        elif all(cells.is_blank(row[idx]) if idx < len(row) else True for idx in known) and not (
            error_cells and any((r + 1, idx) in error_cells for idx in known)
        ):
            stray.extend(f"{col_letter(c)}{r + 1}" for c, v in enumerate(row) if not cells.is_blank(v))
            continue
        data.append((r + 1, row))
    if stray:
        result.problems.append(
            Problem(
                file_name,
                sheet_name,
                None,
                None,
                "stray_cells",
                (("value", ", ".join(stray[:5]) + (" …" if len(stray) > 5 else "")), ("n", len(stray))),
                WARNING,
            )
        )
    hidden = sum(1 for n, _ in data if n in raw.hidden_rows) if raw.hidden_rows else 0
    if hidden:
        result.problems.append(Problem(file_name, sheet_name, None, None, "hidden_rows", (("n", hidden),), WARNING))

    # Parse column by column: the same few values repeat down a column.
    problems_at: dict[int, list[Problem]] = {}
    values: dict[str, list] = {"source_row": [n for n, _ in data]}
    for column, idx, parse, header in columns:
        out: list[object] = [None] * len(data)
        blank_ok = column.kind in (wf.YESNO, wf.GENDER)
        for i, (row_number, row) in enumerate(data):
            value = row[idx] if idx < len(row) else ""
            if error_cells and (row_number, idx) in error_cells:
                problems_at.setdefault(i, []).append(
                    Problem(
                        file_name,
                        sheet_name,
                        row_number,
                        header,
                        "excel_error",
                        (("value", error_cells[(row_number, idx)]),),
                    )
                )
                continue
            if not blank_ok and (value == "" or value is None or (isinstance(value, str) and not value.strip())):
                if column.required:
                    problems_at.setdefault(i, []).append(
                        Problem(file_name, sheet_name, row_number, header, "missing_value")
                    )
                continue
            try:
                out[i] = parse(value)
            except CellError as exc:
                problems_at.setdefault(i, []).append(
                    Problem(file_name, sheet_name, row_number, header, exc.code, tuple(exc.params.items()))
                )
        values[column.field] = out
    for column in spec.columns:
        if column.field not in mapping:
            values[column.field] = [column.default if column.kind == wf.YESNO else None] * len(data)
    if spec.table == "targets":
        women, total = values["target_women"], values["target"]
        for i in range(len(data)):
            if i not in problems_at and women[i] is not None and total[i] is not None and women[i] > total[i]:
                problems_at[i] = [
                    Problem(
                        file_name,
                        sheet_name,
                        data[i][0],
                        cells.shown(result.header[mapping["target_women"]]),
                        "women_over_total",
                        (("value", cells.shown(women[i])), ("total", cells.shown(total[i]))),
                    )
                ]
    if problems_at:
        for i in sorted(problems_at):
            result.rejected.append(RejectedRow(data[i][0], list(data[i][1]), problems_at[i]))
        keep = [i for i in range(len(data)) if i not in problems_at]
        values = {k: [v[i] for i in keep] for k, v in values.items()}
    result.columns = values
    if spec.table == "targets":
        _reject_duplicate_targets(result, file_name, raw)
    return result


def _reject_duplicate_targets(result: SheetResult, file_name: str, raw: RawSheet) -> None:
    cols = result.columns
    if not cols.get("source_row"):
        return
    seen: dict[tuple, int] = {}
    keep = []
    for i, key in enumerate(zip(cols["indicator"], cols["municipality"], cols["year"])):
        row = cols["source_row"][i]
        if key in seen:
            problem = Problem(file_name, result.sheet_name, row, None, "duplicate_target", (("other", seen[key]),))
            result.rejected.append(RejectedRow(row, list(raw.rows[row - 1]), [problem]))
        else:
            seen[key] = row
            keep.append(i)
    result.columns = {k: [v[i] for i in keep] for k, v in cols.items()}


def scan_for_hetu(raw: RawWorkbook) -> list[Problem]:
    """Every place in the workbook (cells of any sheet, sheet names, cell comments, the file name) that
    holds something shaped like a personal identity code."""
    found = []
    if masked := find_hetu(raw.file_name):
        found.append(
            Problem(_safe_name(raw.file_name), None, None, None, "hetu_in_name", (("value", masked),), BLOCKER)
        )
    for sheet in raw.sheets:
        if masked := find_hetu(sheet.name):
            found.append(
                Problem(
                    _safe_name(raw.file_name),
                    _safe_name(sheet.name),
                    None,
                    None,
                    "hetu_in_sheet_name",
                    (("value", masked),),
                    BLOCKER,
                )
            )
        # One pass over all the sheet's text first; the cell-by-cell look only where it may be.
        text = "\n".join(v for row in sheet.rows for v in row if isinstance(v, str) and len(v) >= 11)
        if not text or find_hetu(text) is None:
            continue
        for r, row in enumerate(sheet.rows):
            for c, value in enumerate(row):
                if isinstance(value, str) and (masked := find_hetu(value)):
                    found.append(
                        Problem(
                            _safe_name(raw.file_name),
                            _safe_name(sheet.name),
                            r + 1,
                            col_letter(c),
                            "hetu_found",
                            (("value", masked),),
                            BLOCKER,
                        )
                    )
    for sheet_name, text in raw.comments:
        if masked := find_hetu(text):
            found.append(
                Problem(
                    _safe_name(raw.file_name),
                    _safe_name(sheet_name) or None,
                    None,
                    None,
                    "hetu_in_comment",
                    (("value", masked),),
                    BLOCKER,
                )
            )
    return found


def _safe_name(name: str) -> str:
    """A file or sheet name with any identity-code-like part cut to its birth date, for messages."""
    return mask_hetu(name) if name else name


def parse_workbook(raw: RawWorkbook, settings: ProjectSettings, today: dt.date) -> ParsedWorkbook:
    """Recognise the sheets by name and parse each; blockers stop the whole file."""
    parsed = ParsedWorkbook(raw.file_name, raw.kind, [], [], scan_for_hetu(raw))
    file_name = _safe_name(raw.file_name)  # every message masks an identity code in a name (the file is blocked)
    for sheet in raw.sheets:
        spec = wf.sheet_for_name(sheet.name)
        if spec is None and (spec := wf.sheet_by_prefix(sheet.name)) is not None:
            parsed.notices.append(
                Problem(
                    file_name, _safe_name(sheet.name), None, None, "sheet_read_as", (("value", spec.name_fi),), WARNING
                )
            )
        if spec is None:
            parsed.ignored_sheets.append(_safe_name(sheet.name))
            continue
        if len(sheet.rows) > settings.max_rows + HEADER_SEARCH_ROWS:
            parsed.blockers.append(
                Problem(
                    file_name,
                    _safe_name(sheet.name),
                    None,
                    None,
                    "too_many_rows",
                    (("value", len(sheet.rows)), ("limit", settings.max_rows)),
                    BLOCKER,
                )
            )
            continue
        parsed.sheets.append(parse_sheet(sheet, spec, file_name, settings, today))
    if not parsed.sheets and not parsed.blockers:
        names = ", ".join(_safe_name(s.name) for s in raw.sheets) or "–"
        parsed.blockers.append(Problem(file_name, None, None, None, "no_known_sheet", (("value", names),), BLOCKER))
    return parsed
