"""The one query object: what a person chose becomes one Query, with one cut-off, in the sidebar, the pages and the
files alike. Dates are the reporting cut-offs of data/project.toml (30.6. and 31.12. of each year)."""

import datetime as dt

from test_downloads import signed_in

from vvr_metrics.query import Query
from vvr_metrics.settings import load_settings

D = dt.date


def test_a_whole_project_choice_is_no_filter():
    settings = load_settings()
    assert Query.chosen(settings, (D(2011, 4, 1), D(2014, 12, 31)), (), public=False) == Query(public=False)
    assert Query(public=False).cutoff(settings) == D(2014, 12, 31)
    assert Query().targets_until is None
    assert Query().params == {"as_of": None, "since": None, "municipalities": None}


def test_staff_get_the_period_they_chose_and_viewers_the_public_one_around_it():
    settings = load_settings()
    period = (D(2012, 3, 1), D(2013, 8, 15))
    staff = Query.chosen(settings, period, ["Heinola"], public=False)
    assert staff == Query(("Heinola",), D(2012, 3, 1), D(2013, 8, 15), public=False)
    # the public window runs from the day after the cut-off before the start to the last cut-off before the end
    viewer = Query.chosen(settings, period, ["Heinola"], public=True)
    assert viewer == Query(("Heinola",), D(2012, 1, 1), D(2013, 6, 30), public=True)
    assert viewer.cutoff(settings) == D(2013, 6, 30) and viewer.targets_until == 2013
    assert viewer.params == {"as_of": D(2013, 6, 30), "since": D(2012, 1, 1), "municipalities": ["Heinola"]}
    assert viewer.to_cutoff() == Query(("Heinola",), None, D(2013, 6, 30), public=True)
    # before the first cut-off (30.6.2011) there are no public figures: the view ends at the project start
    early = Query.chosen(settings, (D(2011, 4, 1), D(2011, 6, 29)), (), public=True)
    assert early.until == D(2011, 4, 1)


def test_the_viewers_sidebar_says_the_public_cut_off(sample_db, tmp_path, monkeypatch):
    """A viewer who picks 1.1.2012–15.8.2013 sees figures at 30.6.2013, and the sidebar says so (it said
    15.8.2013)."""
    at, _ = signed_in(sample_db, tmp_path, monkeypatch, "katsoja", period=(D(2012, 1, 1), D(2013, 8, 15)))
    at.switch_page("pages/overview.py").run()
    assert not at.exception
    captions = [c.value for c in at.sidebar.caption]
    assert any(c.startswith("Tilanne 30.6.2013 ") for c in captions), captions
    at, _ = signed_in(sample_db, tmp_path, monkeypatch, "tekija", period=(D(2012, 1, 1), D(2013, 8, 15)))
    at.switch_page("pages/overview.py").run()
    assert any(c.value.startswith("Tilanne 15.8.2013 ") for c in at.sidebar.caption)


def test_a_viewer_is_never_offered_internal_exports(sample_db, tmp_path, monkeypatch):
    """The export choice lists the internal files for staff only; a viewer who forges the choice (the widget's
    state set to internal) still gets the public text."""
    at, _ = signed_in(sample_db, tmp_path, monkeypatch, "tekija")
    at.switch_page("pages/overview.py").run()
    assert at.radio(key="export_public").options == [
        "Julkinen (pienet luvut 1–4 piilotettu)",
        "Sisäinen (kaikki luvut)",
    ]
    at, _ = signed_in(sample_db, tmp_path, monkeypatch, "katsoja", export_public=False)
    at.switch_page("pages/overview.py").run()
    assert not at.exception
    assert at.radio(key="export_public").options == ["Julkinen (pienet luvut 1–4 piilotettu)"]
    text = at.code[0].value
    assert "SISÄINEN" not in text and text.startswith("Verkostosta Voimaa – rakennemuutoshanke – ")
