"""Backup of the whole store as Parquet files with a manifest, and the rebuild of a store from one.

The manifest lists each table's row count, columns and SHA-256. When a backup key is set
(``$VVR_BACKUP_KEY``, else ``key`` under ``[backup]`` in ``.streamlit/secrets.toml``) the manifest
carries an HMAC-SHA256 of itself, and a restore refuses a manifest whose HMAC is missing or wrong.
A restore never trusts the backup's derived facts: it derives them again from the records.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import hmac
import json
import os
import tomllib
from pathlib import Path

import duckdb
import pandas as pd

from . import store
from .settings import ROOT

# Record and bookkeeping tables; the facts are derived from the records on restore.
TABLES = (
    "meta",
    "uploads",
    "sources",
    "events",
    "targets",
    "contacts",
    "jobs",
    "companies",
    "placements",
    "trainings",
    "projects",
    "funding",
)
MANIFEST = "manifest.json"
KEY_ENV = "VVR_BACKUP_KEY"
SECRETS = ROOT / ".streamlit" / "secrets.toml"


class BackupError(RuntimeError):
    """The backup cannot be restored: incomplete, altered, unsigned when it must be signed, or unreadable."""


def backup_key(secrets_path: Path | None = None) -> bytes | None:
    """The backup key, or None when none is set. A secrets file that cannot be read is an error, never "no key"."""
    if os.environ.get(KEY_ENV):
        return os.environ[KEY_ENV].encode("utf-8")
    path = Path(secrets_path or SECRETS)
    if not path.exists():
        return None
    try:
        secrets = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise BackupError(f"{path.name}: {exc}") from exc
    key = (secrets.get("backup") or {}).get("key") if isinstance(secrets.get("backup"), dict) else None
    if key is not None and (not isinstance(key, str) or not key):
        raise BackupError(f"{path.name}: [backup] key must be a non-empty string")
    return key.encode("utf-8") if key else None


def _signature(manifest: dict, key: bytes) -> str:
    body = {k: v for k, v in manifest.items() if k != "hmac"}
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hmac.new(key, text.encode("ascii"), hashlib.sha256).hexdigest()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def backup(path, out_dir, key: bytes | None = None) -> dict:
    """Write every table as ``<table>.parquet`` and ``manifest.json`` into ``out_dir``; sign it when a key is set."""
    key = key if key is not None else backup_key()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    manifest = {"created": dt.datetime.now().isoformat(timespec="seconds"), "tables": {}}
    with store.connect(path) as con:
        for table in TABLES:
            frame = con.table(table).df()
            file = out / f"{table}.parquet"
            frame.to_parquet(file, index=False)
            manifest["tables"][table] = {"rows": len(frame), "columns": list(frame.columns), "sha256": _sha256(file)}
    if key:
        manifest["hmac"] = _signature(manifest, key)
    (out / MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    return manifest


def _read_manifest(src: Path, key: bytes | None) -> dict:
    try:
        manifest = json.loads((src / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise BackupError(f"{MANIFEST}: {exc}") from exc
    if not isinstance(manifest, dict) or not isinstance(manifest.get("tables"), dict):
        raise BackupError(f"{MANIFEST}: no table list")
    if key:
        given = manifest.get("hmac")
        if not isinstance(given, str):
            raise BackupError(f"{MANIFEST}: not signed, but a backup key is set")
        if not hmac.compare_digest(given, _signature(manifest, key)):
            raise BackupError(f"{MANIFEST}: the signature does not match (altered, or signed with another key)")
    elif "hmac" in manifest:
        raise BackupError(f"{MANIFEST}: signed, but no backup key is set ({KEY_ENV} or [backup] key)")
    return manifest


def _read_tables(src: Path, manifest: dict) -> dict[str, pd.DataFrame]:
    frames = {}
    for table in TABLES:
        entry = manifest["tables"].get(table)
        file = src / f"{table}.parquet"
        if not isinstance(entry, dict) or not file.exists():
            raise BackupError(f"{table}: missing")
        if not isinstance(entry.get("sha256"), str) or not isinstance(entry.get("rows"), int):
            raise BackupError(f"{table}: the manifest entry is incomplete")
        if _sha256(file) != entry["sha256"]:
            raise BackupError(f"{table}: checksum does not match")
        try:
            frames[table] = pd.read_parquet(file)
        except Exception as exc:  # pyarrow raises several types for a broken file
            raise BackupError(f"{table}: {type(exc).__name__}") from exc
        if len(frames[table]) != entry["rows"]:
            raise BackupError(f"{table}: {len(frames[table])} rows, manifest says {entry['rows']}")
    return frames


def _remove_store_files(db: Path) -> None:
    store.forget(db)
    for p in (db, Path(f"{db}.wal")):
        with contextlib.suppress(FileNotFoundError):
            p.unlink()


def restore_backup(backup_dir, path, key: bytes | None = None) -> dict:
    """Build a new store at ``path`` from a backup, after checking the manifest, its signature and every file.

    The store is built under a temporary name and moved into place only when complete, so a failure
    leaves nothing behind and a retry can go ahead. An existing store is never overwritten.
    """
    key = key if key is not None else backup_key()
    src = Path(backup_dir)
    manifest = _read_manifest(src, key)
    frames = _read_tables(src, manifest)
    target = store.resolve_db(path)
    if target.exists():
        raise BackupError(f"{target} exists already")
    building = target.with_name(f".{target.name}.restoring-{os.getpid()}")
    _remove_store_files(building)

    def load(con):
        con.execute("DELETE FROM meta")  # the new store's own stamps give way to the backup's
        for table in TABLES:
            columns = list(con.table(table).columns)
            missing = [c for c in columns if c not in frames[table].columns]
            if missing:
                raise BackupError(f"{table}: column {', '.join(missing)} missing")
            if len(frames[table]):
                con.from_df(frames[table][columns]).insert_into(table)
        store.derive_all_facts(con)
        # sequences continue after the restored ids
        for table, column, sequence in (("uploads", "upload_id", "upload_ids"), ("events", "event_id", "event_ids")):
            top = int(frames[table][column].max()) if len(frames[table]) else 0
            for _ in range(top):
                con.execute("SELECT nextval(?)", [sequence]).fetchall()

    try:
        store._write(building, load)
        if Path(f"{building}.wal").exists():  # DuckDB checkpoints on close; never move half a store
            raise BackupError("the new store was not checkpointed")
        os.link(building, target)  # fails if a store appeared meanwhile; never overwrites
    except FileExistsError as exc:
        raise BackupError(f"{target} exists already") from exc
    except duckdb.Error as exc:
        raise BackupError(f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}") from exc
    finally:
        _remove_store_files(building)
    return manifest
