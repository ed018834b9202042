"""Esitys / Slideshow: the deck's slides, one 16:9 screen each, for a seminar's projector.

The arrow keys (or the large buttons that show while the mouse moves) go back and forth; Esc leaves. The slides
show the sidebar's view with the public (protected) figures whatever the role: a seminar is a public audience.
"""

import streamlit as st

from pages.common import slide_picture, slides, view
from vvr_metrics import slideshow
from vvr_metrics.charts import PLOTLY_CONFIG
from vvr_metrics.i18n import ui

v = view()
lang = v.lang
options = v.report_options(public=True)
deck = slides(v.key, options)
at = min(max(int(st.session_state.get("slide", 0)), 0), len(deck) - 1)


def _move(step: int) -> None:
    st.session_state.slide = min(max(at + step, 0), len(deck) - 1)


st.html(slideshow.CSS)
st.html(slideshow.SCRIPT, unsafe_allow_javascript=True)
st.button("‹", key="slide_prev", on_click=_move, args=(-1,), shortcut="Left", help=ui("slide_prev", lang))
st.button("›", key="slide_next", on_click=_move, args=(1,), shortcut="Right", help=ui("slide_next", lang))
if st.button(ui("slide_exit", lang), key="slide_exit", shortcut="Esc"):
    st.session_state.slide = 0
    st.switch_page("pages/overview.py")

shown = deck[at]
with st.container(key="slide"):
    st.html(slideshow.head(shown))
    if shown.kind == "chart":
        picture = slide_picture(v.key, options, at)
        if picture:
            st.image(picture, alt=shown.description)
        else:  # no renderer on this server: the interactive chart, at the slide's width
            st.plotly_chart(shown.figure, config=PLOTLY_CONFIG, key="slide_chart")
    st.html(slideshow.foot(shown, at, len(deck), lang))
