"""The viewer's Tutki pivot: every cell cut from the release grid; whole-project totals and known zeros shown."""

import datetime as dt

import pandas as pd

from tests.test_downloads import signed_in
from vvr_metrics.public_pivot import viewer_pivot
from vvr_metrics.query import Query
from vvr_metrics.settings import load_settings

MID_2013 = dt.date(2013, 6, 30)


def _shown(out: pd.DataFrame, column: str) -> list:
    return out[column].astype(object).where(out[column].notna(), "x").tolist()


def test_the_whole_projects_totals_are_shown_in_the_pivot(sample_db):
    """The project end: 72 new jobs, 19 women and 53 men (the overview shows them): the pivot's totals row too."""
    out = viewer_pivot(
        sample_db, ["municipality", "year"], "gender", {"indicator": ["uudet_tyopaikat"]}, Query(), load_settings()
    )
    total = out[(out["municipality"] == "Σ") & (out["year"] == "Σ")].iloc[0]
    assert (total["Σ"], total["N"], total["M"], total["–"]) == (72, 19, 53, 0)
    # every municipality × year is listed (an absent row would publish a zero that may be a cover)
    assert len(out) == 4 * 4 + 1
    values = out.drop(columns=["municipality", "year"]).to_numpy().ravel()
    small = [v for v in values if not pd.isna(v) and 1 <= v <= 4]
    assert small == []


def test_zeros_that_cover_nothing_are_shown(sample_db):
    out = viewer_pivot(sample_db, ["municipality"], None, {"indicator": ["kesatyopaikat"]}, Query(until=MID_2013),
                       load_settings())  # fmt: skip
    # summer jobs are Heinola's only (53 by 30.6.2013): the zeros of Hartola and Sysmä hide nothing
    assert dict(zip(out["municipality"], _shown(out, "value"))) == {
        "Hartola": 0.0,
        "Heinola": 53.0,
        "Sysmä": 0.0,
        "–": 0.0,
        "Σ": 53.0,
    }


def test_euros_without_a_municipality_get_no_municipal_rows(sample_db):
    out = viewer_pivot(sample_db, ["municipality"], None, {"indicator": ["rahoitus_eu_valtio"]}, Query(),
                       load_settings())  # fmt: skip
    assert out["municipality"].tolist() == ["–", "Σ"]
    assert out["value"].round(2).tolist() == [613288.0, 613288.0]


def test_a_municipal_view_never_shows_what_the_whole_release_hides(sample_db):
    settings = load_settings()
    every = viewer_pivot(sample_db, ["municipality"], None, {"indicator": ["uudet_yritykset"]}, Query(until=MID_2013),
                         settings)  # fmt: skip
    hartola = viewer_pivot(sample_db, ["municipality"], None, {"indicator": ["uudet_yritykset"]},
                           Query(("Hartola",), until=MID_2013), settings)  # fmt: skip
    assert _shown(every, "value")[0] == "x"  # Hartola in the all-municipality pivot
    assert _shown(hartola, "value") == ["x", "x"]  # and in Hartola's own view: its row and its total


def test_a_viewer_sees_the_protected_pivot_on_the_tutki_page(sample_db, tmp_path, monkeypatch):
    at, _ = signed_in(sample_db, tmp_path, monkeypatch, "katsoja", period=(dt.date(2011, 4, 1), MID_2013))
    at.session_state["explore_indicators"] = ["uudet_hankkeet"]
    at.switch_page("pages/explore.py").run()
    assert not at.exception
    shown = at.dataframe[0].value
    assert shown["Kunta"].tolist() == ["Hartola", "Heinola", "Sysmä", "–", "Yhteensä"]
    # one new project by 30.6.2013 (Heinola, 2013): a whole-project figure, shown; Heinola's own is hidden
    assert shown["Arvo"].tolist()[-1] == "1" and shown["Arvo"].tolist()[1] == "x"
    # a viewer breaks the pivot down by the protected dimensions only
    assert at.multiselect(key="explore_rows").options == ["Indikaattori", "Kunta", "Vuosi", "Sukupuoli"]
