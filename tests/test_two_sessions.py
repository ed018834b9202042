"""Two people on the upload page at once (issue: "the second silently wins", "restore undoes another session's
delete"). What a click acts on is what its page showed when it was drawn: a preview's version, a restore's or a
delete's state. If another session changed it in between, nothing is done and the page says what changed."""

import pytest
from conftest import CONTACT_HEADER, TODAY, xlsx_bytes
from test_monthly_upload import click, drop, page, texts

from vvr_metrics import store
from vvr_metrics.uploads import commit_uploads, prepare_upload


def heinola(n: int) -> bytes:
    return xlsx_bytes({"Kontaktit": [CONTACT_HEADER] + [[f"{d}.1.2012", "Heinola", "Yritys"] for d in range(2, 2 + n)]})


@pytest.fixture
def two_versions(db):
    """Source "heinola" with versions 1 (2 contacts) and 2 (3 contacts, in use)."""
    for n in (2, 3):
        commit_uploads([prepare_upload(heinola(n), "heinola.xlsx", db, source="heinola", today=TODAY)], db)
    assert store.active_sources(db)["version"].tolist() == [2]
    return db


def versions(db) -> list[tuple[int, bool]]:
    return [(int(r.version), bool(r.active)) for r in store.history(db).itertuples()]


def test_replace_replace_the_second_is_told_what_changed_and_stores_nothing(two_versions):
    db = two_versions
    a, b = page(db), page(db)
    drop(a, "heinola.xlsx", heinola(5))
    drop(b, "heinola.xlsx", heinola(6))
    for at in (a, b):
        assert any('korvaa lähteen "heinola" version 2' in t.value for t in at.text)
    click(a, "confirm_upload")
    assert versions(db) == [(3, True), (2, False), (1, False)]
    click(b, "confirm_upload")
    assert versions(db) == [(3, True), (2, False), (1, False)]  # B's click made no version 4
    shown = texts(b)
    assert not any("Tallennettu" in s.value for s in b.success)
    assert 'Lähde "heinola" muuttui esikatselun jälkeen (esikatselu: versio 2, nyt: versio 3)' in shown
    assert "Mitään ei tallennettu" in shown
    # B's files stay, and its preview is drawn again against version 3: a second click stores what B now sees
    assert any('korvaa lähteen "heinola" version 3' in t.value for t in b.text)
    click(b, "confirm_upload")
    assert versions(db)[0] == (4, True)
    assert any("Tallennettu" in s.value for s in b.success)


def test_restore_delete_the_restore_does_not_undo_the_delete(two_versions):
    db = two_versions
    a, b = page(db), page(db)
    a.selectbox(key="restore_source").set_value("heinola").run()
    a.selectbox(key="restore_version").set_value(1).run()
    a.checkbox(key=f"restore_confirm_{a.session_state['confirm_nonce']}_heinola_1").check().run()
    b.selectbox(key="delete_source").set_value("heinola").run()
    b.checkbox(key=f"delete_confirm_{b.session_state['confirm_nonce']}_heinola").check().run()
    b.button(key="delete_button").click().run()
    assert store.active_sources(db).empty
    a.button(key="restore_button").click().run()
    assert not a.exception
    assert store.active_sources(db).empty  # still deleted
    assert not any("Palautettu" in s.value for s in a.success)
    assert 'Lähde "heinola" muuttui sillä välin (näkymässä: versio 2, nyt: ei käytössä)' in texts(a)


def test_delete_restore_the_delete_does_not_take_out_what_was_restored(two_versions):
    db = two_versions
    a, b = page(db), page(db)
    a.selectbox(key="delete_source").set_value("heinola").run()
    a.checkbox(key=f"delete_confirm_{a.session_state['confirm_nonce']}_heinola").check().run()
    b.selectbox(key="restore_source").set_value("heinola").run()
    b.selectbox(key="restore_version").set_value(1).run()
    b.checkbox(key=f"restore_confirm_{b.session_state['confirm_nonce']}_heinola_1").check().run()
    b.button(key="restore_button").click().run()
    assert store.active_sources(db)["version"].tolist() == [1]
    a.button(key="delete_button").click().run()
    assert not a.exception
    assert store.active_sources(db)["version"].tolist() == [1]  # B's restore stands
    assert 'Lähde "heinola" muuttui sillä välin (näkymässä: versio 2, nyt: versio 1)' in texts(a)


def test_the_message_is_in_english_too(two_versions):
    db = two_versions
    a, b = page(db), page(db)
    a.session_state["lang"] = "en"
    a.run()
    drop(a, "heinola.xlsx", heinola(5))
    drop(b, "heinola.xlsx", heinola(6))
    click(b, "confirm_upload")
    click(a, "confirm_upload")
    assert 'Source "heinola" changed after the preview (preview: version 2, now: version 3)' in texts(a)
    assert versions(db)[0] == (3, True)
