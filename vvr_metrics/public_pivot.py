"""The Tutki pivot as a viewer gets it: protected together with the release of the same view.

A viewer sees the indicator pages' breakdowns (the release, ``report.tables``) and any pivot they ask for. A
pivot cell can close an equation that the release left open: the release hides Hartola's women and men for new
jobs, and a pivot of municipality × gender would show them. So the pivot is audited jointly with the release:
every count is a sum of unknown non-negative fine cells (municipality × gender × time × the pivot's other
dimensions), every visible value is an equation, and every hidden value of either is bounded by linear
programming. Pivot cells are hidden until no hidden value of the pivot or of the release can be worked out. The
release itself never changes, so the indicator pages and the pivot always agree.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import replace

import numpy as np
import pandas as pd

from . import catalogue
from . import workbook_format as wf
from .explore import TOTAL, UNKNOWN, totals_rows
from .query import Query
from .suppression import protected_pivot

TIME = ("year", "quarter", "month")
GENDER_OF_COLUMN = {"actual": ("N", "M", UNKNOWN), "actual_women": ("N",), "actual_men": ("M",)}
MAX_FINE_CELLS = 40_000  # a finer pivot is not published to viewers at all (every count hidden)


def public_pivot(
    table: pd.DataFrame,
    dims: Sequence[str],
    column: str | None,
    filters: Mapping[str, Sequence[str]],
    frame: pd.DataFrame,
    release: Mapping[str, tuple[pd.DataFrame, set, Sequence[str]]],
    municipalities: Sequence[str],
    period: tuple[dt.date, dt.date],
    with_unknown_municipality: bool = True,
    previous: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The pivot ``table`` (rows ``dims``, wide over ``column``) with hidden values NA and ``attrs["hidden"]``.

    ``frame`` is the view's explore frame before the pivot's filters (it gives each dimension's values),
    ``release`` the view's public breakdowns (name -> (table, hidden, by)), ``period`` the view's first and last
    day, and ``previous`` the same pivot at the previous public cut-off: a count that grew by 1–4 since then is a
    small number too."""
    codes = list(dict(filters).get("indicator", ())) or sorted(frame["indicator"].unique())
    # the totals (explore.with_totals) are protected with the cells: set aside, then audited together
    is_total = totals_rows(table)
    totals, cells = table[is_total], table[~is_total].drop(columns=[TOTAL], errors="ignore")
    # every combination is a row: a missing row would publish a zero that can no longer be hidden
    cells = _complete(cells, dims, column, filters, frame, municipalities, period, with_unknown_municipality)
    out = protected_pivot(cells, dims, column, tuple(codes))
    hidden = set(out.attrs["hidden"])
    if TOTAL in table.columns:  # each row's total: a zero for a row that _complete added
        cells = cells.merge(table[~is_total][[*dims, TOTAL]], on=list(dims), how="left") if dims else cells
        cells[TOTAL] = cells[TOTAL].fillna(0.0) if dims else table[~is_total][TOTAL].to_numpy()
    table = pd.concat([cells, totals], ignore_index=True)
    out = pd.concat([out.assign(**{TOTAL: cells[TOTAL]}) if TOTAL in cells else out, totals], ignore_index=True)
    values = [c for c in out.columns if c not in dims]
    code_of = _code_of(out, dims, column, codes)

    def counted(code: str | None) -> bool:
        ind = catalogue.BY_CODE.get(code)
        return ind is not None and ind.unit != catalogue.EUR

    for row in range(len(out)):  # a total of 1–4 is a small number like any other
        for col in values:
            if (row >= len(cells) or col == TOTAL) and counted(code_of(row, col)):
                if 1 <= round(float(table.at[row, col])) <= 4:
                    hidden.add((row, col))

    changed: set = set()  # cells hidden for a change of 1–4: their value minus the earlier one is the small number
    if previous is not None and len(previous):
        before = {tuple(rec[d] for d in dims): rec for rec in previous.astype(object).to_dict("records")}
        for row, rec in enumerate(table.reset_index(drop=True).astype(object).to_dict("records")):
            old = before.get(tuple(rec[d] for d in dims), {})
            for col in values:
                was = old.get(col, 0.0)
                was = 0.0 if was is None or pd.isna(was) else float(was)
                if counted(code_of(row, col)) and 1 <= round(float(rec[col]) - was) <= 4:
                    hidden.add((row, col))
                    changed.add(("pivot", row, col))
    for row, col in hidden:
        out.at[row, col] = pd.NA

    for system in _systems(out, dims, column, filters, frame, release, municipalities, period,
                           with_unknown_municipality, code_of, changed):  # fmt: skip
        if system.too_fine:
            for r, c in system.cells:
                if not pd.isna(out.at[r, c]):
                    hidden.add((r, c))
                    out.at[r, c] = pd.NA
            continue
        for _ in range(len(system.cells) + 1):
            found = system.recovered(hidden)
            if found is None:
                break
            system.hide_partner(found, hidden)
            out.at[system.last[0], system.last[1]] = pd.NA
    out.attrs["hidden"] = hidden
    out.attrs["changed"] = {(row, col) for _, row, col in changed}
    return out


def exposed(
    out: pd.DataFrame,
    dims: Sequence[str],
    column: str | None,
    filters: Mapping[str, Sequence[str]],
    frame: pd.DataFrame,
    release: Mapping[str, tuple[pd.DataFrame, set, Sequence[str]]],
    municipalities: Sequence[str],
    period: tuple[dt.date, dt.date],
    with_unknown_municipality: bool = True,
) -> list[tuple[tuple, int]]:
    """Every hidden value of a published pivot (``attrs["hidden"]``) or of the release that the two together pin
    to 1–4, with its value: the audit, for tests and checks."""
    codes = list(dict(filters).get("indicator", ())) or sorted(frame["indicator"].unique())
    changed = {("pivot", row, col) for row, col in out.attrs.get("changed", ())}
    found = []
    for system in _systems(out, dims, column, filters, frame, release, municipalities, period,
                           with_unknown_municipality, _code_of(out, dims, column, codes), changed):  # fmt: skip
        if not system.too_fine:
            found += system.recovered(set(out.attrs.get("hidden", ())), every=True)
    return found


def _systems(out, dims, column, filters, frame, release, municipalities, period, with_unknown, code_of, changed):
    """One audit system per counted indicator in the pivot (euros are never hidden; distinct counts do not add
    up, so their pivot is protected on its own), with the release's equations already in."""
    values = [c for c in out.columns if c not in dims]
    for code in sorted({code_of(r, c) for r in range(len(out)) for c in values} - {None}):
        ind = catalogue.BY_CODE.get(code)
        if ind is None or ind.unit == catalogue.EUR or ind.measure == catalogue.DISTINCT:
            continue
        system = _System(code, out, dims, column, filters, frame, municipalities, period, with_unknown, code_of)
        if not system.too_fine:
            system.add_release(release)
            system.changed |= changed
        yield system


def _code_of(out: pd.DataFrame, dims: Sequence[str], column: str | None, codes: Sequence[str]):
    """Which indicator a pivot cell (row, column) counts."""
    single = codes[0] if len(codes) == 1 else None

    def code_of(row: int, col: str) -> str | None:
        if column == "indicator":
            return col
        return out.at[row, "indicator"] if "indicator" in dims else single

    return code_of


class _System:
    """One indicator's fine cells and the equations the release and the pivot publish about them."""

    def __init__(self, code, out, dims, column, filters, frame, municipalities, period, with_unknown, code_of):
        self.code, self.out, self.column, self.code_of = code, out, column, code_of
        self.row_dims = [d for d in dims if d != "indicator"]
        self.cells = [  # the pivot's (row, column) cells of this indicator
            (row, col)
            for row in range(len(out))
            for col in out.columns
            if col not in self.row_dims and col != "indicator" and code_of(row, col) == code
        ]
        ind = catalogue.BY_CODE[code]
        own = frame[frame["indicator"] == code]
        self.filters = {d: set(v) for d, v in filters.items() if v and d != "indicator"}
        used = {*self.row_dims, *([column] if column and column != "indicator" else []), *self.filters}
        extras = sorted(used - {"municipality", "gender", *TIME})
        optional = not wf.SHEETS_BY_TABLE[ind.table].column("municipality").required
        munis = [*municipalities, *([UNKNOWN] if optional and with_unknown else [])]
        genders = ["N", "M", UNKNOWN] if ind.has_gender else [UNKNOWN]
        times = _time_units(*period, _finest(used))
        universes = [sorted({*own[d].dropna().unique(), *self.filters.get(d, ())}) for d in extras]
        size = len(munis) * len(genders) * len(times) * int(np.prod([len(u) for u in universes] or [1]))
        self.too_fine = size > MAX_FINE_CELLS
        self.changed: set = set()  # (("pivot", row, col) | ("release", sheet, row, col)) hidden for a change
        if self.too_fine:
            return
        fine = list(itertools.product(munis, genders, times, *universes))
        self.attrs = {
            "municipality": np.array([f[0] for f in fine], dtype=object),
            "gender": np.array([f[1] for f in fine], dtype=object),
            **{t: np.array([f[2][i] for f in fine], dtype=object) for i, t in enumerate(TIME)},
            **{d: np.array([f[3 + i] for f in fine], dtype=object) for i, d in enumerate(extras)},
        }
        self.universes = {
            "municipality": munis,
            "gender": genders,
            **{t: sorted({u[i] for u in times}) for i, t in enumerate(TIME)},
            **dict(zip(extras, universes)),
        }
        self.size = len(fine)
        self._filter_key = {d: sorted(v) for d, v in self.filters.items()}
        self._vectors: dict[tuple[int, str], np.ndarray] = {}
        self._absent: list | None = None
        self._current: list = []
        self._release: _Bounds | None = None
        self.equations: list[tuple[np.ndarray, float]] = []
        self.targets: list[tuple[tuple, np.ndarray]] = []  # (("release", sheet, row, col) | ("pivot", row, col))
        self.last: tuple[int, str] = (-1, "")

    def vector(self, key: Mapping[str, Sequence]) -> np.ndarray:
        """The indices of the fine cells a published value adds up."""
        mask = np.ones(self.size, dtype=bool)
        for dim, allowed in key.items():
            mask &= np.isin(self.attrs[dim], list(allowed))
        return np.flatnonzero(mask)

    def add_release(self, release) -> None:
        columns = ("actual", "actual_women", "actual_men") if catalogue.BY_CODE[self.code].has_gender else ("actual",)
        for name, (table, hidden, by) in release.items():
            part = table[table["indicator"] == self.code]
            seen = set()
            for pos in part.index:
                row = table.index.get_loc(pos)
                group = {g: table.at[pos, g] for g in by}
                seen.add(tuple(_label(g, v) for g, v in group.items()))
                key = {g: [_label(g, v)] for g, v in group.items()}
                for col in columns:
                    vector = self.vector({**key, "gender": GENDER_OF_COLUMN[col]})
                    if (row, col) in hidden:
                        self.targets.append((("release", name, row, col), vector))
                        if (row, col) in table.attrs.get("changed", ()):
                            self.changed.add(("release", name, row, col))
                    elif not pd.isna(table.at[pos, col]):
                        self.equations.append((vector, float(table.at[pos, col])))
            named = [m for m in self.universes["municipality"] if m != UNKNOWN]
            universes = [named if g == "municipality" else self.universes[g] for g in by]
            for combo in itertools.product(*universes) if by else []:
                if combo not in seen:  # a group with no row publishes a zero
                    self.equations.append((self.vector({g: [v] for g, v in zip(by, combo)}), 0.0))

    def pivot_vector(self, row: int, col: str) -> np.ndarray:
        if (row, col) not in self._vectors:
            # a totals row adds up the dimensions it has TOTAL in; the totals column, every column value
            key = {d: [self.out.at[row, d]] for d in self.row_dims if self.out.at[row, d] != TOTAL}
            if self.column and self.column != "indicator" and col != TOTAL:
                key[self.column] = [col]
            self._vectors[(row, col)] = self.vector({**self._filter_key, **key})
        return self._vectors[(row, col)]

    def recovered(self, hidden: set, every: bool = False):
        """The first hidden value (of the release or the pivot) that the published values pin to 1–4, as
        (ident, cells); with ``every``, the list of all of them."""
        equations, targets = list(self.equations), list(self.targets)
        for row, col in self.cells:
            if (row, col) in hidden:
                targets.append((("pivot", row, col), self.pivot_vector(row, col)))
            else:
                equations.append((self.pivot_vector(row, col), float(self.out.at[row, col])))
        equations += self._absent_zeros()
        self._current = equations
        bounds = _Bounds(equations, self.size)
        found = []
        for ident, vector in targets:
            if vector.tobytes() in bounds.published:
                continue  # exactly this sum is published anyway (a pivot cell equal to a release figure)
            low, high = bounds(vector)
            small = 0.5 < low < 4.5 or ident in self.changed
            if high - low < 0.5 and small and not self._release_pins(vector):
                if not every:
                    return ident, vector
                found.append((ident, round(low)))
        return found if every else None

    def _release_pins(self, vector: np.ndarray) -> bool:
        """Whether the release alone pins this sum: then the pivot tells nothing new (e.g. the release's
        women and men give the unknown gender by subtraction)."""
        if self._release is None:
            self._release = _Bounds(self.equations, self.size)
        low, high = self._release(vector)
        return high - low < 0.5

    def _absent_zeros(self) -> list[tuple[np.ndarray, float]]:
        """Pivot rows and columns that are absent publish zeros (the same whatever is hidden: built once)."""
        if self._absent is None:
            self._absent = self._find_absent()
        return self._absent

    def _find_absent(self) -> list[tuple[np.ndarray, float]]:
        cells = self.cells
        found = []
        if self.row_dims and cells:
            present = {tuple(self.out.at[r, d] for d in self.row_dims) for r, _ in cells}
            combos = itertools.product(*[self.universes[d] for d in self.row_dims])
            for combo in itertools.islice(combos, MAX_FINE_CELLS):
                if combo not in present:
                    key = {**self._filter_key, **{d: [v] for d, v in zip(self.row_dims, combo)}}
                    found.append((self.vector(key), 0.0))
        if self.column and self.column != "indicator" and cells:
            shown = {c for _, c in cells}
            for value in self.universes[self.column]:
                if value not in shown:
                    found.append((self.vector({**self._filter_key, self.column: [value]}), 0.0))
        return found

    def hide_partner(self, found: tuple, hidden: set) -> None:
        """Hide one more visible pivot cell: the smallest whose hiding leaves the recovered value open."""
        ident, target = found
        candidates = sorted(
            (float(self.out.at[r, c]) == 0, float(self.out.at[r, c]), r, c)
            for r, c in self.cells
            if (r, c) not in hidden
        )
        if not candidates:
            raise RuntimeError(f"nothing left to hide beside {ident}")
        for _, value, r, c in candidates[:40]:
            vector = self.pivot_vector(r, c)
            rest = [(v, b) for v, b in self._current if not (b == value and np.array_equal(v, vector))]
            low, high = _Bounds(rest, self.size)(target)
            if high - low >= 0.5:
                hidden.add((r, c))
                self.last = (r, c)
                return
        overlapping = [cand for cand in candidates if np.intersect1d(self.pivot_vector(cand[2], cand[3]), target).size]
        _, _, r, c = (overlapping or candidates)[0]
        hidden.add((r, c))
        self.last = (r, c)


def _complete(table, dims, column, filters, frame, municipalities, period, with_unknown) -> pd.DataFrame:
    """The pivot with a zero row for every combination of its row dimensions' values (up to a size)."""
    row_dims = [d for d in dims if d != "indicator"]
    if not row_dims or table.empty:
        return table.reset_index(drop=True)
    chosen = {d: v for d, v in filters.items() if v}
    times = _time_units(*period, _finest(row_dims))
    universes = []
    for d in row_dims:
        if d in chosen:
            values = sorted(chosen[d])
        elif d == "municipality":
            values = [*municipalities, *([UNKNOWN] if with_unknown else [])]
        elif d == "gender":
            values = ["N", "M", UNKNOWN]
        elif d in TIME:
            values = sorted({u[TIME.index(d)] for u in times})
        else:
            values = sorted(frame[d].dropna().unique())
        universes.append(values)
    firsts = table["indicator"].unique().tolist() if "indicator" in dims else [None]
    size = len(firsts) * int(np.prod([len(u) for u in universes]))
    if size > MAX_FINE_CELLS:
        return table.reset_index(drop=True)
    combos = pd.DataFrame(
        [(*([i] if i is not None else []), *c) for i in firsts for c in itertools.product(*universes)],
        columns=list(dims),
    )
    values = [c for c in table.columns if c not in dims]
    full = combos.merge(table, on=list(dims), how="left")
    full[values] = full[values].fillna(0.0)
    return full.sort_values(list(dims), kind="stable").reset_index(drop=True)


def _finest(dims) -> str:
    """The finest time unit among the dimensions (year when none is)."""
    return next((t for t in ("month", "quarter") if t in dims), "year")


def _label(dim: str, value: object) -> str:
    """A release group's value as the pivot writes it."""
    if value is None or (isinstance(value, float) and value != value):
        return UNKNOWN
    return str(int(value)) if dim == "year" else str(value)


def _time_units(first: dt.date, last: dt.date, finest: str) -> list[tuple[str, str, str]]:
    """(year, quarter, month) labels of every unit of the period, at the finest level the pivot uses."""
    units = []
    for year in range(first.year, last.year + 1):
        for month in range(1, 13):
            if (year, month) < (first.year, first.month) or (year, month) > (last.year, last.month):
                continue
            quarter = f"{year} Q{(month - 1) // 3 + 1}"
            units.append(
                (
                    str(year),
                    quarter if finest != "year" else "",
                    f"{year}-{month:02d}" if finest == "month" else "",
                )
            )
    return sorted(set(units))


class _Bounds:
    """Bounds of sums of non-negative cells under published equations (each a set of cell indices and a value)."""

    def __init__(self, equations: list[tuple[np.ndarray, float]], size: int):
        from scipy import sparse

        self.published = {v.tobytes() for v, _ in equations}
        zero = np.zeros(size, dtype=bool)
        for v, b in equations:
            if b == 0:
                zero[v] = True  # a published zero pins every cell it adds up to zero
        self.column = np.cumsum(~zero) - 1
        self.zero = zero
        rows, cols, values = [], [], []
        for v, b in equations:
            if b != 0:
                live = self.column[v[~zero[v]]]
                cols.append(live)
                rows.append(np.full(len(live), len(values)))
                values.append(b)
        self.b = np.array(values)
        width = int((~zero).sum())
        self.a = (
            sparse.csr_matrix(
                (np.ones(sum(map(len, cols))), (np.concatenate(rows), np.concatenate(cols))),
                shape=(len(values), width),
            )
            if values
            else None
        )
        self.width = width

    def __call__(self, vector: np.ndarray) -> tuple[float, float]:
        """The lowest and highest value the sum over ``vector`` (cell indices) can take."""
        from scipy.optimize import linprog

        live = vector[~self.zero[vector]]
        if not len(live):
            return 0.0, 0.0
        if self.a is None:
            return 0.0, float("inf")
        c = np.zeros(self.width)
        c[self.column[live]] = 1.0
        low = linprog(c, A_eq=self.a, b_eq=self.b, bounds=(0, None), method="highs")
        high = linprog(-c, A_eq=self.a, b_eq=self.b, bounds=(0, None), method="highs")
        if low.status != 0:
            raise ValueError("the published figures contradict each other")  # a bug upstream, never a safe pass
        return float(low.fun), float("inf") if high.status == 3 else float(-high.fun)


def viewer_pivot(
    path,
    rows: Sequence[str],
    column: str | None,
    filters: Mapping[str, Sequence[str]],
    query: Query,
    settings,
) -> pd.DataFrame:
    """The pivot a viewer gets for a view (its cut-off is a public one): protected together with the view's
    release and against the same pivot at the previous public cut-off."""
    from . import explore, report

    cutoff = query.cutoff(settings)
    since, municipalities = query.since, query.municipalities

    def raw(day: dt.date) -> tuple[pd.DataFrame, pd.DataFrame]:
        frame = explore.explore_frame(path, replace(query, until=day))
        sub = explore.filter_frame(frame, filters)
        return frame, explore.with_totals(sub, explore.pivot(sub, list(rows), column), list(rows), column)

    frame, table = raw(cutoff)
    if table.empty or "value" in table.columns and len(table.columns) == 1:
        return protected_pivot(table, [], column, tuple(filters.get("indicator", ())))
    dims = [d for d in table.columns if d in explore.DIMENSIONS]
    options = report.ReportOptions(replace(query, until=cutoff, public=True))
    release = {n: (t, h, report.BREAKDOWNS[n]) for n, (t, h) in report.tables(path, options, settings).items()}
    earlier = [c for c in settings.reporting_cutoffs if c < cutoff and (since is None or c >= since)]
    previous = raw(earlier[-1])[1] if earlier else None
    first = since if since and since > settings.start else settings.start
    return public_pivot(
        table,
        dims,
        column,
        filters,
        frame,
        release,
        municipalities or settings.municipalities,
        (first, cutoff),
        with_unknown_municipality=not municipalities,
        previous=previous,
    )
