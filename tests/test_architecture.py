"""The layers stay put: every module has its place in the import contract, and the store alone talks to DuckDB.

``make lint`` runs the contract itself (import-linter, [tool.importlinter] in pyproject.toml). These tests check
what the contract cannot: that a new module is given a layer, and that the filter of every figure is written once.
"""

import re
import tomllib
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent


def _contract() -> dict:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    return next(c for c in config["contracts"] if c["type"] == "layers")


def test_every_module_of_the_library_has_a_layer():
    placed = [m.strip() for layer in _contract()["layers"] for m in re.split(r"[|:]", layer)]
    modules = {f"vvr_metrics.{p.stem}" for p in (ROOT / "vvr_metrics").glob("*.py") if p.stem != "__init__"}
    assert sorted(modules - set(placed)) == []
    assert sorted(m for m in placed if m.startswith("vvr_metrics.") and m not in modules) == []
    assert len(placed) == len(set(placed))


def test_only_the_store_and_its_backup_open_duckdb():
    graph = grimp.build_graph("vvr_metrics", "pages", include_external_packages=True)
    assert graph.find_modules_that_directly_import("duckdb") == {"vvr_metrics.store", "vvr_metrics.backup"}


def test_the_view_filter_is_written_once():
    """The active sources, the cut-off, the period start and the municipalities: the store's ``in_view`` macro
    alone says how a view filters the records; the queries call it."""
    sources = {p.name: p.read_text() for p in (ROOT / "vvr_metrics").glob("*.py")}
    written = [name for name, text in sources.items() if "list_contains(q.municipalities" in text]
    assert written == ["store.py"]
    for name in ("indicators.py", "explore.py", "funding.py"):
        assert "in_view(f.upload_id, f.day, f.municipality, $q)" in sources[name]
        assert "$as_of" not in sources[name] and "$municipalities" not in sources[name]
