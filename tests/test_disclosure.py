"""The one protected release grid: fine cells protected once, and every public view cut from them."""

import datetime as dt

import pandas as pd
import pytest

from vvr_metrics import disclosure, report
from vvr_metrics.disclosure import protect_interval
from vvr_metrics.query import Query
from vvr_metrics.settings import load_settings

CUTOFFS = [
    dt.date(2011, 12, 31),
    dt.date(2012, 6, 30),
    dt.date(2012, 12, 31),
    dt.date(2013, 6, 30),
    dt.date(2014, 12, 31),
]


def _cells(**by_municipality):
    out = {}
    for m, (total, women, men) in by_municipality.items():
        out |= {(m, "actual"): total, (m, "actual_women"): women, (m, "actual_men"): men}
    return out


def test_a_pair_of_municipalities_is_a_view_too():
    """New jobs in one half-year: Hartola 2, Heinola 0, Sysmä 10 (whole project 12, public). Hiding Hartola and
    Heinola's zero (what per-table protection did) leaves Hartola + Heinola = 12 − 10 = 2: the view "Hartola,
    Heinola" would give the 2 away. So Sysmä goes too (its 4 women are small anyway), and Heinola's zero stays."""
    cells = _cells(Hartola=(2, 1, 1), Heinola=(0, 0, 0), Sysmä=(10, 4, 6))
    hidden = protect_interval(cells, gendered=True)
    assert hidden == {(m, c) for m in ("Hartola", "Sysmä") for c in ("actual", "actual_women", "actual_men")}
    # two small ones: Hartola 1 and Heinola 2 are each open (0–3), but together 13 − 10 = 3, the view "Hartola,
    # Heinola": so Sysmä goes too, although no single cell could be worked out
    cells = {("Hartola", "actual"): 1, ("Heinola", "actual"): 2, ("Sysmä", "actual"): 10}
    assert protect_interval(cells, gendered=False) == set(cells)


def test_records_without_a_municipality_are_never_shown_apart():
    """Trainings: Hartola 7, Heinola 12, Sysmä 20 and 2 without a municipality (whole project 41). The 2 would
    follow from the three municipalities' view (41 − 39): the smallest municipality is hidden with it."""
    cells = {("Hartola", "actual"): 7, ("Heinola", "actual"): 12, ("Sysmä", "actual"): 20, (None, "actual"): 2}
    assert protect_interval(cells, gendered=False) == {("Hartola", "actual"), (None, "actual")}
    # without such records the three are the whole project: nothing to protect beyond the small ones
    cells = {("Hartola", "actual"): 3, ("Heinola", "actual"): 12, ("Sysmä", "actual"): 20, (None, "actual"): 0}
    assert protect_interval(cells, gendered=False) == {("Hartola", "actual"), ("Heinola", "actual")}


def test_an_unknown_gender_of_one_to_four_is_a_small_number():
    """Hartola: 9 placements, 0 women, 7 men, so 2 of unknown gender (a view's '–' column)."""
    cells = _cells(Hartola=(9, 0, 7), Heinola=(20, 10, 10), Sysmä=(30, 15, 15))
    hidden = protect_interval(cells, gendered=True)
    assert any(("Hartola", c) in hidden for c in ("actual", "actual_women", "actual_men"))


def test_the_intervals_run_from_cut_off_to_cut_off():
    spans = disclosure.intervals(load_settings())
    assert spans[0] == (dt.date(2011, 4, 1), dt.date(2011, 6, 30))
    assert spans[1] == (dt.date(2011, 7, 1), dt.date(2011, 12, 31))
    assert spans[-1] == (dt.date(2014, 7, 1), dt.date(2014, 12, 31)) and len(spans) == 8


@pytest.mark.parametrize("cutoff", CUTOFFS)
@pytest.mark.parametrize("munis", [("Hartola",), ("Sysmä",), ("Heinola", "Sysmä")])
def test_a_municipal_view_hides_what_the_all_municipality_release_hides(sample_db, cutoff, munis):
    """A municipal view's "whole" row is a municipal cell: shown only where the all-municipality release shows
    the same municipality (one municipality), and never a count of 1–4."""
    view = report.tables(sample_db, report.ReportOptions(Query(munis, until=cutoff)))["whole"][0]
    every = report.tables(sample_db, report.ReportOptions(Query(until=cutoff)))["municipality"][0]
    for rec in view.to_dict("records"):
        if rec["indicator"] in ("rahoitus_eu_valtio", "julkinen_rahoitus"):
            continue
        for col in ("actual", "actual_women", "actual_men"):
            value = rec[col]
            assert pd.isna(value) or not 1 <= value <= 4, (rec["indicator"], col, value)
            if len(munis) == 1 and not pd.isna(value):
                row = every[(every["indicator"] == rec["indicator"]) & (every["municipality"] == munis[0])]
                assert len(row) == 0 and value == 0 or row[col].iloc[0] == value, (rec["indicator"], col)


def test_whole_project_figures_are_always_published(sample_db):
    """At 30.6.2011 the project had 2 new jobs: small, and public all the same (the card); every whole-project
    figure of the public release equals the internal one."""
    whole = report.tables(sample_db, report.ReportOptions(Query(until=dt.date(2011, 6, 30))))["whole"][0]
    whole = whole.set_index("indicator")
    internal = report.tables(sample_db, report.ReportOptions(Query(until=dt.date(2011, 6, 30), public=False)))
    assert (
        whole["actual"].fillna(-1).to_dict()
        == internal["whole"][0].set_index("indicator")["actual"].fillna(-1).to_dict()
    )


def test_a_public_chart_with_every_value_hidden_is_left_out(sample_db):
    figs = report.figures(sample_db, report.ReportOptions(Query(until=dt.date(2013, 6, 30))))
    # new companies by municipality at 30.6.2013: every municipality has a half-year of 1–4, so all three are x
    assert "companies_by_municipality" not in figs
    internal = report.figures(sample_db, report.ReportOptions(Query(until=dt.date(2013, 6, 30), public=False)))
    assert "companies_by_municipality" in internal  # staff see the figures
    # new jobs by year: whole-project figures, so no mark
    assert not [t for t in figs["jobs_by_year"].data if t.name == "x = pieni luku (1–4) piilotettu"]


def test_hidden_values_are_marked_x_with_an_x_in_the_legend_not_a_stray_glyph():
    from vvr_metrics import charts

    table = pd.DataFrame(
        {
            "indicator": ["uudet_yritykset"] * 2,
            "municipality": ["Hartola", "Heinola"],
            "target": [None, None],
            "actual": [None, 12.0],
            "actual_women": [None, 5.0],
            "actual_men": [None, 7.0],
        }
    ).astype({"actual": "Float64", "actual_women": "Float64", "actual_men": "Float64"})  # as the release has them
    table.attrs["hidden"] = {(0, "actual"), (0, "actual_women"), (0, "actual_men")}
    fig = charts.municipality_chart(table, "Uudet yritykset", None, "fi")
    marks = [t for t in fig.data if t.name == "x = pieni luku (1–4) piilotettu"]
    assert list(marks[0].x) == ["Hartola"] and list(marks[0].text) == ["x"] and marks[0].showlegend is False
    assert marks[1].mode == "markers" and marks[1].marker.symbol == "x-thin-open"  # the legend's own entry
    assert not charts.nothing_to_show(fig)
    table.loc[1, ["actual", "actual_women", "actual_men"]] = pd.NA
    table.attrs["hidden"] |= {(1, "actual"), (1, "actual_women"), (1, "actual_men")}
    assert charts.nothing_to_show(charts.municipality_chart(table, "Uudet yritykset", None, "fi"))


def test_an_axis_of_small_values_has_whole_ticks():
    from vvr_metrics import charts

    table = pd.DataFrame({"indicator": ["uudet_hankkeet"] * 2, "year": [2013, 2014], "target": [None, None],
                          "actual": [1.0, 2.0], "actual_women": [None, None], "actual_men": [None, None]})  # fmt: skip
    assert charts.yearly_chart(table, "Uudet hankkeet", None, "fi").layout.yaxis.dtick == 1
    table["actual"] = [10.0, 20.0]
    assert charts.yearly_chart(table, "Uudet hankkeet", None, "fi").layout.yaxis.dtick is None
    table["actual"] = [0.0, 0.0]  # zeros only: from 0, never a negative tick
    axis = charts.yearly_chart(table, "Uudet hankkeet", None, "fi").layout.yaxis
    assert (axis.rangemode, tuple(axis.range)) == ("nonnegative", (0, 1))


def test_the_public_deck_draws_the_whole_projects_cut_offs_only(sample_db):
    """New jobs at 30.6.2013: the whole project's cumulative figures at the cut-offs (2, 5, 19, 25, 39) are
    published; the months between are not."""
    from vvr_metrics.charts import describe

    figs = report.figures(sample_db, report.ReportOptions(Query(until=dt.date(2013, 6, 30))))
    realised = describe(figs["jobs_cumulative"]).split(". ")[0]
    assert realised == "Toteutunut: 6/2011 2; 12/2011 5; 6/2012 19; 12/2012 25; 6/2013 39"
    drawn = figs["jobs_cumulative"].data[0]
    assert (drawn.mode, drawn.connectgaps) == ("lines+markers", True)
    assert "Ennuste" not in describe(figs["jobs_cumulative"])
    internal = report.figures(sample_db, report.ReportOptions(Query(until=dt.date(2013, 6, 30), public=False)))
    assert "7/2011 3" in describe(internal["jobs_cumulative"])  # staff see every month


def test_a_municipal_public_path_shows_only_the_cut_offs_the_grid_shows(sample_db):
    settings = load_settings()
    shown = disclosure.shown_cutoffs(sample_db, "uudet_tyopaikat", Query(("Sysmä",), until=CUTOFFS[-1]), settings)
    # Sysmä's new jobs have a half-year of 1–4 from the start: no cumulative point of Sysmä can be shown
    assert shown == frozenset()
    contacts = disclosure.shown_cutoffs(sample_db, "yrityskontaktit", Query(("Sysmä",), until=CUTOFFS[-1]), settings)
    assert contacts == frozenset(settings.reporting_cutoffs)  # hundreds of contacts: every cut-off


def test_the_public_report_text_marks_hidden_figures_and_keeps_the_whole_projects_split(sample_db):
    hartola = report.report_text(sample_db, report.ReportOptions(Query(("Hartola",), until=dt.date(2013, 6, 30))))
    assert "Uudet yritykset: Toteutunut seurantatietojen mukaan: x, joista naisten perustamia x." in hartola
    assert hartola.splitlines()[1].startswith("x = piilotettu: pieni luku (1–4)")  # what x means, first lines
    whole = report.report_text(sample_db, report.ReportOptions(Query()))
    assert "228 työllistämistoimenpidettä, joista 72 työsopimusta ilman tukea, + 25" in whole


def test_the_decks_table_marks_hidden_figures_as_x_not_as_missing(sample_db):
    slides = report.slides(sample_db, report.ReportOptions(Query(("Sysmä",))))
    table = next(s.table for s in slides if s.table is not None)
    jobs = table[table.iloc[:, 0] == "Uudet työpaikat"].iloc[0].tolist()
    assert jobs[3:6] == ["x", "x", "x"]  # realised, women, men: hidden, not "–" (no value)
    contacts = table[table.iloc[:, 0] == "Yrityskontaktit"].iloc[0].tolist()
    assert contacts[3] == "355"
