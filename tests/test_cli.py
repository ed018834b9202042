"""The command line: exit codes, messages on stderr, the exact CSV, and every subcommand."""

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CONTACT_HEADER, xlsx_bytes
from openpyxl import load_workbook

from vvr_metrics.cli import main

ROOT = Path(__file__).resolve().parent.parent
D = dt.date


@pytest.fixture
def files(tmp_path):
    def write(name: str, sheets: dict) -> str:
        path = tmp_path / name
        path.write_bytes(xlsx_bytes(sheets))
        return str(path)

    return write


GOOD = {
    "Kontaktit": [
        CONTACT_HEADER,
        [D(2012, 1, 2), "Heinola", "Yritys", None, "Y1", None],
        [D(2013, 1, 2), "Sysmä", "Työnhakija", "N", "A1", None],
    ],
    "Rahoitus": [["Pvm", "Lähde", "Summa"], ["4/2011", "EU ja valtio", 1000.555], ["5/2011", "Kunta", 0.1]],
}
BAD = {"Kontaktit": [CONTACT_HEADER, [D(2012, 1, 2), "Heinola", "Yritys"], ["1.1.2010", "Lahti", "Yritys"]]}


def test_ingest_stores_and_exits_0(db, files, capsys):
    assert main(["ingest", files("heinola.xlsx", GOOD), "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert 'lähde "heinola"' in out and "Tallennettu: heinola versio 1" in out


def test_rejected_rows_exit_1_and_store_nothing(db, files, capsys):
    assert main(["ingest", files("ok.xlsx", GOOD), files("bad.xlsx", BAD), "--db", str(db)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert (
        'bad.xlsx: Kontaktit, rivi 3, sarake Kunta: Tuntematon kunta "Lahti" (sallitut: Hartola, Heinola, Sysmä)' in err
    )
    assert any(line.startswith("bad.xlsx: Kontaktit, rivi 3, sarake Pvm:") and '"1.1.2010"' in line for line in err)
    assert main(["history", "--db", str(db)]) == 0
    assert "Ei latauksia." in capsys.readouterr().out  # the good file was not stored either


def test_skip_invalid_stores_the_valid_rows(db, files, capsys):
    assert main(["ingest", files("bad.xlsx", BAD), "--db", str(db), "--skip-invalid"]) == 0
    assert main(["indicators", "--db", str(db)]) == 0
    assert "yrityskontaktit,,,1,," in capsys.readouterr().out


def test_blocked_file_exits_2_and_stores_nothing(db, files, tmp_path, capsys):
    hetu = {"Kontaktit": [CONTACT_HEADER, [D(2012, 1, 2), "Heinola", "Työnhakija", "N", "131052-308T", None]]}
    csv = tmp_path / "renamed.xlsx"
    csv.write_text("Pvm;Kunta\n")
    assert main(["ingest", files("ok.xlsx", GOOD), files("hetu.xlsx", hetu), "--db", str(db), "--skip-invalid"]) == 2
    assert main(["ingest", str(csv), "--db", str(db)]) == 2
    assert main(["ingest", str(tmp_path / "missing.xlsx"), "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert "henkilötunnukselta näyttävä" in err and "131052…" in err and "308T" not in err
    assert "renamed.xlsx: Tiedosto on CSV-tekstiä, ei työkirja" in err
    main(["history", "--db", str(db)])
    assert "Ei latauksia." in capsys.readouterr().out


def test_dry_run_stores_nothing(db, files, capsys):
    assert main(["ingest", files("ok.xlsx", GOOD), "--db", str(db), "--dry-run"]) == 0
    assert main(["ingest", files("bad.xlsx", BAD), "--db", str(db), "--dry-run"]) == 1
    main(["history", "--db", str(db)])
    assert "Ei latauksia." in capsys.readouterr().out


def test_rejected_out_workbook(db, files, tmp_path):
    out = tmp_path / "hylatyt.xlsx"
    assert main(["ingest", files("bad.xlsx", BAD), "--db", str(db), "--rejected-out", str(out)]) == 1
    ws = load_workbook(out).active
    assert ws.cell(1, 7).value == "Virhe" and ws.cell(2, 2).value == "Lahti"


def test_english_messages(db, files, capsys):
    assert main(["ingest", files("bad.xlsx", BAD), "--db", str(db), "--lang", "en"]) == 1
    assert 'bad.xlsx: Kontaktit, row 3, column Kunta: Unknown municipality "Lahti"' in capsys.readouterr().err


def test_indicators_csv_is_exact(db, files, capsys):
    main(["ingest", files("heinola.xlsx", GOOD), "--db", str(db)])
    capsys.readouterr()
    assert main(["indicators", "--db", str(db)]) == 0
    assert capsys.readouterr().out == (
        "indicator,target,target_women,actual,actual_women,actual_men\n"
        "yrityskontaktit,,,1,,\n"
        "tyonhakijakontaktit,,,1,1,0\n"
        "palvellut_yritykset,,,1,,\n"
        "rahoitus_eu_valtio,,,1000.56,,\n"
        "julkinen_rahoitus,,,1000.66,,\n"
    )
    assert main(["indicators", "--db", str(db), "--by", "year,municipality"]) == 0
    assert capsys.readouterr().out == (
        "indicator,year,municipality,target,target_women,actual,actual_women,actual_men\n"
        "yrityskontaktit,2012,Heinola,,,1,,\n"
        "tyonhakijakontaktit,2013,Sysmä,,,1,1,0\n"
        "palvellut_yritykset,2012,Heinola,,,1,,\n"
    )


def test_indicators_json(db, files, capsys):
    main(["ingest", files("heinola.xlsx", GOOD), "--db", str(db)])
    capsys.readouterr()
    assert main(["indicators", "--db", str(db), "--by", "municipality", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[0] == {
        "indicator": "yrityskontaktit",
        "municipality": "Heinola",
        "target": None,
        "target_women": None,
        "actual": 1,
        "actual_women": None,
        "actual_men": None,
    }
    assert main(["indicators", "--db", str(db), "--by", "kunta"]) == 2


def test_history_restore_delete(db, files, capsys):
    path = files("heinola.xlsx", GOOD)
    main(["ingest", path, "--db", str(db)])
    main(["ingest", files("heinola.xlsx", {"Kontaktit": GOOD["Kontaktit"][:2]}), "--db", str(db)])
    capsys.readouterr()
    main(["history", "--db", str(db)])
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("* heinola\tv2") and lines[1].startswith("  heinola\tv1")
    assert main(["restore", "heinola", "1", "--db", str(db)]) == 0
    assert main(["restore", "heinola", "7", "--db", str(db)]) == 2
    assert main(["delete", "heinola", "--db", str(db)]) == 0
    assert main(["delete", "heinola", "--db", str(db)]) == 2
    main(["indicators", "--db", str(db)])
    assert capsys.readouterr().out.endswith("indicator,target,target_women,actual,actual_women,actual_men\n")


def test_store_path_from_environment(db, files, capsys, monkeypatch):
    monkeypatch.setenv("VVR_DB", str(db))
    assert main(["ingest", files("heinola.xlsx", GOOD)]) == 0
    assert db.exists()


def test_template_and_sample_commands(tmp_path, capsys):
    assert main(["template", str(tmp_path / "pohja.xlsx")]) == 0
    assert (tmp_path / "pohja.xlsx").exists()
    assert main(["sample", str(tmp_path / "sample")]) == 0
    assert len(list((tmp_path / "sample").glob("*.xlsx"))) == 5


def test_python_dash_m_as_a_whole_process(db, files):
    path = files("heinola.xlsx", GOOD)
    done = subprocess.run(
        [sys.executable, "-m", "vvr_metrics", "ingest", path, "--db", str(db)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    done = subprocess.run(
        [sys.executable, "-m", "vvr_metrics", "indicators", "--db", str(db), "--by", "municipality"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.stdout.splitlines()[1] == "yrityskontaktit,Heinola,,,1,,"


def test_audit_and_hash_password(db, files, tmp_path, capsys):
    import getpass

    main(["ingest", files("heinola.xlsx", GOOD), "--db", str(db)])
    main(["ingest", files("heinola.xlsx", {"Kontaktit": GOOD["Kontaktit"]}), "--db", str(db)])
    main(["delete", "heinola", "--db", str(db)])
    main(["report", "--db", str(db), "--format", "xlsx", "-o", str(tmp_path / "r.xlsx")])
    capsys.readouterr()
    assert main(["audit", "--db", str(db)]) == 0
    lines = [line.split("\t") for line in capsys.readouterr().out.splitlines()]
    me = f"cli:{getpass.getuser()}"  # the operating-system user is named in the audit log
    assert [(a, b, c) for _, a, b, c, *_ in lines] == [
        (me, "upload", "heinola"),
        (me, "replace", "heinola"),
        (me, "delete", "heinola"),
        (me, "export", "report xlsx"),
    ]
    assert lines[0][4] == "v1" and lines[0][5] == "4"  # 2 contacts + 2 funding rows
    assert main(["hash-password", "--password", "salainen"]) == 0
    from vvr_metrics.auth import verify_password

    assert verify_password("salainen", capsys.readouterr().out.strip())
