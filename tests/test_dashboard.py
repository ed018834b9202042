"""Every page with AppTest, on the example store and on an empty one; key widgets (by key) change what is shown."""

import base64
import datetime as dt
import io
import json
import re
from pathlib import Path

import numpy as np
import pytest
from conftest import CONTACT_HEADER, xlsx_bytes
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from vvr_metrics import store

ROOT = Path(__file__).resolve().parent.parent
PAGES = [
    "pages/overview.py",
    "pages/indicator.py",
    "pages/explore.py",
    "pages/upload.py",
    "pages/funding.py",
    "pages/slideshow.py",
]
CHARTS = {
    "pages/overview.py": 1,
    "pages/indicator.py": 3,
    "pages/explore.py": 1,
    "pages/upload.py": 0,
    "pages/funding.py": 3,
    "pages/slideshow.py": 0,  # the title slide: text only
}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def app(page: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90).run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def spec(at, i=0) -> dict:
    return json.loads(at.get("plotly_chart")[i].proto.spec)


def values(field) -> list:
    """A plotly data array: a plain list, or numpy's typed-array encoding {dtype, bdata}."""
    if isinstance(field, dict) and "bdata" in field:
        return np.frombuffer(base64.b64decode(field["bdata"]), dtype=field["dtype"]).tolist()
    return list(field)


@pytest.fixture
def empty_store(db, ingest):
    """A store with a history but nothing in use: no example data is loaded into it."""
    ingest({"vanha.xlsx": xlsx_bytes({"Kontaktit": [CONTACT_HEADER, ["2.1.2012", "Heinola", "Yritys"]]})})
    store.delete_source(db, "vanha")
    return db


def uploader(at):
    """The page's drop zone (its key changes after every store or cancel, which clears it)."""
    return at.file_uploader(key=f"upload_files_{at.session_state['upload_round']}")


def button(at, name: str):
    return at.button(key=f"{name}_{at.session_state['upload_round']}")


def table_rows(at, i=0) -> dict:
    value = at.dataframe[i].value
    frame = value.data if hasattr(value, "data") else value  # a Styler or a DataFrame
    return {row[0]: list(row[1:]) for row in frame.itertuples(index=False)}


TITLES = {  # each page's heading on the example data (and on an empty store)
    "pages/overview.py": "Suunniteltu ja toteutunut koko hankkeessa",
    "pages/indicator.py": "Uudet työpaikat",
    "pages/explore.py": "Tutki tietoja",
    "pages/upload.py": "Lataa seurantatiedot",
    "pages/funding.py": "Rahoitus",
    "pages/slideshow.py": "Verkostosta Voimaa – rakennemuutoshanke",  # the title slide
}


def heading(at) -> str:
    """A page's title, or the slideshow's: its slide's own heading."""
    if at.title:
        return at.title[0].value
    slides = [re.search(r"<h1>(.*?)</h1>", h.proto.body) for h in at.get("html")]
    return next((m.group(1) for m in slides if m), "")


@pytest.mark.parametrize("page", PAGES)
def test_every_page_on_the_sample_store(sample_store, page):
    at = app(page)
    assert heading(at) == TITLES[page]
    assert len(at.get("plotly_chart")) == CHARTS[page]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_on_an_empty_store(empty_store, page):
    at = app(page)
    assert heading(at) == TITLES[page]
    assert not at.warning or all("ESIMERKKI" not in w.value for w in at.warning)


def test_overview_table_metrics_and_chart(sample_store):
    at = app()
    rows = table_rows(at)
    assert rows["Uudet työpaikat"][:6] == ["60", "25", "72", "19", "53", "120,0\u00a0%"]
    assert rows["Uudet yritykset"][-1] == "▼ jäljessä"
    assert rows["Yrityskontaktit"][2] == "1\u00a0421"
    assert rows["Julkinen rahoitus yhteensä"][2] == "766\u00a0613\u00a0€"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Uudet työpaikat"] == "72" and metrics["EU- ja valtion rahoitus"] == "613\u00a0288\u00a0€"
    chart = spec(at)
    assert chart["layout"]["separators"] == ",\u00a0"  # CLDR fi: decimal comma, no-break space between thousands
    assert "tilanne 31.12.2014" in chart["layout"]["title"]["text"]


def test_language_switch(sample_store):
    at = app()
    at.radio(key="lang").set_value("en").run()
    assert not at.exception
    assert at.title[0].value == "Planned and realised, whole project"
    rows = table_rows(at)
    assert rows["New jobs"][2] == "72" and rows["Employer contacts"][2] == "1,421"
    assert spec(at)["layout"]["separators"] == ".,"


def test_municipality_and_period_filters(sample_store):
    at = app()
    at.multiselect(key="municipalities").set_value(["Heinola"]).run()
    assert table_rows(at)["Uudet työpaikat"][2] == "36"  # Heinola: 9 women + 27 men
    at = app()
    at.slider(key="period").set_value((dt.date(2011, 4, 1), dt.date(2011, 12, 31))).run()
    assert not at.exception
    assert table_rows(at)["Uudet työpaikat"][2] == "5"


def test_indicator_page_follows_the_choice(sample_store):
    at = app("pages/indicator.py")
    assert at.title[0].value == "Uudet työpaikat"
    by_year = spec(at, 1)
    bars = [b for b in by_year["data"] if b["type"] == "bar"][0]
    assert bars["x"] == ["2011", "2012", "2013", "2014"]
    assert sum(values(bars["y"])) == 72
    at.selectbox(key="indicator").set_value("rahoitus_eu_valtio").run()
    assert not at.exception
    assert at.title[0].value == "EU- ja valtion rahoitus"
    # funding has no municipality: one sentence instead of an empty chart by municipality
    assert any(i.value.startswith("EU- ja valtion rahoitus kunnittain") and "ei kuvaa" in i.value for i in at.info)
    charts = {c.key: json.loads(c.proto.spec) for c in at.get("plotly_chart")}
    assert "municipality_chart" not in charts
    cumulative = charts["cumulative_chart"]
    realised = [t for t in cumulative["data"] if t["name"] == "Toteutunut"][0]
    assert round(values(realised["y"])[-1]) == 613288
    assert any(t["name"] == "Tavoitepolku" for t in cumulative["data"])


def test_charts_kept_between_runs_follow_the_view(sample_store):
    """Figures are built once per input and shared: a filter must still give its own chart, and going back
    must give the first one again, unchanged by anything drawn in between."""
    at = app("pages/indicator.py")

    def jobs_by_year() -> float:
        return sum(sum(values(b["y"])) for b in spec(at, 1)["data"] if b["type"] == "bar")

    assert jobs_by_year() == 72
    at.multiselect(key="municipalities").set_value(["Heinola"]).run()
    assert jobs_by_year() == 36  # Heinola: 9 women + 27 men
    assert "Heinola" in spec(at, 1)["layout"]["title"]["text"]
    at.multiselect(key="municipalities").set_value([]).run()
    assert jobs_by_year() == 72 and "Heinola" not in spec(at, 1)["layout"]["title"]["text"]


def test_forecast_appears_when_the_period_ends_early(sample_store):
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90).run()
    at.slider(key="period").set_value((dt.date(2011, 4, 1), dt.date(2013, 6, 30)))
    at.switch_page("pages/indicator.py").run()
    assert not at.exception
    traces = {t["name"]: t for t in spec(at, 2)["data"]}
    assert "Ennuste (6 kk vauhti)" in traces
    realised = [y for y in values(traces["Toteutunut"]["y"]) if y == y]
    assert realised[-1] < 72
    assert any("Ennuste hankkeen lopussa" in c.value for c in at.caption)


def test_explore_pivot_and_drill_down(sample_store):
    at = app("pages/explore.py")
    assert table_rows(at) == {"Hartola": ["18"], "Heinola": ["36"], "Sysmä": ["18"], "Yhteensä": ["72"]}
    at.selectbox(key="explore_column").set_value("gender").run()
    assert table_rows(at)["Heinola"] == ["27", "9", "36"]  # M, N, total
    assert table_rows(at)["Yhteensä"] == ["53", "19", "72"]  # domain.md: 72 new jobs, 19 for women
    at.multiselect(key="filter_year").set_value(["2014"]).run()
    rows = table_rows(at)
    cells = [[int(x) for x in v] for m, v in rows.items() if m != "Yhteensä"]
    assert [int(x) for x in rows["Yhteensä"]] == [sum(c) for c in zip(*cells)]  # the totals add the cells up
    assert rows["Yhteensä"][2] == "27"  # 2014: 72 − 5 − 20 − 20 of the years before (the deck's year chart)
    at.selectbox(key="drill_municipality").set_value("Sysmä").run()
    at.selectbox(key="drill_gender").set_value("N").run()
    records = at.dataframe[1].value
    assert set(records["Tiedosto"]) == {"Sysma_seuranta_2011-2014.xlsx"}
    assert set(records["Taulukko"]) == {"Työpaikat"}
    assert records["Rivi"].min() >= 5
    assert all(d.endswith("2014") for d in records["Pvm"])


def test_explore_speaks_english_values_in_english(sample_store):
    """Tutki's values stayed Finnish in English: gender N/M, K/E, "Koulutus", "EU ja valtio"."""
    at = app("pages/explore.py")
    at.radio(key="lang").set_value("en").run()
    at.selectbox(key="explore_column").set_value("gender").run()
    frame = at.dataframe[0].value
    assert list(frame.columns) == ["Municipality", "Men", "Women", "Total"]
    assert table_rows(at)["Heinola"] == ["27", "9", "36"]  # as in Finnish: 27 men, 9 women
    legend = [trace["name"] for trace in spec(at)["data"] if trace["type"] == "bar"]
    assert legend == ["Men", "Women"]
    at.multiselect(key="explore_indicators").set_value(["tyollistetyt"]).run()
    at.multiselect(key="explore_rows").set_value(["measure"]).run()
    at.selectbox(key="explore_column").set_value(None).run()
    assert set(table_rows(at)) == {"Training", "Subsidised employment", "Unsubsidised contract", "Total"}
    assert table_rows(at)["Training"] == ["25"]  # domain.md: 25 placed in training or apprenticeship
    at.radio(key="lang").set_value("fi").run()
    assert set(table_rows(at)) == {"Koulutus", "Tuettu työllistäminen", "Työsopimus ilman tukea", "Yhteensä"}
    assert table_rows(at)["Yhteensä"] == ["253"]  # domain.md: 228 + 25 placed


def test_a_month_is_written_one_way(sample_store):
    """Months were "2011-04" in Tutki, "4/2011" in tables and "07/2011" on chart axes. July 2011 had one new job
    (2 → 3, the public path test)."""
    at = app("pages/explore.py")
    at.multiselect(key="explore_rows").set_value(["month"]).run()
    rows = table_rows(at)
    assert rows["7/2011"] == ["1"]
    assert all(re.fullmatch(r"\d{1,2}/\d{4}", month) for month in rows if month != "Yhteensä"), list(rows)
    at = app("pages/indicator.py")
    assert spec(at, 2)["layout"]["xaxis"]["tickformat"] == "%-m/%Y"


def test_explore_euros_are_written_the_finnish_way(sample_store):
    at = app("pages/explore.py")
    at.multiselect(key="explore_indicators").set_value(["rahoitus_eu_valtio"]).run()
    at.multiselect(key="explore_rows").set_value(["year"]).run()
    euros = {year: int(v[0].replace("\u00a0", "").replace("€", "")) for year, v in table_rows(at).items()}
    assert euros.pop("Yhteensä") == sum(euros.values()) == 613288
    assert table_rows(at)["2014"][0].endswith("\u00a0€")


def test_upload_preview_confirm_history_restore(sample_store):
    at = app("pages/upload.py")
    data = xlsx_bytes(
        {"Työpaikat": [["Pvm", "Kunta", "Sukupuoli"], ["2.6.2014", "Sysmä", "N"], ["3.6.2014", "Lahti", "N"]]}
    )
    uploader(at).set_value(("kesakuu.xlsx", data, XLSX)).run()
    assert not at.exception
    assert any('uusi lähde "kesakuu"' in t.value for t in at.text)
    preview = at.dataframe[0].value
    assert preview.iloc[0]["Kelvollisia"] == "1" and preview.iloc[0]["Hylättyjä"] == "1"
    assert any("1 rivi hylätään." in w.value for w in at.warning)  # one row: singular (it read "1 riviä")
    button(at, "confirm_upload").click().run()
    assert not at.exception
    assert any("Tallennettu: kesakuu v1 (1)" in s.value.replace("\\", "") for s in at.success)  # Markdown-escaped
    hist = store.history(sample_store)
    assert "kesakuu" in set(hist["source"])
    # a second version, then restore the first through the page
    data2 = xlsx_bytes(
        {"Työpaikat": [["Pvm", "Kunta", "Sukupuoli"], ["2.6.2014", "Sysmä", "N"], ["4.6.2014", "Sysmä", "M"]]}
    )
    uploader(at).set_value(("kesakuu.xlsx", data2, XLSX)).run()
    assert any('korvaa lähteen "kesakuu" version 1' in t.value for t in at.text)
    button(at, "confirm_upload").click().run()
    assert store.history(sample_store).query("source == 'kesakuu'")["version"].max() == 2
    at.selectbox(key="restore_source").set_value("kesakuu").run()
    at.selectbox(key="restore_version").set_value(1).run()
    at.button(key="restore_button").click().run()
    assert any("Vahvistan" in w.value for w in at.warning)  # nothing happens without the confirmation
    hist = store.history(sample_store).query("source == 'kesakuu'")
    assert hist.loc[hist["active"], "version"].tolist() == [2]
    at.checkbox(key=f"restore_confirm_{at.session_state['confirm_nonce']}_kesakuu_1").check().run()
    at.button(key="restore_button").click().run()
    hist = store.history(sample_store).query("source == 'kesakuu'")
    assert hist.loc[hist["active"], "version"].tolist() == [1]


def test_upload_cancel_and_blocked_file(sample_store):
    at = app("pages/upload.py")
    before = store.data_version(sample_store)
    uploader(at).set_value(("huono.xlsx", b"Pvm;Kunta\n", XLSX)).run()
    assert any("Tiedosto on CSV-tekstiä, ei työkirja" in e.value.replace("\\", "") for e in at.error)
    assert button(at, "confirm_upload").disabled
    button(at, "cancel_upload").click().run()
    assert any("Mitään ei tallennettu" in i.value for i in at.info)
    assert store.data_version(sample_store) == before


def test_delete_needs_confirmation(sample_store):
    at = app("pages/upload.py")
    at.selectbox(key="delete_source").set_value("Tavoitteet").run()
    at.checkbox(key="delete_confirm_0_Tavoitteet").check().run()
    at.button(key="delete_button").click().run()
    assert not at.exception
    assert "Tavoitteet" not in set(store.active_sources(sample_store)["source"])


def test_funding_page_reference_groups(sample_store):
    at = app("pages/funding.py")
    assert any("58. persentiili" in m.value and "2\u00a0772 hanketta" in m.value for m in at.markdown)
    at.radio(key="reference_group").set_value("authority").run()
    assert not at.exception
    assert any("Hämeen elinkeino- liikenne- ja ympäristökeskus" in m.value for m in at.markdown)
    assert any("rakennerahastot.fi" in c.value for c in at.caption)
    # the priority axis by number and name, not a bare "1" (S11582 is on axis 1 of the reference data)
    at.radio(key="reference_group").set_value("axis").run()
    axis = "toimintalinja 1 – Työorganisaatioiden, työssä olevan työvoiman ja yritysten kehittäminen sekä"
    assert any(f"hanketta, {axis}" in m.value for m in at.markdown), [m.value for m in at.markdown]
    at.radio(key="lang").set_value("en").run()
    at.radio(key="reference_group").set_value("all").run()
    assert any("projects, all ESF projects)" in m.value for m in at.markdown), [m.value for m in at.markdown]


def test_first_start_loads_the_example_data_labelled(db):
    at = app()
    assert table_rows(at)["Uudet työpaikat"][2] == "72"
    assert any("ESIMERKKIAINEISTO" in w.value for w in at.warning)
    assert store.status(db).example_data


def test_empty_store_says_so(empty_store):
    at = app()
    assert table_rows(at)["Uudet työpaikat"][2] == "0"
    assert any("ei ole vielä seurantatietoja" in i.value for i in at.info)


def test_overview_exports(sample_store):
    at = app()
    assert any("Uudet työpaikat: Suunniteltu: 60, joista naisten työpaikkoja 25." in c.value for c in at.code)
    at.button(key="make_xlsx").click().run()
    assert not at.exception
    _, data = at.session_state["exports"]["xlsx"]
    assert load_workbook(io.BytesIO(data)).sheetnames[0] == "Koko hanke"


def test_switching_the_language_keeps_the_view_and_writes_dates_in_the_language(sample_store):
    at = app()
    at.slider(key="period").set_value((dt.date(2012, 1, 1), dt.date(2013, 6, 30))).run()
    at.multiselect(key="municipalities").set_value(["Heinola"]).run()
    assert at.title[0].value == "Suunniteltu ja toteutunut: Heinola, 1.1.2012–30.6.2013"
    at.radio(key="lang").set_value("en").run()
    assert not at.exception
    assert at.title[0].value == "Planned and realised: Heinola, 2012-01-01–2013-06-30"
    assert at.slider(key="period").value == (dt.date(2012, 1, 1), dt.date(2013, 6, 30))
    assert at.slider(key="period").proto.format == "YYYY-MM-DD"
