"""Rahoitus / Funding: by month and source, cumulative against the granted amount, and the ESF comparison."""

import streamlit as st

from pages.common import downloads, funding_by_month, indicator_table, reference, show_chart, view, view_notes
from vvr_metrics import catalogue, funding
from vvr_metrics.charts import funding_cumulative_chart, funding_month_chart, reference_chart
from vvr_metrics.formatting import fi_date, fi_number, numbers_export, numbers_screen
from vvr_metrics.i18n import localized, ui
from vvr_metrics.workbook_format import FUNDING_SOURCES

v = view()
lang = v.lang
st.title(ui("funding_title", lang))
view_notes(v)
names = {c: localized(c, e, lang) for c, e, _ in FUNDING_SOURCES.values}

by_month = funding_by_month(v.key)
granted, realised = funding.granted_and_realised(indicator_table(v.key, (), True))

cols = st.columns(2)
for col, (key, code) in zip(cols, funding.CODES.items()):
    pct = 100 * realised[key] / granted[key] if granted[key] else None
    col.metric(
        catalogue.BY_CODE[code].name(lang),
        fi_number(realised[key], 0, "€", lang),
        f"{ui('utilisation', lang)} {fi_number(pct, 1, '%', lang)}" if pct is not None else None,
        delta_color="off",
        border=True,
        help=ui("utilisation_help", lang),
    )

title = v.titled(ui("funding_month", lang))
show_chart("funding_month", v, funding_month_chart, by_month, names, title, v.as_of, lang, style=v.chart_style())
cumulative = funding.cumulative_funding(by_month)
title2 = v.titled(ui("funding_cumulative", lang))
show_chart(
    "funding_cumulative", v, funding_cumulative_chart, cumulative, granted, title2, v.as_of, lang, style=v.chart_style()
)
with st.expander(ui("numbers", lang)):
    st.dataframe(numbers_screen(by_month, lang, eur=True), hide_index=True, width="stretch")
    # euros are never small numbers: the same for every role
    downloads(
        lambda: {title: numbers_export(by_month, lang, eur=True), title2: numbers_export(cumulative, lang, eur=True)},
        "rahoitus",
        v,
        "dl_funding",
        public=not v.permissions.internal_figures,
    )

st.subheader(ui("reference_title", lang))
if not granted["eu_state"]:
    st.info(ui("no_granted", lang))
elif v.as_of < v.settings.end or v.since or v.municipalities:
    # finished projects' final utilisation is no yardstick for a project part-way, or for a part of it
    st.info(ui("percentile_at_end_only", lang, end=fi_date(v.settings.end, lang)))
else:
    ours = 100 * realised["eu_state"] / granted["eu_state"]
    groups = {c.group: c for c in funding.compare(reference(), v.settings.code, ours)}
    group = st.radio(
        ui("reference_group", lang),
        list(groups),
        key="reference_group",
        horizontal=True,
        format_func=lambda g: ui(f"group_{g}", lang),
    )
    chosen = groups[group]
    source = ui("reference_source", lang, source=funding.REFERENCE_SOURCE)
    st.write(
        ui(
            "percentile",
            lang,
            ours=fi_number(ours, 1, "%", lang),
            pct=fi_number(chosen.percentile, 0, "", lang),
            n=fi_number(chosen.n, 0, "", lang),
            label=funding.group_name(chosen, lang),
        )
    )
    show_chart(
        "reference_chart",
        v,
        reference_chart,
        chosen.utilisation,
        ours,
        f"{ui('reference_title', lang)}: {funding.group_name(chosen, lang)}",
        source,
        lang,
        style=v.chart_style(),
    )
    st.caption(source)
st.caption(v.source_line())
