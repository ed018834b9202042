"""A link is the whole view: the address carries the municipalities, the period start and the cut-off."""

import datetime as dt

from conftest import dashboard_on

from vvr_metrics.query import view_link, view_of_link
from vvr_metrics.settings import load_settings


def _params(at) -> dict[str, list[str]]:
    """The address's parameters, each as its list of values (AppTest gives a single value as a string)."""
    return {k: v if isinstance(v, list) else [v] for k, v in dict(at.query_params).items()}


def test_a_view_becomes_an_address_and_back():
    settings = load_settings()
    period = (dt.date(2012, 1, 1), dt.date(2013, 6, 30))
    link = view_link(settings, period, ("Hartola", "Sysmä"))
    assert link == {"municipality": ["Hartola", "Sysmä"], "since": ["2012-01-01"], "until": ["2013-06-30"]}
    assert view_of_link(link, settings) == (period, ("Hartola", "Sysmä"))
    # the whole project is no parameter at all, and an address without any names no view
    assert view_link(settings, (settings.start, settings.end), ()) == {}
    assert view_of_link({"rows": ["year"]}, settings) is None


def test_an_address_is_checked_not_trusted():
    settings = load_settings()
    got = view_of_link({"municipality": ["sysma", "Orimattila"], "since": ["31.12.2012"], "until": ["2099-01-01"]},
                       settings)  # fmt: skip
    assert got == ((settings.start, settings.end), ("Sysmä",))  # a Finnish date is no ISO date: left out
    backwards = view_of_link({"since": ["2014-01-01"], "until": ["2012-01-01"]}, settings)
    assert backwards == ((settings.start, settings.end), ())


def test_a_tutki_link_opens_the_view_it_was_copied_from(sample_store):
    query = {"municipality": ["Hartola"], "until": "2013-06-30", "rows": ["municipality", "year"], "col": "gender"}
    at = dashboard_on("explore", query=query)
    assert at.session_state["municipalities"] == ["Hartola"]
    assert at.session_state["period"] == (dt.date(2011, 4, 1), dt.date(2013, 6, 30))
    assert any("Rajattu: Hartola, 1.4.2011–30.6.2013" in c.value for c in at.caption)
    shown = at.dataframe[0].value
    assert set(shown["Kunta"]) == {"Hartola", "Yhteensä"}
    # and the address names the view and the pivot, so that it can be copied again
    params = _params(at)
    assert params["municipality"] == ["Hartola"] and params["until"] == ["2013-06-30"], params
    assert params["rows"] == ["municipality", "year"]


def test_every_page_writes_the_view_into_its_address(sample_store):
    at = dashboard_on("indicator", state={"municipalities": ["Sysmä"], "period": (dt.date(2012, 1, 1),
                                                                                  dt.date(2014, 12, 31))})  # fmt: skip
    params = _params(at)
    assert params["municipality"] == ["Sysmä"] and params["since"] == ["2012-01-01"], params
    assert "until" not in params
