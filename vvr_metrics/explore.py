"""Ad hoc exploration: a pivot over any dimensions, and drill-down to the source records behind a cell."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from . import catalogue, store
from .query import Query

DIMENSIONS = (
    "indicator",
    "municipality",
    "year",
    "quarter",
    "month",
    "gender",
    "contact_type",
    "measure",
    "subsidised",
    "industry",
    "entrepreneurship",
    "funding_source",
)
UNKNOWN = "–"
TOTAL = "Σ"  # the Tutki pivot's totals: a totals row's value in the dimensions it adds up, and the totals column

# Every dimension as a text label, computed by DuckDB (row by row in pandas, a million facts took seconds).
# Training participants become a women's and a men's row, so that gender is a dimension like any other.
_FRAME_SQL = """
WITH f AS (
    SELECT f.*, u.file_name FROM facts f
    JOIN uploads u ON u.upload_id = f.upload_id
    WHERE in_view(f.upload_id, f.day, f.municipality, $q)
), rows AS (
    SELECT * FROM f WHERE NOT list_contains($split, indicator)
    UNION ALL SELECT * REPLACE (women AS value, 0.0 AS men) FROM f WHERE list_contains($split, indicator)
    UNION ALL SELECT * REPLACE (men AS value, 0.0 AS women) FROM f WHERE list_contains($split, indicator)
)
SELECT
    indicator,
    coalesce(municipality, '–') AS municipality,
    CAST(year(day) AS VARCHAR) AS year,
    CAST(year(day) AS VARCHAR) || ' Q' || CAST(quarter(day) AS VARCHAR) AS quarter,
    strftime(day, '%Y-%m') AS month,
    CASE WHEN coalesce(women, 0) > 0 AND coalesce(men, 0) = 0 THEN 'N'
         WHEN coalesce(men, 0) > 0 AND coalesce(women, 0) = 0 THEN 'M'
         ELSE '–' END AS gender,
    coalesce(contact_type, '–') AS contact_type,
    coalesce(measure, '–') AS measure,
    CASE WHEN subsidised IS NULL THEN '–' WHEN subsidised THEN 'K' ELSE 'E' END AS subsidised,
    coalesce(industry, '–') AS industry,
    CASE WHEN entrepreneurship IS NULL THEN '–' WHEN entrepreneurship THEN 'K' ELSE 'E' END AS entrepreneurship,
    coalesce(funding_source, '–') AS funding_source,
    CAST(value AS DOUBLE) AS value, dkey, file_name, sheet, source_row, upload_id, day
FROM rows
"""

# One static query per record table: the fields of the records behind a pivot cell.
_RECORD_SQL = {
    "contacts": "SELECT * FROM contacts WHERE upload_id = ? AND list_contains(?, source_row)",
    "jobs": "SELECT * FROM jobs WHERE upload_id = ? AND list_contains(?, source_row)",
    "companies": "SELECT * FROM companies WHERE upload_id = ? AND list_contains(?, source_row)",
    "placements": "SELECT * FROM placements WHERE upload_id = ? AND list_contains(?, source_row)",
    "trainings": "SELECT * FROM trainings WHERE upload_id = ? AND list_contains(?, source_row)",
    "projects": "SELECT * FROM projects WHERE upload_id = ? AND list_contains(?, source_row)",
    "funding": "SELECT * FROM funding WHERE upload_id = ? AND list_contains(?, source_row)",
}


def explore_frame(path=None, query: Query = Query()) -> pd.DataFrame:
    """One row per fact of the active sources, with every dimension as a text label ("–" for none; K/E for yes
    and no). Columns: the DIMENSIONS, value, dkey, file_name, sheet, source_row, upload_id, day."""
    split = [i.code for i in catalogue.CATALOGUE if isinstance(i.gender, tuple)]
    params = {"q": query.params, "split": split}
    with store.connect(path) as con:  # through Arrow: a tenth of the time of .df() for a million rows of text
        return con.sql(_FRAME_SQL, params=params).to_arrow_table().to_pandas()


def filter_frame(frame: pd.DataFrame, filters: Mapping[str, Sequence[str]]) -> pd.DataFrame:
    """Keep the rows whose labels are among the chosen values (an empty choice keeps all)."""
    mask = pd.Series(True, index=frame.index)
    for dim, values in filters.items():
        if values:
            mask &= frame[dim].isin(list(values))
    return frame[mask]


def pivot(frame: pd.DataFrame, rows: Sequence[str], column: str | None = None) -> pd.DataFrame:
    """Sum the facts over ``rows`` × ``column``; distinct counts count distinct keys within each cell.

    Indicators are never added together: when several are present and ``indicator`` is not a
    dimension, it becomes the first row dimension.
    """
    rows = list(rows)
    if "indicator" not in rows and column != "indicator" and frame["indicator"].nunique() > 1:
        rows = ["indicator", *rows]
    keys = rows + ([column] if column else [])
    if frame.empty:
        return pd.DataFrame(columns=[*rows, "value"])
    distinct = {i.code for i in catalogue.CATALOGUE if i.measure == catalogue.DISTINCT}
    is_distinct = frame["indicator"].isin(distinct)
    parts = []
    if (~is_distinct).any():
        parts.append(
            frame[~is_distinct].groupby(keys, dropna=False)["value"].sum()
            if keys
            else pd.Series({(): frame[~is_distinct]["value"].sum()})
        )
    if is_distinct.any():
        sub = frame[is_distinct]
        parts.append(
            sub.groupby(keys, dropna=False)["dkey"].nunique() if keys else pd.Series({(): sub["dkey"].nunique()})
        )
    values = pd.concat(parts).groupby(level=list(range(len(keys))) if keys else 0).sum()
    if not keys:
        return pd.DataFrame({"value": [float(values.iloc[0])]})
    table = values.rename("value").reset_index()
    if column:
        table = table.pivot_table(index=rows or None, columns=column, values="value", aggfunc="sum", fill_value=0)
        table.columns = [str(c) for c in table.columns]
        table = table.reset_index() if rows else table
    return table


def with_totals(frame: pd.DataFrame, table: pd.DataFrame, rows: Sequence[str], column: str | None) -> pd.DataFrame:
    """``table`` (``pivot(frame, rows, column)``) with a totals column and totals rows at the end, one per
    indicator when several are shown. Each total is counted from ``frame`` again, not added up from the cells:
    a distinct count's total is not the sum of its cells (a person met in two municipalities is one person).
    Indicators are never added together: no totals column over ``column == "indicator"``, and no totals row
    when the rows are the indicators alone."""
    dims = [d for d in table.columns if d in DIMENSIONS]
    out = table.copy()
    if table.empty or not dims and not column:
        return out
    by_indicator = ["indicator"] if "indicator" in dims else []
    if column and column != "indicator":  # the totals column: each row over every value of the column
        whole = pivot(frame, dims, None).rename(columns={"value": TOTAL})
        out = out.merge(whole, on=dims, how="left") if dims else out.assign(**{TOTAL: whole[TOTAL].iloc[0]})
        out[TOTAL] = out[TOTAL].fillna(0.0)
    totalled = [d for d in dims if d != "indicator"]
    if totalled:  # the totals row(s): every row dimension but the indicator added up
        last = pivot(frame, by_indicator, column if column else None)
        if column and column != "indicator":
            whole = pivot(frame, by_indicator, None).rename(columns={"value": TOTAL})
            last = last.merge(whole, on=by_indicator) if by_indicator else last.assign(**{TOTAL: whole[TOTAL].iloc[0]})
        for d in totalled:
            last[d] = TOTAL
        last = last.reindex(columns=out.columns)
        values = [c for c in out.columns if c not in dims]
        last[values] = last[values].astype(float).fillna(0.0)
        out = pd.concat([out, last], ignore_index=True)
    return out


def totals_rows(table: pd.DataFrame) -> pd.Series:
    """Which rows of a pivot are ``with_totals``' totals rows (``TOTAL`` in a row dimension other than the
    indicator)."""
    dims = [d for d in table.columns if d in DIMENSIONS and d != "indicator"]
    return table[dims].eq(TOTAL).any(axis=1) if dims else pd.Series(False, index=table.index)


def cells_only(table: pd.DataFrame) -> pd.DataFrame:
    """A pivot without its totals row(s) and column: what a chart draws (the totals are on another scale)."""
    return table[~totals_rows(table)].drop(columns=[TOTAL], errors="ignore")


@dataclass(frozen=True)
class PivotView:
    """The Tutki pivot's choices, as a link can carry them: row and column dimensions, indicators, filters."""

    rows: tuple[str, ...] = ("municipality",)
    column: str | None = None
    indicators: tuple[str, ...] = ("uudet_tyopaikat",)
    filters: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def to_query(self) -> dict[str, list[str]]:
        """The query string's parameters (repeated keys for lists): ``?rows=municipality&rows=year&col=gender``."""
        query = {"rows": list(self.rows), "ind": list(self.indicators)}
        if self.column:
            query["col"] = [self.column]
        for dim, values in self.filters:
            query[f"f_{dim}"] = list(values)
        return {k: v for k, v in query.items() if v}

    @classmethod
    def from_query(cls, query: Mapping[str, Sequence[str]], options: Mapping[str, Sequence[str]]) -> PivotView | None:
        """The view a link names, or None when it names none. Whatever the address says is checked against the
        known dimensions, indicators and the filters' values: an unknown one is left out, never an error."""
        if not any(k in query for k in ("rows", "col", "ind")) and not any(k.startswith("f_") for k in query):
            return None
        rows = tuple(dict.fromkeys(d for d in query.get("rows", ()) if d in DIMENSIONS))
        column = next((d for d in query.get("col", ()) if d in DIMENSIONS and d not in rows), None)
        indicators = tuple(dict.fromkeys(c for c in query.get("ind", ()) if c in catalogue.BY_CODE))
        filters = []
        for dim in DIMENSIONS[1:]:
            allowed = set(options.get(dim, ()))
            values = tuple(dict.fromkeys(v for v in query.get(f"f_{dim}", ()) if v in allowed))
            if values:
                filters.append((dim, values))
        return cls(rows, column, indicators, tuple(filters))


def drill(frame: pd.DataFrame, cell: Mapping[str, str], path=None, limit: int = 500) -> pd.DataFrame:
    """The source records behind one pivot cell: file, sheet, row and every field of the record."""
    sub = filter_frame(frame, {k: [v] for k, v in cell.items()})
    if sub.empty:
        return pd.DataFrame(columns=["file_name", "sheet", "source_row"])
    sub = sub.drop_duplicates(["upload_id", "sheet", "source_row", "indicator"]).head(limit)
    found = []
    with store.connect(path) as con:
        for (indicator, upload_id), group in sub.groupby(["indicator", "upload_id"]):
            table = catalogue.BY_CODE[indicator].table
            records = con.execute(_RECORD_SQL[table], [int(upload_id), [int(r) for r in group["source_row"]]]).df()
            records = records.merge(
                group[["sheet", "source_row", "file_name"]].drop_duplicates(), on=["sheet", "source_row"]
            )
            records.insert(0, "indicator", indicator)
            found.append(records)
    out = pd.concat(found, ignore_index=True)
    front = ["indicator", "file_name", "sheet", "source_row"]
    rest = [c for c in out.columns if c not in front and c != "upload_id"]
    return out[front + rest].sort_values(["file_name", "sheet", "source_row"]).reset_index(drop=True)
