"""Cell values: every tolerated spelling of the spec parses; everything else is a named error."""

import datetime as dt

import pytest

from vvr_metrics import cells
from vvr_metrics.validation import CellError

TODAY = dt.date(2026, 11, 27)


@pytest.mark.parametrize(
    "raw, expected",
    [
        (dt.date(2012, 3, 4), dt.date(2012, 3, 4)),
        (dt.datetime(2012, 3, 4, 13, 30), dt.date(2012, 3, 4)),
        (40972.0, dt.date(2012, 3, 4)),  # Excel serial number
        ("4.3.2012", dt.date(2012, 3, 4)),
        ("04.03.2012", dt.date(2012, 3, 4)),
        ("2012-03-04", dt.date(2012, 3, 4)),
        (" 4.3.2012 ", dt.date(2012, 3, 4)),
        ("2012-03-04 00:00:00", dt.date(2012, 3, 4)),
    ],
)
def test_dates_in_every_accepted_form(raw, expected, settings):
    assert cells.parse_date(raw, settings, TODAY) == expected


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("3/2012", dt.date(2012, 3, 1)),
        ("03.2012", dt.date(2012, 3, 1)),
        ("2012-03", dt.date(2012, 3, 1)),
        ("15.3.2012", dt.date(2012, 3, 15)),
    ],
)
def test_month_columns_accept_months(raw, expected, settings):
    assert cells.parse_date(raw, settings, TODAY, month_ok=True) == expected


@pytest.mark.parametrize("raw", ["3/2012", "2012-03", "32.1.2012", "4.3.12", "maaliskuu", True, ""])
def test_day_columns_reject_months_and_nonsense(raw, settings):
    with pytest.raises(CellError) as err:
        cells.parse_date(raw, settings, TODAY)
    assert err.value.code == "bad_date"


def test_dates_outside_the_project_period_or_after_upload_day(settings):
    with pytest.raises(CellError) as err:
        cells.parse_date("31.3.2011", settings, TODAY)
    assert err.value.code == "date_outside_period"
    assert err.value.params["value"] == "31.3.2011"
    with pytest.raises(CellError) as err:
        cells.parse_date("1.1.2015", settings, TODAY)
    assert err.value.code == "date_outside_period"
    with pytest.raises(CellError) as err:
        cells.parse_date("2.6.2013", settings, dt.date(2013, 6, 1))
    assert err.value.code == "date_in_future"
    assert cells.parse_date("1.4.2011", settings, TODAY) == dt.date(2011, 4, 1)
    assert cells.parse_date("31.12.2014", settings, TODAY) == dt.date(2014, 12, 31)


def test_codes_keep_leading_zeros_and_lose_float_tails():
    assert cells.parse_code("081") == "081"
    assert cells.parse_code(81.0) == "81"
    assert cells.parse_code("  A-12 ") == "A-12"
    assert cells.parse_code("") is None


@pytest.mark.parametrize(
    "raw, expected",
    [
        (1234.56, 1234.56),
        ("1 234,56 €", 1234.56),
        ("1\u00a0234,56\u00a0€", 1234.56),
        ("1234.56", 1234.56),
        ("1.234,56", 1234.56),
        ("1,234.56", 1234.56),
        ("€1,234.56", 1234.56),
        ("12 000 EUR", 12000.0),
        ("-150,00 €", -150.0),
        (7, 7.0),
    ],
)
def test_amounts_as_numbers_or_finnish_text(raw, expected):
    assert cells.parse_number(raw, "bad_amount", allow_negative=True) == pytest.approx(expected)


@pytest.mark.parametrize("raw", ["abc", "12,3,4", "€", "NaN", "inf"])
def test_bad_amounts(raw):
    with pytest.raises(CellError) as err:
        cells.parse_number(raw, "bad_amount", allow_negative=True)
    assert err.value.code == "bad_amount"


def test_counts_are_whole_and_not_negative():
    assert cells.parse_count(12.0) == 12
    assert cells.parse_count("7") == 7
    for bad in (1.5, -1, "x"):
        with pytest.raises(CellError):
            cells.parse_count(bad)


@pytest.mark.parametrize("raw", ["K", "kyllä", "KYLLÄ", "x", "1", 1.0, "yes", "y", "true", True])
def test_yes(raw):
    assert cells.parse_yesno(raw, default=False) is True


@pytest.mark.parametrize("raw", ["E", "ei", "0", 0.0, "no", "n", "false", False])
def test_no(raw):
    assert cells.parse_yesno(raw, default=True) is False


def test_blank_yesno_takes_the_column_default():
    assert cells.parse_yesno("", default=True) is True
    assert cells.parse_yesno(None, default=False) is False
    with pytest.raises(CellError):
        cells.parse_yesno("maybe", default=False)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("N", "N"),
        ("nainen", "N"),
        ("naiset", "N"),
        ("F", "N"),
        ("female", "N"),
        ("W", "N"),
        ("woman", "N"),
        ("M", "M"),
        ("mies", "M"),
        ("miehet", "M"),
        ("male", "M"),
        ("man", "M"),
        ("MIES", "M"),
        ("", None),
        ("-", None),
    ],
)
def test_gender_spellings(raw, expected):
    assert cells.parse_gender(raw) == expected


def test_unknown_gender():
    with pytest.raises(CellError) as err:
        cells.parse_gender("x")
    assert err.value.code == "bad_gender"


def test_municipality_is_case_insensitive_and_accepts_sysma(settings):
    assert cells.parse_municipality("heinola", settings) == "Heinola"
    assert cells.parse_municipality("Sysma", settings) == "Sysmä"
    assert cells.parse_municipality(" HARTOLA ", settings) == "Hartola"
    with pytest.raises(CellError) as err:
        cells.parse_municipality("Lahti", settings)
    assert "Hartola, Heinola, Sysmä" in err.value.params["allowed"]


def test_business_id_check_digit():
    assert cells.parse_business_id("0112038-9") == "0112038-9"
    assert cells.parse_business_id("112038-9") == "0112038-9"  # old six-digit form
    for bad in ("0112038-8", "1234567", "abc-1"):
        with pytest.raises(CellError) as err:
            cells.parse_business_id(bad)
        assert err.value.code == "bad_business_id"


def test_indicator_by_code_or_name():
    assert cells.parse_indicator("uudet_tyopaikat") == "uudet_tyopaikat"
    assert cells.parse_indicator("Uudet työpaikat") == "uudet_tyopaikat"
    assert cells.parse_indicator("New jobs") == "uudet_tyopaikat"
    assert cells.parse_indicator("EU- ja valtion rahoitus") == "rahoitus_eu_valtio"
    with pytest.raises(CellError):
        cells.parse_indicator("Onnellisuus")


def test_year_within_project(settings):
    assert cells.parse_year(2012.0, settings) == 2012
    assert cells.parse_year("2014", settings) == 2014
    with pytest.raises(CellError):
        cells.parse_year(2015, settings)
