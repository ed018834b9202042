"""Edges that one-line mistakes slipped past (issue 24: "Also surviving"): the women's bar and colour, the quarter
of a day, the CLI's comma-separated municipalities and --keep-example, funding in coverage, and a late start as
a filter. Each expected value is counted by hand."""

import datetime as dt

import pandas as pd
from conftest import CONTACT_HEADER, xlsx_bytes

from vvr_metrics import charts, explore, store
from vvr_metrics.cli import main
from vvr_metrics.coverage import coverage
from vvr_metrics.query import Query
from vvr_metrics.settings import load_settings

D = dt.date


def test_the_womens_bar_is_the_womens_figure_in_the_womens_colour():
    table = pd.DataFrame(
        {
            "municipality": ["Hartola", "Heinola"],
            "actual": [10.0, 20.0],
            "actual_women": [3.0, 12.0],
            "actual_men": [7.0, 8.0],
            "target": [None, None],
        }
    )
    fig = charts.municipality_chart(table, "Uudet työpaikat", D(2014, 12, 31))
    bars = {trace.name: trace for trace in fig.data if trace.type == "bar"}
    assert list(bars["Naiset"].y) == [3.0, 12.0] and bars["Naiset"].marker.color == "#CC79A7"  # Okabe–Ito purple
    assert list(bars["Miehet"].y) == [7.0, 8.0] and bars["Miehet"].marker.color == "#56B4E9"  # sky blue


def test_the_quarter_of_a_day(db, ingest):
    rows = [[day, "Heinola", "Yritys", None, f"C{i}", None] for i, day in enumerate((D(2012, 3, 31), D(2012, 4, 1)))]
    ingest({"q.xlsx": xlsx_bytes({"Kontaktit": [CONTACT_HEADER, *rows]})})
    frame = explore.explore_frame(db)
    quarters = dict(zip(pd.to_datetime(frame["day"]).dt.date, frame["quarter"]))
    assert quarters == {D(2012, 3, 31): "2012 Q1", D(2012, 4, 1): "2012 Q2"}


def test_comma_separated_municipalities_are_two(sample_store, capsys):
    assert main(["report", "--municipality", "Hartola", "--municipality", "Sysmä", "--db", str(sample_store)]) == 0
    repeated = capsys.readouterr().out
    assert main(["report", "--municipality", "Hartola, Sysmä", "--db", str(sample_store)]) == 0
    assert capsys.readouterr().out == repeated
    assert "Hartola, Sysmä" in repeated


def test_keep_example_keeps_the_example_in_use(tmp_path):
    from vvr_metrics.sample import load_example_data

    db = tmp_path / "example.duckdb"
    assert load_example_data(db) == 5
    path = tmp_path / "oma.xlsx"
    path.write_bytes(xlsx_bytes({"Kontaktit": [CONTACT_HEADER, ["2.1.2012", "Heinola", "Yritys"]]}))
    assert main(["ingest", str(path), "--keep-example", "--db", str(db)]) == 0
    status = store.status(db)
    assert status.example_data and status.sources == 6
    other = tmp_path / "toinen.duckdb"
    assert load_example_data(other) == 5
    assert main(["ingest", str(path), "--db", str(other)]) == 0
    assert not store.status(other).example_data and store.status(other).sources == 1


def test_funding_records_count_in_coverage(db, ingest):
    ingest(
        {
            "rahoitus.xlsx": xlsx_bytes(
                {"Rahoitus": [["Pvm", "Lähde", "Summa", "Kunta"], ["5/2011", "Kunta", 100, "Sysmä"]]}
            )
        }
    )
    cov = coverage(db, today=D(2011, 7, 1))
    assert cov.grid["Sysmä"].tolist() == [0, 1, 0]  # 4/2011, 5/2011, 6/2011


def test_a_late_start_is_a_filter_and_the_project_start_is_not():
    settings = load_settings()
    assert Query(since=D(2012, 1, 1)).filtered(settings)
    assert not Query(since=settings.start).filtered(settings) and not Query().filtered(settings)
    assert Query(("Heinola",)).filtered(settings)
