"""The upload page's safety in chromium: two people replacing the same source at once, and files that are not
workbooks (a CSV was refused by the browser in English, "text/csv files are not allowed")."""

import re
from pathlib import Path

from conftest import CONTACT_HEADER, xlsx_bytes

from tests.test_browser import ARTIFACTS, _no_error, _page, _settled, browser, server  # noqa: F401 (fixtures)


def _to_upload(page) -> None:
    page.locator("[data-testid='stSidebarNav'] a").filter(has_text="Lataa tiedot").first.click()
    page.wait_for_selector("[data-testid='stFileUploader']")
    _settled(page)


def _drop(page, path: Path) -> None:
    page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(str(path))


def _heinola(tmp_path: Path, name: str, n: int) -> Path:
    path = tmp_path / name
    rows = [[f"{d}.3.2013", "Heinola", "Yritys"] for d in range(1, n + 1)]
    path.write_bytes(xlsx_bytes({"Kontaktit": [CONTACT_HEADER[:3], *rows]}))
    return path


def test_two_sessions_replacing_one_source_the_second_is_told_and_stores_what_it_then_sees(
    browser,  # noqa: F811
    server,  # noqa: F811
    tmp_path,
):
    a, b = _page(browser, server), _page(browser, server)
    _to_upload(a)
    _drop(a, _heinola(tmp_path, "kaksi_istuntoa.xlsx", 2))
    a.get_by_text('uusi lähde "kaksi_istuntoa"').wait_for(timeout=60_000)
    a.get_by_role("button", name="Tallenna", exact=True).click()
    a.get_by_text("Tallennettu: kaksi_istuntoa v1 (2)").wait_for(timeout=60_000)
    _to_upload(b)
    for page, n in ((a, 5), (b, 6)):
        _drop(page, _versioned(tmp_path, n))
        page.get_by_text('korvaa lähteen "kaksi_istuntoa" version 1').wait_for(timeout=60_000)
    a.get_by_role("button", name="Tallenna", exact=True).click()
    a.get_by_text("Tallennettu: kaksi_istuntoa v2 (5)").wait_for(timeout=60_000)
    b.get_by_role("button", name="Tallenna", exact=True).click()
    b.get_by_text("muuttui esikatselun jälkeen (esikatselu: versio 1, nyt: versio 2)").wait_for(timeout=60_000)
    b.get_by_text('korvaa lähteen "kaksi_istuntoa" version 2').wait_for(timeout=60_000)  # the preview, redrawn
    assert b.get_by_text(re.compile("^Tallennettu:")).count() == 0
    b.screenshot(path=str(ARTIFACTS / "upload_changed_meanwhile_fi.png"))
    _settled(b)
    b.get_by_role("button", name="Tallenna", exact=True).click()
    b.get_by_text("Tallennettu: kaksi_istuntoa v3 (6)").wait_for(timeout=60_000)
    _no_error(a)
    _no_error(b)
    a.close()
    b.close()


def _versioned(tmp_path: Path, n: int) -> Path:
    """The same file name as the stored source (so its default is to replace it), a version of ``n`` rows."""
    folder = tmp_path / f"v{n}"
    folder.mkdir()
    return _heinola(folder, "kaksi_istuntoa.xlsx", n)


def test_a_csv_and_a_word_document_get_a_finnish_message_in_the_browser(browser, server, tmp_path):  # noqa: F811
    page = _page(browser, server)
    _to_upload(page)
    csv = tmp_path / "kontaktit.csv"
    csv.write_text("Pvm;Kunta;Kontaktityyppi\n2.1.2012;Heinola;Yritys\n", encoding="utf-8")
    _drop(page, csv)
    page.get_by_text("Tiedosto on CSV-tekstiä, ei työkirja").wait_for(timeout=60_000)
    assert page.get_by_text("not allowed").count() == 0
    page.screenshot(path=str(ARTIFACTS / "upload_csv_fi.png"))
    _no_error(page)
    page.close()
