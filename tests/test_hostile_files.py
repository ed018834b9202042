"""Hostile and broken files through the isolated reader: a clear message, within 1 GB, and the process that asked
keeps running. How long each takes (the 10 s budget) is measured by bench/hostile_files.py, not asserted here: a
wall-clock limit fails on a loaded machine. A hang still fails, by the reader's own timeout and pytest-timeout."""

import io
import zipfile

import pytest
from conftest import CONTACT_HEADER, excel_style_xlsx, xlsx_bytes

from vvr_metrics import store
from vvr_metrics.isolation import read_workbook_isolated
from vvr_metrics.uploads import prepare_upload
from vvr_metrics.workbook_reader import OLE_MAGIC, WorkbookError


def isolated_code(data, settings, reader=None, timeout=10.0):
    with pytest.raises(WorkbookError) as err:
        if reader:
            read_workbook_isolated(data, "x.xlsx", settings, timeout=timeout, reader=reader)
        else:
            read_workbook_isolated(data, "x.xlsx", settings, timeout=timeout)
    return err.value.code


def test_a_reader_crash_is_a_message_not_a_dead_server(settings):
    assert isolated_code(b"PK", settings, "hostile_readers:abort") == "reader_crashed"


def test_a_hanging_reader_is_stopped(settings):
    assert isolated_code(b"PK", settings, "hostile_readers:hang", timeout=1.0) == "too_slow"


def test_a_reader_that_wants_too_much_memory(settings):
    assert isolated_code(b"PK", settings, "hostile_readers:hog") == "out_of_memory"


def bomb() -> bytes:
    """A ~2 MB file whose sheet expands to 2 GB (written in chunks, never held in memory)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        chunk = b"0" * 2**20
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            for _ in range(2048):
                fh.write(chunk)
    return buf.getvalue()


def entities() -> bytes:
    data = excel_style_xlsx({"Kontaktit": [CONTACT_HEADER]})
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    lol = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10 if i else "lol"}">' for i in range(10))
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "xl/sharedStrings.xml":
                body = body.replace(b"<sst", f"<!DOCTYPE sst [{lol}]><sst".encode(), 1)
            dst.writestr(info, body)
    return out.getvalue()


CASES = {
    "not_a_zip": (b"\x00\x01 nothing like a workbook", "not_a_workbook"),
    "truncated": (xlsx_bytes({"Kontaktit": [CONTACT_HEADER]})[:900], "corrupt"),
    "zip_bomb": (bomb(), "zip_bomb"),
    "billion_laughs": (entities(), "xml_entities"),
    "encrypted": (OLE_MAGIC + b"\0" * 512 + "EncryptedPackage".encode("utf-16-le"), "encrypted"),
    "csv_renamed": (b"Pvm;Kunta;Kontaktityyppi\n2.1.2012;Heinola;Yritys\n", "csv_file"),
    "empty": (b"", "empty_file"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_hostile_file_gets_its_reason(case, db, settings):
    data, code = CASES[case]
    before = store.data_version(db)
    plan = prepare_upload(data, f"{case}.xlsx", db, isolate=True)
    assert plan.blocked and plan.problems[0].code == code
    assert plan.problems[0].message("fi") and plan.problems[0].message("en")
    assert store.data_version(db) == before


def test_full_grid_claim_and_excel_errors_and_no_known_sheet(db, settings):
    grid = excel_style_xlsx(
        {"Kontaktit": [CONTACT_HEADER, ["2.1.2012", "Heinola", "Yritys"]]}, dimension="A1:XFD1048576"
    )
    assert prepare_upload(grid, "grid.xlsx", db, isolate=True).sheets[0].rows == 1
    errors = excel_style_xlsx({"Kontaktit": [CONTACT_HEADER, ["2.1.2012", "Heinola", ("#DIV/0!",)]]})
    plan = prepare_upload(errors, "virhe.xlsx", db, isolate=True)
    assert plan.problems[0].code == "excel_error" and "#DIV/0!" in plan.problems[0].message("fi")
    unknown = prepare_upload(xlsx_bytes({"Taul1": [["a"]]}), "t.xlsx", db, isolate=True)
    assert unknown.blocked and unknown.problems[0].code == "no_known_sheet"


def test_more_rows_than_the_limit(db, settings):
    import dataclasses

    small = dataclasses.replace(settings, max_rows=10)
    rows = [CONTACT_HEADER] + [["2.1.2012", "Heinola", "Yritys"]] * 200
    plan = prepare_upload(xlsx_bytes({"Kontaktit": rows}), "iso.xlsx", db, settings=small, isolate=True)
    assert plan.blocked and plan.problems[0].code == "too_many_rows"


def test_xls_renamed_to_xlsx_is_read(db):
    import xlwt

    wb = xlwt.Workbook()
    ws = wb.add_sheet("Hankkeet")
    for c, v in enumerate(["Pvm", "Hanke"]):
        ws.write(0, c, v)
    ws.write(1, 0, "15.1.2013")
    ws.write(1, 1, "Passi")
    buf = io.BytesIO()
    wb.save(buf)
    plan = prepare_upload(buf.getvalue(), "vanha.xlsx", db, isolate=True)
    assert not plan.blocked and plan.sheets[0].rows == 1


def test_a_reader_child_never_runs_the_page_script(settings, tmp_path, monkeypatch):
    """Inside Streamlit, __main__ is the script being run (dashboard.py). A forkserver child used to run it
    again: the whole dashboard drawn in the reader, the store opened, the example data loaded into it."""
    import sys
    import threading
    import types

    marker = tmp_path / "ran"
    script = tmp_path / "page_script.py"
    script.write_text(f"open({str(marker)!r}, 'w').write('the page ran in the reader')\n")
    page = types.ModuleType("__main__")
    page.__file__ = str(script)
    monkeypatch.setitem(sys.modules, "__main__", page)
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)  # a threaded process, as the dashboard is: forkserver
    other.start()
    try:
        raw = read_workbook_isolated(
            xlsx_bytes({"Hankkeet": [["Pvm", "Hanke"], ["1.2.2013", "X"]]}), "a.xlsx", settings
        )
    finally:
        stop.set()
        other.join()
    assert raw.sheets[0].name == "Hankkeet"
    assert not marker.exists()
