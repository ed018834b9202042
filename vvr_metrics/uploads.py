"""Uploads: preview what a workbook would add, replace and reject; then store it atomically."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import store
from .reading import ParsedWorkbook, RejectedRow, parse_workbook
from .settings import ProjectSettings, load_settings
from .validation import BLOCKER, ERROR, WARNING, Problem
from .workbook_reader import WorkbookError, read_workbook

OVERLAP_WARN_SHARE = 0.5


@dataclass(frozen=True)
class SheetPreview:
    """Per sheet: what storing would add, remove (from the source's earlier version) and reject."""

    sheet: str
    table: str
    header_row: int | None
    rows: int  # valid rows in this upload
    added: int
    removed: int
    unchanged: int
    rejected: int  # rows
    failed: bool  # the whole sheet was rejected (its required columns are missing)
    totals_rows: int
    unknown_columns: tuple[str, ...]


@dataclass(frozen=True)
class UploadPlan:
    """The preview of one file as one source. Nothing is stored until ``commit_uploads``."""

    source: str
    file_name: str
    file_sha256: str
    previous_version: int | None
    previous_upload_id: int | None
    sheets: tuple[SheetPreview, ...]
    removed_tables: tuple[tuple[str, int], ...]  # tables the earlier version had and this one does not
    ignored_sheets: tuple[str, ...]
    problems: tuple[Problem, ...]
    records: dict[str, pd.DataFrame] = field(repr=False)
    hashes: pd.DataFrame = field(repr=False)
    rejected: tuple[tuple[str, tuple, RejectedRow], ...] = field(repr=False, default=())  # sheet, header, row

    @property
    def blocked(self) -> bool:
        return any(p.severity == BLOCKER for p in self.problems)

    @property
    def n_rejected(self) -> int:
        return len(self.rejected)

    @property
    def has_rejections(self) -> bool:
        """Rows or whole sheets were rejected: storing needs ``skip_invalid``."""
        return bool(self.rejected) or any(s.failed for s in self.sheets)

    @property
    def n_valid(self) -> int:
        return sum(len(df) for df in self.records.values())

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity in (ERROR, BLOCKER))

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == WARNING)


def sheet_failed(sheet) -> bool:
    return any(p.code == "missing_columns" for p in sheet.problems)


def default_source(file_name: str) -> str:
    """The source name of a file: its name without the extension."""
    return Path(file_name).stem


def row_hashes(table: str, frame: pd.DataFrame, fields: tuple[str, ...]) -> pd.Series:
    """A stable fingerprint of each record's values (not its position), for previews and overlap."""
    values = frame[list(fields)].astype("string").fillna("\x00")
    values.insert(0, "_table", table)
    return pd.util.hash_pandas_object(values, index=False).map("{:016x}".format)


def _records_frame(table: str, sheet: str, values: dict[str, list]) -> pd.DataFrame:
    columns = [c for c in store.table_columns(table) if c != "upload_id"]
    frame = pd.DataFrame({c: values[c] for c in columns if c != "sheet"})
    frame.insert(0, "sheet", sheet)
    return frame[columns]


def _blocked_plan(source: str, file_name: str, sha: str, problems: list[Problem]) -> UploadPlan:
    return UploadPlan(source, file_name, sha, None, None, (), (), (), tuple(problems), {}, pd.DataFrame(
        columns=["tbl", "row_hash"]))


def prepare_upload(data: bytes, file_name: str, path=None, *, source: str | None = None,
                   settings: ProjectSettings | None = None, today: dt.date | None = None,
                   isolate: bool = False) -> UploadPlan:
    """Read, validate and compare one workbook with the store; store nothing.

    ``isolate`` reads the file in a child process with a time and memory limit (the dashboard does;
    a crash there cannot take the server down).
    """
    settings = settings or load_settings()
    today = today or dt.date.today()
    source = (source or default_source(file_name)).strip()
    sha = hashlib.sha256(data).hexdigest()
    try:
        if isolate:
            from .isolation import read_workbook_isolated

            raw = read_workbook_isolated(data, file_name, settings)
        else:
            raw = read_workbook(data, file_name, settings)
    except WorkbookError as exc:
        return _blocked_plan(source, file_name, sha, [
            Problem(file_name, None, None, None, exc.code, tuple(exc.params.items()), BLOCKER)])
    parsed: ParsedWorkbook = parse_workbook(raw, settings, today)
    problems: list[Problem] = list(parsed.blockers)
    if parsed.blockers:
        return _blocked_plan(source, file_name, sha, problems)

    frames: dict[str, list[pd.DataFrame]] = {}
    hash_rows: list[tuple[str, str]] = []
    rejected = []
    per_sheet_hashes: list[pd.Series] = []
    for sheet in parsed.sheets:
        table = sheet.spec.table
        problems.extend(sheet.problems)
        for rej in sheet.rejected:
            problems.extend(rej.problems)
            rejected.append((sheet.sheet_name, tuple(sheet.header), rej))
        fields = tuple(c.field for c in sheet.spec.columns)
        frame = _records_frame(table, sheet.sheet_name, sheet.columns)
        hashes = row_hashes(table, frame, fields) if len(frame) else pd.Series([], dtype="string")
        hash_rows.append(pd.DataFrame({"tbl": table, "row_hash": hashes}))
        per_sheet_hashes.append(hashes)
        if len(frame):
            frames.setdefault(table, []).append(frame)
    records = {t: pd.concat(f, ignore_index=True) for t, f in frames.items()}
    hashes_df = (pd.concat(hash_rows, ignore_index=True) if hash_rows
                 else pd.DataFrame(columns=["tbl", "row_hash"]))

    with store.connect(path) as con:
        previous_upload, old_hashes = store.source_hashes(con, source)
        previous_version = None
        if previous_upload is not None:
            previous_version = con.execute("SELECT version FROM uploads WHERE upload_id = ?",
                                           [previous_upload]).fetchall()[0][0]
        overlap = store.overlap_with_other_sources(con, source, hashes_df)
        targets = store.active_targets(con) if "targets" in records else None

    old_by_table = {t: Counter(g["row_hash"]) for t, g in old_hashes.groupby("tbl")} if len(old_hashes) else {}
    previews = []
    for sheet, hashes in zip(parsed.sheets, per_sheet_hashes):
        old = old_by_table.get(sheet.spec.table)
        unchanged = removed = 0
        if old:  # compare as multisets: identical rows are legitimate (two meetings on one day)
            unchanged = sum((Counter(hashes.tolist()) & old).values())
            # What the sheet's table loses is counted once, on its first sheet.
            if next(s for s in parsed.sheets if s.spec.table == sheet.spec.table) is sheet:
                table_counts = Counter(hashes_df.loc[hashes_df["tbl"] == sheet.spec.table, "row_hash"].tolist())
                removed = sum((old - table_counts).values())
        previews.append(SheetPreview(sheet.sheet_name, sheet.spec.table, sheet.header_row,
                                     len(hashes), len(hashes) - unchanged, removed, unchanged,
                                     len(sheet.rejected), sheet_failed(sheet), len(sheet.totals_rows),
                                     tuple(sheet.unknown_columns)))
    present = {s.spec.table for s in parsed.sheets}
    removed_tables = tuple((t, sum(c.values())) for t, c in old_by_table.items() if t not in present)

    total = len(hashes_df)
    for rec in overlap.to_dict("records"):
        share = rec["rows"] / total if total else 0
        if share > OVERLAP_WARN_SHARE:
            problems.append(Problem(file_name, None, None, None, "overlap",
                                    (("share", f"{round(share * 100)} %"), ("value", rec["source"])), WARNING))
    if targets is not None and len(targets):
        problems.extend(_target_overrides(records["targets"], targets, source, file_name))
    for name in parsed.ignored_sheets:
        problems.append(Problem(file_name, name, None, None, "ignored_sheet", (), WARNING))
    return UploadPlan(source, file_name, sha, previous_version, previous_upload, tuple(previews), removed_tables,
                      tuple(parsed.ignored_sheets), tuple(problems), records, hashes_df, tuple(rejected))


def _target_overrides(new: pd.DataFrame, stored: pd.DataFrame, source: str, file_name: str) -> list[Problem]:
    others = stored[stored["source"] != source]
    found = []
    for rec in new.to_dict("records"):
        same = others[(others["indicator"] == rec["indicator"])
                      & (others["municipality"].fillna("") == (rec["municipality"] or ""))
                      & (others["year"].fillna(-1) == (rec["year"] if rec["year"] is not None else -1))]
        if len(same):
            found.append(Problem(file_name, rec["sheet"], rec["source_row"], None, "target_overridden",
                                 (("value", rec["indicator"]), ("other", same.iloc[0]["source"])), WARNING))
    return found


class UploadRefused(RuntimeError):
    """The plans cannot be stored as they are (blocked, or rows rejected without skip_invalid)."""


def commit_uploads(plans: list[UploadPlan], path=None, *, skip_invalid: bool = False,
                   actor: str = "cli") -> list[store.StoredVersion]:
    """Store every plan as a new version of its source, all or nothing."""
    if any(p.blocked for p in plans):
        raise UploadRefused("blocked")
    if not skip_invalid and any(p.has_rejections for p in plans):
        raise UploadRefused("rejected")
    sources = [p.source for p in plans]
    if len(set(sources)) != len(sources):
        raise UploadRefused("duplicate_source")
    items = [
        store.NewVersion(p.source, p.file_name, p.file_sha256, p.previous_upload_id, p.records, p.hashes,
                         p.n_rejected)
        for p in plans
        if p.n_valid
    ]
    return store.store_versions(path, items, actor) if items else []

