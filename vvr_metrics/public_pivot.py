"""The Tutki pivot as a viewer gets it: every cell cut from the one protected release grid (``disclosure``).

A viewer's pivot breaks the figures down by what the release protects: municipality, year and gender. A cell is
shown when the release shows it (a whole-project figure, or a sum of fine cells that are all shown) or when the
whole project's own figures make it zero; any other cell is hidden (``x``). So no pivot, alone or with any other
view, cut-off or download, reopens a hidden cell. Euros are never hidden.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import replace

import pandas as pd

from . import catalogue, disclosure, explore
from .explore import TOTAL, UNKNOWN
from .query import Query
from .settings import ProjectSettings

PUBLIC_DIMENSIONS = ("indicator", "municipality", "year", "gender")
GENDER_COLUMNS = {"N": ("actual_women",), "M": ("actual_men",), UNKNOWN: disclosure.COLUMNS, TOTAL: ("actual",)}


def viewer_pivot(
    path,
    rows: Sequence[str],
    column: str | None,
    filters: Mapping[str, Sequence[str]],
    query: Query,
    settings: ProjectSettings,
) -> pd.DataFrame:
    """The pivot a viewer gets for a view (its cut-off is a public one), with hidden values NA and their
    (row position, column) in ``attrs["hidden"]``."""
    query = replace(query, until=query.cutoff(settings), public=True)
    frame = explore.filter_frame(explore.explore_frame(path, query), filters)
    table = _complete(explore.pivot(frame, list(rows), column), column, frame, filters, query, settings)
    out = explore.with_totals(frame, table, list(rows), column).reset_index(drop=True)
    grid = disclosure.grid(path, settings)
    dims = [d for d in out.columns if d in explore.DIMENSIONS]
    codes = list(filters.get("indicator", ())) or sorted(frame["indicator"].unique())
    hidden = set()
    for row in range(len(out)):
        for col in (c for c in out.columns if c not in dims):
            cell = {d: out.at[row, d] for d in dims}
            if column:
                cell[column] = TOTAL if col == TOTAL else col
            code = cell.get("indicator") or (codes[0] if len(codes) == 1 else None)
            value = out.at[row, col]
            if code is None or pd.isna(value):
                continue
            if not cell_shown(grid, code, cell, filters, query, settings, float(value)):
                hidden.add((row, col))
                out.at[row, col] = pd.NA
    out.attrs["hidden"] = hidden
    return out


def cell_shown(
    grid: disclosure.Grid,
    code: str,
    cell: Mapping[str, str],
    filters: Mapping[str, Sequence[str]],
    query: Query,
    settings: ProjectSettings,
    value: float,
) -> bool:
    """Whether the release shows a pivot cell (its dimensions' values, ``TOTAL`` for a total) of ``code``."""
    ind = catalogue.BY_CODE[code]
    if ind.unit == catalogue.EUR:
        return True

    def chosen(dim: str) -> list[str] | None:
        """The values a cell adds up in a dimension (None: all of the view's)."""
        if cell.get(dim, TOTAL) != TOTAL:
            return [cell[dim]]
        return list(filters.get(dim) or ()) or None

    others = [d for d in explore.DIMENSIONS if d not in PUBLIC_DIMENSIONS]
    public = all(chosen(d) is None for d in others)
    munis = chosen("municipality")
    munis = [None if m == UNKNOWN else m for m in munis] if munis else (list(query.municipalities) or None)
    first, last = query.start(settings), query.cutoff(settings)
    years = chosen("year")
    spans = (
        [(max(first, dt.date(int(y), 1, 1)), min(last, dt.date(int(y), 12, 31))) for y in years]
        if years
        else [(first, last)]
    )
    genders = chosen("gender") or [TOTAL]
    if ind.has_gender:
        columns = sorted({c for g in genders for c in GENDER_COLUMNS[g]})
    elif all(g in ("N", "M") for g in genders):
        return value == 0  # no gender is recorded for this indicator: nobody
    else:
        columns = ["actual"]
    checks = [(a, b, c) for a, b in spans for c in columns]
    if public and all(grid.shown(code, munis, a, b, c) for a, b, c in checks):
        return True
    zeros = ["U"] if ind.has_gender and genders == [UNKNOWN] else columns  # nobody of unknown gender at all
    return value == 0 and all(grid.nobody(code, a, b, c) for a, b in spans for c in zeros)


def _universe(dim: str, frame: pd.DataFrame, filters: Mapping, query: Query, settings: ProjectSettings) -> list[str]:
    """Every value a public dimension can take in the view (a pivot that lists only the present ones publishes a
    zero for each absent one, and a zero may be hidden to cover another cell)."""
    if filters.get(dim):
        return sorted(filters[dim])
    if dim == "municipality":
        return [*query.municipalities] if query.municipalities else [*settings.municipalities, UNKNOWN]
    if dim == "year":
        return [str(y) for y in range(query.start(settings).year, query.cutoff(settings).year + 1)]
    if dim == "gender":
        return ["N", "M", UNKNOWN]
    return sorted(frame[dim].dropna().unique())


def _complete(table, column, frame, filters, query, settings) -> pd.DataFrame:
    """The pivot with a zero for every combination of the public dimensions' values; euros only where recorded
    (euros without a municipality get no municipal rows)."""
    dims = [d for d in table.columns if d in explore.DIMENSIONS]
    values = [c for c in table.columns if c not in dims]
    if not dims or table.empty or any(d not in PUBLIC_DIMENSIONS for d in [*dims, *([column] if column else [])]):
        return table
    if column:
        for value in _universe(column, frame, filters, query, settings):
            if value not in table.columns:
                table = table.assign(**{value: 0.0})
        values = [c for c in table.columns if c not in dims]
    row_dims = [d for d in dims if d != "indicator"]
    listed = "indicator" in dims
    codes = sorted(table["indicator"].unique()) if listed else sorted(frame["indicator"].unique())
    combos = []
    for code in codes:
        if catalogue.BY_CODE[code].unit == catalogue.EUR:
            continue
        grid = pd.MultiIndex.from_product([_universe(d, frame, filters, query, settings) for d in row_dims])
        combos += [(*([code] if listed else []), *combo) for combo in grid]
    if not combos:
        return table
    full = pd.DataFrame(combos, columns=dims)
    out = pd.concat([table, full.merge(table[dims], how="left", indicator=True).query("_merge == 'left_only'")])
    out = out.drop(columns=["_merge"]).reset_index(drop=True)
    out[values] = out[values].astype(float).fillna(0.0)
    order = {c: i for i, c in enumerate(catalogue.BY_CODE)}
    out = out.sort_values(dims, key=lambda s: s.map(order) if s.name == "indicator" else s, kind="stable")
    return out[[*dims, *values]].reset_index(drop=True)
