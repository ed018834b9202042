"""The status bands, the target path and the six-month forecast pace, pinned with hand-computed values
(issue 13: widening "on track" to ±10 % or shifting the path by a month failed no test)."""

import datetime as dt

import pandas as pd
import pytest

from vvr_metrics.progress import forecast_at_end, path_and_forecast, path_share, status_of
from vvr_metrics.settings import load_settings

# 1.4.2011–31.12.2014: 275 days of 2011 (April to December), 366 of 2012, 365 of 2013 and of 2014
PROJECT_DAYS = 275 + 366 + 365 + 365


@pytest.mark.parametrize(
    "pct,status",
    [
        (52.6, "ahead"),  # halfway the path is at 50 %: ahead from 52.5 (+5 % of 50)
        (52.4, "on_track"),
        (47.6, "on_track"),
        (47.4, "behind"),  # behind below 47.5 (−5 % of 50)
    ],
)
def test_on_track_is_within_five_percent_of_the_path(pct, status):
    assert status_of(pct, 100, 0.5) == status


def test_no_status_without_a_target_or_before_the_start():
    assert status_of(10, None, 0.5) is None and status_of(10, 0, 0.5) is None
    assert status_of(10, 100, 0.0) is None


def test_the_path_runs_day_by_day_from_the_first_to_the_last_day():
    settings = load_settings()
    assert path_share(dt.date(2011, 3, 31), settings) == 0.0
    assert path_share(dt.date(2011, 4, 1), settings) == pytest.approx(1 / PROJECT_DAYS)
    assert path_share(dt.date(2011, 6, 30), settings) == pytest.approx(91 / PROJECT_DAYS)  # April, May and June
    assert path_share(dt.date(2014, 12, 31), settings) == 1.0
    # a view from 1.1.2014: 181 of that year's 365 days have passed at 30.6.2014
    assert path_share(dt.date(2014, 6, 30), settings, dt.date(2014, 1, 1)) == pytest.approx(181 / 365)


def test_the_target_path_at_each_months_end_and_the_six_month_pace():
    """Cumulative k² in the k-th month from April 2011, up to March 2012 (k = 12): 144 now and 36 six months before,
    so the pace is 108 / 6 = 18 a month, and 33 months remain to December 2014: 144 + 18 × 33 = 738."""
    settings = load_settings()
    months = pd.date_range("2011-04-01", "2012-03-01", freq="MS")
    monthly = pd.DataFrame({"month": months, "cumulative": [float(k * k) for k in range(1, 13)]})
    frame = path_and_forecast(monthly, 60.0, dt.date(2012, 3, 31), settings)
    # the path of a target of 60 at the end of April 2011 (30 days) and of May 2011 (61 days)
    assert frame["path"].iloc[0] == pytest.approx(60 * 30 / PROJECT_DAYS)
    assert frame["path"].iloc[1] == pytest.approx(60 * 61 / PROJECT_DAYS)
    assert frame["path"].iloc[-1] == pytest.approx(60.0)
    assert frame["forecast"].iloc[11] == pytest.approx(144.0)  # the forecast starts at the last realised month
    assert forecast_at_end(frame) == pytest.approx(738.0)
