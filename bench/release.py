"""The public release's cost (not in the suite): the protected grid once per store version, then each public
view's four tables, as ratios to the same view's internal (unprotected) tables measured in the same run.
Medians of ``--runs``.

    python bench/release.py [--store example|large] [--runs 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from ws_load import prepare  # noqa: E402

from vvr_metrics import disclosure, report  # noqa: E402
from vvr_metrics.query import Query  # noqa: E402
from vvr_metrics.settings import load_settings  # noqa: E402

VIEWS = [(), ("Hartola",), ("Heinola", "Sysmä")]
CUTOFFS = [dt.date(2012, 12, 31), dt.date(2013, 6, 30), dt.date(2014, 12, 31)]


def timed(work) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", choices=["example", "large"], default="example")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    settings = load_settings()
    with tempfile.TemporaryDirectory() as tmp:
        db, _, _ = prepare(Path(tmp), args.store)
        disclosure.grid(db, settings)  # imports and the first query out of the way
        grid_s, public_s, internal_s = [], [], []
        for _ in range(args.runs):
            disclosure._grid.cache_clear()
            grid_s.append(timed(lambda: disclosure.grid(db, settings)))
            for munis in VIEWS:
                for cutoff in CUTOFFS:
                    for public, out in ((True, public_s), (False, internal_s)):
                        report._tables.cache_clear()  # every view new; the grid is kept, as on the server
                        options = report.ReportOptions(Query(munis, until=cutoff, public=public))
                        out.append(timed(lambda options=options: report.tables(db, options, settings)))
    grid, public, internal = (statistics.median(x) for x in (grid_s, public_s, internal_s))
    print(f"release ({args.store} store, medians of {args.runs} runs, {len(VIEWS) * len(CUTOFFS)} views each):")
    print(f"  protected grid, once per store version: {grid:.3f} s")
    print(f"  a new view's four public tables: {public:.3f} s; internal: {internal:.3f} s")
    print(f"  public / internal per view: {public / internal:.2f}×")


if __name__ == "__main__":
    main()
