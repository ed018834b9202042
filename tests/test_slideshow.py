"""The slideshow: the deck's slides one at a time, moved with buttons (and their arrow keys), left with Esc.

The browser half (16:9 at 1920 × 1080 and 1280 × 720, the keys, the hidden buttons) is in test_browser.py."""

import re
from pathlib import Path

from conftest import dashboard_on
from streamlit.testing.v1 import AppTest

from vvr_metrics import auth, report, slideshow
from vvr_metrics.report import ReportOptions, Slide

ROOT = Path(__file__).resolve().parent.parent
EU_FI = "Euroopan unioni – Euroopan sosiaalirahasto"


def test_the_slides_are_the_decks_sequence_with_the_figures_of_domain_md(sample_db):
    deck = report.slides(sample_db, ReportOptions(lang="fi"))
    # every municipality's new companies have a half-year of 1–4: that chart would be all x, so it is left out
    assert [s.kind for s in deck] == ["title", "table", "table"] + ["chart"] * 4
    assert not [s for s in deck if s.title.startswith("Uudet yritykset kunnittain")]
    assert deck[0].title == "Verkostosta Voimaa – rakennemuutoshanke"
    assert deck[0].lines == ("Hanke S11582 · seurantatiedot, tilanne 31.12.2014", "koko hanke")
    assert [s.title for s in deck[1:3]] == [
        "Suunniteltu ja toteutunut koko hankkeessa (1/2)",
        "Suunniteltu ja toteutunut koko hankkeessa (2/2)",
    ]
    table = deck[1].table
    assert len(set(table.columns)) == len(table.columns) == 8  # unique headers
    assert list(table.iloc[0]) == ["Uudet työpaikat", "60", "25", "72", "19", "53", "120,0\u00a0%", "edellä"]
    assert deck[1].numeric == (False, True, True, True, True, True, True, False)
    assert (len(deck[1].table), len(deck[2].table)) == (7, 6)
    assert deck[3].title == "Toteutuma tavoitteesta (tilanne 31.12.2014)"
    assert deck[3].figure.layout.title.text in ("", None)  # the slide carries the title, not the picture
    for s in deck:
        assert "tilanne 31.12.2014" in s.note and s.acknowledgement == EU_FI
    assert all("pienet luvut (1–4) piilotettu" in s.note for s in deck if s.kind == "chart")


def test_a_slide_is_text_never_html():
    hostile = Slide("table", '<img src=x onerror="alert(1)">', "<b>note</b>", "EU & ESR", table=None)
    head, foot = slideshow.head(hostile), slideshow.foot(hostile, 0, 1, "fi")
    assert "<img src=x" not in head and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in head
    assert "<b>" not in foot and "&lt;b&gt;note&lt;/b&gt;" in foot and "EU &amp; ESR" in foot
    assert foot.count("<img ") == 1 and 'alt="Euroopan unionin lippu"' in foot  # the emblem, and only it


def shown(at: AppTest) -> str:
    """The slide's text as the page sends it (its HTML parts, tags removed)."""
    bodies = [h.proto.body for h in at.get("html") if "vvr-slide" in h.proto.body or "vvr-foot" in h.proto.body]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", " ".join(bodies)))


def slideshow_app(**state) -> AppTest:
    return dashboard_on("slideshow", state=state)


def test_the_slideshow_moves_through_the_deck_and_leaves_to_the_overview(sample_store):
    at = slideshow_app()
    assert "1/7" in shown(at) and "Verkostosta Voimaa – rakennemuutoshanke" in shown(at)
    assert not at.dataframe and not at.get("plotly_chart")  # no grids, no records: text and pictures
    at.button(key="slide_next").click().run()
    text = shown(at)
    assert "2/7" in text and "Uudet työpaikat 60 25 72 19 53 120,0 % edellä" in text
    at.button(key="slide_next").click().run()
    at.button(key="slide_next").click().run()
    assert "4/7" in shown(at) and "Toteutuma tavoitteesta" in shown(at)
    assert len(at.get("image")) == 1  # the chart, drawn as a picture
    at.button(key="slide_prev").click().run()
    assert "3/7" in shown(at)
    for _ in range(6):
        at.button(key="slide_next").click().run()
    assert "7/7" in shown(at)  # the last slide stays
    at.button(key="slide_exit").click().run()
    assert not at.exception
    assert at.title[0].value == "Suunniteltu ja toteutunut koko hankkeessa"


def test_the_slides_show_the_sidebars_view_in_english(sample_store):
    at = slideshow_app(lang="en", municipalities=["Heinola"])
    assert "Verkostosta Voimaa – rakennemuutoshanke" in shown(at) and "Heinola" in shown(at)
    at.button(key="slide_next").click().run()
    text = shown(at)
    assert "Planned and realised: Heinola (1/2)" in text and "whole project" not in text
    # Heinola has no targets of its own (no achievement chart), and its new jobs and companies have half-years of
    # 1–4 (the yearly, municipal and cumulative charts would be all x): only the funding chart is left
    assert "2/4" in text
    row = text.split("New jobs ", 1)[1].split()[:5]
    assert row == ["–", "–", "x", "x", "x"]  # Heinola's new jobs in public figures (36 internally), no targets
    assert "European Union – European Social Fund" in text
    at.button(key="slide_exit").click().run()
    assert at.session_state["lang"] == "en" and at.session_state["municipalities"] == ["Heinola"]
    assert at.title[0].value.startswith("Planned and realised")


def test_a_viewer_sees_the_public_slides(sample_store):
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.secrets["passwords"] = {
        "viewer_password_hash": auth.hash_password("katsoja"),
        "staff_password_hash": auth.hash_password("tekija"),
    }
    at.run()
    at.text_input(key="sign_in_name").input("Katsoja")
    at.text_input(key="password").input("katsoja")
    at.button(key="sign_in_submit").click().run()
    assert at.session_state["role"] == auth.VIEWER
    at.switch_page("pages/slideshow.py").run()
    assert not at.exception
    for _ in range(4):
        at.button(key="slide_next").click().run()
    assert "pienet luvut (1–4) piilotettu" in shown(at) and "5/7" in shown(at)
    assert not at.dataframe
