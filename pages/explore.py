"""Tutki / Explore: a pivot over any dimensions, its chart, and drill-down to the source records."""

from dataclasses import replace

import streamlit as st

from pages.common import downloads, explore_options, explore_pivot, explore_records, show_chart, view, view_notes
from vvr_metrics import catalogue
from vvr_metrics.charts import label, pivot_chart
from vvr_metrics.explore import DIMENSIONS, PivotView, cells_only
from vvr_metrics.formatting import category_label, fi_date, pivot_display, pivot_export, records_display
from vvr_metrics.i18n import ui
from vvr_metrics.public_pivot import PUBLIC_DIMENSIONS

v = view()
lang = v.lang
st.title(ui("explore_title", lang))
view_notes(v)
options = explore_options(v.key)
# A viewer sees the protected pivot only, on screen, in the chart and in the downloads, and breaks it down by what
# the release protects (municipality, year, gender); staff by every dimension.
public = not v.permissions.internal_figures
dimensions = [d for d in DIMENSIONS if not public or d in PUBLIC_DIMENSIONS]
if public:
    st.caption(ui("explore_public_dimensions", lang))


def dim_name(dim: str) -> str:
    return ui(f"dim_{dim}", lang)


def value_name(dim: str, value: str) -> str:
    return category_label(dim, value, lang)


# A link carries the pivot's choices (?rows=…&col=…&ind=…&f_year=…): applied when it names another view than
# the one this session last wrote there, i.e. when someone opened the link.
linked = PivotView.from_query({k: st.query_params.get_all(k) for k in st.query_params.keys()}, options)
if linked and st.session_state.get("_pivot_link") != linked:
    st.session_state.explore_rows = [d for d in linked.rows if d in dimensions]
    st.session_state.explore_column = linked.column if linked.column in dimensions else None
    st.session_state.explore_indicators = list(linked.indicators)
    for dim in dimensions[1:]:
        st.session_state[f"filter_{dim}"] = list(dict(linked.filters).get(dim, ()))

left, right = st.columns(2)
rows = left.multiselect(
    ui("rows", lang),
    dimensions,
    default=["municipality"],
    key="explore_rows",
    format_func=dim_name,
    placeholder=ui("choose", lang),
)
column = right.selectbox(
    ui("column", lang),
    [None, *[d for d in dimensions if d not in rows]],
    index=0,
    key="explore_column",
    format_func=lambda d: ui("none", lang) if d is None else dim_name(d),
)
chosen = st.multiselect(
    dim_name("indicator"),
    [i.code for i in catalogue.CATALOGUE],
    default=["uudet_tyopaikat"],
    key="explore_indicators",
    format_func=lambda c: catalogue.BY_CODE[c].name(lang),
    placeholder=ui("all_values", lang),
)
filters = {"indicator": chosen}
with st.expander(ui("filters", lang)):
    for dim in dimensions[1:]:
        filters[dim] = st.multiselect(
            dim_name(dim),
            options[dim],
            key=f"filter_{dim}",
            placeholder=ui("all_values", lang),
            format_func=lambda x, d=dim: value_name(d, x),
        )

frozen = tuple((dim, tuple(values)) for dim, values in filters.items() if values)
st.session_state._pivot_link = PivotView(
    tuple(rows), column, tuple(chosen), tuple(f for f in frozen if f[0] != "indicator")
)
# the address bar names this pivot, beside the sidebar's view (municipalities and period) that the frame wrote
st.query_params.from_dict({**st.session_state.get("_view_query", {}), **st.session_state._pivot_link.to_query()})
table, cell_options = explore_pivot(v.key, tuple(rows), column, frozen, public)
table_dims = [d for d in table.columns if d in DIMENSIONS]
shown = pivot_display(table, table_dims, chosen, lang)
named = table.copy()
for dim in table_dims:
    shown[dim] = [value_name(dim, x) for x in shown[dim]]
    named[dim] = shown[dim]
# a column dimension's values head the value columns: written as the reader's language says them
values_named = {c: value_name(column, c) for c in table.columns if column and c not in table_dims}
headers = {d: dim_name(d) for d in DIMENSIONS} | {"value": ui("value", lang)} | values_named
shown = shown.rename(columns=headers)


def pivot_sheet():
    """The pivot as a download's sheet, with the table's headers (built when a download is clicked)."""
    export = pivot_export(named, table_dims, chosen, lang)
    kinds = {headers.get(k, k): x for k, x in export.kinds.items()}
    return replace(export, frame=export.frame.rename(columns=headers), kinds=kinds)


what = ", ".join(catalogue.BY_CODE[c].name(lang) for c in chosen) or ui("value", lang)
dims = " × ".join(dim_name(d) for d in [*rows, *([column] if column else [])])
when = f"{label('as_of', lang)} {fi_date(v.as_of, lang)}"
what = v.titled(f"{what}: {dims} ({when})" if dims else f"{what} ({when})")
st.dataframe(shown, hide_index=True, width="stretch")
downloads(lambda: {"Pivot": pivot_sheet()}, "pivot", v, "dl_pivot", public)
if len(table):
    chart_rows = [r for r in table.columns if r in DIMENSIONS]
    chart_table = cells_only(table)
    for dim in chart_rows:
        chart_table[dim] = [value_name(dim, x) for x in chart_table[dim]]
    show_chart(
        "pivot_chart", v, pivot_chart, chart_table, chart_rows, what, lang, style=v.chart_style(), names=values_named
    )

st.subheader(ui("drill", lang))
st.caption(ui("drill_help", lang))
cell = {}
if not v.permissions.drill_down:
    st.info(ui("drill_staff_only", lang))
elif cell_options and len(table):
    cols = st.columns(len(cell_options))
    for col, (dim, values) in zip(cols, cell_options.items()):
        cell[dim] = col.selectbox(
            dim_name(dim), values, key=f"drill_{dim}", format_func=lambda x, d=dim: value_name(d, x)
        )
    records = explore_records(v.key, frozen, tuple(cell.items()))
    if not v.permissions.notes:
        records = records.drop(columns=["notes"], errors="ignore")
    st.caption(ui("drill_count", lang, n=len(records)))
    st.dataframe(records_display(records, lang), hide_index=True, width="stretch")
st.caption(v.source_line())
