"""Mutation testing of the core modules (``make mutation``; never part of the test suite or CI).

Runs mutmut over the modules and tests named in ``pyproject.toml`` ([tool.mutmut]), then prints the kill rate of
each module and of all of them, and every surviving mutant. Survivors judged equivalent (no test can tell them
from the original) are listed in ``bench/mutation_equivalent.txt`` with the reason; they leave the denominator and
are counted apart. A survivor that is not listed is a test still missing.

    python bench/mutation.py            # run mutmut, then report
    python bench/mutation.py --report   # report on the last run only
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EQUIVALENT = ROOT / "bench" / "mutation_equivalent.txt"
TARGET = 85.0
KILLED = {1, 3}  # mutmut's exit codes: tests failed (3: pytest's internal error, also a kill)
TIMEOUT = {36, 24, -24, 152, 255}  # a mutant that made the tests hang: detected, counted as killed
NO_TESTS = {33, 5}  # no test ran the mutated function


def equivalent() -> dict[str, str]:
    """``mutant name  reason`` lines (``#`` comments), name -> reason."""
    out = {}
    if EQUIVALENT.exists():
        for line in EQUIVALENT.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                name, _, reason = line.partition(" ")
                out[name] = reason.strip()
    return out


def results() -> dict[str, dict[str, int | None]]:
    """Module -> mutant name -> exit code, from mutmut's ``.meta`` files."""
    out = {}
    for meta in sorted((ROOT / "mutants" / "vvr_metrics").glob("*.py.meta")):
        codes = json.loads(meta.read_text())["exit_code_by_key"]
        out[meta.name.removesuffix(".py.meta")] = codes
    return out


def report() -> float:
    known = equivalent()
    rows, survivors, totals = [], [], Counter()
    for module, codes in results().items():
        c = Counter()
        for name, code in codes.items():
            if code in KILLED or code in TIMEOUT:
                c["killed"] += 1
            elif code == 0 and name in known:
                c["equivalent"] += 1
            elif code == 0:
                c["survived"] += 1
                survivors.append(name)
            elif code in NO_TESTS:
                c["no tests"] += 1
                survivors.append(name + "  (no test runs it)")
            elif code is None:
                c["not checked"] += 1
            else:
                c["other"] += 1
        counted = c["killed"] + c["survived"] + c["no tests"]
        rows.append((module, c, 100 * c["killed"] / counted if counted else 100.0))
        totals.update(c)
    print(f"{'module':<14}{'killed':>8}{'survived':>10}{'no tests':>10}{'equiv.':>8}{'rate':>9}")
    for module, c, rate in rows:
        print(f"{module:<14}{c['killed']:>8}{c['survived']:>10}{c['no tests']:>10}{c['equivalent']:>8}{rate:>8.1f}%")
    counted = totals["killed"] + totals["survived"] + totals["no tests"]
    rate = 100 * totals["killed"] / counted if counted else 100.0
    print(
        f"{'all':<14}{totals['killed']:>8}{totals['survived']:>10}{totals['no tests']:>10}"
        f"{totals['equivalent']:>8}{rate:>8.1f}%"
    )
    if totals["not checked"] or totals["other"]:
        print(f"not checked: {totals['not checked']}, other outcomes: {totals['other']}")
    print(f"kill rate {rate:.1f} % (target {TARGET:.0f} %: {'met' if rate >= TARGET else 'missed'})")
    print(f"equivalent survivors (bench/mutation_equivalent.txt): {totals['equivalent']}")
    if survivors:
        print("survivors (`mutmut show <name>` gives the change):")
        for name in survivors:
            print("  " + name)
    return rate


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--report", action="store_true", help="report on the last run, without running mutmut")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()
    if not args.report:
        mutmut = Path(sys.executable).with_name("mutmut")
        env = {**os.environ, "VVR_MUTATION": "1"}  # tests/conftest.py: in-process tests only
        done = subprocess.run([str(mutmut), "run", "--max-children", str(args.jobs)], cwd=ROOT, env=env)
        if done.returncode:
            return done.returncode
    report()
    return 0


if __name__ == "__main__":
    sys.exit(main())
