"""Figures that follow the view: targets of the chosen municipalities and years, one cut-off in the dashboard
and the CLI, exports that name their view. Expected values are counted by hand from the rows below."""

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import xlsx_bytes
from streamlit.testing.v1 import AppTest

from vvr_metrics.indicators import indicator_table, records_without_municipality
from vvr_metrics.progress import path_share, status_table
from vvr_metrics.query import Query
from vvr_metrics.settings import load_settings

ROOT = Path(__file__).resolve().parent.parent
D = dt.date
JOBS = "uudet_tyopaikat"

# Targets for new jobs: project 60; Hartola 10 (2013: 4, 2014: 6); Heinola 30; Sysmä 20; the year 2014: 16.
TARGETS = [
    ["Indikaattori", "Kunta", "Vuosi", "Tavoite", "Tavoite naiset"],
    [JOBS, None, None, 60, 25],
    [JOBS, "Hartola", None, 10, 4],
    [JOBS, "Heinola", None, 30, 12],
    [JOBS, "Sysmä", None, 20, 9],
    [JOBS, "Hartola", 2013, 4, 2],
    [JOBS, "Hartola", 2014, 6, 2],
    [JOBS, None, 2014, 16, 7],
]
# Jobs: Hartola 2 in 2013 and 3 in 2014, Heinola 5 in 2014; one funding row without a municipality.
JOB_ROWS = (
    [["Pvm", "Kunta", "Sukupuoli", "Uusi työpaikka"]]
    + [[D(2013, 5, d), "Hartola", "N", "K"] for d in (1, 2)]
    + [[D(2014, 3, d), "Hartola", "M", "K"] for d in (1, 2, 3)]
    + [[D(2014, 8, d), "Heinola", "N", "K"] for d in range(1, 6)]
)
FUNDING = [["Pvm", "Lähde", "Summa"], ["3/2014", "EU ja valtio", 1000]]


@pytest.fixture
def view_store(db, ingest):
    ingest({"Tavoitteet.xlsx": xlsx_bytes({"Tavoitteet": TARGETS})})
    ingest({"Seuranta.xlsx": xlsx_bytes({"Työpaikat": JOB_ROWS, "Rahoitus": FUNDING})})
    return db


def jobs(db, **kw) -> dict:
    table = indicator_table(db, query=Query(**kw))
    row = table[table["indicator"] == JOBS].iloc[0]
    return {k: (None if v is pd.NA else v) for k, v in row.items()}


def test_a_municipal_view_is_measured_against_its_own_targets(view_store):
    row = jobs(view_store, municipalities=("Hartola",))
    assert (row["target"], row["target_women"], row["actual"]) == (10, 4, 5)
    row = jobs(view_store, municipalities=["Hartola", "Sysmä"])
    assert (row["target"], row["actual"]) == (30, 5)  # 10 + 20, never the project's 60
    assert records_without_municipality(view_store) == 1  # the funding row


def test_a_period_view_is_measured_against_the_targets_of_its_years(view_store):
    assert (lambda r: (r["target"], r["actual"]))(jobs(view_store, since=D(2014, 1, 1))) == (16, 8)
    assert (lambda r: (r["target"], r["actual"]))(
        jobs(view_store, since=D(2014, 1, 1), municipalities=["Hartola"])
    ) == (
        6,
        3,
    )
    # Heinola has no yearly target: no target, rather than the project's or a part
    assert jobs(view_store, since=D(2014, 1, 1), municipalities=["Heinola"])["target"] is None
    # half a year: 1.7.–31.12.2014 is 184 of the year's 365 days
    assert jobs(view_store, since=D(2014, 7, 1))["target"] == pytest.approx(16 * 184 / 365)


def test_by_year_in_a_period_view_has_no_earlier_years(view_store):
    table = indicator_table(view_store, by=("year",), query=Query(since=D(2014, 1, 1)))
    assert table.loc[table["indicator"] == JOBS, "year"].tolist() == [2014]
    table = indicator_table(view_store, by=("year",), query=Query(("Hartola",)))
    assert table.loc[table["indicator"] == JOBS, ["year", "target", "actual"]].values.tolist() == [
        [2013, 4, 2],
        [2014, 6, 3],
    ]


def test_status_and_path_run_over_the_view(view_store):
    settings = load_settings()
    # 2014 only, at 30.6.2014: 181 of 365 days of the view have passed
    assert path_share(D(2014, 6, 30), settings, D(2014, 1, 1)) == pytest.approx(181 / 365)
    status = status_table(
        indicator_table(view_store, query=Query(since=D(2014, 1, 1))), D(2014, 12, 31), settings, D(2014, 1, 1)
    )
    row = status[status["indicator"] == JOBS].iloc[0]
    assert row["achieved_pct"] == pytest.approx(50.0) and row["status"] == "behind"  # 8 of 16


def test_one_cut_off_in_the_dashboard_and_the_cli(sample_store):
    settings = load_settings()
    assert Query().cutoff(settings) == D(2014, 12, 31)  # not the newest record (28.12.2014)
    assert Query(until=D(2013, 6, 30)).cutoff(settings) == D(2013, 6, 30)
    done = subprocess.run(
        [sys.executable, "-m", "vvr_metrics", "report", "--db", str(sample_store)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert "tilanne 31.12.2014" in done.stdout.splitlines()[0]


def test_report_follows_municipality_and_period(sample_store):
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "vvr_metrics",
            "report",
            "--db",
            str(sample_store),
            "--municipality",
            "hartola",
            "--since",
            "2014-01-01",
            "--internal",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == (
        "Verkostosta Voimaa – rakennemuutoshanke – indikaattorit, tilanne 31.12.2014 – Hartola, 1.1.2014–31.12.2014 "
        "(SISÄINEN: pienet luvut näkyvät)"
    )
    # Hartola's new jobs in 2014, counted in the example workbook: 8 (3 women); the example has no municipal target
    assert "Uudet työpaikat: Toteutunut seurantatietojen mukaan: 8, joista naisten työpaikkoja 3." in lines
    bad = subprocess.run(
        [sys.executable, "-m", "vvr_metrics", "report", "--db", str(sample_store), "--municipality", "Lahti"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 2 and "Tuntematon kunta: Lahti" in bad.stderr


@pytest.fixture
def dash(sample_db, tmp_path, monkeypatch):
    path = tmp_path / "dash.duckdb"
    shutil.copy(sample_db, path)
    monkeypatch.setenv("VVR_DB", str(path))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90).run()
    assert not at.exception
    return at


def rows(at) -> dict:
    frame = at.dataframe[0].value
    frame = frame.data if hasattr(frame, "data") else frame
    return {r[0]: list(r[1:]) for r in frame.itertuples(index=False)}


def test_hartola_view_on_the_overview(dash):
    dash.multiselect(key="municipalities").set_value(["Hartola"]).run()
    assert dash.title[0].value == "Suunniteltu ja toteutunut: Hartola"
    table = rows(dash)
    assert table["Uudet työpaikat"][:3] == ["–", "–", "18"]  # no municipal target in the example data
    assert table["Uudet työpaikat"][-1] == "–" and table["EU- ja valtion rahoitus"][-2:] == ["–", "–"]
    metrics = {m.label: m for m in dash.metric}
    assert not metrics["EU- ja valtion rahoitus"].delta  # no "0,0 % of target"
    captions = [c.value for c in dash.caption]
    assert "Tavoitteet: valittujen kuntien tavoitteiden summa" in captions
    # funding rows without a municipality that count: 45 "EU ja valtio" + 4 "Muu julkinen" (8 private ones count nowhere)
    assert any(c.startswith("49 tietuetta ilman kuntaa") for c in captions)
    assert any("Rajaukselle ei ole tavoitetta" in i.value for i in dash.info)


def test_hartola_view_in_english(sample_db, tmp_path, monkeypatch):
    path = tmp_path / "dash.duckdb"
    shutil.copy(sample_db, path)
    monkeypatch.setenv("VVR_DB", str(path))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    at.session_state["lang"] = "en"
    at.session_state["municipalities"] = ["Hartola"]
    at.run()
    assert at.title[0].value == "Planned and realised: Hartola"
    captions = [c.value for c in at.caption]
    assert "Targets: the sum of the chosen municipalities' targets" in captions
    assert any(c.startswith("49 records without a municipality") for c in captions)


def test_2014_only_view_on_the_overview_and_the_indicator_page(dash):
    dash.slider(key="period").set_value((D(2014, 1, 1), D(2014, 12, 31))).run()
    assert dash.title[0].value == "Suunniteltu ja toteutunut: koko hanke, 1.1.2014–31.12.2014"
    table = rows(dash)
    assert table["Uudet työpaikat"][:3] == ["16", "7", "27"]
    assert table["Uudet työpaikat"][5] == "168,8\u00a0%"  # 27 / 16
    assert "Tavoitteet: vuoden 2014 tavoitteet" in [c.value for c in dash.caption]
    dash.switch_page("pages/indicator.py").run()
    assert not dash.exception
    # the forecast runs over every record up to the cut-off: the whole project's 72
    assert any(c.value.endswith(": 72") for c in dash.caption if "Ennuste" in c.value)
    import json

    titles = [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in dash.get("plotly_chart")]
    assert titles[0].startswith("Uudet työpaikat kunnittain, naiset ja miehet: koko hanke, 1.1.2014–31.12.2014")
    assert "1.1.2014" not in titles[2]  # the cumulative path runs from the project start


def test_percent_is_rounded_half_up_and_status_follows_the_shown_value():
    from vvr_metrics.progress import achieved_pct, status_of

    assert achieved_pct(49, 400) == 12.3  # 12,25 %: half up, not to even, and no binary 12,2499…
    assert achieved_pct(1, 8) == 12.5 and achieved_pct(5, 0) is None
    # the path stands at 60 %: "on track" from 57,0 %; 56,96 % and 57,04 % are both shown as 57,0 %
    assert status_of(5696, 10000, 0.6) == status_of(5704, 10000, 0.6) == "on_track"
    assert status_of(5694, 10000, 0.6) == "behind"  # shown 56,9 %


def test_the_achievement_chart_names_every_status_and_keeps_labels_above_the_line(sample_db):
    from vvr_metrics import catalogue
    from vvr_metrics.charts import achieved_chart

    settings = load_settings()
    status = status_table(indicator_table(sample_db, include_empty=True), D(2013, 6, 30), settings)
    names = {i.code: i.name("fi") for i in catalogue.CATALOGUE}
    fig = achieved_chart(status, names, D(2013, 6, 30), "Toteutuma", "fi")
    bars = [t for t in fig.data if t.type == "bar"]
    assert {t.name for t in bars} <= {"edellä", "tavoitteessa", "jäljessä", "Toteutuma"} and len(bars) >= 2
    for t in bars:
        assert all(text.endswith("\u00a0%") and "," in text for text in t.text)  # one decimal, Finnish comma
    assert fig.layout.shapes[0].layer == "below"


def test_a_part_year_is_marked_with_its_share_of_the_target(sample_db):
    from vvr_metrics.charts import yearly_chart
    from vvr_metrics.progress import PartialYear, partial_years

    settings = load_settings()
    # cut-off 30.6.2013: 181 of 2013's 365 days; 2011 starts on 1.4. with the project, so it is whole
    assert partial_years(None, D(2013, 6, 30), settings) == {
        2013: PartialYear(D(2013, 1, 1), D(2013, 6, 30), 181 / 365)
    }
    assert partial_years(D(2014, 1, 1), D(2014, 12, 31), settings) == {}
    table = indicator_table(sample_db, by=("year",), query=Query(until=D(2013, 6, 30)))
    jobs = table[table["indicator"] == JOBS]
    fig = yearly_chart(jobs, "t", D(2013, 6, 30), partial=partial_years(None, D(2013, 6, 30), settings))
    assert list(fig.data[0].x) == ["2011", "2012", "2013*"]
    share = next(t for t in fig.data if t.name == "Osavuoden osuus tavoitteesta")
    assert share.y[2] == pytest.approx(18 * 181 / 365)  # 2013's target is 18


def test_the_esf_comparison_waits_for_the_project_end(sample_db, tmp_path, monkeypatch):
    path = tmp_path / "dash.duckdb"
    shutil.copy(sample_db, path)
    monkeypatch.setenv("VVR_DB", str(path))
    dash = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    dash.session_state["period"] = (D(2011, 4, 1), D(2013, 6, 30))
    dash.run()
    dash.switch_page("pages/funding.py").run()
    assert not dash.exception
    assert any("näytetään vain koko hankkeen lopputilanteesta (31.12.2014)" in i.value for i in dash.info)
    assert not any("persentiili" in str(m.value) for m in dash.markdown)
