"""Coverage: records by municipality and month, gaps of two or more months, and likely double uploads,
in the library, the CLI and on the upload page. Every expected value is counted by hand."""

import datetime as dt
import subprocess
import sys
from pathlib import Path

from conftest import CONTACT_HEADER, xlsx_bytes
from streamlit.testing.v1 import AppTest

from vvr_metrics import store
from vvr_metrics.coverage import coverage

ROOT = Path(__file__).resolve().parent.parent
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
D = dt.date
SEPTEMBER = D(2011, 9, 1)  # the months so far: 4/2011 … 8/2011


def book(rows_per_month: dict[int, int], municipality: str, tag: str = "") -> bytes:
    """Contacts in 2011: ``{month: count}``; client ids differ per tag so that copies are distinct records."""
    rows = [
        [D(2011, month, day), municipality, "Yritys", None, f"{tag}{municipality[:2]}{month}-{day}", None]
        for month, n in rows_per_month.items()
        for day in range(1, n + 1)
    ]
    return xlsx_bytes({"Kontaktit": [CONTACT_HEADER, *rows]})


def three_municipalities(ingest):
    ingest({"Hartola.xlsx": book({4: 2, 5: 2, 8: 2}, "Hartola")})  # 6/2011 and 7/2011 missing
    ingest({"Heinola.xlsx": book({4: 1, 5: 1, 6: 1, 7: 1, 8: 1}, "Heinola")})
    ingest({"Heinola_kopio.xlsx": book({8: 3}, "Heinola", tag="k")})  # August: 1 + 3 = 4 > 3 × median 1
    ingest({"Sysma.xlsx": book({4: 1}, "Sysmä")})  # 5/2011 … 8/2011 missing


def test_grid_gaps_and_spikes(db, ingest):
    three_municipalities(ingest)
    cov = coverage(db, today=SEPTEMBER)
    assert [m.month for m in cov.grid["month"]] == [4, 5, 6, 7, 8] and cov.until == D(2011, 8, 31)
    assert cov.grid["Hartola"].tolist() == [2, 2, 0, 0, 2]
    assert cov.grid["Heinola"].tolist() == [1, 1, 1, 1, 4]
    assert cov.grid["Sysmä"].tolist() == [1, 0, 0, 0, 0]
    assert cov.grid["Heinola sources"].tolist()[-1] == ("Heinola", "Heinola_kopio")
    assert [(g.municipality, [m.month for m in g.months]) for g in cov.gaps] == [
        ("Hartola", [6, 7]),
        ("Sysmä", [5, 6, 7, 8]),
    ]
    assert [(s.municipality, s.month, s.records, s.median) for s in cov.spikes] == [("Heinola", D(2011, 8, 1), 4, 1)]


def test_exactly_three_times_the_median_and_a_single_empty_month_are_no_warning(db, ingest):
    ingest({"Heinola.xlsx": book({4: 1, 5: 1, 6: 1, 7: 1, 8: 3}, "Heinola")})
    ingest({"Hartola.xlsx": book({4: 1, 5: 1, 7: 1, 8: 1}, "Hartola")})  # only 6/2011 missing
    ingest({"Sysma.xlsx": book({4: 1, 5: 1, 6: 1, 7: 1, 8: 1}, "Sysmä")})
    cov = coverage(db, today=SEPTEMBER)
    assert cov.gaps == () and cov.spikes == ()


def test_only_versions_in_use_count(db, ingest):
    three_municipalities(ingest)
    store.delete_source(db, "Heinola_kopio")
    ingest({"Sysma.xlsx": book({4: 1, 5: 1, 6: 1, 7: 1, 8: 1}, "Sysmä")}, source="Sysma")  # a new version
    cov = coverage(db, today=SEPTEMBER)
    assert cov.grid["Heinola"].tolist() == [1, 1, 1, 1, 1] and cov.spikes == ()
    assert [g.municipality for g in cov.gaps] == ["Hartola"]


def test_the_cli_prints_the_grid_and_the_same_warnings(db, ingest):
    three_municipalities(ingest)
    done = subprocess.run(
        [sys.executable, "-m", "vvr_metrics", "coverage", "--db", str(db), "--today", "1.9.2011"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "Kuukausi\tHartola\tHeinola\tSysmä"
    assert lines[5] == "8/2011\t2 · Hartola\t4 · Heinola, Heinola_kopio\t0"
    assert done.stderr.splitlines() == [
        "! Hartola: ei tietueita 2 kuukaudelta (6/2011–7/2011).",
        "! Sysmä: ei tietueita 4 kuukaudelta (5/2011–8/2011).",
        "! Heinola 8/2011: 4 tietuetta, yli kolme kertaa tavallisen kuukauden verran (mediaani 1). "
        "Onko sama aineisto ladattu kahdesti? Lähteet: Heinola, Heinola_kopio.",
    ]
    english = subprocess.run(
        [sys.executable, "-m", "vvr_metrics", "coverage", "--db", str(db), "--today", "2011-09-01", "--lang", "en"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert english.stdout.splitlines()[0] == "Month\tHartola\tHeinola\tSysmä"
    assert "! Hartola: no records for 2 months (6/2011–7/2011)." in english.stderr.splitlines()


def grid_on(at: AppTest):
    """The coverage grid: the one table whose first column is the month."""
    return next(d.value for d in at.dataframe if d.value.columns[0] in ("Kuukausi", "Month"))


def test_the_upload_page_shows_the_grid_and_warns(db, ingest):
    """Staff upload through the page; the period so far is the whole project (today is after its end)."""
    ingest({"hankkeet.xlsx": xlsx_bytes({"Hankkeet": [["Pvm", "Hanke"], ["1.2.2013", "Passi"]]})})
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90).run()
    at.switch_page("pages/upload.py").run()
    for name, data in (
        ("Heinola.xlsx", book({4: 2, 5: 2}, "Heinola")),
        ("Heinola_uudelleen.xlsx", book({5: 7}, "Heinola", tag="u")),
    ):
        at.file_uploader(key=f"upload_files_{at.session_state['upload_round']}").set_value((name, data, XLSX)).run()
        at.button(key=f"confirm_upload_{at.session_state['upload_round']}").click().run()
        assert not at.exception
    grid = grid_on(at)
    assert list(grid.columns) == ["Kuukausi", "Hartola", "Heinola", "Sysmä"] and len(grid) == 45  # 4/2011–12/2014
    assert grid.loc[1].tolist() == ["5/2011", "0", "9 · Heinola, Heinola_uudelleen", "0"]
    warnings = [w.value.replace("\\", "") for w in at.warning]
    assert "Hartola: ei tietueita 45 kuukaudelta (4/2011–12/2014)." in warnings
    assert "Heinola: ei tietueita 43 kuukaudelta (6/2011–12/2014)." in warnings
    # median of 2 and 9 is 5,5: 9 is not more than three times it
    assert not any("mediaani" in w for w in warnings)
    at.session_state["lang"] = "en"
    at.run()
    assert "Coverage: records by municipality and month" in [h.value for h in at.subheader]
    assert list(grid_on(at).columns)[0] == "Month"
