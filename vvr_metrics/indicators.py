"""Indicator computation: realised figures from the store's facts, with targets joined by the spec's rules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from itertools import combinations

import pandas as pd

from . import catalogue, store
from .query import Query
from .settings import ProjectSettings, load_settings

GROUPS = ("municipality", "year", "month")
VALUE_COLUMNS = ("target", "target_women", "actual", "actual_women", "actual_men")

# One static query; the grouping is chosen by parameters, never by building SQL.
_ACTUALS_SQL = """
SELECT f.indicator,
       CASE WHEN $by_municipality THEN f.municipality END AS municipality,
       CASE WHEN $by_year THEN year(f.day) END AS year,
       CASE WHEN $by_month THEN strftime(f.day, '%Y-%m') END AS month,
       count(*) AS records,
       sum(f.value) AS value,
       sum(f.women) AS women,
       sum(f.men) AS men
FROM facts f
WHERE in_view(f.upload_id, f.day, f.municipality, $q)
  AND NOT ($by_municipality AND f.municipality IS NULL)
GROUP BY ALL
"""

# Records that belong to the whole project only (no municipality): left out of a municipal view.
_UNASSIGNED_SQL = """
SELECT count(*) FROM (
    SELECT DISTINCT f.upload_id, f.sheet, f.source_row FROM facts f
    WHERE in_view(f.upload_id, f.day, f.municipality, $q) AND f.municipality IS NULL)
"""

_BY_MEASURE_SQL = """
SELECT f.measure, sum(f.value) AS value FROM facts f
WHERE in_view(f.upload_id, f.day, f.municipality, $q) AND f.indicator = $indicator
GROUP BY f.measure
"""

# Distinct counts only over the facts that carry a key: far fewer rows than the whole table.
_DISTINCT_SQL = """
SELECT f.indicator,
       CASE WHEN $by_municipality THEN f.municipality END AS municipality,
       CASE WHEN $by_year THEN year(f.day) END AS year,
       CASE WHEN $by_month THEN strftime(f.day, '%Y-%m') END AS month,
       count(DISTINCT f.dkey) AS distinct_keys
FROM facts f
WHERE in_view(f.upload_id, f.day, f.municipality, $q)
  AND f.dkey IS NOT NULL
  AND NOT ($by_municipality AND f.municipality IS NULL)
GROUP BY ALL
"""


def parse_by(text: str | Sequence[str] | None) -> tuple[str, ...]:
    """``"municipality,year"`` -> ("municipality", "year"); raises ValueError on an unknown name."""
    if not text:
        return ()
    parts = [p.strip() for p in (text.split(",") if isinstance(text, str) else text) if p.strip()]
    for p in parts:
        if p not in GROUPS:
            raise ValueError(p)
    if len(set(parts)) != len(parts):
        raise ValueError(",".join(parts))
    return tuple(parts)


def actuals(con, by: Sequence[str] = (), query: Query = Query()) -> pd.DataFrame:
    """Realised values per indicator and group, straight from the facts."""
    params = {"by_municipality": "municipality" in by, "by_year": "year" in by, "by_month": "month" in by}
    params["q"] = query.params
    sums = con.execute(_ACTUALS_SQL, params).df()
    distinct = con.execute(_DISTINCT_SQL, params).df()
    keys = ["indicator", "municipality", "year", "month"]
    merged = sums.merge(distinct, on=keys, how="left")
    merged["distinct_keys"] = merged["distinct_keys"].fillna(0)
    return merged


_ENTREPRENEURSHIP_SQL = """
SELECT coalesce(sum(f.value), 0) FROM facts f
WHERE in_view(f.upload_id, f.day, f.municipality, $q) AND f.indicator = $indicator AND f.entrepreneurship
"""


def on_entrepreneurship(path, indicator: str, query: Query = Query()) -> float:
    """How much of an indicator's realised value is on entrepreneurship (trainings on starting a business)."""
    with store.connect(path) as con:
        return float(con.execute(_ENTREPRENEURSHIP_SQL, {"indicator": indicator, "q": query.params}).fetchall()[0][0])


def by_measure(path, indicator: str, query: Query = Query()) -> dict[str, float]:
    """An indicator's realised value by measure (Toimenpide), for its official split in the report text."""
    with store.connect(path) as con:
        rows = con.execute(_BY_MEASURE_SQL, {"indicator": indicator, "q": query.params}).fetchall()
    return {m: float(v) for m, v in rows if m is not None}


def records_without_municipality(path=None, query: Query = Query()) -> int:
    """How many counted records in the period have no municipality (a municipal view leaves them out)."""
    with store.connect(path) as con:
        return int(con.execute(_UNASSIGNED_SQL, {"q": replace(query, municipalities=()).params}).fetchall()[0][0])


def _target_for(targets: list[dict], by: Sequence[str], key: dict) -> tuple[float | None, float | None]:
    """The whole-project target (no filter): its own row, else the sum of the most detailed rows inside it."""
    if "month" in by or not targets:
        return None, None
    grouped = [g for g in ("municipality", "year") if g in by]
    free = [g for g in ("year", "municipality") if g not in by]
    inside = [t for t in targets if all(t[g] == key[g] for g in grouped)]
    levels = [()] + sorted((c for n in range(len(free), 0, -1) for c in combinations(free, n)), key=lambda c: -len(c))
    for level in levels:
        rows = [t for t in inside if all((t[g] is not None) == (g in level) for g in free)]
        if rows:
            return _summed([(t, 1.0) for t in rows])
    return None, None


def _summed(parts: list[tuple[dict, float]]) -> tuple[float | None, float | None]:
    """Weighted sums of target and target_women (women only when every part gives it)."""
    if not parts:
        return None, None
    women = [t["target_women"] for t, _ in parts]
    return (
        float(sum(t["target"] * w for t, w in parts)),
        float(sum(t["target_women"] * w for t, w in parts)) if all(x is not None for x in women) else None,
    )


def _target_in_view(
    targets: list[dict], municipalities: Sequence[str] | None, years: dict[int, float] | None
) -> tuple[float | None, float | None]:
    """The target of a view narrowed to some municipalities and/or some (weighted) years.

    A municipality's target is its own row, else the sum of its yearly rows; a year's target is its
    own row, else the sum of the municipalities' rows for that year; a municipality in a year has
    only its own row. One part without a target leaves the whole view without one: a sum of some
    parts is no target for all of them. Rows of the whole project never stand in for a municipality.
    """
    parts: list[tuple[dict, float]] = []
    if years is None:
        for m in municipalities:
            rows = [t for t in targets if t["municipality"] == m and t["year"] is None] or [
                t for t in targets if t["municipality"] == m and t["year"] is not None
            ]
            if not rows:
                return None, None
            parts += [(t, 1.0) for t in rows]
        return _summed(parts)
    for year, weight in years.items():
        if municipalities is None:
            rows = [t for t in targets if t["municipality"] is None and t["year"] == year] or [
                t for t in targets if t["municipality"] is not None and t["year"] == year
            ]
            if not rows:
                return None, None
            parts += [(t, weight) for t in rows]
            continue
        for m in municipalities:
            rows = [t for t in targets if t["municipality"] == m and t["year"] == year]
            if not rows:
                return None, None
            parts += [(t, weight) for t in rows]
    return _summed(parts)


def year_weights(since: dt.date | None, settings: ProjectSettings) -> dict[int, float] | None:
    """The project years that a view starting at ``since`` covers, each with the share of that year's project
    days inside the view (1 for a whole year, less for the year it starts in). None: the whole project."""
    if since is None or since <= settings.start:
        return None
    out = {}
    for year in range(since.year, settings.end.year + 1):
        first, last = max(dt.date(year, 1, 1), settings.start), min(dt.date(year, 12, 31), settings.end)
        if last >= max(first, since):
            out[year] = ((last - max(first, since)).days + 1) / ((last - first).days + 1)
    return out


def _group_target(targets, by, group, municipalities, years) -> tuple[float | None, float | None]:
    """The target of one row of a table: the whole-project rule without filters, the view's rule with them."""
    if "month" in by or not targets:
        return None, None
    if not municipalities and years is None:
        return _target_for(targets, by, group)
    munis = (group["municipality"],) if "municipality" in by else (tuple(municipalities) if municipalities else None)
    if "year" in by:
        year = group["year"]
        if year is None or (years is not None and year not in years):
            return None, None
        chosen = {year: years[year] if years else 1.0}
    else:
        chosen = years
    if munis is None and chosen is None:
        return _target_for(targets, by, group)
    if munis is not None and None in munis:
        return None, None  # records without a municipality have no municipal target
    return _target_in_view(targets, munis, chosen)


def _plain(frame: pd.DataFrame) -> list[dict]:
    """Rows as dicts with None for missing values and whole years as int."""
    rows = frame.astype(object).where(frame.notna(), None).to_dict("records")
    for row in rows:
        if row.get("year") is not None:
            row["year"] = int(row["year"])
    return rows


def indicator_table(
    path=None,
    by: Sequence[str] = (),
    query: Query = Query(),
    include_empty: bool = False,
    settings: ProjectSettings | None = None,
) -> pd.DataFrame:
    """Planned against realised, one row per indicator and group that has records or a target.

    Columns: indicator, the ``by`` columns in order, target, target_women, actual, actual_women,
    actual_men. A value that does not exist is missing (NA). ``include_empty`` keeps every
    indicator in a whole-project table even with no records and no target. A view with a cut-off leaves out
    the yearly targets of later years (as-of reporting).
    """
    by = tuple(by)
    settings = settings or load_settings()
    with store.connect(path) as con:
        acts = _plain(actuals(con, by, query))
        targets = _plain(store.active_targets(con))
    if query.targets_until is not None:
        targets = [t for t in targets if t["year"] is None or t["year"] <= query.targets_until]
    years = year_weights(query.since, settings)
    municipalities = query.municipalities or None
    acts_by: dict[str, list[dict]] = {}
    for rec in acts:
        acts_by.setdefault(rec["indicator"], []).append(rec)
    targets_by: dict[str, list[dict]] = {}
    for rec in targets:
        targets_by.setdefault(rec["indicator"], []).append(rec)
    rows = []
    for ind in catalogue.CATALOGUE:
        t = targets_by.get(ind.code, [])
        keys: dict[tuple, dict | None] = {tuple(rec[g] for g in by): rec for rec in acts_by.get(ind.code, [])}
        # Groups with a target of their own level (or a more detailed one) but no records.
        if "month" not in by:
            for rec in t:
                outside = municipalities and "municipality" in by and rec["municipality"] not in municipalities
                if all(rec[g] is not None for g in by) and not outside:
                    keys.setdefault(tuple(rec[g] for g in by), None)
        if not by and not keys and include_empty:
            keys[()] = None
        for key, rec in keys.items():
            group = dict(zip(by, key))
            target, target_women = _group_target(t, by, group, municipalities, years)
            if rec is not None and rec["records"] > 0:
                actual = rec["distinct_keys"] if ind.measure == catalogue.DISTINCT else rec["value"]
                women = rec["women"] if ind.has_gender else None
                men = rec["men"] if ind.has_gender else None
            elif rec is None and target is None and not include_empty:
                continue
            else:
                actual, women, men = 0.0, (0.0 if ind.has_gender else None), (0.0 if ind.has_gender else None)
            rows.append(
                {
                    "indicator": ind.code,
                    **group,
                    "target": target,
                    "target_women": target_women,
                    "actual": actual,
                    "actual_women": women,
                    "actual_men": men,
                }
            )
    order = {c.code: i for i, c in enumerate(catalogue.CATALOGUE)}
    muni_order = {m: i for i, m in enumerate(settings.municipalities)}

    def sort_key(row):
        parts = [order[row["indicator"]]]
        for g in by:
            value = row[g]
            parts.append((value is None, muni_order.get(value, 99) if g == "municipality" else (value or 0)))
        return parts

    rows.sort(key=sort_key)
    table = pd.DataFrame(rows, columns=["indicator", *by, *VALUE_COLUMNS])
    for col in VALUE_COLUMNS:
        table[col] = table[col].astype("Float64")
    if "year" in by:
        table["year"] = table["year"].astype("Int64")
    return table


_FIRST_SEEN_SQL = """
SELECT strftime(first_day, '%Y-%m') AS month, count(*) AS new_keys FROM (
    SELECT f.dkey, min(f.day) AS first_day
    FROM facts f
    WHERE in_view(f.upload_id, f.day, f.municipality, $q) AND f.indicator = $indicator AND f.dkey IS NOT NULL
    GROUP BY f.dkey)
GROUP BY ALL ORDER BY month
"""


def monthly_cumulative(
    path, code: str, query: Query = Query(), settings: ProjectSettings | None = None
) -> pd.DataFrame:
    """Realised per month and cumulated, for every month of the project up to the cut-off.

    For a distinct count the cumulative value counts each key once, in the month it was first seen.
    Columns: month (first day), realised, cumulative.
    """
    settings = settings or load_settings()
    months = pd.date_range(settings.start.replace(day=1), query.cutoff(settings), freq="MS")
    ind = catalogue.BY_CODE[code]
    if ind.measure == catalogue.DISTINCT:
        with store.connect(path) as con:
            got = con.execute(_FIRST_SEEN_SQL, {"indicator": code, "q": query.params}).df()
        per_month = dict(zip(got["month"], got["new_keys"]))
    else:
        table = indicator_table(path, by=["month"], query=query, settings=settings)
        table = table[table["indicator"] == code]
        per_month = dict(zip(table["month"], table["actual"].astype(float)))
    realised = [float(per_month.get(m.strftime("%Y-%m"), 0.0)) for m in months]
    frame = pd.DataFrame({"month": months, "realised": realised})
    frame["cumulative"] = frame["realised"].cumsum()
    return frame
