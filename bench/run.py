"""Benchmarks (``make bench``; never part of the test suite).

Reports medians of several runs and ratios against a baseline measured in the same run, because
this machine is shared and noisy.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
OUT = ROOT / "bench" / "out"
PY = sys.executable

PEAK = (
    "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def timed(cmd: list[str], before=None) -> float:
    if before:
        before()
    start = time.perf_counter()
    subprocess.run(cmd, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def median_of(n: int, fn) -> float:
    return statistics.median(fn() for _ in range(n))


def bench_ingest(rows: int = 100_000, runs: int = 5) -> dict:
    from workloads import contacts_workbook

    OUT.mkdir(exist_ok=True)
    book = OUT / f"kontaktit_{rows}.xlsx"
    if not book.exists():
        print(f"writing {book.name} …", flush=True)
        contacts_workbook(book, rows)
    db = OUT / "ingest.duckdb"

    def fresh():
        for p in (db, Path(str(db) + ".wal")):
            p.unlink(missing_ok=True)

    ingest = [PY, "-m", "vvr_metrics", "ingest", str(book), "--db", str(db)]
    calamine = [
        PY,
        "-c",
        "import python_calamine, sys; b = python_calamine.CalamineWorkbook.from_path(sys.argv[1]); "
        "[b.get_sheet_by_name(n).to_python() for n in b.sheet_names]",
        str(book),
    ]
    openpyxl = [
        PY,
        "-c",
        "import pandas, sys; pandas.read_excel(sys.argv[1], sheet_name=None, engine='openpyxl')",
        str(book),
    ]
    t_ingest = median_of(runs, lambda: timed(ingest, fresh))
    t_calamine = median_of(runs, lambda: timed(calamine))
    t_openpyxl = median_of(max(1, runs // 2), lambda: timed(openpyxl))
    fresh()
    peak_kb = int(
        subprocess.run([PY, "-c", PEAK, *ingest], capture_output=True, text=True, cwd=ROOT, check=True).stdout
    )
    return {
        "rows": rows,
        "ingest_s": t_ingest,
        "calamine_s": t_calamine,
        "openpyxl_s": t_openpyxl,
        "ratio_vs_calamine": t_ingest / t_calamine,
        "speedup_vs_openpyxl": t_openpyxl / t_ingest,
        "peak_mb": peak_kb / 1024,
    }


def bench_indicators(records: int = 1_000_000, runs: int = 7) -> dict:
    from workloads import large_store

    from vvr_metrics import store
    from vvr_metrics.indicators import indicator_table

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "large.duckdb"
        start = time.perf_counter()
        large_store(db, records)
        build = time.perf_counter() - start
        indicator_table(db, by=["municipality", "year"])  # warm

        def full():
            t = time.perf_counter()
            indicator_table(db, by=["municipality", "year"])
            return time.perf_counter() - t

        def bare():
            t = time.perf_counter()
            with store.connect(db) as con:
                con.execute(
                    "SELECT municipality, year(day), contact_type, count(*) FROM contacts GROUP BY ALL"
                ).fetchall()
            return time.perf_counter() - t

        t_full = median_of(runs, full)
        t_bare = median_of(runs, bare)
    return {
        "records": records,
        "build_s": build,
        "indicators_ms": t_full * 1000,
        "bare_groupby_ms": t_bare * 1000,
        "ratio_vs_bare": t_full / t_bare,
    }


def bench_deck(runs: int = 3) -> dict:
    """A full PowerPoint deck of the example data: the first (renderer start) and the median of the next runs."""
    from vvr_metrics import report
    from vvr_metrics.sample import sample_files
    from vvr_metrics.uploads import commit_uploads, prepare_upload

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "sample.duckdb"
        commit_uploads([prepare_upload(p.read_bytes(), p.name, db) for p in sample_files()], db)
        start = time.perf_counter()
        report.write_pptx(db, Path(tmp) / "deck.pptx")
        first = time.perf_counter() - start

        def again():
            t = time.perf_counter()
            report.write_pptx(db, Path(tmp) / "deck.pptx")
            return time.perf_counter() - t

        return {"first_s": first, "warm_s": median_of(runs, again)}


def main() -> None:
    ing = bench_ingest()
    print(f"ingest {ing['rows']:,} rows: {ing['ingest_s']:.2f} s (whole process, median)")
    print(f"  bare calamine read: {ing['calamine_s']:.2f} s -> ratio {ing['ratio_vs_calamine']:.1f}x (target <= 3x)")
    print(
        f"  pandas+openpyxl:    {ing['openpyxl_s']:.2f} s -> ingest is {ing['speedup_vs_openpyxl']:.1f}x faster "
        "(target >= 5x)"
    )
    print(f"  peak memory: {ing['peak_mb']:.0f} MB (target <= 500 MB)")
    ind = bench_indicators()
    print(
        f"indicators over {ind['records']:,} records (by municipality and year, with targets): "
        f"{ind['indicators_ms']:.0f} ms (target <= 200 ms)"
    )
    print(
        f"  bare DuckDB GROUP BY count: {ind['bare_groupby_ms']:.0f} ms -> ratio {ind['ratio_vs_bare']:.1f}x "
        "(target <= 3x)"
    )
    deck = bench_deck()
    print(
        f"PowerPoint deck (7 slides, 5 charts): first {deck['first_s']:.1f} s (starts the renderer), "
        f"then {deck['warm_s']:.1f} s (target < 10 s)"
    )


if __name__ == "__main__":
    main()
