"""Open uploaded workbooks safely and return their raw cells.

The checks run before any parser sees the file, because python-calamine aborts the whole
process (SIGABRT, uncatchable) on a sheet whose ``<dimension>`` claims the full grid, and
runs unbounded on a zip bomb. See ``shared/engineering-notes.md``.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from dataclasses import dataclass, field

from .settings import ProjectSettings

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Encrypted OOXML files are OLE containers with this stream name (UTF-16LE).
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
# A sheet dimension larger than this many cells is not trusted and is removed before parsing.
MAX_DIMENSION_CELLS = 50_000_000

_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]{1,3})(\d{1,7})(?::([A-Z]{1,3})(\d{1,7}))?"\s*/>')
_ERROR_CELL = re.compile(rb'<(?:\w+:)?c\s+r="([A-Z]{1,3})(\d+)"[^>]*?\bt="e"[^>]*>(?:(?!</(?:\w+:)?c>).)*?<(?:\w+:)?v>([^<]*)<', re.S)
_SUM_CELL = re.compile(rb'<(?:\w+:)?c\s+r="[A-Z]{1,3}(\d+)"[^>]*>\s*<(?:\w+:)?f[^>]*>\s*(?:_xlfn\.)?(?:SUM|SUBTOTAL)\(', re.I)
_SHEET_ENTRY = re.compile(rb'<(?:\w+:)?sheet\b[^>]*?\bname="([^"]*)"[^>]*?\br:id="([^"]*)"')
_SHEET_ENTRY_REV = re.compile(rb'<(?:\w+:)?sheet\b[^>]*?\br:id="([^"]*)"[^>]*?\bname="([^"]*)"')
_REL = re.compile(rb'<Relationship\b[^>]*?\bId="([^"]*)"[^>]*?\bTarget="([^"]*)"|<Relationship\b[^>]*?\bTarget="([^"]*)"[^>]*?\bId="([^"]*)"')


class WorkbookError(Exception):
    """The file cannot be read at all; ``code`` and ``params`` make the user's message."""

    def __init__(self, code: str, **params: object):
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class RawSheet:
    """One sheet's cells from A1 (row i of ``rows`` is sheet row i + 1)."""

    name: str
    rows: list[list[object]]
    error_cells: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, col index) -> "#REF!"
    sum_rows: frozenset[int] = frozenset()  # rows with SUM formulas


@dataclass(frozen=True)
class RawWorkbook:
    file_name: str
    kind: str  # xlsx, ods or xls
    sheets: tuple[RawSheet, ...]


def col_index(letters: bytes | str) -> int:
    """0-based index of a column name: A -> 0, AA -> 26."""
    if isinstance(letters, bytes):
        letters = letters.decode()
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def col_letter(index: int) -> str:
    """Column name of a 0-based index: 0 -> A."""
    name = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        name = chr(65 + rem) + name
    return name


@dataclass
class _XlsxScan:
    errors: dict[str, dict[tuple[int, int], str]] = field(default_factory=dict)
    sums: dict[str, frozenset[int]] = field(default_factory=dict)
    patched: bytes | None = None


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    """Decompress a member, but never more than ``limit`` bytes (declared sizes can lie)."""
    with zf.open(info) as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise WorkbookError("zip_bomb", value=len(data) // 2**20, limit=limit // 2**20)
    return data


def _sheet_paths(zf: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet XML path in the zip -> sheet name, from workbook.xml and its relationships."""
    try:
        book = zf.read("xl/workbook.xml")
        rels = zf.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return {}
    targets = {}
    for m in _REL.finditer(rels):
        rid, target = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        target = target.decode()
        targets[rid.decode()] = target.lstrip("/") if target.startswith("/") else "xl/" + target
    paths = {}
    for m in _SHEET_ENTRY.finditer(book):
        paths[targets.get(m.group(2).decode(), "")] = html.unescape(m.group(1).decode())
    if not paths:
        for m in _SHEET_ENTRY_REV.finditer(book):
            paths[targets.get(m.group(1).decode(), "")] = html.unescape(m.group(2).decode())
    return paths


def _check_zip(data: bytes, settings: ProjectSettings) -> tuple[str, _XlsxScan]:
    limit = settings.max_uncompressed_mb * 2**20
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, EOFError, ValueError) as exc:
        raise WorkbookError("corrupt", value=str(exc)) from None
    declared = sum(i.file_size for i in infos)
    if declared > limit:
        raise WorkbookError("zip_bomb", value=declared // 2**20, limit=limit // 2**20)
    names = {i.filename for i in infos}
    if "mimetype" in names and b"opendocument.spreadsheet" in zf.read("mimetype"):
        kind = "ods"
    elif "xl/workbook.xml" in names:
        kind = "xlsx"
    else:
        raise WorkbookError("not_a_workbook")
    scan = _XlsxScan()
    budget = limit
    replacements: dict[str, bytes] = {}
    try:
        sheet_names = _sheet_paths(zf) if kind == "xlsx" else {}
        for info in infos:
            if not info.filename.endswith(".xml"):
                continue
            body = _read_member(zf, info, budget)
            budget -= len(body)
            if b"<!ENTITY" in body[:65536] or b"<!ENTITY" in body[:4096].upper():
                raise WorkbookError("xml_entities")
            sheet = sheet_names.get(info.filename)
            if sheet is None:
                continue
            dim = _DIMENSION.search(body, 0, 4096)
            if dim and dim.group(3):
                cells = (int(dim.group(4)) - int(dim.group(2)) + 1) * (col_index(dim.group(3)) - col_index(dim.group(1)) + 1)
                if cells > MAX_DIMENSION_CELLS:
                    replacements[info.filename] = body[: dim.start()] + body[dim.end():]
            errors = {}
            if b't="e"' in body:
                for m in _ERROR_CELL.finditer(body):
                    errors[(int(m.group(2)), col_index(m.group(1)))] = m.group(3).decode(errors="replace")
            scan.errors[sheet] = errors
            if b"<f>" in body or b"<f " in body or b":f>" in body or b":f " in body:
                scan.sums[sheet] = frozenset(int(m.group(1)) for m in _SUM_CELL.finditer(body))
    except (zipfile.BadZipFile, EOFError, OSError, ValueError) as exc:
        raise WorkbookError("corrupt", value=str(exc)) from None
    if replacements:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in infos:
                dst.writestr(info, replacements.get(info.filename) or zf.read(info))
        scan.patched = out.getvalue()
    return kind, scan


def read_workbook(data: bytes, file_name: str, settings: ProjectSettings) -> RawWorkbook:
    """Every sheet's raw cells, or ``WorkbookError`` with the reason the file cannot be read."""
    if not data:
        raise WorkbookError("empty_file")
    if len(data) > settings.max_file_mb * 2**20:
        raise WorkbookError("too_large", value=round(len(data) / 2**20, 1), limit=settings.max_file_mb)
    scan = _XlsxScan()
    if data.startswith(ZIP_MAGIC):
        kind, scan = _check_zip(data, settings)
    elif data.startswith(OLE_MAGIC):
        if _ENCRYPTED_STREAM in data:
            raise WorkbookError("encrypted")
        kind = "xls"
    else:
        raise WorkbookError("not_a_workbook")

    import python_calamine

    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(scan.patched or data))
        sheets = []
        for name in book.sheet_names:
            sheet = book.get_sheet_by_name(name)
            if sheet.total_height > settings.max_rows + 100:
                raise WorkbookError("too_many_rows", value=sheet.total_height, limit=settings.max_rows)
            rows = sheet.to_python(skip_empty_area=False)
            sheets.append(RawSheet(name, rows, scan.errors.get(name, {}), scan.sums.get(name, frozenset())))
    except WorkbookError:
        raise
    except python_calamine.PasswordError:
        raise WorkbookError("encrypted") from None
    except Exception as exc:  # calamine raises several error types for damaged files
        raise WorkbookError("unreadable", value=str(exc)[:200]) from None
    return RawWorkbook(file_name, kind, tuple(sheets))
