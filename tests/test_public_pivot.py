"""The viewer's Tutki pivot is protected together with the release of the same view and the previous cut-off."""

import datetime as dt
import itertools

import pandas as pd
import pytest

from tests.test_disclosure import CUTOFFS
from tests.test_downloads import signed_in
from vvr_metrics import catalogue, explore, report
from vvr_metrics import workbook_format as wf
from vvr_metrics.disclosure import exposed as release_exposed
from vvr_metrics.explore import TOTAL
from vvr_metrics.public_pivot import exposed, viewer_pivot
from vvr_metrics.query import Query
from vvr_metrics.settings import load_settings
from vvr_metrics.suppression import protected_pivot

MID_2013 = dt.date(2013, 6, 30)


def _release(db, cutoff, **options):
    tables = report.tables(db, report.ReportOptions(Query(until=cutoff, **options)))
    return {name: (table, hidden, report.BREAKDOWNS[name]) for name, (table, hidden) in tables.items()}


def _places_of_the_only_project(sheets, municipalities, years) -> list[tuple]:
    """Brute force, independent of the LP: every (municipality, year) where the one new project can be, given each
    visible figure (a visible row says 1 if the project is in it, else 0) and each absent row (a zero). A sheet
    (table, hidden, by, lists_unknown) lists a row for an unknown municipality only if ``lists_unknown``."""
    places = []
    for m, y in itertools.product([*municipalities, None], years):
        fits = True
        for table, hidden, by, lists_unknown in sheets:
            mine = tuple(m if g == "municipality" else y for g in by)
            listed = set()
            for r, rec in enumerate(table.to_dict("records")):
                if rec["indicator"] != "uudet_hankkeet":
                    continue
                key = tuple(None if pd.isna(rec[g]) else rec[g] for g in by)
                listed.add(key)
                if (r, "actual") not in hidden and rec["actual"] != (1.0 if key == mine else 0.0):
                    fits = False
            universe = [[*municipalities, None] if g == "municipality" else years for g in by]
            if "municipality" in by and not lists_unknown:  # the release lists unknowns only in its totals
                universe[by.index("municipality")] = list(municipalities)
            if mine not in listed and all(k in u for k, u in zip(mine, universe)):
                fits = False  # absent: a published zero
        if fits:
            places.append((m, y))
    return places


def test_the_per_table_pivot_gave_heinolas_only_new_project_away(sample_db):
    """At 30.6.2013 the project has 1 new project (Heinola, 2013). The release hides Heinola's 1, because a project
    may have no municipality: 1 = Heinola + unknown. A pivot by municipality that lists only the rows that exist
    says there is no unknown-municipality project, so Heinola = 1. The viewer's pivot lists every row."""
    settings = load_settings()
    release = _release(sample_db, MID_2013)
    frame = explore.explore_frame(sample_db, Query(until=MID_2013))
    filters = {"indicator": ["uudet_hankkeet"]}
    raw = explore.pivot(explore.filter_frame(frame, filters), ["municipality"], None)
    assert raw.to_dict("records") == [{"municipality": "Heinola", "value": 1.0}]
    per_table = protected_pivot(raw, ["municipality"], None, ("uudet_hankkeet",))
    period = (settings.start, MID_2013)
    found = exposed(per_table, ["municipality"], None, filters, frame, release, settings.municipalities, period)
    assert (("release", "municipality", 28, "actual"), 1) in found
    # brute force agrees: the release leaves two places open, the per-table pivot only Heinola
    sheets = [(t, h, by, False) for t, h, by in release.values()]
    years = list(settings.years)
    assert _places_of_the_only_project(sheets, settings.municipalities, years) == [("Heinola", 2013), (None, 2013)]
    pivot_sheet = (
        per_table.assign(indicator="uudet_hankkeet", actual=per_table["value"]),
        {(0, "actual")},
        ("municipality",),
        True,
    )
    assert _places_of_the_only_project([*sheets, pivot_sheet], settings.municipalities, years) == [("Heinola", 2013)]

    out = viewer_pivot(sample_db, ["municipality"], None, filters, Query(until=MID_2013), settings)
    assert out["municipality"].tolist() == ["Hartola", "Heinola", "Sysmä", "–", "Σ"]  # Σ: the totals row
    shown = dict(zip(out["municipality"], out["value"].astype(object).where(out["value"].notna(), "x")))
    assert shown["Heinola"] == "x" and shown["–"] == "x" and shown["Sysmä"] == 0
    assert shown["Σ"] == "x"  # the one project in total is a small number too
    assert exposed(out, ["municipality"], None, filters, frame, release, settings.municipalities, period) == []
    cells = out.iloc[:4]  # the totals row is hidden: the brute force needs only the cells
    viewer_sheet = (
        cells.assign(
            indicator="uudet_hankkeet",
            actual=cells["value"],
            municipality=cells["municipality"].map(lambda m: None if m == "–" else m),
        ),
        {(r, "actual") for r, _ in out.attrs["hidden"] if r < 4},
        ("municipality",),
        True,
    )
    assert _places_of_the_only_project([*sheets, viewer_sheet], settings.municipalities, years) == [
        ("Heinola", 2013),
        (None, 2013),
    ]


def test_new_jobs_that_grew_by_two_since_the_last_cut_off_stay_hidden_in_the_pivot(sample_db):
    """New jobs by municipality, 31.12.2012 → 30.6.2013: Hartola 7 → 9, Heinola 13 → 20, Sysmä 5 → 10; the whole
    project's 39 is published. Hartola's 9 is hidden (a change of 2), and one more, so that 39 − 20 − 10 does not
    give it back."""
    out = viewer_pivot(
        sample_db, ["municipality"], None, {"indicator": ["uudet_tyopaikat"]}, Query(until=MID_2013), load_settings()
    )
    rows = dict(zip(out["municipality"], out["value"]))
    assert pd.isna(rows["Hartola"]) and pd.isna(rows["Sysmä"])
    assert (rows["Heinola"], rows["–"]) == (20.0, 0.0)
    assert out.attrs["changed"] == {(0, "value")}


PIVOTS = [
    (["municipality"], None, ["uudet_tyopaikat", "tyollistetyt", "uudet_hankkeet"]),
    (["municipality", "year"], None, []),
    (["year"], None, []),
]


def _split(out: pd.DataFrame, rows) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A viewer pivot's cells and its totals rows (``Σ`` in the row dimensions), each with its own hidden cells."""
    out = out.reset_index(drop=True)
    is_total = out[list(rows)].eq(TOTAL).any(axis=1)
    parts = []
    for mask in (~is_total, is_total):
        part = out[mask]
        renumber = {old: new for new, old in enumerate(part.index)}
        part = part.reset_index(drop=True)
        part.attrs = {"hidden": {(renumber[r], c) for r, c in out.attrs["hidden"] if r in renumber}}
        parts.append(part)
    return parts[0], parts[1]


def _as_sheet(out: pd.DataFrame, rows, codes) -> tuple[pd.DataFrame, set, tuple]:
    """A pivot of counts by municipality and/or year as a release sheet, for the release's own audit: a second,
    independent method (its own cells, equations and LP). Unknown municipalities ("–") are kept where an indicator
    allows them; elsewhere their rows are structural zeros."""
    table = out.reset_index(drop=True).copy()
    if "indicator" not in table.columns:
        table.insert(0, "indicator", codes[0])
    table = table.rename(columns={"value": "actual"}).assign(actual_women=float("nan"), actual_men=float("nan"))
    keep = list(range(len(table)))
    if "municipality" in rows:
        allowed = {
            i.code for i in catalogue.CATALOGUE if not wf.SHEETS_BY_TABLE[i.table].column("municipality").required
        }
        keep = [r for r in keep if table.at[r, "municipality"] != "–" or table.at[r, "indicator"] in allowed]
    if "year" in rows:
        table["year"] = table["year"].astype(int)
    hidden = {(keep.index(r), "actual") for r, _ in out.attrs["hidden"] if r in keep}
    table = table.iloc[keep].reset_index(drop=True)
    if "municipality" in rows:
        table["municipality"] = pd.Series([None if m == "–" else m for m in table["municipality"]], dtype=object)
    return table, hidden, tuple(rows)


@pytest.mark.parametrize("cutoff", CUTOFFS)
@pytest.mark.parametrize("rows,column,codes", PIVOTS)
def test_no_viewer_pivot_gives_a_hidden_value_away(sample_db, cutoff, rows, column, codes):
    settings = load_settings()
    filters = {"indicator": codes}
    out = viewer_pivot(sample_db, rows, column, filters, Query(until=cutoff), settings)
    release = _release(sample_db, cutoff)
    frame = explore.explore_frame(sample_db, Query(until=cutoff))
    dims = [d for d in out.columns if d in explore.DIMENSIONS]
    period = (settings.start, cutoff)
    assert exposed(out, dims, column, filters, frame, release, settings.municipalities, period) == []
    # no count of 1–4 is visible
    values = out[[c for c in out.columns if c not in dims]].to_numpy().ravel()
    assert not any(1 <= v <= 4 for v in values if not pd.isna(v))
    # the release's own audit, given the pivot as one more sheet, finds nothing either
    countable = [
        c for c in (codes or out["indicator"].unique()) if c not in ("julkinen_rahoitus", "rahoitus_eu_valtio")
    ]
    sheets = dict(release)
    part = out[out["indicator"].isin(countable)] if "indicator" in out else out
    cells, totals = _split(part, rows)
    sheets["pivot"] = _as_sheet(cells, rows, codes)
    sheets["pivot_totals"] = _as_sheet(totals.drop(columns=list(rows)), [], codes)  # the whole, per indicator
    changed = {(n, r, c) for n, (t, _, _) in release.items() for r, c in t.attrs["changed"]}
    assert release_exposed(sheets, settings.municipalities, settings.years, changed, codes=countable) == []


def test_a_municipal_view_and_a_later_start_are_protected_too(sample_db):
    settings = load_settings()
    for options in ({"municipalities": ("Hartola",)}, {"since": dt.date(2013, 1, 1)}):
        out = viewer_pivot(
            sample_db, ["municipality", "year"], "gender", {"indicator": ["uudet_tyopaikat"]},
            Query(until=MID_2013, **options), settings,
        )  # fmt: skip
        release = _release(sample_db, MID_2013, **options)
        frame = explore.explore_frame(sample_db, Query(until=MID_2013, **options))
        period = (options.get("since", settings.start), MID_2013)
        munis = options.get("municipalities") or settings.municipalities
        found = exposed(
            out, ["municipality", "year"], "gender", {"indicator": ["uudet_tyopaikat"]}, frame, release, munis,
            period, with_unknown_municipality="municipalities" not in options,
        )  # fmt: skip
        assert found == []
        values = out[[c for c in ("M", "N", "–") if c in out.columns]].to_numpy().ravel()
        assert not any(1 <= v <= 4 for v in values if not pd.isna(v))


def test_a_viewer_sees_the_jointly_protected_pivot_on_the_tutki_page(sample_db, tmp_path, monkeypatch):
    at, _ = signed_in(sample_db, tmp_path, monkeypatch, "katsoja", period=(dt.date(2011, 4, 1), MID_2013))
    at.session_state["explore_indicators"] = ["uudet_hankkeet"]
    at.switch_page("pages/explore.py").run()
    assert not at.exception
    shown = at.dataframe[0].value
    assert shown["Kunta"].tolist() == ["Hartola", "Heinola", "Sysmä", "–", "Yhteensä"]
    assert shown["Arvo"].tolist() == ["x", "x", "0", "x", "x"]  # one project in total: a small number
