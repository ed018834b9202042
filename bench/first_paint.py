"""The first visitor after a start, in chromium (not in the suite): seconds from opening the address to the first
content, and to the page's title, on a freshly started server. Medians of ``--runs`` starts.

    python bench/first_paint.py [--runs 3]

Two cases: the example store (a restart), and a new store (the first start: the example data is prepared while
the visitor waits). Also the trivial one-page app on the same server settings, as the baseline.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from ws_load import prepare, start  # noqa: E402

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
CONTENT = "[data-testid='stMainBlockContainer'] h1, [data-testid='stMainBlockContainer'] [data-testid='stAlert']"
TITLE = "[data-testid='stMainBlockContainer'] h1"


def visit(browser, url: str) -> tuple[float, float]:
    """Seconds to the first content (a title or a message) and to the title."""
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    start_at = time.perf_counter()
    page.goto(url, wait_until="commit")
    page.wait_for_selector(CONTENT, timeout=120_000)
    first = time.perf_counter() - start_at
    page.wait_for_selector(TITLE, timeout=120_000)
    title = time.perf_counter() - start_at
    page.close()
    return first, title


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    results: dict[str, list[tuple[float, float]]] = {"example store": [], "new store": [], "trivial": []}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        example, trivial, _ = prepare(Path(tmp), "example")
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for run in range(args.runs):
            for case in results:
                db = Path(tmp) / f"{case.replace(' ', '_')}_{run}.duckdb"
                if case == "example store":
                    shutil.copy(example, db)
                proc, url = start(trivial if case == "trivial" else ROOT / "dashboard.py", db)
                try:
                    results[case].append(visit(browser, url))
                finally:
                    proc.terminate()
                    proc.wait(timeout=30)
        browser.close()
    print(f"first visitor after a start, chromium 1280 × 720, median of {args.runs} starts (target: content ≤ 3 s)")
    print(f"{'':16}{'content s':>10}{'title s':>9}")
    for case, times in results.items():
        print(f"{case:16}{statistics.median(t[0] for t in times):10.2f}{statistics.median(t[1] for t in times):9.2f}")


if __name__ == "__main__":
    main()
