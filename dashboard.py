"""VVR Metrics dashboard: the router and the frame shared by every page (sign-in, sidebar, navigation)."""

from pathlib import Path

import streamlit as st

from pages.common import framed, leave_folder_mode, uploads_allowed
from vvr_metrics import auth, progress, store
from vvr_metrics.errors import log_unexpected
from vvr_metrics.formatting import fi_date
from vvr_metrics.i18n import ui
from vvr_metrics.sample import load_example_data
from vvr_metrics.settings import load_settings

st.set_page_config(
    page_title="VVR Metrics", page_icon=str(Path(__file__).parent / "data" / "favicon.png"), layout="wide"
)
leave_folder_mode()  # the first request after a start runs here too, as in every later one


@st.cache_resource
def throttle() -> auth.Throttle:
    """One throttle for the whole server, counting per client: guessing from many tabs is throttled too."""
    return auth.Throttle()


SECRETS_FILES = (Path.cwd() / ".streamlit" / "secrets.toml", Path.home() / ".streamlit" / "secrets.toml")


def refuse_to_open(reason: str) -> None:
    """Sign-in is set up but cannot be trusted: stop with a message to the administrator, never open."""
    ref = log_unexpected(f"sign-in configuration: {reason}")

    def refused() -> None:
        st.error(ui("auth_broken", st.session_state.get("lang", "fi"), ref=ref))

    # the only page there is: no page list, and no page runs (also not one the first URL named)
    st.navigation([st.Page(refused, title="VVR Metrics")], position="hidden").run()
    st.stop()


def auth_config() -> dict:
    """The ``[auth]`` section. Only a missing secrets file means the open local demo: a file that is present but
    unreadable, or an ``[auth]`` section that is missing, incomplete or misspelt, stops the dashboard."""
    present = [p for p in SECRETS_FILES if p.exists()]
    try:
        section = dict(st.secrets.get("auth", {}))
    except Exception:  # a secrets file that cannot be parsed
        if present:
            refuse_to_open("secrets.toml cannot be read")
        return {}
    if not section:
        if present:
            refuse_to_open("secrets.toml has no [auth] section")
        return {}
    if problems := auth.config_problems(section):
        refuse_to_open("; ".join(problems))
    return section


settings = load_settings()
lang = st.session_state.get("lang", "fi")
config = auth_config()


def client_key() -> str:
    """Who is guessing: the client's address (behind the proxy on loopback: its X-Real-IP), else the session."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    peer = st.context.ip_address
    try:
        headers = {k: v for k, v in st.context.headers.items() if isinstance(v, str)}
    except (AttributeError, TypeError):  # no request headers (AppTest)
        headers = {}
    address = auth.client_address(peer if isinstance(peer, str) else None, headers)
    ctx = get_script_run_ctx()
    return f"ip:{address}" if isinstance(address, str) and address else f"session:{ctx.session_id if ctx else ''}"


def sign_in_page() -> None:
    st.title(ui("sign_in_title", lang))
    with st.form("sign_in_form"):
        password = st.text_input(ui("password", lang), type="password", key="password")
        submitted = st.form_submit_button(ui("sign_in", lang))
    if submitted:
        role, wait = auth.sign_in(password, config, throttle(), client_key())
        if role:
            st.session_state.role = role
            st.rerun()
        try:  # a failed sign-in is in the audit log too
            store.log_event(None, "signin_failed", "throttled" if wait else "wrong password", "anonymous")
        except (store.StoreBusy, store.StoreFault):
            log_unexpected("audit log: failed sign-in")
        st.error(ui("throttled", lang, seconds=round(wait)) if wait else ui("wrong_password", lang))


if auth.configured(config):
    if st.session_state.get("role") not in auth.PERMISSIONS:
        # Nothing but the sign-in form before sign-in; navigating with it alone also keeps
        # Streamlit from listing the pages/ folder.
        st.navigation(
            [st.Page(sign_in_page, title=ui("sign_in_title", lang), icon=":material/lock:")], position="hidden"
        ).run()
        uploads_allowed(False)
        st.stop()
else:
    st.session_state.role = auth.STAFF
permissions = auth.PERMISSIONS[st.session_state.role]
uploads_allowed(permissions.upload)


def frame_and_page() -> None:
    """Example data on a first start, the sidebar, and the chosen page."""
    if "example_checked" not in st.session_state:
        # First start with a store that has never had an upload: show the example data, labelled.
        load_example_data()
        st.session_state.example_checked = True

    with st.sidebar:
        lang = st.radio(
            "Kieli / Language",
            ["fi", "en"],
            key="lang",
            horizontal=True,
            format_func=lambda code: {"fi": "Suomi", "en": "English"}[code],
        )
        period = st.slider(
            ui("period", lang),
            min_value=settings.start,
            max_value=settings.end,
            value=(settings.start, settings.end),
            format="D.M.YYYY",
            key="period",
        )
        st.multiselect(
            ui("municipalities", lang),
            list(settings.municipalities),
            key="municipalities",
            placeholder=ui("all_municipalities", lang),
        )
        st.toggle(ui("presentation", lang), key="presentation")
        st.checkbox(ui("acknowledgement", lang), value=True, key="acknowledgement")
        status = store.status()
        st.caption(
            ui(
                "as_of",
                lang,
                cutoff=fi_date(progress.cutoff(period[1], settings)),
                record=fi_date(status.newest_record),
                upload=fi_date(status.newest_upload.date()) if status.newest_upload else "–",
            )
        )
        if status.example_data:
            st.warning(ui("example_badge", lang), icon=":material/science:")
        if auth.configured(config):
            st.caption(ui("signed_in_as", lang, role=ui(f"role_{st.session_state.role}", lang)))
            if st.button(ui("sign_out", lang), key="sign_out"):
                for key in ("role", "plans", "plans_for", "exports"):
                    st.session_state.pop(key, None)
                st.rerun()
        else:
            st.info(ui("demo_banner", lang), icon=":material/lock_open:")

    pages = [
        st.Page("pages/overview.py", title=ui("overview", lang), icon=":material/dashboard:", default=True),
        st.Page("pages/indicator.py", title=ui("indicators", lang), icon=":material/bar_chart:"),
        st.Page("pages/explore.py", title=ui("explore", lang), icon=":material/pivot_table_chart:"),
        st.Page("pages/funding.py", title=ui("funding", lang), icon=":material/euro:"),
    ]
    if permissions.upload:
        pages.insert(3, st.Page("pages/upload.py", title=ui("upload", lang), icon=":material/upload_file:"))
    st.navigation(pages).run()


# The last resort of every page: no traceback reaches the user, the details go to the server log.
try:
    with framed():
        frame_and_page()
except store.StoreFault as exc:
    log_unexpected("store")
    st.error(ui(f"store_{exc.reason}", st.session_state.get("lang", "fi")))
except store.StoreBusy:
    st.error(ui("busy", st.session_state.get("lang", "fi")))
except Exception:
    st.error(ui("page_error", st.session_state.get("lang", "fi"), ref=log_unexpected("page")))
