"""The boundaries that decide what a figure counts and what a viewer sees, pinned by hand-worked cases (issue 24:
one-line changes at these edges passed every test): the cut-off day itself counts and the day after does not; a
period starting on a record's day includes it; 4 is hidden and 5 is not; a distinct count is distinct cell by
cell."""

import datetime as dt

import pytest
from conftest import CONTACT_HEADER, xlsx_bytes

from vvr_metrics import explore
from vvr_metrics.disclosure import protect_interval
from vvr_metrics.indicators import indicator_table
from vvr_metrics.query import Query

D = dt.date


@pytest.fixture
def midsummer(db, ingest):
    """One employer contact on each of 29.6., 30.6. and 1.7.2012 in Heinola."""
    rows = [
        [day, "Heinola", "Yritys", None, f"C{day.day}", None] for day in (D(2012, 6, 29), D(2012, 6, 30), D(2012, 7, 1))
    ]
    ingest({"heinola.xlsx": xlsx_bytes({"Kontaktit": [CONTACT_HEADER, *rows]})})
    return db


def contacts(db, **query) -> int:
    table = indicator_table(db, query=Query(public=False, **query), include_empty=True).set_index("indicator")
    return int(table.at["yrityskontaktit", "actual"])


def test_the_cut_off_day_counts_and_the_day_after_does_not(midsummer):
    assert contacts(midsummer, until=D(2012, 6, 30)) == 2
    assert contacts(midsummer, until=D(2012, 6, 29)) == 1
    assert contacts(midsummer, until=D(2012, 7, 1)) == 3


def test_a_period_starting_on_a_records_day_includes_it(midsummer):
    assert contacts(midsummer, since=D(2012, 6, 30)) == 2
    assert contacts(midsummer, since=D(2012, 7, 1)) == 1
    assert contacts(midsummer, since=D(2012, 7, 2)) == 0
    assert contacts(midsummer, since=D(2012, 6, 30), until=D(2012, 6, 30)) == 1  # one day: its own record


def test_four_is_hidden_and_five_is_not():
    """Three municipalities and the public whole-project value. A's 4 is hidden, and B (the smaller of the others)
    with it, as 26 − 10 − 12 would give A back; a 5 or a 0 hides nothing."""
    cells = {("A", "actual"): 4, ("B", "actual"): 10, ("C", "actual"): 12}
    assert protect_interval(cells, False) == {("A", "actual"), ("B", "actual")}
    assert protect_interval({**cells, ("A", "actual"): 5}, False) == set()
    assert protect_interval({**cells, ("A", "actual"): 0}, False) == set()
    assert protect_interval({**cells, ("A", "actual"): 1}, False) == {("A", "actual"), ("B", "actual")}


def test_a_sum_of_two_municipalities_of_four_is_hidden_too():
    """A view of the pair A + B shows 2 + 2 = 4, which the whole project less C (34 − 30) would give away: C is
    hidden too. With 3 + 2 = 5 the pair's sum is no small count, and C may show."""
    cells = {("A", "actual"): 2, ("B", "actual"): 2, ("C", "actual"): 30}
    assert protect_interval(cells, False) == {("A", "actual"), ("B", "actual"), ("C", "actual")}
    cells[("A", "actual")] = 3
    assert protect_interval(cells, False) == {("A", "actual"), ("B", "actual")}


def test_the_unknown_gender_of_four_is_hidden_and_of_five_is_not():
    """Total − women − men is a figure too: 4 unknown in A is a small count; 5 is not."""

    def cells(unknown: int) -> dict:
        out = {}
        for m, (women, men) in {"A": (10, 10), "B": (20, 20), "C": (30, 30)}.items():
            out[(m, "actual_women")], out[(m, "actual_men")] = women, men
            out[(m, "actual")] = women + men + (unknown if m == "A" else 0)
        return out

    assert protect_interval(cells(4), True) != set()
    assert protect_interval(cells(5), True) == set()


def test_tutkis_distinct_count_is_distinct_in_every_cell(sample_db):
    """Companies served, by municipality and year: 38 / 77 / 38 and 153 in all (domain.md: 153 companies). A
    company served in several years is one company in the municipality's total, so the totals are less than the sum
    of the years (a count of records would add them up)."""
    sub = explore.filter_frame(explore.explore_frame(sample_db), {"indicator": ["palvellut_yritykset"]})
    table = explore.with_totals(sub, explore.pivot(sub, ["municipality"], "year"), ["municipality"], "year")
    rows = table.set_index("municipality")
    assert rows["Σ"].to_dict() == {"Hartola": 38, "Heinola": 77, "Sysmä": 38, "Σ": 153}
    years = [c for c in table.columns if c not in ("municipality", "Σ")]
    for municipality in ("Hartola", "Heinola", "Sysmä", "Σ"):
        assert rows.loc[municipality, "Σ"] < rows.loc[municipality, years].sum()


def test_percentages_and_numbers_round_half_up_in_both_languages():
    """One formatter: 12,25 % is 12,3 % on the overview as in the tables (babel alone gave 12,2 %)."""
    from vvr_metrics.formatting import fi_number

    assert fi_number(12.25, 1, "%") == "12,3\u00a0%"
    assert fi_number(12.25, 1, "%", "en") == "12.3%"
    assert fi_number(2.5) == "3" and fi_number(0.125, 2) == "0,13"
    assert fi_number(1.005, 2) == "1,01"  # from the shortest repr, not from 1.00499999…
