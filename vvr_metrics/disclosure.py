"""An exact disclosure audit of tables published together, and protection that passes it.

Per-table suppression (``suppression.protect``) leaves a hidden cell recoverable when another table of the
same release publishes a total it belongs to. The audit models each indicator's counts as unknown
non-negative cells (municipality × year × women/men/unknown), adds one equation per published value (an
absent row publishes a zero), and bounds every hidden cell with linear programming. A hidden cell whose
lowest and highest possible values are the same whole number can be worked out: it is recoverable.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import catalogue
from . import workbook_format as wf
from .suppression import protect

MEASURES = {"actual": ("W", "M", "U"), "actual_women": ("W",), "actual_men": ("M",)}


@dataclass(frozen=True)
class Recovered:
    """A hidden cell that the published tables pin down: sheet, row position, column and its bounds."""

    sheet: str
    row: int
    column: str
    low: float
    high: float


def _groups(table: pd.DataFrame, by: Sequence[str]) -> list[dict]:
    return [{g: rec[g] for g in by} for rec in table[list(by)].astype(object).to_dict("records")] if by else [{}]


def _cells(group: Mapping, column: str, munis, years, gendered: bool) -> list[tuple]:
    """The fine cells (municipality, year, gender) a published cell adds up."""
    ms = [group["municipality"]] if "municipality" in group else munis
    ys = [int(group["year"])] if "year" in group else years
    gs = MEASURES[column] if gendered else ("T",)
    return list(itertools.product(ms, ys, gs))


def audit(
    sheets: Mapping[str, tuple[pd.DataFrame, set, Sequence[str]]],
    municipalities: Sequence[str],
    years: Sequence[int],
    published: frozenset = frozenset(),
    codes: Sequence[str] | None = None,
) -> list[Recovered]:
    """Every hidden count that the published sheets (name -> (table, hidden cells, by)) let a reader work out,
    except the ``published`` ones ((sheet, row, column) equal to a whole-project figure that is shown anyway).
    ``codes`` limits the audit to some indicators (they are independent of each other)."""
    from scipy.optimize import linprog

    found = []
    if codes is None:
        codes = sorted({c for table, _, _ in sheets.values() for c in table["indicator"].unique()})
    for code in codes:
        ind = catalogue.BY_CODE[code]
        if ind.unit == catalogue.EUR or ind.measure == catalogue.DISTINCT:
            continue  # euros are never hidden; distinct counts do not add up across groups
        gendered = ind.has_gender
        # None: records without a municipality (in totals, not by municipality), where the sheet allows them
        optional = not wf.SHEETS_BY_TABLE[ind.table].column("municipality").required
        munis = [*municipalities, None] if optional else list(municipalities)
        cells = list(itertools.product(munis, years, ("W", "M", "U") if gendered else ("T",)))
        index = {c: i for i, c in enumerate(cells)}
        rows_eq, values, hidden_cells = [], [], []
        columns = ("actual", "actual_women", "actual_men") if gendered else ("actual",)
        for name, (table, hidden, by) in sheets.items():
            part = table[table["indicator"] == code]
            seen = set()
            for pos, group in zip(part.index, _groups(part, by)):
                row = table.index.get_loc(pos)
                seen.add(tuple(group.get(g) for g in by))
                for column in columns:
                    vector = np.zeros(len(cells))
                    for c in _cells(group, column, municipalities if "municipality" in by else munis, years, gendered):
                        vector[index[c]] = 1
                    if (row, column) in hidden:
                        if (name, row, column) not in published:
                            hidden_cells.append((name, row, column, vector))
                    elif not pd.isna(table.at[pos, column]):
                        rows_eq.append(vector)
                        values.append(float(table.at[pos, column]))
            # a group with no row publishes a zero
            for key in itertools.product(*[municipalities if g == "municipality" else years for g in by]) if by else []:
                if key not in seen:
                    group = dict(zip(by, key))
                    vector = np.zeros(len(cells))
                    for c in _cells(group, "actual", munis, years, gendered):
                        vector[index[c]] = 1
                    rows_eq.append(vector)
                    values.append(0.0)
        if not hidden_cells:
            continue
        a_eq, b_eq = np.array(rows_eq), np.array(values)
        for name, row, column, vector in hidden_cells:
            low = linprog(vector, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
            high = linprog(-vector, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
            if low.status == 0 and high.status == 0 and -high.fun - low.fun < 0.5:
                found.append(Recovered(name, row, column, round(low.fun, 6), round(-high.fun, 6)))
    return found


def protect_together(
    tables: Mapping[str, tuple[pd.DataFrame, Sequence[str]]],
    municipalities: Sequence[str],
    years: Sequence[int],
    max_rounds: int = 200,
    previous: Mapping[str, pd.DataFrame] | None = None,
) -> dict[str, tuple[pd.DataFrame, set]]:
    """Protect tables published together: each on its own first, then more cells hidden until the audit finds
    no recoverable cell. The whole-project sheet stays as it is (its totals are published anyway).

    ``previous`` holds the same sheets at the previous public cut-off: a count that changed by 1–4 since then
    is itself a small number (the difference of two releases), so it is hidden too."""
    out, changed = {}, set()
    for name, (table, by) in tables.items():
        table = table.reset_index(drop=True)
        protected, hidden = protect(table, by)
        hidden = set(hidden)
        if previous is not None and by and name in previous:
            for row, column in small_changes(table, previous[name], by):
                hidden.add((row, column))
                changed.add((name, row, column))
                protected.iat[row, protected.columns.get_loc(column)] = pd.NA
        out[name] = (protected, hidden, by)
    published: set = set()
    codes = sorted({c for table, _, _ in out.values() for c in table["indicator"].unique()})
    for code in codes:  # indicators are independent: each is audited again only after its own change
        for _ in range(max_rounds):
            found = audit(out, municipalities, years, frozenset(published), codes=[code])
            if not found:
                break
            rec = found[0]  # one more cell at a time keeps the extra hiding small
            if _harmless(out, rec, changed):
                published.add((rec.sheet, rec.row, rec.column))
            else:
                _hide_partner(out, rec, municipalities, years, frozenset(published))
        else:
            raise RuntimeError(f"protection of {code} did not converge")
    for name, (table, _, _) in out.items():  # for audits that add tables to this release (the Tutki pivot)
        table.attrs["changed"] = {(row, column) for sheet, row, column in changed if sheet == name}
    return {name: (table, hidden) for name, (table, hidden, _) in out.items()}


def small_changes(now: pd.DataFrame, before: pd.DataFrame, by: Sequence[str]) -> list[tuple[int, str]]:
    """Counts (row position, column) of ``now`` that grew by 1–4 since ``before`` (euros are never hidden)."""
    keys = ["indicator", *by]
    earlier = {tuple(rec[k] for k in keys): rec for rec in before.astype(object).to_dict("records")}
    found = []
    for row, rec in enumerate(now.astype(object).to_dict("records")):
        if catalogue.BY_CODE[rec["indicator"]].unit == catalogue.EUR:
            continue
        old = earlier.get(tuple(rec[k] for k in keys), {})
        for column in ("actual", "actual_women", "actual_men"):
            value, was = rec[column], old.get(column, 0.0)
            if value is None or pd.isna(value):
                continue
            was = 0.0 if was is None or pd.isna(was) else float(was)
            if 1 <= round(float(value) - was) <= 4:
                found.append((row, column))
    return found


def _harmless(out: dict, rec: Recovered, changed: set = frozenset()) -> bool:
    """What a worked-out cell may be without disclosing a small number: zero (nobody), 5 or more (a cell hidden
    only to cover a small one; the small one itself is bounded by the audit directly), or a whole-project
    figure the release shows anyway (e.g. the only year so far). A cell hidden because it changed by 1–4 since
    the previous cut-off (in ``changed``) must stay open whatever its size: its value minus the earlier one is
    the small number."""
    if _equals_whole(out, rec):
        return True
    if (rec.sheet, rec.row, rec.column) in changed:
        return False
    return rec.high < 0.5 or rec.low >= 4.5


def _equals_whole(out: dict, rec: Recovered) -> bool:
    """Whether a recovered cell is a whole-project figure the release shows (same indicator and measure)."""
    table = out[rec.sheet][0]
    code = table.at[table.index[rec.row], "indicator"]
    for other, hidden, by in out.values():
        if by:
            continue
        rows = other.index[other["indicator"] == code]
        if len(rows) and (other.index.get_loc(rows[0]), rec.column) not in hidden:
            value = other.at[rows[0], rec.column]
            return not pd.isna(value) and abs(float(value) - rec.low) < 0.5
    return False


def _hide_partner(out: dict, rec: Recovered, municipalities, years, published) -> None:
    """Hide one more visible count of the same indicator: the smallest whose hiding leaves the recovered cell
    open (tried in turn); if none does alone, the smallest in the cell's own sheet and measure."""
    table, _, by = out[rec.sheet]
    code = table.at[table.index[rec.row], "indicator"]
    group = {g: table.at[table.index[rec.row], g] for g in by}
    candidates = []
    for name, (other, hidden, other_by) in out.items():
        if not other_by:
            continue  # whole-project figures are never hidden
        for pos in other.index[other["indicator"] == code]:
            row = other.index.get_loc(pos)
            same_sheet = name == rec.sheet
            # cells of its own sheet or group first; others (e.g. another municipality's only year) when needed
            related = same_sheet or any(g in other_by and other.at[pos, g] == v for g, v in group.items())
            for column in ("actual", "actual_women", "actual_men"):
                value = other.at[pos, column]
                if (row, column) in hidden or pd.isna(value):
                    continue
                candidates.append(
                    (
                        (not related, float(value) == 0, float(value), not same_sheet, name, row, column),
                        name,
                        row,
                        column,
                    )
                )
    if not candidates:
        raise RuntimeError(f"nothing left to hide beside {rec}")
    candidates.sort()
    target = (rec.sheet, rec.row, rec.column)
    for _, name, row, column in candidates[:60]:
        table_c = out[name][0]
        before = table_c.iat[row, table_c.columns.get_loc(column)]
        _hide(out, name, row, column)
        still = audit(out, municipalities, years, published, codes=[code])
        if all((r.sheet, r.row, r.column) != target for r in still):
            return
        out[name][1].discard((row, column))  # did not help alone: put it back
        table_c.iat[row, table_c.columns.get_loc(column)] = before
    first = min(candidates, key=lambda c: (c[1] != rec.sheet, c[3] != rec.column, c[0]))
    _hide(out, first[1], first[2], first[3])


def _hide(out: dict, name: str, row: int, column: str) -> None:
    out[name][1].add((row, column))
    out[name][0].iat[row, out[name][0].columns.get_loc(column)] = pd.NA


def exposed(
    sheets: Mapping[str, tuple[pd.DataFrame, set, Sequence[str]]],
    municipalities: Sequence[str],
    years: Sequence[int],
    changed: set = frozenset(),
    codes: Sequence[str] | None = None,
) -> list[Recovered]:
    """The hidden cells a reader can work out, other than zeros and figures the release shows anyway (and, for
    cells hidden for a change of 1–4 since the previous cut-off, ``changed`` as (sheet, row, column), any value)."""
    work = {name: (table, hidden, by) for name, (table, hidden, by) in sheets.items()}
    return [rec for rec in audit(work, municipalities, years, codes=codes) if not _harmless(work, rec, changed)]


def indicator_rows(table: pd.DataFrame, hidden: set, code: str) -> pd.DataFrame:
    """One indicator's rows of a protected table, with its hidden cells in ``attrs["hidden"]`` by new position."""
    positions = [i for i, c in enumerate(table["indicator"]) if c == code]
    out = table.iloc[positions].reset_index(drop=True)
    out.attrs["hidden"] = {(positions.index(r), col) for r, col in hidden if r in positions}
    return out
