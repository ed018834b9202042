"""Indikaattorit / Indicator detail: by municipality (women/men), by year, and cumulative against the path."""

import streamlit as st

from pages.common import (
    breakdown,
    downloads,
    indicator_table,
    monthly,
    show_chart,
    shown_cutoffs,
    view,
    view_notes,
)
from vvr_metrics import catalogue
from vvr_metrics.charts import cumulative_chart, municipality_chart, yearly_chart
from vvr_metrics.formatting import (
    fi_date,
    fi_number,
    format_value,
    indicator_display,
    indicator_export,
    numbers_export,
    numbers_screen,
)
from vvr_metrics.i18n import ui
from vvr_metrics.progress import forecast_at_end, partial_years, path_and_forecast, public_path

v = view()
lang = v.lang
codes = [i.code for i in catalogue.CATALOGUE]
code = st.selectbox(
    ui("pick_indicator", lang), codes, key="indicator", format_func=lambda c: catalogue.BY_CODE[c].name(lang)
)
ind = catalogue.BY_CODE[code]
name = ind.name(lang)
unit = "€" if ind.unit == catalogue.EUR else ""
st.title(name)
view_notes(v)

# A viewer sees protected figures only, on screen and in every download; staff see internal ones.
public = not v.permissions.internal_figures
by_m = breakdown(v.key, ("municipality",), code, public)
by_y = breakdown(v.key, ("year",), code, public)
# The path and the forecast run over every record up to the cut-off, whatever the period start.
whole = indicator_table(v.key.to_cutoff(), (), True)
target = whole.loc[whole["indicator"] == code, "target"]
target = float(target.iloc[0]) if len(target) and target.notna().iloc[0] else None

if by_m.empty and by_y.empty:
    st.info(ui("no_records", lang))

title = v.titled(ui("by_municipality" if ind.has_gender else "by_municipality_plain", lang, name=name))
show_chart(
    "municipality_chart",
    v,
    municipality_chart,
    by_m,
    title,
    v.as_of,
    lang,
    gender=ind.has_gender,
    unit=unit,
    style=v.chart_style(),
)
with st.expander(ui("numbers", lang)):
    shown = indicator_display(by_m, lang)
    st.dataframe(shown, hide_index=True, width="stretch")
    downloads(
        lambda title=title: {title: indicator_export(by_m, lang)}, f"{code}_kunnittain", v, "dl_municipality", public
    )

title = v.titled(ui("by_year", lang, name=name))
partial = partial_years(v.since, v.as_of, v.settings)
show_chart("year_chart", v, yearly_chart, by_y, title, v.as_of, lang, unit=unit, style=v.chart_style(), partial=partial)
for year in sorted(set(partial) & {int(y) for y in by_y["year"].dropna()}):
    part = partial[year]
    share = fi_number(100 * part.share, 1, "%", lang)
    st.caption(
        ui("partial_year", lang, year=year, first=fi_date(part.first, lang), last=fi_date(part.last, lang), share=share)
    )
with st.expander(ui("numbers", lang)):
    shown = indicator_display(by_y, lang)
    st.dataframe(shown, hide_index=True, width="stretch")
    downloads(lambda title=title: {title: indicator_export(by_y, lang)}, f"{code}_vuosittain", v, "dl_year", public)

path = path_and_forecast(monthly(v.key.to_cutoff(), code), target, v.as_of, v.settings)
if public:  # realised only at the reporting cut-offs that the release shows, and no forecast
    path = public_path(path, v.settings, shown_cutoffs(v.key.to_cutoff(), code))
title = v.titled(ui("cumulative", lang, genitive=ind.genitive(lang)), period=False)
show_chart(
    "cumulative_chart", v, cumulative_chart, path, title, v.as_of, lang, unit=unit, style=v.chart_style(), sparse=public
)
end_value = None if public else forecast_at_end(path)
if end_value is not None:
    st.caption(ui("forecast_text", lang, value=format_value(end_value, code, lang)))
with st.expander(ui("numbers", lang)):
    if public:  # counts month by month are small numbers: internal only
        st.info(ui("monthly_staff_only", lang))
    else:
        st.dataframe(numbers_screen(path, lang, eur=bool(unit)), hide_index=True, width="stretch")
        downloads(lambda: {title: numbers_export(path, lang, eur=bool(unit))}, f"{code}_kuukausittain", v, "dl_month")
st.caption(v.source_line())
