"""Sign-in with roles in the dashboard (AppTest): what each role may reach, throttling, signing out."""

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from vvr_metrics import auth, store

ROOT = Path(__file__).resolve().parent.parent
AUTH = {"viewer_password_hash": auth.hash_password("katsoja"), "staff_password_hash": auth.hash_password("tekija")}


def signed_out() -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    at.secrets["passwords"] = AUTH
    return at.run()


def sign_in(at: AppTest, password: str) -> AppTest:
    at.text_input(key="sign_in_name").input("Testi Käyttäjä")
    at.text_input(key="password").input(password)
    at.button(key="sign_in_submit").click()
    return at.run()


def test_only_the_sign_in_form_before_sign_in(sample_store):
    at = signed_out()
    assert not at.exception
    assert [t.value for t in at.title] == ["Kirjaudu sisään"]
    assert not at.dataframe and not at.get("plotly_chart") and not at.sidebar.children
    assert not at.metric


def test_viewer_sees_aggregates_only(sample_store):
    at = sign_in(signed_out(), "katsoja")
    assert not at.exception
    assert at.title[0].value == "Suunniteltu ja toteutunut koko hankkeessa"
    # no upload page in the navigation, and the page itself refuses a viewer
    at.switch_page("pages/explore.py").run()
    assert any("vain projektityöntekijöille" in i.value for i in at.info)
    assert len(at.dataframe) == 1  # the pivot, no source records
    with pytest.raises(ValueError, match="upload.py"):  # the page does not exist for a viewer
        at.switch_page("pages/upload.py")
    # and the page refuses a viewer by itself, even run as its own script
    alone = AppTest.from_file(str(ROOT / "pages" / "upload.py"), default_timeout=90)
    alone.session_state["role"] = auth.VIEWER
    alone.run()
    assert not alone.get("file_uploader") and not alone.dataframe
    before = len(store.history(sample_store))
    assert before == 5


def test_staff_reaches_upload_drill_down_and_notes(sample_store):
    at = sign_in(signed_out(), "tekija")
    at.switch_page("pages/explore.py").run()
    at.multiselect(key="explore_indicators").set_value(["yrityskontaktit"]).run()
    assert len(at.dataframe) == 2
    assert "Lisätiedot" in at.dataframe[1].value.columns
    at.switch_page("pages/upload.py").run()
    assert at.get("file_uploader")


def test_wrong_passwords_are_throttled(sample_store):
    at = signed_out()
    for _ in range(4):
        at = sign_in(at, "arvaus")
        assert any("Väärä salasana" in e.value for e in at.error) and not at.warning
    at = sign_in(at, "arvaus")  # the 5th is checked, and says that it was the last for a quarter hour
    assert any("Väärä salasana" in e.value for e in at.error)
    assert [w.value for w in at.warning] == [
        "Tästä osoitteesta on yritetty liian monta kertaa: seuraava yritys tarkistetaan 15 min kuluttua."
    ]
    at = sign_in(at, "arvaus")
    assert [e.value for e in at.error] == ["Liian monta väärää yritystä. Odota 15 min ja yritä uudelleen."]
    at = sign_in(at, "tekija")  # refused while throttled
    assert at.title[0].value == "Kirjaudu sisään"
    st.cache_resource.clear()
    at = sign_in(signed_out(), "tekija")
    assert at.title[0].value == "Suunniteltu ja toteutunut koko hankkeessa"
    # signing out is tested in a real browser (tests/test_browser.py)


def test_demo_without_auth_shows_a_banner(sample_store):
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90).run()
    assert any("Paikallinen demo" in i.value for i in at.info)


@pytest.mark.parametrize(
    "section",
    [
        {"viewer_password_hash": AUTH["viewer_password_hash"], "staf_password_hash": AUTH["staff_password_hash"]},
        {"viewer_password_hash": AUTH["viewer_password_hash"]},
        {"viewer_password_hash": "katsoja", "staff_password_hash": AUTH["staff_password_hash"]},
    ],
    ids=["misspelt key", "one hash missing", "a password instead of a hash"],
)
def test_a_broken_auth_section_stops_the_dashboard_never_opens_it(sample_store, section):
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    at.secrets["passwords"] = section
    at.run()
    assert any("Kirjautumisen asetukset" in e.value for e in at.error)
    assert not at.dataframe and not at.metric and not at.sidebar.children
    assert not at.get("text_input")  # not even the sign-in form: nobody gets in, as anyone


def test_the_name_given_at_sign_in_is_in_the_audit_log_and_shown_as_plain_text(sample_db, tmp_path, monkeypatch):
    from tests.test_downloads import signed_in
    from vvr_metrics import store
    from vvr_metrics.formatting import audit_display

    hostile = "[Maija](javascript:alert(1))"
    at, path = signed_in(sample_db, tmp_path, monkeypatch, "tekija", name=hostile)
    assert not at.exception
    caption = next(c.value for c in at.sidebar.caption if "Kirjautunut" in c.value)
    assert caption == "Kirjautunut: ` [Maija](javascript:alert(1)) `, projektityöntekijä"  # a code span: verbatim
    from pages.common import View, logged
    from vvr_metrics import auth
    from vvr_metrics.query import Query
    from vvr_metrics.settings import load_settings

    v = View("fi", Query(public=False), store.status(path), load_settings(), str(path), role=auth.STAFF, who=hostile)
    logged(v, "rahoitus.csv", False, lambda: b"x")()
    last = store.events(path).sort_values("happened_at").iloc[-1]
    assert last["actor"] == f"{hostile} (staff)"
    assert audit_display(store.events(path).sort_values("happened_at").tail(1)).iloc[0].tolist()[1] == (
        f"{hostile} (projektityöntekijä)"
    )


def test_a_sign_in_without_a_name_is_refused(sample_db, tmp_path, monkeypatch):
    from tests.test_downloads import signed_in

    at, _ = signed_in(sample_db, tmp_path, monkeypatch, "tekija", name="  ")
    assert [e.value for e in at.error] == ["Kirjoita nimesi: se tallennetaan tapahtumalokiin."]
    assert "role" not in at.session_state and not at.get("plotly_chart")
