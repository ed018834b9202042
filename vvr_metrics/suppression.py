"""Small-number protection for public outputs.

Counts from 1 to 4 in any breakdown are hidden (primary suppression). Then, wherever a published
total would let someone work out a hidden cell by subtraction, more cells are hidden (secondary
suppression) until no equation has exactly one hidden cell. Euros and whole-project totals are
never hidden; zeros stay visible unless they must cover another cell.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence

import pandas as pd

from . import catalogue

SMALL = range(1, 5)
MARK = "x"


def suppress(values: Mapping[Hashable, float], equations: Iterable[Sequence[Hashable]]) -> set[Hashable]:
    """The cells to hide.

    ``values`` maps a cell to its count; each equation is a group of cells whose sum is published
    (a row, column or gender total). A hidden cell is recoverable when it is the only hidden cell of
    an equation; the loop hides the smallest visible cell of such an equation (positive cells first)
    until none is left.
    """
    hidden = {cell for cell, v in values.items() if v is not None and round(v) in SMALL}
    equations = [list(eq) for eq in equations if len(eq) > 1]
    changed = True
    while changed:
        changed = False
        for eq in equations:
            covered = [c for c in eq if c in hidden]
            if len(covered) != 1:
                continue
            visible = [c for c in eq if c not in hidden]
            if not visible:
                continue
            # smallest positive first (least information lost), zeros only when nothing else is left
            best = min(visible, key=lambda c: (values[c] <= 0, values[c]))
            hidden.add(best)
            changed = True
    return hidden


def protect(table: pd.DataFrame, by: Sequence[str]) -> tuple[pd.DataFrame, set[tuple[int, str]]]:
    """Apply the protection to an indicator table grouped ``by`` municipality and/or year.

    Returns a copy with hidden values set to NA, and the hidden cells as (row position, column).
    Targets are plans, not people, and stay visible; so do euros and tables without a breakdown.
    """
    out = table.copy()
    if not by:
        return out, set()
    measures = ("actual", "actual_women", "actual_men")
    hidden_cells: set[tuple[int, str]] = set()
    for code, rows in out.groupby("indicator", sort=False):
        ind = catalogue.BY_CODE[code]
        if ind.unit == catalogue.EUR:
            continue
        positions = list(rows.index)
        values: dict[tuple[int, str], float] = {}
        for pos in positions:
            for m in measures:
                v = out.at[pos, m]
                if v is not None and not pd.isna(v):
                    values[(pos, m)] = float(v)
        equations: list[list[tuple[int, str]]] = []
        for pos in positions:  # realised = women + men (+ unknown, taken as known: often 0)
            split = [(pos, "actual"), (pos, "actual_women"), (pos, "actual_men")]
            if all(c in values for c in split):
                equations.append(split)
        if ind.measure != catalogue.DISTINCT:  # distinct counts do not add up across groups
            for m in measures:
                for dim in by:  # cells that share the other dimensions add up to a published total
                    others = [d for d in by if d != dim]
                    for _, group in rows.groupby(others, dropna=False) if others else [(None, rows)]:
                        eq = [(pos, m) for pos in group.index if (pos, m) in values]
                        equations.append(eq)
        for cell in suppress(values, equations):
            hidden_cells.add(cell)
    for pos, m in hidden_cells:
        out.at[pos, m] = pd.NA
    return out, {(out.index.get_loc(pos), m) for pos, m in hidden_cells}
