"""A growing workbook saved under a new name (issue: "The CLI counts a renamed growing workbook twice, with exit
0"). The CLI refuses what the page would propose to replace, says the command to run, and ``coverage`` shows the
months that two sources both hold. Every expected figure is counted by hand."""

import datetime as dt
import shutil

from conftest import CONTACT_HEADER, xlsx_bytes

from vvr_metrics import store
from vvr_metrics.cli import main
from vvr_metrics.coverage import coverage
from vvr_metrics.sample import load_example_data, sample_files

D = dt.date


def contacts(month: int, n: int, municipality: str = "Heinola", tag: str = "") -> list[list]:
    return [
        [D(2012, month, day), municipality, "Yritys", None, f"{tag}{municipality[:2]}{month}-{day}", None]
        for day in range(1, n + 1)
    ]


def workbook(tmp_path, name: str, rows: list[list]):
    path = tmp_path / name
    path.write_bytes(xlsx_bytes({"Kontaktit": [CONTACT_HEADER, *rows]}))
    return path


def stored_contacts(db) -> int:
    with store.connect(db) as con:
        return con.execute(
            "SELECT count(*) FROM contacts c JOIN sources s ON c.upload_id = s.active_upload_id"
        ).fetchone()[0]


def spring(tmp_path, db):
    """Heinola's workbook of January–February (10 + 10 contacts) stored; its May version (+ 10 in March) renamed."""
    first = workbook(tmp_path, "Heinola_seuranta.xlsx", contacts(1, 10) + contacts(2, 10))
    assert main(["ingest", str(first), "--db", str(db)]) == 0
    return workbook(tmp_path, "Heinola toukokuu.xlsx", contacts(1, 10) + contacts(2, 10) + contacts(3, 10))


def test_the_renamed_version_is_refused_with_the_command_to_run(db, tmp_path, capsys):
    later = spring(tmp_path, db)
    capsys.readouterr()
    assert main(["ingest", str(later), "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert 'näyttää lähteen "Heinola_seuranta" uudelta versiolta (100 %' in err
    assert f"python -m vvr_metrics ingest '{later}' --source Heinola_seuranta" in err
    assert "--new-source" in err and "Mitään ei tallennettu." in err
    assert stored_contacts(db) == 20 and list(store.active_sources(db)["source"]) == ["Heinola_seuranta"]
    # the command it names replaces the source: 30 contacts, not 50
    assert main(["ingest", str(later), "--source", "Heinola_seuranta", "--db", str(db)]) == 0
    assert stored_contacts(db) == 30
    assert store.active_sources(db)["rows_stored"].tolist() == [30]


def test_a_dry_run_refuses_the_same_way_and_english_says_it_too(db, tmp_path, capsys):
    later = spring(tmp_path, db)
    capsys.readouterr()
    assert main(["ingest", str(later), "--dry-run", "--lang", "en", "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert 'looks like a new version of source "Heinola_seuranta" (100%' in err
    assert "--source Heinola_seuranta" in err and "Nothing was stored." in err


def test_new_source_adds_on_purpose_and_coverage_flags_the_doubled_months(db, tmp_path, capsys):
    later = spring(tmp_path, db)
    assert main(["ingest", str(later), "--new-source", "--db", str(db)]) == 0
    assert stored_contacts(db) == 50  # 20 + 30, as asked
    cov = coverage(db, today=D(2012, 4, 1))
    # January and February are in both sources (10 extra copies each); March is only in the new one
    assert [(d.municipality, d.month, d.records, d.sources) for d in cov.doubles] == [
        ("Heinola", D(2012, 1, 1), 10, ("Heinola toukokuu", "Heinola_seuranta")),
        ("Heinola", D(2012, 2, 1), 10, ("Heinola toukokuu", "Heinola_seuranta")),
    ]
    assert cov.spikes == ()  # a doubling of every month is no spike: only the copies show it
    capsys.readouterr()
    assert main(["coverage", "--today", "1.4.2012", "--db", str(db)]) == 0
    err = capsys.readouterr().err.splitlines()
    assert (
        "! Heinola 1/2012: 10 tietuetta on kahdessa lähteessä yhtä aikaa (Heinola toukokuu, Heinola_seuranta), "
        "joten ne lasketaan kahdesti. Onko sama työkirja tallennettu kahdella nimellä? Korvaa toinen lähde tai "
        "poista se."
    ) in err
    assert sum("kahdessa lähteessä" in line for line in err) == 2


def test_monthly_files_are_not_doubles(db, tmp_path, capsys):
    """A new file each month holds new records: no refusal, no doubled month."""
    for month in (1, 2, 3):
        path = workbook(tmp_path, f"Heinola_2012-{month:02d}.xlsx", contacts(month, 5))
        assert main(["ingest", str(path), "--db", str(db)]) == 0
    assert stored_contacts(db) == 15
    assert coverage(db, today=D(2012, 4, 1)).doubles == ()


def test_an_overlap_under_half_names_the_command_but_stores(db, tmp_path, capsys):
    """3 of the 10 stored records reappear (30 %, under the half that makes a version): stored, with the
    command that would replace instead."""
    first = workbook(tmp_path, "Sysma.xlsx", contacts(1, 10, "Sysmä"))
    assert main(["ingest", str(first), "--db", str(db)]) == 0
    other = workbook(tmp_path, "muut.xlsx", contacts(1, 3, "Sysmä") + contacts(2, 2, "Sysmä"))
    capsys.readouterr()
    assert main(["ingest", str(other), "--db", str(db)]) == 0
    err = capsys.readouterr().err
    assert '60 % tämän lähteen riveistä on jo tallennettu lähteessä "Sysma"' in err
    assert f"korvaa se: python -m vvr_metrics ingest {other} --source Sysma" in err
    assert stored_contacts(db) == 15


def test_the_first_upload_over_the_example_is_not_refused(tmp_path, capsys):
    """The example's Heinola workbook under a new name: the example is taken out of use in the same step, so
    nothing is counted twice and nothing is refused; keeping the example would count it twice."""
    db = tmp_path / "fresh.duckdb"
    assert load_example_data(db) == 5
    renamed = tmp_path / "Heinola 2014.xlsx"
    shutil.copy(next(p for p in sample_files() if p.stem.startswith("Heinola")), renamed)
    assert main(["ingest", str(renamed), "--keep-example", "--db", str(db)]) == 1
    assert "--new-source" in capsys.readouterr().err and store.status(db).example_data
    assert main(["ingest", str(renamed), "--db", str(db)]) == 0
    status = store.status(db)
    assert not status.example_data and list(store.active_sources(db)["source"]) == ["Heinola 2014"]


def test_both_versions_in_one_command_are_refused(db, tmp_path, capsys):
    """The first and the later version given together, on a store that holds neither: each is new to the store,
    so only comparing the files with each other shows the 20 records that would count twice."""
    first = workbook(tmp_path, "Heinola_seuranta.xlsx", contacts(1, 10) + contacts(2, 10))
    later = workbook(tmp_path, "Heinola toukokuu.xlsx", contacts(1, 10) + contacts(2, 10) + contacts(3, 10))
    assert main(["ingest", str(first), str(later), "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert (
        "Heinola_seuranta.xlsx: 100 % tämän tiedoston riveistä on myös tiedostossa Heinola toukokuu.xlsx: ne näyttävät "
        "saman työkirjan kahdelta versiolta"
    ) in err
    assert store.history(db).empty
    assert main(["ingest", str(first), str(later), "--new-source", "--db", str(db)]) == 0
    assert stored_contacts(db) == 50


def test_both_versions_dropped_on_the_page_are_named(db):
    from conftest import dashboard_on

    at = dashboard_on("upload")
    first = xlsx_bytes({"Kontaktit": [CONTACT_HEADER, *contacts(1, 10)]})
    later = xlsx_bytes({"Kontaktit": [CONTACT_HEADER, *contacts(1, 10), *contacts(2, 4)]})
    at.file_uploader(key=f"upload_files_{at.session_state['upload_round']}").set_value(
        [("kesakuu.xlsx", first, "application/octet-stream"), ("heinakuu.xlsx", later, "application/octet-stream")]
    ).run()
    assert not at.exception
    warnings = [w.value.replace("\\", "") for w in at.warning]
    assert "100 % tiedoston kesakuu.xlsx riveistä on myös tiedostossa heinakuu.xlsx" in " ".join(warnings)
