"""The Tutki pivot worth exploring: totals counted again (not added up), a chart with room for two row
dimensions, and a link that carries the view."""

import json
from pathlib import Path

from conftest import dashboard_on
from streamlit.testing.v1 import AppTest

from vvr_metrics import explore
from vvr_metrics.explore import TOTAL, PivotView

ROOT = Path(__file__).resolve().parent.parent


def table_rows(at, i=0) -> dict:
    frame = at.dataframe[i].value
    return {row[0]: list(row[1:]) for row in frame.itertuples(index=False)}


def test_a_distinct_count_is_totalled_by_counting_again(sample_db):
    """Companies served counts distinct clients: a company served in 2011 and 2012 is one company. domain.md: 153.
    Adding the years up would give far more."""
    frame = explore.filter_frame(explore.explore_frame(sample_db), {"indicator": ["palvellut_yritykset"]})
    table = explore.with_totals(frame, explore.pivot(frame, ["year"], None), ["year"], None)
    assert table["year"].tolist() == ["2011", "2012", "2013", "2014", TOTAL]
    assert table["value"].iloc[-1] == 153
    assert table["value"].iloc[:-1].sum() > 153


def test_totals_per_indicator_and_none_over_indicators(sample_db):
    frame = explore.filter_frame(
        explore.explore_frame(sample_db), {"indicator": ["uudet_tyopaikat", "tyonhakijakontaktit"]}
    )
    by_gender = explore.with_totals(frame, explore.pivot(frame, ["municipality"], "gender"), ["municipality"], "gender")
    totals = by_gender[by_gender["municipality"] == TOTAL].set_index("indicator")
    # domain.md: 72 new jobs (19 women, 53 men); 1 753 job-seeker contacts (798 women, 883 men)
    assert totals.loc["uudet_tyopaikat", ["N", "M", TOTAL]].tolist() == [19, 53, 72]
    assert totals.loc["tyonhakijakontaktit", ["N", "M", TOTAL]].tolist() == [798, 883, 1753]
    by_indicator = explore.with_totals(
        frame, explore.pivot(frame, ["municipality"], "indicator"), ["municipality"], "indicator"
    )
    assert TOTAL not in by_indicator.columns  # new jobs and contacts are never added together


def app(**query) -> AppTest:
    return dashboard_on("explore", query=query)


def test_two_row_dimensions_get_a_chart_with_room(sample_store):
    """With municipality × year the bars' plot area was about 60 px and the labels ran into the source line."""
    at = app()
    at.multiselect(key="explore_rows").set_value(["municipality", "year"]).run()
    at.selectbox(key="explore_column").set_value("gender").run()
    fig = json.loads(at.get("plotly_chart")[0].proto.spec)
    bars = [t for t in fig["data"] if t["type"] == "bar"]
    categories = bars[0]["y"]
    assert len(categories) == 11 and "Heinola · 2012" in categories  # Hartola has no new job in 2011
    assert not any("Yhteensä" in c for c in categories)  # the totals stay in the table
    assert all(t["orientation"] == "h" for t in bars)
    layout = fig["layout"]
    plot = layout["height"] - layout["margin"]["t"] - layout["margin"]["b"]
    assert plot >= 11 * 30, plot  # each municipality-year has its two bars and a gap
    assert table_rows(at)["Yhteensä"] == ["Yhteensä", "53", "19", "72"]  # both row dimensions added up


def test_a_link_opens_the_same_view_and_the_address_follows_the_choices(sample_store):
    at = app(rows=["year"], ind=["palvellut_yritykset"], col="gender", f_municipality=["Heinola", "Sysmä"])
    assert at.multiselect(key="explore_rows").value == ["year"]
    assert at.multiselect(key="explore_indicators").value == ["palvellut_yritykset"]
    assert at.selectbox(key="explore_column").value == "gender"
    assert at.multiselect(key="filter_municipality").value == ["Heinola", "Sysmä"]
    assert list(table_rows(at)) == ["2011", "2012", "2013", "2014", "Yhteensä"]
    at.selectbox(key="explore_column").set_value(None).run()
    assert at.selectbox(key="explore_column").value is None  # the link is not applied again over a choice
    assert PivotView.from_query(
        {k: [v] if isinstance(v, str) else list(v) for k, v in at.query_params.items()},  # AppTest: one value as str
        {"municipality": ["Heinola", "Sysmä", "Hartola"]},
    ) == PivotView(("year",), None, ("palvellut_yritykset",), (("municipality", ("Heinola", "Sysmä")),))


def test_a_link_that_names_nothing_known_is_ignored(sample_store):
    at = app(rows=["<script>", "year"], ind=["bogus"], col="year", f_year=["1999"])
    assert at.multiselect(key="explore_rows").value == ["year"]
    assert at.selectbox(key="explore_column").value is None  # "year" is a row already
    assert at.multiselect(key="explore_indicators").value == []
    assert at.multiselect(key="filter_year").value == []
