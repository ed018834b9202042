"""Every cell rule and every problem an upload can have, with its exact outcome: the value read, or the message
code and what the message says (the value as written, the allowed values, the period). Expected values are
written by hand from the workbook contract (shared/spec/tracking-workbook.md) and data/project.toml: the project
runs 1.4.2011–31.12.2014 in Hartola, Heinola and Sysmä.

Mutation testing (``make mutation``) found that most of these outcomes were unpinned: a message could lose its
row, column or value and no test failed."""

import datetime as dt

import pytest

from vvr_metrics import cells
from vvr_metrics.settings import load_settings
from vvr_metrics.validation import CellError

D = dt.date
S = load_settings()
TODAY = D(2026, 11, 27)
SERIAL_4_3_2012 = 40972  # days from 30.12.1899: 1.1.2012 is 40909, then 31 + 29 + 3 days later


def outcome(parse, *args):
    """The value, or the error's (code, params)."""
    try:
        return parse(*args)
    except CellError as exc:
        return exc.code, exc.params


NUMBERS = [
    (12, 12.0),
    (12.5, 12.5),
    ("1 234,56 €", 1234.56),
    ("1.234,56", 1234.56),
    ("1,234.56", 1234.56),
    ("12,5", 12.5),
    ("12 EUR", 12.0),
    ("12 euroa", 12.0),
    ("1\u00a0000", 1000.0),
    ("1\u202f000", 1000.0),
    ("0", 0.0),
    (True, ("bad_number", {"value": "True"})),
    ("12x", ("bad_number", {"value": "12x"})),
    ("nan", ("bad_number", {"value": "nan"})),
    ("inf", ("bad_number", {"value": "inf"})),
    ("-inf", ("bad_number", {"value": "-inf"})),
    (-1, ("bad_number", {"value": "-1"})),
    ("−2", ("bad_number", {"value": "−2"})),
    (None, ("bad_number", {"value": "None"})),
    (D(2012, 3, 4), ("bad_number", {"value": "4.3.2012"})),
]


@pytest.mark.parametrize(("raw", "expected"), NUMBERS)
def test_numbers(raw, expected):
    assert outcome(cells.parse_number, raw) == expected


def test_a_number_can_be_negative_where_allowed_and_names_its_own_error():
    assert cells.parse_number("−2,5", "bad_amount", True) == -2.5
    assert cells.parse_number(-3, "bad_amount", True) == -3.0
    assert outcome(cells.parse_number, "x", "bad_amount", True) == ("bad_amount", {"value": "x"})
    assert outcome(cells.parse_number, -3, "bad_count") == ("bad_count", {"value": "-3"})


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1 000,555 €", ("too_many_decimals", {"value": "1 000,555 €"})),  # cents are two digits in text
        (-0.005, -0.01),  # a computed cell is rounded half-up to cents
        (-12, -12.0),
        ("kymppi", ("bad_amount", {"value": "kymppi"})),
    ],
)
def test_euros(raw, expected):
    assert outcome(cells.parse_euros, raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("3", 3),
        (3.0, 3),
        (0, 0),
        (2.5, ("bad_count", {"value": "2.5"})),
        ("2,5", ("bad_count", {"value": "2,5"})),
        (-1, ("bad_count", {"value": "-1"})),
        ("kolme", ("bad_count", {"value": "kolme"})),
    ],
)
def test_counts(raw, expected):
    got = outcome(cells.parse_count, raw)
    assert got == expected and type(got) is type(expected)


YEARS = "2011–2014"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (2012, 2012),
        ("2013", 2013),
        (2014.0, 2014),
        (2011, 2011),
        (2010, ("bad_year", {"value": "2010", "years": YEARS})),
        (2015, ("bad_year", {"value": "2015", "years": YEARS})),
        (2012.5, ("bad_year", {"value": "2012.5", "years": YEARS})),
        ("vuosi", ("bad_year", {"value": "vuosi", "years": YEARS})),
        (-2012, ("bad_year", {"value": "-2012", "years": YEARS})),
    ],
)
def test_years(raw, expected):
    got = outcome(cells.parse_year, raw, S)
    assert got == expected and type(got) is type(expected)


OUTSIDE = {"start": "1.4.2011", "end": "31.12.2014"}


@pytest.mark.parametrize(
    ("raw", "month_ok", "expected"),
    [
        (D(2012, 3, 4), False, D(2012, 3, 4)),
        (dt.datetime(2012, 3, 4, 10, 30), False, D(2012, 3, 4)),
        (SERIAL_4_3_2012, False, D(2012, 3, 4)),
        (float(SERIAL_4_3_2012), False, D(2012, 3, 4)),
        (str(SERIAL_4_3_2012), False, D(2012, 3, 4)),
        ("4.3.2012", False, D(2012, 3, 4)),
        ("04.03.2012.", False, D(2012, 3, 4)),
        (" 2012-03-04 ", False, D(2012, 3, 4)),
        ("2012-3-4", False, D(2012, 3, 4)),
        ("2012-03-04 00:00:00", False, D(2012, 3, 4)),
        ("4.3.2012 0:00", False, D(2012, 3, 4)),
        ("3/2012", True, D(2012, 3, 1)),
        ("3 / 2012", True, D(2012, 3, 1)),
        ("3.2012", True, D(2012, 3, 1)),
        ("2012-03", True, D(2012, 3, 1)),
        ("3/2012", False, ("bad_date", {"value": "3/2012"})),
        ("2012-03", False, ("bad_date", {"value": "2012-03"})),
        ("13/2012", True, ("bad_month", {"value": "13/2012"})),
        ("maaliskuu", True, ("bad_month", {"value": "maaliskuu"})),
        ("31.2.2012", False, ("bad_date", {"value": "31.2.2012"})),
        ("2012-02-30", False, ("bad_date", {"value": "2012-02-30"})),
        ("4.3.12", False, ("bad_date", {"value": "4.3.12"})),
        ("4032012", False, ("bad_date", {"value": "4032012"})),
        (True, False, ("bad_date", {"value": "True"})),
        (1.5, False, ("bad_date", {"value": "1.5"})),
        (0, False, ("bad_date", {"value": "0"})),
        (None, False, ("bad_date", {"value": "None"})),
        ("1.1.2011", False, ("date_outside_period", {"value": "1.1.2011", **OUTSIDE})),
        ("31.3.2011", False, ("date_outside_period", {"value": "31.3.2011", **OUTSIDE})),
        ("1.4.2011", False, D(2011, 4, 1)),
        ("31.12.2014", False, D(2014, 12, 31)),
        ("1.1.2015", False, ("date_outside_period", {"value": "1.1.2015", **OUTSIDE})),
        (dt.datetime(2010, 1, 1, 10, 30), False, ("date_outside_period", {"value": "1.1.2010 10:30", **OUTSIDE})),
        (dt.datetime(2010, 1, 1), False, ("date_outside_period", {"value": "1.1.2010", **OUTSIDE})),
        (1, False, ("date_outside_period", {"value": "1", **OUTSIDE})),  # 31.12.1899
    ],
)
def test_dates(raw, month_ok, expected):
    assert outcome(cells.parse_date, raw, S, TODAY, month_ok) == expected


def test_a_date_after_the_upload_day_is_in_the_future():
    assert outcome(cells.parse_date, "16.5.2013", S, D(2013, 5, 15)) == (
        "date_in_future",
        {"value": "16.5.2013", "today": "15.5.2013"},
    )
    assert cells.parse_date("15.5.2013", S, D(2013, 5, 15)) == D(2013, 5, 15)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, None),
        ("  ", None),
        (12.0, "12"),
        (12.5, "12.5"),
        ("007", "007"),
        (" A1 ", "A1"),
        (D(2012, 3, 4), "4.3.2012"),
    ],
)
def test_codes_keep_what_was_written(raw, expected):
    assert cells.parse_code(raw) == expected


@pytest.mark.parametrize(
    ("raw", "default", "expected"),
    [
        ("", True, True),
        ("  ", False, False),
        (None, True, True),
        (True, False, True),
        (False, True, False),
        ("Kyllä", False, True),
        ("K", False, True),
        ("x", False, True),
        (1, False, True),
        ("yes", False, True),
        ("ei", True, False),
        ("E", True, False),
        (0, True, False),
        ("No", True, False),
        ("ehkä", True, ("bad_yesno", {"value": "ehkä"})),
        (2, True, ("bad_yesno", {"value": "2"})),
    ],
)
def test_yes_and_no(raw, default, expected):
    assert outcome(cells.parse_yesno, raw, default) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("N", "N"),
        ("nainen", "N"),
        ("Woman", "N"),
        ("M", "M"),
        ("MIES", "M"),
        ("", None),
        (None, None),
        ("-", None),
        ("–", None),
        ("x", ("bad_gender", {"value": "x"})),
        (1, ("bad_gender", {"value": "1"})),
    ],
)
def test_genders(raw, expected):
    assert outcome(cells.parse_gender, raw) == expected


def test_municipalities_choices_and_indicators():
    assert cells.parse_municipality(" heinola ", S) == "Heinola"
    assert cells.parse_municipality("SYSMÄ", S) == "Sysmä"
    assert outcome(cells.parse_municipality, "Lahti", S) == (
        "bad_municipality",
        {"value": "Lahti", "allowed": "Hartola, Heinola, Sysmä"},
    )
    assert cells.parse_choice("kumppani", "contact_type") == "Yhteistyökumppani"
    assert cells.parse_choice("Job seeker", "contact_type") == "Työnhakija"
    assert outcome(cells.parse_choice, "Asiakas", "contact_type") == (
        "bad_choice",
        {"value": "Asiakas", "allowed": "Yritys, Työnhakija, Yhteistyökumppani"},
    )
    assert cells.parse_indicator("Uudet työpaikat") == "uudet_tyopaikat"
    assert cells.parse_indicator("New jobs") == "uudet_tyopaikat"
    assert outcome(cells.parse_indicator, "Työpaikat uudet") == ("bad_indicator", {"value": "Työpaikat uudet"})


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0112038-9", "0112038-9"),  # 0·7+1·9+1·10+2·5+0·8+3·4+8·2 = 57, 57 mod 11 = 2, check 11 − 2 = 9
        ("112038-9", "0112038-9"),  # six digits: a leading zero was lost
        (" 0112 038 - 9 ", "0112038-9"),
        ("0000000-0", "0000000-0"),  # remainder 0: check 0
        ("0112038-8", ("bad_business_id", {"value": "0112038-8"})),
        ("1001000-0", ("bad_business_id", {"value": "1001000-0"})),  # 7 + 5 = 12, remainder 1: no valid check
        ("1001000-1", ("bad_business_id", {"value": "1001000-1"})),
        ("01120389", ("bad_business_id", {"value": "01120389"})),
        ("12345-6", ("bad_business_id", {"value": "12345-6"})),
        ("01120389-9", ("bad_business_id", {"value": "01120389-9"})),
        ("Y-tunnus", ("bad_business_id", {"value": "Y-tunnus"})),
    ],
)
def test_business_ids(raw, expected):
    assert outcome(cells.parse_business_id, raw) == expected


def test_values_are_shown_as_the_user_wrote_them():
    assert cells.shown(dt.datetime(2012, 3, 4)) == "4.3.2012"
    assert cells.shown(dt.datetime(2012, 3, 4, 10, 30)) == "4.3.2012 10:30"
    assert cells.shown(D(2012, 3, 4)) == "4.3.2012"
    assert cells.shown(12.0) == "12" and cells.shown(12.5) == "12.5" and cells.shown(7) == "7"
    assert cells.shown("  Heinola ") == "Heinola"
    assert [cells.is_blank(v) for v in (None, "", "  ", 0, "0", False)] == [True, True, True, False, False, False]


# Whole sheets: every problem with its place (file, sheet, row, column), its severity and its words.
def problems(name: str, data: bytes) -> list[tuple]:
    from vvr_metrics.reading import parse_workbook
    from vvr_metrics.workbook_reader import read_workbook

    parsed = parse_workbook(read_workbook(data, name, S), S, TODAY)
    found = [(p.severity, p.line("fi"), p.line("en")) for p in parsed.blockers + parsed.notices]
    for sheet in parsed.sheets:
        found += [(p.severity, p.line("fi"), p.line("en")) for p in sheet.problems]
        found += [(p.severity, p.line("fi"), p.line("en")) for r in sheet.rejected for p in r.problems]
    return found


def test_a_contacts_sheet_with_a_title_a_repeated_column_and_bad_rows():
    from conftest import xlsx_bytes

    rows = [
        ["Yrityskontaktit 2012"],
        ["Pvm", "Kunta", "Kontaktityyppi", "Kunta", "Muistiinpanot", "Puhelin"],
        ["2.1.2012", "Hartola", "Yritys", None, "ok", "040 123 4567"],
        [None, "Heinola", "Yritys"],
        ["3.1.2012", "Lahti", "Asiakas"],
        ["4.1.2012", "Sysmä", "Yritys", "", "", ""],
        [None, None, None, None, "unohtunut"],
    ]
    where = "seuranta.xlsx: Kontaktit"
    assert problems("seuranta.xlsx", xlsx_bytes({"Kontaktit": rows})) == [
        (
            "warning",
            f'{where}, rivi 2, sarake Kunta: Sarake "Kunta" on taulukossa kahdesti; vain ensimmäinen luetaan',
            f'{where}, row 2, column Kunta: Column "Kunta" appears twice; only the first is read',
        ),
        (
            "warning",
            f"{where}, rivi 2: Tuntemattomat sarakkeet jätetään pois: Muistiinpanot, Puhelin",
            f"{where}, row 2: Unknown columns are left out: Muistiinpanot, Puhelin",
        ),
        (
            "warning",
            f"{where}, rivi 2: Sarakkeet näyttävät henkilötiedoilta, eikä niitä tallenneta: Puhelin",
            f"{where}, row 2: These columns look like personal data and are not stored: Puhelin",
        ),
        (
            "warning",
            f"{where}: Irrallisia soluja tietojen ulkopuolella ohitettiin (1): E7",
            f"{where}: Stray cells outside the data were skipped (1): E7",
        ),
        (
            "error",
            f"{where}, rivi 4, sarake Pvm: Pakollinen tieto puuttuu",
            f"{where}, row 4, column Pvm: Required value is missing",
        ),
        (
            "error",
            f'{where}, rivi 5, sarake Kunta: Tuntematon kunta "Lahti" (sallitut: Hartola, Heinola, Sysmä)',
            f'{where}, row 5, column Kunta: Unknown municipality "Lahti" (allowed: Hartola, Heinola, Sysmä)',
        ),
        (
            "error",
            f'{where}, rivi 5, sarake Kontaktityyppi: Tuntematon arvo "Asiakas" (sallitut: Yritys, Työnhakija, '
            "Yhteistyökumppani)",
            f'{where}, row 5, column Kontaktityyppi: Unknown value "Asiakas" (allowed: Yritys, Työnhakija, '
            "Yhteistyökumppani)",
        ),
    ]


def test_stray_cells_are_listed_five_at_most():
    from conftest import CONTACT_HEADER, xlsx_bytes

    rows = [CONTACT_HEADER, ["2.1.2012", "Hartola", "Yritys"]] + [[None] * 7 + ["x"] for _ in range(6)]
    assert problems("s.xlsx", xlsx_bytes({"Kontaktit": rows})) == [
        (
            "warning",
            "s.xlsx: Kontaktit: Irrallisia soluja tietojen ulkopuolella ohitettiin (6): H3, H4, H5, H6, H7 …",
            "s.xlsx: Kontaktit: Stray cells outside the data were skipped (6): H3, H4, H5, H6, H7 …",
        )
    ]


def test_targets_with_women_over_the_total_a_repeated_target_and_bad_values():
    from conftest import xlsx_bytes

    rows = [
        ["Indikaattori", "Kunta", "Vuosi", "Tavoite", "Tavoite naiset"],
        ["Uudet työpaikat", "Hartola", 2012, 10, 12],
        ["Uudet työpaikat", "Heinola", 2012, 10, 5],
        ["uudet_tyopaikat", "Heinola", 2012, 8, 4],
        ["Keksitty", "", None, -1, None],
    ]
    where = "tavoitteet.xlsx: Tavoitteet"
    assert problems("tavoitteet.xlsx", xlsx_bytes({"Tavoitteet": rows})) == [
        (
            "error",
            f"{where}, rivi 2, sarake Tavoite naiset: Tavoite naiset (12) on suurempi kuin Tavoite (10)",
            f"{where}, row 2, column Tavoite naiset: Target women (12) is greater than Target (10)",
        ),
        (
            "error",
            f'{where}, rivi 5, sarake Indikaattori: Tuntematon indikaattori "Keksitty"',
            f'{where}, row 5, column Indikaattori: Unknown indicator "Keksitty"',
        ),
        (
            "error",
            f'{where}, rivi 5, sarake Tavoite: Ei luku ≥ 0: "-1"',
            f'{where}, row 5, column Tavoite: Not a number ≥ 0: "-1"',
        ),
        (
            "error",
            f"{where}, rivi 4: Sama tavoite on jo rivillä 3 (indikaattori, kunta ja vuosi)",
            f"{where}, row 4: The same target is already given on row 3 (indicator, municipality and year)",
        ),
    ]


def test_an_empty_sheet_a_sheet_without_its_columns_and_a_sheet_that_is_not_ours():
    from conftest import xlsx_bytes

    data = xlsx_bytes(
        {"Kontaktit": [[None]], "Työpaikat": [["Pvm", "Sukupuoli"], ["2.1.2012", "N"]], "Ohjeet": [["x"]]}
    )
    assert problems("tyhja.xlsx", data) == [
        (
            "warning",
            "tyhja.xlsx: Kontaktit: Taulukossa ei ole yhtään tietoriviä",
            "tyhja.xlsx: Kontaktit: The sheet has no data rows",
        ),
        (
            "error",
            "tyhja.xlsx: Työpaikat, rivi 1: Pakolliset sarakkeet puuttuvat: Kunta. Otsikkoriviä ei löytynyt.",
            "tyhja.xlsx: Työpaikat, row 1: Required columns are missing: Kunta. No header row was found.",
        ),
    ]
    assert problems("muu.xlsx", xlsx_bytes({"Taul1": [["a"]], "Pivot": [["b"]]})) == [
        (
            "blocker",
            "muu.xlsx: Työkirjassa ei ole yhtään tunnettua taulukkoa (esim. Kontaktit, Työpaikat). Taulukot: Taul1, "
            "Pivot",
            "muu.xlsx: The workbook has no known sheet (e.g. Kontaktit/Contacts, Työpaikat/Jobs). Sheets: Taul1, Pivot",
        )
    ]


def test_an_identity_code_in_a_name_or_a_cell_blocks_and_is_masked_in_every_message():
    """Also in the notice that a sheet is read by the start of its name: it named the file and the sheet in full."""
    from conftest import CONTACT_HEADER, xlsx_bytes

    sheet = [CONTACT_HEADER, ["2.1.2012", "Hartola", "Yritys", None, "A1", "soita 131052-308T"]]
    found = problems("Maija 131052-308T.xlsx", xlsx_bytes({"Kontaktit 010203-1234": sheet}))
    assert found == [
        (
            "blocker",
            "Maija 131052….xlsx: Tiedoston nimessä on henkilötunnukselta näyttävä tunnus (syntymäaika 131052…). "
            "Nimeä tiedosto uudelleen. Mitään ei tallennettu.",
            "Maija 131052….xlsx: The file name holds what looks like a henkilötunnus (birth date 131052…). Rename "
            "the file. Nothing was stored.",
        ),
        (
            "blocker",
            "Maija 131052….xlsx: Kontaktit 010203…: Taulukon nimessä on henkilötunnukselta näyttävä tunnus "
            "(syntymäaika 010203…). Nimeä taulukko uudelleen. Mitään ei tallennettu.",
            "Maija 131052….xlsx: Kontaktit 010203…: A sheet name holds what looks like a henkilötunnus (birth date "
            "010203…). Rename the sheet. Nothing was stored.",
        ),
        (
            "blocker",
            "Maija 131052….xlsx: Kontaktit 010203…, rivi 2, sarake F: Solussa on henkilötunnukselta näyttävä tunnus "
            "(syntymäaika 131052…). Henkilötunnuksia ei saa tallentaa: poista ne ja lataa uudelleen. Mitään ei "
            "tallennettu.",
            "Maija 131052….xlsx: Kontaktit 010203…, row 2, column F: The cell holds what looks like a henkilötunnus "
            "(personal identity code, birth date 131052…). Identity codes must never be stored: remove them and "
            "upload again. Nothing was stored.",
        ),
        (
            "warning",
            "Maija 131052….xlsx: Kontaktit 010203…: Taulukko luetaan taulukkona Kontaktit (nimi alkaa sillä)",
            "Maija 131052….xlsx: Kontaktit 010203…: The sheet is read as Kontaktit (its name starts with it)",
        ),
    ]
    assert not any("308T" in line or "1234" in line for p in found for line in p[1:])


def test_an_excel_error_value_names_its_cell():
    from conftest import CONTACT_HEADER, excel_style_xlsx

    data = excel_style_xlsx({"Kontaktit": [CONTACT_HEADER, ["2.1.2012", "Heinola", ("#DIV/0!",)]]})
    assert problems("virhe.xlsx", data) == [
        (
            "error",
            "virhe.xlsx: Kontaktit, rivi 2, sarake Kontaktityyppi: Solussa on Excelin virhearvo #DIV/0!",
            "virhe.xlsx: Kontaktit, row 2, column Kontaktityyppi: The cell holds the Excel error #DIV/0!",
        )
    ]


def _sheet(data: bytes, name: str = "s.xlsx", settings=S):
    from vvr_metrics.reading import parse_workbook
    from vvr_metrics.workbook_reader import read_workbook

    parsed = parse_workbook(read_workbook(data, name, settings), settings, TODAY)
    assert len(parsed.sheets) == 1, parsed.blockers
    return parsed.sheets[0]


def test_hidden_rows_are_read_and_counted_in_a_warning():
    import io

    from conftest import CONTACT_HEADER
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Kontaktit"
    for row in (
        CONTACT_HEADER,
        ["2.1.2012", "Hartola", "Yritys"],
        ["3.1.2012", "Heinola", "Yritys"],
        ["4.1.2012", "Sysmä", "Yritys"],
    ):
        ws.append(row)
    ws.row_dimensions[3].hidden = ws.row_dimensions[4].hidden = True
    buf = io.BytesIO()
    wb.save(buf)
    sheet = _sheet(buf.getvalue())
    assert len(sheet.records) == 3
    assert [(p.severity, p.line("fi")) for p in sheet.problems] == [
        ("warning", "s.xlsx: Kontaktit: Taulukossa on 2 piilotettua tai suodatettua riviä. Ne luettiin mukaan.")
    ]


def test_a_sheet_longer_than_the_row_limit_blocks_the_file():
    import dataclasses

    from conftest import CONTACT_HEADER, xlsx_bytes

    from vvr_metrics.reading import parse_workbook
    from vvr_metrics.workbook_reader import read_workbook

    small = dataclasses.replace(S, max_rows=3)
    rows = [CONTACT_HEADER] + [["2.1.2012", "Hartola", "Yritys"]] * 52  # 53 rows: the limit and 50 for titles
    parsed = parse_workbook(read_workbook(xlsx_bytes({"Kontaktit": rows}), "iso.xlsx", small), small, TODAY)
    assert parsed.blockers == [] and len(parsed.sheets[0].records) == 52
    rows.append(["2.1.2012", "Hartola", "Yritys"])
    parsed = parse_workbook(read_workbook(xlsx_bytes({"Kontaktit": rows}), "iso.xlsx", small), small, TODAY)
    assert parsed.sheets == []
    assert [(p.severity, p.line("fi")) for p in parsed.blockers] == [
        ("blocker", "iso.xlsx: Kontaktit: Taulukossa on liikaa rivejä (54, enintään 3)")
    ]


def test_an_error_cell_alone_on_a_row_is_still_that_rows_problem():
    from conftest import CONTACT_HEADER, excel_style_xlsx

    rows = [
        CONTACT_HEADER,
        ["2.1.2012", "Heinola", "Yritys"],
        [None, None, ("#REF!",)],
        [None, None, None, None, None, ("#N/A",)],
    ]
    sheet = _sheet(excel_style_xlsx({"Kontaktit": rows}))
    assert len(sheet.records) == 1
    assert [(r.row, [p.line("fi") for p in r.problems]) for r in sheet.rejected] == [
        (
            3,
            [
                "s.xlsx: Kontaktit, rivi 3, sarake Pvm: Pakollinen tieto puuttuu",
                "s.xlsx: Kontaktit, rivi 3, sarake Kunta: Pakollinen tieto puuttuu",
                "s.xlsx: Kontaktit, rivi 3, sarake Kontaktityyppi: Solussa on Excelin virhearvo #REF!",
            ],
        ),
        (
            4,  # an error cell makes the row a record, whose required values are then missing
            [
                "s.xlsx: Kontaktit, rivi 4, sarake Pvm: Pakollinen tieto puuttuu",
                "s.xlsx: Kontaktit, rivi 4, sarake Kunta: Pakollinen tieto puuttuu",
                "s.xlsx: Kontaktit, rivi 4, sarake Kontaktityyppi: Pakollinen tieto puuttuu",
                "s.xlsx: Kontaktit, rivi 4, sarake Lisätiedot: Solussa on Excelin virhearvo #N/A",
            ],
        ),
    ]


def test_a_totals_label_in_a_later_column_and_a_first_column_left_blank():
    from conftest import CONTACT_HEADER, xlsx_bytes

    rows = [CONTACT_HEADER, ["2.1.2012", "Hartola", "Yritys"], [None, "Yhteensä", 1], ["  ", "Heinola", "Yritys"]]
    sheet = _sheet(xlsx_bytes({"Kontaktit": rows}))
    assert sheet.totals_rows == [3]
    assert [(r.row, [p.code for p in r.problems]) for r in sheet.rejected] == [(4, ["missing_value"])]
    assert sheet.rejected[0].values[1:3] == ["Heinola", "Yritys"]


def test_without_a_header_the_first_best_partial_header_is_named():
    from conftest import xlsx_bytes

    rows = [["Pvm", "Kunta"], ["Pvm", "Kunta"], ["Pvm", "Kunta", "Muu"], ["2.1.2012", "Hartola"]]
    sheet = _sheet(xlsx_bytes({"Kontaktit": rows}))
    assert [p.line("fi") for p in sheet.problems] == [
        "s.xlsx: Kontaktit, rivi 1: Pakolliset sarakkeet puuttuvat: Kontaktityyppi. Otsikkoriviä ei löytynyt."
    ]
    assert sheet.header_row is None and sheet.records == []


def test_yes_no_columns_left_out_take_their_defaults_and_a_target_may_be_all_women():
    from conftest import xlsx_bytes

    jobs = _sheet(xlsx_bytes({"Työpaikat": [["Pvm", "Kunta"], ["2.1.2012", "Hartola"]]}))
    assert [(r["new_job"], r["subsidised"], r["gender"]) for r in jobs.records] == [(True, False, None)]
    blank = _sheet(
        xlsx_bytes({"Työpaikat": [["Pvm", "Kunta", "Uusi työpaikka", "Tuettu"], ["2.1.2012", "Hartola", "", " "]]})
    )
    assert [(r["new_job"], r["subsidised"]) for r in blank.records] == [(True, False)]
    targets = [["Indikaattori", "Tavoite", "Tavoite naiset"], ["Uudet työpaikat", 10, 10]]
    assert [(r["target"], r["target_women"]) for r in _sheet(xlsx_bytes({"Tavoitteet": targets})).records] == [
        (10.0, 10.0)
    ]


def test_funding_months_are_read_as_their_first_day():
    from conftest import xlsx_bytes

    rows = [["Pvm", "Lähde", "Summa"], ["3/2012", "Kunta", 10], ["2012-04", "Kunta", 20], [D(2012, 5, 15), "Kunta", 30]]
    sheet = _sheet(xlsx_bytes({"Rahoitus": rows}))
    assert [(r["day"], r["amount"]) for r in sheet.records] == [
        (D(2012, 3, 1), 10.0),
        (D(2012, 4, 1), 20.0),
        (D(2012, 5, 15), 30.0),
    ]


def test_a_repeated_value_is_read_once_but_1_and_true_are_not_the_same_value():
    from conftest import xlsx_bytes

    rows = [["Alkupvm", "Koulutus", "Kunta", "Osallistujat naiset"]] + [["2.1.2012", "Kurssi", "Hartola", 1]] * 3
    rows.append(["3.1.2012", "Kurssi", "Hartola", True])
    sheet = _sheet(xlsx_bytes({"Koulutukset": rows}))
    assert [r["participants_women"] for r in sheet.records] == [1, 1, 1]
    assert [(r.row, r.problems[0].line("fi")) for r in sheet.rejected] == [
        (5, 's.xlsx: Koulutukset, rivi 5, sarake Osallistujat naiset: Ei kokonaisluku ≥ 0: "True"')
    ]


def test_personal_data_columns_by_their_header_or_their_values():
    from conftest import CONTACT_HEADER, xlsx_bytes

    base = ["2.1.2012", "Hartola", "Yritys", None, "A1", None]
    rows = [CONTACT_HEADER + ["Sähköposti:", "Yhteys", "Tieto", "Huom"]]
    rows += [base + [None, "maija@hartola.fi", "040 123 4567", "soitettu"]]
    rows += [base + [None, "040 765 4321", "ei", "ok"]]
    rows += [base + [None, "ei tiedossa", None, "ok"]]
    sheet = _sheet(xlsx_bytes({"Kontaktit": rows}))
    # Yhteys: 2 of 3 values look like contact details (more than half); Tieto: 1 of 2 (half, not more)
    assert [p.line("fi") for p in sheet.problems if p.code == "personal_data_columns"] == [
        "s.xlsx: Kontaktit, rivi 1: Sarakkeet näyttävät henkilötiedoilta, eikä niitä tallenneta: Sähköposti:, Yhteys"
    ]


def test_a_number_in_the_header_row_is_an_unknown_column():
    from conftest import CONTACT_HEADER, xlsx_bytes

    sheet = _sheet(xlsx_bytes({"Kontaktit": [CONTACT_HEADER + [2012, None, "Muu"], ["2.1.2012", "Hartola", "Yritys"]]}))
    assert sheet.unknown_columns == ["2012", "Muu"]


def test_targets_are_the_same_only_for_the_same_indicator_municipality_and_year():
    from conftest import xlsx_bytes

    header = ["Indikaattori", "Kunta", "Vuosi", "Tavoite"]
    rows = [header, ["uudet_tyopaikat", "Heinola", 2012, 1], ["uudet_tyopaikat", "Heinola", 2013, 2],
            ["uudet_tyopaikat", "Sysmä", 2012, 3], ["uudet_yritykset", "Heinola", 2012, 4],
            ["uudet_tyopaikat", None, 2012, 5], ["Uudet työpaikat", "Heinola", 2013, 6]]  # fmt: skip
    sheet = _sheet(xlsx_bytes({"Tavoitteet": rows}))
    assert [r["target"] for r in sheet.records] == [1.0, 2.0, 3.0, 4.0, 5.0]
    assert [(r.row, r.values, r.problems[0].line("fi")) for r in sheet.rejected] == [
        (
            7,
            ["Uudet työpaikat", "Heinola", 2013, 6],
            "s.xlsx: Tavoitteet, rivi 7: Sama tavoite on jo rivillä 3 (indikaattori, kunta ja vuosi)",
        )
    ]


def test_an_identity_code_in_a_cell_comment_blocks_the_file():
    import io

    from conftest import CONTACT_HEADER, xlsx_bytes
    from openpyxl import load_workbook
    from openpyxl.comments import Comment

    wb = load_workbook(io.BytesIO(xlsx_bytes({"Kontaktit": [CONTACT_HEADER, ["2.1.2012", "Hartola", "Yritys"]]})))
    wb["Kontaktit"]["C2"].comment = Comment("soita 131052-308T", "x")
    buf = io.BytesIO()
    wb.save(buf)
    assert problems("k.xlsx", buf.getvalue())[0] == (
        "blocker",
        "k.xlsx: Kontaktit: Solun kommentissa on henkilötunnukselta näyttävä tunnus (syntymäaika 131052…). Poista "
        "se. Mitään ei tallennettu.",
        "k.xlsx: Kontaktit: A cell comment holds what looks like a henkilötunnus (birth date 131052…). Remove it. "
        "Nothing was stored.",
    )


def test_excel_serials_at_the_end_of_the_calendar_are_no_date():
    assert outcome(cells.parse_date, 2958465, S, TODAY) == ("date_outside_period", {"value": "2958465", **OUTSIDE})
    assert outcome(cells.parse_date, 2958466, S, TODAY) == ("bad_date", {"value": "2958466"})  # past 31.12.9999
    assert outcome(cells.parse_date, "123456", S, TODAY) == ("bad_date", {"value": "123456"})  # six digits: no serial


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # the cases: read 1 000× wrong, or at all, before
        ("1.234", ("ambiguous_number", {"value": "1.234", "first": "1,234", "second": "1 234"})),
        ("1,234", ("ambiguous_number", {"value": "1,234", "first": "1,234", "second": "1 234"})),
        ("-1.234", ("ambiguous_number", {"value": "-1.234", "first": "-1,234", "second": "-1 234"})),
        ("0,005", ("too_many_decimals", {"value": "0,005"})),
        ("1e3", ("bad_amount", {"value": "1e3"})),
        ("1.234.567", 1234567.0),  # two dot groups: thousands, unambiguous
        ("1.234,56", 1234.56),
        ("1,234.56", 1234.56),
        ("12,50 €", 12.5),
        ("1234.5", 1234.5),  # one or two decimals after a point: no thousands group
    ],
)
def test_amounts_are_read_only_when_unambiguous(raw, expected):
    assert outcome(cells.parse_euros, raw) == expected


def test_the_ambiguous_amount_message_shows_the_cell_and_both_readings():
    from vvr_metrics.i18n import t

    fi = t("ambiguous_number", "fi", value="1.234", first="1,234", second="1 234")
    assert (
        fi
        == 'Luku "1.234" on moniselitteinen: 1,234 vai 1 234? Kirjoita desimaalit pilkulla ja tuhannet välilyönnillä (1 234,56).'
    )
    en = t("ambiguous_number", "en", value="1.234", first="1,234", second="1 234")
    assert en.startswith('The number "1.234" is ambiguous: 1,234 or 1 234?')


@pytest.mark.parametrize("raw", ["1 2", "1 234", "1\u00a0234"])
def test_a_count_is_never_read_from_digit_groups(raw):
    assert outcome(cells.parse_count, raw) == ("bad_count", {"value": raw})
