"""Nothing before sign-in costs the server: files sent to Streamlit's upload endpoint by a session that may not
upload are dropped at once (a real server, spoken to as the browser speaks to it)."""

import asyncio
import os

import pytest

from tests.streamlit_client import open_session, upload
from tests.test_browser import _start, signed_in_folder


def _rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as fh:
        return next(int(line.split()[1]) for line in fh if line.startswith("VmRSS:")) / 1024


@pytest.fixture
def signed_server(sample_db, tmp_path):
    proc, url = _start(*signed_in_folder(tmp_path, sample_db))
    yield proc, url
    proc.terminate()
    proc.wait(timeout=20)


def test_files_sent_before_sign_in_are_dropped_and_the_server_does_not_grow(signed_server):
    proc, url = signed_server

    async def attack() -> tuple[list[int], float, float]:
        session = await open_session(url)
        assert session.session_id and not session.exceptions
        assert "text_input" in session.elements  # the sign-in form, nothing else
        before = _rss_mb(proc.pid)
        statuses = [upload(session, os.urandom(20 * 1024 * 1024), f"x{i}.xlsx") for i in range(8)]
        await asyncio.sleep(1)
        after = _rss_mb(proc.pid)
        await session.ws.close()
        return statuses, before, after

    statuses, before, after = asyncio.run(attack())
    print(f"server RSS before {before:.0f} MB, after 8 × 20 MB anonymous uploads {after:.0f} MB")
    assert all(s in (204, 403) for s in statuses)
    # kept, 160 MB would stay; dropped, only the request buffers come and go
    assert after - before < 60, (before, after)
