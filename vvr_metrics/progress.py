"""Progress against the targets: the linear target path, a status for each indicator, and a forecast."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from .settings import ProjectSettings

AHEAD, ON_TRACK, BEHIND = "ahead", "on_track", "behind"
TOLERANCE = 0.05  # within ±5 % of the path is "on track"
FORECAST_MONTHS = 6


@dataclass(frozen=True)
class PartialYear:
    """A year a view covers only in part: from ``first`` to ``last``, ``share`` of the year's project days."""

    first: dt.date
    last: dt.date
    share: float


def partial_years(since: dt.date | None, until: dt.date, settings: ProjectSettings) -> dict[int, PartialYear]:
    """Years that a view from ``since`` to the cut-off ``until`` covers only in part (a year's figures are then
    compared with that share of its target)."""
    start = max(since or settings.start, settings.start)
    out = {}
    for year in range(settings.start.year, settings.end.year + 1):
        first, last = max(dt.date(year, 1, 1), settings.start), min(dt.date(year, 12, 31), settings.end)
        lo, hi = max(first, start), min(last, until)
        inside = (hi - lo).days + 1
        if 0 < inside < (last - first).days + 1:
            out[year] = PartialYear(lo, hi, inside / ((last - first).days + 1))
    return out


def path_share(day: dt.date, settings: ProjectSettings, since: dt.date | None = None) -> float:
    """How much of the period from ``since`` (default: the project start) to the project end has passed at the
    end of ``day``: 0 before it starts, 1 after the end."""
    start = max(since or settings.start, settings.start)
    total = (settings.end - start).days + 1
    done = (min(max(day, start - dt.timedelta(days=1)), settings.end) - start).days + 1
    return max(0.0, min(1.0, done / total))


def achieved_pct(actual: float | None, target: float | None) -> float | None:
    """% of the target, rounded half up to one decimal as every table and chart shows it."""
    if target is None or pd.isna(target) or target <= 0 or actual is None or pd.isna(actual):
        return None
    exact = Decimal(repr(float(actual))) * 100 / Decimal(repr(float(target)))
    return float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def status_of(actual: float | None, target: float | None, share: float) -> str | None:
    """Ahead, on track or behind the straight line from 0 at the start to the target at the end, decided on the
    rounded % shown (so that two indicators shown with the same % always get the same status)."""
    pct = achieved_pct(actual, target)
    if pct is None or share <= 0:
        return None
    expected = 100 * share
    if pct >= expected * (1 + TOLERANCE):
        return AHEAD
    if pct >= expected * (1 - TOLERANCE):
        return ON_TRACK
    return BEHIND


def status_table(
    table: pd.DataFrame, as_of: dt.date, settings: ProjectSettings, since: dt.date | None = None
) -> pd.DataFrame:
    """The view's table with expected-by-now, % achieved and the status at ``as_of`` (the path runs from
    ``since``, when the view starts later than the project)."""
    share = path_share(as_of, settings, since)
    out = table[["indicator", "target", "target_women", "actual", "actual_women", "actual_men"]].copy()
    target = out["target"].astype("float64")
    out["expected"] = target * share
    out["achieved_pct"] = pd.Series(
        [achieved_pct(a, t) for a, t in zip(out["actual"].astype("float64"), target)], index=out.index, dtype="float64"
    )
    out["status"] = [status_of(a, t, share) for a, t in zip(out["actual"].astype("float64"), target)]
    return out


def path_and_forecast(
    monthly: pd.DataFrame, target: float | None, as_of: dt.date, settings: ProjectSettings
) -> pd.DataFrame:
    """Monthly cumulative realised, the linear target path and a forecast to the end date.

    The forecast continues at the average pace of the last six months. Columns: month, cumulative
    (realised, up to ``as_of``), path (target path at the month's end, if there is a target),
    forecast (from the last realised month to the end).
    """
    months = pd.date_range(settings.start.replace(day=1), settings.end, freq="MS")
    out = pd.DataFrame({"month": months})
    month_end = (out["month"] + pd.offsets.MonthEnd(0)).dt.date
    out["path"] = [target * path_share(d, settings) for d in month_end] if target and target > 0 else None
    cumulative = dict(zip(monthly["month"], monthly["cumulative"]))
    last = pd.Timestamp(min(as_of, settings.end)).to_period("M").to_timestamp()
    out["cumulative"] = [cumulative.get(m) if m <= last else None for m in out["month"]]
    out["forecast"] = None
    known = out[out["cumulative"].notna()]
    if len(known) and last < months[-1]:
        now = float(known["cumulative"].iloc[-1])
        before = float(known["cumulative"].iloc[-1 - FORECAST_MONTHS]) if len(known) > FORECAST_MONTHS else 0.0
        pace = (now - before) / min(FORECAST_MONTHS, len(known))
        steps = (out["month"].dt.year - last.year) * 12 + out["month"].dt.month - last.month
        out["forecast"] = [now + pace * k if k >= 0 else None for k in steps]
    return out


def forecast_at_end(frame: pd.DataFrame) -> float | None:
    """The forecast (or the realised value, when the period is over) at the project's end."""
    last = frame.iloc[-1]
    if last["forecast"] is not None and not pd.isna(last["forecast"]):
        return float(last["forecast"])
    if last["cumulative"] is not None and not pd.isna(last["cumulative"]):
        return float(last["cumulative"])
    return None


def public_path(frame: pd.DataFrame, settings: ProjectSettings, shown: Collection[dt.date]) -> pd.DataFrame:
    """The cumulative path as a viewer may see it: realised only at the reporting cut-offs that the release shows
    (``shown``, from ``disclosure.shown_cutoffs``), and no forecast."""
    out = frame.copy()
    ends = {pd.Timestamp(c.replace(day=1)): c for c in settings.reporting_cutoffs if c in shown}
    out["cumulative"] = [v if m in ends else None for m, v in zip(out["month"], out["cumulative"])]
    out["forecast"] = None
    return out
