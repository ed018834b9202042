"""The store: versions, replace, restore, delete, atomic commits, and several processes."""

import contextlib
import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CONTACT_HEADER, TODAY, xlsx_bytes

from vvr_metrics import facts, store
from vvr_metrics import workbook_format as wf
from vvr_metrics.indicators import indicator_table
from vvr_metrics.uploads import commit_uploads, prepare_upload

ROOT = Path(__file__).resolve().parent.parent


def contacts(n: int, kind="Yritys", municipality="Heinola") -> bytes:
    rows = [CONTACT_HEADER] + [[dt.date(2012, 1, 2 + i), municipality, kind, None, f"C{i}", None] for i in range(n)]
    return xlsx_bytes({"Kontaktit": rows})


def actual(db, code="yrityskontaktit"):
    table = indicator_table(db)
    row = table[table["indicator"] == code]
    return None if row.empty else int(row["actual"].iloc[0])


def test_record_tables_match_the_workbook_format(db):
    with store.connect(db) as con:
        for table in (*wf.RECORD_TABLES, "targets"):
            assert tuple(con.table(table).columns) == store.table_columns(table)


def test_every_stored_row_keeps_upload_sheet_and_source_row(db, ingest):
    ingest({"heinola.xlsx": contacts(3)})
    with store.connect(db) as con:
        rows = con.execute("SELECT upload_id, sheet, source_row FROM contacts ORDER BY source_row").fetchall()
    assert rows == [(1, "Kontaktit", 2), (1, "Kontaktit", 3), (1, "Kontaktit", 4)]


def test_reupload_replaces_and_keeps_every_version(db, ingest):
    ingest({"heinola.xlsx": contacts(3)})
    ingest({"heinola.xlsx": contacts(5)})
    assert actual(db) == 5
    hist = store.history(db)
    assert list(hist["version"]) == [2, 1]
    assert list(hist["active"]) == [True, False]
    assert list(hist["rows_stored"]) == [5, 3]


def test_different_sources_add_up(db, ingest):
    ingest({"heinola.xlsx": contacts(3)})
    ingest({"sysma.xlsx": contacts(2, municipality="Sysmä")})
    assert actual(db) == 5


def test_restore_an_earlier_version(db, ingest):
    ingest({"heinola.xlsx": contacts(3)})
    ingest({"heinola.xlsx": contacts(5)})
    before = store.data_version(db)
    store.restore_version(db, "heinola", 1)
    assert actual(db) == 3
    assert store.data_version(db) > before
    hist = store.history(db)
    assert list(hist[hist["active"]]["version"]) == [1]
    with pytest.raises(KeyError):
        store.restore_version(db, "heinola", 9)


def test_delete_a_source_keeps_its_history(db, ingest):
    ingest({"heinola.xlsx": contacts(3)})
    ingest({"sysma.xlsx": contacts(2, municipality="Sysmä")})
    assert store.delete_source(db, "heinola") == 3
    assert actual(db) == 2
    assert len(store.history(db)) == 2
    store.restore_version(db, "heinola", 1)
    assert actual(db) == 5
    assert list(store.events(db)["action"]) == ["upload", "upload", "delete", "restore"]
    with pytest.raises(KeyError):
        store.delete_source(db, "nobody")


def test_a_failure_mid_commit_leaves_the_previous_state(db, ingest, monkeypatch):
    ingest({"heinola.xlsx": contacts(3)})
    version_before = store.data_version(db)
    plans = [
        prepare_upload(contacts(7), "heinola.xlsx", db, today=TODAY),
        prepare_upload(contacts(4, municipality="Sysmä"), "sysma.xlsx", db, today=TODAY),
    ]
    real = facts.derive_facts
    calls = []

    def failing(table, frame):
        calls.append(table)
        if len(calls) == 2:  # the first version is already written when the second fails
            raise RuntimeError("disk full")
        return real(table, frame)

    monkeypatch.setattr(facts, "derive_facts", failing)
    with pytest.raises(RuntimeError, match="disk full"):
        commit_uploads(plans, db)
    monkeypatch.setattr(facts, "derive_facts", real)
    assert actual(db) == 3
    assert store.data_version(db) == version_before
    assert len(store.history(db)) == 1
    with store.connect(db) as con:
        assert con.execute("SELECT count(*) FROM contacts").fetchall() == [(3,)]
        assert con.execute("SELECT count(*) FROM uploads").fetchall() == [(1,)]


@contextlib.contextmanager
def held_by_another_process(db, seconds: float):
    """Another process holds the store file open for writing for ``seconds``."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, time; c = duckdb.connect({str(db)!r}); print('held', flush=True); "
            f"time.sleep({seconds}); c.close()",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        yield
    finally:
        holder.wait(timeout=30)


def test_a_second_process_waits_for_the_store(db, ingest):
    """DuckDB lets one process hold a file; the other retries briefly instead of failing."""
    ingest({"heinola.xlsx": contacts(3)})
    with held_by_another_process(db, 1.5):
        assert actual(db) == 3  # waits until the holder lets go


def test_busy_store_gives_a_clear_error_after_the_timeout(db, ingest):
    ingest({"heinola.xlsx": contacts(1)})
    with held_by_another_process(db, 1.0), pytest.raises(store.StoreBusy), store.connect(db, timeout=0.3):
        pass


def test_catalogue_change_rebuilds_facts(db, ingest, monkeypatch):
    ingest({"heinola.xlsx": contacts(2)})
    with store.connect(db) as con:
        con.execute("DELETE FROM facts")
        con.execute("UPDATE meta SET value = 'old' WHERE key = 'catalogue'")
    store._ready.clear()
    assert actual(db) == 2


def test_two_first_visitors_load_the_example_data_once(tmp_path):
    """Two sessions opening an empty store at once: both pages open, the example data is there once."""
    import threading

    from vvr_metrics.sample import load_example_data, sample_files

    path = tmp_path / "empty.duckdb"
    results, errors = [], []

    def visit():
        try:
            results.append(load_example_data(path))
        except Exception as exc:  # noqa: BLE001 - the test reports any failure
            errors.append(exc)

    threads = [threading.Thread(target=visit) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(results) == [0, 5]
    assert len(store.active_sources(path)) == len(sample_files()) == 5


def _ingest_in_another_process(db, name: str, n: int) -> None:
    """What the CLI does from cron or a shell: another process stores a workbook."""
    book = db.parent / name
    book.write_bytes(contacts(n, municipality="Hartola"))  # its own records: not a renamed copy of another source
    subprocess.run([sys.executable, "-m", "vvr_metrics", "ingest", str(book), "--db", str(db)], check=True, cwd=ROOT)


def test_status_follows_every_write_of_this_and_other_processes(db, ingest):
    """The status (data version, counts) is kept between page runs; a write anywhere must show on the next read."""
    ingest({"heinola.xlsx": contacts(3)})
    first = store.status(db)
    assert (first.sources, first.uploads) == (1, 1)
    assert store.status(db) is first  # nothing changed: kept, not read again
    _ingest_in_another_process(db, "hartola.xlsx", 2)  # another process, well within the age limit
    second = store.status(db)
    assert (second.sources, second.uploads) == (2, 2)
    assert second.data_version > first.data_version
    store.delete_source(db, "hartola", actor="test")  # this process
    third = store.status(db)
    assert (third.sources, third.uploads) == (1, 2) and third.data_version > second.data_version
    store.log_export(db, "x.csv", "test")  # an export changes no figures, but the audit log grows
    fourth = store.status(db)
    assert fourth.data_version == third.data_version and fourth.last_event == third.last_event + 1


def test_status_is_read_again_when_a_write_leaves_the_file_looking_the_same(db, ingest, monkeypatch):
    """Within the file clock's resolution a write can leave modification time and size as they were: the
    process's own writes and the age limit still make the next read fresh."""
    ingest({"heinola.xlsx": contacts(3)})
    monkeypatch.setattr(store, "_file_state", lambda path: ("always the same",))
    monkeypatch.setattr(store, "STATUS_MAX_AGE_S", 3600.0)  # the other process may start slowly on a busy machine
    store.status(db)
    store.delete_source(db, "heinola", actor="test")
    assert store.status(db).sources == 0  # this process wrote: read again
    frozen = store.status(db)
    _ingest_in_another_process(db, "hartola.xlsx", 2)  # invisible to the file state, and not this process
    assert store.status(db) is frozen
    monkeypatch.setattr(store, "STATUS_MAX_AGE_S", 0.0)
    assert store.status(db).sources == 1


def test_the_last_upload_date_is_the_last_upload_not_the_last_export(db, ingest, monkeypatch):
    """The sidebar's "viimeisin lataus" moved to the time of every download and refused sign-in."""
    ingest({"heinola.xlsx": contacts(3)})
    uploaded = store.status(db).newest_upload
    with store.connect(db) as con:
        con.execute("UPDATE events SET happened_at = TIMESTAMP '2014-05-02 10:00:00'")
    store.log_export(db, "x.csv", "test")
    store.log_event(db, "signin_refused", "viewer", "someone")
    assert uploaded is not None
    assert store.status(db).newest_upload == dt.datetime(2014, 5, 2, 10, 0)


def test_only_a_rule_change_rebuilds_the_facts(monkeypatch):
    """A new name or genitive rebuilt every store's facts (for a million records, minutes) for nothing."""
    import dataclasses

    from vvr_metrics import catalogue

    before = catalogue.fingerprint()
    renamed = tuple(dataclasses.replace(i, name_fi=i.name_fi + "!", genitive_fi="") for i in catalogue.CATALOGUE)
    monkeypatch.setattr(catalogue, "CATALOGUE", renamed)
    assert catalogue.fingerprint() == before
    ruled = (dataclasses.replace(renamed[0], filter_values=(False,)), *renamed[1:])
    monkeypatch.setattr(catalogue, "CATALOGUE", ruled)
    assert catalogue.fingerprint() != before
