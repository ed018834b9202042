"""Sheets as staff keep them: recognition, header detection, aliases, totals rows, errors."""

import datetime as dt

import pytest
from conftest import CONTACT_HEADER, TODAY, excel_style_xlsx, ods_bytes, xlsx_bytes

from vvr_metrics.reading import parse_workbook
from vvr_metrics.validation import BLOCKER
from vvr_metrics.workbook_reader import read_workbook


def parse(data: bytes, settings, name="seuranta.xlsx"):
    return parse_workbook(read_workbook(data, name, settings), settings, TODAY)


def one_sheet(parsed):
    assert len(parsed.sheets) == 1
    return parsed.sheets[0]


@pytest.mark.parametrize("sheet_name", ["Kontaktit", "kontaktit", "  KONTAKTIT ", "Contacts", "contacts"])
def test_sheets_are_recognised_by_finnish_or_english_name(sheet_name, settings):
    data = xlsx_bytes({sheet_name: [CONTACT_HEADER, [dt.date(2012, 1, 2), "Heinola", "Yritys"]]})
    sheet = one_sheet(parse(data, settings))
    assert sheet.spec.table == "contacts"
    assert len(sheet.records) == 1


def test_other_sheets_are_ignored_and_listed(settings):
    data = xlsx_bytes({"Ohjeet": [["Lue tämä"]], "Pivot": [["x"]], "Työpaikat": [["Pvm", "Kunta"]]})
    parsed = parse(data, settings)
    assert parsed.ignored_sheets == ["Ohjeet", "Pivot"]
    assert [s.spec.table for s in parsed.sheets] == ["jobs"]


def test_header_below_title_rows_with_aliases_in_any_order(settings):
    rows = [
        ["Yrityskontaktit 2012"],
        ["Täyttäjä: projektityöntekijä"],
        [],
        ["client_id", "CONTACT  TYPE", "municipality", "Date", "Puhelin"],
        ["081", "employer", "Heinola", "2.1.2012", "040 123"],
        [None, "Jobseeker", "sysma", dt.date(2012, 1, 3), None],
    ]
    sheet = one_sheet(parse(xlsx_bytes({"Contacts": rows}), settings))
    assert sheet.header_row == 4
    assert sheet.unknown_columns == ["Puhelin"]
    assert [
        (r["source_row"], r["day"], r["municipality"], r["contact_type"], r["client_id"]) for r in sheet.records
    ] == [
        (5, dt.date(2012, 1, 2), "Heinola", "Yritys", "081"),
        (6, dt.date(2012, 1, 3), "Sysmä", "Työnhakija", None),
    ]
    # unknown columns are never part of a record
    assert all("Puhelin" not in r and "puhelin" not in r for r in sheet.records)


@pytest.mark.parametrize(
    "header",
    [
        ["pvm", "kunta", "kontaktityyppi"],
        ["PVM", "KUNTA", "KONTAKTI TYYPPI"],
        ["Pvm", "Kunta", "kontaktityyppi "],
        ["Date", "Municipality", "Contact_type"],
    ],
)
def test_header_matching_folds_case_spaces_and_underscores(header, settings):
    sheet = one_sheet(parse(xlsx_bytes({"Kontaktit": [header, ["2.1.2012", "Hartola", "Kumppani"]]}), settings))
    if sheet.header_row is None:  # "KONTAKTI TYYPPI" is not an alias: a space inside a word is a different header
        assert header[2] == "KONTAKTI TYYPPI"
        assert sheet.problems[0].code == "missing_columns"
    else:
        assert sheet.records[0]["contact_type"] == "Yhteistyökumppani"


@pytest.mark.parametrize("label", ["Yhteensä", "YHTEENSÄ", "Yht.", "Total", "Summa", "Yhteensä:"])
def test_totals_rows_are_never_records(label, settings):
    rows = [CONTACT_HEADER, ["2.1.2012", "Hartola", "Yritys"], [], [label, None, None, None, 1]]
    sheet = one_sheet(parse(xlsx_bytes({"Kontaktit": rows}), settings))
    assert len(sheet.records) == 1
    assert sheet.rejected == []
    assert sheet.totals_rows == [4]


def test_sum_formula_rows_are_totals_even_without_a_label(settings):
    rows = [
        ["Pvm", "Lähde", "Summa"],
        ["3/2012", "EU ja valtio", 100.5],
        ["4/2012", "Kunta", 50],
        [None, None, ("=SUM(C2:C3)", 150.5)],
    ]
    sheet = one_sheet(parse(excel_style_xlsx({"Rahoitus": rows}), settings))
    assert [r["amount"] for r in sheet.records] == [100.5, 50.0]
    assert sheet.totals_rows == [4]


def test_real_excel_file_with_shared_strings_and_cached_formulas(settings):
    rows = [
        ["Työpaikat 2013"],
        ["Pvm", "Kunta", "Sukupuoli", "Uusi työpaikka", "Tuettu", "Työnantaja"],
        [dt.date(2013, 5, 6), "Heinola", "N", "K", "E", "Oy Ab"],
        [("=DATE(2013,5,7)", 41401), "Heinola", "M", ('=IF(1,"K","E")', "K"), None, "=cmd"],
        ["Yhteensä", None, None, None, None, None],
    ]
    sheet = one_sheet(parse(excel_style_xlsx({"Työpaikat": rows}), settings))
    assert [(r["day"], r["gender"], r["new_job"]) for r in sheet.records] == [
        (dt.date(2013, 5, 6), "N", True),
        (dt.date(2013, 5, 7), "M", True),
    ]
    assert sheet.records[1]["employer"] == "=cmd"  # text, kept as data


def test_excel_error_cells_are_reported_by_cell(settings):
    rows = [CONTACT_HEADER, [dt.date(2012, 1, 2), "Heinola", ("#REF!",)], [dt.date(2012, 1, 3), "Heinola", "Yritys"]]
    parsed = parse(excel_style_xlsx({"Kontaktit": rows}), settings, "virheet.xlsx")
    sheet = one_sheet(parsed)
    assert len(sheet.records) == 1
    problem = sheet.rejected[0].problems[0]
    assert (problem.row, problem.column, problem.code) == (2, "Kontaktityyppi", "excel_error")
    assert "#REF!" in problem.message("fi") and "#REF!" in problem.message("en")


def test_ods_workbooks_are_read(settings):
    rows = [["Pvm", "Kunta", "Hanke"], [dt.date(2013, 1, 15), "Heinola", "Kesätyöpassi"]]
    sheet = one_sheet(parse(ods_bytes({"Hankkeet": rows}), settings, "hankkeet.ods"))
    assert sheet.records[0]["project"] == "Kesätyöpassi"
    assert sheet.records[0]["day"] == dt.date(2013, 1, 15)


def test_every_error_names_file_sheet_row_and_column_in_both_languages(settings):
    rows = [
        CONTACT_HEADER,
        ["31.2.2012", "Lahti", "Asiakas", "x", None, None],
        [None, "Heinola", "Yritys", None, None, None],
    ]
    parsed = parse(xlsx_bytes({"Kontaktit": rows}), settings, "hartola.xlsx")
    sheet = one_sheet(parsed)
    assert sheet.records == []
    problems = [p for r in sheet.rejected for p in r.problems]
    assert {(p.row, p.column, p.code) for p in problems} == {
        (2, "Pvm", "bad_date"),
        (2, "Kunta", "bad_municipality"),
        (2, "Kontaktityyppi", "bad_choice"),
        (2, "Sukupuoli", "bad_gender"),
        (3, "Pvm", "missing_value"),
    }
    line = next(p for p in problems if p.code == "bad_municipality").line("fi")
    assert line == (
        'hartola.xlsx: Kontaktit, rivi 2, sarake Kunta: Tuntematon kunta "Lahti" (sallitut: Hartola, Heinola, Sysmä)'
    )
    assert next(p for p in problems if p.code == "bad_date").line("en") == (
        'hartola.xlsx: Kontaktit, row 2, column Pvm: Not a valid date: "31.2.2012" (use d.m.yyyy)'
    )


def test_missing_required_columns_reject_the_sheet(settings):
    rows = [["Yritykset 2012"], ["Kunta", "Y-tunnus"], ["Heinola", "0112038-9"]]
    sheet = one_sheet(parse(xlsx_bytes({"Yritykset": rows}), settings))
    assert sheet.header_row is None
    assert sheet.problems[0].code == "missing_columns"
    assert sheet.problems[0].row == 2
    assert "Perustamispvm" in sheet.problems[0].message("fi")


@pytest.mark.parametrize(
    "sheet, rows",
    [
        ("Tavoitteet", [["Indikaattori", "Tavoite", "Tavoite naiset"], ["uudet_tyopaikat", 10, 11]]),
        ("Tavoitteet", [["Indikaattori", "Tavoite"], ["uudet_tyopaikat", -1]]),
        ("Tavoitteet", [["Indikaattori", "Tavoite", "Vuosi"], ["uudet_tyopaikat", 1, 2010]]),
        ("Yritykset", [["Perustamispvm", "Kunta", "Y-tunnus"], ["1.2.2012", "Sysmä", "1234567-2"]]),
        ("Koulutukset", [["Alkupvm", "Koulutus", "Osallistujat naiset"], ["1.2.2012", "Kurssi", 2.5]]),
        ("Rahoitus", [["Pvm", "Lähde", "Summa"], ["3/2012", "Lahjoitus", 10]]),
        ("Rahoitus", [["Pvm", "Lähde", "Summa"], ["3/2012", "Kunta", "paljon"]]),
        ("Työllistäminen", [["Pvm", "Kunta", "Toimenpide"], ["1.2.2012", "Sysmä", "Lomautus"]]),
        ("Työpaikat", [["Pvm", "Kunta", "Uusi työpaikka"], ["1.2.2012", "Sysmä", "ehkä"]]),
    ],
)
def test_row_errors_of_every_sheet_type(sheet, rows, settings):
    parsed_sheet = one_sheet(parse(xlsx_bytes({sheet: rows}), settings))
    assert parsed_sheet.records == []
    assert len(parsed_sheet.rejected) == 1
    assert parsed_sheet.rejected[0].row == 2


def test_duplicate_targets_in_one_sheet_are_rejected(settings):
    rows = [["Indikaattori", "Kunta", "Tavoite"], ["uudet_tyopaikat", "Heinola", 5], ["Uudet työpaikat", "heinola", 6]]
    sheet = one_sheet(parse(xlsx_bytes({"Tavoitteet": rows}), settings))
    assert len(sheet.records) == 1
    assert sheet.rejected[0].problems[0].code == "duplicate_target"


@pytest.mark.parametrize("where", ["notes", "ignored_sheet", "client_id", "targets"])
def test_a_personal_identity_code_anywhere_blocks_the_file(where, settings):
    hetu = "131052-308T"
    sheets = {
        "Kontaktit": [CONTACT_HEADER, ["2.1.2012", "Heinola", "Työnhakija", "N", "A1", "soitettu"]],
        "Tavoitteet": [["Indikaattori", "Tavoite"], ["uudet_tyopaikat", 60]],
    }
    if where == "notes":
        sheets["Kontaktit"][1][5] = f"asiakas {hetu} soitti"
    elif where == "client_id":
        sheets["Kontaktit"][1][4] = hetu
    elif where == "targets":
        sheets["Tavoitteet"][1][0] = hetu
    else:
        sheets["Muistiinpanot"] = [["nimi", "hetu"], ["Matti", hetu]]
    parsed = parse(xlsx_bytes(sheets), settings)
    assert parsed.blockers and all(p.severity == BLOCKER for p in parsed.blockers)
    assert parsed.blockers[0].code == "hetu_found"
    # the message never repeats the code itself
    assert "308T" not in parsed.blockers[0].message("fi")


@pytest.mark.parametrize(
    "text",
    [
        "131052-308A",
        "tilaus 131052-3080",
        "hetu 010203A123N",
        "HETU131052-308T",
        "131052\u2010308T",
        "131052\u2013308T",
        "asiakas 131052+308T soitti",
    ],
)
def test_anything_shaped_like_a_hetu_blocks_whatever_its_check_character(text, settings):
    rows = [CONTACT_HEADER, ["2.1.2012", "Heinola", "Yritys", None, None, text]]
    parsed = parse(xlsx_bytes({"Kontaktit": rows}), settings)
    assert [(p.code, p.row, p.column) for p in parsed.blockers] == [("hetu_found", 2, "F")]
    message = parsed.blockers[0].message("fi")
    assert "henkilötunnukselta näyttävä" in message and "looks like a henkilötunnus" in parsed.blockers[0].message("en")
    # only the birth-date part is shown, never the individual number or check character
    assert text[-4:-1] not in message.replace(text[:6], "")


@pytest.mark.parametrize(
    "text", ["2012-01-02", "040 123 4567", "1234567-8", "321052-308T", "131352-308T", "1131052-308T"]
)
def test_things_that_are_not_hetu_shaped_do_not_block(text, settings):
    rows = [CONTACT_HEADER, ["2.1.2012", "Heinola", "Yritys", None, None, text]]
    assert parse(xlsx_bytes({"Kontaktit": rows}), settings).blockers == []


def test_workbook_without_known_sheets_is_blocked(settings):
    parsed = parse(xlsx_bytes({"Taul1": [["a", "b"]]}), settings)
    assert parsed.blockers[0].code == "no_known_sheet"
    assert "Taul1" in parsed.blockers[0].message("fi")


def test_legacy_xls_workbooks_are_read(settings):
    import io

    import xlwt

    wb = xlwt.Workbook()
    ws = wb.add_sheet("Hankkeet")
    for c, header in enumerate(["Pvm", "Hanke", "Kunta"]):
        ws.write(0, c, header)
    ws.write(1, 0, dt.date(2013, 1, 15), xlwt.easyxf(num_format_str="D.M.YYYY"))
    ws.write(1, 1, "Kesätyöpassi")
    ws.write(1, 2, "Heinola")
    buf = io.BytesIO()
    wb.save(buf)
    sheet = one_sheet(parse(buf.getvalue(), settings, "hankkeet.xls"))
    assert sheet.records[0]["day"] == dt.date(2013, 1, 15)
    assert sheet.records[0]["municipality"] == "Heinola"


def test_xlsm_is_read_like_xlsx(settings):
    data = excel_style_xlsx({"Hankkeet": [["Pvm", "Hanke"], [dt.date(2013, 1, 15), "Passi"]]})
    data = data.replace(b"sheet.main+xml", b"sheet.macroEnabled.main+xml")
    sheet = one_sheet(parse(data, settings, "makrot.xlsm"))
    assert sheet.records[0]["project"] == "Passi"


def test_an_empty_tracking_sheet_is_not_an_error(settings):
    parsed = parse(
        xlsx_bytes({"Hankkeet": [], "Kontaktit": [CONTACT_HEADER, ["2.1.2012", "Heinola", "Yritys"]]}), settings
    )
    empty = next(s for s in parsed.sheets if s.spec.table == "projects")
    assert empty.rejected == [] and [p.code for p in empty.problems] == ["no_rows"]
