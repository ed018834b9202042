"""VVR Metrics dashboard: the router and the frame shared by every page."""

import streamlit as st

from vvr_metrics import store
from vvr_metrics.formatting import fi_date
from vvr_metrics.i18n import ui
from vvr_metrics.sample import load_example_data
from vvr_metrics.settings import load_settings

st.set_page_config(page_title="VVR Metrics", page_icon=":material/monitoring:", layout="wide")

settings = load_settings()
if "example_checked" not in st.session_state:
    # First start with a store that has never had an upload: show the example data, labelled.
    load_example_data()
    st.session_state.example_checked = True

with st.sidebar:
    lang = st.radio("Kieli / Language", ["fi", "en"], key="lang", horizontal=True,
                    format_func=lambda code: {"fi": "Suomi", "en": "English"}[code])
    st.session_state.setdefault("period", (settings.start, settings.end))
    st.slider(ui("period", lang), min_value=settings.start, max_value=settings.end, format="D.M.YYYY", key="period")
    st.multiselect(ui("municipalities", lang), list(settings.municipalities), key="municipalities",
                   placeholder=ui("all_municipalities", lang))
    st.toggle(ui("presentation", lang), key="presentation")
    st.session_state.setdefault("acknowledgement", True)
    st.checkbox(ui("acknowledgement", lang), key="acknowledgement")
    status = store.status()
    st.caption(ui("as_of", lang, record=fi_date(status.newest_record),
                  upload=fi_date(status.newest_upload.date()) if status.newest_upload else "–"))
    if status.example_data:
        st.warning(ui("example_badge", lang), icon=":material/science:")

page = st.navigation([
    st.Page("pages/overview.py", title=ui("overview", lang), icon=":material/dashboard:", default=True),
    st.Page("pages/indicator.py", title=ui("indicators", lang), icon=":material/bar_chart:"),
    st.Page("pages/explore.py", title=ui("explore", lang), icon=":material/pivot_table_chart:"),
    st.Page("pages/upload.py", title=ui("upload", lang), icon=":material/upload_file:"),
    st.Page("pages/funding.py", title=ui("funding", lang), icon=":material/euro:"),
])
page.run()
