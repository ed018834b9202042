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
