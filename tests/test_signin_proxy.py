"""Sign-in throttling behind the shipped nginx (issue: "throttling is per session behind the shipped nginx":
20 parallel guesses, 14 checked; a new session's guess checked at once). The real app behind the real proxy,
guessing over Streamlit's websocket as a browser does, from many sessions of one client."""

import asyncio

import pytest

from tests.streamlit_client import open_session, submit
from tests.test_browser import _start, signed_in_folder
from tests.test_deploy import behind_nginx
from vvr_metrics import store

WRONG = "Väärä salasana."


@pytest.fixture
def guarded(sample_db, tmp_path):
    """A fresh signed-in dashboard behind nginx (a throttle of its own): (https url, store)."""
    (tmp_path / "home").mkdir()
    (tmp_path / "nginx").mkdir()
    db, home = signed_in_folder(tmp_path / "home", sample_db)
    app, app_url = _start(db, home)
    try:
        with behind_nginx(app_url, tmp_path / "nginx") as (url, _):
            yield url, db
    finally:
        app.terminate()
        app.wait(timeout=20)


async def guess(url: str, password: str, name: str = "arvaaja") -> list[str]:
    """A new session's one sign-in: the alerts it got."""
    session = await open_session(url)
    await submit(session, {"sign_in_name": name, "password": password}, "sign_in_submit")
    await session.ws.close()
    return session.texts


def answers(results: list[list[str]]) -> tuple[int, int]:
    """(checked and wrong, refused unchecked) over the sessions' answers."""
    checked = sum(WRONG in texts for texts in results)
    throttled = sum(any(t.startswith("Liian monta väärää yritystä") for t in texts) for texts in results)
    return checked, throttled


def failures(db) -> list[str]:
    log = store.events(db)
    return [str(d) for d in log.loc[log["action"] == "signin_failed", "source"]]


def test_twenty_sessions_at_once_get_at_most_five_checks(guarded):
    url, db = guarded

    async def crowd():
        return await asyncio.gather(*(guess(url, f"arvaus{i}", f"arvaaja {i}") for i in range(20)))

    results = asyncio.run(crowd())
    checked, throttled = answers(results)
    assert checked == 5 and throttled == 15, results
    # every failure is in the audit log with its true reason and the client the proxy named
    logged = failures(db)
    assert sorted(logged) == sorted(["wrong password (127.0.0.1)"] * 5 + ["throttled (127.0.0.1)"] * 15), logged
    # a new session of the same client is not a new start: refused unchecked, the right password too
    assert answers([asyncio.run(guess(url, "arvaus-uusi"))]) == (0, 1)
    later = asyncio.run(guess(url, "tekija", "Maija"))
    assert any(t.startswith("Liian monta väärää yritystä") for t in later) and "Maija" not in str(store.events(db))


def test_guesses_one_after_another_from_new_sessions_are_counted_together(guarded):
    url, db = guarded
    results = [asyncio.run(guess(url, f"arvaus{i}")) for i in range(7)]
    assert answers(results) == (5, 2)
    assert answers(results[5:]) == (0, 2)


def test_in_chromium_behind_the_proxy_the_sixth_guess_waits_in_a_new_tab(guarded):
    """As a person sees it: five wrong passwords in one tab, then a new tab (a new session) is refused unchecked."""
    from playwright.sync_api import sync_playwright

    from tests.test_browser import ARGS, ARTIFACTS, CHROMIUM, _need_browser, _settled

    _need_browser()
    url, db = guarded
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[*ARGS, "--ignore-certificate-errors"])
        context = browser.new_context(viewport={"width": 1200, "height": 900}, ignore_https_errors=True)

        def attempt(page, password):
            page.wait_for_selector("h1:has-text('Kirjaudu sisään')", timeout=60_000)
            _settled(page)
            page.get_by_label("Nimesi (tapahtumalokiin)").fill("Arvaaja")
            page.get_by_label("Salasana").fill(password)
            page.get_by_role("button", name="Kirjaudu").click()
            _settled(page)

        first = context.new_page()
        first.goto(url)
        for i in range(5):
            attempt(first, f"arvaus{i}")
        first.get_by_text("seuraava yritys tarkistetaan 15 min kuluttua").wait_for(timeout=30_000)
        second = context.new_page()
        second.goto(url)
        attempt(second, "tekija")  # the right password, from the same client: refused unchecked
        second.get_by_text("Liian monta väärää yritystä. Odota 15 min").wait_for(timeout=30_000)
        second.screenshot(path=str(ARTIFACTS / "signin_throttled_behind_proxy_fi.png"))
        assert second.locator("h1:has-text('Suunniteltu ja toteutunut')").count() == 0
        browser.close()
    log = store.events(db)
    assert (
        sorted(log.loc[log["action"] == "signin_failed", "source"])
        == ["throttled (127.0.0.1)"] + ["wrong password (127.0.0.1)"] * 5
    )
