"""Open uploaded workbooks safely and return their raw cells.

The checks run before any parser sees the file, because python-calamine aborts the whole
process (SIGABRT, uncatchable) on a sheet whose ``<dimension>`` claims the full grid, and
runs unbounded on a zip bomb. See ``shared/engineering-notes.md``.
"""

from __future__ import annotations

import html
import io
import posixpath
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
# The comment text kept for the personal-data scan, per workbook.
MAX_COMMENT_CHARS = 2_000_000

# Every pattern over file content runs in linear time: each variable run is bounded by the next
# "<" or ">" (or a quote), so no match attempt can scan past the tag it started in. A hostile file
# full of unclosed tags costs one pass, not one pass per tag.
_NS = rb"(?:\w{1,20}:)?"
_DIMENSION = re.compile(rb"<" + _NS + rb'dimension\s+ref="([A-Z]{1,3})(\d{1,7})(?::([A-Z]{1,3})(\d{1,7}))?"\s*/>')
_ROW_TAG = re.compile(rb"<" + _NS + rb"row\b([^<>]*)>")
_ATTR_R = re.compile(rb'\br="(\d{1,9})"')
_HIDDEN = re.compile(rb'\bhidden="(?:1|true)"')
# A cell tag with a value (not self-closing), and one whose type is an error; attributes are read
# from the captured tag text afterwards, so no pattern holds two runs that can overlap.
# A value cell's reference, captured directly. The atomic group and the possessive run never give back what
# they matched, so a tag with many r= attributes is still scanned once (linear, not quadratic).
_VALUE_REF = re.compile(rb"<" + _NS + rb'c\s(?>[^<>]*?\br="([A-Z]{1,3})(\d{1,7})")[^<>]*+(?<!/)>')
_ERROR_TAG = re.compile(rb"<" + _NS + rb'c\s((?>[^<>]*?\bt="e")[^<>]*+)>')
_ERROR_VALUE = re.compile(rb"<" + _NS + rb"v>([^<]{0,64})<")
_SUM_CELL = re.compile(rb"<" + _NS + rb"c\s([^<>]*)>\s*<" + _NS + rb"f\b[^<>]*>\s*(?:_xlfn\.)?(?:SUM|SUBTOTAL)\(", re.I)
_CELL_REF = re.compile(rb'\br="([A-Z]{1,3})(\d{1,7})"')
_SHEET_TAG = re.compile(rb"<" + _NS + rb"sheet\b([^<>]*)>")
_REL_TAG = re.compile(rb"<" + _NS + rb"Relationship\b([^<>]*)>")
_NAME_ATTR = re.compile(rb'\bname="([^"<>]*)"')
_RID_ATTR = re.compile(rb'\br:id="([^"<>]*)"')
_ID_ATTR = re.compile(rb'\bId="([^"<>]*)"')
_TARGET_ATTR = re.compile(rb'\bTarget="([^"<>]*)"')
_XML_TEXT = re.compile(rb"<[^<>]*>")
# OpenDocument: tables, rows and cells with their repeat counts (a tiny file can claim millions).
_ODS_TAG = re.compile(rb"<(/?)table:(table-row|table-cell|covered-table-cell|table)(?=[\s/>])([^<>]*)>")
_ODS_NAME = re.compile(rb'\btable:name="([^"<>]*)"')
_ODS_ROWS = re.compile(rb'\btable:number-rows-repeated="(\d{1,9})"')
_ODS_COLS = re.compile(rb'\btable:number-columns-repeated="(\d{1,9})"')
_ODS_VALUE = re.compile(rb"\boffice:value-type=")
_ODS_HIDDEN = re.compile(rb'\btable:visibility="(?:collapse|filter)"')


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
    hidden_rows: frozenset[int] = frozenset()  # rows hidden by hand or by a filter


@dataclass(frozen=True)
class RawWorkbook:
    file_name: str
    kind: str  # xlsx, ods or xls
    sheets: tuple[RawSheet, ...]
    comments: tuple[tuple[str, str], ...] = ()  # (sheet name or "", the text of its cell comments)


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
    hidden: dict[str, frozenset[int]] = field(default_factory=dict)
    comments: list[tuple[str, str]] = field(default_factory=list)
    patched: bytes | None = None


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    """Decompress a member, but never more than ``limit`` bytes (declared sizes can lie)."""
    with zf.open(info) as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise WorkbookError("zip_bomb", value=len(data) // 2**20, limit=limit // 2**20)
    return data


def _attr(pattern: re.Pattern, text: bytes) -> str | None:
    m = pattern.search(text)
    return html.unescape(m.group(1).decode("utf-8", "replace")) if m else None


def _relations(zf: zipfile.ZipFile, rels_path: str, base: str) -> dict[str, str]:
    """Relationship id -> the zip path it points to, from a ``.rels`` part (empty if there is none)."""
    try:
        rels = zf.read(rels_path)
    except KeyError:
        return {}
    out = {}
    for m in _REL_TAG.finditer(rels):
        rid, target = _attr(_ID_ATTR, m.group(1)), _attr(_TARGET_ATTR, m.group(1))
        if rid and target:
            out[rid] = (
                target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(base, target))
            )
    return out


def _sheet_paths(zf: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet XML path in the zip -> sheet name, from workbook.xml and its relationships."""
    try:
        book = zf.read("xl/workbook.xml")
    except KeyError:
        return {}
    targets = _relations(zf, "xl/_rels/workbook.xml.rels", "xl")
    paths = {}
    for m in _SHEET_TAG.finditer(book):
        name, rid = _attr(_NAME_ATTR, m.group(1)), _attr(_RID_ATTR, m.group(1))
        if name is not None and rid in targets:
            paths[targets[rid]] = name
    return paths


def _far_cell(sheet: str, refs: list[tuple[int, int]]) -> str:
    """``Sheet!XFD20000``: the value cell farthest from A1."""
    row, col = max(refs, key=lambda rc: rc[0] * rc[1])
    return f"{sheet}!{col_letter(col - 1)}{row}"


def _check_used_range(sheet: str, rows: int, cols: int, far: list[tuple[int, int]], settings: ProjectSettings) -> None:
    """Refuse, before any parser expands it, a sheet whose used range the reader could not hold in its limits."""
    if rows > settings.max_rows + 100:  # the header and a few notes above it are not counted
        raise WorkbookError("too_many_rows", value=rows, limit=settings.max_rows)
    if rows * cols > settings.max_cells:
        raise WorkbookError("used_range", cell=_far_cell(sheet, far), value=rows * cols, limit=settings.max_cells)


def _scan_xlsx_sheet(sheet: str, body: bytes, scan: _XlsxScan, settings: ProjectSettings) -> None:
    """Used range (refused when too large), error cells, SUM rows and hidden rows of one worksheet."""
    hidden = set()
    if b"hidden=" in body:
        row_count = 0
        for m in _ROW_TAG.finditer(body):
            row_count += 1
            r = _ATTR_R.search(m.group(1))
            number = int(r.group(1)) if r else row_count
            row_count = max(row_count, number)
            if _HIDDEN.search(m.group(1)):
                hidden.add(number)
    refs = _VALUE_REF.findall(body)  # (column letters, row) of every cell that holds something
    max_row = max(map(int, (r for _, r in refs)), default=1)
    widest = max({c for c, _ in refs}, key=lambda c: (len(c), c), default=b"A")
    max_col = col_index(widest) + 1
    if max_row * max_col > settings.max_cells or max_row > settings.max_rows + 100:  # name the far cells then
        far = [
            next((int(r), col_index(c) + 1) for c, r in refs if int(r) == max_row),
            next((int(r), max_col) for c, r in refs if c == widest),
        ]
        _check_used_range(sheet, max_row, max_col, far, settings)
    errors = {}
    if b't="e"' in body:
        for m in _ERROR_TAG.finditer(body):
            ref = _CELL_REF.search(m.group(1))
            value = _ERROR_VALUE.search(body, m.end(), m.end() + 512)
            if ref:
                errors[(int(ref.group(2)), col_index(ref.group(1)))] = (
                    value.group(1).decode(errors="replace") if value else "#?"
                )
    scan.errors[sheet] = errors
    if b"<f>" in body or b"<f " in body or b":f>" in body or b":f " in body:
        sums = set()
        for attrs in _SUM_CELL.findall(body):
            ref = _CELL_REF.search(attrs)
            if ref:
                sums.add(int(ref.group(2)))
        scan.sums[sheet] = frozenset(sums)
    scan.hidden[sheet] = frozenset(hidden)


def _xml_text(body: bytes, limit: int = MAX_COMMENT_CHARS) -> str:
    return html.unescape(_XML_TEXT.sub(b" ", body[: limit * 4]).decode("utf-8", "replace"))[:limit]


def _scan_ods(body: bytes, scan: _XlsxScan, settings: ProjectSettings) -> None:
    """The used range of every table, counting repeated rows and cells that hold a value."""
    name = ""
    row = col = 0
    row_repeat = 1
    max_row = max_col = 0
    far: list[tuple[int, int]] = []
    hidden: set[int] = set()
    for m in _ODS_TAG.finditer(body):
        closing, tag, attrs = m.group(1), m.group(2), m.group(3)
        if tag == b"table":
            if closing:
                _check_used_range(name, max(max_row, 1), max(max_col, 1), far or [(1, 1)], settings)
                scan.hidden[name] = frozenset(hidden)
            else:
                name = _attr(_ODS_NAME, attrs) or ""
                row = max_row = max_col = 0
                far, hidden = [], set()
        elif tag == b"table-row":
            if not closing:
                rep = _ODS_ROWS.search(attrs)
                row_repeat = int(rep.group(1)) if rep else 1
                col = 0
                if _ODS_HIDDEN.search(attrs) and len(hidden) < 1_000_000:
                    hidden.update(range(row + 1, row + 1 + min(row_repeat, 1_000_000)))
            else:
                row += row_repeat
        elif not closing:
            rep = _ODS_COLS.search(attrs)
            span = int(rep.group(1)) if rep else 1
            if _ODS_VALUE.search(attrs):
                last_row, last_col = row + row_repeat, col + span
                if last_row > max_row:
                    max_row = last_row
                    far.append((last_row, max(last_col, 1)))
                if last_col > max_col:
                    max_col = last_col
                    far.append((last_row, last_col))
                if max_row * max_col > settings.max_cells or max_row > settings.max_rows + 100:
                    _check_used_range(name, max_row, max_col, far, settings)
            col += span
    start = 0
    while len(scan.comments) < 10_000:  # cell comments (annotations), found without backtracking
        open_at = body.find(b"<office:annotation", start)
        if open_at < 0:
            break
        close_at = body.find(b"</office:annotation>", open_at)
        if close_at < 0:
            break
        scan.comments.append(("", _xml_text(body[open_at:close_at])))
        start = close_at


def _check_zip(data: bytes, settings: ProjectSettings) -> tuple[str, _XlsxScan]:
    limit = settings.max_uncompressed_mb * 2**20
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError) as exc:
        raise WorkbookError("corrupt", value=str(exc)[:200]) from None
    declared = sum(i.file_size for i in infos)
    if declared > limit:
        raise WorkbookError("zip_bomb", value=declared // 2**20, limit=limit // 2**20)
    names = {i.filename for i in infos}
    scan = _XlsxScan()
    budget = limit
    replacements: dict[str, bytes] = {}
    try:
        if "mimetype" in names and b"opendocument.spreadsheet" in zf.read("mimetype")[:200]:
            kind = "ods"
        elif "xl/workbook.xml" in names:
            kind = "xlsx"
        elif any(n.startswith("word/") for n in names):
            raise WorkbookError("word_document")
        elif any(n.startswith("ppt/") for n in names):
            raise WorkbookError("presentation")
        else:
            raise WorkbookError("not_a_workbook")
        sheet_names = _sheet_paths(zf) if kind == "xlsx" else {}
        comment_parts = {}
        for path, sheet in sheet_names.items():
            rels = posixpath.join(posixpath.dirname(path), "_rels", posixpath.basename(path) + ".rels")
            for target in _relations(zf, rels, posixpath.dirname(path)).values():
                if "comment" in target.lower():
                    comment_parts[target] = sheet
        for info in infos:
            if not info.filename.endswith(".xml"):
                continue
            body = _read_member(zf, info, budget)
            budget -= len(body)
            if b"<!ENTITY" in body or b"<!entity" in body:
                raise WorkbookError("xml_entities")
            if kind == "ods" and info.filename == "content.xml":
                _scan_ods(body, scan, settings)
            elif info.filename in comment_parts or info.filename.startswith(("xl/comments", "xl/threadedComments/")):
                scan.comments.append((comment_parts.get(info.filename, ""), _xml_text(body)))
            sheet = sheet_names.get(info.filename)
            if sheet is None:
                continue
            _scan_xlsx_sheet(sheet, body, scan, settings)
            dim = _DIMENSION.search(body, 0, 4096)
            if dim and dim.group(3):
                cells = (int(dim.group(4)) - int(dim.group(2)) + 1) * (
                    col_index(dim.group(3)) - col_index(dim.group(1)) + 1
                )
                if cells > MAX_DIMENSION_CELLS:
                    replacements[info.filename] = body[: dim.start()] + body[dim.end() :]
        if replacements:
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
                for info in infos:
                    dst.writestr(info, replacements.get(info.filename) or zf.read(info))
            scan.patched = out.getvalue()
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError, RuntimeError) as exc:
        raise WorkbookError("corrupt", value=str(exc)[:200]) from None
    return kind, scan


def _what_else(data: bytes) -> str:
    """The message code for a file that is neither a zip nor an OLE workbook: a PDF, CSV text, or unknown."""
    if data.startswith(b"%PDF"):
        return "pdf_file"
    head = data[:4096]
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = head.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        return "not_a_workbook"
    first = text.splitlines()[0] if text.strip() else ""
    if first and "\x00" not in text and any(sep in first for sep in (";", ",", "\t")):
        return "csv_file"
    return "not_a_workbook"


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
        raise WorkbookError(_what_else(data))

    import python_calamine

    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(scan.patched or data))
        sheets = []
        for name in book.sheet_names:
            sheet = book.get_sheet_by_name(name)
            if sheet.total_height > settings.max_rows + 100:
                raise WorkbookError("too_many_rows", value=sheet.total_height, limit=settings.max_rows)
            rows = sheet.to_python(skip_empty_area=False)
            sheets.append(
                RawSheet(
                    name,
                    rows,
                    scan.errors.get(name, {}),
                    scan.sums.get(name, frozenset()),
                    scan.hidden.get(name, frozenset()),
                )
            )
    except WorkbookError:
        raise
    except python_calamine.PasswordError:
        raise WorkbookError("encrypted") from None
    except Exception as exc:  # calamine raises several error types for damaged files
        raise WorkbookError("unreadable", value=str(exc)[:200]) from None
    return RawWorkbook(file_name, kind, tuple(sheets), tuple(scan.comments))
