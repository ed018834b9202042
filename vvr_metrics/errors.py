"""The last resort: an unexpected error gets a short reference for the user and its details in the log."""

from __future__ import annotations

import logging
import os
import secrets
import sys
import traceback
from pathlib import Path

from .settings import ROOT

log = logging.getLogger("vvr_metrics")


class StoreBusy(RuntimeError):
    """Another process held the store for longer than the retry window."""


class StoreFault(RuntimeError):
    """The store is missing (removed while in use), damaged, or cannot be written (disk full, no permission)."""

    def __init__(self, reason: str, path: os.PathLike | str, detail: str = ""):
        super().__init__(f"{reason}: {path}: {detail}")
        self.reason = reason  # missing, damaged or unwritable
        self.path = str(path)


def log_path() -> Path:
    """``$VVR_LOG``, else ``data/logs/vvr-errors.log``."""
    return Path(os.environ.get("VVR_LOG") or ROOT / "data" / "logs" / "vvr-errors.log")


def log_unexpected(where: str) -> str:
    """Log the exception being handled with a new reference id, which is returned for the user."""
    ref = secrets.token_hex(4)
    details = traceback.format_exc() if sys.exc_info()[0] is not None else "(a refusal, not an exception)\n"
    log.error("unexpected error %s in %s\n%s", ref, where, details)
    try:
        path = log_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(f"--- {ref} {where}\n{details}\n")
    except OSError:
        pass  # the logger above still has it
    return ref
