"""The dashboard with AppTest: the overview table on the example data and on an empty store."""

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from vvr_metrics import store

ROOT = Path(__file__).resolve().parent.parent


def run_app(timeout=60) -> AppTest:
    return AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=timeout).run()


@pytest.fixture
def sample_store(sample_db, tmp_path, monkeypatch):
    path = tmp_path / "dash.duckdb"
    shutil.copy(sample_db, path)
    monkeypatch.setenv("VVR_DB", str(path))
    return path


def overview(at) -> dict:
    df = at.dataframe[0].value  # the page has one table (an output, not a widget)
    return {row[0]: list(row[1:]) for row in df.itertuples(index=False)}


def test_overview_shows_the_sample_table_in_finnish(sample_store):
    at = run_app()
    assert not at.exception
    table = overview(at)
    assert table["Uudet työpaikat"] == ["60", "25", "72", "19", "53", "120,0\u00a0%"]
    assert table["Yrityskontaktit"][2] == "1\u00a0421"
    assert table["Julkinen rahoitus yhteensä"][2] == "766\u00a0613\u00a0€"


def test_language_switch_translates_the_table(sample_store):
    at = run_app()
    at.radio(key="lang").set_value("en").run()
    assert not at.exception
    table = overview(at)
    assert table["New jobs"][2] == "72"
    assert table["Employer contacts"][2] == "1,421"
    assert at.title[0].value == "Planned and realised, whole project"


def test_municipality_filter_changes_the_figures(sample_store):
    at = run_app()
    at.multiselect(key="municipalities").set_value(["Heinola"]).run()
    assert not at.exception
    assert overview(at)["Uudet työpaikat"][2] == "36"  # Heinola: 9 women + 27 men


def test_first_start_loads_the_example_data_labelled(db):
    at = run_app()
    assert not at.exception
    assert overview(at)["Uudet työpaikat"][2] == "72"
    assert any("ESIMERKKIAINEISTO" in w.value for w in at.warning)
    assert store.status(db).example_data


def test_no_example_data_once_the_store_has_a_history(db, ingest):
    from conftest import CONTACT_HEADER, xlsx_bytes

    ingest({"oma.xlsx": xlsx_bytes({"Kontaktit": [CONTACT_HEADER, ["2.1.2012", "Heinola", "Yritys"]]})})
    store.delete_source(db, "oma")
    at = run_app()
    assert not at.exception
    assert not at.warning
    assert overview(at)["Uudet työpaikat"][2] == "0"
    assert any("ei ole vielä seurantatietoja" in i.value for i in at.info)
