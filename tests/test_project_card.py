"""The public project card read into a project's declarations (issue: "Any ESF project ... set up from its public
project card"). The oracle is domain.md's table of the official figures, typed in by hand."""

import datetime as dt
from pathlib import Path

import pytest

from vvr_metrics.project_card import CardError, Planned, read_card

CARD = Path(__file__).resolve().parent.parent / "data" / "reference" / "cards" / "S11582.txt"


@pytest.fixture
def card_text() -> str:
    return CARD.read_text(encoding="utf-8")


def test_vvrs_card_gives_its_identity_and_the_official_figures(card_text):
    card = read_card(card_text)
    assert card.code == "S11582"
    assert card.name == "Verkostosta Voimaa- rakennemuutoshanke"
    assert (card.start, card.end) == (dt.date(2011, 4, 1), dt.date(2014, 12, 31))
    assert card.authority == "Hämeen elinkeino-, liikenne- ja ympäristökeskus"  # domain.md: Häme ELY Centre
    assert card.administrator == "Hartolan kunta"  # administered by the municipality of Hartola
    assert card.municipalities == ("Hartola", "Heinola", "Sysmä")
    assert card.regions == ("Päijät-Häme",)
    # domain.md, "Indicators: planned vs realised"
    assert card.new_jobs == Planned(60, 25, 72, 19)
    assert card.new_companies == Planned(25, 7, 20, 10)
    assert card.degrees == Planned(0, 0, 0, 0)
    assert card.participants == Planned(0, 0, 0, 0)
    # domain.md, "Public funding (euros)"
    assert (card.eu_state_granted, card.eu_state_realised) == (620_000, 613_288)
    assert (card.public_planned, card.public_realised) == (775_000, 766_613)


MESSY = (
    "Projektikoodi :  S99999\r\n\r\n"
    "Projektin  nimi:   Toinen   hanke  \r\n"
    "Suunnitelman mukainen toteutusaika: Alkaa 1. 9. 2015 ja päättyy 31.8.2018\r\n"
    "Kunnat: Orimattila;  Hollola ,Kärkölä\r\n"
    "3.4 Aloittaneiden henkilöiden määrä\r\n"
    "Suunniteltu : 1 200, joista naisia 600\r\n"
    "Toteutunut seurantatietojen mukaan: 1\u00a0180 , joista naisia 611\r\n"
    "4.1 Uusien työpaikkojen määrä\r\n"
    "Suunniteltu: 15\r\n"
    "7. Projektin julkinen rahoitus, euroa\r\n"
    "Myönnetty EU- ja valtion rahoitus: 1 250 000\r\n"
)


def test_spacing_is_tolerated_and_a_missing_section_is_none():
    card = read_card(MESSY)
    assert (card.code, card.name) == ("S99999", "Toinen hanke")
    assert (card.start, card.end) == (dt.date(2015, 9, 1), dt.date(2018, 8, 31))
    assert card.municipalities == ("Orimattila", "Hollola", "Kärkölä")
    assert card.participants == Planned(1200, 600, 1180, 611)
    assert card.new_jobs == Planned(15, None, None, None)  # no women's share, nothing realised yet
    assert card.new_companies == Planned(None, None, None, None)  # section 4.2 is missing
    assert card.eu_state_granted == 1_250_000 and card.public_realised is None
    assert card.authority is None and card.regions == ()


def test_a_text_that_is_no_card_is_refused():
    with pytest.raises(CardError):
        read_card("Hello\nThis is a shopping list: milk, bread\n")
