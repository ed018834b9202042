"""Behaviours pinned one by one, each against a value counted by hand (issue 13): the header search, totals rows,
cents, the upload day, --skip-invalid, the overlap warning's boundary, the first-seen month of a distinct count,
the sign-in throttle and the funding page's public sources."""

import datetime as dt

import pandas as pd
import pytest
from conftest import CONTACT_HEADER, TODAY, excel_style_xlsx, xlsx_bytes

from vvr_metrics import auth, catalogue, funding, store
from vvr_metrics.cli import main
from vvr_metrics.indicators import indicator_table, monthly_cumulative
from vvr_metrics.query import Query
from vvr_metrics.reading import parse_workbook
from vvr_metrics.uploads import prepare_upload
from vvr_metrics.workbook_reader import read_workbook

D = dt.date


def sheet_of(data: bytes, settings, today: dt.date = TODAY):
    parsed = parse_workbook(read_workbook(data, "seuranta.xlsx", settings), settings, today)
    assert len(parsed.sheets) == 1
    return parsed.sheets[0]


# The header is looked for in the first 50 rows: at row 50 it is found, at row 51 it is not.
@pytest.mark.parametrize(("title_rows", "header_row"), [(49, 50), (50, None)])
def test_the_header_is_looked_for_in_the_first_50_rows(title_rows, header_row, settings):
    rows = [[f"Otsikkorivi {i + 1}"] for i in range(title_rows)] + [CONTACT_HEADER, ["2.1.2012", "Hartola", "Yritys"]]
    sheet = sheet_of(xlsx_bytes({"Kontaktit": rows}), settings)
    assert sheet.header_row == header_row
    if header_row is None:
        assert [p.code for p in sheet.problems] == ["missing_columns"]
        assert sheet.records == []
    else:
        assert [(r["day"], r["municipality"]) for r in sheet.records] == [(D(2012, 1, 2), "Hartola")]


def test_a_header_may_end_in_a_colon_or_an_asterisk(settings):
    header = ["Pvm:", "Kunta*", "Kontaktityyppi:*", "Sukupuoli", "Asiakastunnus", "Lisätiedot"]
    sheet = sheet_of(xlsx_bytes({"Kontaktit": [header, ["2.1.2012", "Hartola", "Yritys", "N", "A1"]]}), settings)
    assert sheet.header_row == 1 and sheet.unknown_columns == []
    record = sheet.records[0]
    assert (record["day"], record["municipality"], record["contact_type"], record["client_id"]) == (
        D(2012, 1, 2),
        "Hartola",
        "Yritys",
        "A1",
    )


@pytest.mark.parametrize("label", ["Yhteensä 2012", "yht. Heinola", "Total 2013"])
def test_a_totals_label_followed_by_words_is_a_totals_row(label, settings):
    rows = [CONTACT_HEADER, ["2.1.2012", "Hartola", "Yritys"], ["3.1.2012", "Sysmä", "Yritys"], [label, None, None]]
    sheet = sheet_of(xlsx_bytes({"Kontaktit": rows}), settings)
    assert sheet.totals_rows == [4]
    assert len(sheet.records) == 2 and sheet.rejected == []


def test_a_word_that_only_begins_like_a_total_is_a_record(settings):
    """ "Yhteensäkin" is no totals label: the row is read (and rejected for its date), not skipped."""
    rows = [CONTACT_HEADER, ["Yhteensäkin", "Hartola", "Yritys"]]
    sheet = sheet_of(xlsx_bytes({"Kontaktit": rows}), settings)
    assert sheet.totals_rows == []
    assert [r.row for r in sheet.rejected] == [2]


def test_a_subtotal_formula_row_is_a_totals_row(settings):
    rows = [
        ["Pvm", "Lähde", "Summa"],
        ["3/2012", "EU ja valtio", 100.5],
        ["4/2012", "Kunta", 50],
        [None, None, ("=SUBTOTAL(9,C2:C3)", 150.5)],
    ]
    sheet = sheet_of(excel_style_xlsx({"Rahoitus": rows}), settings)
    assert sheet.totals_rows == [4]
    assert [r["amount"] for r in sheet.records] == [100.5, 50.0]


# Euros are rounded half-up to whole cents, as written: 0.125 -> 0.13 and 2.675 -> 2.68, where Python's round()
# gives 0.12 (half to even) and 2.67 (the float 2.675 is 2.67499…).
def test_cents_are_rounded_half_up(settings):
    rows = [
        ["Pvm", "Lähde", "Summa"],
        ["3/2012", "Kunta", 0.125],
        ["4/2012", "Kunta", 2.675],
        ["5/2012", "Kunta", -0.005],
    ]
    sheet = sheet_of(xlsx_bytes({"Rahoitus": rows}), settings)
    assert [r["amount"] for r in sheet.records] == [0.13, 2.68, -0.01]


# A record dated on the upload day is taken; one dated the day after is in the future.
def test_a_date_on_the_upload_day_is_taken_and_the_next_day_is_not(settings):
    today = D(2013, 5, 15)
    rows = [CONTACT_HEADER, ["15.5.2013", "Hartola", "Yritys"], ["16.5.2013", "Hartola", "Yritys"]]
    sheet = sheet_of(xlsx_bytes({"Kontaktit": rows}), settings, today=today)
    assert [r["day"] for r in sheet.records] == [today]
    assert [(r.row, r.problems[0].code) for r in sheet.rejected] == [(3, "date_in_future")]


# --skip-invalid
def _ingest(path, db, *flags) -> int:
    return main(["ingest", str(path), "--db", str(db), *flags])


def test_skip_invalid_with_every_row_rejected_stores_nothing_and_says_so(db, tmp_path, capsys):
    path = tmp_path / "Hartola.xlsx"
    path.write_bytes(
        xlsx_bytes({"Kontaktit": [CONTACT_HEADER, ["32.1.2012", "Hartola", "Yritys"], ["2.1.2012", "Lahti", "Yritys"]]})
    )
    before = store.data_version(db)
    assert _ingest(path, db, "--skip-invalid") == 1
    err = capsys.readouterr().err
    assert "Mitään ei tallennettu." in err
    assert store.data_version(db) == before and store.history(db).empty


def test_a_rejected_sheet_stops_the_upload_unless_skip_invalid(db, tmp_path, capsys):
    """Työpaikat lacks its required Kunta column: the whole sheet is rejected. Without --skip-invalid nothing is
    stored; with it, the 2 contacts are stored and the jobs are not."""
    path = tmp_path / "Sysma.xlsx"
    contacts = [
        CONTACT_HEADER,
        ["2.1.2012", "Sysmä", "Yritys", None, "S1"],
        ["3.1.2012", "Sysmä", "Yritys", None, "S2"],
    ]
    path.write_bytes(xlsx_bytes({"Kontaktit": contacts, "Työpaikat": [["Pvm", "Sukupuoli"], ["2.1.2012", "N"]]}))
    assert _ingest(path, db) == 1
    err = capsys.readouterr().err
    assert "Mitään ei tallennettu. Korjaa hylätyt rivit tai käytä valintaa --skip-invalid." in err
    assert store.history(db).empty
    assert _ingest(path, db, "--skip-invalid") == 0
    assert "Tallennettu: Sysma versio 1, 2 riviä" in capsys.readouterr().out
    with store.connect(db) as con:
        assert con.execute("SELECT count(*) FROM contacts").fetchall() == [(2,)]
        assert con.execute("SELECT count(*) FROM jobs").fetchall() == [(0,)]


# The overlap warning: another source holding 20 % or more of the new file's records.
def _contacts(municipality: str, days: range) -> list[list]:
    return [[D(2012, 2, d), municipality, "Yritys", None, f"{municipality}-{d}"] for d in days]


@pytest.mark.parametrize(("new_rows", "warned"), [(5, True), (6, False)])
def test_the_overlap_warning_starts_at_one_record_in_five(new_rows, warned, db, ingest):
    ingest({"Heinola.xlsx": xlsx_bytes({"Kontaktit": [CONTACT_HEADER, *_contacts("Heinola", range(1, 11))]})})
    # one record of Heinola's, and 4 or 5 of its own: 1/5 = 20 % warns, 1/6 = 16.7 % does not
    rows = _contacts("Heinola", range(1, 2)) + _contacts("Heinola", range(20, 20 + new_rows - 1))
    plan = prepare_upload(xlsx_bytes({"Kontaktit": [CONTACT_HEADER, *rows]}), "muut.xlsx", db, today=TODAY)
    assert plan.source == "muut"
    assert [m.source for m in plan.overlaps] == (["Heinola"] if warned else [])
    assert ("overlap" in [p.code for p in plan.problems]) is warned


# A distinct count's cumulative path counts each key in the month it was first seen.
def test_a_distinct_key_is_counted_in_the_month_it_was_first_seen(db, ingest):
    rows = [
        [D(2012, 1, 10), "Heinola", "Yritys", None, "Y1"],
        [D(2012, 3, 5), "Heinola", "Yritys", None, "Y1"],  # Y1 again: not new in March
        [D(2012, 3, 6), "Heinola", "Yritys", None, "Y2"],
        [D(2012, 4, 1), "Sysmä", "Yritys", None, "y2 "],  # the same key, written otherwise
    ]
    ingest({"Heinola.xlsx": xlsx_bytes({"Kontaktit": [CONTACT_HEADER, *rows]})})
    frame = monthly_cumulative(db, "palvellut_yritykset", Query(until=D(2012, 4, 30)))
    assert len(frame) == 13 and frame["month"].iloc[0] == pd.Timestamp("2011-04-01")  # April 2011 to April 2012
    assert [m.strftime("%Y-%m") for m in frame["month"]][-5:] == ["2011-12", "2012-01", "2012-02", "2012-03", "2012-04"]
    assert frame["realised"].tolist()[-5:] == [0, 1, 0, 1, 0]
    assert frame["cumulative"].tolist()[-5:] == [0, 1, 1, 2, 2]
    # a view from March sees Y1 first in March
    since_march = monthly_cumulative(db, "palvellut_yritykset", Query(since=D(2012, 3, 1), until=D(2012, 4, 30)))
    assert since_march["realised"].tolist()[-2:] == [2, 0]


# The sign-in throttle: free attempts, then a doubling wait up to 300 s; a success does not clear the count
# (a viewer could otherwise clear their guesses at the staff password); a quiet hour does.
def test_the_throttle_checks_five_per_quarter_hour_survives_a_success_and_forgets_after_it(monkeypatch):
    now = [0.0]
    throttle = auth.Throttle(clock=lambda: now[0])
    config = {"staff_password_hash": auth.hash_password("oikea")}
    attempts = []
    for _ in range(7):
        attempts.append(auth.sign_in("väärä", config, throttle, "ip:10.0.0.7"))
        now[0] += 100.0
    # checked at 0, 100, 200, 300, 400 s; after the 5th the wait runs to 900 s (the 1st a quarter hour old)
    assert [(a.checked, a.wait) for a in attempts] == [
        (True, 0.0),
        (True, 0.0),
        (True, 0.0),
        (True, 0.0),
        (True, 500.0),
        (False, 400.0),
        (False, 300.0),
    ]
    now[0] = 900.0
    assert auth.sign_in("oikea", config, throttle, "ip:10.0.0.7") == ("staff", 0.0, True)
    assert auth.sign_in("väärä", config, throttle, "ip:10.0.0.7") == (None, 100.0, True)  # the count goes on
    now[0] = 900.0 + 400.0 + auth.WINDOW_S
    assert auth.sign_in("väärä", config, throttle, "ip:10.0.0.7") == (None, 0.0, True)  # forgotten: the first again


# The funding page's public funding is the catalogue's public sources, not a copy of them.
def test_the_funding_pages_public_sum_is_the_catalogues_public_funding(sample_db):
    cumulative = funding.cumulative_funding(funding.funding_by_month(sample_db))
    assert round(cumulative["eu_state"].iloc[-1]) == 613288  # domain.md
    assert round(cumulative["public"].iloc[-1]) == 766613
    whole = indicator_table(sample_db).set_index("indicator")["actual"]
    assert cumulative["public"].iloc[-1] == pytest.approx(whole["julkinen_rahoitus"])
    assert cumulative["eu_state"].iloc[-1] == pytest.approx(whole["rahoitus_eu_valtio"])


def test_private_funding_is_not_public_funding():
    import pandas as pd

    assert "Yksityinen" not in catalogue.BY_CODE["julkinen_rahoitus"].filter_values
    by_month = pd.DataFrame(
        {
            "month": pd.to_datetime(["2012-01-01", "2012-01-01", "2012-01-01"]),
            "source": ["EU ja valtio", "Kunta", "Yksityinen"],
            "amount": [100.0, 20.0, 5.0],
        }
    )
    got = funding.cumulative_funding(by_month)
    assert (got["eu_state"].iloc[-1], got["public"].iloc[-1]) == (100.0, 120.0)
