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


def suppress(
    values: Mapping[Hashable, float], equations: Iterable[Sequence[Hashable]], always: Iterable[Hashable] = ()
) -> set[Hashable]:
    """The cells to hide.

    ``values`` maps a cell to its count; each equation is a group of cells whose sum is published
    (a row, column or gender total). A hidden cell is recoverable when it is the only hidden cell of
    an equation; the loop hides the smallest visible cell of such an equation (positive cells first)
    until none is left. ``always`` are cells that are never shown, whatever their value.
    """
    hidden = {cell for cell, v in values.items() if v is not None and round(v) in SMALL} | set(always)
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


def protected(table: pd.DataFrame, by: Sequence[str]) -> pd.DataFrame:
    """``protect`` for a table that is shown or downloaded as it is: hidden values NA, and the hidden cells
    (row position, column) in ``attrs["hidden"]`` so that every output writes them as ``x``."""
    out, hidden = protect(table.reset_index(drop=True), by)
    out.attrs["hidden"] = hidden
    return out


def protected_pivot(table: pd.DataFrame, dims: Sequence[str], column: str | None, codes: Sequence[str]) -> pd.DataFrame:
    """The Tutki pivot for the public: counts of 1–4 hidden, and enough others that no hidden cell follows from a
    row or column total (totals are published elsewhere). Euros stay visible; indicators are never summed."""
    out = table.reset_index(drop=True).copy()
    value_cols = [c for c in out.columns if c not in dims]

    def is_eur(row: int, col: str) -> bool:
        code = col if column == "indicator" else (out.at[row, "indicator"] if "indicator" in dims else None)
        if code is None and len(codes) == 1:
            code = codes[0]
        return code in catalogue.BY_CODE and catalogue.BY_CODE[code].unit == catalogue.EUR

    values = {
        (r, c): float(out.at[r, c])
        for r in range(len(out))
        for c in value_cols
        if not pd.isna(out.at[r, c]) and not is_eur(r, c)
    }
    equations: list[list[tuple[int, str]]] = []
    for c in value_cols:
        for dim in [d for d in dims if d != "indicator"]:
            others = [d for d in dims if d != dim]
            key = others[0] if len(others) == 1 else others
            groups = out.groupby(key, dropna=False).groups.values() if others else [out.index]
            equations += [[(r, c) for r in group if (r, c) in values] for group in groups]
    if column and column != "indicator":
        equations += [[(r, c) for c in value_cols if (r, c) in values] for r in range(len(out))]
    hidden = suppress(values, equations)
    for r, c in hidden:
        out.at[r, c] = pd.NA
    out.attrs["hidden"] = set(hidden)
    return out
