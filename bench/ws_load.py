"""Load test over Streamlit's own websocket protocol (not in the suite): simulated browsers against a real server.

Each session connects as the browser does (tests/streamlit_client.py; ../shared/engineering-notes.md), opens a
random page, then reruns a random page after a think time, and waits for ``script_finished`` every time (and
fetches the downloads a page sends with it, as the browser does); an ``exception`` element or a timeout is an error. The same run measures a trivial one-page app on the same server
settings (the baseline), so the ratio says how much of the time is ours. Reports warm p50/p95, first-page p95,
errors, page runs and the server's CPU seconds per page run (from /proc).

    python bench/ws_load.py [--sessions 20] [--seconds 60] [--think 5] [--store example|large]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

PAGES = ["", "indicator", "explore", "funding", "upload"]
TRIVIAL = 'import streamlit as st\n\nst.title("Trivial")\nst.write("One page, nothing computed.")\n'


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(script: Path, db: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, *([] if script.name == "dashboard.py" else ["-m", "streamlit", "run"]), str(script),
         "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=ROOT, env={**os.environ, "VVR_DB": str(db)}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                return proc, url
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the server did not start")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def one_session(url: str, pages: list[str], seconds: float, think: float, seed: int, out: dict) -> None:
    from tests.streamlit_client import fetch_media, open_session, rerun

    rng = random.Random(seed)
    await asyncio.sleep(rng.uniform(0, think))  # people arrive over the first think time, not all at once
    start = time.perf_counter()
    try:
        session = await open_session(url, rng.choice(pages), timeout=120)
        await asyncio.to_thread(fetch_media, session)  # as the browser's frontend does after a run
    except Exception as exc:  # a timeout or a refused connection
        out["errors"].append(f"first page: {exc!r}")
        return
    out["first"].append(time.perf_counter() - start)
    out["errors"] += session.exceptions
    out["runs"] += 1
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        await asyncio.sleep(rng.expovariate(1 / think))
        start = time.perf_counter()
        try:
            await rerun(session, rng.choice(pages), timeout=120)
            await asyncio.to_thread(fetch_media, session)
        except Exception as exc:
            out["errors"].append(f"rerun: {exc!r}")
            break
        out["warm"].append(time.perf_counter() - start)
        out["errors"] += session.exceptions
        out["runs"] += 1
    await session.ws.close()


def measure(script: Path, db: Path, pages: list[str], sessions: int, seconds: float, think: float) -> dict:
    proc, url = start(script, db)
    try:
        # one visitor first, as after a restart: the cold first page, then the load
        out = {"first": [], "warm": [], "errors": [], "runs": 0}
        cold = time.perf_counter()
        asyncio.run(one_session(url, pages[:1], 0, 0.001, 0, out))
        cold = time.perf_counter() - cold
        out = {"first": [], "warm": [], "errors": [], "runs": 0}
        cpu = cpu_seconds(proc.pid)

        async def all_sessions():
            await asyncio.gather(*(one_session(url, pages, seconds, think, i, out) for i in range(sessions)))

        asyncio.run(all_sessions())
        cpu = cpu_seconds(proc.pid) - cpu
    finally:
        proc.terminate()
        proc.wait(timeout=30)

    def p(values, q):
        return statistics.quantiles(values, n=100)[q - 1] if len(values) >= 2 else float("nan")

    return {
        "cold_first_page_s": cold,
        "warm_p50_s": p(out["warm"], 50),
        "warm_p95_s": p(out["warm"], 95),
        "first_p95_s": p(out["first"], 95),
        "runs": out["runs"],
        "errors": len(out["errors"]),
        "error_examples": out["errors"][:3],
        "cpu_s_per_run": cpu / max(out["runs"], 1),
    }


def prepare(tmp: Path, kind: str) -> tuple[Path, Path, Path]:
    """In ``tmp``: the store (``example`` or the 1 000 000-record ``large``), the trivial app, and a copy of the
    store for the trivial app's server (the same settings, the same files)."""
    db = tmp / "store.duckdb"
    if kind == "large":
        from workloads import large_store

        large_store(db, 1_000_000)
    else:
        from vvr_metrics.sample import sample_files
        from vvr_metrics.uploads import commit_uploads, prepare_upload

        commit_uploads([prepare_upload(p.read_bytes(), p.name, db) for p in sample_files()], db)
    trivial = tmp / "trivial.py"
    trivial.write_text(TRIVIAL)
    shutil.copy(db, tmp / "baseline.duckdb")
    return db, trivial, tmp / "baseline.duckdb"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--think", type=float, default=5)
    parser.add_argument("--store", choices=["example", "large"], default="example")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db, trivial, baseline = prepare(Path(tmp), args.store)
        ours = measure(ROOT / "dashboard.py", db, PAGES, args.sessions, args.seconds, args.think)
        base = measure(trivial, baseline, [""], args.sessions, args.seconds, args.think)
    print(f"{args.sessions} sessions, {args.seconds:.0f} s, think {args.think} s, {args.store} store")
    print(f"{'':24}{'dashboard':>12}{'trivial':>12}{'ratio':>8}")
    for key in ("cold_first_page_s", "warm_p50_s", "warm_p95_s", "first_p95_s", "cpu_s_per_run", "runs", "errors"):
        a, b = ours[key], base[key]
        ratio = f"{a / b:8.1f}" if isinstance(a, float) and b else ""
        print(f"{key:24}{a:12.3f}{b:12.3f}{ratio}" if isinstance(a, float) else f"{key:24}{a:12}{b:12}")
    if ours["errors"]:
        print("errors, e.g.:", *ours["error_examples"], sep="\n  ")


if __name__ == "__main__":
    main()
