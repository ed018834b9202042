"""The exact disclosure audit over tables published together, and the protection that passes it."""

import datetime as dt

import pandas as pd
import pytest

from vvr_metrics import report
from vvr_metrics.disclosure import Recovered, audit, exposed, protect_together
from vvr_metrics.indicators import indicator_table
from vvr_metrics.query import Query
from vvr_metrics.settings import load_settings
from vvr_metrics.suppression import protect

CUTOFFS = [
    dt.date(2011, 12, 31),
    dt.date(2012, 6, 30),
    dt.date(2012, 12, 31),
    dt.date(2013, 6, 30),
    dt.date(2014, 12, 31),
]


def _row(code, **kw):
    return {"indicator": code, "target": None, "target_women": None, **kw}


def test_the_audit_finds_a_cell_hidden_in_one_table_but_given_away_by_another():
    # whole project: 10 new jobs (4 women, 6 men). By municipality: Hartola 7 shown, Sysmä 3 hidden.
    whole = pd.DataFrame([_row("uudet_tyopaikat", actual=10.0, actual_women=4.0, actual_men=6.0)])
    by_m = pd.DataFrame(
        [
            _row("uudet_tyopaikat", municipality="Hartola", actual=7.0, actual_women=pd.NA, actual_men=pd.NA),
            _row("uudet_tyopaikat", municipality="Sysmä", actual=pd.NA, actual_women=pd.NA, actual_men=pd.NA),
        ]
    )
    hidden = {(0, "actual_women"), (0, "actual_men"), (1, "actual"), (1, "actual_women"), (1, "actual_men")}
    found = audit(
        {"whole": (whole, set(), ()), "municipality": (by_m, hidden, ("municipality",))}, ["Hartola", "Sysmä"], [2012]
    )
    # Sysmä = 10 − 7 = 3; its women and men stay open (0–3 and 0–3)
    assert found == [Recovered("municipality", 1, "actual", 3.0, 3.0)]


def test_per_table_protection_gave_hartolas_women_away_at_30_6_2013(sample_db):
    """The issue's case: "Kunnittain" hides Hartola's women and men (total 9); the other sheets give 2 and 7."""
    settings = load_settings()
    sheets = {}
    for name, by in report.BREAKDOWNS.items():
        table = indicator_table(sample_db, by=by, query=Query(until=dt.date(2013, 6, 30)), include_empty=not by)
        protected, hidden = protect(table, by)
        sheets[name] = (protected, hidden, by)
    found = exposed(sheets, settings.municipalities, settings.years)
    jobs = sheets["municipality"][0]
    hartola = jobs.index[(jobs["indicator"] == "uudet_tyopaikat") & (jobs["municipality"] == "Hartola")][0]
    row = jobs.index.get_loc(hartola)
    assert Recovered("municipality", row, "actual_women", 2.0, 2.0) in found
    # the issue counted 3 at this cut-off: Hartola's men (7) and a year equal to a whole-project figure as well;
    # neither is a small number, so only the women count as disclosed
    everything = audit(sheets, settings.municipalities, settings.years)
    assert len(everything) == 3 and Recovered("municipality", row, "actual_men", 7.0, 7.0) in everything
    assert len(found) == 1


@pytest.mark.parametrize("cutoff", CUTOFFS)
def test_no_public_release_gives_a_hidden_cell_away(sample_db, cutoff):
    settings = load_settings()
    tables = report.tables(sample_db, report.ReportOptions(Query(until=cutoff)))
    sheets = {name: (table, hidden, report.BREAKDOWNS[name]) for name, (table, hidden) in tables.items()}
    # a cell hidden for a change of 1–4 since the previous cut-off may not be worked out at any value
    changed = {(name, row, col) for name, (table, _) in tables.items() for row, col in table.attrs["changed"]}
    assert exposed(sheets, settings.municipalities, settings.years, changed) == []
    # and every count of 1–4 in a breakdown is hidden
    for name, (table, hidden) in tables.items():
        if not report.BREAKDOWNS[name]:
            continue
        for r, rec in enumerate(table.to_dict("records")):
            if rec["indicator"] in ("rahoitus_eu_valtio", "julkinen_rahoitus"):
                continue
            for col in ("actual", "actual_women", "actual_men"):
                value = rec[col]
                assert (r, col) in hidden or pd.isna(value) or not 1 <= value <= 4, (name, rec, col)


def test_protecting_together_hides_no_more_than_it_must_on_a_clean_release(sample_db):
    """At the project end the per-table protection already passes: joint protection adds nothing."""
    settings = load_settings()
    raw = {
        name: (indicator_table(sample_db, by=by, include_empty=not by), by) for name, by in report.BREAKDOWNS.items()
    }
    together = protect_together(raw, settings.municipalities, settings.years)
    for name, (table, by) in raw.items():
        assert together[name][1] == protect(table, by)[1]


def test_public_report_charts_mark_hidden_values(sample_db):
    figs = report.figures(sample_db, report.ReportOptions(Query(until=dt.date(2013, 6, 30))))
    # new companies by municipality, 31.12.2012 → 30.6.2013: Hartola 1 → 3, Heinola 5 → 7, Sysmä 2 → 3. Hartola's
    # and Sysmä's totals are small; Heinola's grew by 2 in the half year: all three hidden
    marks = [t for t in figs["companies_by_municipality"].data if t.name == "x = pieni luku (1–4) piilotettu"]
    assert list(marks[0].x) == ["Hartola", "Heinola", "Sysmä"] and list(marks[0].text) == ["x", "x", "x"]
    # new jobs by year: every year's total is shown, so no mark
    assert not [t for t in figs["jobs_by_year"].data if t.name == "x = pieni luku (1–4) piilotettu"]


def test_a_change_of_one_to_four_since_the_last_cut_off_is_hidden(sample_db):
    """Hartola's new jobs: 7 at 31.12.2012 and 9 at 30.6.2013 (internal figures); the public 30.6.2013 release
    would give away the 2 of the half year."""
    internal = report.tables(sample_db, report.ReportOptions(Query(until=dt.date(2013, 6, 30), public=False)))
    public = report.tables(sample_db, report.ReportOptions(Query(until=dt.date(2013, 6, 30))))
    before = report.tables(sample_db, report.ReportOptions(Query(until=dt.date(2012, 12, 31), public=False)))

    def hartola_jobs(tables):
        table = tables["municipality"][0]
        pos = table.index[(table["indicator"] == "uudet_tyopaikat") & (table["municipality"] == "Hartola")][0]
        return table, table.index.get_loc(pos)

    table, row = hartola_jobs(internal)
    assert table.iloc[row]["actual"] == 9 and hartola_jobs(before)[0].iloc[hartola_jobs(before)[1]]["actual"] == 7
    table, row = hartola_jobs(public)
    assert (row, "actual") in public["municipality"][1] and pd.isna(table.iloc[row]["actual"])


def test_small_changes_are_found_per_group_and_measure():
    from vvr_metrics.disclosure import small_changes

    before = pd.DataFrame(
        [_row("uudet_tyopaikat", municipality="Hartola", actual=7.0, actual_women=2.0, actual_men=5.0)]
    )
    now = pd.DataFrame(
        [
            _row("uudet_tyopaikat", municipality="Hartola", actual=9.0, actual_women=2.0, actual_men=7.0),
            _row("uudet_tyopaikat", municipality="Sysmä", actual=6.0, actual_women=3.0, actual_men=3.0),  # new: 6 − 0
            _row("rahoitus_eu_valtio", municipality="Hartola", actual=3.0, actual_women=None, actual_men=None),
        ]
    )
    assert small_changes(now, before, ("municipality",)) == [
        (0, "actual"),
        (0, "actual_men"),
        (1, "actual_women"),
        (1, "actual_men"),
    ]


def test_the_public_deck_draws_no_month_by_month_counts(sample_db):
    """New jobs at 30.6.2013: 5 in 2011, 20 in 2012 and 14 in the first half of 2013 (the yearly chart). The public
    path shows reporting cut-offs only (12/2011 5, 12/2012 25, 6/2013 39, and 6/2012 19, 14 more than 5); 6/2011
    (2) is a small number, and July 2011's one new job (2 → 3) is not drawn."""
    from vvr_metrics.charts import describe

    figs = report.figures(sample_db, report.ReportOptions(Query(until=dt.date(2013, 6, 30))))
    realised = describe(figs["jobs_cumulative"]).split(". ")[0]
    assert realised == "Toteutunut: 12/2011 5; 6/2012 19; 12/2012 25; 6/2013 39"
    # and drawn: points with months between them are invisible as a plain line (the deck showed no realised line)
    drawn = figs["jobs_cumulative"].data[0]
    assert (drawn.mode, drawn.connectgaps) == ("lines+markers", True)
    assert "Ennuste" not in describe(figs["jobs_cumulative"])
    internal = report.figures(sample_db, report.ReportOptions(Query(until=dt.date(2013, 6, 30), public=False)))
    assert "7/2011 3" in describe(internal["jobs_cumulative"])  # staff see every month
    assert (
        describe(figs["companies_by_municipality"]) == "x = pieni luku (1–4) piilotettu: Hartola x; Heinola x; Sysmä x"
    )
