"""Backup to Parquet with a manifest, and a store rebuilt from it."""

import hashlib
import json
import subprocess
import sys

import pandas as pd
import pytest
from conftest import xlsx_bytes

from vvr_metrics import backup as backup_module
from vvr_metrics import store
from vvr_metrics.backup import BackupError, backup, backup_key, restore_backup
from vvr_metrics.cli import main
from vvr_metrics.indicators import indicator_table
from vvr_metrics.settings import ROOT


@pytest.fixture(autouse=True)
def no_key(monkeypatch, tmp_path):
    """No backup key unless a test sets one (a developer's own secrets.toml must not leak in)."""
    monkeypatch.delenv("VVR_BACKUP_KEY", raising=False)
    monkeypatch.setattr(backup_module, "SECRETS", tmp_path / "no-secrets.toml")


def _new_jobs(db) -> float:
    table = indicator_table(db)
    return float(table.set_index("indicator").loc["uudet_tyopaikat", "actual"])


def _rewrite(out, table, frame, manifest_changes=True):
    """Replace one table's file and make the manifest agree with it, as someone tampering would."""
    file = out / f"{table}.parquet"
    frame.to_parquet(file, index=False)
    manifest = json.loads((out / "manifest.json").read_text())
    manifest["tables"][table] = {
        "rows": len(frame),
        "columns": list(frame.columns),
        "sha256": hashlib.sha256(file.read_bytes()).hexdigest(),
    }
    (out / "manifest.json").write_text(json.dumps(manifest))


def test_restored_store_gives_identical_tables_and_history(sample_db, tmp_path):
    out = tmp_path / "varmuus"
    manifest = backup(sample_db, out)
    assert manifest["tables"]["contacts"]["rows"] == 4882
    assert (out / "contacts.parquet").exists() and len(manifest["tables"]["jobs"]["sha256"]) == 64
    assert "facts" not in manifest["tables"] and "hmac" not in manifest  # derived, and no key set
    restored = tmp_path / "palautettu.duckdb"
    restore_backup(out, restored)
    for by in ((), ("municipality", "year"), ("month",)):
        assert indicator_table(restored, by=by).equals(indicator_table(sample_db, by=by))
    assert store.history(restored).equals(store.history(sample_db))
    assert store.events(restored).equals(store.events(sample_db))
    # the restored store keeps working: a new version gets a fresh id
    store.restore_version(restored, "Tavoitteet", 1)
    assert len(store.events(restored)) == len(store.events(sample_db)) + 1


def test_a_damaged_backup_is_refused(sample_db, tmp_path):
    out = tmp_path / "varmuus"
    backup(sample_db, out)
    (out / "jobs.parquet").write_bytes(b"not parquet")
    with pytest.raises(BackupError, match="checksum"):
        restore_backup(out, tmp_path / "x.duckdb")
    assert not (tmp_path / "x.duckdb").exists()
    manifest = json.loads((out / "manifest.json").read_text())
    del manifest["tables"]["jobs"]
    (out / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(BackupError, match="missing"):
        restore_backup(out, tmp_path / "x.duckdb")


def test_cli_backup_and_restore(sample_store, tmp_path, capsys):
    assert main(["backup", str(tmp_path / "b"), "--db", str(sample_store)]) == 0
    assert main(["restore-backup", str(tmp_path / "b"), "--db", str(tmp_path / "new.duckdb")]) == 0
    assert main(["restore-backup", str(tmp_path / "b"), "--db", str(tmp_path / "new.duckdb")]) == 2  # exists
    assert "exists" in capsys.readouterr().err


def test_a_signed_manifest_is_verified(sample_db, tmp_path, monkeypatch):
    monkeypatch.setenv("VVR_BACKUP_KEY", "steering-group-2011")
    out = tmp_path / "varmuus"
    manifest = backup(sample_db, out)
    assert len(manifest["hmac"]) == 64
    # jobs doubled, with the checksum and row count recomputed: only the signature can tell
    jobs = pd.read_parquet(out / "jobs.parquet")
    _rewrite(out, "jobs", pd.concat([jobs, jobs]))
    with pytest.raises(BackupError, match="signature"):
        restore_backup(out, tmp_path / "x.duckdb")
    # another key
    backup(sample_db, out)
    monkeypatch.setenv("VVR_BACKUP_KEY", "another key")
    with pytest.raises(BackupError, match="signature"):
        restore_backup(out, tmp_path / "x.duckdb")
    # a signed backup with no key set cannot be checked, so it is refused
    monkeypatch.delenv("VVR_BACKUP_KEY")
    with pytest.raises(BackupError, match="no backup key"):
        restore_backup(out, tmp_path / "x.duckdb")
    # an unsigned manifest when a key is set
    monkeypatch.setenv("VVR_BACKUP_KEY", "steering-group-2011")
    manifest = json.loads((out / "manifest.json").read_text())
    del manifest["hmac"]
    (out / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(BackupError, match="not signed"):
        restore_backup(out, tmp_path / "x.duckdb")
    assert not list(tmp_path.glob("*x.duckdb*"))
    # and the genuine one restores
    backup(sample_db, out)
    restore_backup(out, tmp_path / "x.duckdb")
    assert _new_jobs(tmp_path / "x.duckdb") == 72


def test_the_key_comes_from_secrets_toml_and_a_broken_file_never_means_no_key(tmp_path):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[auth]\nviewer_password_hash = "x"\n[backup]\nkey = "k1"\n')
    assert backup_key(secrets) == b"k1"
    secrets.write_text('[auth]\nviewer_password_hash = "x"\n')
    assert backup_key(secrets) is None
    secrets.write_text('[backup]\nkey = "unterminated\n')
    with pytest.raises(BackupError, match="secrets.toml"):
        backup_key(secrets)
    secrets.write_text("[backup]\nkey = 12\n")
    with pytest.raises(BackupError, match="non-empty string"):
        backup_key(secrets)


def test_facts_are_derived_from_the_records_never_trusted(sample_db, tmp_path):
    """An older backup carried the facts; ten times the facts with a recomputed checksum changes nothing."""
    out = tmp_path / "varmuus"
    backup(sample_db, out)
    with store.connect(sample_db) as con:
        facts = con.table("facts").df()
    _rewrite(out, "facts", pd.concat([facts] * 10))
    restore_backup(out, tmp_path / "x.duckdb")
    assert _new_jobs(tmp_path / "x.duckdb") == 72
    assert indicator_table(tmp_path / "x.duckdb", by=("municipality", "year")).equals(
        indicator_table(sample_db, by=("municipality", "year"))
    )


def test_a_broken_backup_leaves_nothing_behind_and_a_retry_works(sample_db, tmp_path):
    out = tmp_path / "varmuus"
    backup(sample_db, out)
    good = (out / "manifest.json").read_text()
    target = tmp_path / "uusi" / "vvr.duckdb"
    target.parent.mkdir()
    (out / "manifest.json").write_text(json.dumps({"created": "x"}))
    with pytest.raises(BackupError, match="no table list"):
        restore_backup(out, target)
    (out / "manifest.json").write_text("[1, 2")
    with pytest.raises(BackupError, match="manifest.json"):
        restore_backup(out, target)
    (out / "manifest.json").write_text(good)
    contacts = pd.read_parquet(out / "contacts.parquet").drop(columns=["client_id"])
    _rewrite(out, "contacts", contacts)
    with pytest.raises(BackupError, match="contacts: column client_id missing"):
        restore_backup(out, target)
    assert list(target.parent.iterdir()) == []  # no half-built store, no scratch file
    backup(sample_db, out)
    restore_backup(out, target)  # the retry, in the same process
    assert _new_jobs(target) == 72


def test_the_first_upload_after_a_restore_gets_a_new_id(sample_db, tmp_path):
    out = tmp_path / "varmuus"
    backup(sample_db, out)
    restored = tmp_path / "x.duckdb"
    restore_backup(out, restored)
    top = int(store.history(restored)["upload_id"].max())
    book = tmp_path / "Sysma_uusi.xlsx"
    book.write_bytes(
        xlsx_bytes({"Työpaikat": [["Pvm", "Kunta", "Sukupuoli", "Uusi työpaikka"], ["2.12.2014", "Sysmä", "N", "K"]]})
    )
    done = subprocess.run(
        [sys.executable, "-m", "vvr_metrics", "ingest", str(book), "--db", str(restored)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    history = store.history(restored)
    assert int(history.loc[history["source"] == "Sysma_uusi", "upload_id"].iloc[0]) == top + 1


def test_cli_restore_of_an_altered_backup_is_refused_with_a_message(sample_store, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("VVR_BACKUP_KEY", "k")
    assert main(["backup", str(tmp_path / "b"), "--db", str(sample_store)]) == 0
    jobs = pd.read_parquet(tmp_path / "b" / "jobs.parquet")
    _rewrite(tmp_path / "b", "jobs", jobs.head(3))
    assert main(["restore-backup", str(tmp_path / "b"), "--db", str(tmp_path / "new.duckdb")]) == 2
    err = capsys.readouterr().err
    assert "Varmuuskopiota ei voi palauttaa" in err and "signature" in err and "Traceback" not in err
    assert not (tmp_path / "new.duckdb").exists()


def test_the_signature_can_be_checked_by_any_tool(sample_db, tmp_path):
    """The README's recipe, written again here: HMAC-SHA256 with the key over the manifest without its ``hmac``
    field, as compact JSON with sorted keys and ASCII escapes."""
    import hashlib
    import hmac

    manifest = backup(sample_db, tmp_path / "b", key="ohjausryhmä".encode())
    written = json.loads((tmp_path / "b" / "manifest.json").read_text(encoding="utf-8"))
    assert written == manifest
    body = {k: v for k, v in written.items() if k != "hmac"}
    assert set(body) == {"created", "tables"}
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    assert written["hmac"] == hmac.new("ohjausryhmä".encode(), text.encode("ascii"), hashlib.sha256).hexdigest()
    assert backup(sample_db, tmp_path / "c", key=b"")  # an empty key signs nothing
    assert "hmac" not in json.loads((tmp_path / "c" / "manifest.json").read_text())


def test_every_damage_is_named(sample_db, tmp_path):
    out = tmp_path / "b"
    backup(sample_db, out, key=b"")
    manifest = json.loads((out / "manifest.json").read_text())

    def refused(change) -> str:
        broken = json.loads(json.dumps(manifest))
        change(broken)
        (out / "manifest.json").write_text(json.dumps(broken))
        with pytest.raises(BackupError) as err:
            restore_backup(out, tmp_path / "x.duckdb", key=b"")
        return str(err.value)

    assert refused(lambda m: m["tables"]["jobs"].pop("sha256")) == "jobs: the manifest entry is incomplete"
    assert refused(lambda m: m["tables"]["jobs"].update(rows="72")) == "jobs: the manifest entry is incomplete"
    jobs_rows = manifest["tables"]["jobs"]["rows"]
    assert refused(lambda m: m["tables"]["jobs"].update(rows=jobs_rows + 1)) == (
        f"jobs: {jobs_rows} rows, manifest says {jobs_rows + 1}"
    )
    assert refused(lambda m: m["tables"].pop("funding")) == "funding: missing"
    (out / "manifest.json").write_text(json.dumps(manifest))
    (out / "jobs.parquet").write_bytes(b"not parquet")
    assert refused(lambda m: m["tables"]["jobs"].update(sha256=hashlib.sha256(b"not parquet").hexdigest())) in (
        "jobs: ArrowInvalid",
        "jobs: ArrowException",
    )
    backup(sample_db, out, key=b"")
    (tmp_path / "taken.duckdb").write_bytes(b"")
    with pytest.raises(BackupError) as err:
        restore_backup(out, tmp_path / "taken.duckdb", key=b"")
    assert str(err.value) == f"{tmp_path / 'taken.duckdb'} exists already"


def test_a_backup_of_an_empty_store_restores_and_counts_from_one(tmp_path):
    empty = tmp_path / "empty.duckdb"
    with store.connect(empty):
        pass
    backup(empty, tmp_path / "b", key=b"")
    restore_backup(tmp_path / "b", tmp_path / "new.duckdb", key=b"")
    from vvr_metrics.uploads import commit_uploads, prepare_upload

    plan = prepare_upload(
        xlsx_bytes({"Hankkeet": [["Pvm", "Hanke"], ["1.2.2013", "Passi"]]}),
        "h.xlsx",
        tmp_path / "new.duckdb",
        isolate=False,
    )
    commit_uploads([plan], tmp_path / "new.duckdb")
    with store.connect(tmp_path / "new.duckdb") as con:
        assert con.execute("SELECT upload_id FROM uploads").fetchall() == [(1,)]
        assert con.execute("SELECT min(event_id) FROM events").fetchall() == [(1,)]


def test_a_backup_section_that_is_not_a_table_is_no_key(tmp_path, monkeypatch):
    monkeypatch.delenv("VVR_BACKUP_KEY", raising=False)
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('backup = "salainen"\n', encoding="utf-8")
    assert backup_key(secrets) is None
    secrets.write_text('[backup]\nkey = "ohjausryhmä"\n', encoding="utf-8")
    assert backup_key(secrets) == "ohjausryhmä".encode()
    monkeypatch.setenv("VVR_BACKUP_KEY", "ympäristö")
    assert backup_key(secrets) == "ympäristö".encode()
