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


def test_the_public_path_shows_the_cut_offs_the_release_shows_and_no_forecast():
    from vvr_metrics.progress import public_path
    from vvr_metrics.settings import load_settings

    months = pd.date_range("2011-04-01", "2014-12-01", freq="MS")
    frame = pd.DataFrame({"month": months, "cumulative": [float(i) for i in range(len(months))], "path": 1.0,
                          "forecast": 1.0})  # fmt: skip
    shown = {dt.date(2012, 6, 30), dt.date(2014, 12, 31), dt.date(2013, 5, 31)}  # the last is no cut-off
    out = public_path(frame, load_settings(), shown)
    kept = {m.strftime("%Y-%m"): v for m, v in zip(out["month"], out["cumulative"]) if not pd.isna(v)}
    assert kept == {"2012-06": 14.0, "2014-12": 44.0}
    assert out["forecast"].isna().all() and out["path"].tolist() == [1.0] * len(months)
    assert frame["cumulative"].iloc[2] == 2.0  # the caller's frame is left as it was


def test_a_short_history_is_paced_over_its_own_months_and_later_records_are_cut():
    """Three months known (April–June 2011: 3, 5, 9) and a July figure after the cut-off 30.6.2011. The pace is
    9 / 3 = 3 a month (fewer than six months: from zero), so December 2014 (42 months on) forecasts 9 + 126."""
    settings = load_settings()
    months = pd.date_range("2011-04-01", "2011-07-01", freq="MS")
    monthly = pd.DataFrame({"month": months, "cumulative": [3.0, 5.0, 9.0, 50.0]})
    frame = path_and_forecast(monthly, None, dt.date(2011, 6, 30), settings)
    assert len(frame) == 45 and frame["month"].iloc[0] == pd.Timestamp("2011-04-01")
    assert frame["cumulative"].iloc[:4].tolist()[:3] == [3.0, 5.0, 9.0] and pd.isna(frame["cumulative"].iloc[3])
    assert frame["path"].isna().all()  # no target, no path
    assert pd.isna(frame["forecast"].iloc[1])  # no forecast before the last known month
    assert [frame["forecast"].iloc[i] for i in (2, 3, 44)] == [9.0, 12.0, 135.0]
    assert forecast_at_end(frame) == 135.0


def test_no_forecast_once_the_project_is_over_and_no_path_without_a_positive_target():
    settings = load_settings()
    months = pd.date_range("2011-04-01", "2014-12-01", freq="MS")
    monthly = pd.DataFrame({"month": months, "cumulative": [float(k) for k in range(1, 46)]})
    frame = path_and_forecast(monthly, 0.0, dt.date(2015, 3, 1), settings)
    assert frame["forecast"].isna().all() and frame["path"].isna().all()
    assert frame["cumulative"].iloc[-1] == 45.0
    assert forecast_at_end(frame) == 45.0  # the realised value at the end
    assert path_and_forecast(monthly, -5.0, dt.date(2014, 12, 31), settings)["path"].isna().all()
    empty = path_and_forecast(monthly.iloc[:0], 10.0, dt.date(2012, 1, 31), settings)
    assert empty["forecast"].isna().all() and forecast_at_end(empty) is None


@pytest.mark.parametrize(
    ("actual", "target", "pct"),
    [
        (1, 2000, 0.1),  # 0.05 rounds half up (half to even would give 0.0)
        (1, 8, 12.5),
        (1, 3, 33.3),
        (2, 3, 66.7),
        (0, 10, 0.0),
        (12, 10, 120.0),
        (5, 0, None),
        (5, -1, None),
        (5, None, None),
        (5, float("nan"), None),
        (None, 10, None),
        (float("nan"), 10, None),
    ],
)
def test_percent_achieved_is_shown_to_one_decimal_rounded_half_up(actual, target, pct):
    from vvr_metrics.progress import achieved_pct

    assert achieved_pct(actual, target) == pct


def test_the_status_table_of_a_view():
    """At 31.12.2012, 641 of 1 371 days have passed: a target of 100 expects 46.75; 50 realised is 50.0 % (ahead
    from 49.09 %), 45 is on track (44.4 % is the lower bound), 40 is behind; no target, no status."""
    from vvr_metrics.progress import status_table

    settings = load_settings()
    table = pd.DataFrame(
        {
            "indicator": ["a", "b", "c", "d"],
            "target": [100.0, 100.0, 100.0, None],
            "target_women": [None] * 4,
            "actual": [50.0, 45.0, 40.0, 7.0],
            "actual_women": [None] * 4,
            "actual_men": [None] * 4,
            "other": [1, 2, 3, 4],
        }
    )
    out = status_table(table, dt.date(2012, 12, 31), settings)
    assert list(out.columns) == [
        "indicator", "target", "target_women", "actual", "actual_women", "actual_men", "expected", "achieved_pct", "status"
    ]  # fmt: skip
    assert out["expected"].tolist()[:3] == pytest.approx([100 * 641 / PROJECT_DAYS] * 3)
    assert out["achieved_pct"].tolist()[:3] == [50.0, 45.0, 40.0] and pd.isna(out["achieved_pct"].iloc[3])
    assert out["status"].tolist()[:3] == ["ahead", "on_track", "behind"] and pd.isna(out["status"].iloc[3])
    later = status_table(table, dt.date(2014, 6, 30), settings, since=dt.date(2014, 1, 1))  # 181 of 365 days
    assert later["expected"].iloc[0] == pytest.approx(100 * 181 / 365)
    assert later["status"].tolist()[:3] == ["on_track", "behind", "behind"]  # 49.6 % expected: 50 % on track


def test_the_years_a_view_covers_only_in_part():
    """A view from 1.7.2012 to 31.3.2014: 2012 from July (184 of 366 days), 2014 to March (90 of 365); 2013 whole,
    and 2011 not at all. The project's own first year (from April) is whole when the view starts at the start."""
    from vvr_metrics.progress import PartialYear, partial_years

    settings = load_settings()
    got = partial_years(dt.date(2012, 7, 1), dt.date(2014, 3, 31), settings)
    assert got == {
        2012: PartialYear(dt.date(2012, 7, 1), dt.date(2012, 12, 31), pytest.approx(184 / 366)),
        2014: PartialYear(dt.date(2014, 1, 1), dt.date(2014, 3, 31), pytest.approx(90 / 365)),
    }
    assert partial_years(None, dt.date(2014, 12, 31), settings) == {}
    assert partial_years(None, dt.date(2011, 12, 31), settings) == {}  # 2011 whole (from April), no later year
    assert partial_years(None, dt.date(2013, 6, 30), settings) == {
        2013: PartialYear(dt.date(2013, 1, 1), dt.date(2013, 6, 30), pytest.approx(181 / 365))
    }


def test_a_partial_year_of_one_day_and_of_all_days_but_one():
    from vvr_metrics.progress import PartialYear, partial_years

    settings = load_settings()
    got = partial_years(dt.date(2012, 12, 31), dt.date(2013, 12, 30), settings)
    assert got == {
        2012: PartialYear(dt.date(2012, 12, 31), dt.date(2012, 12, 31), pytest.approx(1 / 366)),
        2013: PartialYear(dt.date(2013, 1, 1), dt.date(2013, 12, 30), pytest.approx(364 / 365)),
    }


def test_the_edges_of_the_bands_and_of_a_target_of_one():
    from vvr_metrics.progress import achieved_pct

    assert status_of(52.5, 100, 0.5) == "ahead"  # exactly 5 % over the path
    assert status_of(47.5, 100, 0.5) == "on_track"  # exactly 5 % under
    assert achieved_pct(1, 1) == 100.0 and status_of(1, 1, 1.0) == "on_track"


def test_the_status_table_keeps_the_rows_of_its_table():
    from vvr_metrics.progress import status_table

    table = pd.DataFrame(
        {
            "indicator": ["a", "b"],
            "target": [10, 20],
            "target_women": [None, None],
            "actual": [5, 20],
            "actual_women": [None, None],
            "actual_men": [None, None],
        },  # fmt: skip
        index=[7, 3],
    )
    out = status_table(table, dt.date(2014, 12, 31), load_settings())
    assert list(out.index) == [7, 3]
    assert out["achieved_pct"].tolist() == [50.0, 100.0] and out["status"].tolist() == ["behind", "on_track"]


def test_the_six_month_pace_with_ten_months_known_and_a_forecast_of_one_month():
    """Cumulative 10, 20, …, 100 (June 2014 – March 2015 would be too late: April 2011 – January 2012): 100 now and
    40 six months before, so 10 a month; and with November 2014 known, only December is forecast."""
    settings = load_settings()
    months = pd.date_range("2011-04-01", "2012-01-01", freq="MS")
    monthly = pd.DataFrame({"month": months, "cumulative": [10.0 * k for k in range(1, 11)]})
    frame = path_and_forecast(monthly, None, dt.date(2012, 1, 31), settings)
    assert frame["forecast"].iloc[10] == 110.0 and forecast_at_end(frame) == 100.0 + 10.0 * 35
    full = pd.date_range("2011-04-01", "2014-11-01", freq="MS")
    monthly = pd.DataFrame({"month": full, "cumulative": [float(k) for k in range(1, len(full) + 1)]})
    frame = path_and_forecast(monthly, None, dt.date(2014, 11, 30), settings)
    assert frame["forecast"].notna().tolist()[-3:] == [False, True, True]
    assert forecast_at_end(frame) == 45.0  # 44 and a pace of 1


def test_the_end_value_is_the_realised_one_when_the_forecast_is_missing():
    frame = pd.DataFrame({"forecast": [1.0, float("nan")], "cumulative": [1.0, 45.0]})
    assert forecast_at_end(frame) == 45.0
    frame = pd.DataFrame({"forecast": [float("nan")], "cumulative": [float("nan")]})
    assert forecast_at_end(frame) is None


def test_a_target_of_one_has_a_path_and_six_known_months_pace_from_zero():
    settings = load_settings()
    months = pd.date_range("2011-04-01", "2011-09-01", freq="MS")
    monthly = pd.DataFrame({"month": months, "cumulative": [2.0, 4.0, 6.0, 8.0, 10.0, 12.0]})
    frame = path_and_forecast(monthly, 1.0, dt.date(2011, 9, 30), settings)
    assert frame["path"].iloc[-1] == pytest.approx(1.0) and frame["path"].iloc[0] == pytest.approx(30 / PROJECT_DAYS)
    assert frame["forecast"].iloc[6] == 14.0  # six months known: 12 over 6 months from zero, 2 a month


def test_percentages_are_numbers_even_when_no_indicator_has_a_target():
    from vvr_metrics.progress import status_table

    table = pd.DataFrame(
        {
            "indicator": ["a"],
            "target": [None],
            "target_women": [None],
            "actual": [5.0],
            "actual_women": [None],
            "actual_men": [None],
        }
    )
    out = status_table(table, dt.date(2013, 6, 30), load_settings())
    assert out["achieved_pct"].dtype == "float64" and pd.isna(out["achieved_pct"].iloc[0])
