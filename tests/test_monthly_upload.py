"""The monthly upload as staff do it: every "Why" case of the monthly-upload issue, on the page (AppTest)
and in the CLI (a subprocess), with hand-counted expectations."""

import datetime as dt
import io
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import CONTACT_HEADER, TODAY, excel_style_xlsx, ods_bytes, xlsx_bytes
from streamlit.testing.v1 import AppTest

from vvr_metrics import store
from vvr_metrics.uploads import commit_uploads, prepare_upload

ROOT = Path(__file__).resolve().parent.parent
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
D = dt.date


def page(db_path: Path) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90).run()
    at.switch_page("pages/upload.py").run()
    assert not at.exception
    return at


def drop(at: AppTest, name: str, data: bytes) -> AppTest:
    at.file_uploader(key=f"upload_files_{at.session_state['upload_round']}").set_value((name, data, XLSX)).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def click(at: AppTest, name: str) -> AppTest:
    at.button(key=f"{name}_{at.session_state['upload_round']}").click().run()
    assert not at.exception
    return at


def cli(*args, db: Path, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "vvr_metrics", *args, "--db", str(db)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def texts(at: AppTest) -> str:
    parts = [
        e.value
        for kind in ("text", "warning", "error", "info", "success", "markdown", "caption")
        for e in getattr(at, kind)
    ]
    return "\n".join(str(p) for p in parts).replace("\\", "")  # Markdown escapes off


def contacts(month: int, n: int, municipality="Heinola", first=1, note="") -> list[list]:
    return [
        [D(2012, month, d), municipality, "Yritys", None, f"{municipality[:2]}{month}-{d}", f"{note}{d}"]
        for d in range(first, first + n)
    ]


@pytest.fixture
def real_store(db):
    """A store with one real source, so that no example data is loaded."""
    plans = [
        prepare_upload(
            xlsx_bytes({"Hankkeet": [["Pvm", "Hanke"], ["1.2.2013", "Passi"]]}), "hankkeet.xlsx", db, today=TODAY
        )
    ]
    commit_uploads(plans, db)
    return db


# 1. Malformed sheets never crash the page or the CLI; the message names the missing columns.
MALFORMED = {
    "misspelt_header": (
        {"Kontaktit": [["Pvm", "Kunta", "Kontakti tyyppi"], ["2.1.2012", "Heinola", "Yritys"]]},
        "Kontaktityyppi",
    ),
    "only_date_and_municipality": ({"Kontaktit": [["Pvm", "Kunta"], ["2.1.2012", "Heinola"]]}, "Kontaktityyppi"),
    "projects_without_name": ({"Hankkeet": [["Pvm", "Kunta"], ["2.1.2012", "Heinola"]]}, "Hanke"),
    "empty_jobs_sheet": ({"Työpaikat": [[None]], "Hankkeet": [["Pvm", "Hanke"], ["1.2.2013", "X"]]}, None),
}


@pytest.mark.parametrize("case", list(MALFORMED))
def test_malformed_sheets_get_a_message_on_the_page_and_in_the_cli(case, real_store, tmp_path):
    sheets, missing = MALFORMED[case]
    data = xlsx_bytes(sheets)
    at = drop(page(real_store), f"{case}.xlsx", data)
    shown = texts(at) + str([d.value for d in at.dataframe])
    if missing:
        assert f"Pakolliset sarakkeet puuttuvat: {missing}" in shown
    path = tmp_path / f"{case}.xlsx"
    path.write_bytes(data)
    done = cli("ingest", str(path), "--dry-run", db=real_store)
    assert "Traceback" not in done.stderr and done.returncode in (0, 1)
    if missing:
        assert f"Pakolliset sarakkeet puuttuvat: {missing}" in done.stderr and done.returncode == 1


# 2. Source identity: a growing workbook replaces, monthly files add up; overlap ignores free text.
def test_growing_workbook_under_changing_file_names_replaces_its_source(real_store):
    at = page(real_store)
    rows = contacts(1, 10)
    drop(at, "Heinola_seuranta.v1.xlsx", xlsx_bytes({"Kontaktit": [CONTACT_HEADER, *rows]}))
    click(at, "confirm_upload")
    for month, name in ((2, "Heinola_seuranta.xlsx"), (3, "Heinola_seuranta (2).xlsx")):
        rows = rows + contacts(month, 10)
        # staff rewrote every note: free text must not hide that the records are the same
        edited = [r[:5] + [f"muokattu {month}"] for r in rows]
        drop(at, name, xlsx_bytes({"Kontaktit": [CONTACT_HEADER, *edited]}))
        assert at.text_input(key=f"source_{at.session_state['upload_round']}_0").value == "Heinola_seuranta.v1"
        click(at, "confirm_upload")
    active = store.active_sources(real_store)
    assert sorted(active["source"]) == ["Heinola_seuranta.v1", "hankkeet"]
    assert int(active.loc[active["source"] == "Heinola_seuranta.v1", "rows_stored"].iloc[0]) == 30  # 3 × 10


def test_a_new_file_each_month_adds_up_and_only_asks_about_the_name(real_store):
    at = page(real_store)
    for month in (5, 6, 7):
        drop(at, f"Heinola_2012-{month:02d}.xlsx", xlsx_bytes({"Kontaktit": [CONTACT_HEADER, *contacts(month, 4)]}))
        assert at.text_input(key=f"source_{at.session_state['upload_round']}_0").value == f"Heinola_2012-{month:02d}"
        if month > 5:  # the name matches once the month is stripped: a question, never the default
            assert "Onko tämä sen uusi versio?" in texts(at)
        click(at, "confirm_upload")
    assert sorted(store.active_sources(real_store)["source"]) == [
        "Heinola_2012-05",
        "Heinola_2012-06",
        "Heinola_2012-07",
        "hankkeet",
    ]
    with store.connect(real_store) as con:
        assert con.execute("SELECT count(*) FROM contacts").fetchall() == [(12,)]


def test_overlap_warning_is_prominent_and_offers_replace(real_store):
    at = page(real_store)
    drop(at, "Sysma.xlsx", xlsx_bytes({"Kontaktit": [CONTACT_HEADER, *contacts(1, 10, "Sysmä")]}))
    click(at, "confirm_upload")
    # 3 of 10 stored records reappear (under 50 %: not the default), 3 of 5 new ones overlap (over 20 %)
    drop(
        at, "muut.xlsx", xlsx_bytes({"Kontaktit": [CONTACT_HEADER, *contacts(1, 3, "Sysmä"), *contacts(2, 2, "Sysmä")]})
    )
    field = f"source_{at.session_state['upload_round']}_0"
    assert at.text_input(key=field).value == "muut"
    assert any("60 %" in w.value and "Sysma" in w.value for w in at.warning)
    at.button(key=f"ovl_{at.session_state['upload_round']}_0_Sysma").click().run()
    assert at.text_input(key=field).value == "Sysma"
    assert any('korvaa lähteen "Sysma" version 1' in t.value for t in at.text)


def test_cli_prints_the_suggestion_as_a_warning(real_store, tmp_path):
    first, second = tmp_path / "Hartola_seuranta.v1.xlsx", tmp_path / "Hartola_seuranta.xlsx"
    first.write_bytes(xlsx_bytes({"Kontaktit": [CONTACT_HEADER, *contacts(1, 4, "Hartola")]}))
    second.write_bytes(
        xlsx_bytes({"Kontaktit": [CONTACT_HEADER, *contacts(1, 4, "Hartola"), *contacts(2, 1, "Hartola")]})
    )
    assert cli("ingest", str(first), db=real_store).returncode == 0
    done = cli("ingest", str(second), "--dry-run", db=real_store)
    assert 'näyttää lähteen "Hartola_seuranta.v1" uudelta versiolta (100 %' in done.stderr
    assert "--source Hartola_seuranta.v1" in done.stderr and done.returncode == 1  # tests/test_renamed_workbook.py


# 3. Example data never mixes with real data.
def test_first_real_upload_removes_the_example_data_in_the_same_step(db):
    at = page(db)
    assert store.status(db).example_data
    drop(
        at, "Sysma_2014-06.xlsx", xlsx_bytes({"Työpaikat": [["Pvm", "Kunta", "Sukupuoli"], ["2.6.2014", "Sysmä", "N"]]})
    )
    assert "esimerkkiaineistoa" in texts(at)
    assert at.checkbox(key="remove_example_0").value is True
    change = next(d.value for d in at.dataframe if "Tallennuksen jälkeen" in d.value.columns)
    jobs = change[change["Indikaattori"] == "Uudet työpaikat"].iloc[0]
    assert (jobs["Nyt"], jobs["Tallennuksen jälkeen"]) == ("72", "1")  # example 72 goes, the real 1 comes
    click(at, "confirm_upload")
    assert list(store.active_sources(db)["source"]) == ["Sysma_2014-06"]
    assert not store.status(db).example_data
    at.run()
    assert not any("ESIMERKKIAINEISTO" in w.value for w in at.sidebar.warning)


def test_one_click_removes_the_example_data(db):
    at = page(db)
    at.button(key="remove_example_now").click().run()
    assert not store.status(db).example_data and store.active_sources(db).empty


# 4. A replace shows what goes away.
def test_replace_lists_a_missing_sheet_and_offers_its_rows(real_store, tmp_path):
    both = {
        "Kontaktit": [CONTACT_HEADER, *contacts(1, 3)],
        "Rahoitus": [["Pvm", "Lähde", "Summa"], ["3/2012", "Kunta", 100], ["4/2012", "Kunta", 50]],
    }
    at = page(real_store)
    drop(at, "Heinola.xlsx", xlsx_bytes(both))
    click(at, "confirm_upload")
    renamed = {"Kontaktit": both["Kontaktit"], "Vanha rahoitus": both["Rahoitus"]}  # not a known name any more
    drop(at, "Heinola.xlsx", xlsx_bytes(renamed))
    assert "Rahoitus: 2 riviä poistuu, koska taulukko puuttuu uudesta versiosta." in texts(at)
    removed = at.get("download_button")
    assert any("Lataa poistuvat rivit (2" in b.proto.label for b in removed)
    plan = prepare_upload(xlsx_bytes(renamed), "Heinola.xlsx", real_store, today=TODAY, source="Heinola")
    from openpyxl import load_workbook

    from vvr_metrics.exports import removed_rows_xlsx

    wb = load_workbook(io.BytesIO(removed_rows_xlsx(plan)))
    assert [[c.value for c in row] for row in wb["Rahoitus"].iter_rows()] == [
        ["Pvm", "Lähde", "Summa", "Kunta"],
        [dt.datetime(2012, 3, 1), "Kunta", 100, None],
        [dt.datetime(2012, 4, 1), "Kunta", 50, None],
    ]


def test_an_identical_upload_stores_nothing(real_store, tmp_path):
    data = xlsx_bytes({"Kontaktit": [CONTACT_HEADER, *contacts(1, 3)]})
    at = page(real_store)
    drop(at, "Heinola.xlsx", data)
    click(at, "confirm_upload")
    version = store.data_version(real_store)
    drop(at, "Heinola.xlsx", data)  # the same file dropped again is previewed again
    assert "mitään ei tallenneta" in texts(at)
    assert at.button(key=f"confirm_upload_{at.session_state['upload_round']}").disabled
    path = tmp_path / "Heinola.xlsx"
    path.write_bytes(data)
    done = cli("ingest", str(path), db=real_store)
    assert done.returncode == 0 and "mitään ei tallenneta" in done.stdout
    assert store.data_version(real_store) == version


# 5. Widgets that keep the user safe.
def test_drop_zone_is_cleared_and_a_stored_file_is_never_stored_again(real_store):
    at = page(real_store)
    drop(at, "Heinola.xlsx", xlsx_bytes({"Kontaktit": [CONTACT_HEADER, *contacts(1, 3)]}))
    click(at, "confirm_upload")
    round_now = at.session_state["upload_round"]
    assert at.file_uploader(key=f"upload_files_{round_now}").value in (None, [])
    at.run()
    at.run()
    assert len(store.history(real_store)) == 2  # hankkeet + Heinola, nothing stored twice


def test_delete_twice_needs_two_confirmations(real_store):
    at = page(real_store)
    drop(at, "A.xlsx", xlsx_bytes({"Kontaktit": [CONTACT_HEADER, *contacts(1, 1)]}))
    click(at, "confirm_upload")
    at.selectbox(key="delete_source").set_value("A").run()
    at.checkbox(key=f"delete_confirm_{at.session_state['confirm_nonce']}_A").check().run()
    at.button(key="delete_button").click().run()
    assert sorted(store.active_sources(real_store)["source"]) == ["hankkeet"]
    at.selectbox(key="delete_source").set_value("hankkeet").run()
    at.button(key="delete_button").click().run()  # no new tick: nothing happens
    assert sorted(store.active_sources(real_store)["source"]) == ["hankkeet"]
    assert "Rastita ensin" in texts(at)


def test_a_tick_never_carries_over_to_another_source_after_another_session_deleted(sample_db, tmp_path, monkeypatch):
    path = tmp_path / "two.duckdb"
    shutil.copy(sample_db, path)
    monkeypatch.setenv("VVR_DB", str(path))
    first = page(path)
    first.selectbox(key="delete_source").set_value("Tavoitteet").run()
    first.checkbox(key=f"delete_confirm_{first.session_state['confirm_nonce']}_Tavoitteet").check().run()
    store.delete_source(path, "Tavoitteet", actor="staff")  # another session, meanwhile
    first.button(key="delete_button").click().run()
    assert not first.exception
    assert "Hartola_seuranta_2011-2014" in set(store.active_sources(path)["source"])
    # the store itself refuses a target that changed since the page was drawn
    active = store.active_sources(path).set_index("source")["upload_id"]
    with pytest.raises(store.StaleUpload):
        store.delete_source(
            path, "Hartola_seuranta_2011-2014", expected_upload=int(active["Hartola_seuranta_2011-2014"]) + 99
        )


def test_busy_store_is_exit_2_with_a_message_in_every_command(real_store, tmp_path):
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            ("import duckdb, sys, time; con = duckdb.connect(sys.argv[1]); print('held', flush=True); time.sleep(40)"),
            str(real_store),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        path = tmp_path / "x.xlsx"
        path.write_bytes(xlsx_bytes({"Kontaktit": [CONTACT_HEADER, *contacts(1, 1)]}))
        env_fast = {"VVR_LOCK_TIMEOUT": "1"}
        import os

        for args in (["ingest", str(path)], ["restore", "hankkeet", "1"], ["delete", "hankkeet"], ["indicators"]):
            done = subprocess.run(
                [sys.executable, "-m", "vvr_metrics", *args, "--db", str(real_store)],
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=60,
                env={**os.environ, **env_fast},
            )
            assert done.returncode == 2 and "varattu" in done.stderr and "Traceback" not in done.stderr, args
    finally:
        holder.kill()
        holder.wait()


# 6. Personal data and uploaded text.
@pytest.mark.parametrize("where", ["file_name", "source", "sheet_name", "comment"])
def test_hetu_in_names_and_comments_blocks_and_is_never_stored(where, real_store, tmp_path):
    hetu = "131052-308T"
    sheets = {"Kontaktit": [CONTACT_HEADER, *contacts(1, 1)]}
    name, args = "ok.xlsx", []
    if where == "file_name":
        name = f"asiakas {hetu}.xlsx"
    elif where == "source":
        args = ["--source", f"lista {hetu}"]
    elif where == "sheet_name":
        sheets[f"Muistio {hetu}"] = [["x"]]
    path = tmp_path / name
    data = xlsx_bytes(sheets)
    if where == "comment":
        from openpyxl import load_workbook
        from openpyxl.comments import Comment

        wb = load_workbook(io.BytesIO(data))
        wb["Kontaktit"]["F2"].comment = Comment(f"soita {hetu}", "x")
        buf = io.BytesIO()
        wb.save(buf)
        data = buf.getvalue()
    path.write_bytes(data)
    done = cli("ingest", str(path), *args, db=real_store)
    assert done.returncode == 2 and "henkilötunnukselta näyttävä" in done.stderr
    assert "308T" not in done.stderr + done.stdout
    with store.connect(real_store) as con:
        everything = str(
            con.execute("SELECT * FROM uploads").fetchall()
            + con.execute("SELECT * FROM events").fetchall()
            + con.execute("SELECT * FROM sources").fetchall()
        )
    assert "308T" not in everything and len(store.history(real_store)) == 1


def test_address_columns_are_flagged_and_not_stored(real_store):
    rows = [CONTACT_HEADER + ["Katuosoite", "Postinumero"], [*contacts(1, 1)[0], "Kauppatie 1", "19600"]]
    plan = prepare_upload(xlsx_bytes({"Kontaktit": rows}), "a.xlsx", real_store, today=TODAY)
    warning = next(p for p in plan.warnings if p.code == "personal_data_columns")
    assert warning.params == (("value", "Katuosoite, Postinumero"),)


def test_control_characters_in_cells_are_escaped_in_the_cli(real_store, tmp_path):
    forged = "x_x001B_[2K\rTallennettu: kaikki\nrivi"
    path = tmp_path / "c.xlsx"
    path.write_bytes(excel_style_xlsx({"Kontaktit": [CONTACT_HEADER, ["2.1.2012", "Lahti", forged]]}))
    done = cli("ingest", str(path), "--dry-run", db=real_store)
    assert "\x1b" not in done.stderr and "\r" not in done.stderr
    assert "\\x1b[2K⏎Tallennettu: kaikki⏎rivi" in done.stderr


def test_a_file_name_is_never_markdown_on_the_page(real_store):
    at = drop(
        page(real_store),
        "[Istunto vanhentunut](https:evil.example).xlsx",
        xlsx_bytes({"Kontaktit": [CONTACT_HEADER, *contacts(1, 1)]}),
    )
    rendered = [m.value for m in at.markdown] + [w.value for w in at.warning] + [i.value for i in at.info]
    assert not any("](https:evil" in r for r in rendered)  # only as escaped text or st.text
    assert any("[Istunto vanhentunut](https:evil.example).xlsx" in t.value for t in at.text)


# 7. Robust reading: the hostile files of the issue, through the CLI and the page.
def _one_cell_at(ref: str) -> bytes:
    """A stray value typed at the end of the grid (its row and cell tags as Excel writes them)."""
    src = zipfile.ZipFile(
        io.BytesIO(excel_style_xlsx({"Kontaktit": [CONTACT_HEADER, ["2.1.2012", "Heinola", "Yritys"]]}))
    )
    sheet = src.read("xl/worksheets/sheet1.xml").replace(
        b"</sheetData>", f'<row r="{ref[3:]}"><c r="{ref}"><v>1</v></c></row></sheetData>'.encode(), 1
    )
    return _rezip(src, {"xl/worksheets/sheet1.xml": sheet})


def _ods_repeated() -> bytes:
    data = ods_bytes({"Kontaktit": [CONTACT_HEADER, ["2.1.2012", "Heinola", "Yritys"]]})
    src = zipfile.ZipFile(io.BytesIO(data))
    content = src.read("content.xml").replace(
        b"</table:table>",
        (
            b'<table:table-row table:number-rows-repeated="2000"><table:table-cell table:number-columns-repeated="16000" '
            b'office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell></table:table-row>'
            b"</table:table>"
        ),
        1,
    )
    return _rezip(src, {"content.xml": content})


def _rezip(src: zipfile.ZipFile, replace: dict) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, replace.get(info.filename, src.read(info)))
    return out.getvalue()


def _huge_shared_strings() -> bytes:
    data = excel_style_xlsx({"Kontaktit": [CONTACT_HEADER, ["2.1.2012", "Heinola", "Yritys"]]})
    src = zipfile.ZipFile(io.BytesIO(data))
    body = src.read("xl/sharedStrings.xml")
    big = b"<si><t>" + b"a" * (700 * 2**20 // 8) + b"</t></si>"
    return _rezip(src, {"xl/sharedStrings.xml": body.replace(b"</sst>", big * 8 + b"</sst>")})


def _lying_zip() -> bytes:
    data = bytearray(excel_style_xlsx({"Kontaktit": [CONTACT_HEADER, ["2.1.2012", "Heinola", "Yritys"]]}))
    # claim a tiny uncompressed size in every central-directory entry
    pos = 0
    while (pos := data.find(b"PK\x01\x02", pos)) >= 0:
        data[pos + 24 : pos + 28] = (10).to_bytes(4, "little")
        pos += 4
    return bytes(data)


def _quadratic(kind: str) -> bytes:
    data = excel_style_xlsx({"Kontaktit": [CONTACT_HEADER, ["2.1.2012", "Heinola", "Yritys"]]})
    src = zipfile.ZipFile(io.BytesIO(data))
    if kind == "error":  # many error-typed cells that never close: the old pattern rescanned to the end each time
        sheet = src.read("xl/worksheets/sheet1.xml").replace(
            b"</sheetData>", b'<c r="A9" t="e">' * 20_000 + b"</sheetData>"
        )
        return _rezip(src, {"xl/worksheets/sheet1.xml": sheet})
    if kind == "attributes":  # one cell tag with many r= and t="e" attributes that never closes
        sheet = src.read("xl/worksheets/sheet1.xml").replace(
            b"</sheetData>", b"<c" + b' r="A1" t="e"' * 40_000 + b"</sheetData>"
        )
        return _rezip(src, {"xl/worksheets/sheet1.xml": sheet})
    rels = src.read("xl/_rels/workbook.xml.rels").replace(
        b"</Relationships>", b'<Relationship Id="x" ' * 20_000 + b"</Relationships>"
    )
    return _rezip(src, {"xl/_rels/workbook.xml.rels": rels})


# Runs a command and prints the peak memory (kB) of it and everything it started, on the last stderr line.
PEAK = (
    "import resource, subprocess, sys; r = subprocess.run(sys.argv[1:]); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); sys.exit(r.returncode)"
)

HOSTILE = {
    "cell_at_XFD20000": (lambda: _one_cell_at("XFD20000"), "Kontaktit!XFD20000"),
    "cell_at_XFD2000": (lambda: _one_cell_at("XFD2000"), "Kontaktit!XFD2000"),
    "ods_repeated_cell": (_ods_repeated, "Kontaktit!"),
    "huge_shared_strings": (_huge_shared_strings, None),
    "lying_zip": (_lying_zip, None),
    "quadratic_error_cells": (lambda: _quadratic("error"), None),
    "quadratic_relationships": (lambda: _quadratic("rels"), None),
    "quadratic_attributes": (lambda: _quadratic("attributes"), None),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_files_get_a_message_in_the_cli_and_on_the_page(case, real_store, tmp_path):
    make, far = HOSTILE[case]
    data = make()
    path = tmp_path / f"{case}.xlsx"
    path.write_bytes(data)
    before = store.data_version(real_store)
    done = subprocess.run(
        [sys.executable, "-c", PEAK, sys.executable, "-m", "vvr_metrics", "ingest", str(path), "--db", str(real_store)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    peak_mb = int(done.stderr.strip().splitlines()[-1]) / 1024
    assert peak_mb < 1024
    assert done.returncode in (1, 2) and "Traceback" not in done.stderr and "panicked" not in done.stderr
    if far:
        assert far in done.stderr
    if case.startswith("quadratic"):  # a linear scan finishes: the reading is never cut off by the time limit
        assert "kesti yli" not in done.stderr
    at = drop(page(real_store), f"{case}.xlsx", data)
    assert at.error or at.warning
    assert store.data_version(real_store) == before


def test_a_stray_value_far_below_is_named_not_rejected(real_store):
    rows = [CONTACT_HEADER, *contacts(1, 2)] + [[None]] * 4996 + [[None] * 25 + ["x"]]
    plan = prepare_upload(xlsx_bytes({"Kontaktit": rows}), "a.xlsx", real_store, today=TODAY)
    assert plan.n_rejected == 0 and plan.sheets[0].rows == 2
    stray = next(p for p in plan.warnings if p.code == "stray_cells")
    assert "Z5000" in stray.message("fi")  # 1 header + 2 records + 4 996 blank rows: the stray row is 5 000


def test_a_sheet_named_with_a_year_is_read_and_the_preview_says_so(real_store):
    at = drop(
        page(real_store),
        "k.xlsx",
        xlsx_bytes(
            {
                "Kontaktit 2012": [CONTACT_HEADER, *contacts(1, 2)],
                "Rahoitus_2013": [["Pvm", "Lähde", "Summa"], ["3/2013", "Kunta", 5]],
            }
        ),
    )
    warnings = [w.value for w in at.warning]
    assert any("Kontaktit 2012" in w and "luetaan taulukkona Kontaktit" in w for w in warnings)
    assert any("Rahoitus\\_2013" in w or "Rahoitus_2013" in w for w in warnings)
    plan = prepare_upload(
        xlsx_bytes({"Kontaktit 2012": [CONTACT_HEADER, *contacts(1, 2)]}), "k.xlsx", real_store, today=TODAY
    )
    assert plan.sheets[0].table == "contacts" and plan.sheets[0].rows == 2


def test_hidden_rows_are_counted_with_a_notice(real_store):
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(xlsx_bytes({"Kontaktit": [CONTACT_HEADER, *contacts(1, 5)]})))
    for r in (3, 4):
        wb["Kontaktit"].row_dimensions[r].hidden = True
    buf = io.BytesIO()
    wb.save(buf)
    plan = prepare_upload(buf.getvalue(), "h.xlsx", real_store, today=TODAY)
    assert plan.sheets[0].rows == 5
    assert [p.params for p in plan.warnings if p.code == "hidden_rows"] == [(("n", 2),)]


# 9. Finnish everywhere: no None/nan, translated roles and actions.
def test_history_and_audit_show_words_not_codes(sample_db, tmp_path, monkeypatch):
    path = tmp_path / "h.duckdb"
    shutil.copy(sample_db, path)
    monkeypatch.setenv("VVR_DB", str(path))
    store.delete_source(path, "Tavoitteet", actor="staff")
    at = page(path)
    shown = " ".join(str(df.value.to_dict()) for df in at.dataframe)
    for raw in ("None", "nan", "'staff'", "'replace'", "'upload'", "'delete'"):
        assert raw not in shown, raw
    assert "projektityöntekijä" in shown and "poisto" in shown


# 11. The store under faults.
def test_a_corrupt_store_has_its_own_message_and_exit_code(tmp_path, monkeypatch):
    path = tmp_path / "bad.duckdb"
    path.write_bytes(b"x" * 5000)
    monkeypatch.setenv("VVR_DB", str(path))
    done = cli("indicators", db=path)
    assert done.returncode == 3 and "vioittunut" in done.stderr and "Traceback" not in done.stderr
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90).run()
    assert not at.exception
    assert any("vioittunut" in e.value for e in at.error)


def test_a_store_removed_while_running_is_not_recreated(real_store):
    at = page(real_store)
    real_store.unlink()
    at.run()
    assert not at.exception and any("puuttuu" in e.value for e in at.error)
    assert not real_store.exists()


def test_an_unexpected_page_error_shows_a_reference_not_a_traceback(real_store, monkeypatch, tmp_path):
    from vvr_metrics import progress

    monkeypatch.setenv("VVR_LOG", str(tmp_path / "errors.log"))
    monkeypatch.setattr(progress, "status_table", lambda *_, **__: 1 / 0)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90).run()  # the overview, in the frame
    assert not at.exception
    message = next(e.value for e in at.error if "viite" in e.value)
    ref = message.split("viite ")[1].split(")")[0]
    log = (tmp_path / "errors.log").read_text()
    assert ref in log and "ZeroDivisionError" in log
