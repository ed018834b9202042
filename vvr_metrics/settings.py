"""Project settings, read from ``data/project.toml``."""

from __future__ import annotations

import datetime as dt
import functools
import tomllib
import unicodedata
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SETTINGS_PATH = ROOT / "data" / "project.toml"


@functools.lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Case-fold, strip accents (ä→a, ö→o, å→a) and fold runs of spaces/underscores."""
    text = unicodedata.normalize("NFKD", str(text).replace("\u00a0", " "))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.casefold().replace("_", " ")
    return " ".join(text.split())


@dataclass(frozen=True)
class ProjectSettings:
    """What distinguishes one monitored project from another of the same kind."""

    name: str
    short_name: str
    code: str
    start: dt.date
    end: dt.date
    municipalities: tuple[str, ...]
    administrator: str = ""
    authority: str = ""
    funder_acknowledgement_fi: str = ""
    funder_acknowledgement_en: str = ""
    source_line_fi: str = ""
    source_line_en: str = ""
    max_file_mb: int = 50
    max_uncompressed_mb: int = 600
    # bounds that the reader's child process can hold within its limits (about 100 bytes a cell once read)
    max_rows: int = 100_000
    max_cells: int = 1_000_000  # rows x columns of a sheet's used range
    reader_seconds: float = 10.0  # reading and validating one upload, in a child process
    reader_memory_mb: int = 1024
    # The only dates at which public (viewer) figures exist: half-year ends and the project end by default.
    reporting_cutoffs: tuple[dt.date, ...] = ()

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(range(self.start.year, self.end.year + 1))

    def municipality(self, value: str) -> str | None:
        """The canonical municipality name for ``value`` (case/accent-insensitive), or None."""
        key = fold(value)
        for name in self.municipalities:
            if fold(name) == key:
                return name
        return None


def load_settings(path: str | Path | None = None) -> ProjectSettings:
    """Read the project settings; the default file is this project's."""
    with open(path or DEFAULT_SETTINGS_PATH, "rb") as fh:
        raw = tomllib.load(fh)
    project = raw["project"]
    limits = raw.get("limits", {})
    return ProjectSettings(
        name=project["name"],
        short_name=project.get("short_name", project["name"]),
        code=project.get("code", ""),
        start=project["start"],
        end=project["end"],
        municipalities=tuple(project["municipalities"]),
        administrator=project.get("administrator", ""),
        authority=project.get("authority", ""),
        funder_acknowledgement_fi=project.get("funder_acknowledgement_fi", ""),
        funder_acknowledgement_en=project.get("funder_acknowledgement_en", ""),
        source_line_fi=project.get("source_line_fi", ""),
        source_line_en=project.get("source_line_en", ""),
        max_file_mb=int(limits.get("max_file_mb", 50)),
        max_uncompressed_mb=int(limits.get("max_uncompressed_mb", 600)),
        max_rows=int(limits.get("max_rows", 100_000)),
        max_cells=int(limits.get("max_cells", 1_000_000)),
        reader_seconds=float(limits.get("reader_seconds", 10.0)),
        reader_memory_mb=int(limits.get("reader_memory_mb", 1024)),
        reporting_cutoffs=tuple(sorted(raw.get("reporting", {}).get("cutoffs", ())))
        or default_cutoffs(project["start"], project["end"]),
    )


def default_cutoffs(start: dt.date, end: dt.date) -> tuple[dt.date, ...]:
    """The end of every half year inside the project, and the project end."""
    days = {dt.date(y, m, d) for y in range(start.year, end.year + 1) for m, d in ((6, 30), (12, 31))}
    return tuple(sorted(d for d in days if start <= d < end)) + (end,)
