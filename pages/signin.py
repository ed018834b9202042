"""Sign-in, before any page: the secrets' configuration checked (or the dashboard refused), the password form with
its throttle, single sign-on with the access lists, and the open demo's rule. ``dashboard.py`` calls ``sign_in``
and then draws the frame."""

import math
import time
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from pages.common import PAGE_PATHS, store_status, uploads_allowed
from vvr_metrics import auth
from vvr_metrics.errors import StoreBusy, StoreFault, log_unexpected
from vvr_metrics.formatting import md_code
from vvr_metrics.i18n import ui


def _lang() -> str:
    return st.session_state.get("lang", "fi")


@st.cache_resource
def throttle() -> auth.Throttle:
    """One throttle for the whole server, counting per client: guessing from many tabs is throttled too."""
    return auth.Throttle()


def secrets_files() -> tuple[Path, ...]:
    """Where Streamlit looks for secrets: the working folder's, then the home folder's."""
    return (Path.cwd() / ".streamlit" / "secrets.toml", Path.home() / ".streamlit" / "secrets.toml")


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
    present = [p for p in secrets_files() if p.exists()]
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


def password_form(config: SignIn) -> None:
    """The offline fallback: a name (for the audit log) and the role's password."""
    lang = _lang()
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
    lang = _lang()
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
    lang = _lang()
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


def sign_in(lang: str) -> SignIn:
    """Give this session its role, or stop the run on the sign-in (or refusal) page; how people sign in."""
    config = sign_in_config()

    def sign_in_page() -> None:
        password_form(config)

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
    return config
