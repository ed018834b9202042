"""VVR Metrics dashboard: the router and the frame shared by every page (sign-in, sidebar, navigation).

Start it with ``python dashboard.py [streamlit options]``. ``streamlit run dashboard.py`` works too, but then the
first visitor after a start sees Streamlit list the modules of ``pages/`` for a moment (see ``serve``).
"""

import math
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from pages.common import framed, leave_folder_mode, store_status, uploads_allowed
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


@st.cache_resource
def throttle() -> auth.Throttle:
    """One throttle for the whole server, counting per client: guessing from many tabs is throttled too."""
    return auth.Throttle()


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
SECRETS_FILES = (Path.cwd() / ".streamlit" / "secrets.toml", Path.home() / ".streamlit" / "secrets.toml")


def refuse_to_open(reason: str, message: str = "auth_broken") -> None:
    """Sign-in is set up but cannot be trusted, or is missing where it must not be: stop with a message to the
    administrator, never open."""
    ref = log_unexpected(f"sign-in configuration: {reason}")

    def refused() -> None:
        st.error(ui(message, st.session_state.get("lang", "fi"), ref=ref))

    # the only page there is: no page list, and no page runs (also not one the first URL named, which shows this
    # page too rather than Streamlit's English "Page not found")
    entries = [st.Page(refused, title="VVR Metrics", default=True)]
    entries += [st.Page(refused, title="VVR Metrics", url_path=path) for path in PAGE_PATHS]
    st.navigation(entries, position="hidden").run()
    st.stop()


@dataclass(frozen=True)
class SignIn:
    """How people sign in: "demo" (no secrets file), "oidc" (single sign-on, [auth] and [access]) or "password"
    (the offline fallback, [passwords])."""

    mode: str
    section: dict
    access: dict


def sign_in_config() -> SignIn:
    """Only a missing secrets file means the open local demo: a file that is present but unreadable, or sections
    that are missing, incomplete or misspelt, stop the dashboard."""
    present = [p for p in SECRETS_FILES if p.exists()]
    try:
        oidc = dict(st.secrets.get("auth", {}))
        access = {k: list(v) if isinstance(v, list | tuple) else v for k, v in st.secrets.get("access", {}).items()}
        passwords = dict(st.secrets.get("passwords", {}))
    except Exception:  # a secrets file that cannot be parsed
        if present:
            refuse_to_open("secrets.toml cannot be read")
        return SignIn("demo", {}, {})
    if oidc:
        if problems := auth.oidc_problems(oidc, access):
            refuse_to_open("; ".join(problems))
        return SignIn("oidc", oidc, access)
    if passwords:
        if problems := auth.config_problems(passwords):
            refuse_to_open("; ".join(problems))
        return SignIn("password", passwords, {})
    if present:
        refuse_to_open("secrets.toml has neither [auth] (single sign-on) nor [passwords]")
    return SignIn("demo", {}, {})


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
config = sign_in_config()


def client_key() -> str:
    """Who is guessing: the client's address (behind the proxy: its X-Real-IP), else the session."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    try:
        headers = {k: v for k, v in st.context.headers.items() if isinstance(v, str)}
    except (AttributeError, TypeError):  # no request headers (AppTest)
        headers = {}
    peer = st.context.ip_address
    if not isinstance(peer, str):
        # Streamlit gives None for a loopback peer, which is the proxy on this machine; with no request at all
        # (AppTest) there are no headers either
        peer = "127.0.0.1" if headers else None
    address = auth.client_address(peer, headers, auth.trusted_proxies())
    ctx = get_script_run_ctx()
    return f"ip:{address}" if isinstance(address, str) and address else f"session:{ctx.session_id if ctx else ''}"


def sign_in_page() -> None:
    """The offline fallback: a name (for the audit log) and the role's password."""
    st.title(ui("sign_in_title", lang))
    with st.form("sign_in_form"):
        name = st.text_input(ui("your_name", lang), key="sign_in_name", max_chars=80)
        password = st.text_input(ui("password", lang), type="password", key="password")
        submitted = st.form_submit_button(ui("sign_in", lang), key="sign_in_submit")
    if submitted:
        if not name.strip():
            st.error(ui("name_needed", lang))
            return
        client = client_key()
        attempt = auth.sign_in(password, config.section, throttle(), client)
        if attempt.role:
            st.session_state.role = attempt.role
            st.session_state.who = name.strip()
            st.rerun()
        where = client.removeprefix("ip:") if client.startswith("ip:") else "session"
        reason = "wrong password" if attempt.checked else "throttled"  # a throttled guess was never checked
        auth.log_sign_in_problem("signin_failed", f"{reason} ({where})", "anonymous")
        if attempt.checked:
            st.error(ui("wrong_password", lang))
            if attempt.wait:
                st.warning(ui("next_try_minutes", lang, minutes=math.ceil(attempt.wait / 60)))
        elif attempt.wait >= 120:
            st.error(ui("throttled_minutes", lang, minutes=math.ceil(attempt.wait / 60)))
        else:
            st.error(ui("throttled", lang, seconds=math.ceil(attempt.wait)))


ASKED_PAGE_S = 600  # how long the page asked for before single sign-on is remembered


def signed_in_email() -> str:
    """The identity provider's e-mail address for the person (its subject when it gives none)."""
    return str(st.user.get("email") or st.user.get("sub") or "")


@st.cache_resource
def asked_pages() -> dict:
    """client -> (page url path, time): the page a visitor asked for before single sign-on. The provider sends
    everyone back to the start, in a new session, so the server remembers it for a few minutes."""
    return {}


def browser_key() -> str:
    """The same browser before and after the provider's redirect (a new session): its XSRF cookie, which
    Streamlit sets once per browser; else the client."""
    try:
        cookie = st.context.cookies.get("_streamlit_xsrf")
    except (AttributeError, TypeError):
        cookie = None
    parts = cookie.split("|") if isinstance(cookie, str) else []
    if len(parts) == 4 and parts[0] == "2":  # "2|mask|masked token|time": masked anew on every page load
        try:
            mask, masked = bytes.fromhex(parts[1]), bytes.fromhex(parts[2])
            return "browser:" + bytes(b ^ mask[i % len(mask)] for i, b in enumerate(masked)).hex()
        except ValueError:
            pass
    return client_key()


def single_sign_on_page() -> None:
    st.title(ui("sign_in_title", lang))
    st.write(ui("sso_help", lang))
    if st.button(ui("sign_in_sso", lang), key="sso_sign_in", type="primary"):
        if st.session_state.get("asked_page") in PAGE_PATHS:
            asked, now = asked_pages(), time.monotonic()
            for key in [k for k, (_, at, _) in list(asked.items()) if now - at > ASKED_PAGE_S]:  # nobody came back
                asked.pop(key, None)
            query = {k: st.query_params.get_all(k) for k in st.query_params.keys()}  # e.g. a Tutki view's link
            asked[browser_key()] = (st.session_state.asked_page, now, query)
        st.login()


def no_access_page() -> None:
    """Signed in with the identity provider, but not on the [access] lists."""
    st.title(ui("no_access_title", lang))
    # the address comes from the identity provider: text, never Markdown (no link, no formatting)
    st.error(ui("no_access", lang, who=md_code(signed_in_email())))
    if st.button(ui("sign_out", lang), key="sign_out_refused"):
        st.logout()


def only(page, title: str) -> None:
    """Run one page and nothing else: no page list, and no page the URL named. A bookmarked page's address shows
    this page too (not "page not found"), and after a password sign-in that page opens."""
    entries = [st.Page(page, title=title, icon=":material/lock:", default=True)]
    entries += [st.Page(page, title=title, url_path=path) for path in PAGE_PATHS]
    shown = st.navigation(entries, position="hidden")
    st.session_state.asked_page = shown.url_path
    shown.run()
    uploads_allowed(False)
    st.stop()


if config.mode == "oidc":
    if not st.user.is_logged_in:
        st.session_state.pop("role", None)
        only(single_sign_on_page, ui("sign_in_title", lang))
    email = signed_in_email()
    role = auth.role_for_email(email, config.access)
    if role is None:
        if st.session_state.get("refused") != email:  # once per session, not on every rerun
            st.session_state.refused = email
            auth.log_sign_in_problem("signin_refused", "not on the access list", email or "anonymous")
        st.session_state.pop("role", None)
        only(no_access_page, ui("no_access_title", lang))
    st.session_state.role, st.session_state.who = role, email
    asked = asked_pages().pop(browser_key(), None)
    if asked and time.monotonic() - asked[1] < ASKED_PAGE_S:  # the bookmarked page opens after sign-in
        st.session_state.open_page = asked[0]
        st.session_state.open_query = asked[2]
elif config.mode == "password":
    if st.session_state.get("role") not in auth.PERMISSIONS:
        # Nothing but the sign-in form before sign-in; navigating with it alone also keeps
        # Streamlit from listing the pages/ folder.
        only(sign_in_page, ui("sign_in_title", lang))
elif auth.demo_switched_on():
    st.session_state.role = auth.STAFF  # the documented local trial: everything open
else:
    try:
        real = store_status().real_uploads
    except (StoreBusy, StoreFault):  # the frame says what is wrong with the store; nothing of it can be shown
        real = 0
    if real:
        refuse_to_open(f"no sign-in configured and the store holds {real} uploads of real data", "demo_refused")
    st.session_state.role = auth.DEMO
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
