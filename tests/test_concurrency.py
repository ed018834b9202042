"""Concurrent use: two sessions confirming at once, and the CLI ingesting while the dashboard serves."""

import subprocess
import sys
import threading
from pathlib import Path

import pytest
from conftest import CONTACT_HEADER, TODAY, xlsx_bytes
from streamlit.testing.v1 import AppTest
from test_report import needs_chromium

from vvr_metrics import store
from vvr_metrics.indicators import indicator_table
from vvr_metrics.uploads import commit_uploads, prepare_upload

ROOT = Path(__file__).resolve().parent.parent


def contacts(n, municipality="Heinola"):
    return xlsx_bytes(
        {"Kontaktit": [CONTACT_HEADER] + [[f"{d}.1.2012", municipality, "Yritys"] for d in range(2, 2 + n)]}
    )


def employer_contacts(db):
    table = indicator_table(db)
    return int(table.loc[table["indicator"] == "yrityskontaktit", "actual"].iloc[0])


def confirm_at_once(db, plans):
    barrier = threading.Barrier(len(plans))
    results = [None] * len(plans)

    def run(i):
        barrier.wait()
        try:
            results[i] = commit_uploads([plans[i]], db, actor="staff")
        except store.StaleUpload as exc:
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(plans))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


def test_two_sessions_storing_different_sources_both_land(db):
    plans = [
        prepare_upload(contacts(3), "hartola.xlsx", db, today=TODAY),
        prepare_upload(contacts(4, "Sysmä"), "sysma.xlsx", db, today=TODAY),
    ]
    results = confirm_at_once(db, plans)
    assert all(isinstance(r, list) for r in results)
    assert employer_contacts(db) == 7
    assert sorted(store.history(db)["source"]) == ["hartola", "sysma"]


def test_two_sessions_replacing_the_same_source_one_is_told_to_retry(db, ingest):
    ingest({"heinola.xlsx": contacts(2)})
    plans = [
        prepare_upload(contacts(5), "heinola.xlsx", db, today=TODAY),
        prepare_upload(contacts(6), "heinola.xlsx", db, today=TODAY),
    ]
    results = confirm_at_once(db, plans)
    stale = [r for r in results if isinstance(r, store.StaleUpload)]
    assert len(stale) == 1
    stored = next(r for r in results if isinstance(r, list))[0]
    hist = store.history(db)
    assert list(hist["version"]) == [2, 1]  # no version lost, none made twice
    assert employer_contacts(db) == stored.rows  # counted once
    with store.connect(db) as con:
        active = con.execute("SELECT count(*) FROM sources WHERE active_upload_id IS NOT NULL").fetchall()[0][0]
    assert active == 1


@pytest.mark.parametrize("n_sessions", [6])
def test_many_sessions_storing_their_own_sources(db, n_sessions):
    plans = [prepare_upload(contacts(2), f"lahde{i}.xlsx", db, today=TODAY) for i in range(n_sessions)]
    results = confirm_at_once(db, plans)
    assert all(isinstance(r, list) for r in results)
    assert employer_contacts(db) == 2 * n_sessions
    assert store.data_version(db) == n_sessions


def test_cli_ingest_while_the_dashboard_serves(sample_db, tmp_path, monkeypatch):
    import shutil

    db = tmp_path / "dash.duckdb"
    shutil.copy(sample_db, db)
    monkeypatch.setenv("VVR_DB", str(db))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90).run()
    first = {m.label: m.value for m in at.metric}["Yrityskontaktit"]
    # the dashboard keeps reading (short connections) in another process while the CLI stores
    reader = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import time; from vvr_metrics.indicators import indicator_table\n"
            f"end = time.time() + 4\nwhile time.time() < end: indicator_table({str(db)!r})",
        ],
        cwd=ROOT,
    )
    book = tmp_path / "uudet.xlsx"
    book.write_bytes(contacts(5))
    done = subprocess.run(
        [sys.executable, "-m", "vvr_metrics", "ingest", str(book), "--db", str(db)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    reader.wait(timeout=60)
    assert reader.returncode == 0
    assert done.returncode == 0, done.stderr
    at.run()  # the next rerun shows the new figures
    assert not at.exception
    assert first == "1\u00a0421"
    assert {m.label: m.value for m in at.metric}["Yrityskontaktit"] == "1\u00a0426"


def test_chart_images_made_from_several_threads_at_once_are_each_the_one_asked_for():
    """kaleido's shared renderer has one return queue: six threads got each other's pictures in every run."""
    needs_chromium()
    import re

    import plotly.graph_objects as go

    from vvr_metrics.render import image

    def figure(n: int) -> go.Figure:
        return go.Figure(go.Bar(x=["a", "b"], y=[n, n + 1]), layout={"title": {"text": f"Kuva numero {n}"}})

    wrong, errors = [], []

    def draw(n: int) -> None:
        try:
            svg = image(figure(n), "svg", 640, 360, scale=1).decode()
            got = re.findall(r"Kuva numero (\d+)", svg)
            if got != [str(n)]:
                wrong.append((n, got))
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(repr(exc))

    for round_ in range(4):
        threads = [threading.Thread(target=draw, args=(round_ * 10 + i,)) for i in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
    assert errors == []
    assert wrong == []
