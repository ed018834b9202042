"""Small, composable fixtures: workbooks built in memory, a fresh store per test."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest

from vvr_metrics.settings import load_settings

TODAY = dt.date(2026, 11, 27)

# Most page tests store their own workbooks in the open demo (no secrets file): the documented local-trial switch
# lets the demo run on a store with real uploads, and upload. tests/test_demo_guard.py turns it off.
__import__("os").environ.setdefault("VVR_DEMO", "1")

# Tests that need more than this process: a page (AppTest), a browser, a server or another process. `make mutation`
# (bench/mutation.py sets VVR_MUTATION) leaves them out: mutmut's mutants live in this process only, and these
# tests take seconds each.
_OUT_OF_PROCESS = ("AppTest", "subprocess", "dashboard_on(", "signed_in(", "page(", "cli(")
_OUT_OF_PROCESS_FIXTURES = {
    "dash",
    "sample_store",
    "browser",
    "server",
    "secured_server",
    "sso_server",
    "signed_in_viewer",
}


# The fixtures read uploads in this process (the same function; the child process's limits have tests of their
# own). Under `make mutation` they read in the child, where no mutant runs: reading's mutants are then judged by
# the tests that read directly, not by every test that stores a workbook (which made a run take hours).
_ISOLATE = bool(__import__("os").environ.get("VVR_MUTATION"))


def pytest_collection_modifyitems(config, items):
    import inspect
    import os

    if not os.environ.get("VVR_MUTATION"):
        return
    skip = pytest.mark.skip(reason="make mutation: in-process tests only")
    for item in items:
        source = inspect.getsource(getattr(item, "function", lambda: None))
        if any(s in source for s in _OUT_OF_PROCESS) or _OUT_OF_PROCESS_FIXTURES & set(item.fixturenames):
            item.add_marker(skip)


def xlsx_bytes(sheets: dict[str, list[list]]) -> bytes:
    """An .xlsx with the given sheets, each a list of rows from A1 (None = empty cell; text is always text)."""
    from openpyxl import Workbook

    from vvr_metrics.exports import set_cell

    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    set_cell(ws.cell(r, c), value)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _col(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        name = chr(65 + rem) + name
    return name


def excel_style_xlsx(sheets: dict[str, list[list]], dimension: str | None = None) -> bytes:
    """An .xlsx written the way Excel writes it: shared strings, cached formula values, error cells.

    Cell values: str -> shared string; int/float -> number; ("=FORMULA", cached) -> formula with
    its cached value; ("#REF!",) -> an error cell; dt.date -> serial number with a date style.
    """
    strings: list[str] = []
    index: dict[str, int] = {}

    def sst(text: str) -> int:
        if text not in index:
            index[text] = len(strings)
            strings.append(text)
        return index[text]

    sheet_xml = []
    for rows in sheets.values():
        out = []
        for r, row in enumerate(rows, start=1):
            cells = []
            for c, v in enumerate(row):
                ref = f"{_col(c)}{r}"
                if v is None:
                    continue
                if isinstance(v, tuple) and len(v) == 1:
                    cells.append(f'<c r="{ref}" t="e"><v>{v[0]}</v></c>')
                elif isinstance(v, tuple):
                    formula, cached = v
                    if isinstance(cached, str):
                        cells.append(f'<c r="{ref}" t="str"><f>{formula[1:]}</f><v>{cached}</v></c>')
                    else:
                        cells.append(f'<c r="{ref}"><f>{formula[1:]}</f><v>{cached}</v></c>')
                elif isinstance(v, dt.date):
                    serial = (v - dt.date(1899, 12, 30)).days
                    cells.append(f'<c r="{ref}" s="1"><v>{serial}</v></c>')
                elif isinstance(v, str):
                    cells.append(f'<c r="{ref}" t="s"><v>{sst(v)}</v></c>')
                else:
                    cells.append(f'<c r="{ref}"><v>{v}</v></c>')
            out.append(f'<row r="{r}">{"".join(cells)}</row>')
        dim = f'<dimension ref="{dimension}"/>' if dimension else ""
        sheet_xml.append(
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f"{dim}<sheetData>{''.join(out)}</sheetData></worksheet>"
        )
    from xml.sax.saxutils import escape

    names = list(sheets)
    files = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            + "".join(
                f'<Override PartName="/xl/worksheets/sheet{i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                for i in range(len(names))
            )
            + '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
            + "".join(f'<sheet name="{escape(n)}" sheetId="{i + 1}" r:id="rId{i + 1}"/>' for i, n in enumerate(names))
            + "</sheets></workbook>"
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join(
                f'<Relationship Id="rId{i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{i + 1}.xml"/>'
                for i in range(len(names))
            )
            + f'<Relationship Id="rId{len(names) + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
            f'<Relationship Id="rId{len(names) + 2}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
            "</Relationships>"
        ),
        "xl/styles.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            '<numFmts count="1"><numFmt numFmtId="164" formatCode="d\\.m\\.yyyy"/></numFmts>'
            '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
            '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
            '<borders count="1"><border/></borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
            '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
            "</styleSheet>"
        ),
    }
    for i, xml in enumerate(sheet_xml):
        files[f"xl/worksheets/sheet{i + 1}.xml"] = xml
    files["xl/sharedStrings.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{len(strings)}" uniqueCount="{len(strings)}">'
        + "".join(f"<si><t>{escape(s)}</t></si>" for s in strings)
        + "</sst>"
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in files.items():
            zf.writestr(name, text)
    return buf.getvalue()


def ods_bytes(sheets: dict[str, list[list]]) -> bytes:
    """A minimal OpenDocument spreadsheet (what LibreOffice saves), text and float cells only."""
    from xml.sax.saxutils import escape

    tables = []
    for name, rows in sheets.items():
        xml_rows = []
        for row in rows:
            cells = []
            for v in row:
                if v is None:
                    cells.append("<table:table-cell/>")
                elif isinstance(v, dt.date):
                    cells.append(
                        f'<table:table-cell office:value-type="date" office:date-value="{v.isoformat()}">'
                        f"<text:p>{v.day}.{v.month}.{v.year}</text:p></table:table-cell>"
                    )
                elif isinstance(v, (int, float)):
                    cells.append(
                        f'<table:table-cell office:value-type="float" office:value="{v}"><text:p>{v}</text:p></table:table-cell>'
                    )
                else:
                    cells.append(
                        f'<table:table-cell office:value-type="string"><text:p>{escape(str(v))}</text:p></table:table-cell>'
                    )
            xml_rows.append(f"<table:table-row>{''.join(cells)}</table:table-row>")
        tables.append(f'<table:table table:name="{escape(name)}">{"".join(xml_rows)}</table:table>')
    return ods_document("".join(tables))


def ods_document(tables: str) -> bytes:
    """An OpenDocument spreadsheet around ``tables`` (``<table:table>`` elements as XML text)."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        zf.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()


CONTACT_HEADER = ["Pvm", "Kunta", "Kontaktityyppi", "Sukupuoli", "Asiakastunnus", "Lisätiedot"]


@pytest.fixture
def settings():
    return load_settings()


@pytest.fixture
def db(tmp_path, monkeypatch) -> Path:
    """A fresh, empty store; also the default store for code that reads $VVR_DB."""
    path = tmp_path / "store.duckdb"
    monkeypatch.setenv("VVR_DB", str(path))
    return path


@pytest.fixture
def ingest(db):
    """Preview and store workbooks: ingest({"name.xlsx": bytes}) -> the plans."""
    from vvr_metrics.uploads import commit_uploads, prepare_upload

    def run(files: dict[str, bytes], source: str | None = None, skip_invalid: bool = False, today=TODAY):
        # read in this process: the reading is the same function, and the child process's limits are tested by
        # test_hostile_files, the CLI and the page
        plans = [
            prepare_upload(data, name, db, source=source, today=today, isolate=_ISOLATE) for name, data in files.items()
        ]
        commit_uploads(plans, db, skip_invalid=skip_invalid)
        return plans

    return run


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory) -> Path:
    """A store holding the committed example workbooks (built once per test session)."""
    from vvr_metrics import store
    from vvr_metrics.sample import sample_files
    from vvr_metrics.uploads import commit_uploads, prepare_upload

    path = tmp_path_factory.mktemp("sample") / "sample.duckdb"
    # under `make mutation` every mutant's test run would build it again: the first build is kept beside the
    # mutants (made by the unmutated code, as the store's code is not among the mutated modules' readers)
    cache = Path(__file__).resolve().parent.parent / ".sample-for-mutation.duckdb"
    if _ISOLATE and cache.exists():
        import shutil

        shutil.copy(cache, path)
    else:
        plans = [prepare_upload(p.read_bytes(), p.name, path, today=TODAY, isolate=_ISOLATE) for p in sample_files()]
        commit_uploads(plans, path)
        if _ISOLATE:
            import shutil

            shutil.copy(path, cache)
    before = (store.data_version(path), len(store.events(path)))
    yield path
    # shared by the whole session: a test that writes (an upload, an audit event) works on a copy (sample_store)
    assert (store.data_version(path), len(store.events(path))) == before, "a test wrote to the shared sample_db"


@pytest.fixture(autouse=True)
def navigation_mode(monkeypatch):
    """AppTest restarts Streamlit's folder-based page mode on every run (``pages/`` sits beside the entrypoint),
    which a real server leaves on its first request (``pages.common.leave_folder_mode``). Start every AppTest
    run as the server runs after that: the entrypoint's frame, then its navigation. The first request itself is
    covered by the browser tests against a freshly started server."""
    from streamlit.runtime.pages_manager import PagesManager

    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)


def dashboard_on(page: str, state: dict | None = None, query: dict | None = None, timeout: int = 120):
    """The dashboard (AppTest) on ``page`` of ``pages/``, with widget ``state`` and an address ``query`` set before
    its first run; it has run without an exception."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "dashboard.py"), default_timeout=timeout)
    for key, value in (state or {}).items():
        at.session_state[key] = value
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


@pytest.fixture
def sample_store(sample_db, tmp_path, monkeypatch) -> Path:
    """A private copy of the example store as the dashboard's store (``VVR_DB``); caches of figures start empty."""
    import shutil

    import streamlit as st

    path = tmp_path / "dashboard.duckdb"
    shutil.copy(sample_db, path)
    monkeypatch.setenv("VVR_DB", str(path))
    st.cache_resource.clear()
    return path
