"""Uploads: read a workbook inside limits, preview what storing it would add, replace, remove and
reject, suggest which source it belongs to; then store it atomically."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import facts as fact_rules
from . import store
from . import workbook_format as wf
from .reading import ParsedWorkbook, RejectedRow, parse_workbook
from .settings import ProjectSettings, fold, load_settings
from .validation import BLOCKER, ERROR, WARNING, Problem, find_hetu, mask_hetu
from .workbook_reader import WorkbookError, read_workbook

OVERLAP_WARN_SHARE = 0.2  # of the new file's records already stored under another source
REPLACE_SHARE = 0.5  # of a stored source's records that reappear in the new file: replace it by default
# The indicators whose whole-project value a preview shows before and after.
KEY_INDICATORS = (
    "uudet_tyopaikat",
    "uudet_yritykset",
    "yrityskontaktit",
    "tyonhakijakontaktit",
    "kumppanikontaktit",
    "palvellut_yritykset",
    "tyollistetyt",
    "kesatyopaikat",
    "koulutukset",
    "uudet_hankkeet",
    "rahoitus_eu_valtio",
    "julkinen_rahoitus",
)


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
class ParsedUpload:
    """A workbook read and checked (in the child process): records, rejected rows and problems."""

    file_name: str
    file_sha256: str
    sheets: tuple[SheetPreview, ...]  # added/removed/unchanged still 0: the store is not consulted here
    records: dict[str, pd.DataFrame] = field(repr=False)
    rejected: tuple[tuple[str, tuple, RejectedRow], ...] = field(repr=False, default=())
    problems: tuple[Problem, ...] = ()
    ignored_sheets: tuple[str, ...] = ()

    @property
    def blocked(self) -> bool:
        return any(p.severity == BLOCKER for p in self.problems)


@dataclass(frozen=True)
class SourceMatch:
    """How much a new file shares with one stored source, on the fields that identify a record."""

    source: str
    stored_rows: int  # the source's records in use
    stored_found: int  # of them, how many reappear in the new file
    new_found: int  # of the new file's records, how many the source already holds

    @property
    def stored_share(self) -> float:
        return self.stored_found / self.stored_rows if self.stored_rows else 0.0


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
    rejected: tuple[tuple[str, tuple, RejectedRow], ...] = field(repr=False, default=())  # sheet, header, row
    removed_records: dict[str, pd.DataFrame] = field(repr=False, default_factory=dict)  # what a replace drops
    identical: bool = False  # the same file or the same records as the version in use: nothing to store
    suggested_source: str = ""  # what the page proposes when the user has not named the source
    replace_candidate: SourceMatch | None = None  # a stored source most of whose records reappear
    similar_name: str | None = None  # a stored source whose name matches once version suffixes are stripped
    overlaps: tuple[SourceMatch, ...] = ()  # other sources holding >= 20 % of this file's records

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
    def n_removed(self) -> int:
        return sum(len(df) for df in self.removed_records.values())

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity in (ERROR, BLOCKER))

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == WARNING)


def default_source(file_name: str) -> str:
    """The source name of a file: its name without the extension."""
    return Path(file_name).stem.strip() or file_name


_SUFFIXES = (
    re.compile(r"[\s_.-]*\(\d+\)$"),  # " (2)"
    re.compile(r"[\s_.-]*(kopio|copy|final|lopullinen|uusin|new|latest)$", re.I),  # " - kopio", "_final"
    re.compile(r"[\s_.-]*v(er)?\d+$", re.I),  # ".v1", "_v2"
    re.compile(r"[\s_.-]*\d{4}[-_.]\d{1,2}([-_.]\d{1,2})?$"),  # "_2012-05", "_2012-05-31"
    re.compile(r"[\s_.-]*\d{1,2}[-_.]\d{1,2}[-_.]\d{4}$"),  # "_31.5.2012"
    re.compile(r"[\s_.-]*\d{1,2}[-_.]\d{4}$"),  # "_05_2012"
)


def base_name(name: str) -> str:
    """A source or file name without version, date and copy suffixes, folded: for "is this X again?"."""
    name = Path(name).stem if Path(name).suffix.lower() in (".xlsx", ".xlsm", ".xls", ".ods") else name
    previous = None
    while previous != name:
        previous = name
        for pattern in _SUFFIXES:
            name = pattern.sub("", name)
    return fold(name)


def identifying_fields(table: str) -> tuple[str, ...]:
    """The fields that identify a record: everything but optional free text (notes, names)."""
    return tuple(c.field for c in wf.SHEETS_BY_TABLE[table].columns if c.required or c.kind != wf.TEXT)


def record_keys(table: str, frame: pd.DataFrame, fields: tuple[str, ...] | None = None) -> pd.Series:
    """One comparable text key per record, the same for a parsed record and its stored copy."""
    sheet = wf.SHEETS_BY_TABLE[table]
    fields = fields or tuple(c.field for c in sheet.columns)
    parts = []
    for name in fields:
        kind = sheet.column(name).kind
        col = frame[name] if name in frame.columns else pd.Series([None] * len(frame), index=frame.index)
        if kind in (wf.DATE, wf.MONTH_OR_DATE):
            text = pd.to_datetime(col, errors="coerce").dt.strftime("%Y-%m-%d")
        elif kind in (wf.AMOUNT, wf.NUMBER, wf.COUNT, wf.YEAR):
            text = pd.to_numeric(col, errors="coerce").round(2).map(lambda x: "" if pd.isna(x) else f"{x:.2f}")
        elif kind == wf.YESNO:
            text = col.map(lambda b: "" if b is None or pd.isna(b) else ("1" if b else "0"))
        else:  # text: vectorised, as these columns are the long ones
            text = col.astype("string").str.strip().fillna("")
        parts.append(text.fillna("").astype(str))
    if not parts:
        return pd.Series([""] * len(frame), index=frame.index)
    out = parts[0]
    for part in parts[1:]:
        out = out + "\x1f" + part
    return out


def _records_frame(table: str, sheet: str, values: dict[str, list]) -> pd.DataFrame:
    columns = [c for c in store.table_columns(table) if c != "upload_id"]
    n = len(values.get("source_row", []))
    frame = pd.DataFrame({c: values.get(c, [None] * n) for c in columns if c != "sheet"})
    frame.insert(0, "sheet", sheet)
    return frame[columns]


def parse_upload(data: bytes, file_name: str, settings: ProjectSettings, today: dt.date | None = None) -> ParsedUpload:
    """Bytes to checked records, without the store. Runs in the limited child process."""
    today = today or dt.date.today()
    sha = hashlib.sha256(data).hexdigest()
    try:
        raw = read_workbook(data, file_name, settings)
    except WorkbookError as exc:
        return ParsedUpload(
            mask_hetu(file_name),
            sha,
            (),
            {},
            (),
            (Problem(mask_hetu(file_name), None, None, None, exc.code, tuple(exc.params.items()), BLOCKER),),
        )
    parsed: ParsedWorkbook = parse_workbook(raw, settings, today)
    if parsed.blockers:
        return ParsedUpload(mask_hetu(file_name), sha, (), {}, (), tuple(parsed.blockers))
    problems: list[Problem] = list(parsed.notices)
    frames: dict[str, list[pd.DataFrame]] = {}
    rejected = []
    previews = []
    for sheet in parsed.sheets:
        table = sheet.spec.table
        problems.extend(sheet.problems)
        for rej in sheet.rejected:
            problems.extend(rej.problems)
            rejected.append((sheet.sheet_name, tuple(sheet.header), rej))
        frame = _records_frame(table, sheet.sheet_name, sheet.columns)
        if len(frame):
            frames.setdefault(table, []).append(frame)
        failed = any(p.code == "missing_columns" for p in sheet.problems)
        previews.append(
            SheetPreview(
                sheet.sheet_name,
                table,
                sheet.header_row,
                len(frame),
                len(frame),
                0,
                0,
                len(sheet.rejected),
                failed,
                len(sheet.totals_rows),
                tuple(sheet.unknown_columns),
            )
        )
    for name in parsed.ignored_sheets:
        problems.append(Problem(file_name, name, None, None, "ignored_sheet", (), WARNING))
    records = {t: pd.concat(f, ignore_index=True) for t, f in frames.items()}
    if not records and not rejected and not any(p.severity in (ERROR, BLOCKER) for p in problems):
        problems.append(Problem(file_name, None, None, None, "empty_workbook", (), WARNING))
    return ParsedUpload(
        file_name, sha, tuple(previews), records, tuple(rejected), tuple(problems), tuple(parsed.ignored_sheets)
    )


def read_upload(
    data: bytes,
    file_name: str,
    settings: ProjectSettings | None = None,
    today: dt.date | None = None,
    isolate: bool = True,
) -> ParsedUpload:
    """``parse_upload`` inside the limits of ``data/project.toml`` (a child process), or in this process."""
    settings = settings or load_settings()
    if not isolate:
        return parse_upload(data, file_name, settings, today)
    from .isolation import run_isolated

    try:
        return run_isolated(
            "vvr_metrics.uploads:parse_upload",
            data,
            file_name,
            settings,
            kwargs={"today": today},
            timeout=settings.reader_seconds,
            memory_mb=settings.reader_memory_mb,
        )
    except WorkbookError as exc:
        return ParsedUpload(
            mask_hetu(file_name),
            hashlib.sha256(data).hexdigest(),
            (),
            {},
            (),
            (Problem(mask_hetu(file_name), None, None, None, exc.code, tuple(exc.params.items()), BLOCKER),),
        )


def _multiset_minus(old: pd.Series, new: pd.Series) -> pd.Series:
    """A boolean mask over ``old``: the entries not matched one-for-one by an entry of ``new``."""
    budget = Counter(new.tolist())
    keep = []
    for key in old.tolist():
        if budget.get(key, 0) > 0:
            budget[key] -= 1
            keep.append(False)
        else:
            keep.append(True)
    return pd.Series(keep, index=old.index, dtype=bool)


def plan_upload(parsed: ParsedUpload, path=None, source: str | None = None) -> UploadPlan:
    """Compare a parsed workbook with the store. ``source=None`` lets the plan choose: replace the stored
    source most of whose records reappear in the file, else a new source named after the file."""
    file_name = parsed.file_name
    problems = list(parsed.problems)
    named = source.strip() if source is not None else None
    if parsed.blocked:
        return UploadPlan(
            mask_hetu(named or default_source(file_name)),
            file_name,
            parsed.file_sha256,
            None,
            None,
            (),
            (),
            parsed.ignored_sheets,
            tuple(problems),
            {},
        )
    with store.connect(path) as con:
        active = store.active_sources(con)
        stored_by_table = {t: store.active_records(con, t, identifying_fields(t)) for t in parsed.records}
        # keys only where there is something stored to compare with (a first upload compares nothing)
        new_keys = {
            t: record_keys(t, f, identifying_fields(t)) for t, f in parsed.records.items() if len(stored_by_table[t])
        }
        matches = []
        for rec in active.to_dict("records"):
            found = new_found = 0
            for table, keys in new_keys.items():
                stored = stored_by_table[table]
                mine = stored[stored["upload_id"] == rec["upload_id"]]
                if mine.empty:
                    continue
                stored_keys = record_keys(table, mine, identifying_fields(table))
                found += int(stored_keys.isin(set(keys)).sum())
                new_found += int(keys.isin(set(stored_keys)).sum())
            matches.append(SourceMatch(rec["source"], int(rec["rows_stored"]), found, new_found))
        candidates = [m for m in matches if m.stored_rows and m.stored_share >= REPLACE_SHARE]
        candidate = max(candidates, key=lambda m: (m.stored_share, m.stored_found), default=None)
        wanted = base_name(file_name)
        similar = next((s for s in active["source"] if base_name(s) == wanted), None)
        taken = set(store.known_sources(con))
        stem = default_source(file_name)
        if candidate is not None:
            suggested = candidate.source
        elif stem not in set(active["source"]):
            suggested = stem
        else:  # the file's own name is a source in use, but the file is not its new version: never replace
            n = 2
            while f"{stem} ({n})" in taken:
                n += 1
            suggested = f"{stem} ({n})"
        chosen = named or suggested
        if masked := find_hetu(chosen):
            problems.append(Problem(file_name, None, None, None, "hetu_in_source", (("value", masked),), BLOCKER))
            return UploadPlan(
                mask_hetu(chosen),
                file_name,
                parsed.file_sha256,
                None,
                None,
                (),
                (),
                parsed.ignored_sheets,
                tuple(problems),
                {},
            )
        previous_upload = store.active_upload(con, chosen)
        previous_version = previous_sha = None
        old_records: dict[str, pd.DataFrame] = {}
        if previous_upload is not None:
            previous_version, previous_sha = store.upload_info(con, previous_upload)
            old_records = {t: store.version_records(con, previous_upload, t) for t in wf.SHEETS_BY_TABLE}
            old_records = {t: f for t, f in old_records.items() if len(f)}
        targets = store.active_targets(con) if "targets" in parsed.records else None

    previews, removed_records = [], {}
    seen_tables = set()
    for sheet in parsed.sheets:
        old = old_records.get(sheet.table)
        if old is None or sheet.failed:
            previews.append(sheet)
            continue
        new_frame = parsed.records.get(sheet.table, pd.DataFrame())
        mine = new_frame[new_frame["sheet"] == sheet.sheet] if len(new_frame) else new_frame
        unchanged = (
            int((~_multiset_minus(record_keys(sheet.table, mine), record_keys(sheet.table, old))).sum())
            if len(mine)
            else 0
        )
        removed = 0
        if sheet.table not in seen_tables:  # what the table loses is counted once, on its first sheet
            seen_tables.add(sheet.table)
            gone = (
                _multiset_minus(record_keys(sheet.table, old), record_keys(sheet.table, new_frame))
                if len(new_frame)
                else pd.Series(True, index=old.index)
            )
            removed = int(gone.sum())
            if removed:
                removed_records[sheet.table] = old[gone]
        previews.append(
            SheetPreview(
                sheet.sheet,
                sheet.table,
                sheet.header_row,
                sheet.rows,
                sheet.rows - unchanged,
                removed,
                unchanged,
                sheet.rejected,
                sheet.failed,
                sheet.totals_rows,
                sheet.unknown_columns,
            )
        )
    present = {s.table for s in parsed.sheets}
    removed_tables = tuple((t, len(f)) for t, f in old_records.items() if t not in present)
    for table, frame in old_records.items():
        if table not in present:
            removed_records[table] = frame
    identical = previous_upload is not None and (
        previous_sha == parsed.file_sha256
        or (not removed_records and sum(s.added for s in previews) == 0 and not parsed.rejected)
    )

    overlaps = tuple(
        m
        for m in matches
        if m.source != chosen
        and sum(len(k) for k in new_keys.values())
        and m.new_found / sum(len(k) for k in new_keys.values()) >= OVERLAP_WARN_SHARE
    )
    total_new = sum(len(k) for k in new_keys.values())
    for m in overlaps:
        problems.append(
            Problem(
                file_name,
                None,
                None,
                None,
                "overlap",
                (("share", f"{round(m.new_found / total_new * 100)} %"), ("value", m.source)),
                WARNING,
            )
        )
    if candidate is not None and candidate.source != chosen:
        problems.append(
            Problem(
                file_name,
                None,
                None,
                None,
                "looks_like_version",
                (("value", candidate.source), ("share", f"{round(candidate.stored_share * 100)} %")),
                WARNING,
            )
        )
    if similar is not None and similar != chosen and (candidate is None or similar != candidate.source):
        problems.append(Problem(file_name, None, None, None, "similar_name", (("value", similar),), WARNING))
    if targets is not None and len(targets):
        problems.extend(_target_overrides(parsed.records["targets"], targets, chosen, file_name))
    return UploadPlan(
        chosen,
        file_name,
        parsed.file_sha256,
        previous_version,
        previous_upload,
        tuple(previews),
        removed_tables,
        parsed.ignored_sheets,
        tuple(problems),
        parsed.records,
        parsed.rejected,
        removed_records,
        identical,
        suggested,
        candidate,
        similar if similar != chosen else None,
        overlaps,
    )


def prepare_upload(
    data: bytes,
    file_name: str,
    path=None,
    *,
    source: str | None = None,
    settings: ProjectSettings | None = None,
    today: dt.date | None = None,
    isolate: bool = True,
) -> UploadPlan:
    """Read (inside limits, unless ``isolate=False``), check and compare one workbook with the store;
    store nothing."""
    return plan_upload(read_upload(data, file_name, settings, today, isolate), path, source)


def _target_overrides(new: pd.DataFrame, stored: pd.DataFrame, source: str, file_name: str) -> list[Problem]:
    others = stored[stored["source"] != source]
    found = []
    for rec in new.to_dict("records"):
        same = others[
            (others["indicator"] == rec["indicator"])
            & (others["municipality"].fillna("") == (rec["municipality"] or ""))
            & (others["year"].fillna(-1) == (rec["year"] if rec["year"] is not None else -1))
        ]
        if len(same):
            found.append(
                Problem(
                    file_name,
                    rec["sheet"],
                    rec["source_row"],
                    None,
                    "target_overridden",
                    (("value", rec["indicator"]), ("other", same.iloc[0]["source"])),
                    WARNING,
                )
            )
    return found


def versions_together(plans: list[UploadPlan]) -> list[tuple[UploadPlan, UploadPlan, float]]:
    """Files of one upload that are versions of one workbook: (older, newer, share), where ``share`` of the older
    file's records (at least REPLACE_SHARE) reappear in the newer, larger one. Stored side by side, those records
    would count twice."""
    keys = [
        {t: set(record_keys(t, f, identifying_fields(t))) for t, f in p.records.items() if len(f)}
        if not p.blocked
        else {}
        for p in plans
    ]
    found = []
    for i, older in enumerate(plans):
        total = sum(len(k) for k in keys[i].values())
        if not total:
            continue
        for j, newer in enumerate(plans):
            if i == j or newer.n_valid < older.n_valid or (newer.n_valid == older.n_valid and j < i):
                continue
            same = sum(len(k & keys[j].get(t, set())) for t, k in keys[i].items())
            if same / total >= REPLACE_SHARE:
                found.append((older, newer, same / total))
                break
    return found


@dataclass(frozen=True)
class Changed:
    """A source that another session changed between the drawing of a page and a click on it."""

    source: str
    seen: int | None  # the version in use that the page showed (None: not in use)
    now: int | None


def changes_since(shown: list[UploadPlan], now: list[UploadPlan]) -> tuple[Changed, ...] | None:
    """What differs between the plans a page showed and the same files' plans against the store as it is now.
    None when they are not the same files or source names: then the click cannot say what it confirmed."""
    if [(p.file_sha256, p.source) for p in shown] != [(p.file_sha256, p.source) for p in now]:
        return None
    return tuple(
        Changed(a.source, a.previous_version, b.previous_version)
        for a, b in zip(shown, now)
        if a.previous_upload_id != b.previous_upload_id
    )


class UploadRefused(RuntimeError):
    """The plans cannot be stored as they are (blocked, or rows rejected without skip_invalid)."""


def commit_uploads(
    plans: list[UploadPlan], path=None, *, skip_invalid: bool = False, actor: str = "cli", remove_example: bool = False
) -> list[store.StoredVersion]:
    """Store every plan as a new version of its source, all or nothing; an identical upload stores nothing.

    ``remove_example`` takes the example data out of use in the same step.
    """
    if any(p.blocked for p in plans):
        raise UploadRefused("blocked")
    if not skip_invalid and any(p.has_rejections for p in plans):
        raise UploadRefused("rejected")
    sources = [p.source for p in plans]
    if len(set(sources)) != len(sources):
        raise UploadRefused("duplicate_source")
    # A file with no valid rows never replaces a source with nothing. An identical file stores nothing, unless
    # the version it equals is example data that this step takes out of use: then it is stored as the project's own
    # (a project whose targets workbook is the example's kept no targets at all).
    retired = set(store.active_example_ids(path)) if remove_example else set()
    items = [
        store.NewVersion(p.source, p.file_name, p.file_sha256, p.previous_upload_id, p.records, p.n_rejected)
        for p in plans
        if p.n_valid and (not p.identical or p.previous_upload_id in retired)
    ]
    if not items and not remove_example:
        return []
    return store.store_versions(path, items, actor, retire_example=remove_example)


def indicator_change(plans: list[UploadPlan], path=None, remove_example: bool = False) -> pd.DataFrame:
    """Whole-project value of each key indicator now and after storing ``plans``: code, before, after."""
    replaced = [p.previous_upload_id for p in plans if p.previous_upload_id is not None and not p.identical]
    new_facts = []
    for plan in plans:
        if plan.identical:
            continue
        for table, frame in plan.records.items():
            if table != "targets" and len(frame):
                new_facts.append(fact_rules.derive_facts(table, frame.assign(upload_id=0)))
    with store.connect(path) as con:
        dropped = replaced + (store.example_upload_ids(con) if remove_example else [])
        facts = store.active_facts(con)
    before = _whole_project(facts)
    kept = facts[~facts["upload_id"].isin(dropped)]
    added = pd.concat(new_facts, ignore_index=True)[list(kept.columns)] if new_facts else kept.iloc[:0]
    after = _whole_project(pd.concat([kept, added], ignore_index=True) if len(added) else kept)
    out = pd.DataFrame({"indicator": list(KEY_INDICATORS)})
    out["before"] = out["indicator"].map(before).fillna(0.0)
    out["after"] = out["indicator"].map(after).fillna(0.0)
    return out


def _whole_project(facts: pd.DataFrame) -> dict[str, float]:
    from . import catalogue

    values = {}
    for ind in catalogue.CATALOGUE:
        rows = facts[facts["indicator"] == ind.code]
        if ind.measure == catalogue.DISTINCT:
            values[ind.code] = float(rows["dkey"].dropna().nunique())
        else:
            values[ind.code] = float(rows["value"].sum())
    return values
