"""The acceptance test: the example workbooks reproduce the final report's table exactly."""

import io

from conftest import TODAY

from vvr_metrics.exports import indicators_csv
from vvr_metrics.indicators import indicator_table
from vvr_metrics.reading import parse_workbook
from vvr_metrics.sample import build_sample, sample_files
from vvr_metrics.template import write_template
from vvr_metrics.workbook_reader import read_workbook

OFFICIAL = (
    "indicator,target,target_women,actual,actual_women,actual_men\n"
    "uudet_tyopaikat,60,25,72,19,53\n"
    "uudet_yritykset,25,7,20,10,10\n"
    "yrityskontaktit,1400,,1421,,\n"
    "tyonhakijakontaktit,1300,,1753,798,883\n"
    "kumppanikontaktit,1300,,1708,,\n"
    "palvellut_yritykset,150,,153,,\n"
    "tyollistetyt,270,,253,135,118\n"
    "kesatyopaikat,,,203,94,109\n"
    "koulutukset,6,,9,,\n"
    "koulutuksiin_osallistuneet,,,240,127,113\n"
    "uudet_hankkeet,4,,2,,\n"
    "rahoitus_eu_valtio,620000,,613288,,\n"
    "julkinen_rahoitus,775000,,766613,,\n"
)


def test_sample_reproduces_the_official_table(sample_db):
    """Planned and realised of the domain brief: jobs 72/19, companies 20/10, contacts 1 421, 1 753 and 1 708,
    153 companies served, 228 + 25 placements, 203 summer jobs, 9 trainings, 2 projects, 613 288 € and 766 613 €."""
    assert indicators_csv(indicator_table(sample_db)) == OFFICIAL


def test_sample_placements_and_trainings_detail(sample_db):
    from vvr_metrics import store

    with store.connect(sample_db) as con:
        measures = dict(con.execute("SELECT measure, count(*) FROM placements GROUP BY measure").fetchall())
        entrepreneurship = con.execute("SELECT count(*) FROM trainings WHERE entrepreneurship").fetchall()[0][0]
        coaching = con.execute(
            "SELECT participants_women + participants_men FROM trainings "
            "WHERE training LIKE 'Yrittäjävalmennus%' ORDER BY day"
        ).fetchall()
    assert measures["Työsopimus ilman tukea"] + measures["Tuettu työllistäminen"] == 228
    assert measures["Työsopimus ilman tukea"] == 72
    assert measures["Koulutus"] == 25 and measures["Kesätyö"] == 203
    assert entrepreneurship == 6
    assert coaching == [(65,), (69,)]


def test_breakdowns_add_up_to_the_whole_project(sample_db):
    whole = indicator_table(sample_db).set_index("indicator")["actual"]
    by_m = indicator_table(sample_db, by=["municipality"]).groupby("indicator")["actual"].sum()
    by_y = indicator_table(sample_db, by=["year"]).groupby("indicator")["actual"].sum()
    for code in ("uudet_tyopaikat", "yrityskontaktit", "tyollistetyt", "rahoitus_eu_valtio"):
        assert round(float(by_y[code]), 2) == round(float(whole[code]), 2)
    assert float(by_m["uudet_tyopaikat"]) == 72
    # companies served is distinct per group: the groups add up to more than the project-wide count
    assert float(by_y["palvellut_yritykset"]) > float(whole["palvellut_yritykset"])


def test_committed_sample_is_what_the_generator_writes(settings):
    """data/sample/ is regenerated with `make sample`; the cells must match the generator's."""
    built = build_sample()
    committed = {p.name: p for p in sample_files()}
    assert sorted(built) == sorted(committed)
    for name, wb in built.items():
        buf = io.BytesIO()
        wb.save(buf)
        fresh = read_workbook(buf.getvalue(), name, settings)
        stored = read_workbook(committed[name].read_bytes(), name, settings)
        assert [(s.name, s.rows) for s in fresh.sheets] == [(s.name, s.rows) for s in stored.sheets], name


def test_sample_is_laid_out_as_staff_keep_it(settings):
    path = next(p for p in sample_files() if p.name.startswith("Heinola"))
    parsed = parse_workbook(read_workbook(path.read_bytes(), path.name, settings), settings, TODAY)
    contacts = next(s for s in parsed.sheets if s.spec.table == "contacts")
    assert contacts.header_row == 4  # title rows above the header
    assert contacts.totals_rows  # a totals row at the bottom
    raw = read_workbook(path.read_bytes(), path.name, settings)
    texts = [v for s in raw.sheets for row in s.rows for v in row[:2] if isinstance(v, str) and v[:1].isdigit()]
    assert any("." in t for t in texts)  # some dates typed as text
    assert "Ohjeet" in parsed.ignored_sheets


def test_template_reads_back_without_errors(settings):
    buf = io.BytesIO()
    write_template(buf)
    raw = read_workbook(buf.getvalue(), "pohja.xlsx", settings)
    parsed = parse_workbook(raw, settings, TODAY)
    assert parsed.blockers == []
    assert len(parsed.sheets) == 8
    assert all(s.header_row == 1 and not s.rejected and not s.problems for s in parsed.sheets)
    assert parsed.ignored_sheets == ["Ohjeet"]


def test_template_has_instructions_and_drop_downs():
    from openpyxl import load_workbook

    buf = io.BytesIO()
    write_template(buf)
    wb = load_workbook(io.BytesIO(buf.getvalue()))
    assert "henkilötunnus" in " ".join(str(c.value) for c in wb["Ohjeet"]["A"]).lower()
    lists = {}
    for ws in wb.worksheets[1:]:
        for dv in ws.data_validations.dataValidation:
            lists[(ws.title, str(dv.sqref).split(":")[0])] = dv.formula1
    assert lists[("Kontaktit", "B2")] == '"Hartola,Heinola,Sysmä"'
    assert lists[("Kontaktit", "C2")] == '"Yritys,Työnhakija,Yhteistyökumppani"'
    assert lists[("Kontaktit", "D2")] == '"N,M,-"'
    assert lists[("Työllistäminen", "C2")].startswith('"Työsopimus ilman tukea,')
    assert lists[("Rahoitus", "B2")] == '"EU ja valtio,Kunta,Muu julkinen,Yksityinen"'
    assert lists[("Työpaikat", "D2")] == '"K,E"'
