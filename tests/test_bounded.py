"""Bounded and consistent (issue: "Bounded work" and "Smaller"): an ODS whose repeats expand to millions of
cells is refused before expansion, fast and small, with one message on the page and in the CLI; a truncated
store is exit 3 with one line; CSV, Word and PDF files and empty workbooks get a Finnish message; the CLI's
help speaks the UI's language and its preview numbers are formatted."""

import dataclasses
import io
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import CONTACT_HEADER, dashboard_on, ods_document, xlsx_bytes
from test_monthly_upload import cli

from vvr_metrics import store
from vvr_metrics.cli import main
from vvr_metrics.settings import load_settings
from vvr_metrics.uploads import read_upload

ROOT = Path(__file__).resolve().parent.parent
OCTET = "application/octet-stream"


def ods(table: str) -> bytes:
    return ods_document(f'<table:table table:name="Kontaktit">{table}</table:table>')


# The file: 3 000 rows × 3 000 cells, each holding 1, in under 2 KB
GRID = ods(
    '<table:table-row table:number-rows-repeated="3000"><table:table-cell table:number-columns-repeated="3000" '
    'office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell></table:table-row>'
)
# 900 000 empty rows and then one value: far below, as a stray keystroke leaves it
FAR_ROW = ods(
    '<table:table-row table:number-rows-repeated="900000"><table:table-cell/></table:table-row>'
    '<table:table-row><table:table-cell office:value-type="float" office:value="1"><text:p>1</text:p>'
    "</table:table-cell></table:table-row>"
)
GRID_LINE = (
    "iso.ods: Taulukon käytetty alue on liian suuri: kaukaisin solu Kontaktit!DKJ3000 (9000000 solua, enintään "
    "1000000). Poista kaukainen arvo ja tallenna tiedosto uudelleen."
)


def test_repeats_are_bounded_before_expansion_within_200_mb():
    """Inside a reader child limited to 200 MB, the file is refused for its size: had it been expanded (930 MB
    measured before), the child would have died for memory instead. How long it takes (the issue's 2 s) is
    measured by bench/hostile_files.py, not here: no wall-clock limit in a functional test (README)."""
    assert len(GRID) < 2000
    tight = dataclasses.replace(load_settings(), reader_memory_mb=200)
    parsed = read_upload(GRID, "iso.ods", tight)
    assert [p.code for p in parsed.problems] == ["used_range"]
    assert parsed.problems[0].line("fi") == GRID_LINE
    far = read_upload(FAR_ROW, "kaukana.ods", tight)
    assert [p.code for p in far.problems] == ["too_many_rows"]
    assert far.problems[0].line("fi") == "kaukana.ods: Taulukossa on liikaa rivejä (900001, enintään 100000)"


def test_the_page_and_the_cli_say_the_same(tmp_path, capsys, db):
    path = tmp_path / "iso.ods"
    path.write_bytes(GRID)
    assert main(["ingest", str(path), "--db", str(db)]) == 2
    assert GRID_LINE in capsys.readouterr().err
    at = dashboard_on("upload")
    at.file_uploader(key=f"upload_files_{at.session_state['upload_round']}").set_value(("iso.ods", GRID, OCTET)).run()
    assert not at.exception
    shown = " ".join(e.value for e in at.error).replace("\\", "")
    assert GRID_LINE.removeprefix("iso.ods: ") in shown


@pytest.mark.parametrize("cut", [0.1, 0.25, 0.5, 0.75])
def test_a_truncated_store_is_exit_3_with_one_line(sample_db, tmp_path, cut):
    data = sample_db.read_bytes()
    broken = tmp_path / "katkennut.duckdb"
    broken.write_bytes(data[: int(len(data) * cut)])
    for command in (["history"], ["indicators"], ["coverage"], ["ingest", str(ROOT / "data/sample/Tavoitteet.xlsx")]):
        done = cli(*command, db=broken)
        assert done.returncode == 3, (command, done.stderr)
        assert done.stderr.splitlines() == [
            f"Tietokanta {broken} on vioittunut eikä sitä voi lukea. Palauta varmuuskopio (restore-backup)."
        ]


def word_document() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


NOT_WORKBOOKS = {
    "tiedot.csv": (b"Pvm;Kunta;Kontaktityyppi\n2.1.2012;Heinola;Yritys\n", "Tiedosto on CSV-tekstiä, ei työkirja"),
    "raportti.xlsx": (word_document(), "Tiedosto on Word-asiakirja (.docx), ei työkirja"),
    "liite.pdf": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "Tiedosto on PDF-asiakirja, ei työkirja"),
}


@pytest.mark.parametrize("name", list(NOT_WORKBOOKS))
def test_csv_word_and_pdf_get_a_finnish_message_on_the_page_and_in_the_cli(name, tmp_path, capsys, db):
    data, message = NOT_WORKBOOKS[name]
    path = tmp_path / name
    path.write_bytes(data)
    assert main(["ingest", str(path), "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert f"{name}: {message}" in err and "Onko se CSV" not in err
    at = dashboard_on("upload")
    at.file_uploader(key=f"upload_files_{at.session_state['upload_round']}").set_value((name, data, OCTET)).run()
    assert not at.exception
    shown = " ".join(e.value for e in at.error).replace("\\", "")
    assert message in shown and "not allowed" not in shown
    assert store.status(db).real_uploads == 0  # the page's first start loaded the example data: nothing else


def test_an_empty_workbook_says_so_and_stores_nothing(tmp_path, capsys, db):
    path = tmp_path / "tyhja.xlsx"
    data = xlsx_bytes({"Kontaktit": [CONTACT_HEADER]})
    path.write_bytes(data)
    assert main(["ingest", str(path), "--db", str(db)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "tyhja.xlsx: Työkirjan seurantataulukoissa ei ole yhtään riviä, joten tallennettavaa ei ole.",
        "Mitään ei tallennettu.",
    ]
    at = dashboard_on("upload")
    at.file_uploader(key=f"upload_files_{at.session_state['upload_round']}").set_value(
        ("tyhja.xlsx", data, OCTET)
    ).run()
    assert any("ei ole yhtään riviä" in w.value for w in at.warning)
    assert store.status(db).real_uploads == 0  # the page's first start loaded the example data: nothing else


def test_the_clis_help_speaks_the_ui_language(monkeypatch):
    def helped(*args, env=None):
        return subprocess.run(
            [sys.executable, "-m", "vvr_metrics", *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
            env=env,
        )

    import os

    finnish = helped("ingest", "--help", env={**os.environ, "VVR_LANG": ""})
    assert finnish.returncode == 0
    assert finnish.stdout.startswith("käyttö: python -m vvr_metrics ingest")
    assert "esikatsele ja tallenna seurannan työkirjat" in finnish.stdout
    assert "--new-source" in finnish.stdout and "näytä tämä ohje ja lopeta" in finnish.stdout
    english = helped("ingest", "--help", "--lang", "en")
    assert english.stdout.startswith("usage: python -m vvr_metrics ingest")
    assert "preview and store tracking workbooks" in english.stdout
    assert helped("--help", env={**os.environ, "VVR_LANG": "en"}).stdout.startswith("usage:")
    wrong = helped("ingest", env={**os.environ, "VVR_LANG": ""})
    assert wrong.returncode == 2 and "virhe: nämä argumentit puuttuvat: FILE" in wrong.stderr


def test_preview_numbers_are_formatted(sample_db, tmp_path, capsys):
    db = tmp_path / "kopio.duckdb"
    shutil.copy(sample_db, db)
    funding = ROOT / "data" / "sample" / "Rahoitus_2011-2014.xlsx"
    store.delete_source(db, "Rahoitus_2011-2014")
    assert main(["ingest", str(funding), "--dry-run", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "  julkinen_rahoitus: 0\xa0€ → 766\xa0613\xa0€" in out and "766613.00" not in out
