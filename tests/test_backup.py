"""Backup to Parquet with a manifest, and a store rebuilt from it."""

import json

import pytest

from vvr_metrics import store
from vvr_metrics.backup import BackupError, backup, restore_backup
from vvr_metrics.cli import main
from vvr_metrics.indicators import indicator_table


def test_restored_store_gives_identical_tables_and_history(sample_db, tmp_path):
    out = tmp_path / "varmuus"
    manifest = backup(sample_db, out)
    assert manifest["tables"]["contacts"]["rows"] == 4882
    assert (out / "contacts.parquet").exists() and len(manifest["tables"]["facts"]["sha256"]) == 64
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


def test_cli_backup_and_restore(sample_db, tmp_path, capsys):
    assert main(["backup", str(tmp_path / "b"), "--db", str(sample_db)]) == 0
    assert main(["restore-backup", str(tmp_path / "b"), "--db", str(tmp_path / "new.duckdb")]) == 0
    assert main(["restore-backup", str(tmp_path / "b"), "--db", str(tmp_path / "new.duckdb")]) == 2  # exists
    assert "exists" in capsys.readouterr().err
