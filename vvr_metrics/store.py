"""The DuckDB store: one table per record type, the uploads (versions) and the events.

Every connection is short-lived: DuckDB lets no second process open a file that another
process holds open for writing, and the CLI and the dashboard share one store. Writes are
serialised within a process and retried briefly across processes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from . import catalogue
from . import facts as fact_rules
from . import workbook_format as wf
from .errors import StoreBusy, StoreFault
from .settings import ROOT

DEFAULT_DB = ROOT / "data" / "vvr.duckdb"
EXAMPLE_ACTOR = "example"  # the uploader name of the example data
LOCK_TIMEOUT_S = float(os.environ.get("VVR_LOCK_TIMEOUT", "15"))  # seconds to wait for another process
_write_lock = threading.RLock()
_ready: set[str] = set()

COMMON_COLUMNS = ("upload_id", "sheet", "source_row")
# Static DDL. The column order of each record table is COMMON_COLUMNS followed by the fields of
# its sheet in workbook_format; tests/test_store.py checks that the two agree.
SCHEMA = (
    "CREATE SEQUENCE IF NOT EXISTS upload_ids START 1",
    "CREATE SEQUENCE IF NOT EXISTS event_ids START 1",
    "CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)",
    """CREATE TABLE IF NOT EXISTS uploads (
        upload_id INTEGER PRIMARY KEY, source VARCHAR NOT NULL, version INTEGER NOT NULL,
        file_name VARCHAR, file_sha256 VARCHAR, uploaded_at TIMESTAMP, uploaded_by VARCHAR,
        rows_stored INTEGER, rows_rejected INTEGER)""",
    "CREATE TABLE IF NOT EXISTS sources (source VARCHAR PRIMARY KEY, active_upload_id INTEGER)",
    """CREATE TABLE IF NOT EXISTS events (
        event_id INTEGER PRIMARY KEY, happened_at TIMESTAMP, action VARCHAR, source VARCHAR, version INTEGER,
        rows INTEGER, actor VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS targets (upload_id INTEGER, sheet VARCHAR, source_row INTEGER,
        indicator VARCHAR, municipality VARCHAR, year INTEGER, target DOUBLE, target_women DOUBLE)""",
    """CREATE TABLE IF NOT EXISTS contacts (upload_id INTEGER, sheet VARCHAR, source_row INTEGER,
        day DATE, municipality VARCHAR, contact_type VARCHAR, gender VARCHAR, client_id VARCHAR, notes VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS jobs (upload_id INTEGER, sheet VARCHAR, source_row INTEGER,
        day DATE, municipality VARCHAR, gender VARCHAR, new_job BOOLEAN, subsidised BOOLEAN, employer VARCHAR,
        notes VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS companies (upload_id INTEGER, sheet VARCHAR, source_row INTEGER,
        day DATE, municipality VARCHAR, gender VARCHAR, business_id VARCHAR, industry VARCHAR, company VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS placements (upload_id INTEGER, sheet VARCHAR, source_row INTEGER,
        day DATE, municipality VARCHAR, measure VARCHAR, gender VARCHAR, client_id VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS trainings (upload_id INTEGER, sheet VARCHAR, source_row INTEGER,
        day DATE, training VARCHAR, municipality VARCHAR, entrepreneurship BOOLEAN, participants_women INTEGER,
        participants_men INTEGER)""",
    """CREATE TABLE IF NOT EXISTS projects (upload_id INTEGER, sheet VARCHAR, source_row INTEGER,
        day DATE, project VARCHAR, municipality VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS funding (upload_id INTEGER, sheet VARCHAR, source_row INTEGER,
        day DATE, source VARCHAR, amount DOUBLE, municipality VARCHAR)""",
    # Derived from the records by the indicator catalogue; rebuilt when the catalogue changes. The
    # attribute columns (contact_type … funding_source) feed the ad hoc exploration.
    """CREATE TABLE IF NOT EXISTS facts (upload_id INTEGER, indicator VARCHAR, municipality VARCHAR, day DATE,
        value DOUBLE, women DOUBLE, men DOUBLE, dkey VARCHAR, sheet VARCHAR, source_row INTEGER,
        contact_type VARCHAR, measure VARCHAR, subsidised BOOLEAN, industry VARCHAR, entrepreneurship BOOLEAN,
        funding_source VARCHAR)""",
    # No longer written (previews compare records on their fields); kept so that older stores and
    # backups still open and restore.
    "CREATE TABLE IF NOT EXISTS record_index (upload_id INTEGER, tbl VARCHAR, row_hash VARCHAR)",
    # The one filter of every figure: a record of an active version, in the view of the query ``q``
    # (``Query.params``: the cut-off, the period start and the municipalities, each NULL for no limit).
    """CREATE OR REPLACE MACRO in_view(upload_id, day, municipality, q) AS
        upload_id IN (SELECT active_upload_id FROM sources)
        AND (q.as_of IS NULL OR day <= q.as_of)
        AND (q.since IS NULL OR day >= q.since)
        AND (q.municipalities IS NULL OR list_contains(q.municipalities, municipality))""",
)


class StaleUpload(RuntimeError):
    """The source changed between preview and confirmation."""


def table_columns(table: str) -> tuple[str, ...]:
    """The column order of a record table."""
    return COMMON_COLUMNS + tuple(c.field for c in wf.SHEETS_BY_TABLE[table].columns)


def resolve_db(path: str | os.PathLike | None = None) -> Path:
    """``--db``, else ``$VVR_DB``, else ``data/vvr.duckdb``."""
    return Path(path or os.environ.get("VVR_DB") or DEFAULT_DB)


def _is_lock_error(exc: Exception) -> bool:
    """Another process holds the file (not: any message that happens to contain "lock", like "block")."""
    text = str(exc).lower()
    return "could not set lock" in text or "conflicting lock" in text


def _fault(exc: Exception, db: Path) -> Exception:
    """What a DuckDB error means for the user: busy, damaged, unwritable, or (otherwise) a bug."""
    text = str(exc).lower()
    if _is_lock_error(exc):
        return StoreBusy(str(exc))
    if any(m in text for m in ("no space left", "disk full", "read-only", "readonly", "permission denied")):
        return StoreFault("unwritable", db, str(exc)[:200])
    if any(
        m in text
        for m in (
            "corrupt",
            "not a valid duckdb",
            "checksum",
            "invalid block",
            "database file",
            "could not read enough bytes",  # a truncated file
            "serialization error",
        )
    ):
        return StoreFault("damaged", db, str(exc)[:200])
    return exc


# Stores this process has opened: if one disappears, it is reported, never silently created empty again.
_opened: set[str] = set()
_connections = 0  # connections opened by this process: any of them may have written
_status_lock = threading.Lock()  # guards _connections and the kept status


def forget(path) -> None:
    """Let this process create ``path`` afresh (a scratch store that was removed on purpose)."""
    key = str(resolve_db(path).absolute())
    _opened.discard(key)
    _ready.discard(key)


@contextlib.contextmanager
def connect(path: str | os.PathLike | None = None, timeout: float | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A short-lived connection to the store, created and migrated on first use."""
    db = resolve_db(path)
    key = str(db.absolute())
    if key in _opened and not db.exists():
        raise StoreFault("missing", db)
    try:
        db.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreFault("unwritable", db, str(exc)) from exc
    global _connections
    with _status_lock:  # counted under the status cache's lock: a lost increment would hide a write
        _connections += 1
    deadline = time.monotonic() + (LOCK_TIMEOUT_S if timeout is None else timeout)
    delay = 0.02
    while True:
        try:
            con = duckdb.connect(str(db))
            break
        except duckdb.Error as exc:  # another process holds the file, or the file is broken
            if not _is_lock_error(exc) or time.monotonic() > deadline:
                raise _fault(exc, db) from exc
            time.sleep(delay)
            delay = min(delay * 2, 0.5)
    _opened.add(key)
    try:
        if key not in _ready:
            _migrate(con)
            _ready.add(key)
        yield con
    except duckdb.Error as exc:
        raise _fault(exc, db) from exc
    finally:
        con.close()


def _migrate(con: duckdb.DuckDBPyConnection) -> None:
    with _write_lock:
        for statement in SCHEMA:
            con.execute(statement)
        rows = con.execute("SELECT value FROM meta WHERE key = 'catalogue'").fetchall()
        if not rows or rows[0][0] != _facts_stamp():
            if tuple(con.table("facts").columns) != fact_rules.FACT_COLUMNS:
                con.execute("DROP TABLE facts")
                con.execute(next(st for st in SCHEMA if "TABLE IF NOT EXISTS facts" in st))
            _rebuild_facts(con)


def _rebuild_facts(con: duckdb.DuckDBPyConnection) -> None:
    """Derive every stored record's facts again (after a catalogue change)."""
    con.execute("BEGIN TRANSACTION")
    try:
        derive_all_facts(con)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise


def derive_all_facts(con: duckdb.DuckDBPyConnection) -> int:
    """Replace the facts with those derived from every stored record, inside the caller's transaction."""
    con.execute("DELETE FROM facts")
    count = 0
    for table in wf.RECORD_TABLES:
        records = con.table(table).df()
        if len(records):
            facts = fact_rules.derive_facts(table, records)
            if len(facts):
                con.from_df(facts).insert_into("facts")
                count += len(facts)
    con.execute("INSERT OR REPLACE INTO meta VALUES ('catalogue', ?)", [_facts_stamp()])
    return count


def _facts_stamp() -> str:
    return f"{catalogue.fingerprint()}/{fact_rules.FACTS_LAYOUT}"


@dataclass(frozen=True)
class NewVersion:
    """What one source's new version holds, ready to store."""

    source: str
    file_name: str
    file_sha256: str
    previous_upload_id: int | None  # the active version seen by the preview
    records: dict[str, pd.DataFrame]  # table -> records without upload_id
    rows_rejected: int = 0


@dataclass(frozen=True)
class StoredVersion:
    source: str
    version: int
    upload_id: int
    rows: int


def _event(con, action: str, source: str, version: int | None, rows: int | None, actor: str) -> None:
    con.execute(
        "INSERT INTO events VALUES (nextval('event_ids'), ?, ?, ?, ?, ?, ?)",
        [dt.datetime.now(), action, source, version, rows, actor],
    )
    con.execute(
        "INSERT OR REPLACE INTO meta VALUES ('data_version', "
        "CAST(COALESCE((SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'data_version'), 0) + 1 AS VARCHAR))"
    )


def active_upload(con, source: str) -> int | None:
    rows = con.execute("SELECT active_upload_id FROM sources WHERE source = ?", [source]).fetchall()
    return rows[0][0] if rows else None


def _write(path, work):
    """Run ``work(con)`` in one transaction; roll back on any error; retry if the store is busy."""
    with _write_lock, connect(path) as con:
        con.execute("BEGIN TRANSACTION")
        try:
            result = work(con)
            con.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(duckdb.Error):
                con.execute("ROLLBACK")
            raise
        return result


def _check_fresh(con, item: NewVersion) -> None:
    """The source's version in use is still the one the preview was built against (else StaleUpload)."""
    if active_upload(con, item.source) != item.previous_upload_id:
        raise StaleUpload(item.source)


def _insert_version(con, item: NewVersion, actor: str) -> StoredVersion:
    upload_id = con.execute("SELECT nextval('upload_ids')").fetchall()[0][0]
    version = con.execute(
        "SELECT COALESCE(max(version), 0) + 1 FROM uploads WHERE source = ?", [item.source]
    ).fetchall()[0][0]
    rows = 0
    for table, records in item.records.items():
        if records.empty:
            continue
        frame = records.copy()
        frame.insert(0, "upload_id", upload_id)
        frame = frame[list(table_columns(table))]
        con.from_df(frame).insert_into(table)
        if table != "targets":
            rows += len(frame)
            facts = fact_rules.derive_facts(table, frame)
            if len(facts):
                con.from_df(facts).insert_into("facts")
        else:
            rows += len(frame)
    con.execute(
        "INSERT INTO uploads VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            upload_id,
            item.source,
            version,
            item.file_name,
            item.file_sha256,
            dt.datetime.now(),
            actor,
            rows,
            item.rows_rejected,
        ],
    )
    con.execute("INSERT OR REPLACE INTO sources VALUES (?, ?)", [item.source, upload_id])
    _event(con, "replace" if item.previous_upload_id else "upload", item.source, version, rows, actor)
    return StoredVersion(item.source, version, upload_id, rows)


def _retire_example(con, actor: str) -> None:
    for (source,) in con.execute(
        """SELECT s.source FROM sources s JOIN uploads u ON u.upload_id = s.active_upload_id
               WHERE u.uploaded_by = ? ORDER BY s.source""",
        [EXAMPLE_ACTOR],
    ).fetchall():
        rows = con.execute(
            "SELECT u.rows_stored FROM sources s JOIN uploads u ON u.upload_id = s.active_upload_id WHERE s.source = ?",
            [source],
        ).fetchall()[0][0]
        con.execute("UPDATE sources SET active_upload_id = NULL WHERE source = ?", [source])
        _event(con, "delete", source, None, rows, actor)


def store_versions(
    path, items: list[NewVersion], actor: str = "cli", retire_example: bool = False
) -> list[StoredVersion]:
    """Store new versions of one or more sources as one atomic step (taking the example data out of use
    in the same step when asked)."""

    def work(con):
        for item in items:  # against what the preview saw, before the example data is taken out of use
            _check_fresh(con, item)
        if retire_example:
            _retire_example(con, actor)
        return [_insert_version(con, item, actor) for item in items]

    return _write(path, work)


def remove_example_data(path=None, actor: str = "cli") -> int:
    """Take every example source out of use; returns how many there were."""

    def work(con):
        n = len(_example_sources(con))
        _retire_example(con, actor)
        return n

    return _write(path, work)


def _example_sources(con) -> list[str]:
    return [
        r[0]
        for r in con.execute(
            """SELECT s.source FROM sources s JOIN uploads u ON u.upload_id = s.active_upload_id
           WHERE u.uploaded_by = ? ORDER BY s.source""",
            [EXAMPLE_ACTOR],
        ).fetchall()
    ]


def example_sources(path=None) -> list[str]:
    with connect(path) as con:
        return _example_sources(con)


def active_example_ids(path=None) -> list[int]:
    """The versions in use that are example data."""
    with connect(path) as con:
        return example_upload_ids(con)


def example_upload_ids(con) -> list[int]:
    return [
        r[0]
        for r in con.execute(
            """SELECT s.active_upload_id FROM sources s JOIN uploads u ON u.upload_id = s.active_upload_id
           WHERE u.uploaded_by = ?""",
            [EXAMPLE_ACTOR],
        ).fetchall()
    ]


def restore_version(
    path, source: str, version: int, actor: str = "cli", expected_upload: int | None | object = ...
) -> StoredVersion:
    """Make an earlier version of a source the active one again. ``expected_upload`` is the version in use
    that the user saw: if it changed since (another session), nothing is done (StaleUpload)."""

    def work(con):
        if expected_upload is not ... and active_upload(con, source) != expected_upload:
            raise StaleUpload(source)
        rows = con.execute(
            "SELECT upload_id, rows_stored FROM uploads WHERE source = ? AND version = ?", [source, version]
        ).fetchall()
        if not rows:
            raise KeyError(f"{source} v{version}")
        upload_id, stored = rows[0]
        con.execute("INSERT OR REPLACE INTO sources VALUES (?, ?)", [source, upload_id])
        _event(con, "restore", source, version, stored, actor)
        return StoredVersion(source, version, upload_id, stored)

    return _write(path, work)


def delete_source(path, source: str, actor: str = "cli", expected_upload: int | None = None) -> int:
    """Take a source out of the figures; its versions stay in the history. Returns the rows removed.
    With ``expected_upload``, only that version in use is taken out (else StaleUpload)."""

    def work(con):
        active = active_upload(con, source)
        if active is None:
            raise KeyError(source)
        if expected_upload is not None and active != expected_upload:
            raise StaleUpload(source)
        rows = con.execute("SELECT rows_stored FROM uploads WHERE upload_id = ?", [active]).fetchall()[0][0]
        con.execute("UPDATE sources SET active_upload_id = NULL WHERE source = ?", [source])
        _event(con, "delete", source, None, rows, actor)
        return rows

    return _write(path, work)


def history(path=None) -> pd.DataFrame:
    """Every version of every source, newest first, with whether it is the active one."""
    with connect(path) as con:
        return con.execute(
            """SELECT u.source, u.version, u.uploaded_at, u.uploaded_by, u.file_name, u.rows_stored,
                      u.rows_rejected, (s.active_upload_id = u.upload_id) IS TRUE AS active, u.upload_id
               FROM uploads u LEFT JOIN sources s ON s.source = u.source
               ORDER BY u.source, u.version DESC"""
        ).df()


def events(path=None) -> pd.DataFrame:
    """The audit log: who (role), when, what, which source (or export format) and how many rows."""
    with connect(path) as con:
        return con.execute(
            "SELECT happened_at, action, source, version, rows, actor FROM events ORDER BY event_id"
        ).df()


def log_export(path, what: str, actor: str) -> None:
    """Record an export in the audit log (it changes no figures, so the data version stays)."""
    log_event(path, "export", what, actor)


def log_event(path, action: str, what: str, actor: str) -> None:
    """Record an event that changes no figures (an export, a failed sign-in) in the audit log."""
    with _write_lock, connect(path) as con:
        con.execute(
            "INSERT INTO events VALUES (nextval('event_ids'), ?, ?, ?, NULL, NULL, ?)",
            [dt.datetime.now(), action, what, actor],
        )


def data_version(path=None) -> int:
    """A stamp that changes with every stored change; pages key their caches on it."""
    with connect(path) as con:
        rows = con.execute("SELECT value FROM meta WHERE key = 'data_version'").fetchall()
        return int(rows[0][0]) if rows else 0


def active_sources(path_or_con=None) -> pd.DataFrame:
    """The sources in use: source, version, upload_id, rows_stored."""
    sql = """SELECT s.source, u.version, u.upload_id, u.rows_stored FROM sources s
             JOIN uploads u ON u.upload_id = s.active_upload_id ORDER BY s.source"""
    if isinstance(path_or_con, duckdb.DuckDBPyConnection):
        return path_or_con.execute(sql).df()
    with connect(path_or_con) as con:
        return con.execute(sql).df()


def known_sources(con) -> list[str]:
    """Every source name ever stored (in use or not)."""
    return [r[0] for r in con.execute("SELECT source FROM sources ORDER BY source").fetchall()]


def upload_info(con, upload_id: int) -> tuple[int, str]:
    """The version number and file SHA-256 of an upload."""
    return tuple(con.execute("SELECT version, file_sha256 FROM uploads WHERE upload_id = ?", [upload_id]).fetchall()[0])


def _active_upload_ids(con) -> list[int]:
    return [
        r[0] for r in con.execute("SELECT active_upload_id FROM sources WHERE active_upload_id IS NOT NULL").fetchall()
    ]


def _rows_of(con, table: str, upload_ids: list[int], columns: list[str]) -> pd.DataFrame:
    """Records of ``table`` from the given uploads (relational API: no SQL is built from names)."""
    if table not in wf.SHEETS_BY_TABLE and table != "facts":
        raise ValueError(table)
    if not upload_ids:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
    condition = duckdb.ColumnExpression("upload_id").isin(*[duckdb.ConstantExpression(int(i)) for i in upload_ids])
    return con.table(table).filter(condition).select(*columns).df()


def version_records(con, upload_id: int, table: str) -> pd.DataFrame:
    """One stored version's records of one table, as the upload gave them (without upload_id)."""
    return _rows_of(con, table, [upload_id], [c for c in table_columns(table) if c != "upload_id"])


def active_records(con, table: str, fields: tuple[str, ...]) -> pd.DataFrame:
    """upload_id and ``fields`` of every record in use of ``table``."""
    return _rows_of(con, table, _active_upload_ids(con), ["upload_id", *fields])


def active_facts(con) -> pd.DataFrame:
    """upload_id, indicator, value and dkey of every fact in use (for before/after previews)."""
    return _rows_of(con, "facts", _active_upload_ids(con), ["upload_id", "indicator", "value", "dkey"])


def active_targets(con) -> pd.DataFrame:
    """Targets of the active sources; for the same indicator, municipality and year the newest upload wins."""
    return con.execute(
        """SELECT indicator, municipality, year, target, target_women, source FROM (
               SELECT t.*, s.source, row_number() OVER (
                   PARTITION BY t.indicator, t.municipality, t.year ORDER BY t.upload_id DESC) AS rn
               FROM targets t JOIN sources s ON t.upload_id = s.active_upload_id)
           WHERE rn = 1"""
    ).df()


@dataclass(frozen=True)
class StoreStatus:
    """What the frame of every page shows: the "tilanne" dates and whether example data is in use."""

    data_version: int
    newest_record: dt.date | None
    newest_upload: dt.datetime | None
    example_data: bool
    sources: int
    last_event: int = 0  # the audit log's newest event id: keys the cached log, which changes without new data
    uploads: int = 0  # every upload ever stored, in use or not (0: a new store, which gets the example data)
    real_uploads: int = 0  # of them, the project's own (not the example data): the open demo refuses such a store


STATUS_MAX_AGE_S = 2.0
_status: dict[str, tuple[tuple, float, StoreStatus]] = {}


def _file_state(db: Path) -> tuple:
    """The store file's and its write-ahead log's identity, modification time and size (None: no such file)."""
    state = []
    for file in (db, db.with_name(db.name + ".wal")):
        try:
            st = file.stat()
            state.append((st.st_ino, st.st_mtime_ns, st.st_size))
        except FileNotFoundError:
            state.append(None)
    return tuple(state)


def status(path=None) -> StoreStatus:
    """The store's state for the frame of every page, read again only when the store may have changed.

    Every page run needs it (the data version keys every cached read), and opening the DuckDB file for it was
    a fifth of a warm rerun's CPU (bench/page_cpu.py). It is read again when the file or its log changed on
    disk (another process wrote), when this process opened any other connection since (it may have written
    within the file clock's resolution), and at least every STATUS_MAX_AGE_S seconds."""
    db = resolve_db(path)
    key = str(db.absolute())
    state = _file_state(db)
    with _status_lock:
        known = _status.get(key)
        if known and known[0] == (state, _connections) and time.monotonic() - known[1] < STATUS_MAX_AGE_S:
            return known[2]
    opened = _connections
    fresh = _read_status(db)
    with _status_lock:
        # the file as it was before the read, and the read's own connection only: a write by anyone during the
        # read leaves a state that differs next time
        _status[key] = ((state, opened + 1), time.monotonic(), fresh)
    return fresh


def _read_status(path) -> StoreStatus:
    with connect(path) as con:
        rows = con.execute(
            """SELECT
                 (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'data_version'),
                 (SELECT max(f.day) FROM facts f JOIN sources s ON f.upload_id = s.active_upload_id),
                 (SELECT max(happened_at) FROM events WHERE action IN ('upload', 'replace', 'restore')),
                 (SELECT count(*) FROM sources s JOIN uploads u ON u.upload_id = s.active_upload_id
                   WHERE u.uploaded_by = ?) > 0,
                 (SELECT count(*) FROM sources WHERE active_upload_id IS NOT NULL),
                 (SELECT max(event_id) FROM events),
                 (SELECT count(*) FROM uploads),
                 (SELECT count(*) FROM uploads WHERE uploaded_by IS DISTINCT FROM ?)""",
            [EXAMPLE_ACTOR, EXAMPLE_ACTOR],
        ).fetchall()
    version, record, upload, example, sources, last_event, uploads, real = rows[0]
    return StoreStatus(version or 0, record, upload, bool(example), sources, last_event or 0, uploads, real)
