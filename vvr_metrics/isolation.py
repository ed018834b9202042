"""Read uploaded workbooks in a child process with a time and memory limit.

A hostile or broken file must not take the dashboard down for everyone: python-calamine can abort
the whole process (SIGABRT cannot be caught) and readers can run unbounded. In the child, a crash,
a timeout or running out of memory becomes a clear message and the server keeps serving.
"""

from __future__ import annotations

import importlib
import multiprocessing
import resource

from .settings import ProjectSettings
from .workbook_reader import RawWorkbook, WorkbookError

TIMEOUT_S = 10.0
MEMORY_MB = 1024
READER = "vvr_metrics.workbook_reader:read_workbook"
_context = None


def _ctx():
    global _context
    if _context is None:
        # forkserver: children are forked from a small clean server process, not from the (threaded) dashboard
        _context = multiprocessing.get_context("forkserver")
        _context.set_forkserver_preload(["vvr_metrics.workbook_reader"])
    return _context


def _address_space() -> int:
    """This process's virtual size in bytes (what RLIMIT_AS counts)."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _child(conn, reader: str, data: bytes, file_name: str, settings: ProjectSettings, memory_mb: int) -> None:
    import python_calamine  # noqa: F401 - loaded before the limit: the limit is for reading, not for the code

    module, name = reader.split(":")
    importlib.import_module(module)
    limit = _address_space() + memory_mb * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        raw = getattr(importlib.import_module(module), name)(data, file_name, settings)
        conn.send(("ok", raw))
    except WorkbookError as exc:
        conn.send(("error", exc.code, exc.params))
    except MemoryError:
        conn.send(("error", "out_of_memory", {"limit": memory_mb}))
    except Exception as exc:  # any other failure of the reader is still the file's fault
        conn.send(("error", "unreadable", {"value": str(exc)[:200]}))
    finally:
        conn.close()


def read_workbook_isolated(data: bytes, file_name: str, settings: ProjectSettings, timeout: float = TIMEOUT_S,
                           memory_mb: int = MEMORY_MB, reader: str = READER) -> RawWorkbook:
    """``read_workbook`` in a child process; WorkbookError on a crash, a timeout or too much memory."""
    ctx = _ctx()
    receive, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(send, reader, data, file_name, settings, memory_mb), daemon=True)
    proc.start()
    send.close()
    try:
        if not receive.poll(timeout):
            raise WorkbookError("too_slow", seconds=round(timeout))
        try:
            message = receive.recv()
        except EOFError:
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
