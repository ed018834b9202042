"""What every page shares: the sidebar's choices, and cached reads keyed on the store's data version.

Each cached read is keyed on the store path and its data version, so a new upload (from this
dashboard or from the CLI) shows on the next rerun without a restart.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
from dataclasses import dataclass, replace

import pandas as pd
import streamlit as st

from vvr_metrics import auth, charts, coverage, disclosure, explore, funding, indicators, progress, report, store
from vvr_metrics.charts import ChartStyle
from vvr_metrics.exports import data_csv, data_xlsx, holds_mark
from vvr_metrics.formatting import (
    coverage_display,
    coverage_warnings,
    fi_date,
    fi_number,
    scope_label,
    target_note,
)
from vvr_metrics.i18n import localized, ui
from vvr_metrics.public_pivot import viewer_pivot
from vvr_metrics.query import Query, public_cutoff
from vvr_metrics.report import ReportOptions
from vvr_metrics.settings import ProjectSettings, load_settings


@dataclass(frozen=True)
class ReadKey:
    """What every cached read is keyed on: the store, its data version and the view's query."""

    db: str
    version: int
    query: Query

    def to_cutoff(self) -> ReadKey:
        """Every record up to the cut-off, whatever the period start (forecasts, target path)."""
        return replace(self, query=self.query.to_cutoff())


@dataclass(frozen=True)
class View:
    """The sidebar's choices plus the store's state, as every page needs them."""

    lang: str
    query: Query
    status: store.StoreStatus
    settings: ProjectSettings
    db: str
    acknowledgement: bool = True
    role: str = auth.STAFF
    public_note: str = ""  # why a viewer's period differs from the one chosen (reporting cut-offs only)
    who: str = ""  # the signed-in person: e-mail (single sign-on) or the name given (password sign-in)

    @property
    def since(self) -> dt.date | None:
        return self.query.since

    @property
    def until(self) -> dt.date | None:
        return self.query.until

    @property
    def municipalities(self) -> tuple[str, ...]:
        return self.query.municipalities

    @property
    def actor(self) -> str:
        """Who acts, for the audit log: the person and their role (the role alone in the open local demo)."""
        return f"{self.who} ({self.role})" if self.who else self.role

    @property
    def permissions(self) -> auth.Permissions:
        return auth.PERMISSIONS[self.role]

    def require(self, allowed: bool) -> None:
        """Stop the page here unless the role may do this (enforced on the server, not by hiding)."""
        if not allowed:
            st.error(ui("staff_only", self.lang))
            st.stop()

    @property
    def as_of(self) -> dt.date:
        """The "tilanne" date: the query's one cut-off."""
        return self.query.cutoff(self.settings)

    @property
    def scope(self) -> str:
        """The municipalities and the period the view shows, for titles and captions."""
        return scope_label(self.municipalities, self.since, self.until, self.settings, self.lang)

    def titled(self, text: str, period: bool = True) -> str:
        """A chart title that names the view when it is not the whole project (``period=False``: a chart over
        every record up to the cut-off, whatever the period start)."""
        since = self.since if period else None
        if not self.municipalities and since is None:
            return text
        return f"{text}: {scope_label(self.municipalities, since, self.until if since else None, self.settings, self.lang)}"

    @property
    def key(self) -> ReadKey:
        return ReadKey(self.db, self.status.data_version, self.query)

    def source_line(self, with_view: bool = True) -> str:
        """Under every chart and table: the source and the cut-off, and the view when it is not the whole project."""
        line = ui("source_line", self.lang, project=self.settings.short_name, date=fi_date(self.as_of, self.lang))
        return f"{line} · {self.scope}" if with_view and (self.municipalities or self.since) else line

    def chart_style(self) -> ChartStyle:
        """Every chart carries the source line and the "tilanne" date."""
        ack = localized(self.settings.funder_acknowledgement_fi, self.settings.funder_acknowledgement_en, self.lang)
        return ChartStyle(False, self.source_line(), ack if self.acknowledgement else "")

    def report_options(self, public: bool = True) -> ReportOptions:
        query = replace(self.query, until=self.as_of, public=public or self.query.public)
        return ReportOptions(query, lang=self.lang, acknowledgement=self.acknowledgement)


_frame = threading.local()


@contextlib.contextmanager
def framed():
    """Marks the run of the entrypoint's frame, so that a page can tell whether it runs inside it."""
    _frame.on = True
    try:
        yield
    finally:
        _frame.on = False


def leave_folder_mode() -> None:
    """Run every page inside the frame, from the very first request after a start.

    Because ``pages/`` sits beside ``dashboard.py``, Streamlit starts in its folder-based page mode until
    some session has run ``st.navigation``. In that mode a first URL such as ``/funding`` runs the page file
    alone (no sign-in, no sidebar), and the entrypoint's first run gives its widgets other ids than later
    runs, so the first filter a visitor picks is lost. Switching the process to navigation mode (what
    ``st.navigation`` itself does) and running again puts the frame in front of every page at once.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def store_status() -> store.StoreStatus:
    """The store's state for the frame's sidebar (kept by ``store.status`` until the store changes)."""
    return store.status()


def view() -> View:
    """The sidebar's choices, for a signed-in role (else the page stops here)."""
    if not getattr(_frame, "on", False):  # a page file run alone: only through the frame, which signs in first
        from streamlit.runtime.pages_manager import PagesManager

        PagesManager.uses_pages_directory = False
        if not st.session_state.get("_into_frame"):  # once: then the entrypoint runs, with its sign-in
            st.session_state["_into_frame"] = True
            st.rerun()
        st.stop()  # still alone (not started through dashboard.py): render nothing
    if st.session_state.get("role") not in auth.PERMISSIONS:  # no role is no access, never a viewer
        st.stop()
    settings = load_settings()
    try:
        status = store.status()
    except (store.StoreFault, store.StoreBusy) as exc:  # also when a page runs without the frame's boundary
        lang = st.session_state.get("lang", "fi")
        st.error(ui(f"store_{exc.reason}", lang) if isinstance(exc, store.StoreFault) else ui("busy", lang))
        st.stop()
    chosen = st.session_state.get("period") or (settings.start, settings.end)
    role = st.session_state.get("role") if st.session_state.get("role") in auth.PERMISSIONS else auth.VIEWER
    lang = st.session_state.get("lang", "fi")
    public = not auth.PERMISSIONS[role].internal_figures  # public figures exist only at the reporting cut-offs
    query = Query.chosen(settings, chosen, st.session_state.get("municipalities") or (), public)
    note = ""
    shown = (query.start(settings), query.until or settings.end)
    if public and shown != tuple(chosen):
        note = ui(
            "public_cutoffs" if public_cutoff(chosen[1], settings) else "no_public_cutoff",
            lang,
            since=fi_date(shown[0], lang),
            until=fi_date(shown[1], lang),
            chosen=f"{fi_date(chosen[0], lang)}–{fi_date(chosen[1], lang)}",
        )
    return View(
        lang,
        query,
        status,
        settings,
        str(store.resolve_db()),
        bool(st.session_state.get("acknowledgement", True)),
        role,
        note,
        str(st.session_state.get("who", "")),
    )


@st.cache_data(show_spinner=False, max_entries=64)
def indicator_table(key: ReadKey, by: tuple[str, ...] = (), include_empty: bool = False):
    """As the figures stood at the end of the chosen period: records up to it, targets of its years."""
    return indicators.indicator_table(key.db, by=by, query=key.query, include_empty=include_empty)


@st.cache_data(show_spinner=False, max_entries=16)
def public_release(key: ReadKey) -> dict:
    """Every breakdown of the view as a viewer gets it: cut from the one protected release (``disclosure``), so
    that no hidden cell follows from another table, view or cut-off."""
    return report.tables(key.db, ReportOptions(replace(key.query, public=True)), load_settings())


@st.cache_data(show_spinner=False, max_entries=64)
def breakdown(key: ReadKey, by: tuple[str, ...], code: str, public: bool):
    """One indicator's rows of a breakdown; for the public, as protected in the whole release."""
    if public:
        name = next(n for n, b in report.BREAKDOWNS.items() if b == by)
        table, hidden = public_release(key)[name]
        return disclosure.indicator_rows(table, hidden, code)
    table = indicator_table(key, by)
    return table[table["indicator"] == code].reset_index(drop=True)


@st.cache_data(show_spinner=False, max_entries=64)
def status_table(key: ReadKey, as_of: dt.date):
    """The overview's table; for the public, the release's (a municipal view's totals are municipal cells), with
    its hidden cells in ``attrs["hidden"]``."""
    if key.query.public:
        table, hidden = public_release(key)["whole"]
    else:
        table, hidden = indicator_table(key, include_empty=True), set()
    out = progress.status_table(table, as_of, load_settings(), since=key.query.since)
    out.attrs["hidden"] = set(hidden)
    return out


@st.cache_data(show_spinner=False, max_entries=64)
def shown_cutoffs(key: ReadKey, code: str) -> frozenset:
    """The reporting cut-offs at which the release shows the view's cumulative ``code`` (the public path)."""
    return disclosure.shown_cutoffs(key.db, code, key.query, load_settings())


@st.cache_data(show_spinner=False, max_entries=16)
def unassigned(key: ReadKey) -> int:
    """Records without a municipality that a municipal view leaves out (0 without a municipality filter)."""
    return indicators.records_without_municipality(key.db, key.query) if key.query.municipalities else 0


@st.cache_data(show_spinner=False, max_entries=64)
def monthly(key: ReadKey, code: str):
    return indicators.monthly_cumulative(key.db, code, key.query)


@st.cache_resource(show_spinner=False, max_entries=2)
def explore_frame(key: ReadKey):
    """Every fact of the view with its labels: shared, read-only, by every session (filters make new frames).

    ``st.cache_data`` pickled the frame on every use: for a million facts 314 MB and 1.5 s each time. Two views
    are kept: a million facts take 363 MB in memory."""
    return explore.explore_frame(key.db, key.query)


@st.cache_data(show_spinner=False, max_entries=16)
def funding_by_month(key: ReadKey):
    return funding.funding_by_month(key.db, key.query)


@st.cache_data(show_spinner=False)
def reference():
    return funding.load_reference()


@st.cache_data(show_spinner=False, max_entries=8)
def coverage_grid(db: str, data_version: int, today: dt.date, lang: str):
    """The coverage grid ready to show, its warnings, and the period it covers (empty grid: not begun)."""
    cov = coverage.coverage(db, today=today)
    if cov.grid.empty:
        return None, [], ("", "")
    period = (fi_date(cov.grid["month"].iloc[0], lang), fi_date(cov.until, lang))
    return coverage_display(cov, lang), coverage_warnings(cov, lang), period


@st.cache_data(show_spinner=False, max_entries=8)
def history(db: str, data_version: int):
    return store.history(db)


@st.cache_data(show_spinner=False, max_entries=8)
def audit_log(db: str, last_event: int):
    """The audit log, read again only when an event was added (exports and sign-ins change no data version)."""
    return store.events(db)


def view_notes(v: View) -> None:
    """Under a title: what the view shows, which targets it is measured against, and what it leaves out."""
    if v.public_note:
        st.info(v.public_note)
    if not v.municipalities and v.since is None and v.until is None:
        return
    st.caption(ui("filtered", v.lang, names=v.scope))
    note = target_note(v.municipalities, v.since, v.settings, v.lang)
    if note:
        st.caption(note)
    if n := unassigned(v.key):
        st.caption(ui("unassigned", v.lang, n=fi_number(n, lang=v.lang)))


def logged(v: View, what: str, public: bool, build):
    """A download's data, built only when clicked and recorded in the audit log first: who, what, which view,
    public or internal. If the log cannot be written, the file is not handed out."""

    def make() -> bytes:
        try:
            store.log_export(v.db, f"{what} · {v.scope} · {'public' if public else 'internal'}", v.actor)
        except (store.StoreBusy, store.StoreFault):
            return ui("download_unlogged", v.lang).encode("utf-8-sig")
        return build()

    return make


def export_line(v: View, public: bool) -> str:
    """The first line of every page download: the project, the view, the source and date, internal or not."""
    line = f"{v.settings.name} – {v.scope} – {v.source_line(with_view=False)}"
    return line if public else f"{line} ({ui('internal_output', v.lang)})"


def downloads(tables, name: str, v: View, key: str, public: bool = False) -> None:
    """CSV and Excel of the numbers behind a chart: data, not text (see ``exports``). ``tables()`` gives the
    sheets (title → ExportTable; the CSV takes the first); nothing is built until a button is clicked."""

    def first_line(sheets) -> str:
        """The view and the source, and what ``x`` means when the file holds one."""
        line = export_line(v, public)
        return f"{line} · {ui('suppression_note', v.lang)}" if holds_mark(sheets) else line

    def csv_file() -> bytes:
        table = next(iter(tables().values()))
        return data_csv(table, v.lang, first_line([table]))

    def xlsx_file() -> bytes:
        sheets = tables()
        return data_xlsx(sheets, first_line(sheets.values()))

    files = (
        ("csv", "text/csv", csv_file),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx_file),
    )
    for col, (ext, mime, build) in zip(st.columns(2), files):
        col.download_button(
            ui(f"download_{ext}", v.lang),
            logged(v, f"{name}.{ext}", public, build),
            f"{name}.{ext}",
            mime,
            key=f"{key}_{ext}",
            on_click="ignore",
        )


def _as_filters(filters: tuple) -> dict:
    return {dim: list(values) for dim, values in filters}


@st.cache_data(show_spinner=False, max_entries=8)
def explore_options(key: ReadKey) -> dict[str, list[str]]:
    """Every dimension's values, for the filter lists."""
    frame = explore_frame(key)
    return {dim: sorted(frame[dim].dropna().unique().tolist()) for dim in explore.DIMENSIONS}


@st.cache_data(show_spinner=False, max_entries=32)
def explore_pivot(key: ReadKey, rows: tuple[str, ...], column: str | None, filters: tuple, public: bool = False):
    """The pivot table with its totals (protected when ``public``), and for drill-down every cell dimension's
    values."""
    sub = explore.filter_frame(explore_frame(key), _as_filters(filters))
    if public:  # protected together with the view's release and against the previous public cut-off
        table = viewer_pivot(key.db, rows, column, _as_filters(filters), key.query, load_settings())
    else:
        table = explore.with_totals(sub, explore.pivot(sub, list(rows), column), list(rows), column)
    dims = [d for d in table.columns if d in explore.DIMENSIONS] + ([column] if column else [])
    return table, {d: sorted(sub[d].dropna().unique().tolist()) for d in dims}


@st.cache_data(show_spinner=False, max_entries=32)
def explore_records(key: ReadKey, filters: tuple, cell: tuple):
    """Source records behind a cell. Callers check the role's drill_down permission first."""
    sub = explore.filter_frame(explore_frame(key), _as_filters(filters))
    return explore.drill(sub, dict(cell), key.db)


@st.cache_data(show_spinner=False)
def template_bytes() -> bytes:
    """The blank tracking workbook (built once per process, not on every rerun)."""
    import io

    from vvr_metrics.template import write_template

    buf = io.BytesIO()
    write_template(buf)
    return buf.getvalue()


@st.cache_data(show_spinner=False, max_entries=16)
def report_text(key: ReadKey, options: ReportOptions) -> str:
    return report.report_text(key.db, options)


@st.cache_resource(show_spinner=False, max_entries=8)
def slides(key: ReadKey, options: ReportOptions) -> list[report.Slide]:
    """The deck's slides for a view, built once and shared read-only (the slideshow moves through them)."""
    return report.slides(key.db, options)


@st.cache_data(show_spinner=False, max_entries=64)
def slide_picture(key: ReadKey, options: ReportOptions, index: int) -> str | None:
    """A chart slide's figure as SVG, laid out smaller than it is drawn so that its text is large on the slide;
    None when no renderer runs (the slide then draws the interactive chart)."""
    from vvr_metrics.render import RendererUnavailable, image
    from vvr_metrics.slideshow import PICTURE

    width, height, scale = PICTURE
    try:
        return image(slides(key, options)[index].figure, "svg", width, height, scale=scale).decode()
    except RendererUnavailable:
        return None


@st.cache_resource(show_spinner=False, max_entries=256)
def _figure(name: str, args: tuple, kwargs: tuple):
    """A chart built once per distinct input and shared, read-only, by every session.

    Building the page's figures again was the largest part of a warm rerun (bench/page_cpu.py), and
    ``st.cache_data`` would copy a figure through pickle at about the cost of building it."""
    return getattr(charts, name)(*args, **dict(kwargs))


def show_chart(key: str, v: View, build, *args, **kwargs) -> None:
    """The chart ``build(*args, **kwargs)`` (a function of ``vvr_metrics.charts``), with PNG (1 920 × 1 080) and
    SVG downloads drawn on the server only when clicked."""
    from vvr_metrics.charts import PLOTLY_CONFIG
    from vvr_metrics.render import image

    if any(isinstance(a, pd.DataFrame) and len(a) >= 50_000 for a in (*args, *kwargs.values())):
        fig = build(*args, **kwargs)  # never shared: Streamlit hashes only a sample of such a frame
    else:
        fig = _figure(build.__name__, args, tuple(sorted(kwargs.items())))
    if charts.nothing_to_show(fig):  # no records, or every value hidden: one sentence instead of an empty chart
        st.info(ui("chart_nothing", v.lang, title=charts.title_of(fig)))
        return
    st.plotly_chart(fig, config=PLOTLY_CONFIG, key=key)
    public = not v.permissions.internal_figures
    for col, fmt, mime in zip(st.columns([1, 1, 6]), ("png", "svg"), ("image/png", "image/svg+xml")):
        col.download_button(
            fmt.upper(),
            logged(v, f"{key}.{fmt}", public, lambda fmt=fmt: image(fig, fmt)),
            f"{key}.{fmt}",
            mime,
            key=f"{key}_{fmt}",
            on_click="ignore",
        )


if __name__ == "__main__":  # run as a page of its own (/common): nothing here is a page; go through the frame
    leave_folder_mode()


_uploaders: set[str] = set()
_uploaders_lock = threading.Lock()


def uploads_allowed(allowed: bool) -> None:
    """Let Streamlit's upload endpoint keep files only for sessions that may upload.

    The endpoint (``/_stcore/upload_file/<session>/<id>``) stores whatever an active session sends, before any
    page runs: a visitor still on the sign-in form could fill the server's memory. Streamlit offers no hook, so
    the file manager's ``add_file`` is wrapped once per process; a file for any other session is dropped at once
    (the proxy in ``deploy/`` limits the endpoint's size and rate as well)."""
    import logging

    from streamlit.runtime import Runtime
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    if ctx is None or not Runtime.exists():
        return
    manager = Runtime.instance().uploaded_file_mgr
    with _uploaders_lock:
        if not getattr(manager, "vvr_guarded", False):
            keep = manager.add_file

            def add_file(session_id: str, file) -> None:
                if session_id in _uploaders:
                    keep(session_id, file)
                else:
                    logging.getLogger("vvr.uploads").warning("dropped an upload of a session that may not upload")

            manager.add_file = add_file
            manager.vvr_guarded = True
        if allowed:
            _uploaders.add(ctx.session_id)
        else:  # signed out, or never signed in: anything kept before goes too
            _uploaders.discard(ctx.session_id)
            manager.remove_session_files(ctx.session_id)


# The pages after the overview, in the sidebar's order: url path (= pages/<path>.py), title, icon. Upload is
# for staff only.
PAGES = (
    ("indicator", "indicators", ":material/bar_chart:"),
    ("explore", "explore", ":material/pivot_table_chart:"),
    ("upload", "upload", ":material/upload_file:"),
    ("funding", "funding", ":material/euro:"),
    ("slideshow", "slideshow", ":material/slideshow:"),
)
PAGE_PATHS = tuple(path for path, _, _ in PAGES)
