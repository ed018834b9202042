"""Warm rerun time of every dashboard page with AppTest (median of several reruns)."""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["pages/overview.py", "pages/indicator.py", "pages/explore.py", "pages/upload.py", "pages/funding.py"]


def warm_reruns(db: Path, runs: int = 5) -> dict[str, float]:
    """Milliseconds per page: the median of ``runs`` reruns after a first (cold) run."""
    from streamlit.testing.v1 import AppTest

    os.environ["VVR_DB"] = str(db)
    results = {}
    for page in PAGES:
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=300).run()
        at.switch_page(page).run()
        assert not at.exception, (page, [e.message for e in at.exception])
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            at.run()
            times.append(time.perf_counter() - start)
            assert not at.exception, (page, [e.message for e in at.exception])
        results[page] = statistics.median(times) * 1000
    return results
