"""The public release: every figure a viewer or a public export can show, protected once and together.

Every count of a public view adds up fine cells: a municipality (or no municipality) × a reporting interval (the
days after one reporting cut-off up to the next) × the realised total, women and men. The whole project's figures
at every cut-off are public (the funder publishes them on the project card), so the whole project's value in
every interval is known. The fine cells are protected once per store version against those: counts of 1–4 are
hidden, records without a municipality are never shown apart, and more cells are hidden until linear programming
can work out none of the small ones. A view's figure is then shown only when it is a whole-project figure or when
every fine cell it adds up is shown: it tells nothing that the grid does not, so no union of municipal views,
period starts, cut-offs, pivots or downloads reopens a hidden cell.

Distinct counts (companies served) do not add up over municipalities or periods: outside the whole project they
are shown only when zero. Euros are never hidden.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import catalogue, store
from . import workbook_format as wf
from .query import Query
from .settings import ProjectSettings
from .suppression import SMALL, suppress

COLUMNS = ("actual", "actual_women", "actual_men")
GENDERS = {"actual": ("W", "M", "U"), "actual_women": ("W",), "actual_men": ("M",)}
NONE = None  # records without a municipality: in the whole project's figures only

_CELLS_SQL = """
SELECT f.indicator, f.municipality, f.day, sum(f.value) AS value, sum(f.women) AS women, sum(f.men) AS men
FROM facts f
WHERE in_view(f.upload_id, f.day, f.municipality, $q)
GROUP BY ALL
"""


@dataclass(frozen=True)
class Grid:
    """The protected fine cells: their values and which of them are hidden.

    ``values`` and ``hidden`` are keyed by (indicator, municipality or None, interval, column); ``intervals`` are
    the reporting intervals (first day, last day) in order."""

    intervals: tuple[tuple[dt.date, dt.date], ...]
    municipalities: tuple[str, ...]
    values: dict
    hidden: frozenset

    def within(self, first: dt.date, last: dt.date) -> tuple[list[int], bool]:
        """The intervals inside [first, last], and whether the range is made of whole intervals only."""
        inside, whole = [], True
        for i, (a, b) in enumerate(self.intervals):
            if b < first or a > last:
                continue
            if a >= first and b <= last:
                inside.append(i)
            else:
                whole = False
        return inside, whole

    def shown(
        self, code: str, municipalities: Sequence[str] | None, first: dt.date, last: dt.date, column: str
    ) -> bool:
        """Whether a public figure may show ``column`` of ``code`` over ``municipalities`` (None: the whole project,
        records without a municipality included) from ``first`` to ``last``."""
        ind = catalogue.BY_CODE[code]
        if ind.unit == catalogue.EUR:
            return True
        inside, whole = self.within(first, last)
        if municipalities is not None and set(municipalities) >= set(self.municipalities):
            if not any(self.values.get((code, NONE, i, c)) for i in inside for c in COLUMNS):
                municipalities = None  # every municipality, and no record without one: the whole project
        if municipalities is None and whole:
            return True  # a whole-project figure: the difference of two public cut-offs
        if ind.measure == catalogue.DISTINCT or not whole:
            return False
        munis = self.municipalities if municipalities is None else municipalities
        keys = [(code, m, i, column) for m in munis for i in inside]
        if municipalities is None:
            keys += [(code, NONE, i, column) for i in inside]
        return not any(k in self.hidden for k in keys)

    def nobody(self, code: str, first: dt.date, last: dt.date, column: str) -> bool:
        """Whether the whole project's public figures make every count of ``code`` from ``first`` to ``last``
        zero (then any part of it is zero too); ``column`` "U" is the unknown gender."""
        touched = {i for i, (a, b) in enumerate(self.intervals) if not (b < first or a > last)}
        if column == "U":  # the unknown gender: total − women − men of the whole project
            sign = {"actual": 1, "actual_women": -1, "actual_men": -1}
            return not round(
                sum(sign[col] * v for (c, _, i, col), v in self.values.items() if c == code and i in touched)
            )
        return not any(v for (c, _, i, col), v in self.values.items() if c == code and col == column and i in touched)


def intervals(settings: ProjectSettings) -> tuple[tuple[dt.date, dt.date], ...]:
    """(first, last) day of every reporting interval: the project start to the first cut-off, then cut-off to
    cut-off."""
    out, first = [], settings.start
    for cutoff in settings.reporting_cutoffs:
        if cutoff >= first:
            out.append((first, cutoff))
            first = cutoff + dt.timedelta(days=1)
    return tuple(out)


def grid(path, settings: ProjectSettings) -> Grid:
    """The protected grid of the store's active data (computed once per store version and settings)."""
    return _grid(str(store.resolve_db(path)), store.data_version(path), settings)


@functools.lru_cache(maxsize=8)
def _grid(db: str, version: int, settings: ProjectSettings) -> Grid:
    spans = intervals(settings)
    with store.connect(db) as con:
        daily = con.execute(_CELLS_SQL, {"q": Query(public=False).params}).df()
    values: dict = {}
    if len(daily):
        ends = np.array([np.datetime64(b) for _, b in spans])
        days = pd.to_datetime(daily["day"]).to_numpy().astype("datetime64[D]")
        slot = np.searchsorted(ends, days)  # the interval whose last day is on or after the record's day
        for rec, i in zip(daily.itertuples(index=False), slot):
            ind = catalogue.BY_CODE.get(rec.indicator)
            if ind is None or i >= len(spans) or ind.unit == catalogue.EUR or ind.measure == catalogue.DISTINCT:
                continue
            m = rec.municipality if isinstance(rec.municipality, str) else NONE
            parts = {"actual": rec.value}
            if ind.has_gender:
                parts |= {"actual_women": rec.women, "actual_men": rec.men}
            for column, v in parts.items():
                key = (rec.indicator, m, int(i), column)
                values[key] = values.get(key, 0.0) + (0.0 if v is None or pd.isna(v) else float(v))
    hidden: set = set()
    for ind in catalogue.CATALOGUE:
        if ind.unit == catalogue.EUR or ind.measure == catalogue.DISTINCT:
            continue
        optional = not wf.SHEETS_BY_TABLE[ind.table].column("municipality").required
        munis = [*settings.municipalities, *([NONE] if optional else [])]
        for i in range(len(spans)):
            cells = {(m, c): values.get((ind.code, m, i, c), 0.0) for m in munis for c in _columns(ind)}
            hidden |= {(ind.code, m, i, c) for m, c in protect_interval(cells, ind.has_gender)}
    return Grid(spans, tuple(settings.municipalities), values, frozenset(hidden))


def _columns(ind: catalogue.Indicator) -> tuple[str, ...]:
    return COLUMNS if ind.has_gender else ("actual",)


def protect_interval(cells: dict[tuple, float], gendered: bool) -> set[tuple]:
    """The (municipality, column) cells of one indicator in one interval to hide, given that the interval's
    whole-project values are public: counts of 1–4, every cell of records without a municipality that has any,
    and more until no view can work out a small count. A view may add up any set of municipalities, so every
    such sum (and its unknown gender, total − women − men) is bounded by linear programming."""
    munis = list(dict.fromkeys(m for m, _ in cells))
    columns = COLUMNS if gendered else ("actual",)
    # records without a municipality: never shown apart; without any, a known zero (not a cover)
    unassigned = NONE in munis and any(cells[(NONE, c)] for c in columns)
    always = {(NONE, c) for c in columns} if unassigned else set()
    live = {k: v for k, v in cells.items() if k[0] is not NONE or unassigned}
    present = [m for m in munis if (m, "actual") in live]
    equations = [[(m, c) for m in present] for c in columns]  # the public whole-project values
    if gendered:  # realised = women + men (+ unknown, taken as known: often 0)
        equations += [[(m, c) for c in columns] for m in present]
    hidden = suppress(live, equations, always=always)
    targets = _targets(live, present, gendered)
    for _ in range(len(live) + 1):
        pinned = _pinned(live, hidden, present, gendered, targets)
        if pinned is None:
            return hidden
        hidden.add(_partner(live, hidden, pinned))
    raise RuntimeError("the protection of an interval did not converge")


def _targets(cells: dict, present: list, gendered: bool) -> list[tuple[frozenset, str, float]]:
    """Every figure a view can show of this interval that is a small count: (municipalities, column, value) for
    each set of named municipalities and each column (U: the unknown gender), and records without a
    municipality on their own (the whole project less the three)."""
    named = [m for m in present if m is not NONE]
    # every named municipality together is the whole project itself, unless records without one exist
    most = len(named) if NONE in present else len(named) - 1
    sets = [frozenset(c) for n in range(1, most + 1) for c in itertools.combinations(named, n)]
    if NONE in present:
        sets.append(frozenset([NONE]))
    out = []
    for munis in sets:
        for column in (*COLUMNS, "U") if gendered else ("actual",):
            if column == "U":
                value = sum(cells[(m, "actual")] - cells[(m, "actual_women")] - cells[(m, "actual_men")] for m in munis)
            else:
                value = sum(cells[(m, column)] for m in munis)
            if round(value) in SMALL:
                out.append((munis, column, value))
    return out


def _pinned(cells: dict, hidden: set, present: list, gendered: bool, targets: list) -> tuple | None:
    """The first small figure (municipalities, column) that is not shown as it is (a cell of it hidden) but
    that the visible cells and the whole-project values pin down."""
    from scipy.optimize import linprog

    unknowns = list(itertools.product(present, ("W", "M", "U") if gendered else ("T",)))

    def vector(munis, column: str) -> np.ndarray:
        genders = ("U",) if column == "U" else GENDERS[column] if gendered else ("T",)
        return np.array([m in munis and g in genders for m, g in unknowns], dtype=float)

    rows, rhs = [], []
    for (m, c), v in cells.items():
        if (m, c) not in hidden:
            rows.append(vector({m}, c))
            rhs.append(v)
    for c in COLUMNS if gendered else ("actual",):
        rows.append(vector(set(present), c))
        rhs.append(sum(v for (_, cc), v in cells.items() if cc == c))
    a, b = np.array(rows), np.array(rhs)
    for munis, column, _ in targets:
        needs = COLUMNS if column == "U" else (column,)
        if not any((m, c) in hidden for m in munis for c in needs):
            return munis, column, True  # shown as it is (an unknown gender of 1–4 beside shown total and split)
        v = vector(munis, column)
        low = linprog(v, A_eq=a, b_eq=b, bounds=(0, None), method="highs")
        high = linprog(-v, A_eq=a, b_eq=b, bounds=(0, None), method="highs")
        if low.status != 0:
            raise ValueError("the published figures contradict each other")
        if high.status == 0 and -high.fun - low.fun < 0.5:
            return munis, column, False
    return None


def _partner(cells: dict, hidden: set, pinned: tuple) -> tuple:
    """One more cell to hide beside a pinned figure: the smallest positive visible cell of its column outside its
    municipalities, else of its column, else anywhere."""
    munis, column, shown = pinned
    columns = COLUMNS if column == "U" else (column,)
    visible = [k for k in cells if k not in hidden]
    for group in (
        [k for k in visible if k[1] in columns and (k[0] in munis) == shown],
        [k for k in visible if k[1] in columns],
        visible,
    ):
        if group:
            return min(group, key=lambda k: (cells[k] <= 0, cells[k], str(k[0]), k[1]))
    raise RuntimeError(f"nothing left to hide beside {pinned}")


def hidden_cells(table: pd.DataFrame, by: Sequence[str], query: Query, settings: ProjectSettings, g: Grid) -> set:
    """The (row position, column) cells of a view's table (grouped ``by`` municipality and/or year) that the
    release hides."""
    first, last = query.start(settings), query.cutoff(settings)
    out = set()
    for row, rec in enumerate(table.reset_index(drop=True).to_dict("records")):
        munis = [rec["municipality"]] if "municipality" in by else (list(query.municipalities) or None)
        a, b = first, last
        if "year" in by:
            a, b = max(first, dt.date(int(rec["year"]), 1, 1)), min(last, dt.date(int(rec["year"]), 12, 31))
        ind = catalogue.BY_CODE[rec["indicator"]]
        for column in _columns(ind):
            value = rec[column]
            if value is None or pd.isna(value):
                continue
            if ind.measure == catalogue.DISTINCT and float(value) == 0:
                continue  # nobody: zero companies tell no small number
            if not g.shown(rec["indicator"], munis, a, b, column):
                out.add((row, column))
    return out


def shown_cutoffs(path, code: str, query: Query, settings: ProjectSettings) -> frozenset[dt.date]:
    """The reporting cut-offs up to the view's at which the release shows the view's cumulative ``code`` (every
    record from the project start, in the view's municipalities)."""
    g = grid(path, settings)
    munis = list(query.municipalities) or None
    last = query.cutoff(settings)
    return frozenset(
        c for c in settings.reporting_cutoffs if c <= last and g.shown(code, munis, settings.start, c, "actual")
    )


def indicator_rows(table: pd.DataFrame, hidden: set, code: str) -> pd.DataFrame:
    """One indicator's rows of a protected table, with its hidden cells in ``attrs["hidden"]`` by new position."""
    positions = [i for i, c in enumerate(table["indicator"]) if c == code]
    out = table.iloc[positions].reset_index(drop=True)
    out.attrs["hidden"] = {(positions.index(r), col) for r, col in hidden if r in positions}
    return out
