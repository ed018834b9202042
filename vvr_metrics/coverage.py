"""Coverage: how many records each municipality has in each month, from which sources, and what looks
missing (no records for two or more months) or doubled (a month over three times the usual count, or records
that two sources in use both hold)."""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass

import pandas as pd

from . import store
from .settings import ProjectSettings, load_settings

SPIKE_FACTOR = 3  # a month with more than this many times the municipality's median is a likely double upload
GAP_MONTHS = 2  # this many empty months in the period so far earn a warning

# Every record sheet with a date and a municipality, counted per active version. Static text: no
# part of it comes from input.
_COUNTS = """
WITH recs AS (
    SELECT upload_id, day, municipality FROM contacts
    UNION ALL SELECT upload_id, day, municipality FROM jobs
    UNION ALL SELECT upload_id, day, municipality FROM companies
    UNION ALL SELECT upload_id, day, municipality FROM placements
    UNION ALL SELECT upload_id, day, municipality FROM trainings
    UNION ALL SELECT upload_id, day, municipality FROM projects
    UNION ALL SELECT upload_id, day, municipality FROM funding
)
SELECT r.municipality, year(r.day) AS year, month(r.day) AS month, s.source, count(*) AS records
FROM recs r JOIN sources s ON r.upload_id = s.active_upload_id
WHERE r.day IS NOT NULL AND r.municipality IS NOT NULL AND r.day BETWEEN ? AND ?
GROUP BY ALL
"""


@dataclass(frozen=True)
class Gap:
    municipality: str
    months: tuple[dt.date, ...]  # first days of the empty months


@dataclass(frozen=True)
class Spike:
    municipality: str
    month: dt.date
    records: int
    median: float
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Double:
    """Records of one municipality's month that two or more sources in use both hold: counted twice."""

    municipality: str
    month: dt.date
    records: int  # how many of the month's records are extra copies (10 records held by two sources: 10)
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Coverage:
    """``grid``: one row per month (``month``, first day) and, per municipality, ``<m>`` (records) and
    ``<m> sources`` (tuple of source names). The months run from the project start to the last month
    that has ended (or the project end)."""

    grid: pd.DataFrame
    municipalities: tuple[str, ...]
    gaps: tuple[Gap, ...]
    spikes: tuple[Spike, ...]
    until: dt.date  # last day counted
    doubles: tuple[Double, ...] = ()


def months_between(start: dt.date, end: dt.date) -> list[dt.date]:
    """First days of every month from ``start``'s to ``end``'s, both included."""
    out, y, m = [], start.year, start.month
    while (y, m) <= (end.year, end.month):
        out.append(dt.date(y, m, 1))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def period_so_far(settings: ProjectSettings, today: dt.date) -> tuple[dt.date, dt.date]:
    """From the project start to the end of the last whole month before ``today`` (at most the project end)."""
    last_ended = today.replace(day=1) - dt.timedelta(days=1)
    return settings.start, min(settings.end, last_ended)


def coverage(path=None, today: dt.date | None = None, settings: ProjectSettings | None = None) -> Coverage:
    """The municipality × month grid of active records, with gap and spike warnings."""
    settings = settings or load_settings()
    start, until = period_so_far(settings, today or dt.date.today())
    months = months_between(start, until) if until >= start else []
    with store.connect(path) as con:
        counts = con.execute(_COUNTS, [start, until]).df()
        doubles = _doubles(con, start, until)
    extra = sorted(set(counts["municipality"]) - set(settings.municipalities))
    municipalities = tuple(settings.municipalities) + tuple(extra)
    records: dict[tuple[str, dt.date], int] = {}
    sources: dict[tuple[str, dt.date], set[str]] = {}
    for row in counts.itertuples(index=False):
        key = (row.municipality, dt.date(int(row.year), int(row.month), 1))
        records[key] = records.get(key, 0) + int(row.records)
        sources.setdefault(key, set()).add(row.source)
    grid = {"month": months}
    for m in municipalities:
        grid[m] = [records.get((m, month), 0) for month in months]
        grid[f"{m} sources"] = [tuple(sorted(sources.get((m, month), ()))) for month in months]
    gaps, spikes = [], []
    for m in settings.municipalities:  # another municipality's absence is no gap
        empty = tuple(month for month in months if not records.get((m, month)))
        if len(empty) >= GAP_MONTHS:
            gaps.append(Gap(m, empty))
        filled = [records[(m, month)] for month in months if records.get((m, month))]
        if not filled:
            continue
        median = statistics.median(filled)
        for month in months:
            n = records.get((m, month), 0)
            if n > SPIKE_FACTOR * median:
                spikes.append(Spike(m, month, n, median, tuple(sorted(sources[(m, month)]))))
    return Coverage(pd.DataFrame(grid), municipalities, tuple(gaps), tuple(spikes), until, doubles)


_DATED = ("contacts", "jobs", "companies", "placements", "trainings", "projects", "funding")


def _doubles(con, start: dt.date, until: dt.date) -> tuple[Double, ...]:
    """Per municipality and month: the records whose identical copy (on the fields that identify a record) is in
    another source in use. A renamed growing workbook doubles every month evenly, which no spike shows."""
    from .uploads import identifying_fields, record_keys

    names = dict(
        con.execute("SELECT active_upload_id, source FROM sources WHERE active_upload_id IS NOT NULL").fetchall()
    )
    if len(names) < 2:
        return ()
    found: dict[tuple[str, dt.date], list] = {}
    for table in _DATED:
        fields = tuple(dict.fromkeys(("day", "municipality", *identifying_fields(table))))
        rows = store.active_records(con, table, fields)
        rows = rows[rows["day"].notna() & rows["municipality"].notna()]
        if rows.empty:
            continue
        days = pd.to_datetime(rows["day"]).dt.date
        rows = rows[(days >= start) & (days <= until)]
        if rows.empty:
            continue
        keys = record_keys(table, rows, identifying_fields(table))
        copied = (rows.groupby(keys)["upload_id"].transform("nunique") > 1).to_numpy()
        for key, rec in zip(keys[copied], rows[copied].to_dict("records")):
            month = pd.Timestamp(rec["day"]).date().replace(day=1)
            found.setdefault((rec["municipality"], month), []).append((key, names[rec["upload_id"]]))
    out = []
    for (municipality, month), pairs in sorted(found.items()):
        extra = len(pairs) - len({key for key, _ in pairs})
        out.append(Double(municipality, month, extra, tuple(sorted({s for _, s in pairs}))))
    return tuple(out)


def month_ranges(months: tuple[dt.date, ...]) -> list[tuple[dt.date, dt.date]]:
    """Consecutive months folded into (first, last) runs."""
    runs: list[tuple[dt.date, dt.date]] = []
    for month in months:
        if runs:
            first, last = runs[-1]
            following = dt.date(last.year + (last.month == 12), last.month % 12 + 1, 1)
            if month == following:
                runs[-1] = (first, month)
                continue
        runs.append((month, month))
    return runs
