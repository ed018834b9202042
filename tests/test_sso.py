"""Single sign-on: the real flow in chromium against a real local OpenID Connect provider (oidc-provider-mock on
127.0.0.1), with [access] naming who is staff and who is a viewer."""

import shutil
import warnings

import pytest
from streamlit.testing.v1 import AppTest

from tests.test_browser import ARTIFACTS, ROOT, _download, _free_port, _need_browser, _settled, _start
from vvr_metrics import store

STAFF, VIEWER, OUTSIDER = "maija.virtanen@heinola.fi", "ville.koski@sysma.fi", "someone@example.com"


@pytest.fixture(scope="module")
def sso_server(sample_db, tmp_path_factory):
    """(app url, store path): the dashboard with [auth] for single sign-on against a provider on this machine."""
    _need_browser()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the mock and Authlib warn about their own deprecations on import
        from oidc_provider_mock import run_server_in_thread

    home = tmp_path_factory.mktemp("sso")
    port = _free_port()
    with run_server_in_thread(port=0) as provider:
        (home / ".streamlit").mkdir()
        shutil.copy(ROOT / ".streamlit" / "config.toml", home / ".streamlit" / "config.toml")
        (home / ".streamlit" / "secrets.toml").write_text(
            "[auth]\n"
            f'redirect_uri = "http://localhost:{port}/oauth2callback"\n'
            'cookie_secret = "a-long-random-test-secret-0123456789"\n'
            'client_id = "vvr-metrics"\n'
            'client_secret = "test-client-secret"\n'
            f'server_metadata_url = "http://localhost:{provider.server_port}/.well-known/openid-configuration"\n'
            "[access]\n"
            f'staff = ["{STAFF.upper()}"]\n'  # addresses match whatever their case
            f'viewers = ["{VIEWER}"]\n'
        )
        shutil.copy(sample_db, home / "store.duckdb")
        app, url = _start(home / "store.duckdb", home, port)
        yield url.replace("127.0.0.1", "localhost"), home / "store.duckdb"
        app.terminate()
        app.wait(timeout=20)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        yield chromium
        chromium.close()


def _sign_in(browser, url: str, subject: str, path: str = ""):
    page = browser.new_context(viewport={"width": 1400, "height": 1300}).new_page()
    page.goto(f"{url}/{path}")
    page.get_by_role("button", name="Kirjaudu organisaation tunnuksella").click()
    page.locator("input[name=sub]").fill(subject)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{url}/**", timeout=60_000)
    return page


def test_staff_signs_in_stays_signed_in_after_a_reload_and_is_named_in_the_audit_log(browser, sso_server):
    url, db = sso_server
    page = _sign_in(browser, url, STAFF)
    page.wait_for_selector("h1:has-text('Suunniteltu ja toteutunut')", timeout=60_000)
    sidebar = page.locator("[data-testid=stSidebar]")
    sidebar.get_by_text(f"Kirjautunut: {STAFF}, projektityöntekijä").wait_for(timeout=60_000)
    assert sidebar.get_by_role("link", name="Lataa tiedot").count() == 1
    _settled(page)
    page.screenshot(path=str(ARTIFACTS / "sso_staff_fi.png"))
    # a reload, and a bookmarked page, open without signing in again
    page.goto(f"{url}/funding")
    page.wait_for_selector("h1:has-text('Rahoitus')", timeout=60_000)
    _settled(page)
    page.locator("[data-testid=stExpander] summary").filter(has_text="Luvut").first.click()
    _download(page, page.get_by_role("button", name="Lataa CSV").first)
    events = store.events(db)
    assert f"{STAFF} (staff)" in set(events["actor"])  # as listed in the provider, not as typed in [access]
    # staff see the audit log on the upload page, the person named
    page.locator("[data-testid=stSidebar]").get_by_role("link", name="Lataa tiedot").click()
    page.get_by_role("heading", name="Tapahtumaloki").wait_for(timeout=60_000)
    page.get_by_role("heading", name="Tapahtumaloki").scroll_into_view_if_needed()
    _settled(page)
    page.screenshot(path=str(ARTIFACTS / "sso_audit_log_fi.png"))
    # signing out ends the session: the sign-in page again, also after a reload
    _settled(page)
    page.locator("[data-testid=stSidebar]").get_by_role("button", name="Kirjaudu ulos").click()
    page.get_by_role("button", name="End session").click(timeout=60_000)  # the provider ends its session too
    page.get_by_role("button", name="Kirjaudu organisaation tunnuksella").wait_for(timeout=60_000)
    page.reload()
    page.get_by_role("button", name="Kirjaudu organisaation tunnuksella").wait_for(timeout=60_000)
    page.screenshot(path=str(ARTIFACTS / "sso_signed_out_fi.png"))
    page.context.close()


def test_a_viewer_gets_the_viewer_role_and_the_bookmarked_page(browser, sso_server):
    url, _ = sso_server
    page = _sign_in(browser, url, VIEWER, "funding")
    page.wait_for_selector("h1:has-text('Rahoitus')", timeout=60_000)  # the page asked for, after the provider
    assert page.url == f"{url}/funding"
    page.goto(url)
    page.wait_for_selector("h1:has-text('Suunniteltu ja toteutunut')", timeout=60_000)
    sidebar = page.locator("[data-testid=stSidebar]")
    sidebar.get_by_text(f"Kirjautunut: {VIEWER}, ohjausryhmä").wait_for(timeout=60_000)
    assert sidebar.get_by_role("link", name="Lataa tiedot").count() == 0
    page.goto(f"{url}/upload")  # typed by hand: the page checks for itself
    page.get_by_text("Lataa tiedot", exact=True).wait_for(state="detached", timeout=5_000)
    assert page.locator("[data-testid=stFileUploader]").count() == 0
    page.context.close()


def test_someone_not_on_the_access_list_sees_no_access_and_is_logged(browser, sso_server):
    url, db = sso_server
    page = _sign_in(browser, url, OUTSIDER, "funding")
    page.wait_for_selector("h1:has-text('Ei käyttöoikeutta')", timeout=60_000)
    page.get_by_text(f"Olet kirjautunut tunnuksella {OUTSIDER}").wait_for(timeout=60_000)
    assert page.locator("a[href^=mailto]").count() == 0  # the address is text, not a link
    assert page.locator(".js-plotly-plot").count() == 0 and page.locator("[data-testid=stSidebarNav]").count() == 0
    page.screenshot(path=str(ARTIFACTS / "sso_no_access_fi.png"))
    events = store.events(db)
    refused = events[events["action"] == "signin_refused"]
    assert list(refused["actor"]) == [OUTSIDER]
    page.context.close()


@pytest.mark.parametrize(
    "secrets,problem",
    [
        ({"auth": {"redirect_uri": "http://x/oauth2callback"}, "access": {"staff": ["a@b.fi"]}}, "missing"),
        (
            {
                "auth": {
                    "redirect_uri": "http://x/oauth2callback",
                    "cookie_secret": "s",
                    "client_id": "c",
                    "client_secret": "s",
                    "server_metadata_url": "http://x/.well-known/openid-configuration",
                }
            },
            "no access list",
        ),
        (
            {
                "auth": {"viewer_password_hash": "scrypt$16384$8$1$c2FsdA==$aGFzaA==", "staff_password_hash": "x"},
            },
            "hashes under [auth]",
        ),
    ],
)
def test_single_sign_on_that_is_not_set_up_completely_stops_the_dashboard(secrets, problem):
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    for name, section in secrets.items():
        at.secrets[name] = section
    at.run()
    assert not at.exception
    assert any("Kirjautumisen asetukset ovat virheelliset" in e.value for e in at.error), problem
    assert not at.get("plotly_chart") and not at.text_input
