"""Every page on a real server, spoken to as the browser speaks to it (tests/streamlit_client.py): a fast guard
that no page run ends in an ``exception`` element, on a freshly started server, for one session and for two at
once. The first visitor of a new store is told that the example data is being prepared."""

from __future__ import annotations

import asyncio
import shutil

import pytest

from tests.streamlit_client import fetch_media, open_session, rerun
from tests.test_browser import ROOT, _start

TITLES = {  # URL path: the page's title on the example data, in Finnish
    "": "Suunniteltu ja toteutunut koko hankkeessa",
    "indicator": "Uudet työpaikat",
    "explore": "Tutki tietoja",
    "upload": "Lataa seurantatiedot",
    "funding": "Rahoitus",
    "slideshow": None,  # the title slide: text in its own layout, no heading element
}
MODULES = {"dashboard", "common"}  # in Streamlit's folder-mode list of pages/ modules, never in a page list of ours
NAVIGATION = ["Yleiskuva", "Indikaattorit", "Tutki", "Lataa tiedot", "Rahoitus", "Esitys"]


async def _every_page(url: str, first: str = "") -> tuple[object, list[tuple[str, str, list, int]]]:
    """Open ``first``, then run every page once, downloads fetched as the browser does:
    the session and, per page, (path, its first heading, exception messages, bytes of download files)."""
    session = await open_session(url, first, timeout=180)
    files = await asyncio.to_thread(fetch_media, session)
    runs = [(first, session.headings[:1], session.exceptions, "template" if files > 10_000 else files)]
    for path in TITLES:
        await rerun(session, path, timeout=180)
        files = await asyncio.to_thread(fetch_media, session)
        runs.append((path, session.headings[:1], session.exceptions, "template" if files > 10_000 else files))
    await session.ws.close()
    return session, runs


def _expected(path: str) -> tuple:
    # every download is built when clicked, but the blank template (built once per process) is sent with its page
    return (path, [TITLES[path]] if TITLES[path] else [], [], "template" if path == "upload" else 0)


@pytest.fixture
def fresh(tmp_path):
    """Start a server nobody has visited yet on ``store`` (a copy of the example store, or a new one)."""
    procs = []

    def start(store=None):
        db = tmp_path / "store.duckdb"
        if store:
            shutil.copy(store, db)
        proc, url = _start(db, ROOT)
        procs.append(proc)
        return url

    yield start
    for proc in procs:
        proc.terminate()
        proc.wait(timeout=20)


def test_every_page_runs_on_a_fresh_server_without_an_exception(fresh, sample_db):
    url = fresh(sample_db)
    session, runs = asyncio.run(_every_page(url, "funding"))  # a bookmarked page is the first URL after a start
    assert runs == [_expected("funding"), *(_expected(path) for path in TITLES)]
    # Streamlit's folder mode listed the modules of pages/ to the first visitor before the navigation existed
    assert all(not MODULES & set(pages) for pages in session.page_lists), session.page_lists
    assert session.page_lists[-1] == NAVIGATION


def test_two_sessions_at_once_get_every_page(fresh, sample_db):
    url = fresh(sample_db)

    async def both():
        return await asyncio.gather(_every_page(url, "indicator"), _every_page(url, "explore"))

    for (_, runs), first in zip(asyncio.run(both()), ("indicator", "explore")):
        assert runs == [_expected(first), *(_expected(path) for path in TITLES)]


def test_the_first_visitor_of_a_new_store_is_told_the_example_data_is_being_prepared(fresh):
    url = fresh()  # no store yet: the first visit creates it and loads the example data in the background

    async def visit():
        session = await open_session(url, "", timeout=180)
        await session.ws.close()
        return session

    session = asyncio.run(visit())
    assert session.seen[0].startswith("Valmistellaan esimerkkiaineistoa"), session.seen[:3]
    assert session.headings == [TITLES[""]] and not session.exceptions  # then the page, without a reload
    assert any(text.startswith("ESIMERKKIAINEISTO") for text in session.texts), session.texts[:4]  # labelled as example
    assert all(not MODULES & set(pages) for pages in session.page_lists), session.page_lists
