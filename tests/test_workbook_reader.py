"""Files that are not workbooks, or are hostile, get a clear reason and never reach the parser."""

import dataclasses
import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import CONTACT_HEADER, excel_style_xlsx, xlsx_bytes

from vvr_metrics.workbook_reader import OLE_MAGIC, WorkbookError, col_index, col_letter, read_workbook

ROOT = Path(__file__).resolve().parent.parent


def code_of(data: bytes, settings, name="x.xlsx") -> str:
    with pytest.raises(WorkbookError) as err:
        read_workbook(data, name, settings)
    return err.value.code


def test_empty_file(settings):
    assert code_of(b"", settings) == "empty_file"


def test_csv_renamed_to_xlsx(settings):
    assert code_of(b"Pvm;Kunta\n1.2.2012;Heinola\n", settings) == "csv_file"


def test_truncated_zip(settings):
    data = xlsx_bytes({"Kontaktit": [CONTACT_HEADER]})
    assert code_of(data[: len(data) // 2], settings) == "corrupt"


def test_zip_that_is_not_a_workbook(settings):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("hello.txt", "hi")
    assert code_of(buf.getvalue(), settings) == "not_a_workbook"


def test_password_protected_workbook(settings):
    fake = OLE_MAGIC + b"\0" * 100 + "EncryptedPackage".encode("utf-16-le") + b"\0" * 100
    assert code_of(fake, settings) == "encrypted"


def test_zip_bomb_is_refused_by_declared_size(settings):
    settings = dataclasses.replace(settings, max_uncompressed_mb=5)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"<a>" + b" " * (settings.max_uncompressed_mb * 2**20 + 10) + b"</a>")
    assert len(buf.getvalue()) < 100_000
    assert code_of(buf.getvalue(), settings) == "zip_bomb"


def test_xml_entity_declarations_are_refused(settings):
    data = excel_style_xlsx({"Kontaktit": [CONTACT_HEADER]})
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "xl/sharedStrings.xml":
                body = body.replace(b"<sst", b'<!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]><sst', 1)
            dst.writestr(info, body)
    assert code_of(out.getvalue(), settings) == "xml_entities"


def test_file_over_the_upload_limit(settings):
    assert code_of(b"PK\x03\x04" + b"\0" * (settings.max_file_mb * 2**20 + 1), settings) == "too_large"


def test_full_grid_dimension_is_read_without_crashing_the_process(tmp_path):
    """A <dimension> claiming A1:XFD1048576 can abort calamine; the reader removes it first.

    Run in a child process so that an abort would fail this test instead of killing the suite.
    """
    data = excel_style_xlsx(
        {"Kontaktit": [CONTACT_HEADER, ["2.1.2012", "Heinola", "Yritys"]]}, dimension="A1:XFD1048576"
    )
    path = tmp_path / "grid.xlsx"
    path.write_bytes(data)
    code = (
        "import sys; from vvr_metrics.workbook_reader import read_workbook; "
        "from vvr_metrics.settings import load_settings; "
        f"wb = read_workbook(open({str(path)!r}, 'rb').read(), 'grid.xlsx', load_settings()); "
        "print(len(wb.sheets[0].rows))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "2"


def test_column_names():
    assert [col_letter(i) for i in (0, 25, 26, 16383)] == ["A", "Z", "AA", "XFD"]
    assert [col_index(n) for n in ("A", "Z", "AA", "XFD")] == [0, 25, 26, 16383]
