"""Personal data: identity codes block the upload anywhere; name/e-mail/phone columns are never stored;
uploaded text is shown as plain text and never written as a formula."""

import csv
import io
import zipfile

import pytest
from conftest import CONTACT_HEADER, TODAY, xlsx_bytes
from openpyxl import load_workbook

from vvr_metrics import store
from vvr_metrics.exports import table_csv, table_xlsx, write_rejected
from vvr_metrics.formatting import md_escape
from vvr_metrics.uploads import prepare_upload

HETU = "131052-308T"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEETS = {
    "Tavoitteet": [["Indikaattori", "Tavoite", "Huom"], ["uudet_tyopaikat", 60, "{}"]],
    "Kontaktit": [CONTACT_HEADER, ["2.1.2012", "Heinola", "Yritys", None, None, "{}"]],
    "Työpaikat": [["Pvm", "Kunta", "Lisätiedot"], ["2.1.2012", "Heinola", "{}"]],
    "Yritykset": [["Perustamispvm", "Kunta", "Yritys"], ["2.1.2012", "Heinola", "{}"]],
    "Työllistäminen": [["Pvm", "Kunta", "Toimenpide", "Asiakastunnus"], ["2.1.2012", "Heinola", "Koulutus", "{}"]],
    "Koulutukset": [["Alkupvm", "Koulutus"], ["2.1.2012", "{}"]],
    "Hankkeet": [["Pvm", "Hanke"], ["2.1.2012", "{}"]],
    "Rahoitus": [["Pvm", "Lähde", "Summa", "Selite"], ["3/2012", "Kunta", 10, "{}"]],
    "Ohjeet": [["{}"]],
}


@pytest.mark.parametrize("sheet", list(SHEETS))
def test_identity_code_in_any_sheet_blocks_everything(db, sheet):
    sheets = {name: [list(r) for r in rows] for name, rows in SHEETS.items() if name in (sheet, "Kontaktit")}
    target = sheets[sheet]
    target[-1] = [f"asiakas {HETU}" if v == "{}" else v for v in target[-1]]
    for rows in sheets.values():
        rows[-1] = [None if v == "{}" else v for v in rows[-1]]
    plan = prepare_upload(xlsx_bytes(sheets), "kaikki.xlsx", db, today=TODAY)
    assert plan.blocked and plan.records == {}
    assert plan.problems[0].code == "hetu_found" and plan.problems[0].sheet == sheet
    assert "308T" not in plan.problems[0].line("fi")


DISGUISED = [
    "131052\u00ad-308T",  # a soft hyphen
    "131052\u200b-308T",  # a zero-width space before the dash
    "131052\u2060-308T",  # a word joiner
    "131052\u00a0-308T",  # a non-breaking space before the dash
    "131052\uff0d308T",  # a full-width hyphen-minus
    "131052\ufe63308T",  # a small hyphen-minus
    "131052 308T",  # a space for the century sign
    "\uff11\uff13\uff11\uff10\uff15\uff12-308T",  # full-width digits
    "\u0661\u0663\u0661\u0660\u0665\u0662-\u0663\u0660\u0668T",  # Arabic-Indic digits
]


@pytest.mark.parametrize("code", DISGUISED)
def test_a_disguised_identity_code_blocks_the_upload_and_is_named_with_its_place(db, code):
    rows = [CONTACT_HEADER, ["2.1.2012", "Heinola", "Yritys", None, None, "ok"], ["3.1.2012", "Heinola",
            "Työnhakija", "N", None, f"soitti {code} tänään"]]  # fmt: skip
    before = store.data_version(db)
    plan = prepare_upload(xlsx_bytes({"Kontaktit": rows}), "k.xlsx", db, today=TODAY)
    assert plan.blocked and plan.records == {}
    problem = plan.problems[0]
    assert (problem.code, problem.sheet, problem.row, problem.column) == ("hetu_found", "Kontaktit", 3, "F")
    line = problem.line("fi")
    assert (
        line.startswith("k.xlsx: Kontaktit, rivi 3, sarake F: ")
        and "308T" not in line
        and "308T" not in str(problem.params)
    )
    assert store.data_version(db) == before  # nothing stored


def test_phone_numbers_and_dates_are_no_identity_codes():
    from vvr_metrics.validation import find_hetu

    for text in ("p. 0401234567", "12.10.2012 klo 308", "1131052-308T", "tilaus 131052308T"):
        assert find_hetu(text) is None, text


def test_the_pages_refusal_names_the_file_sheet_row_and_column(db, monkeypatch):
    from conftest import dashboard_on

    monkeypatch.setenv("VVR_DB", str(db))
    rows = [CONTACT_HEADER, ["3.1.2012", "Heinola", "Työnhakija", "N", None, f"soitti {DISGUISED[0]}"]]
    at = dashboard_on("upload")
    uploader = at.file_uploader(key=f"upload_files_{at.session_state['upload_round']}")
    uploader.set_value(("k.xlsx", xlsx_bytes({"Kontaktit": rows}), XLSX)).run()
    assert not at.exception
    errors = " ".join(e.value for e in at.error).replace("\\", "")  # as shown: without the Markdown escapes
    assert "k.xlsx: Kontaktit, rivi 2, sarake F:" in errors and "308T" not in errors


def test_name_email_and_phone_columns_are_not_stored(db, ingest):
    rows = [
        CONTACT_HEADER + ["Nimi", "Yhteys", "Puhelin"],
        ["2.1.2012", "Heinola", "Työnhakija", "N", "A1", None, "Maija Meikäläinen", "maija@example.fi", "040 123 4567"],
        [
            "3.1.2012",
            "Heinola",
            "Työnhakija",
            "N",
            "A2",
            None,
            "Liisa Virtanen",
            "liisa@example.fi",
            "+358 40 765 4321",
        ],
    ]
    data = xlsx_bytes({"Kontaktit": rows})
    plan = prepare_upload(data, "kontaktit.xlsx", db, today=TODAY)
    warning = next(p for p in plan.warnings if p.code == "personal_data_columns")
    assert warning.message("fi") == "Sarakkeet näyttävät henkilötiedoilta, eikä niitä tallenneta: Nimi, Yhteys, Puhelin"
    ingest({"kontaktit.xlsx": data})
    with store.connect(db) as con:
        stored = str(con.execute("SELECT * FROM contacts").fetchall())
    assert "Meikäläinen" not in stored and "example.fi" not in stored and "040" not in stored


NASTY = [
    '=HYPERLINK("http://evil","x")',
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
]


def test_no_formula_in_any_workbook_or_csv_we_write(db, tmp_path):
    import pandas as pd

    frame = pd.DataFrame({"Toimiala": NASTY, "Arvo": range(len(NASTY))})
    for data in (table_xlsx({"Pivot": frame}, "Lähde"),):
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            assert "<f>" not in zf.read("xl/worksheets/sheet1.xml").decode()
        values = [c.value for c in load_workbook(io.BytesIO(data)).active["A"]]
        assert values[3:] == NASTY
    rows = list(csv.reader(io.StringIO(table_csv(frame).decode("utf-8-sig"))))
    assert [r[0] for r in rows[1:5]] == ["'" + v for v in NASTY[:4]]
    rejected_rows = [CONTACT_HEADER] + [["1.1.2010", "Heinola", "Yritys", None, v, v] for v in NASTY]
    plan = prepare_upload(xlsx_bytes({"Kontaktit": rejected_rows}), "x.xlsx", db, today=TODAY)
    out = tmp_path / "hylatyt.xlsx"
    write_rejected([plan], out)
    with zipfile.ZipFile(out) as zf:
        assert "<f>" not in zf.read("xl/worksheets/sheet1.xml").decode()


def test_markdown_and_html_are_escaped_for_messages():
    for text in NASTY[4:]:
        escaped = md_escape(text)
        assert "<" not in escaped.replace("\\<", "") and "](" not in escaped


def test_uploaded_text_stays_plain_text_on_the_pages(sample_db, tmp_path, monkeypatch):
    import shutil
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    db = tmp_path / "dash.duckdb"
    shutil.copy(sample_db, db)
    monkeypatch.setenv("VVR_DB", str(db))
    root = Path(__file__).resolve().parent.parent
    at = AppTest.from_file(str(root / "dashboard.py"), default_timeout=90).run()
    at.switch_page("pages/upload.py").run()
    rows = [CONTACT_HEADER, ["2.1.2012", "Heinola", "Yritys", None, "<b>C1</b>", "<img src=x onerror=alert(1)>"]]
    name = "[x](javascript:alert(1)).xlsx"
    at.file_uploader(key="upload_files_0").set_value(
        (name, xlsx_bytes({"Kontaktit": rows}), "application/octet-stream")
    )
    at.run()
    assert not at.error, [e.value for e in at.error]
    assert any(t.value.startswith(name) for t in at.text)  # st.text: never Markdown
    at.button(key="confirm_upload_0").click().run()
    message = at.success[0].value
    assert "\\[x\\]\\(javascript\\:alert\\(1\\)\\)" in message  # escaped: shown literally, not a link
    at.switch_page("pages/explore.py").run()
    at.multiselect(key="explore_indicators").set_value(["yrityskontaktit"]).run()
    at.multiselect(key="explore_rows").set_value(["month"]).run()
    at.multiselect(key="filter_municipality").set_value(["Heinola"]).run()
    at.selectbox(key="drill_month").set_value("2012-01").run()
    records = at.dataframe[1].value
    assert "<img src=x onerror=alert(1)>" in set(records["Lisätiedot"])  # a table cell: plain text
    assert not at.get("html") or all("<img" not in h.proto.body for h in at.get("html"))
