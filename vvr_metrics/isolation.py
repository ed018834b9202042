"""Read uploaded workbooks in a child process with a time and memory limit.

A hostile or broken file must not take the dashboard down for everyone: python-calamine can abort
the whole process (SIGABRT cannot be caught) and readers can run unbounded. In the child, a crash,
a timeout or running out of memory becomes a clear message and the server keeps serving.
"""

from __future__ import annotations

import importlib
import multiprocessing
import resource
import threading

from .settings import ProjectSettings
from .workbook_reader import RawWorkbook, WorkbookError

TIMEOUT_S = 10.0
MEMORY_MB = 1024
READER = "vvr_metrics.workbook_reader:read_workbook"
_forkserver = None


def _ctx():
    """fork in a single-threaded process (the CLI: cheap), else forkserver (the threaded dashboard)."""
    global _forkserver
    if threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    if _forkserver is None:
        # children are forked from a small clean server process, not from the (threaded) dashboard
        _forkserver = multiprocessing.get_context("forkserver")
        _forkserver.set_forkserver_preload(["vvr_metrics.uploads"])
    return _forkserver


def _address_space() -> int:
    """This process's virtual size in bytes (what RLIMIT_AS counts)."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _warm_up() -> None:
    """Load what parsing loads lazily (pyarrow's allocator reserves much address space up front), so that
    the limit measures the file's cost, not the libraries'."""
    import pandas as pd

    frame = pd.DataFrame({"a": ["x", None], "d": pd.to_datetime(["2012-01-02", None])})
    frame["a"].astype("string").str.strip()
    pd.concat([frame, frame], ignore_index=True)


def _child(
    conn, target: str, data: bytes, file_name: str, settings: ProjectSettings, kwargs: dict, memory_mb: int
) -> None:
    import python_calamine  # noqa: F401 - loaded before the limit: the limit is for reading, not for the code

    module, name = target.split(":")
    func = getattr(importlib.import_module(module), name)
    _warm_up()
    limit = _address_space() + memory_mb * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        conn.send(("ok", func(data, file_name, settings, **kwargs)))
    except WorkbookError as exc:
        conn.send(("error", exc.code, exc.params))
    except MemoryError:
        conn.send(("error", "out_of_memory", {"limit": memory_mb}))
    except Exception as exc:  # any other failure of the reader is still the file's fault
        conn.send(("error", "unreadable", {"value": str(exc)[:200]}))
    finally:
        conn.close()


_start_lock = threading.Lock()


def _start(proc) -> None:
    """Start the child without re-running the parent's main script in it.

    A forkserver child normally runs ``__main__`` again (as ``__mp_main__``). Inside Streamlit, ``__main__``
    is the script being run, ``dashboard.py``: the child would draw the whole dashboard and open the store.
    The child's target lives in this module, so it needs no main module at all."""
    from multiprocessing import spawn

    original = spawn.get_preparation_data

    def without_main(name):
        data = original(name)
        data.pop("init_main_from_path", None)
        data.pop("init_main_from_name", None)
        return data

    with _start_lock:
        spawn.get_preparation_data = without_main
        try:
            proc.start()
        finally:
            spawn.get_preparation_data = original


def run_isolated(
    target: str,
    data: bytes,
    file_name: str,
    settings: ProjectSettings,
    kwargs: dict | None = None,
    timeout: float = TIMEOUT_S,
    memory_mb: int = MEMORY_MB,
):
    """``module:function(data, file_name, settings, **kwargs)`` in a child process with a time and memory
    limit; WorkbookError on a crash, a timeout or too much memory."""
    ctx = _ctx()
    receive, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(
        target=_child, args=(send, target, data, file_name, settings, kwargs or {}, memory_mb), daemon=True
    )
    _start(proc)
    send.close()
    try:
        if not receive.poll(timeout):
            raise WorkbookError("too_slow", seconds=round(timeout))
        try:
            message = receive.recv()
        except (EOFError, OSError):
            proc.join(2)
            raise WorkbookError("reader_crashed", value=proc.exitcode) from None
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join(2)
        receive.close()
    if message[0] == "ok":
        return message[1]
    raise WorkbookError(message[1], **message[2])


def read_workbook_isolated(
    data: bytes,
    file_name: str,
    settings: ProjectSettings,
    timeout: float = TIMEOUT_S,
    memory_mb: int = MEMORY_MB,
    reader: str = READER,
) -> RawWorkbook:
    """``read_workbook`` alone in a child process (the same limits as a whole upload)."""
    return run_isolated(reader, data, file_name, settings, timeout=timeout, memory_mb=memory_mb)
