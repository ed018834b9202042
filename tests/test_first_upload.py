"""The first real upload of a fresh install: the example data is taken out of use in the same step, also when the
upload replaces a source of the same name (issue: "Lähdettä "Tavoitteet" muutettiin esikatselun jälkeen")."""

import shutil

from conftest import dashboard_on

from vvr_metrics import store
from vvr_metrics.cli import main
from vvr_metrics.indicators import indicator_table
from vvr_metrics.sample import load_example_data, sample_files

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _targets_file(tmp_path):
    """The project's own targets workbook, under the name of an example source (source "Tavoitteet")."""
    path = tmp_path / "tavoitteet.xlsx"
    shutil.copy(next(p for p in sample_files() if p.stem == "Tavoitteet"), path)
    return path


def _example_store(tmp_path):
    db = tmp_path / "fresh.duckdb"
    assert load_example_data(db) == 5
    assert store.status(db).example_data
    return db


def test_the_clis_first_upload_replaces_an_example_source_and_retires_the_rest(tmp_path, capsys):
    db = _example_store(tmp_path)
    assert main(["ingest", str(_targets_file(tmp_path)), "--source", "Tavoitteet", "--db", str(db)]) == 0
    assert "muutettiin esikatselun jälkeen" not in capsys.readouterr().err
    status = store.status(db)
    assert not status.example_data and status.sources == 1  # the example's four others are out of use
    table = indicator_table(db).set_index("indicator")
    assert table.at["uudet_tyopaikat", "target"] == 60 and table.at["uudet_tyopaikat", "actual"] == 0


def test_the_pages_first_upload_with_the_example_removed_in_the_same_step(tmp_path, monkeypatch):
    db = _example_store(tmp_path)
    monkeypatch.setenv("VVR_DB", str(db))
    at = dashboard_on("upload")
    uploader = at.file_uploader(key=f"upload_files_{at.session_state['upload_round']}")
    uploader.set_value(("tavoitteet.xlsx", _targets_file(tmp_path).read_bytes(), XLSX)).run()
    n = at.session_state["upload_round"]
    assert at.checkbox(key=f"remove_example_{n}").value  # "Poista esimerkkiaineisto samalla", ticked
    at.button(key=f"confirm_upload_{n}").click().run()
    assert not at.exception
    shown = " ".join(m.value for m in [*at.error, *at.warning])
    assert "esikatselun jälkeen" not in shown, shown
    assert any("Tallennettu" in s.value for s in at.success), [s.value for s in at.success]
    status = store.status(db)
    assert not status.example_data and status.sources == 1


def test_a_changed_file_under_an_example_sources_name_is_stored_not_refused_as_stale(tmp_path, capsys):
    """The issue's cause: the example was taken out of use first, and then the store found the source changed
    since the preview (StaleUpload, exit 2)."""
    from conftest import xlsx_bytes

    db = _example_store(tmp_path)
    path = tmp_path / "tavoitteet.xlsx"
    path.write_bytes(xlsx_bytes({"Tavoitteet": [["Indikaattori", "Tavoite", "Tavoite naiset"],
                                                ["uudet_tyopaikat", 61, 25]]}))  # fmt: skip
    assert main(["ingest", str(path), "--source", "Tavoitteet", "--db", str(db)]) == 0, capsys.readouterr().err
    table = indicator_table(db).set_index("indicator")
    assert table.at["uudet_tyopaikat", "target"] == 61
    assert not store.status(db).example_data and store.status(db).sources == 1
