"""Server CPU of one warm rerun of every page, beside a trivial page on the same server settings (not in the suite).

One websocket session (tests/streamlit_client.py) opens each page, reruns it twice to warm it, then runs three
blocks of ``--runs`` reruns; a block's cost is the server process's CPU time across it (from /proc) divided by its
reruns, downloads fetched as the browser does. Prints the median block per page in milliseconds.

    python bench/page_cpu.py [--runs 10] [--store example|large] [--profile DIR]

``--profile DIR`` also records a py-spy profile of each page's warm reruns into DIR (top functions printed).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from ws_load import PAGES, cpu_seconds, prepare, start  # noqa: E402

NAMES = {"": "overview", "indicator": "indicator", "explore": "explore", "funding": "funding", "upload": "upload"}


async def _page(url: str, pid: int, page: str, runs: int, blocks: int = 3, warm=None) -> list[float]:
    """Mean CPU seconds of a warm rerun of ``page``, per block; ``warm()`` is called once the page is warm."""
    from tests.streamlit_client import fetch_media, open_session, rerun

    session = await open_session(url, page, timeout=300)
    await asyncio.to_thread(fetch_media, session)
    for _ in range(2):
        await rerun(session, page, timeout=300)
        await asyncio.to_thread(fetch_media, session)
    if warm:
        warm()
    costs = []  # /proc counts CPU in 10 ms ticks: a block of reruns gives the mean cost per rerun
    for _ in range(blocks):
        before = cpu_seconds(pid)
        for _ in range(runs):
            await rerun(session, page, timeout=300)
            await asyncio.to_thread(fetch_media, session)
            if session.exceptions:
                raise SystemExit(f"{page or 'overview'}: {session.exceptions}")
        await asyncio.sleep(0.05)  # let the server finish sending and forgetting the last run
        costs.append((cpu_seconds(pid) - before) / runs)
    await session.ws.close()
    return costs


def measure(script: Path, db: Path, pages: list[str], runs: int, profile: Path | None = None) -> dict[str, float]:
    proc, url = start(script, db)
    try:
        out = {}
        for page in pages:
            spy = []

            def warm(page=page, spy=spy):  # profile the warm reruns only, not the page's first (cold) run
                target = profile / f"{NAMES.get(page, page or 'trivial')}.txt"
                spy.append(subprocess.Popen(
                    ["py-spy", "record", "--pid", str(proc.pid), "--format", "raw", "--output", str(target),
                     "--rate", "200", "--nonblocking"],
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                ))  # fmt: skip
                time.sleep(1)  # py-spy attaches

            costs = asyncio.run(_page(url, proc.pid, page, runs, warm=warm if profile else None))
            for each in spy:
                each.send_signal(2)
                each.wait(timeout=60)
            out[page] = statistics.median(costs) * 1000
        return out
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def top_functions(raw: Path, n: int = 12) -> list[tuple[float, str]]:
    """Inclusive share of samples per function from py-spy's raw (collapsed) output, project code only."""
    totals: dict[str, int] = {}
    samples = 0
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        samples += int(count)
        seen = set()
        for frame in stack.split(";"):
            if ("vvr_metrics" in frame or "pages/" in frame or "dashboard.py" in frame) and frame not in seen:
                seen.add(frame)
                totals[frame] = totals.get(frame, 0) + int(count)
    ranked = sorted(totals.items(), key=lambda kv: -kv[1])[:n]
    return [(100 * c / max(samples, 1), f) for f, c in ranked]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--store", choices=["example", "large"], default="example")
    parser.add_argument("--profile", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db, trivial, baseline = prepare(Path(tmp), args.store)
        if args.profile:
            args.profile.mkdir(parents=True, exist_ok=True)
        ours = measure(ROOT / "dashboard.py", db, PAGES, args.runs, args.profile)
        base = measure(trivial, baseline, [""], args.runs)[""]
    print(f"server CPU of one warm rerun, median of 3 blocks of {args.runs} ({args.store} store), target ≤ 100 ms")
    print(f"{'page':12}{'ms':>8}{'trivial':>9}{'ratio':>7}")
    for page, ms in ours.items():
        print(f"{NAMES[page]:12}{ms:8.0f}{base:9.0f}{ms / base if base else float('nan'):7.1f}")
    if args.profile:
        for page in ours:
            raw = args.profile / f"{NAMES[page]}.txt"
            if raw.exists():
                print(f"\n{NAMES[page]}: top project functions (inclusive % of samples)")
                for share, frame in top_functions(raw):
                    print(f"  {share:5.1f} %  {frame}")


if __name__ == "__main__":
    main()
