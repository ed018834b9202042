"""VVR Metrics dashboard: the router and the frame shared by every page (sidebar, navigation; sign-in is
``pages/signin.py``).

Start it with ``python dashboard.py [streamlit options]``. ``streamlit run dashboard.py`` works too, but then the
first visitor after a start sees Streamlit list the modules of ``pages/`` for a moment (see ``serve``).
"""

import sys
from pathlib import Path

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from pages.common import PAGES, framed, leave_folder_mode, store_status, uploads_allowed
from pages.signin import sign_in
from vvr_metrics import auth
from vvr_metrics.errors import StoreBusy, StoreFault, log_unexpected
from vvr_metrics.formatting import fi_date, md_code
from vvr_metrics.i18n import LANGS, language_name, text, ui
from vvr_metrics.query import Query, view_link, view_of_link
from vvr_metrics.sample import example_data_loading
from vvr_metrics.settings import load_settings


def serve(argv: list[str]) -> None:
    """``streamlit run`` this file, in navigation mode from the start.

    A ``pages/`` folder beside the entrypoint puts Streamlit in its old folder mode until some session has run
    ``st.navigation``: the first visitor after a start saw "dashboard, common, explore, …" in the sidebar for a
    second or two, before the frame's first run switched the mode. Set here, before the server takes a session,
    the mode is never entered. ``leave_folder_mode`` stays for ``streamlit run dashboard.py``."""
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web import cli

    from vvr_metrics.report import warm_up

    warm_up()
    PagesManager.uses_pages_directory = False
    cli.main(["run", __file__, *argv], prog_name="streamlit")


if __name__ == "__main__" and get_script_run_ctx(suppress_warning=True) is None:  # run by python, not by Streamlit
    sys.exit(serve(sys.argv[1:]))


st.set_page_config(
    page_title="VVR Metrics", page_icon=str(Path(__file__).parent / "data" / "favicon.png"), layout="wide"
)
leave_folder_mode()  # the first request after a start runs here too, as in every later one


CHOICES = ("lang", "period", "municipalities", "acknowledgement")  # the sidebar's widgets, kept across pages


def restore_choices() -> None:
    """Bring back the sidebar's choices after ``st.switch_page``: Streamlit reruns then without the browser's
    widget values (leaving the slideshow with Esc lost the language and the filters), so they come back from
    the copy that every run keeps."""
    for key, value in st.session_state.get("_choices", {}).items():
        if key not in st.session_state:
            st.session_state[key] = value


settings = load_settings()
restore_choices()
lang = st.session_state.get("lang", "fi")
config = sign_in(lang)


permissions = auth.PERMISSIONS[st.session_state.role]
uploads_allowed(permissions.upload)


def frame_and_page() -> None:
    """Example data on a first start, the sidebar, and the chosen page."""
    loading = example_data_loading()  # a store that has never had an upload gets the example data, labelled
    if loading:  # say so at once, rather than a blank screen until it is stored
        lang = st.session_state.get("lang", "fi")
        st.info(ui("preparing_example", lang), icon=":material/hourglass_top:")
        with st.spinner(ui("preparing_example_wait", lang)):
            loading.join(timeout=300)
        st.rerun()

    # a link carries the view (?municipality=…&since=…&until=…): applied when it names another view than the one
    # this session last wrote there, i.e. when someone opened the link
    linked = view_of_link({k: st.query_params.get_all(k) for k in st.query_params.keys()}, settings)
    if linked and st.session_state.get("_view_query") != view_link(settings, *linked):
        st.session_state.period, st.session_state.municipalities = linked[0], list(linked[1])
    with st.sidebar:
        lang = st.radio(
            " / ".join(text("format", "language_choice", code) for code in LANGS),
            LANGS,
            key="lang",
            horizontal=True,
            format_func=language_name,
        )
        period = st.slider(
            ui("period", lang),
            min_value=settings.start,
            max_value=settings.end,
            value=(settings.start, settings.end),
            format=text("format", "slider_date", lang),  # the slider's own (moment.js) pattern
            key="period",
        )
        st.multiselect(
            ui("municipalities", lang),
            list(settings.municipalities),
            key="municipalities",
            placeholder=ui("all_municipalities", lang),
        )
        st.checkbox(ui("acknowledgement", lang), value=True, key="acknowledgement")
        st.session_state["_view_query"] = view_link(settings, period, st.session_state.get("municipalities") or ())
        for key in ("municipality", "since", "until"):  # the address bar names the view, beside a page's own
            if key in st.session_state["_view_query"]:
                st.query_params[key] = st.session_state["_view_query"][key]
            elif key in st.query_params:
                del st.query_params[key]
        st.session_state["_choices"] = {key: st.session_state[key] for key in CHOICES if key in st.session_state}
        status = store_status()
        st.caption(
            ui(
                "as_of",
                lang,
                cutoff=fi_date(
                    Query.chosen(settings, period, public=not permissions.internal_figures).cutoff(settings), lang
                ),
                record=fi_date(status.newest_record, lang),
                upload=fi_date(status.newest_upload.date(), lang) if status.newest_upload else "–",
            )
        )
        if status.example_data:
            st.warning(ui("example_badge", lang), icon=":material/science:")
        if config.mode != "demo":
            role_name = ui(f"role_{st.session_state.role}", lang)
            who = md_code(st.session_state.get("who", ""))  # typed or from the identity provider: plain text
            st.caption(ui("signed_in_as", lang, role=f"{who}, {role_name}"))
            if st.button(ui("sign_out", lang), key="sign_out"):
                for key in ("role", "who", "plans", "plans_for", "exports"):
                    st.session_state.pop(key, None)
                if config.mode == "oidc":
                    st.logout()  # sends the browser to the provider's sign-out; a rerun now could drop that
                    st.stop()
                st.rerun()
        else:
            banner = "demo_banner" if permissions.upload else "demo_banner_readonly"
            st.info(ui(banner, lang), icon=":material/lock_open:")

    pages = [st.Page("pages/overview.py", title=ui("overview", lang), icon=":material/dashboard:", default=True)]
    pages += [
        st.Page(f"pages/{path}.py", title=ui(title, lang), icon=icon)
        for path, title, icon in PAGES
        if path != "upload" or permissions.upload
    ]
    chosen = st.navigation(pages)
    wanted = st.session_state.pop("open_page", None)
    query = st.session_state.pop("open_query", None) or None
    for page in pages:
        if wanted and page.url_path == wanted and page.url_path != chosen.url_path:
            st.switch_page(page, query_params=query)
    chosen.run()


# The last resort of every page: no traceback reaches the user, the details go to the server log.
try:
    with framed():
        frame_and_page()
except StoreFault as exc:
    log_unexpected("store")
    st.error(ui(f"store_{exc.reason}", st.session_state.get("lang", "fi")))
except StoreBusy:
    st.error(ui("busy", st.session_state.get("lang", "fi")))
except Exception:
    st.error(ui("page_error", st.session_state.get("lang", "fi"), ref=log_unexpected("page")))
