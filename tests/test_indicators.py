"""Every catalogue entry, distinct counting within groups, and the target rules of the spec."""

import datetime as dt

import pandas as pd
import pytest
from conftest import CONTACT_HEADER, xlsx_bytes

from vvr_metrics import catalogue
from vvr_metrics.indicators import indicator_table, parse_by
from vvr_metrics.query import Query
from vvr_metrics.settings import load_settings

D = dt.date

TINY = {
    "Kontaktit": [
        CONTACT_HEADER,
        [D(2012, 1, 2), "Heinola", "Yritys", None, "Y1", None],
        [D(2012, 2, 2), "Heinola", "Yritys", None, "y1 ", None],  # same company, other spelling
        [D(2012, 2, 3), "Sysmä", "Yritys", None, "Y1", None],  # same company met in another municipality
        [D(2013, 3, 4), "Heinola", "Yritys", None, "Y2", None],
        [D(2013, 3, 5), "Heinola", "Yritys", None, None, None],  # no client id: a contact, not a company
        [D(2012, 5, 6), "Hartola", "Työnhakija", "N", "A1", None],
        [D(2012, 5, 7), "Hartola", "Työnhakija", "M", "A2", None],
        [D(2012, 5, 8), "Hartola", "Työnhakija", None, "A3", None],
        [D(2014, 1, 9), "Sysmä", "Yhteistyökumppani", None, None, None],
    ],
    "Työpaikat": [
        ["Pvm", "Kunta", "Sukupuoli", "Uusi työpaikka"],
        [D(2012, 3, 1), "Heinola", "N", None],  # blank = new
        [D(2012, 3, 2), "Heinola", "M", "K"],
        [D(2013, 3, 3), "Sysmä", "N", "E"],  # not a new job
    ],
    "Yritykset": [
        ["Perustamispvm", "Kunta", "Perustajan sukupuoli"],
        [D(2012, 4, 1), "Hartola", "N"],
        [D(2013, 4, 1), "Hartola", None],
    ],
    "Työllistäminen": [
        ["Pvm", "Kunta", "Toimenpide", "Sukupuoli"],
        [D(2012, 6, 1), "Heinola", "Työsopimus ilman tukea", "N"],
        [D(2012, 6, 2), "Heinola", "Tuettu työllistäminen", "M"],
        [D(2012, 6, 3), "Heinola", "Koulutus", "N"],
        [D(2012, 6, 4), "Heinola", "Muu palvelu", None],
        [D(2013, 6, 5), "Heinola", "Kesätyö", "N"],
    ],
    "Koulutukset": [
        ["Alkupvm", "Koulutus", "Kunta", "Yrittäjyys", "Osallistujat naiset", "Osallistujat miehet"],
        [D(2012, 9, 1), "Yrittäjäksi", "Sysmä", "K", 5, 3],
        [D(2013, 9, 1), "Työnhaku", None, "E", 2, None],  # no municipality: whole project only
    ],
    "Hankkeet": [["Pvm", "Hanke", "Kunta"], [D(2013, 1, 15), "Kesätyöpassi", "Heinola"]],
    "Rahoitus": [
        ["Pvm", "Lähde", "Summa", "Kunta"],
        ["4/2011", "EU ja valtio", "1 000,55 €", None],
        [D(2012, 1, 31), "Kunta", 200.10, "Heinola"],
        ["2012-02", "Muu julkinen", 50, None],
        ["3.2012", "Yksityinen", 999, None],
    ],
}

EXPECTED = {  # code: (actual, women, men)
    "uudet_tyopaikat": (2, 1, 1),
    "uudet_yritykset": (2, 1, 0),
    "yrityskontaktit": (5, None, None),
    "tyonhakijakontaktit": (3, 1, 1),
    "kumppanikontaktit": (1, None, None),
    "palvellut_yritykset": (2, None, None),
    "tyollistetyt": (4, 2, 1),
    "kesatyopaikat": (1, 1, 0),
    "koulutukset": (2, None, None),
    "koulutuksiin_osallistuneet": (10, 7, 3),
    "uudet_hankkeet": (1, None, None),
    "rahoitus_eu_valtio": (1000.55, None, None),
    "julkinen_rahoitus": (1250.65, None, None),
}


def as_dict(table, *keys):
    def val(v):
        return None if v is None or v != v else (round(float(v), 2))

    return {
        tuple(r[k] for k in ("indicator", *keys)): tuple(val(r[c]) for c in ("actual", "actual_women", "actual_men"))
        for r in table.astype(object).where(table.notna(), None).to_dict("records")
    }


@pytest.fixture
def tiny_db(db, ingest):
    ingest({"tiny.xlsx": xlsx_bytes(TINY)})
    return db


def test_every_catalogue_entry_is_tested():
    assert set(EXPECTED) == {i.code for i in catalogue.CATALOGUE}


def test_every_catalogue_entry_counts_what_the_spec_says(tiny_db):
    got = as_dict(indicator_table(tiny_db))
    assert got == {(code,): exp for code, exp in EXPECTED.items()}


def test_distinct_companies_are_distinct_within_each_group(tiny_db):
    by_m = as_dict(indicator_table(tiny_db, by=["municipality"]), "municipality")
    assert by_m[("palvellut_yritykset", "Heinola")][0] == 2
    assert by_m[("palvellut_yritykset", "Sysmä")][0] == 1
    by_y = as_dict(indicator_table(tiny_db, by=["year"]), "year")
    assert by_y[("palvellut_yritykset", 2012)][0] == 1
    assert by_y[("palvellut_yritykset", 2013)][0] == 1
    # project-wide distinct is not the sum of the groups
    assert as_dict(indicator_table(tiny_db))[("palvellut_yritykset",)][0] == 2


def test_records_without_municipality_count_for_the_whole_project_only(tiny_db):
    by_m = as_dict(indicator_table(tiny_db, by=["municipality"]), "municipality")
    assert by_m[("koulutukset", "Sysmä")][0] == 1
    assert sum(v[0] for k, v in by_m.items() if k[0] == "koulutukset") == 1
    assert as_dict(indicator_table(tiny_db))[("koulutukset",)][0] == 2


def test_groups_by_municipality_and_year_and_month(tiny_db):
    t = indicator_table(tiny_db, by=["year", "municipality"])
    assert list(t.columns) == [
        "indicator",
        "year",
        "municipality",
        "target",
        "target_women",
        "actual",
        "actual_women",
        "actual_men",
    ]
    got = as_dict(t, "year", "municipality")
    assert got[("yrityskontaktit", 2012, "Heinola")][0] == 2
    assert got[("yrityskontaktit", 2013, "Heinola")][0] == 2
    months = as_dict(indicator_table(tiny_db, by=["month"]), "month")
    assert months[("rahoitus_eu_valtio", "2011-04")][0] == 1000.55
    assert months[("julkinen_rahoitus", "2012-02")][0] == 50


def test_as_of_and_municipality_filters(tiny_db):
    before = as_dict(indicator_table(tiny_db, query=Query(until=D(2012, 12, 31)), include_empty=True))
    assert before[("yrityskontaktit",)][0] == 3
    assert before[("uudet_hankkeet",)][0] == 0
    heinola = as_dict(indicator_table(tiny_db, query=Query(("Heinola",))))
    assert heinola[("yrityskontaktit",)][0] == 4


def test_rows_only_for_groups_with_records_or_a_target(db, ingest):
    ingest(
        {
            "jobs.xlsx": xlsx_bytes(
                {
                    "Työpaikat": [["Pvm", "Kunta", "Uusi työpaikka"], [D(2012, 3, 1), "Heinola", "E"]],
                    "Tavoitteet": [["Indikaattori", "Kunta", "Tavoite"], ["uudet_hankkeet", "Sysmä", 2]],
                }
            )
        }
    )
    t = indicator_table(db, by=["municipality"])
    assert [(r.indicator, r.municipality) for r in t.itertuples()] == [("uudet_hankkeet", "Sysmä")]
    assert t["actual"].iloc[0] == 0
    assert set(indicator_table(db, include_empty=True)["indicator"]) == {i.code for i in catalogue.CATALOGUE}


def targets_db(db, ingest, rows):
    ingest(
        {
            "tavoitteet.xlsx": xlsx_bytes(
                {"Tavoitteet": [["Indikaattori", "Kunta", "Vuosi", "Tavoite", "Tavoite naiset"], *rows]}
            )
        }
    )
    return db


def target_of(db, by=(), **key):
    t = indicator_table(db, by=by)
    t = t[t["indicator"] == "uudet_tyopaikat"]
    for k, v in key.items():
        t = t[t[k] == v]
    assert len(t) == 1
    row = t.iloc[0]
    return tuple(None if pd.isna(row[c]) else float(row[c]) for c in ("target", "target_women"))


def test_whole_project_row_wins(db, ingest):
    targets_db(db, ingest, [["uudet_tyopaikat", None, None, 60, 25], ["uudet_tyopaikat", None, 2012, 10, 4]])
    assert target_of(db) == (60, 25)
    assert target_of(db, ["year"], year=2012) == (10, 4)


def test_missing_whole_project_row_is_the_sum_of_the_most_detailed_rows(db, ingest):
    targets_db(
        db,
        ingest,
        [
            ["uudet_tyopaikat", "Heinola", 2012, 5, 2],
            ["uudet_tyopaikat", "Sysmä", 2013, 3, 1],
            ["uudet_tyopaikat", None, 2012, 100, None],
        ],
    )
    assert target_of(db) == (8, 3)  # municipality × year rows beat the year row
    assert target_of(db, ["municipality"], municipality="Heinola") == (5, 2)
    assert target_of(db, ["year"], year=2012) == (100, None)  # the year's own row
    assert target_of(db, ["year"], year=2013) == (3, 1)


def test_sum_of_yearly_or_municipal_rows(db, ingest):
    targets_db(db, ingest, [["uudet_tyopaikat", None, 2012, 10, 4], ["uudet_tyopaikat", None, 2013, 20, None]])
    assert target_of(db) == (30, None)  # women's target is known only if every row gives it
    assert parse_by("municipality,year") == ("municipality", "year")


def test_newest_upload_wins_for_the_same_target(db, ingest):
    ingest({"a.xlsx": xlsx_bytes({"Tavoitteet": [["Indikaattori", "Tavoite"], ["uudet_tyopaikat", 60]]})})
    ingest({"b.xlsx": xlsx_bytes({"Tavoitteet": [["Indikaattori", "Tavoite"], ["uudet_tyopaikat", 65]]})})
    assert target_of(db) == (65, None)


def test_unknown_grouping_is_refused():
    with pytest.raises(ValueError):
        parse_by("kunta")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ()),
        (None, ()),
        (" municipality , year ", ("municipality", "year")),
        ("month", ("month",)),
        (["year", "municipality"], ("year", "municipality")),
        ("municipality,,year,", ("municipality", "year")),
    ],
)
def test_a_grouping_is_read_in_its_order(text, expected):
    assert parse_by(text) == expected


@pytest.mark.parametrize(("text", "message"), [("kunta", "kunta"), ("year,vuosi", "vuosi"), ("year,year", "year,year")])
def test_an_unknown_or_repeated_grouping_is_named(text, message):
    with pytest.raises(ValueError) as err:
        parse_by(text)
    assert err.value.args == (message,)


def test_a_target_given_again_by_another_source_is_a_warning_naming_both(db, ingest):
    header = ["Indikaattori", "Kunta", "Vuosi", "Tavoite"]
    ingest({"a.xlsx": xlsx_bytes({"Tavoitteet": [header, ["uudet_tyopaikat", "Heinola", 2012, 10]]})})
    from vvr_metrics.uploads import prepare_upload

    rows = [header, ["uudet_tyopaikat", "Heinola", 2012, 12], ["uudet_tyopaikat", "Heinola", 2013, 5],
            ["uudet_tyopaikat", None, 2012, 30], ["uudet_yritykset", "Heinola", 2012, 3]]  # fmt: skip
    plan = prepare_upload(xlsx_bytes({"Tavoitteet": rows}), "b.xlsx", db)
    assert [(p.severity, p.line("fi")) for p in plan.problems if p.code == "target_overridden"] == [
        (
            "warning",
            'b.xlsx: Tavoitteet, rivi 2: Tavoite (uudet_tyopaikat) korvaa lähteen "a" aiemmin antaman tavoitteen',
        )
    ]
    again = prepare_upload(xlsx_bytes({"Tavoitteet": rows}), "a.xlsx", db, source="a")  # a's new version: no warning
    assert [p for p in again.problems if p.code == "target_overridden"] == []


def _t(municipality, year, target, women=None):
    return {"municipality": municipality, "year": year, "target": float(target), "target_women": women}


def test_a_views_target_follows_the_rules_for_municipalities_and_years():
    """By hand from the rule in indicators._target_in_view."""
    from vvr_metrics.indicators import _target_in_view

    rows = [
        _t("Hartola", None, 20, 8.0),  # Hartola's own whole-period row
        _t("Hartola", 2012, 5, 2.0),
        _t("Heinola", 2012, 7, 3.0),  # Heinola has yearly rows only
        _t("Heinola", 2013, 9, 4.0),
        _t(None, 2012, 40),  # the whole project's 2012 row
        _t("Sysmä", 2013, 6),
    ]
    assert _target_in_view(rows, ["Hartola"], None) == (20.0, 8.0)  # its own row, not 20 + 5
    assert _target_in_view(rows, ["Heinola"], None) == (16.0, 7.0)  # 7 + 9, 3 + 4
    assert _target_in_view(rows, ["Hartola", "Heinola"], None) == (36.0, 15.0)
    assert _target_in_view(rows, ["Hartola", "Sysmä"], None) == (26.0, None)  # Sysmä gives no women's target
    assert _target_in_view(rows, ["Lahti"], None) == (None, None)
    assert _target_in_view(rows, None, {2012: 1.0}) == (40.0, None)  # the year's own row
    assert _target_in_view(rows, None, {2013: 0.5}) == (7.5, None)  # Heinola 9 + Sysmä 6, half the year
    assert _target_in_view(rows, None, {2012: 1.0, 2013: 1.0}) == (55.0, None)
    assert _target_in_view(rows, None, {2014: 1.0}) == (None, None)
    assert _target_in_view(rows, ["Heinola"], {2012: 1.0, 2013: 0.5}) == (11.5, 5.0)  # 7 + 4.5, 3 + 2
    assert _target_in_view(rows, ["Heinola", "Sysmä"], {2012: 1.0}) == (None, None)  # Sysmä has no 2012 row
    assert _target_in_view(rows, ["Hartola"], {2013: 1.0}) == (None, None)  # no Hartola 2013 row


def test_realised_by_month_and_cumulated_for_a_count(db, ingest):
    rows = [["Pvm", "Kunta"], ["2.1.2012", "Hartola"], ["3.1.2012", "Heinola"], ["4.3.2012", "Sysmä"]]
    ingest({"t.xlsx": xlsx_bytes({"Työpaikat": rows})})
    from vvr_metrics.indicators import monthly_cumulative
    from vvr_metrics.query import Query

    frame = monthly_cumulative(db, "uudet_tyopaikat", Query(until=dt.date(2012, 4, 30)), load_settings())
    assert len(frame) == 13 and frame["month"].iloc[0] == pd.Timestamp("2011-04-01")
    assert frame["realised"].tolist()[-5:] == [0.0, 2.0, 0.0, 1.0, 0.0]  # December 2011 to April 2012
    assert frame["cumulative"].tolist()[-5:] == [0.0, 2.0, 2.0, 3.0, 3.0]
    heinola = monthly_cumulative(
        db, "uudet_tyopaikat", Query(("Heinola",), until=dt.date(2012, 4, 30)), load_settings()
    )
    assert heinola["cumulative"].iloc[-1] == 1.0


def test_the_placement_split_and_the_records_a_municipal_view_leaves_out(db, ingest):
    from vvr_metrics.indicators import by_measure, records_without_municipality
    from vvr_metrics.query import Query

    rows = [["Pvm", "Kunta", "Toimenpide"], ["2.1.2012", "Hartola", "Koulutus"], ["3.1.2012", "Hartola", "Koulutus"],
            ["4.1.2012", "Heinola", "Tuettu työllistäminen"], ["5.6.2013", "Sysmä", "Koulutus"]]  # fmt: skip
    funding = [["Pvm", "Lähde", "Summa"], ["3/2012", "Kunta", 10], ["4/2013", "Kunta", 20]]
    ingest({"t.xlsx": xlsx_bytes({"Työllistäminen": rows, "Rahoitus": funding})})
    assert by_measure(db, "tyollistetyt") == {"Koulutus": 3.0, "Tuettu työllistäminen": 1.0}
    assert by_measure(db, "tyollistetyt", Query(("Hartola",))) == {"Koulutus": 2.0}
    assert by_measure(db, "tyollistetyt", Query(until=dt.date(2012, 12, 31))) == {
        "Koulutus": 2.0,
        "Tuettu työllistäminen": 1.0,
    }
    # the funding rows have no municipality: two records, one of them in 2013
    assert records_without_municipality(db) == 2
    assert records_without_municipality(db, Query(("Hartola",), since=dt.date(2013, 1, 1))) == 1


def test_a_distinct_count_with_no_keys_is_zero_not_missing(db, ingest):
    rows = [["Pvm", "Kunta", "Kontaktityyppi"], ["2.1.2012", "Hartola", "Yritys"], ["3.1.2012", "Hartola", "Yritys"]]
    ingest({"k.xlsx": xlsx_bytes({"Kontaktit": rows})})
    table = indicator_table(db).set_index("indicator")
    assert table.at["yrityskontaktit", "actual"] == 2 and table.at["palvellut_yritykset", "actual"] == 0


def test_a_view_from_the_project_start_is_the_whole_project(db, ingest):
    from vvr_metrics.query import Query

    targets_db(db, ingest, [["uudet_tyopaikat", None, None, 60, None]])
    whole = indicator_table(db, query=Query(since=dt.date(2011, 4, 1))).set_index("indicator")
    assert whole.at["uudet_tyopaikat", "target"] == 60


def test_the_store_read_is_the_one_named_not_the_default(db, ingest, tmp_path, monkeypatch):
    from vvr_metrics.indicators import by_measure, monthly_cumulative, records_without_municipality
    from vvr_metrics.query import Query

    rows = [["Pvm", "Kunta", "Toimenpide"], ["2.1.2012", "Hartola", "Koulutus"]]
    contacts = [["Pvm", "Kunta", "Kontaktityyppi", "Asiakastunnus"], ["2.1.2012", "Hartola", "Yritys", "Y1"]]
    funding = [["Pvm", "Lähde", "Summa"], ["3/2012", "Kunta", 5]]
    ingest({"t.xlsx": xlsx_bytes({"Työllistäminen": rows, "Rahoitus": funding, "Kontaktit": contacts})})
    monkeypatch.setenv("VVR_DB", str(tmp_path / "elsewhere.duckdb"))  # the default store is another, empty one
    assert by_measure(db, "tyollistetyt") == {"Koulutus": 1.0}
    assert records_without_municipality(db) == 1
    until = Query(until=dt.date(2012, 1, 31))
    assert monthly_cumulative(db, "tyollistetyt", until)["cumulative"].iloc[-1] == 1.0
    assert monthly_cumulative(db, "palvellut_yritykset", until)["cumulative"].iloc[-1] == 1.0
