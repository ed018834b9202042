"""Load test (not in the suite): simulated sessions browse the pages of a large store while uploads run.

Each session is an AppTest in its own thread of one process, like the sessions of one Streamlit server
sharing its caches. Reports p50 and p95 of the reruns and the errors.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
PAGES = ["pages/overview.py", "pages/indicator.py", "pages/explore.py", "pages/funding.py", "pages/upload.py"]


def session(seconds: float, times: list, errors: list, seed: int) -> None:
    from streamlit.testing.v1 import AppTest

    rng = random.Random(seed)
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        page = rng.choice(PAGES)
        try:
            # a user opens the dashboard, goes to a page and reruns it (a widget change)
            at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120).run()
            for step in (lambda at=at, page=page: at.switch_page(page).run(), at.run):
                start = time.perf_counter()
                step()
                times.append(time.perf_counter() - start)
                if at.exception:
                    errors.append((page, at.exception[0].message))
        except Exception as exc:  # a timeout or a crash of the script runner counts as an error
            errors.append((page, repr(exc)))


def uploader(db: Path, seconds: float, stored: list, errors: list, every: float = 2.0) -> None:
    from conftest import CONTACT_HEADER, xlsx_bytes

    from vvr_metrics.uploads import commit_uploads, prepare_upload

    end = time.monotonic() + seconds
    i = 0
    while time.monotonic() < end:
        rows = [CONTACT_HEADER] + [[f"{d}.3.2013", "Heinola", "Yritys"] for d in range(1, 2 + i % 20)]
        try:
            plan = prepare_upload(xlsx_bytes({"Kontaktit": rows}), f"kuorma{i % 3}.xlsx", db)
            commit_uploads([plan], db, actor="load")
            stored.append(i)
        except Exception as exc:
            errors.append(("upload", repr(exc)))
        i += 1
        time.sleep(every)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--upload-every", type=float, default=2.0, help="seconds between uploads")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "tests"))
    from workloads import large_store

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "load.duckdb"
        large_store(db, args.records)
        os.environ["VVR_DB"] = str(db)
        times: list[float] = []
        errors: list = []
        stored: list = []
        warm = threading.Thread(target=session, args=(5, [], errors, 0))  # fill the shared caches first
        warm.start()
        warm.join()
        threads = [
            threading.Thread(target=session, args=(args.seconds, times, errors, i)) for i in range(args.sessions)
        ]
        threads.append(threading.Thread(target=uploader, args=(db, args.seconds, stored, errors, args.upload_every)))
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    times.sort()
    p95 = times[int(0.95 * (len(times) - 1))] if times else float("nan")
    print(
        f"{args.sessions} sessions × {args.seconds:.0f} s on {args.records:,} records, "
        f"an upload every {args.upload_every:g} s:"
    )
    print(
        f"  reruns {len(times)}, p50 {statistics.median(times):.2f} s, p95 {p95:.2f} s, "
        f"uploads stored {len(stored)}, errors {len(errors)}"
    )
    for err in errors[:5]:
        print("  error:", err)


if __name__ == "__main__":
    main()
