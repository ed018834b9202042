"""Yleiskuva / Overview: the final-report table, planned against realised."""

import streamlit as st

from vvr_metrics import store
from vvr_metrics.formatting import fi_date, indicator_display
from vvr_metrics.indicators import indicator_table
from vvr_metrics.settings import load_settings
from vvr_metrics.ui_text import ui


@st.cache_data(show_spinner=False)
def load_table(data_version: int, municipalities: tuple[str, ...], lang: str):
    """The display table; the data version in the key makes a new upload show at once."""
    table = indicator_table(municipalities=list(municipalities) or None, include_empty=True)
    return indicator_display(table, lang)


lang = st.session_state.get("lang", "fi")
municipalities = tuple(st.session_state.get("municipalities") or ())
settings = load_settings()
status = store.status()

st.title(ui("overview_title", lang))
st.caption(ui("overview_caption", lang, name=settings.name, code=settings.code, start=fi_date(settings.start),
              end=fi_date(settings.end), as_of=fi_date(status.newest_record)))
if status.sources == 0:
    st.info(ui("empty_store", lang))
if municipalities:
    st.caption(ui("filtered", lang, names=", ".join(municipalities)))
table = load_table(status.data_version, municipalities, lang)
# Tall enough for every indicator: the table is the page.
st.dataframe(table, hide_index=True, width="stretch", height=35 * (len(table) + 1) + 3)
