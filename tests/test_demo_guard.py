"""The open demo (no secrets file) runs only on the example data (issue: "A missing secrets file opens
everything": every page, upload, restore and delete open with staff rights on a store full of real records)."""

from pathlib import Path

import pytest
from conftest import CONTACT_HEADER, TODAY, dashboard_on, xlsx_bytes
from streamlit.testing.v1 import AppTest

from vvr_metrics import store
from vvr_metrics.uploads import commit_uploads, prepare_upload


def real_store(tmp_path, monkeypatch, example: bool):
    """A store with one real upload (beside the example data, or alone) as the dashboard's store."""
    from vvr_metrics.sample import load_example_data

    db = tmp_path / "real.duckdb"
    if example:
        load_example_data(db)
    data = xlsx_bytes({"Kontaktit": [CONTACT_HEADER, ["2.1.2012", "Heinola", "Yritys"]]})
    commit_uploads([prepare_upload(data, "heinola.xlsx", db, today=TODAY)], db, actor="staff")
    monkeypatch.setenv("VVR_DB", str(db))
    return db


def opened(state: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "dashboard.py"), default_timeout=120)
    for key, value in (state or {}).items():
        at.session_state[key] = value
    at.run()
    assert not at.exception
    return at


def test_a_store_with_real_uploads_and_no_sign_in_refuses_to_open(tmp_path, monkeypatch):
    monkeypatch.delenv("VVR_DEMO", raising=False)
    real_store(tmp_path, monkeypatch, example=False)
    at = opened()
    assert [e.value for e in at.error][0].startswith(
        "Kirjautumista ei ole määritetty (.streamlit/secrets.toml puuttuu), ja tietokannassa on hankkeen omia"
    )
    assert not at.dataframe and not at.get("plotly_chart") and not at.sidebar.children
    for page in ("overview", "upload", "explore"):  # no page is there to open, whatever the address
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(f"pages/{page}.py")
    assert "the store holds the project's own data" in opened({"lang": "en"}).error[0].value


def test_a_real_upload_kept_beside_the_example_is_real_data_too(tmp_path, monkeypatch):
    monkeypatch.delenv("VVR_DEMO", raising=False)
    real_store(tmp_path, monkeypatch, example=True)
    at = opened()
    assert at.error and "hankkeen omia tietoja" in at.error[0].value and not at.dataframe


def test_the_demo_on_the_example_data_opens_read_only(tmp_path, monkeypatch):
    from vvr_metrics.sample import load_example_data

    monkeypatch.delenv("VVR_DEMO", raising=False)
    db = tmp_path / "example.duckdb"
    assert load_example_data(db) == 5
    monkeypatch.setenv("VVR_DB", str(db))
    at = dashboard_on("overview")
    assert not at.error and at.dataframe
    assert any("joten tietoja ei voi ladata" in i.value for i in at.info)
    at.switch_page("pages/explore.py").run()
    assert not at.exception and at.dataframe
    with pytest.raises(ValueError, match="upload.py"):  # no upload page in the demo's navigation
        at.switch_page("pages/upload.py")
    # and the page refuses by itself, even run as its own script
    alone = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "pages" / "upload.py"), default_timeout=90)
    alone.session_state["role"] = "demo"
    alone.run()
    assert not alone.get("file_uploader")
    assert len(store.history(db)) == 5


def test_the_switch_opens_the_demo_on_any_store(tmp_path, monkeypatch):
    monkeypatch.setenv("VVR_DEMO", "1")
    real_store(tmp_path, monkeypatch, example=False)
    at = dashboard_on("upload")
    assert not at.error and at.get("file_uploader")
    assert any("Paikallinen demo" in i.value for i in at.info)
