"""What every page shares: the sidebar's choices, and cached reads keyed on the store's data version.

Each cached read is keyed on the store path and its data version, so a new upload (from this
dashboard or from the CLI) shows on the next rerun without a restart.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import streamlit as st

from vvr_metrics import explore, funding, indicators, progress, store
from vvr_metrics.exports import table_csv, table_xlsx
from vvr_metrics.formatting import fi_date
from vvr_metrics.i18n import ui
from vvr_metrics.settings import ProjectSettings, load_settings


@dataclass(frozen=True)
class View:
    """The sidebar's choices plus the store's state, as every page needs them."""

    lang: str
    since: dt.date | None
    until: dt.date | None
    municipalities: tuple[str, ...]
    status: store.StoreStatus
    settings: ProjectSettings
    db: str

    @property
    def as_of(self) -> dt.date:
        """The "tilanne" date: the newest record, or the end of the chosen period if earlier."""
        newest = self.status.newest_record or self.settings.start
        return min(newest, self.until) if self.until else newest

    @property
    def key(self) -> tuple:
        return (self.db, self.status.data_version, self.since, self.until, self.municipalities)

    def source_line(self) -> str:
        return ui("source_line", self.lang, project=self.settings.short_name, date=fi_date(self.as_of))


def view() -> View:
    settings = load_settings()
    period = st.session_state.get("period") or (settings.start, settings.end)
    since = period[0] if period[0] > settings.start else None
    until = period[1] if period[1] < settings.end else None
    return View(st.session_state.get("lang", "fi"), since, until,
                tuple(st.session_state.get("municipalities") or ()), store.status(),
                settings, str(store.resolve_db()))


@st.cache_data(show_spinner=False, max_entries=64)
def indicator_table(key: tuple, by: tuple[str, ...] = (), include_empty: bool = False):
    db, _, since, until, municipalities = key
    return indicators.indicator_table(db, by=by, as_of=until, since=since,
                                      municipalities=list(municipalities) or None, include_empty=include_empty)


@st.cache_data(show_spinner=False, max_entries=64)
def status_table(key: tuple, as_of: dt.date):
    return progress.status_table(indicator_table(key, include_empty=True), as_of, load_settings())


@st.cache_data(show_spinner=False, max_entries=64)
def monthly(key: tuple, code: str):
    db, _, since, until, municipalities = key
    return indicators.monthly_cumulative(db, code, as_of=until, since=since,
                                         municipalities=list(municipalities) or None)


@st.cache_data(show_spinner=False, max_entries=8)
def explore_frame(key: tuple):
    db, _, since, until, municipalities = key
    return explore.explore_frame(db, as_of=until, since=since, municipalities=list(municipalities) or None)


@st.cache_data(show_spinner=False, max_entries=16)
def funding_by_month(key: tuple):
    db, _, since, until, municipalities = key
    return funding.funding_by_month(db, as_of=until, since=since, municipalities=list(municipalities) or None)


@st.cache_data(show_spinner=False)
def reference():
    return funding.load_reference()


@st.cache_data(show_spinner=False, max_entries=8)
def history(db: str, data_version: int):
    return store.history(db)


def downloads(frames: dict[str, object], name: str, v: View, key: str) -> None:
    """CSV and Excel buttons for the numbers behind a chart."""
    first = next(iter(frames.values()))
    left, right = st.columns(2)
    left.download_button(ui("download_csv", v.lang), table_csv(first), f"{name}.csv", "text/csv", key=f"{key}_csv")
    right.download_button(ui("download_xlsx", v.lang), table_xlsx(frames, v.source_line()), f"{name}.xlsx",
                          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key=f"{key}_xlsx")


def _as_filters(filters: tuple) -> dict:
    return {dim: list(values) for dim, values in filters}


@st.cache_data(show_spinner=False, max_entries=8)
def explore_options(key: tuple) -> dict[str, list[str]]:
    """Every dimension's values, for the filter lists."""
    frame = explore_frame(key)
    return {dim: sorted(frame[dim].dropna().unique().tolist()) for dim in explore.DIMENSIONS}


@st.cache_data(show_spinner=False, max_entries=32)
def explore_pivot(key: tuple, rows: tuple[str, ...], column: str | None, filters: tuple):
    """The pivot table, and for drill-down every cell dimension's values among the filtered facts."""
    sub = explore.filter_frame(explore_frame(key), _as_filters(filters))
    table = explore.pivot(sub, list(rows), column)
    dims = [d for d in table.columns if d in explore.DIMENSIONS] + ([column] if column else [])
    return table, {d: sorted(sub[d].dropna().unique().tolist()) for d in dims}


@st.cache_data(show_spinner=False, max_entries=32)
def explore_records(key: tuple, filters: tuple, cell: tuple):
    sub = explore.filter_frame(explore_frame(key), _as_filters(filters))
    return explore.drill(sub, dict(cell), key[0])


@st.cache_data(show_spinner=False)
def template_bytes() -> bytes:
    """The blank tracking workbook (built once per process, not on every rerun)."""
    import io

    from vvr_metrics.template import write_template

    buf = io.BytesIO()
    write_template(buf)
    return buf.getvalue()
