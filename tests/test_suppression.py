"""Small-number protection: property tests on random tables, and the rules on real breakdowns."""

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from vvr_metrics.indicators import indicator_table
from vvr_metrics.suppression import protect, suppress

counts = st.integers(min_value=0, max_value=30)


@st.composite
def matrices(draw):
    rows = draw(st.integers(min_value=1, max_value=6))
    cols = draw(st.integers(min_value=1, max_value=6))
    return [[draw(counts) for _ in range(cols)] for _ in range(rows)]


def grid_equations(matrix):
    rows, cols = len(matrix), len(matrix[0])
    return [[(r, c) for c in range(cols)] for r in range(rows)] + [[(r, c) for r in range(rows)] for c in range(cols)]


@settings(max_examples=300, deadline=None)
@given(matrices())
def test_no_small_visible_cell_and_no_hidden_cell_recoverable(matrix):
    values = {(r, c): v for r, row in enumerate(matrix) for c, v in enumerate(row)}
    equations = grid_equations(matrix)
    hidden = suppress(values, equations)
    for cell, v in values.items():
        if cell not in hidden:
            assert v == 0 or v >= 5, (matrix, cell)
    for eq in equations:
        # A one-cell row is its own published total, which is never hidden: nothing can protect it.
        if len(eq) > 1:
            assert sum(c in hidden for c in eq) != 1, (matrix, eq, hidden)


@settings(max_examples=200, deadline=None)
@given(st.lists(counts, min_size=1, max_size=8))
def test_a_single_row_with_its_total(vector):
    values = dict(enumerate(vector))
    hidden = suppress(values, [list(values)])
    assert all(v == 0 or v >= 5 for i, v in values.items() if i not in hidden)
    if len(vector) > 1:
        assert len(hidden) != 1


def test_nothing_small_means_nothing_hidden():
    values = {(0, 0): 5, (0, 1): 0, (1, 0): 12, (1, 1): 7}
    assert suppress(values, grid_equations([[5, 0], [12, 7]])) == set()


def test_breakdowns_of_the_sample(sample_db):
    table = indicator_table(sample_db, by=["municipality", "year"])
    shown, hidden = protect(table, ["municipality", "year"])
    counts_only = shown[~shown["indicator"].isin(["rahoitus_eu_valtio", "julkinen_rahoitus"])]
    for col in ("actual", "actual_women", "actual_men"):
        visible = counts_only[col].dropna().astype(float)
        assert ((visible == 0) | (visible >= 5)).all()
    # euros are never hidden, targets stay
    euros = shown[shown["indicator"] == "julkinen_rahoitus"]
    assert euros["actual"].notna().all()
    assert hidden and all(isinstance(pos, int) for pos, _ in hidden)
    # realised = women + men: never exactly one of the three hidden in a row
    for pos in range(len(shown)):
        if not pd.isna(table.iloc[pos]["actual_women"]):
            assert sum((pos, c) in hidden for c in ("actual", "actual_women", "actual_men")) != 1


def test_whole_project_table_is_not_suppressed(sample_db):
    table = indicator_table(sample_db)
    shown, hidden = protect(table, [])
    assert hidden == set() and shown.equals(table)


# A small-number fixture, counted by hand: company contacts by municipality and year.
#            2012  2013 | total
#   Hartola     3    10 |   13
#   Heinola     8    12 |   20
#   Sysmä       6     0 |    6
#   total      17    22 |   39
GRID = [("Hartola", 2012, 3), ("Hartola", 2013, 10), ("Heinola", 2012, 8), ("Heinola", 2013, 12),
        ("Sysmä", 2012, 6), ("Sysmä", 2013, 0)]  # fmt: skip


def _contacts_table(rows: list[dict]) -> pd.DataFrame:
    keys = {"indicator": "yrityskontaktit", "target": None, "target_women": None, "actual_women": None}
    return pd.DataFrame([{**keys, **row, "actual_men": None} for row in rows])


def test_secondary_suppression_of_a_small_fixture_matches_the_hand_count():
    """Hartola 2012 (3) is small. Its year total (17) would give it back, so the smallest other count of 2012 is
    hidden too (Sysmä 6); then Hartola's row total (13) would give back 2013 (10), and Sysmä's (6) its 0. Four
    cells hidden: 3, 10, 6 and 0."""

    grid = _contacts_table([{"municipality": m, "year": y, "actual": float(v)} for m, y, v in GRID])
    shown, hidden = protect(grid, ["municipality", "year"])
    assert hidden == {(0, "actual"), (1, "actual"), (4, "actual"), (5, "actual")}
    assert shown["actual"].isna().tolist() == [True, True, False, False, True, True]


def test_the_pivot_is_protected_by_its_row_and_column_totals():
    """The same grid as a Tutki pivot (municipality × year): the same four cells hidden, by the same reasoning."""
    from vvr_metrics.suppression import protected_pivot

    table = pd.DataFrame(
        {"municipality": ["Hartola", "Heinola", "Sysmä"], "2012": [3.0, 8.0, 6.0], "2013": [10.0, 12.0, 0.0]}
    )
    out = protected_pivot(table, ["municipality"], "year", ("yrityskontaktit",))
    assert out.attrs["hidden"] == {(0, "2012"), (2, "2012"), (0, "2013"), (2, "2013")}
    assert out[["2012", "2013"]].isna().values.tolist() == [[True, True], [False, False], [True, True]]
    assert table["2012"].tolist() == [3.0, 8.0, 6.0]  # the cached table is left as it was


def test_euros_are_never_hidden_and_indicators_never_added_together_in_the_pivot():
    from vvr_metrics.suppression import protected_pivot

    by_indicator = pd.DataFrame(
        {
            "municipality": ["Hartola", "Heinola", "Sysmä"],
            "uudet_tyopaikat": [3.0, 8.0, 6.0],
            "julkinen_rahoitus": [2.0, 100.0, 50.0],
        }
    )
    out = protected_pivot(by_indicator, ["municipality"], "indicator", ("uudet_tyopaikat", "julkinen_rahoitus"))
    # jobs: Hartola's 3, and Sysmä's 6 with it (the column's total); no equation runs across the two indicators
    assert out.attrs["hidden"] == {(0, "uudet_tyopaikat"), (2, "uudet_tyopaikat")}
    assert out["julkinen_rahoitus"].tolist() == [2.0, 100.0, 50.0]
    euros = pd.DataFrame({"municipality": ["Hartola", "Heinola"], "value": [2.0, 3.0]})
    assert protected_pivot(euros, ["municipality"], None, ("julkinen_rahoitus",)).attrs["hidden"] == set()
    rows = pd.DataFrame(
        {"indicator": ["uudet_tyopaikat", "julkinen_rahoitus"], "municipality": ["Hartola"] * 2, "value": [2.0, 3.0]}
    )
    assert protected_pivot(rows, ["indicator", "municipality"], None, ()).attrs["hidden"] == {(0, "value")}


def test_a_protected_table_keeps_its_hidden_cells_by_position():
    from vvr_metrics.suppression import MARK, protected

    grid = _contacts_table([{"municipality": m, "year": y, "actual": float(v)} for m, y, v in GRID])
    grid.index = [10, 11, 12, 13, 14, 15]
    out = protected(grid, ["municipality", "year"])
    assert list(out.index) == [0, 1, 2, 3, 4, 5] and list(out.columns) == list(grid.columns)
    assert out.attrs["hidden"] == {(0, "actual"), (1, "actual"), (4, "actual"), (5, "actual")}
    assert MARK == "x"


def test_secondary_suppression_goes_through_every_equation_and_spares_zeros():
    # 3 is small; its row, then the columns, take the others with it (hand-worked in order: 7, then 5, then 6)
    values = {(0, 0): 5, (0, 1): 6, (1, 0): 3, (1, 1): 7}
    assert suppress(values, grid_equations([[5, 6], [3, 7]])) == set(values)
    # a zero is hidden only when nothing else can cover: here 8 goes with the 3, the 0 stays
    assert suppress({0: 3, 1: 0, 2: 8}, [[0, 1, 2]]) == {0, 2}
    assert suppress({0: 3, 1: 0}, [[0, 1]]) == {0, 1}


def test_rows_without_a_municipality_have_their_own_equations():
    """Records of no municipality are a row of their own in a municipality × year table (and their total is
    published in the municipality sheet): 3 in 2012 and 20 in 2013 must be hidden together."""
    table = _contacts_table(
        [{"municipality": None, "year": 2012, "actual": 3.0}, {"municipality": None, "year": 2013, "actual": 20.0}]
    )
    _, hidden = protect(table, ["municipality", "year"])
    assert hidden == {(0, "actual"), (1, "actual")}


def test_indicators_are_never_added_up_in_a_pivot_with_indicator_rows():
    from vvr_metrics.suppression import protected_pivot

    rows = pd.DataFrame(
        {"indicator": ["uudet_tyopaikat", "uudet_yritykset"], "municipality": ["Hartola"] * 2, "value": [3.0, 8.0]}
    )
    out = protected_pivot(rows, ["indicator", "municipality"], None, ("uudet_tyopaikat", "uudet_yritykset"))
    assert out.attrs["hidden"] == {(0, "value")}
    assert list(out.columns) == ["indicator", "municipality", "value"]


def test_euros_before_counts_do_not_stop_the_protection():
    rows = [
        {"indicator": "julkinen_rahoitus", "municipality": "Hartola", "year": 2012, "actual": 3.0},
        {"indicator": "yrityskontaktit", "municipality": "Hartola", "year": 2012, "actual": 3.0},
        {"indicator": "yrityskontaktit", "municipality": "Hartola", "year": 2013, "actual": 9.0},
    ]
    _, hidden = protect(
        _contacts_table(rows).assign(indicator=[r["indicator"] for r in rows]), ["municipality", "year"]
    )
    assert hidden == {(1, "actual"), (2, "actual")}  # the euros stay, the 3 contacts go with the 9


def test_indicator_columns_of_a_pivot_are_never_added_up():
    from vvr_metrics.suppression import protected_pivot

    table = pd.DataFrame(
        {"municipality": ["Hartola", "Heinola"], "uudet_tyopaikat": [3.0, 0.0], "uudet_yritykset": [8.0, 9.0]}
    )
    out = protected_pivot(table, ["municipality"], "indicator", ("uudet_tyopaikat", "uudet_yritykset"))
    assert out.attrs["hidden"] == {(0, "uudet_tyopaikat"), (1, "uudet_tyopaikat")}  # the 3, and the 0 under it


def test_a_table_by_one_dimension_is_protected_by_its_total():
    table = _contacts_table(
        [{"municipality": m, "actual": float(v)} for m, v in (("Hartola", 3), ("Heinola", 8), ("Sysmä", 6))]
    )
    _, hidden = protect(table, ["municipality"])
    assert hidden == {(0, "actual"), (2, "actual")}  # 3, and the 6 with it (the whole project's 17 is published)
