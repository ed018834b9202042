"""Backup of the whole store as Parquet files with a manifest of row counts and checksums, and the
rebuild of a store from such a backup."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pandas as pd

from . import store

TABLES = ("meta", "uploads", "sources", "events", "targets", "contacts", "jobs", "companies", "placements",
          "trainings", "projects", "funding", "record_index", "facts")
MANIFEST = "manifest.json"


class BackupError(RuntimeError):
    """The backup folder is incomplete or a file does not match its checksum."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def backup(path, out_dir) -> dict:
    """Write every table as ``<table>.parquet`` and ``manifest.json`` (row counts, SHA-256) into ``out_dir``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    manifest = {"created": dt.datetime.now().isoformat(timespec="seconds"), "tables": {}}
    with store.connect(path) as con:
        for table in TABLES:
            frame = con.table(table).df()
            file = out / f"{table}.parquet"
            frame.to_parquet(file, index=False)
            manifest["tables"][table] = {"rows": len(frame), "sha256": _sha256(file)}
    (out / MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    return manifest


def restore_backup(backup_dir, path) -> dict:
    """Build a new store at ``path`` from a backup, after checking every file against the manifest.

    Refuses to overwrite an existing store file; all tables are loaded in one transaction.
    """
    src = Path(backup_dir)
    try:
        manifest = json.loads((src / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(f"{MANIFEST}: {exc}") from exc
    frames = {}
    for table in TABLES:
        entry = manifest["tables"].get(table)
        file = src / f"{table}.parquet"
        if entry is None or not file.exists():
            raise BackupError(f"{table}: missing")
        if _sha256(file) != entry["sha256"]:
            raise BackupError(f"{table}: checksum does not match")
        frames[table] = pd.read_parquet(file)
        if len(frames[table]) != entry["rows"]:
            raise BackupError(f"{table}: {len(frames[table])} rows, manifest says {entry['rows']}")
    target = store.resolve_db(path)
    if target.exists():
        raise BackupError(f"{target} exists already")

    def load(con):
        con.execute("DELETE FROM meta")  # the new store's own stamps give way to the backup's
        for table in TABLES:
            if len(frames[table]):
                con.from_df(frames[table][list(con.table(table).columns)]).insert_into(table)
        # sequences continue after the restored ids
        uploads = int(frames["uploads"]["upload_id"].max()) if len(frames["uploads"]) else 0
        events = int(frames["events"]["event_id"].max()) if len(frames["events"]) else 0
        for _ in range(uploads):
            con.execute("SELECT nextval('upload_ids')").fetchall()
        for _ in range(events):
            con.execute("SELECT nextval('event_ids')").fetchall()

    store._write(target, load, "restore-backup")
    return manifest
