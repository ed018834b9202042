"""Upload previews, warnings, the rejected-rows workbook, and blocked uploads storing nothing."""

import datetime as dt
import io
import zipfile

import pytest
from conftest import CONTACT_HEADER, TODAY, xlsx_bytes
from openpyxl import load_workbook

from vvr_metrics import store
from vvr_metrics.exports import write_rejected
from vvr_metrics.uploads import UploadRefused, commit_uploads, prepare_upload


def contact_rows(days, municipality="Heinola", kind="Yritys"):
    return [[dt.date(2012, 1, d), municipality, kind, None, f"C{d}", None] for d in days]


def test_preview_counts_added_removed_unchanged(db, ingest):
    ingest({"heinola.xlsx": xlsx_bytes({"Kontaktit": [CONTACT_HEADER, *contact_rows([2, 3, 4])]})})
    data = xlsx_bytes({"Kontaktit": [CONTACT_HEADER, *contact_rows([3, 4, 5, 6]), ["x", "Heinola", "Yritys"]]})
    plan = prepare_upload(data, "heinola.xlsx", db, today=TODAY)
    assert plan.previous_version == 1
    sheet = plan.sheets[0]
    assert (sheet.rows, sheet.added, sheet.removed, sheet.unchanged, sheet.rejected) == (4, 2, 1, 2, 1)
    # a preview stores nothing
    assert len(store.history(db)) == 1


def test_preview_reports_tables_the_new_version_drops(db, ingest):
    ingest(
        {
            "heinola.xlsx": xlsx_bytes(
                {
                    "Kontaktit": [CONTACT_HEADER, *contact_rows([2])],
                    "Hankkeet": [["Pvm", "Hanke"], ["1.2.2013", "Kesätyöpassi"]],
                }
            )
        }
    )
    plan = prepare_upload(
        xlsx_bytes({"Kontaktit": [CONTACT_HEADER, *contact_rows([2])]}), "heinola.xlsx", db, today=TODAY
    )
    assert plan.removed_tables == (("projects", 1),)


def test_overlap_with_another_source_is_warned(db, ingest):
    rows = [CONTACT_HEADER, *contact_rows([2, 3, 4, 5])]
    ingest({"heinola.xlsx": xlsx_bytes({"Kontaktit": rows})})
    plan = prepare_upload(
        xlsx_bytes({"Kontaktit": rows[:4]}), "heinola_kopio.xlsx", db, today=TODAY, source="heinola_kopio"
    )
    warning = next(p for p in plan.warnings if p.code == "overlap")
    assert "100 %" in warning.message("fi") and '"heinola"' in warning.message("fi")
    assert "counted twice" in warning.message("en")
    # a source that shares little is not warned about
    other = prepare_upload(
        xlsx_bytes({"Kontaktit": [CONTACT_HEADER, *contact_rows([2, 10, 11, 12, 13, 14])]}),
        "uusi.xlsx",
        db,
        today=TODAY,
    )  # 1 of 6 rows: under 20 %
    assert not [p for p in other.warnings if p.code == "overlap"]


def test_newer_target_from_another_source_is_announced(db, ingest):
    ingest({"tavoitteet.xlsx": xlsx_bytes({"Tavoitteet": [["Indikaattori", "Tavoite"], ["uudet_tyopaikat", 60]]})})
    plan = prepare_upload(
        xlsx_bytes({"Tavoitteet": [["Indikaattori", "Tavoite"], ["Uudet työpaikat", 65]]}),
        "muutos.xlsx",
        db,
        today=TODAY,
    )
    assert [(p.code, p.row) for p in plan.warnings] == [("target_overridden", 2)]


def test_rejected_rows_block_the_commit_unless_skipped(db):
    data = xlsx_bytes({"Kontaktit": [CONTACT_HEADER, *contact_rows([2]), ["huomenna", "Heinola", "Yritys"]]})
    plan = prepare_upload(data, "heinola.xlsx", db, today=TODAY)
    try:
        commit_uploads([plan], db)
        raise AssertionError("stored despite rejected rows")
    except UploadRefused:
        pass
    assert store.history(db).empty
    stored = commit_uploads([plan], db, skip_invalid=True)
    assert [(s.source, s.version, s.rows) for s in stored] == [("heinola", 1, 1)]
    assert store.history(db)["rows_rejected"].tolist() == [1]


def test_blocked_upload_stores_nothing(db, ingest):
    ingest({"heinola.xlsx": xlsx_bytes({"Kontaktit": [CONTACT_HEADER, *contact_rows([2])]})})
    before = store.data_version(db)
    rows = [CONTACT_HEADER, *contact_rows([3]), ["4.1.2012", "Heinola", "Työnhakija", "N", "010101-123N", None]]
    plan = prepare_upload(xlsx_bytes({"Kontaktit": rows}), "heinola.xlsx", db, today=TODAY)
    assert plan.blocked and plan.records == {}
    try:
        commit_uploads([plan], db, skip_invalid=True)
        raise AssertionError("blocked upload was stored")
    except UploadRefused:
        pass
    assert store.data_version(db) == before
    with store.connect(db) as con:
        texts = con.execute(
            "SELECT string_agg(coalesce(client_id, '') || coalesce(notes, '')) FROM contacts"
        ).fetchall()
    assert "010101" not in (texts[0][0] or "")


def test_rejected_rows_workbook_has_the_original_rows_and_an_error_column(db, tmp_path):
    rows = [
        ["Kontaktit 2012"],
        CONTACT_HEADER,
        *contact_rows([2]),
        ["31.2.2012", "Lahti", "Yritys", None, '=HYPERLINK("http://x")', "+plus"],
        ["3.1.2012", "Heinola", "Asiakas", None, "@SUM(1)", "-1"],
    ]
    plan = prepare_upload(xlsx_bytes({"Kontaktit": rows}), "heinola.xlsx", db, today=TODAY)
    out = tmp_path / "hylatyt.xlsx"
    assert write_rejected([plan], out) == 2
    ws = load_workbook(out)["Kontaktit"]
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert values[0] == [*CONTACT_HEADER, "Virhe", "Rivi"]
    assert values[1][1] == "Lahti" and values[1][7] == 4
    assert 'Tuntematon kunta "Lahti"' in values[1][6] and "Pvm:" in values[1][6]
    assert values[2][7] == 5
    # text that looks like a formula stays text
    with zipfile.ZipFile(out) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet
    assert values[1][4] == '=HYPERLINK("http://x")'


def test_rejected_rows_workbook_in_english(db):
    rows = [CONTACT_HEADER, ["31.2.2012", "Heinola", "Yritys"]]
    plan = prepare_upload(xlsx_bytes({"Kontaktit": rows}), "heinola.xlsx", db, today=TODAY)
    buf = io.BytesIO()
    write_rejected([plan], buf, lang="en")
    ws = load_workbook(io.BytesIO(buf.getvalue())).active
    assert ws.cell(1, 7).value == "Error"
    assert "Not a valid date" in ws.cell(2, 7).value


def test_unreadable_file_becomes_a_blocked_plan(db):
    plan = prepare_upload(b"Pvm;Kunta\n", "kontaktit.xlsx", db)
    assert plan.blocked
    assert plan.problems[0].line("fi").startswith("kontaktit.xlsx: Tiedosto on CSV-tekstiä, ei työkirja")


def _whole(db) -> dict:
    from vvr_metrics.indicators import indicator_table

    table = indicator_table(db, include_empty=True)
    return dict(zip(table["indicator"], table["actual"].astype(float)))


def test_the_preview_of_the_change_equals_the_figures_after_storing(db, ingest):
    """The preview's before and after (computed in pandas from the new records) against the indicator table
    (DuckDB) before and after the commit. By hand: Heinola had 3 company contacts of 3 companies; its new version
    has 4 contacts of 2 companies (C1 twice), and a new source adds 2 jobs and a partner contact."""
    from vvr_metrics.uploads import KEY_INDICATORS, indicator_change

    def contacts(clients, kind="Yritys"):
        return [[dt.date(2012, 1, 2 + i), "Heinola", kind, None, c] for i, c in enumerate(clients)]

    ingest({"Heinola.xlsx": xlsx_bytes({"Kontaktit": [CONTACT_HEADER, *contacts(["C1", "C2", "C3"])]})})
    before = _whole(db)
    plans = [
        prepare_upload(
            xlsx_bytes({"Kontaktit": [CONTACT_HEADER, *contacts(["C1", "C1", "C2", "C2 "])]}),
            "Heinola.xlsx",
            db,
            source="Heinola",
        ),
        prepare_upload(
            xlsx_bytes(
                {
                    "Työpaikat": [["Pvm", "Kunta"], ["2.1.2012", "Sysmä"], ["3.1.2012", "Sysmä"]],
                    "Kontaktit": [CONTACT_HEADER, *contacts(["K1"], "Kumppani")],
                }
            ),
            "Sysma.xlsx",
            db,
        ),
    ]
    change = indicator_change(plans, db).set_index("indicator")
    assert list(change.index) == list(KEY_INDICATORS)
    hand = {
        "yrityskontaktit": (3, 4),
        "palvellut_yritykset": (3, 2),
        "uudet_tyopaikat": (0, 2),
        "kumppanikontaktit": (0, 1),
    }
    for code, (was, will) in hand.items():
        assert (change.at[code, "before"], change.at[code, "after"]) == (was, will), code
    assert change.drop(index=list(hand))[["before", "after"]].eq(0.0).all().all()
    commit_uploads(plans, db)
    after = _whole(db)
    for code in KEY_INDICATORS:
        assert change.at[code, "before"] == before.get(code, 0.0) and change.at[code, "after"] == after.get(
            code, 0.0
        ), code


def test_the_preview_leaves_out_identical_uploads_and_the_example_data_it_replaces(sample_db, tmp_path):
    import shutil

    from vvr_metrics.uploads import indicator_change

    db = tmp_path / "s.duckdb"
    shutil.copy(sample_db, db)
    example = prepare_upload(
        xlsx_bytes({"Työpaikat": [["Pvm", "Kunta"], ["5.1.2012", "Hartola"]] * 1}), "esim.xlsx", db
    )
    commit_uploads([example], db, actor=store.EXAMPLE_ACTOR)  # one more source, as the example data is stored
    new = prepare_upload(xlsx_bytes({"Työpaikat": [["Pvm", "Kunta"], ["2.1.2012", "Sysmä"]]}), "oma.xlsx", db)
    change = indicator_change([new], db, remove_example=True).set_index("indicator")
    assert (change.at["uudet_tyopaikat", "before"], change.at["uudet_tyopaikat", "after"]) == (73.0, 73.0)  # −1 +1
    kept = indicator_change([new], db).set_index("indicator")
    assert kept.at["uudet_tyopaikat", "after"] == 74.0
    from vvr_metrics.sample import sample_files

    first = sample_files()[0]
    same = prepare_upload(first.read_bytes(), first.name, db, today=TODAY, isolate=False)
    assert same.identical
    unchanged = indicator_change([same], db)
    assert unchanged["before"].tolist() == unchanged["after"].tolist()
    assert unchanged.set_index("indicator").at["uudet_tyopaikat", "after"] == 73.0  # 72 and the example one


def test_an_identical_plan_first_does_not_hide_the_others_from_the_preview(db, ingest):
    from vvr_metrics.uploads import indicator_change

    jobs = xlsx_bytes({"Työpaikat": [["Pvm", "Kunta"], ["2.1.2012", "Sysmä"]]})
    ingest({"a.xlsx": jobs})
    same = prepare_upload(jobs, "a.xlsx", db, isolate=False)
    new = prepare_upload(
        xlsx_bytes({"Työpaikat": [["Pvm", "Kunta"], ["3.1.2012", "Hartola"]]}), "b.xlsx", db, isolate=False
    )
    assert same.identical and not new.identical
    change = indicator_change([same, new], db).set_index("indicator")
    assert (change.at["uudet_tyopaikat", "before"], change.at["uudet_tyopaikat", "after"]) == (1.0, 2.0)


JOBS = ["Pvm", "Kunta", "Sukupuoli", "Tuettu", "Työnantaja"]


def _counts(db, rows, title=None):
    data = xlsx_bytes({"Työpaikat": ([[title]] if title else []) + [JOBS, *rows]})
    plan = prepare_upload(data, "Hartola.xlsx", db, source="Hartola", isolate=False)
    sheet = plan.sheets[0]
    return sheet.added, sheet.removed, sheet.unchanged


def test_a_new_version_is_compared_record_by_record_on_every_field(db, ingest):
    """Two jobs stored. The same two written otherwise (a title row above, a date cell for a text date, 'ei' for
    'E') are unchanged; a record that differs in one field only (its date, its municipality, its flag, its text)
    is one removed and one added; a record given twice is one more, and one of two is one removed."""
    rows = [["2.1.2012", "Hartola", "N", "E", "Oy A"], ["3.1.2012", "Hartola", "M", "K", "Oy B"]]
    ingest({"Hartola.xlsx": xlsx_bytes({"Työpaikat": [JOBS, *rows]})}, source="Hartola")
    assert _counts(db, rows, title="Työpaikat 2012") == (0, 0, 2)
    assert _counts(db, [[dt.date(2012, 1, 2), "hartola", "nainen", "ei", "Oy A"], rows[1]]) == (0, 0, 2)
    assert _counts(db, [["9.1.2012", *rows[0][1:]], rows[1]]) == (1, 1, 1)  # the date
    assert _counts(db, [[rows[0][0], "Sysmä", *rows[0][2:]], rows[1]]) == (1, 1, 1)  # the first text field
    assert _counts(db, [[*rows[0][:3], "K", "Oy A"], rows[1]]) == (1, 1, 1)  # the flag
    assert _counts(db, [[*rows[0][:4], "Oy C"], rows[1]]) == (1, 1, 1)  # the last field
    assert _counts(db, [rows[0], rows[0], rows[1]]) == (1, 0, 2)
    assert _counts(db, [rows[1]]) == (0, 1, 1)


def test_duplicates_are_counted_one_for_one(db, ingest):
    row = ["2.1.2012", "Hartola", "N", "E", "Oy A"]
    ingest({"Hartola.xlsx": xlsx_bytes({"Työpaikat": [JOBS, row, row, row]})}, source="Hartola")
    assert _counts(db, [row]) == (0, 2, 1)
    assert _counts(db, [row, row]) == (0, 1, 2)
    assert _counts(db, [row] * 4) == (1, 0, 3)


def test_amounts_are_compared_to_the_cent(db, ingest):
    header = ["Pvm", "Lähde", "Summa"]
    ingest(
        {"r.xlsx": xlsx_bytes({"Rahoitus": [header, ["3/2012", "Kunta", 100.5], ["4/2012", "Kunta", 20]]})}, source="r"
    )
    plan = prepare_upload(
        xlsx_bytes({"Rahoitus": [header, ["3/2012", "Kunta", "100,50 €"], ["4/2012", "Kunta", 20.01]]}),
        "r.xlsx",
        db,
        source="r",
        isolate=False,
    )
    sheet = plan.sheets[0]
    assert (sheet.added, sheet.removed, sheet.unchanged) == (1, 1, 1)


def test_the_preview_of_a_workbook_sheet_by_sheet(db):
    """Read in this process (the fixtures read in the child, where `make mutation` cannot see): what each sheet
    adds and rejects, its header row and totals rows, the sheets left out, and a file that is no workbook."""
    data = xlsx_bytes(
        {
            "Kontaktit": [
                ["Seuranta 2012"],
                CONTACT_HEADER + ["Muu"],
                ["2.1.2012", "Hartola", "Yritys"],
                ["x", "Hartola", "Yritys"],
                ["Yhteensä", None, None, None, 1],
            ],
            "Ohjeet": [["Lue tämä"]],
        }
    )
    plan = prepare_upload(data, "Hartola.xlsx", db, isolate=False)
    (sheet,) = plan.sheets
    assert (sheet.sheet, sheet.table, sheet.header_row, sheet.rows, sheet.added, sheet.rejected, sheet.totals_rows) == (
        "Kontaktit", "contacts", 2, 1, 1, 1, 1
    )  # fmt: skip
    assert sheet.unknown_columns == ("Muu",) and not sheet.failed
    assert plan.ignored_sheets == ("Ohjeet",) and plan.file_sha256 == __import__("hashlib").sha256(data).hexdigest()
    assert [(p.code, p.sheet, p.row, p.severity) for p in plan.problems] == [
        ("unknown_columns", "Kontaktit", 2, "warning"),
        ("bad_date", "Kontaktit", 4, "error"),
        ("ignored_sheet", "Ohjeet", None, "warning"),
    ]
    assert [(sheet_name, rej.row, header[:2]) for sheet_name, header, rej in plan.rejected] == [
        ("Kontaktit", 4, ("Pvm", "Kunta"))
    ]
    assert list(plan.records["contacts"]["municipality"]) == ["Hartola"]
    broken = prepare_upload(b"PK\x03\x04 not really", "rikki 131052-308T.xlsx", db, isolate=False)
    assert broken.blocked and [(p.file, p.code, p.severity) for p in broken.problems] == [
        ("rikki 131052….xlsx", "corrupt", "blocker")
    ]


def test_an_ambiguous_amount_rejects_its_row_with_its_place_and_nothing_is_stored(db):
    """``1.234`` in Summa was stored as 1,23 € without a word; now the row is rejected and the message says where
    and gives both readings."""
    from conftest import TODAY, xlsx_bytes

    rows = [["Pvm", "Lähde", "Summa"], ["3/2012", "Kunta", "1 000,00"], ["4/2012", "Kunta", "1.234"]]
    plan = prepare_upload(xlsx_bytes({"Rahoitus": rows}), "r.xlsx", db, today=TODAY)
    assert plan.has_rejections and len(plan.rejected) == 1
    problem = next(p for p in plan.problems if p.code == "ambiguous_number")
    assert (problem.sheet, problem.row, problem.column) == ("Rahoitus", 3, "Summa")
    assert problem.line("fi") == (
        'r.xlsx: Rahoitus, rivi 3, sarake Summa: Luku "1.234" on moniselitteinen: 1,234 vai 1 234? '
        "Kirjoita desimaalit pilkulla ja tuhannet välilyönnillä (1 234,56)."
    )


@pytest.mark.parametrize(
    ("written", "shown"),
    [("H\u0435inola", "H\\u0435inola"), ("Heinola\u200b", "Heinola\\u200b"), ("Hei\u00a0nola", "Hei\\u00a0nola")],
)
def test_a_message_shows_what_is_invisible_in_a_cell(db, written, shown):
    """A Cyrillic "е" or a zero-width space made "Tuntematon kunta "Heinola"" useless: it is written as its code."""
    from conftest import CONTACT_HEADER, TODAY, xlsx_bytes

    rows = [CONTACT_HEADER, ["2.1.2012", written, "Yritys"]]
    plan = prepare_upload(xlsx_bytes({"Kontaktit": rows}), "k.xlsx", db, today=TODAY)
    problem = next(p for p in plan.problems if p.code == "bad_municipality")
    assert f'Tuntematon kunta "{shown}" (sallitut: Hartola, Heinola, Sysmä)' in problem.line("fi")
    assert f'"{shown}"' in problem.line("en")
