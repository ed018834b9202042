"""Yleiskuva / Overview: the final-report table, the status against the target path, key figures."""

import streamlit as st

from pages.common import report_text, show_chart, status_table, view, view_notes
from vvr_metrics import catalogue, report, store
from vvr_metrics.charts import achieved_chart
from vvr_metrics.formatting import fi_date, fi_number, format_value, status_display
from vvr_metrics.i18n import ui
from vvr_metrics.progress import path_share
from vvr_metrics.render import RendererUnavailable
from vvr_metrics.suppression import MARK

EXPORTS = [
    (
        "pptx",
        lambda db, o: report.write_pptx(db, None, o),
        "vvr_raportti.pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
    (
        "xlsx",
        lambda db, o: report.write_xlsx(db, None, o),
        "vvr_indikaattorit.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    ("images", lambda db, o: report.images_zip(db, o), "vvr_kuvat.zip", "application/zip"),
]

# The card's arrow and colour say the status, as the table's word and the chart's bar do.
STATUS_DELTA = {
    "ahead": ("green", "up"),
    "on_track": ("blue", "off"),
    "behind": ("orange", "down"),
    None: ("off", "off"),
}

v = view()
lang = v.lang
status = status_table(v.key, v.as_of)
names = {i.code: i.name(lang) for i in catalogue.CATALOGUE}

filtered = bool(v.municipalities or v.since or v.until)
st.title(ui("overview_title_view", lang, scope=v.scope) if filtered else ui("overview_title", lang))
st.caption(
    ui(
        "overview_caption",
        lang,
        name=v.settings.name,
        code=v.settings.code,
        start=fi_date(v.settings.start, lang),
        end=fi_date(v.settings.end, lang),
        as_of=fi_date(v.as_of, lang),
        share=fi_number(100 * path_share(v.as_of, v.settings, v.since), 1, "%", lang),
    )
)
if v.status.sources == 0:
    st.info(ui("empty_store", lang))
view_notes(v)
if filtered and status["target"].isna().all():
    st.info(ui("no_view_target", lang))

hidden_rows = {row for row, column in status.attrs.get("hidden", ()) if column == "actual"}
key_rows = [
    {**r, "hidden": i in hidden_rows}
    for i, r in enumerate(status.to_dict("records"))
    if catalogue.BY_CODE[r["indicator"]].key
]
for start in range(0, len(key_rows), 4):
    for col, row in zip(st.columns(4), key_rows[start : start + 4]):
        pct = row["achieved_pct"]
        delta = ui("of_target", lang, pct=fi_number(pct, 1, "%", lang)) if pct == pct and pct is not None else None
        col.metric(
            names[row["indicator"]],
            MARK if row["hidden"] else format_value(row["actual"], row["indicator"], lang),
            delta,
            delta_color=STATUS_DELTA[row["status"] if isinstance(row["status"], str) else None][0],
            delta_arrow=STATUS_DELTA[row["status"] if isinstance(row["status"], str) else None][1],
            border=True,
        )

st.dataframe(status_display(status, lang), hide_index=True, width="stretch", height=35 * (len(status) + 1) + 3)
if status["achieved_pct"].notna().any():  # no target in the view: no empty chart
    title = v.titled(ui("achieved_title", lang))
    show_chart("achieved_chart", v, achieved_chart, status, names, v.as_of, title, lang, style=v.chart_style())
st.caption(v.source_line())

with st.expander(ui("export", lang)):
    # Only staff may take out unprotected (internal) figures.
    choices = [True, False] if v.permissions.internal_figures else [True]
    public = st.radio(
        ui("export", lang),
        choices,
        key="export_public",
        horizontal=True,
        label_visibility="collapsed",
        format_func=lambda p: ui("export_public" if p else "export_internal", lang),
    )
    options = v.report_options(public)
    st.markdown(f"**{ui('report_text_title', lang)}**")
    st.code(report_text(v.key, options), language=None, wrap_lines=True)
    made = st.session_state.setdefault("exports", {})
    stamp = (v.key, options)
    cols = st.columns(3)
    for col, (kind, make, name, mime) in zip(cols, EXPORTS):
        if col.button(ui(f"make_{kind}", lang), key=f"make_{kind}"):
            with st.spinner():
                try:
                    made[kind] = (stamp, make(v.db, options))
                    store.log_export(v.db, f"{name} · {v.scope} · {'public' if public else 'internal'}", v.actor)
                except RendererUnavailable:
                    st.error(ui("no_renderer", lang))
        if kind in made and made[kind][0] == stamp:
            col.download_button(ui(f"download_{kind}", lang), made[kind][1], name, mime, key=f"download_{kind}")
