"""Page downloads are data (numbers with formats, Finnish CSV), protected for a viewer, never a formula, and
every one is in the audit log. Expected values are read off the example workbooks by hand."""

import csv
import io
import shutil
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from vvr_metrics import auth, store
from vvr_metrics.exports import ExportTable, data_csv, data_xlsx, sheet_title
from vvr_metrics.formatting import indicator_export, numbers_export, pivot_export
from vvr_metrics.indicators import indicator_table
from vvr_metrics.suppression import protected, protected_pivot

ROOT = Path(__file__).resolve().parent.parent
AUTH = {"viewer_password_hash": auth.hash_password("katsoja"), "staff_password_hash": auth.hash_password("tekija")}


def rows_of(table: str, by=("municipality",), db=None) -> pd.DataFrame:
    t = indicator_table(db, by=by)
    return t[t["indicator"] == table].reset_index(drop=True)


def test_excel_cells_are_numbers_with_formats_and_euros_keep_cents(sample_db):
    table = indicator_table(sample_db)
    book = load_workbook(io.BytesIO(data_xlsx({"Koko hanke": indicator_export(table)}, "Lähde")))
    ws = book["Koko hanke"]
    header = [c.value for c in ws[3]]
    assert header == [
        "Indikaattori", "Suunniteltu", "joista naisia (suunniteltu)", "Toteutunut",
        "joista naisia (toteutunut)", "joista miehiä", "Toteutuma",
    ]  # fmt: skip
    rows = {r[0].value: r for r in ws.iter_rows(min_row=4)}
    jobs = rows["Uudet työpaikat"]
    assert [c.value for c in jobs[1:6]] == [60, 25, 72, 19, 53] and jobs[3].number_format == "#,##0"
    assert jobs[6].value == 1.2 and jobs[6].number_format == "0.0 %"  # 72 / 60
    eu = rows["EU- ja valtion rahoitus"]
    assert eu[3].value == 613288 and eu[3].number_format == '#,##0.00 "€"'  # the brief's 613 288 €
    # one funding row of the example workbook: 10 174,39 € keeps its cents (it used to be text, "10 174 €")
    one = ExportTable(pd.DataFrame({"Summa": [10174.39]}), {"Summa": "eur"})
    cell = load_workbook(io.BytesIO(data_xlsx({"s": one})))["s"]["A2"]
    assert cell.value == 10174.39 and cell.number_format == '#,##0.00 "€"'
    assert data_csv(one, "fi").decode("utf-8-sig").splitlines()[1] == "10174,39"


def test_finnish_csv_is_semicolons_and_decimal_commas_english_is_commas(sample_db):
    table = indicator_table(sample_db)
    fi = data_csv(indicator_export(table), "fi", "Verkostosta Voimaa – koko hanke")
    assert fi.startswith(b"\xef\xbb\xbf")  # BOM: Finnish Excel opens it by double click
    lines = fi.decode("utf-8-sig").splitlines()
    assert lines[0] == "Verkostosta Voimaa – koko hanke"
    assert lines[1].split(";")[:4] == ["Indikaattori", "Suunniteltu", "joista naisia (suunniteltu)", "Toteutunut"]
    assert lines[2] == "Uudet työpaikat;60;25;72;19;53;120,0"
    en = data_csv(indicator_export(table, "en"), "en").decode("utf-8-sig").splitlines()
    assert en[1] == "New jobs,60,25,72,19,53,120.0"


def test_sheet_names_are_cut_on_word_boundaries_and_unique():
    assert sheet_title("Julkinen rahoitus yhteensä vuosittain") == "Julkinen rahoitus yhteensä"
    assert sheet_title("Julkinen rahoitus yhteensä vuosittain", ["Julkinen rahoitus yhteensä"]) == (
        "Julkinen rahoitus yhteensä (2)"
    )
    assert sheet_title("a/b:c*d?") == "abcd"


def test_a_viewer_download_holds_no_small_count(sample_db):
    """Hartola's new companies: 5, of which 3 women and 2 men (example workbook). The viewer's table hides the split."""
    table = protected(rows_of("uudet_yritykset", db=sample_db), ("municipality",))
    text = data_csv(indicator_export(table), "fi").decode("utf-8-sig")
    hartola = next(line for line in text.splitlines() if ";Hartola;" in line).split(";")
    assert hartola[4:7] == ["5", "x", "x"]
    book = load_workbook(io.BytesIO(data_xlsx({"x": indicator_export(table)})))
    counts = [c.value for row in book["x"].iter_rows(min_row=2) for c in row[4:7] if isinstance(c.value, int | float)]
    assert counts and not any(1 <= v <= 4 for v in counts)


def test_the_public_pivot_hides_small_counts_and_what_would_give_them_away():
    # new jobs by municipality × gender: Hartola 1 woman, 2 men; totals 3, 12, 15 by row
    table = pd.DataFrame({"municipality": ["Hartola", "Heinola", "Sysmä"], "M": [2.0, 9.0, 10.0], "N": [1.0, 7.0, 6.0]})
    out = protected_pivot(table, ["municipality"], "gender", ["uudet_tyopaikat"])
    hidden = out.attrs["hidden"]
    assert {(0, "M"), (0, "N")} <= hidden  # the small ones
    # each column total is published: one more cell per column must go, so that no hidden cell is alone
    for col in ("M", "N"):
        assert sum((r, col) in hidden for r in range(3)) >= 2
    shown = data_csv(pivot_export(out, ["municipality"], ["uudet_tyopaikat"]), "fi").decode("utf-8-sig")
    assert "Hartola;x;x" in shown


def test_uploaded_text_is_never_a_formula_in_any_download():
    hostile = ['=HYPERLINK("http://evil.example","x")', "=cmd|' /C calc'!A0", "+1+1", "@SUM(A1)", "-2+3", "\tx"]
    table = pd.DataFrame({"industry": ["Kauppa"], **{h: [5.0] for h in hostile}})
    export = pivot_export(table, ["industry"], ["uudet_yritykset"])
    rows = list(csv.reader(io.StringIO(data_csv(export, "fi").decode("utf-8-sig")), delimiter=";"))
    assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row)
    book = load_workbook(io.BytesIO(data_xlsx({"p": export})))
    assert all(c.data_type != "f" for row in book["p"].iter_rows() for c in row)
    numbers = ExportTable(pd.DataFrame({"Summa": [-5.0]}), {"Summa": "eur"})
    assert data_csv(numbers, "fi").decode("utf-8-sig").splitlines()[1] == "-5,00"  # a number, not text


def test_monthly_numbers_keep_a_decimal_for_the_path(sample_db):
    frame = pd.DataFrame(
        {
            "month": [pd.Timestamp("2012-03-01")],
            "realised": [2.0],
            "cumulative": [10.0],
            "path": [12.34],
            "forecast": [None],
        }
    )
    lines = data_csv(numbers_export(frame), "fi").decode("utf-8-sig").splitlines()
    assert lines[1] == "3/2012;2;10;12,3;"


def signed_in(
    sample_db, tmp_path, monkeypatch, password: str, name: str = "Testi Käyttäjä", **state
) -> tuple[AppTest, Path]:
    """The dashboard with sign-in configured, on a copy of the example store, after one sign-in attempt."""
    path = tmp_path / "dash.duckdb"
    shutil.copy(sample_db, path)
    monkeypatch.setenv("VVR_DB", str(path))
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    at.secrets["passwords"] = AUTH
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    at.text_input(key="sign_in_name").input(name)
    at.text_input(key="password").input(password)
    at.button(key="sign_in_submit").click()
    at.run()
    return at, path


@pytest.fixture
def signed_in_viewer(sample_db, tmp_path, monkeypatch):
    return signed_in(sample_db, tmp_path, monkeypatch, "katsoja")


def test_a_viewer_sees_the_protected_breakdown_and_no_monthly_counts(signed_in_viewer):
    at, _ = signed_in_viewer
    at.switch_page("pages/indicator.py").run()
    at.selectbox(key="indicator").set_value("uudet_yritykset").run()
    assert not at.exception
    by_m = at.dataframe[0].value
    hartola = by_m[by_m["Kunta"] == "Hartola"].iloc[0]
    # 5 new companies (3 women, 2 men) at the end, 4 at 30.6.2014: the total grew by 1 in the last half year
    assert (hartola["Toteutunut"], hartola["joista naisia (toteutunut)"], hartola["joista miehiä"]) == ("x", "x", "x")
    assert any("vain projektityöntekijöille" in i.value for i in at.info)  # the month-by-month counts


def test_every_page_download_is_in_the_audit_log(sample_db, tmp_path):
    from pages.common import View, logged
    from vvr_metrics.query import Query
    from vvr_metrics.settings import load_settings

    path = tmp_path / "log.duckdb"
    shutil.copy(sample_db, path)
    v = View("fi", Query(("Hartola",)), store.status(path), load_settings(), str(path), role=auth.VIEWER)
    before = len(store.events(path))
    assert logged(v, "uudet_yritykset_kunnittain.csv", True, lambda: b"data")() == b"data"
    events = store.events(path)
    assert len(events) == before + 1
    last = events.sort_values("happened_at").iloc[-1]
    assert (last["action"], last["actor"]) == ("export", "viewer")
    assert last["source"] == "uudet_yritykset_kunnittain.csv · Hartola · public"


def test_streamlit_table_toolbar_export_is_off():
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["client"]["disableDataExport"] is True


def test_a_failed_sign_in_is_in_the_audit_log(sample_db, tmp_path, monkeypatch):
    from vvr_metrics.formatting import audit_display

    at, path = signed_in(sample_db, tmp_path, monkeypatch, "arvaus")
    shown = audit_display(store.events(path)).iloc[0].tolist()
    assert "epäonnistunut kirjautuminen" in shown and "kirjautumaton" in shown


def test_a_hidden_value_is_drawn_as_an_x_never_as_a_missing_bar(sample_db):
    import datetime as dt

    from vvr_metrics.charts import municipality_chart

    table = protected(rows_of("uudet_yritykset", db=sample_db), ("municipality",))
    fig = municipality_chart(table, "Uudet yritykset kunnittain", dt.date(2014, 12, 31))
    marks = next(t for t in fig.data if t.name == "x = pieni luku (1–4) piilotettu")
    assert list(marks.x) == ["Hartola", "Sysmä"] and list(marks.text) == ["x", "x"]
    assert not any(t.name == "Ei tiedossa" for t in fig.data)
    # their totals (5 and 5) are published: drawn undivided
    total = next(t for t in fig.data if t.name == "Toteutunut (jako piilotettu)")
    assert list(total.x) == ["Hartola", "Sysmä"] and list(total.y) == [5, 5]


def test_public_figures_exist_only_at_reporting_cut_offs():
    import datetime as dt

    from vvr_metrics.query import public_cutoff, public_start
    from vvr_metrics.settings import load_settings

    settings = load_settings()
    assert public_cutoff(dt.date(2013, 8, 15), settings) == dt.date(2013, 6, 30)
    assert public_cutoff(dt.date(2013, 6, 30), settings) == dt.date(2013, 6, 30)
    assert public_cutoff(dt.date(2011, 5, 1), settings) is None
    assert public_start(dt.date(2013, 8, 15), settings) == dt.date(2013, 7, 1)
    assert public_start(dt.date(2011, 5, 1), settings) is None


def test_a_viewer_who_picks_another_date_gets_the_earlier_cut_off(sample_db, tmp_path, monkeypatch):
    import datetime as dt

    at, _ = signed_in(sample_db, tmp_path, monkeypatch, "katsoja", period=(dt.date(2011, 4, 1), dt.date(2013, 8, 15)))
    assert not at.exception
    assert "näytetään 1.4.2011–30.6.2013 (valittu 1.4.2011–15.8.2013)" in " ".join(i.value for i in at.info)
    assert "Tilanne 30.6.2013" in " ".join(c.value for c in at.caption)


def test_a_download_that_holds_an_x_says_what_it_means():
    from vvr_metrics.exports import holds_mark

    hidden = ExportTable(pd.DataFrame({"Kunta": ["Hartola"], "Toteutunut": ["x"]}), {"Toteutunut": "count"})
    plain = ExportTable(pd.DataFrame({"Kunta": ["Hartola"], "Toteutunut": [12.0]}), {"Toteutunut": "count"})
    assert holds_mark([plain, hidden]) and not holds_mark([plain])
    # a municipality named "x" is no hidden value only if it is not alone in a text column: the check is cautious
    assert holds_mark([ExportTable(pd.DataFrame({"Kunta": ["x"]}), {})])
