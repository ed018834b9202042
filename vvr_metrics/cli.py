"""Command line: ``python -m vvr_metrics COMMAND``. A thin layer over the library."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from .i18n import LANGS, cli
from .settings import fold

# 0 stored or done; 1 rows rejected; 2 refused (blocked file, busy store, bad arguments, not found);
# 3 the store is missing, damaged or cannot be written; 4 an unexpected error (details in the log).
EXIT_OK, EXIT_REJECTED, EXIT_BLOCKED, EXIT_STORE, EXIT_INTERNAL = 0, 1, 2, 3, 4
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _say(lang: str, key: str, **params) -> str:
    return cli(key, lang, **params)


def safe(text: object) -> str:
    """Uploaded text for a terminal: newlines as ⏎ and control characters escaped (``\\x1b``), so that a
    cell cannot move the cursor, recolour or overwrite the real message."""
    text = str(text).replace("\r\n", "⏎").replace("\n", "⏎").replace("\r", "⏎")
    return _CONTROL.sub(
        lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256 else f"\\u{ord(m.group()):04x}", text
    )


def _out(line: str) -> None:
    print(safe(line))


def _err(line: str) -> None:
    print(safe(line), file=sys.stderr)


def cmd_ingest(args) -> int:
    from . import store
    from .formatting import format_value
    from .uploads import (
        UploadRefused,
        commit_uploads,
        default_source,
        indicator_change,
        prepare_upload,
        versions_together,
    )

    lang = args.lang
    if args.source and len(args.files) > 1:
        _err(_say(lang, "source_multi"))
        return EXIT_BLOCKED
    plans = []
    path_of: dict[str, str] = {}
    unreadable = False
    for name in args.files:
        path = Path(name)
        try:
            data = path.read_bytes()
        except OSError as exc:
            _err(_say(lang, "cannot_read", file=name, error=exc.strerror or exc))
            unreadable = True
            continue
        # The command line keeps the documented rule (the file name is the source); the page's smarter
        # default only shows here as a warning line.
        plans.append(prepare_upload(data, path.name, args.db, source=args.source or default_source(path.name)))
        path_of[plans[-1].file_name] = name
    sources = [p.source for p in plans]
    for plan in plans:
        version = _say(lang, "replaces", v=plan.previous_version) if plan.previous_version else _say(lang, "new_source")
        _out(_say(lang, "preview", file=plan.file_name, source=plan.source, version=version))
        for s in plan.sheets:
            if not (s.rows or s.rejected or s.removed or s.failed):
                continue  # an empty sheet (the template keeps them all) says nothing
            _out(
                _say(
                    lang,
                    "sheet",
                    sheet=s.sheet,
                    rows=s.rows,
                    added=s.added,
                    removed=s.removed,
                    unchanged=s.unchanged,
                    rejected=s.rejected,
                    totals=s.totals_rows,
                )
            )
        for table, rows in plan.removed_tables:
            _out(_say(lang, "removed_table", table=table, n=rows))
        if plan.identical:
            _out(_say(lang, "identical", source=plan.source))
        for problem in plan.problems:
            if problem.code != "looks_like_version":  # said below, with the command to run
                _err(problem.line(lang))
        for hint in _source_hints(plan, lang, path_of[plan.file_name]):
            _err(hint)
        if sources.count(plan.source) > 1:
            from .validation import BLOCKER, Problem

            _err(
                Problem(plan.file_name, None, None, None, "duplicate_source", (("value", plan.source),), BLOCKER).line(
                    lang
                )
            )
            unreadable = True
    blocked = unreadable or any(p.blocked for p in plans)
    rejected = any(p.has_rejections for p in plans)
    example = store.example_sources(args.db) if any(p.n_valid for p in plans) else []
    remove_example = bool(example) and not args.keep_example
    doubled = [p for p in plans if not blocked and _double_counts(p, args, example if remove_example else [])]
    together = [] if blocked or args.new_source else versions_together(plans)
    if args.rejected_out and rejected:
        from .exports import write_rejected

        n = write_rejected(plans, args.rejected_out, lang)
        _out(_say(lang, "rejected_out", path=args.rejected_out, n=n))
    if blocked:
        _err(_say(lang, "nothing_stored"))
        return EXIT_BLOCKED
    if rejected and not args.skip_invalid:
        _err(_say(lang, "nothing_stored") + " " + _say(lang, "rejected_hint"))
        return EXIT_REJECTED
    if doubled:
        for plan in doubled:
            candidate = plan.replace_candidate
            _err(
                _say(
                    lang,
                    "double_count",
                    file=plan.file_name,
                    source=candidate.source,
                    share=_percent(candidate.stored_share, lang),
                    command=_ingest_command(path_of[plan.file_name], candidate.source),
                )
            )
        _err(_say(lang, "nothing_stored"))
        return EXIT_REJECTED
    if together:
        for older, newer, share in together:
            _err(
                _say(
                    lang,
                    "versions_together",
                    file=older.file_name,
                    other=newer.file_name,
                    share=_percent(share, lang),
                )
            )
        _err(_say(lang, "nothing_stored"))
        return EXIT_REJECTED
    if all(not p.n_valid and not p.has_rejections for p in plans):
        _err(_say(lang, "nothing_stored"))  # every file was empty: each said so above
        return EXIT_REJECTED
    if example:
        _out(_say(lang, "example_removed" if remove_example else "example_kept", sources=", ".join(example)))
    change = indicator_change(plans, args.db, remove_example)
    for rec in change.to_dict("records"):
        if rec["before"] != rec["after"]:
            code = rec["indicator"]
            _out(
                _say(
                    lang,
                    "change",
                    code=code,
                    before=format_value(rec["before"], code, lang),
                    after=format_value(rec["after"], code, lang),
                )
            )
    if args.dry_run:
        _out(_say(lang, "dry_run"))
        return EXIT_OK
    try:
        stored = commit_uploads(
            plans, args.db, skip_invalid=args.skip_invalid, actor=_actor(), remove_example=remove_example
        )
    except store.StaleUpload as exc:
        _err(_say(lang, "stale", source=exc.args[0]))
        return EXIT_BLOCKED
    except UploadRefused:
        _err(_say(lang, "nothing_stored"))
        return EXIT_BLOCKED
    for s in stored:
        _out(_say(lang, "stored", source=s.source, version=s.version, n=s.rows))
    empty = [p for p in plans if p.has_rejections and not p.n_valid and not p.identical]
    for plan in empty:  # a file whose every row was rejected never replaces its source with nothing
        _err(_say(lang, "no_valid_rows", file=plan.file_name))
    if empty and not stored:
        _err(_say(lang, "nothing_stored"))
        return EXIT_REJECTED
    return EXIT_OK


def _double_counts(plan, args, retired: list[str]) -> bool:
    """The file looks like a new version of another source (the page would propose replacing it), and storing it
    under its own name would count those records twice: refused unless ``--new-source`` says it is meant."""
    candidate = plan.replace_candidate
    return (
        candidate is not None
        and candidate.source != plan.source
        and candidate.source not in retired  # example data this step takes out of use counts nothing
        and not args.new_source
        and not plan.identical
    )


def _source_hints(plan, lang: str, path: str) -> list[str]:
    """What to run when a file overlaps a stored source or has a name like one: the page's buttons, as commands."""
    others = [m.source for m in plan.overlaps]
    for name in (plan.replace_candidate.source if plan.replace_candidate else None, plan.similar_name):
        if name and name != plan.source and name not in others:
            others.append(name)
    return [_say(lang, "source_hint", source=s, command=_ingest_command(path, s)) for s in others]


def _ingest_command(path: str, source: str) -> str:
    import shlex

    return f"python -m vvr_metrics ingest {shlex.quote(path)} --source {shlex.quote(source)}"


def _percent(share: float, lang: str) -> str:
    """``100 %``: a share as the other messages write it (a plain space, so that a terminal's search finds it)."""
    from .formatting import percent_sign

    return f"{round(share * 100)}{percent_sign(lang).replace(chr(0xA0), ' ')}"


def _actor() -> str:
    """Who ran the command, for the audit log: the operating-system user."""
    import getpass

    try:
        return f"cli:{getpass.getuser()}"
    except Exception:  # no user name in a container without passwd entry
        return "cli"


def cmd_indicators(args) -> int:
    from .exports import indicators_csv, indicators_json
    from .indicators import indicator_table, parse_by

    try:
        by = parse_by(args.by)
    except ValueError as exc:
        _err(_say(args.lang, "bad_by", value=exc.args[0]))
        return EXIT_BLOCKED
    table = indicator_table(args.db, by=by)
    sys.stdout.write(indicators_json(table) + "\n" if args.format == "json" else indicators_csv(table))
    return EXIT_OK


def cmd_history(args) -> int:
    from . import store

    hist = store.history(args.db)
    if hist.empty:
        print(_say(args.lang, "empty_history"))
        return EXIT_OK
    for rec in hist.to_dict("records"):
        mark = "*" if rec["active"] else " "
        _out(
            f"{mark} {rec['source']}\tv{rec['version']}\t{_when(rec['uploaded_at'], args.lang)}\t"
            f"{rec['uploaded_by']}\t{rec['file_name']}\t{rec['rows_stored']}"
        )
    return EXIT_OK


def _when(moment, lang: str, seconds: bool = False) -> str:
    """A time of the store in the language's date pattern (``4.12.2026 10:15`` in Finnish)."""
    from .i18n import fi_date

    return (
        f"{fi_date(moment.date(), lang)} {moment:%H:%M:%S}"
        if seconds
        else f"{fi_date(moment.date(), lang)} {moment:%H:%M}"
    )


def cmd_audit(args) -> int:
    from . import store

    log = store.events(args.db)
    if log.empty:
        print(_say(args.lang, "empty_history"))
    for rec in log.to_dict("records"):
        version = "" if rec["version"] is None or rec["version"] != rec["version"] else f"v{int(rec['version'])}"
        rows = "" if rec["rows"] is None or rec["rows"] != rec["rows"] else int(rec["rows"])
        _out(
            f"{_when(rec['happened_at'], args.lang, seconds=True)}\t{rec['actor']}\t{rec['action']}\t{rec['source']}\t"
            f"{version}\t{rows}"
        )
    return EXIT_OK


def _day(text: str):
    """``28.11.2026`` or ``2026-11-28``."""
    import datetime as dt

    try:
        if "." in text:
            d, m, y = (int(x) for x in text.split("."))
            return dt.date(y, m, d)
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r}: d.m.yyyy") from exc


def cmd_coverage(args) -> int:
    from .coverage import coverage
    from .formatting import coverage_display, coverage_warnings, fi_date
    from .i18n import t

    cov = coverage(args.db, today=args.today)
    if cov.grid.empty:
        print(t("cov_empty", args.lang))
        return EXIT_OK
    grid = coverage_display(cov, args.lang)
    _out("\t".join(grid.columns))
    for row in grid.itertuples(index=False):
        _out("\t".join(row))
    lines = coverage_warnings(cov, args.lang)
    start, until = fi_date(cov.grid["month"].iloc[0], args.lang), fi_date(cov.until, args.lang)
    for line in lines or [t("cov_ok", args.lang, start=start, until=until)]:
        _err(("! " if lines else "") + line)
    return EXIT_OK


def cmd_backup(args) -> int:
    from .backup import backup

    manifest = backup(args.db, args.out_dir)
    rows = sum(t["rows"] for t in manifest["tables"].values())
    print(_say(args.lang, "backup_written", path=args.out_dir, tables=len(manifest["tables"]), rows=rows))
    return EXIT_OK


def cmd_restore_backup(args) -> int:
    from .backup import BackupError, restore_backup

    try:
        restore_backup(args.dir, args.db)
    except BackupError as exc:
        _err(_say(args.lang, "backup_failed", error=exc))
        return EXIT_BLOCKED
    print(_say(args.lang, "backup_restored", path=args.dir))
    return EXIT_OK


def cmd_hash_password(args) -> int:
    import getpass

    from .auth import hash_password

    password = args.password or getpass.getpass(_say(args.lang, "password_prompt"))
    if not password:
        _err(_say(args.lang, "password_empty"))
        return EXIT_BLOCKED
    print(hash_password(password))
    return EXIT_OK


def cmd_restore(args) -> int:
    from . import store

    try:
        done = store.restore_version(args.db, args.source, args.version, actor=_actor())
    except KeyError:
        _err(_say(args.lang, "no_such", what=f"{args.source} v{args.version}"))
        return EXIT_BLOCKED
    _out(_say(args.lang, "restored", source=done.source, version=done.version, n=done.rows))
    return EXIT_OK


def cmd_delete(args) -> int:
    from . import store

    try:
        rows = store.delete_source(args.db, args.source, actor=_actor())
    except KeyError:
        _err(_say(args.lang, "no_such", what=args.source))
        return EXIT_BLOCKED
    _out(_say(args.lang, "deleted", source=args.source, n=rows))
    return EXIT_OK


def cmd_template(args) -> int:
    from .template import write_template

    write_template(args.out)
    print(_say(args.lang, "template", path=args.out))
    return EXIT_OK


def cmd_sample(args) -> int:
    from .sample import write_sample

    files = write_sample(Path(args.out_dir))
    print(_say(args.lang, "sample", path=args.out_dir, files=", ".join(f.name for f in files)))
    return EXIT_OK


def cmd_report(args) -> int:
    import datetime as dt
    import time

    from . import report
    from .render import RendererUnavailable

    try:
        as_of = dt.date.fromisoformat(args.as_of) if args.as_of else None
    except ValueError:
        _err(_say(args.lang, "bad_date", value=args.as_of))
        return EXIT_BLOCKED
    from .settings import load_settings

    settings = load_settings()
    wanted = [m.strip() for part in args.municipality for m in part.split(",") if m.strip()]
    by_fold = {fold(m): m for m in settings.municipalities}
    unknown = [m for m in wanted if fold(m) not in by_fold]
    if unknown:
        _err(_say(args.lang, "bad_municipality", value=", ".join(unknown), known=", ".join(settings.municipalities)))
        return EXIT_BLOCKED
    try:
        since = dt.date.fromisoformat(args.since) if args.since else None
    except ValueError:
        _err(_say(args.lang, "bad_date", value=args.since))
        return EXIT_BLOCKED
    from .query import Query

    # the dashboard's rule: a public view stands at a reporting cut-off (Query.chosen), and the CLI says where
    munis = tuple(dict.fromkeys(by_fold[fold(m)] for m in wanted))
    period = (since or settings.start, as_of or settings.end)
    query = Query.chosen(settings, period, munis, public=not args.internal)
    if query.public and as_of and query.cutoff(settings) != min(as_of, settings.end):
        from .i18n import fi_date

        _err(
            _say(
                args.lang,
                "public_cutoff",
                asked=fi_date(as_of, args.lang),
                cutoff=fi_date(query.cutoff(settings), args.lang),
            )
        )
    options = report.ReportOptions(query, lang=args.lang, acknowledgement=not args.no_acknowledgement)
    started = time.perf_counter()
    from . import store

    store.log_export(args.db, f"report {args.format}", _actor())
    try:
        if args.format == "text":
            text = report.report_text(args.db, options)
            if args.output in (None, "-"):
                sys.stdout.write(text)
                return EXIT_OK
            Path(args.output).write_text(text, encoding="utf-8")
        elif args.format == "xlsx":
            report.write_xlsx(args.db, args.output, options)
        elif args.format == "pptx":
            report.write_pptx(args.db, args.output, options)
        else:
            report.write_pngs(args.db, args.output, options)
    except RendererUnavailable as exc:
        _err(_say(args.lang, "no_renderer", error=exc))
        return EXIT_BLOCKED
    print(_say(args.lang, "report_written", path=args.output, seconds=f"{time.perf_counter() - started:.1f}"))
    return EXIT_OK


# argparse's own words (usage, headings, errors), translated from the "argparse" context of the catalogue
ARGPARSE_TEXTS = (
    "usage: ",
    "positional arguments",
    "options",
    "show this help message and exit",
    "%(prog)s: error: %(message)s\n",
    "the following arguments are required: %s",
    "unrecognized arguments: %s",
    "invalid choice: %(value)r (choose from %(choices)s)",
    "argument %(argument_name)s: %(message)s",
    "expected one argument",
    "not allowed with argument %s",
    "invalid %(type)s value: %(value)r",
    "ambiguous option: %(option)s could match %(matches)s",
)


def _speak_argparse(lang: str) -> None:
    from .i18n import text

    def translate(message: str) -> str:
        return text("argparse", message, lang) if message in ARGPARSE_TEXTS else message

    argparse._ = translate  # argparse looks its words up through this module global at each use


def build_parser(lang: str = "fi") -> argparse.ArgumentParser:
    """The commands, with every help text in ``lang``."""

    def h(key: str) -> str:
        return _say(lang, f"help_{key}")

    _speak_argparse(lang)
    parser = argparse.ArgumentParser(prog="python -m vvr_metrics", description=h("description"))
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", help=h("db"))
    common.add_argument("--lang", choices=LANGS, default=None, help=h("lang"))
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", parents=[common], help=h("ingest"), description=h("ingest"))
    p.add_argument("files", nargs="+", metavar="FILE", help=h("files"))
    p.add_argument("--source", help=h("source"))
    p.add_argument("--new-source", action="store_true", help=h("new_source"))
    p.add_argument("--dry-run", action="store_true", help=h("dry_run"))
    p.add_argument("--skip-invalid", action="store_true", help=h("skip_invalid"))
    p.add_argument("--rejected-out", metavar="PATH.xlsx", help=h("rejected_out"))
    p.add_argument("--keep-example", action="store_true", help=h("keep_example"))
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("indicators", parents=[common], help=h("indicators"), description=h("indicators"))
    p.add_argument("--by", default="", help=h("by"))
    p.add_argument("--format", choices=("csv", "json"), default="csv", help=h("indicators_format"))
    p.set_defaults(func=cmd_indicators)

    p = sub.add_parser("history", parents=[common], help=h("history"), description=h("history"))
    p.set_defaults(func=cmd_history)
    p = sub.add_parser("audit", parents=[common], help=h("audit"), description=h("audit"))
    p.set_defaults(func=cmd_audit)
    p = sub.add_parser("coverage", parents=[common], help=h("coverage"), description=h("coverage"))
    p.add_argument("--today", type=_day, default=None, help=h("today"))
    p.set_defaults(func=cmd_coverage)
    p = sub.add_parser("backup", parents=[common], help=h("backup"), description=h("backup"))
    p.add_argument("out_dir", metavar="OUT_DIR")
    p.set_defaults(func=cmd_backup)
    p = sub.add_parser("restore-backup", parents=[common], help=h("restore_backup"), description=h("restore_backup"))
    p.add_argument("dir", metavar="DIR")
    p.set_defaults(func=cmd_restore_backup)
    p = sub.add_parser("hash-password", parents=[common], help=h("hash_password"), description=h("hash_password"))
    p.add_argument("--password", help=h("password"))
    p.set_defaults(func=cmd_hash_password)
    p = sub.add_parser("restore", parents=[common], help=h("restore"), description=h("restore"))
    p.add_argument("source")
    p.add_argument("version", type=int)
    p.set_defaults(func=cmd_restore)
    p = sub.add_parser("delete", parents=[common], help=h("delete"), description=h("delete"))
    p.add_argument("source")
    p.set_defaults(func=cmd_delete)
    p = sub.add_parser("template", parents=[common], help=h("template"), description=h("template"))
    p.add_argument("out", metavar="OUT.xlsx")
    p.set_defaults(func=cmd_template)
    p = sub.add_parser("report", parents=[common], help=h("report"), description=h("report"))
    p.add_argument("--format", choices=("text", "xlsx", "pptx", "png"), default="text", help=h("report_format"))
    p.add_argument("--as-of", metavar="YYYY-MM-DD", help=h("as_of"))
    p.add_argument("--since", metavar="YYYY-MM-DD", help=h("since"))
    p.add_argument("--municipality", action="append", default=[], help=h("municipality"))
    group = p.add_mutually_exclusive_group()
    group.add_argument("--public", action="store_true", default=True, help=h("public"))
    group.add_argument("--internal", action="store_true", help=h("internal"))
    p.add_argument("--no-acknowledgement", action="store_true", help=h("no_acknowledgement"))
    p.add_argument("-o", "--output", help=h("output"))
    p.set_defaults(func=cmd_report)
    p = sub.add_parser("sample", parents=[common], help=h("sample"), description=h("sample"))
    p.add_argument("out_dir", metavar="OUT_DIR")
    p.set_defaults(func=cmd_sample)
    return parser


def _wanted_lang(argv: list[str]) -> str:
    """The language asked for, before the arguments are parsed (the help is written in it): ``--lang X`` or
    ``--lang=X``, else ``$VVR_LANG``, else Finnish."""
    import os

    for i, arg in enumerate(argv):
        value = argv[i + 1] if arg == "--lang" and i + 1 < len(argv) else arg.removeprefix("--lang=")
        if (arg == "--lang" or arg.startswith("--lang=")) and value in LANGS:
            return value
    return os.environ.get("VVR_LANG") if os.environ.get("VVR_LANG") in LANGS else "fi"


def main(argv: list[str] | None = None) -> int:
    import logging

    # the details of an unexpected error go to the log file (errors.log_unexpected), never to the terminal
    quiet = logging.getLogger("vvr_metrics")
    quiet.propagate = False
    if not quiet.handlers:
        quiet.addHandler(logging.NullHandler())

    argv = sys.argv[1:] if argv is None else argv
    lang = _wanted_lang(argv)
    parser = build_parser(lang)
    args = parser.parse_args(argv)
    args.lang = args.lang or lang
    if args.command == "report" and args.format != "text" and not args.output:
        parser.error(_say(lang, "output_needed"))
    return run(args)


def run(args) -> int:
    """The command, behind the last-resort boundary: a busy or broken store and any unexpected error
    become one clear line and an exit code; a traceback goes to the log only."""
    from . import store

    try:
        return args.func(args)
    except store.StoreBusy:
        _err(_say(args.lang, "busy"))
        return EXIT_BLOCKED
    except store.StoreFault as exc:
        _err(_say(args.lang, f"store_{exc.reason}", path=exc.path))
        return EXIT_STORE
    except KeyboardInterrupt:
        _err(_say(args.lang, "interrupted"))
        return EXIT_BLOCKED
    except Exception:
        from .errors import log_unexpected

        _err(_say(args.lang, "internal", ref=log_unexpected("cli")))
        return EXIT_INTERNAL
