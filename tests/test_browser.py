"""The dashboard in a real browser: Playwright drives Debian's chromium against `python dashboard.py`.

Screenshots of every page in both languages go to tests/artifacts/ (git-ignored). In CI
(`VVR_REQUIRE_BROWSER=1`, set by .ci/run) a missing browser fails the suite instead of skipping it.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import xlsx_bytes

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = "/usr/bin/chromium"
EU_LINE_FI = "Euroopan unioni – Euroopan sosiaalirahasto"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PAGES = [  # url path, Finnish and English navigation labels, whether it shows a chart
    ("", "Yleiskuva", "Overview", True),
    ("indicator", "Indikaattorit", "Indicators", True),
    ("explore", "Tutki", "Explore", True),
    ("upload", "Lataa tiedot", "Upload", False),
    ("funding", "Rahoitus", "Funding", True),
]


def _need_browser():
    missing = not Path(CHROMIUM).exists()
    try:
        import playwright  # noqa: F401
    except ImportError:
        missing = True
    if missing:
        if os.environ.get("VVR_REQUIRE_BROWSER") == "1":
            pytest.fail("chromium or playwright is missing but VVR_REQUIRE_BROWSER=1")
        pytest.skip("no /usr/bin/chromium (CI installs it)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(db: Path, cwd: Path, port: int | None = None, streamlit_run: bool = False):
    """The dashboard as ``make run`` starts it (``python dashboard.py``), or with ``streamlit run dashboard.py``."""
    port = port or _free_port()
    env = {**os.environ, "VVR_DB": str(db)}
    proc = subprocess.Popen(
        [
            sys.executable,
            *(["-m", "streamlit", "run"] if streamlit_run else []),
            str(ROOT / "dashboard.py"),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                break
        except OSError:
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail("streamlit did not start")
    return proc, url


@pytest.fixture(scope="module")
def server(sample_db, tmp_path_factory):
    _need_browser()
    db = tmp_path_factory.mktemp("browser") / "store.duckdb"
    shutil.copy(sample_db, db)
    proc, url = _start(db, ROOT)
    yield url
    proc.terminate()
    proc.wait(timeout=20)


def signed_in_folder(home: Path, sample_db: Path) -> tuple[Path, Path]:
    """A working folder with password sign-in (viewer "katsoja", staff "tekija") and a copy of the example
    store: (store, folder), as ``_start`` takes them."""
    from vvr_metrics.auth import hash_password

    (home / ".streamlit").mkdir()
    shutil.copy(ROOT / ".streamlit" / "config.toml", home / ".streamlit" / "config.toml")
    (home / ".streamlit" / "secrets.toml").write_text(
        f'[passwords]\nviewer_password_hash = "{hash_password("katsoja")}"\n'
        f'staff_password_hash = "{hash_password("tekija")}"\n'
    )
    shutil.copy(sample_db, home / "store.duckdb")
    return home / "store.duckdb", home


@pytest.fixture(scope="module")
def secured_home(tmp_path_factory):
    """The working folder of the signed-in dashboard (its store is ``store.duckdb`` there)."""
    return tmp_path_factory.mktemp("secured")


@pytest.fixture(scope="module")
def secured_server(sample_db, secured_home):
    """The dashboard with [auth] configured in .streamlit/secrets.toml of its working folder."""
    _need_browser()
    proc, url = _start(*signed_in_folder(secured_home, sample_db))
    yield url
    proc.terminate()
    proc.wait(timeout=20)


@pytest.fixture(scope="module")
def browser(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def _page(browser, url):
    page = browser.new_page(viewport={"width": 1500, "height": 2200})
    page.goto(url)
    page.wait_for_selector("[data-testid='stSidebar']", timeout=60_000)
    page.wait_for_selector("[data-testid='stMainBlockContainer'] h1", timeout=60_000)
    return page


def _no_error(page):
    assert page.locator("[data-testid='stException']").count() == 0


# Words of one language that never belong on a page in the other (names such as "Verkostosta Voimaa" and the
# municipalities are the same in both). Streamlit's own file-uploader button ("Upload", "50MB per file") cannot be
# translated (README) and is left out of the text checked.
FOREIGN = {
    "en": ["Yhteensä", "Suunniteltu", "Toteutunut", "joista", "naisia", "miehiä", "tilanne", "Lähde", "Kunta",
           "Vuosi", "Kuukausi", "Rahoitus", "Kesätyö", "Työnhakija", "Koulutus", "Kyllä", "edellä", "jäljessä",
           "tavoitteessa", "tavoitteesta", "Lataa", "Valitse", "Tallenna", "piilotettu", "kertynyt"],
    "fi": ["Total", "Planned", "Realised", "Source", "as of", "Women", "Men", "Download", "Select", "Choose",
           "Upload", "of target", "Municipality", "Year", "Month", "records", "Page not found", "hidden", "ahead",
           "behind", "on track", "Cumulative", "Funding"],
}  # fmt: skip
PAGE_TEXT = """() => {
  const copy = document.querySelector('[data-testid="stApp"]').cloneNode(true);
  copy.querySelectorAll('[data-testid="stFileUploaderDropzone"], [data-testid="stSidebarUserContent"] [role="radiogroup"], [data-stale="true"]')
      .forEach(e => e.remove());
  const svg = [...document.querySelectorAll('.js-plotly-plot svg text')].map(t => t.textContent).join(' | ');
  document.body.appendChild(copy); copy.style.position = 'absolute'; copy.style.left = '-99999px';
  const text = copy.innerText; copy.remove();
  return text + ' | ' + svg;
}"""


def foreign_words(text: str, lang: str) -> list[str]:
    """The other language's known words in ``text``, and None/nan that a missing value would print."""
    words = [w for w in FOREIGN[lang] if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text)]
    return words + re.findall(r"(?<!\w)(?:None|nan|NaN|undefined)(?!\w)", text)


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 720)], ids=["1920x1080", "1280x720"])
@pytest.mark.parametrize("lang", ["fi", "en"])
def test_every_page_in_both_languages(browser, server, lang, size):
    """Every page speaks one language: no word from the other's list, and no None or nan, in its text and in its
    charts' text. (A table's cells are drawn on a canvas: the AppTest tests read their values.)"""
    (ARTIFACTS / "pages").mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    page.goto(server)
    page.wait_for_selector("[data-testid='stMainBlockContainer'] h1", timeout=60_000)
    if lang == "en":
        page.get_by_role("radio", name="English").check(force=True)
        page.wait_for_selector("h1:has-text('Planned and realised')", timeout=60_000)
    for path, fi, en, has_chart in PAGES:
        page.locator("[data-testid='stSidebarNav'] a").filter(has_text=en if lang == "en" else fi).first.click()
        page.wait_for_url(re.compile(rf"{re.escape(server)}/{path}(\?.*)?$"), timeout=60_000)  # Tutki: its view
        if has_chart:
            page.locator(".js-plotly-plot").first.wait_for(state="visible", timeout=60_000)
        else:
            page.wait_for_selector("[data-testid='stFileUploader']", timeout=60_000)
        _settled(page)
        _no_error(page)
        for expander in page.locator("[data-testid='stMain'] [data-testid='stExpander'] summary").all():
            expander.click()  # the filters and the exports hold text too
        _settled(page)
        text = page.evaluate(PAGE_TEXT)
        assert foreign_words(text, lang) == [], (path, text)
        name = f"{path or 'overview'}_{lang}_{size[0]}x{size[1]}"
        page.screenshot(path=str(ARTIFACTS / "pages" / f"{name}.png"))  # the first screen
        page.set_viewport_size({"width": size[0], "height": 4200})  # the whole page (it scrolls in a container)
        _settled(page)
        page.screenshot(path=str(ARTIFACTS / "pages" / f"{name}_whole.png"))
        page.set_viewport_size({"width": size[0], "height": size[1]})
    page.close()


def _sign_in(page, url, password):
    if url:
        page.goto(url)
    page.wait_for_selector("h1:has-text('Kirjaudu sisään')", timeout=60_000)
    _settled(page)
    page.get_by_label("Nimesi (tapahtumalokiin)").fill("Testi Käyttäjä")
    page.get_by_label("Salasana").fill(password)
    page.get_by_role("button", name="Kirjaudu").click()
    page.wait_for_selector("h1:has-text('Suunniteltu ja toteutunut')", timeout=60_000)


def test_a_tutki_link_opens_the_same_view_after_sign_in(browser, secured_server):
    """A pivot's address carries its choices: sent to a colleague, it opens that view once they sign in."""
    page = browser.new_page(viewport={"width": 1500, "height": 1600})
    page.goto(f"{secured_server}/explore?rows=municipality&rows=year&col=gender&ind=uudet_tyopaikat")
    page.wait_for_selector("h1:has-text('Kirjaudu sisään')", timeout=60_000)
    page.get_by_label("Nimesi (tapahtumalokiin)").fill("Testi Käyttäjä")
    page.get_by_label("Salasana").fill("katsoja")
    page.get_by_role("button", name="Kirjaudu").click()
    page.wait_for_selector("h1:has-text('Tutki tietoja')", timeout=60_000)
    page.wait_for_function("document.querySelector('.st-key-explore_rows')?.innerText.includes('Vuosi')")
    _settled(page)
    chosen = [t for t in page.locator(".st-key-explore_rows").inner_text().split("\n") if t.strip()]
    assert chosen[1:3] == ["Kunta", "Vuosi"], chosen
    column = page.locator(".st-key-explore_column")
    assert "Sukupuoli" in column.evaluate(
        "e => e.textContent + ' ' + [...e.querySelectorAll('input')].map(i => i.value)"
    )
    page.locator(".js-plotly-plot").first.wait_for(state="visible", timeout=60_000)
    assert "Heinola · 2012" in page.locator(".js-plotly-plot").first.inner_text()
    page.screenshot(path=str(ARTIFACTS / "explore_link_two_rows_fi.png"), full_page=True)
    # the address follows a new choice
    _choose(page, page.locator(".st-key-explore_column"), "(ei)", exact=False)
    page.wait_for_function("!location.search.includes('col=')", timeout=60_000)
    assert "rows=municipality&rows=year" in page.url
    _no_error(page)
    page.close()


def test_each_role_in_a_real_browser(browser, secured_server):
    page = browser.new_page(viewport={"width": 1500, "height": 1400})
    page.goto(secured_server)
    page.wait_for_selector("h1:has-text('Kirjaudu sisään')", timeout=60_000)
    page.screenshot(path=str(ARTIFACTS / "signin_fi.png"))
    assert page.locator("[data-testid='stSidebarNav'] a").count() == 0  # nothing but the form
    _sign_in(page, None, "katsoja")
    nav = page.locator("[data-testid='stSidebarNav'] a")
    assert "Lataa tiedot" not in " ".join(nav.all_inner_texts())
    # Typing the upload page's address opens a new session: only the sign-in form, and after signing in
    # as a viewer the page does not exist for the role.
    page.goto(f"{secured_server}/upload")
    page.wait_for_selector("h1:has-text('Kirjaudu sisään')", timeout=60_000)
    assert page.locator("[data-testid='stFileUploader']").count() == 0
    page.goto(secured_server)
    _sign_in(page, None, "katsoja")
    assert page.locator("[data-testid='stFileUploader']").count() == 0
    page.locator("[data-testid='stSidebarNav'] a").filter(has_text="Tutki").first.click()
    page.get_by_text("Lähderivit näkyvät vain projektityöntekijöille").wait_for(timeout=60_000)
    page.screenshot(path=str(ARTIFACTS / "viewer_explore_fi.png"))
    page.get_by_role("button", name="Kirjaudu ulos").click()
    # signed out on Tutki: the sign-in form at the same address, and Tutki again after signing in
    page.wait_for_selector("h1:has-text('Kirjaudu sisään')", timeout=60_000)
    assert page.url.split("?")[0] == f"{secured_server}/explore"  # with Tutki's view in the query string
    page.get_by_label("Nimesi (tapahtumalokiin)").fill("Testi Käyttäjä")
    page.get_by_label("Salasana").fill("tekija")
    page.get_by_role("button", name="Kirjaudu").click()
    page.wait_for_selector("h1:has-text('Tutki tietoja')", timeout=60_000)
    page.locator("[data-testid='stSidebarNav'] a").filter(has_text="Lataa tiedot").first.click()
    page.wait_for_selector("[data-testid='stFileUploader']", timeout=60_000)
    page.get_by_text("Tapahtumaloki").wait_for(timeout=60_000)
    _no_error(page)
    page.close()


def test_chart_downloads_are_drawn_on_the_server(browser, server):
    import struct

    page = browser.new_page(viewport={"width": 1500, "height": 2200}, accept_downloads=True)
    page.goto(f"{server}/indicator")
    page.locator(".js-plotly-plot").first.wait_for(state="visible", timeout=60_000)
    for fmt in ("PNG", "SVG"):
        with page.expect_download(timeout=60_000) as download:
            page.get_by_role("button", name=fmt, exact=True).first.click()
        data = Path(download.value.path()).read_bytes()
        if fmt == "PNG":
            width, height = struct.unpack(">II", data[16:24])
            assert data[:4] == b"\x89PNG" and (width, height) == (1920, 1080)  # exactly the promised size
        else:
            assert data.lstrip().startswith(b"<svg")
    _no_error(page)
    page.close()


SLIDE_FITS = """() => {
  const slide = document.querySelector('.st-key-slide').getBoundingClientRect();
  const out = [];
  for (const el of document.querySelectorAll('.st-key-slide *')) {
    const r = el.getBoundingClientRect();
    if (r.width && r.height && (r.left < slide.left - 1 || r.right > slide.right + 1 || r.top < slide.top - 1
        || r.bottom > slide.bottom + 1)) out.push(el.tagName + ' ' + (el.className || '') + ' ' + (el.innerText || '').slice(0, 40));
  }
  return {slide: [slide.left, slide.top, slide.width, slide.height], outside: out,
          scroll: document.scrollingElement.scrollHeight};
}"""


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 720)], ids=["1920x1080", "1280x720"])
@pytest.mark.parametrize("lang", ["fi", "en"])
def test_the_slideshow_fills_the_screen_and_moves_with_the_keys(browser, server, size, lang):
    """Every slide is one 16:9 screen with nothing cut, the arrow keys move, the buttons hide until the mouse
    moves, and Esc leaves to the overview in the same language. A screenshot of every slide is kept."""
    out = ARTIFACTS / "slides"
    out.mkdir(parents=True, exist_ok=True)
    width, height = size
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(server)
    page.wait_for_selector("[data-testid='stSidebar']", timeout=60_000)
    if lang == "en":
        page.get_by_role("radio", name="English").check(force=True)
        page.wait_for_selector("h1:has-text('Planned and realised')", timeout=60_000)
    page.locator("[data-testid='stSidebarNav'] a").filter(has_text="Slideshow" if lang == "en" else "Esitys").click()
    page.wait_for_selector(".vvr-count", timeout=60_000)
    _settled(page)
    assert not page.locator("[data-testid='stSidebar']").is_visible()
    # the click on the link moved the mouse: the buttons show, then hide while it rests
    page.wait_for_function("getComputedStyle(document.querySelector('.st-key-slide_next button')).opacity === '0'")
    count = int(page.locator(".vvr-count").inner_text().split("/")[1])
    assert count == 7  # the public new companies by municipality are all x: that chart is left out
    for n in range(1, count + 1):
        page.wait_for_function(f"document.querySelector('.vvr-count')?.innerText === '{n}/{count}'", timeout=60_000)
        _settled(page)
        if page.locator(".st-key-slide img[alt]").count() > 1:  # a chart slide: its picture has loaded
            page.wait_for_function("[...document.querySelectorAll('.st-key-slide img')].every(i => i.complete)")
        fit = page.evaluate(SLIDE_FITS)
        left, top, w, h = fit["slide"]
        assert abs(w - width) <= 2 and abs(h - width * 9 / 16) <= 2 and top >= 0 and left >= 0, fit["slide"]
        assert fit["outside"] == [] and fit["scroll"] <= height + 1, fit
        text = page.locator(".st-key-slide").inner_text()
        assert ("2014-12-31" if lang == "en" else "31.12.2014") in text and page.locator(".vvr-eu img").count() == 1
        assert ("European Union – European Social Fund" if lang == "en" else EU_LINE_FI) in text
        assert foreign_words(text, lang) == [], text
        page.screenshot(path=str(out / f"{width}x{height}_{lang}_{n}.png"))
        page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowLeft")
    page.wait_for_function(f"document.querySelector('.vvr-count')?.innerText === '{count - 1}/{count}'")
    page.mouse.move(width / 3, height / 3)
    page.mouse.move(width / 2, height / 2)
    page.wait_for_function("getComputedStyle(document.querySelector('.st-key-slide_next button')).opacity > 0.5")
    page.screenshot(path=str(out / f"{width}x{height}_{lang}_buttons.png"))
    _settled(page)
    page.keyboard.press("Escape")
    page.locator("[data-testid='stSidebar']").wait_for(state="visible", timeout=60_000)
    heading = "Planned and realised, whole project" if lang == "en" else "Suunniteltu ja toteutunut koko hankkeessa"
    page.wait_for_selector(f"h1:has-text('{heading}')", timeout=60_000)
    _no_error(page)
    page.close()


def test_upload_through_the_page_shows_the_new_figures(browser, server, tmp_path):
    jobs = [
        ["Pvm", "Kunta", "Sukupuoli", "Uusi työpaikka"],
        ["2.6.2014", "Sysmä", "N", "K"],
        ["3.6.2014", "Sysmä", "N", "K"],
    ]
    path = tmp_path / "sysma_kesakuu.xlsx"
    path.write_bytes(xlsx_bytes({"Työpaikat": jobs}))
    page = _page(browser, server)
    page.locator("[data-testid='stSidebarNav'] a").filter(has_text="Lataa tiedot").first.click()
    page.wait_for_selector("[data-testid='stFileUploader']")
    page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(str(path))
    page.get_by_text('uusi lähde "sysma_kesakuu"').wait_for(timeout=60_000)  # a condition, not a time limit
    page.screenshot(path=str(ARTIFACTS / "upload_preview_fi.png"))
    page.get_by_role("button", name="Tallenna").click()
    stored = page.get_by_text("Tallennettu: sysma_kesakuu v1 (2)")
    stored.wait_for(timeout=60_000)
    assert stored.count() == 1
    page.screenshot(path=str(ARTIFACTS / "upload_stored_fi.png"))
    page.locator("[data-testid='stSidebarNav'] a").filter(has_text="Yleiskuva").first.click()
    page.wait_for_selector("h1:has-text('Suunniteltu ja toteutunut')")
    jobs = page.locator("[data-testid='stMetric']").filter(has_text="Uudet työpaikat")
    jobs.get_by_text("74").wait_for(timeout=60_000)
    assert jobs.locator("[data-testid='stMetricValue']").inner_text() == "74"  # 72 (domain.md) + the 2 uploaded
    _no_error(page)
    page.close()


# The monthly routine of three municipalities over three months, one growing workbook each, as staff
# do it in the browser. Hand count (contacts are all "Yritys"; one new job per municipality and month):
#   contacts per month: Hartola 3, Heinola 5, Sysmä 2 -> after three months 9 + 15 + 6 = 30
#   jobs: 3 + 3 + 3, but Sysmä's March workbook lacks Työpaikat -> 3 + 3 + 0 = 6
#   delete Hartola -> 21 contacts, 3 jobs; then delete Heinola -> 6 contacts, 0 jobs
ROUTINE = {"Hartola": 3, "Heinola": 5, "Sysmä": 2}


def _growing_workbook(municipality: str, months: int, with_jobs: bool = True) -> bytes:
    contacts = [["Pvm", "Kunta", "Kontaktityyppi", "Sukupuoli", "Asiakastunnus", "Lisätiedot"]]
    jobs = [["Pvm", "Kunta", "Sukupuoli", "Uusi työpaikka"]]
    for month in range(1, months + 1):
        for day in range(1, ROUTINE[municipality] + 1):
            contacts.append([f"{day}.{month}.2013", municipality, "Yritys", None, None, f"käynti {month}/{day}"])
        jobs.append([f"15.{month}.2013", municipality, "N" if month % 2 else "M", "K"])
    return xlsx_bytes({"Kontaktit": contacts, **({"Työpaikat": jobs} if with_jobs else {})})


@pytest.fixture(scope="module")
def empty_server(tmp_path_factory):
    """A freshly started dashboard on a store that does not exist yet (it loads the example data)."""
    _need_browser()
    proc, url = _start(tmp_path_factory.mktemp("routine") / "store.duckdb", ROOT)
    yield url
    proc.terminate()
    proc.wait(timeout=20)


def _metric(page, label: str, value: str) -> None:
    page.locator("[data-testid='stSidebarNav'] a").filter(has_text="Yleiskuva").first.click()
    page.wait_for_selector("h1:has-text('Suunniteltu ja toteutunut')")
    page.locator("[data-testid='stMetric']").filter(has_text=label).locator("[data-testid='stMetricValue']").filter(
        has_text=value
    ).wait_for(timeout=60_000)


def _to_upload(page) -> None:
    page.locator("[data-testid='stSidebarNav'] a").filter(has_text="Lataa tiedot").first.click()
    page.wait_for_selector("[data-testid='stFileUploader']")


def _drop(page, paths: list[Path]) -> None:
    page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files([str(p) for p in paths])
    page.get_by_role("button", name="Tallenna", exact=True).wait_for(timeout=60_000)


def _choose(page, opener, name: str, exact: bool = True) -> None:
    """Open a select box and pick ``name``. A script run that ends meanwhile redraws the box and closes its list
    (on a loaded machine the click then waits on a detached option): once the page has settled the list is
    opened again, three times at most."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for attempt in range(3):
        _settled(page)
        opener.click()
        try:
            page.get_by_role("option", name=name, exact=exact).click(timeout=10_000)
            return
        except PlaywrightTimeout:
            if attempt == 2:
                raise


def _delete(page, source: str) -> None:
    _choose(page, page.locator("[data-testid='stSelectbox']").filter(has_text="Lähde").last, source)
    page.get_by_role("checkbox", name="Vahvistan").last.check(force=True)
    page.get_by_role("button", name="Poista", exact=True).click()
    page.get_by_text(f"Poistettu: {source}.").wait_for(timeout=60_000)


def test_monthly_routine_of_three_municipalities_in_the_browser(browser, empty_server, tmp_path):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = _page(browser, empty_server)
    names = {"Hartola": "Hartola_seuranta", "Heinola": "Heinola_seuranta", "Sysmä": "Sysma_seuranta"}
    for month in (1, 2, 3):
        paths = []
        for municipality, name in names.items():
            if municipality == "Heinola" and month == 2:
                name = "Heinola_seuranta_helmikuu"  # the same growing workbook, saved under a new name
            path = tmp_path / f"{month}" / f"{name}.xlsx"
            path.parent.mkdir(exist_ok=True)
            path.write_bytes(
                _growing_workbook(municipality, month, with_jobs=not (municipality == "Sysmä" and month == 3))
            )
            paths.append(path)
        _to_upload(page)
        _drop(page, paths)
        if month == 1:  # the first real upload takes the example data out, by default
            assert page.get_by_role("checkbox", name="Poista esimerkkiaineisto samalla").is_checked()
        if month == 2:  # the renamed file replaces its source: most of its records reappear
            fields = page.locator("[data-testid='stTextInput'] input[aria-label='Lähteen nimi']")
            assert sorted(fields.nth(i).input_value() for i in range(fields.count())) == sorted(names.values())
        if month == 3:  # the dropped sheet is announced before anything is stored
            page.get_by_text("Työpaikat: 2 riviä poistuu, koska taulukko puuttuu uudesta versiosta.").wait_for()
        page.screenshot(path=str(ARTIFACTS / f"routine_month{month}_preview_fi.png"), full_page=True)
        page.get_by_role("button", name="Tallenna", exact=True).click()
        page.get_by_text("Tallennettu:").wait_for(timeout=60_000)
        assert page.locator("[data-testid='stFileUploaderFile']").count() == 0  # the drop zone is cleared
        page.screenshot(path=str(ARTIFACTS / f"routine_month{month}_stored_fi.png"), full_page=True)
    _metric(page, "Uudet työpaikat", "6")
    _metric(page, "Yrityskontaktit", "30")
    page.screenshot(path=str(ARTIFACTS / "routine_overview_fi.png"), full_page=True)
    _to_upload(page)
    _delete(page, "Hartola_seuranta")
    _delete(page, "Heinola_seuranta")  # a second delete needs its own tick
    page.screenshot(path=str(ARTIFACTS / "routine_deleted_fi.png"), full_page=True)
    _metric(page, "Uudet työpaikat", "0")
    _metric(page, "Yrityskontaktit", "6")
    _no_error(page)
    page.close()


def _settled(page) -> None:
    """Wait until the page's script run has finished (no running indicator, and no element of an earlier run left
    stale on the page): a click lands on the final page, and its text is the final text."""
    # a grace for a run that an input has just started to show itself (the websocket's round trip); the wait
    # itself is for the condition below
    page.wait_for_timeout(300)
    page.wait_for_function(
        "!document.querySelector('[data-testid=stStatusWidget]') && !document.querySelector('[data-stale=true]')",
        timeout=60_000,
    )


def _download(page, button, timeout: int = 30_000) -> bytes:
    button.wait_for(timeout=timeout)
    _settled(page)
    with page.expect_download(timeout=60_000) as info:
        button.click()
    return Path(info.value.path()).read_bytes()


def _small_counts(csv_bytes: bytes, columns: list[str]) -> list[str]:
    """Values 1–4 in the named columns of a Finnish CSV (first line: the view; second: the header)."""
    import csv
    import io

    rows = list(csv.reader(io.StringIO(csv_bytes.decode("utf-8-sig")), delimiter=";"))
    header = rows[1]
    found = []
    for row in rows[2:]:
        for name in columns:
            if name in header and row[header.index(name)] in ("1", "2", "3", "4"):
                found.append(f"{row[0]} {name}={row[header.index(name)]}")
    return found


def _small_counts_in_book(data: bytes) -> list[str]:
    """Values 1–4 in the realised columns of a public workbook's municipal sheets (not the whole project's)."""
    import io

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data))
    found = []
    for ws in book.worksheets[1:]:
        header = [c.value for c in ws[5]]
        if "Kunta" not in header:
            continue  # whole-project figures (e.g. by year) are published, small or not
        columns = [
            i for i, h in enumerate(header) if h in ("Toteutunut", "joista naisia (toteutunut)", "joista miehiä")
        ]
        for row in ws.iter_rows(min_row=6, values_only=True):
            found += [
                f"{ws.title}: {row[0]} {row[i]}"
                for i in columns
                if isinstance(row[i], int | float) and 1 <= row[i] <= 4
            ]
    return found


def _chart_values_in_deck(data: bytes) -> dict[str, str]:
    """Each chart slide's title -> its picture's alt text (the values the chart draws)."""
    import io

    from pptx import Presentation

    found = {}
    for slide in Presentation(io.BytesIO(data)).slides:
        for shape in slide.shapes:
            if shape.shape_type == 13 and shape.name != "EU emblem":  # a chart's picture
                found[slide.shapes.title.text] = shape._element.nvPicPr.cNvPr.get("descr")
    return found


def _small_counts_in_text(text: str) -> list[str]:
    """Counts of 1–4 among the drawn values of an alt text (``name: key value; …. name: …``); targets are plans,
    and percentages and euros are not counts of people."""
    import re

    found = []
    for trace in text.split(". "):
        name, _, points = trace.partition(": ")
        if "Tavoite" in name or "rahoitus" in name.lower() or "valtio" in name or "Julkinen" in name:
            continue
        found += [f"{name}: {p}" for p in points.split("; ") if re.fullmatch(r".+ [1-4]", p)]
    return found


def test_a_viewer_downloads_only_protected_counts_and_every_download_is_logged(browser, secured_server, secured_home):
    """Signed in as a viewer: every table and chart download on the indicator and explore pages."""
    from vvr_metrics import store

    page = browser.new_page(viewport={"width": 1500, "height": 2400}, accept_downloads=True)
    _sign_in(page, secured_server, "katsoja")
    before = len(store.events(secured_home / "store.duckdb"))
    got = {}
    page.locator("[data-testid='stSidebarNav'] a").filter(has_text="Indikaattorit").first.click()
    page.wait_for_selector("h1:has-text('Uudet työpaikat')", timeout=60_000)
    _choose(page, page.locator("[data-testid='stSelectbox']").filter(has_text="Indikaattori").first, "Uudet yritykset")
    page.wait_for_selector("h1:has-text('Uudet yritykset')", timeout=60_000)
    page.get_by_text("Uusien yritysten kertyminen").first.wait_for(timeout=60_000)  # the page has finished
    expanders = page.locator("[data-testid='stExpander'] summary")
    for i in range(expanders.count()):
        expanders.nth(i).click()
        _settled(page)
    page.screenshot(path=str(ARTIFACTS / "viewer_indicator_fi.png"), full_page=True)
    page.get_by_text("Kuukausittaiset luvut ovat pieniä lukuja").wait_for(state="attached", timeout=60_000)
    page.screenshot(path=str(ARTIFACTS / "viewer_indicator_fi.png"), full_page=True)
    csvs = page.get_by_role("button", name="Lataa CSV")
    csvs.nth(1).wait_for(timeout=60_000)
    assert csvs.count() == 2  # by municipality and by year; the month-by-month numbers are staff-only
    for i in range(2):
        got[f"indicator_csv_{i}"] = _download(page, csvs.nth(i))
        got[f"indicator_xlsx_{i}"] = _download(page, page.get_by_role("button", name="Lataa Excel").nth(i))
    for i in range(page.get_by_role("button", name="SVG", exact=True).count()):
        got[f"indicator_svg_{i}"] = _download(page, page.get_by_role("button", name="SVG", exact=True).nth(i))
    realised = ["Toteutunut", "joista naisia (toteutunut)", "joista miehiä"]
    assert _small_counts(got["indicator_csv_0"], realised) == []
    # by year, the whole project: published figures, small or not (the funder's card), never hidden
    assert ";x" not in got["indicator_csv_1"].decode("utf-8-sig") and _small_counts(got["indicator_csv_1"], realised)
    assert ";Hartola;" in got["indicator_csv_0"].decode("utf-8-sig") and ";x;x" in got["indicator_csv_0"].decode(
        "utf-8-sig"
    )
    assert "x = piilotettu" in got["indicator_csv_0"].decode("utf-8-sig").splitlines()[0]  # says what x means
    page.locator("[data-testid='stSidebarNav'] a").filter(has_text="Tutki").first.click()
    page.wait_for_url(re.compile(rf"{re.escape(secured_server)}/explore(\?.*)?$"), timeout=60_000)  # with its view
    page.get_by_text("Lähderivit näkyvät vain projektityöntekijöille").wait_for(timeout=60_000)
    page.wait_for_function("document.querySelectorAll('[data-testid=stDownloadButton]').length <= 4")
    pivot = _download(page, page.get_by_role("button", name="Lataa CSV").first)
    got["pivot_xlsx"] = _download(page, page.get_by_role("button", name="Lataa Excel").first)
    header = pivot.decode("utf-8-sig").splitlines()[1].split(";")
    assert _small_counts(pivot, header[1:]) == []
    got["pivot_svg"] = _download(page, page.get_by_role("button", name="SVG", exact=True).first)
    assert b">x<" in got["pivot_svg"]  # Hartola's and Sysmä's new jobs: hidden, drawn as x
    page.screenshot(path=str(ARTIFACTS / "viewer_explore_downloads_fi.png"), full_page=True)
    # the overview's public workbook: no count of 1–4 in any breakdown sheet
    page.locator("[data-testid='stSidebarNav'] a").filter(has_text="Yleiskuva").first.click()
    page.wait_for_selector("h1:has-text('Suunniteltu ja toteutunut')", timeout=60_000)
    _settled(page)
    page.locator("[data-testid=stExpander] summary").filter(has_text="Raportit ja kuvat").click()
    _settled(page)  # a click during a rerun can be lost
    page.get_by_role("button", name="Luo Excel-taulukot").click()
    book = _download(page, page.get_by_role("button", name="Lataa Excel").first, timeout=120_000)
    got["overview_xlsx"] = book
    assert _small_counts_in_book(book) == []
    # the overview's public PowerPoint: each chart's alt text lists the values it draws; none is 1–4
    _settled(page)
    page.get_by_role("button", name="Luo PowerPoint").click()
    deck = _download(page, page.get_by_role("button", name="Lataa PowerPoint"), timeout=120_000)
    got["overview_pptx"] = deck
    _settled(page)
    page.get_by_role("button", name="Luo kuvat (PNG ja SVG)").click()
    images = _download(page, page.get_by_role("button", name="Lataa kuvat (zip)"), timeout=120_000)
    got["overview_images"] = images
    import io
    import zipfile

    names = sorted(zipfile.ZipFile(io.BytesIO(images)).namelist())
    # new companies by municipality are all x at the end (a half-year of 1–4 everywhere): that chart is left out
    assert len(names) == 8 and "companies_by_municipality.svg" not in names
    got["achieved_svg"] = _download(page, page.get_by_role("button", name="SVG", exact=True).first)
    drawn = _chart_values_in_deck(deck)
    assert len(drawn) == 4 and not [title for title in drawn if "kunnittain" in title.lower()]  # whole project
    # the funding page: euros, the same for every role
    page.locator("[data-testid='stSidebarNav'] a").filter(has_text="Rahoitus").first.click()
    page.wait_for_url(f"{secured_server}/funding", timeout=60_000)
    _settled(page)
    page.locator("[data-testid=stExpander] summary").filter(has_text="Luvut").first.click()
    page.get_by_role("button", name="Lataa CSV").first.wait_for(timeout=60_000)
    got["funding_csv"] = _download(page, page.get_by_role("button", name="Lataa CSV").first)
    got["funding_svg"] = _download(page, page.get_by_role("button", name="SVG", exact=True).first)
    events = store.events(secured_home / "store.duckdb")
    logged = events.iloc[: len(events) - before] if len(events) > before else events.iloc[0:0]
    exports = events[(events["action"] == "export") & (events["actor"] == "Testi Käyttäjä (viewer)")]
    assert len(exports) >= len(got) + 1, (len(exports), len(got), logged)
    assert all(" · public" in s for s in exports["source"])
    # the same public page in English: a chart whose every value is hidden is one sentence, never an empty chart
    page.get_by_role("radio", name="English").check(force=True)
    page.locator("[data-testid='stSidebarNav'] a").filter(has_text="Indicators").first.click()
    page.wait_for_selector("h1:has-text('New jobs')", timeout=60_000)
    _choose(page, page.locator("[data-testid='stSelectbox']").filter(has_text="Indicator").first, "New companies")
    page.wait_for_selector("h1:has-text('New companies')", timeout=60_000)
    page.get_by_text("no chart, as there is nothing to show").first.wait_for(timeout=60_000)
    page.get_by_text("New companies by year").first.wait_for(timeout=60_000)  # the whole project's: drawn
    page.screenshot(path=str(ARTIFACTS / "viewer_indicator_en.png"), full_page=True)
    _no_error(page)
    page.close()


@pytest.fixture(params=["python dashboard.py", "streamlit run"])
def fresh_server(sample_db, tmp_path, request):
    """A server nobody has visited yet, on a copy of the example store, started either way."""
    _need_browser()
    shutil.copy(sample_db, tmp_path / "store.duckdb")
    proc, url = _start(tmp_path / "store.duckdb", ROOT, streamlit_run=request.param == "streamlit run")
    yield url
    proc.terminate()
    proc.wait(timeout=20)


def test_the_first_visitor_of_a_new_server_sees_what_happens_and_never_a_module_list(browser, tmp_path):
    """On a first start the example data loads while the visitor waits: a message at once, then the overview.
    Streamlit's folder mode used to list "dashboard, common, explore, …" in the sidebar for a second or two."""
    _need_browser()
    proc, url = _start(tmp_path / "store.duckdb", ROOT)  # no store yet
    try:
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        page.goto(url, wait_until="commit")
        lists = []
        page.expose_function("navSeen", lambda text: lists.append(text))
        page.evaluate(
            """() => new MutationObserver(() => {
                 const nav = document.querySelector("[data-testid='stSidebarNav']");
                 if (nav) window.navSeen(nav.innerText);
               }).observe(document, {subtree: true, childList: true, characterData: true})"""
        )
        page.get_by_text("Valmistellaan esimerkkiaineistoa").wait_for(timeout=60_000)
        page.screenshot(path=str(ARTIFACTS / "first_start_preparing_fi.png"))
        page.wait_for_selector("h1:has-text('Suunniteltu ja toteutunut koko hankkeessa')", timeout=60_000)
        page.get_by_text("ESIMERKKIAINEISTO").first.wait_for(timeout=60_000)
        page.screenshot(path=str(ARTIFACTS / "first_start_ready_fi.png"))
        assert lists, "the navigation was never drawn"
        modules = {"common", "overview", "indicator", "explore", "funding"}  # ("dashboard" is also an icon's name)
        assert not [text for text in lists if modules & set(text.split())], lists
        assert page.get_by_text("Valmistellaan esimerkkiaineistoa").count() == 0
        _no_error(page)
        page.close()
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_the_first_visitor_after_a_start_keeps_the_first_filter(browser, fresh_server):
    """The first run after a start used to give the sidebar's widgets other ids than every later run: the first
    municipality a visitor picked was dropped, and the overview stayed on the whole project."""
    page = _page(browser, fresh_server)
    page.locator("[data-testid='stMultiSelect'] input").first.click()
    page.get_by_role("option", name="Hartola").click()
    page.wait_for_selector("h1:has-text('Suunniteltu ja toteutunut: Hartola')", timeout=60_000)
    assert page.locator("h1").first.inner_text() == "Suunniteltu ja toteutunut: Hartola"
    assert "Hartola" in page.locator("[data-testid='stMultiSelect']").first.inner_text()  # the chip stayed
    page.screenshot(path=str(ARTIFACTS / "view_hartola_fi.png"), full_page=True)
    _no_error(page)
    page.close()


def test_a_first_url_of_a_page_shows_only_the_sign_in(browser, sample_db, tmp_path):
    """On a fresh server with sign-in, the first visitor's /funding (or /common) never runs the page alone."""
    _need_browser()
    proc, url = _start(*signed_in_folder(tmp_path, sample_db))
    try:
        for path in ("funding", "common", "explore"):
            page = browser.new_page(viewport={"width": 1500, "height": 1200})
            page.goto(f"{url}/{path}")
            page.wait_for_selector("h1:has-text('Kirjaudu sisään')", timeout=60_000)
            _settled(page)
            assert page.locator("[data-testid='stMetric']").count() == 0
            assert page.locator("[data-testid='stDataFrame']").count() == 0
            assert page.locator("[data-testid='stSidebarNav'] a").count() == 0
            if path != "common":  # a page that exists: no "page not found" over the form
                assert page.get_by_text("Page not found").count() == 0
            if path == "funding":
                page.screenshot(path=str(ARTIFACTS / "first_url_funding_fi.png"))
                # the bookmarked page is the one that opens after sign-in
                page.get_by_label("Nimesi (tapahtumalokiin)").fill("Testi Käyttäjä")
                page.get_by_label("Salasana").fill("katsoja")
                page.get_by_role("button", name="Kirjaudu").click()
                page.wait_for_selector("h1:has-text('Rahoitus')", timeout=60_000)
                assert page.url == f"{url}/funding"
            page.close()
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_an_unreadable_secrets_file_stops_the_server_pages(browser, sample_db, tmp_path):
    """A secrets.toml that is present but malformed used to fall back to the open demo, everyone as staff."""
    _need_browser()
    (tmp_path / ".streamlit").mkdir()
    shutil.copy(ROOT / ".streamlit" / "config.toml", tmp_path / ".streamlit" / "config.toml")
    (tmp_path / ".streamlit" / "secrets.toml").write_text('[auth\nviewer_password_hash = "x"\n')
    shutil.copy(sample_db, tmp_path / "store.duckdb")
    proc, url = _start(tmp_path / "store.duckdb", tmp_path)
    try:
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.goto(url)
        page.get_by_text("Kirjautumisen asetukset").wait_for(timeout=60_000)
        assert page.locator("[data-testid='stMetric']").count() == 0
        assert page.locator("[data-testid='stSidebarNav'] a").count() == 0
        page.screenshot(path=str(ARTIFACTS / "secrets_broken_fi.png"))
        page.close()
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.mark.parametrize("municipality", ["Hartola", "Sysmä"])
def test_a_viewers_municipal_view_publishes_no_small_count_anywhere(browser, secured_server, municipality):
    """A municipal view has no whole-project figure: its cards, every slide's table and every chart it draws hold
    no count of 1–4, and no chart is drawn empty (issue: "Kunnat = Sysmä showed new companies 2 (1 / 1)")."""
    page = browser.new_page(viewport={"width": 1500, "height": 1600})
    _sign_in(page, secured_server, "katsoja")
    _choose(page, page.locator(".st-key-municipalities"), municipality)
    page.keyboard.press("Escape")
    page.wait_for_selector(f"h1:has-text('Suunniteltu ja toteutunut: {municipality}')", timeout=60_000)
    _settled(page)
    cards = page.locator("[data-testid=stMetricValue]").all_inner_texts()
    assert cards and [c for c in cards if c.strip() in ("1", "2", "3", "4")] == [], cards
    assert "x" in [c.strip() for c in cards]  # new jobs and new companies are hidden here
    page.screenshot(path=str(ARTIFACTS / f"viewer_overview_{municipality}.png"))
    page.locator("[data-testid='stSidebarNav'] a").filter(has_text="Esitys").first.click()
    page.wait_for_selector(".vvr-count", timeout=60_000)
    _settled(page)
    count = int(page.locator(".vvr-count").inner_text().split("/")[1])
    seen = []
    for n in range(1, count + 1):
        page.wait_for_function(f"document.querySelector('.vvr-count')?.innerText.startsWith('{n}/')", timeout=60_000)
        _settled(page)
        cells = page.locator(".st-key-slide td").all_inner_texts()
        assert [c for c in cells if c.strip() in ("1", "2", "3", "4")] == [], (n, cells)
        for alt in page.locator(".st-key-slide img[alt]").evaluate_all("els => els.map(e => e.alt)"):
            assert _small_counts_in_text(alt) == [], (n, alt)
            assert "Toteutunut:" in alt or "EU" in alt or "Euroopan" in alt, (n, alt)  # a chart draws something
        seen.append(page.locator(".st-key-slide").inner_text().split("\n")[0])
        page.screenshot(path=str(ARTIFACTS / f"viewer_slide_{municipality}_{n}.png"))
        page.keyboard.press("ArrowRight")
    assert not [t for t in seen if t.startswith(("Uudet yritykset kunnittain", "Uudet työpaikat vuosittain"))]
    _no_error(page)
    page.close()
