"""Generated workloads for the benchmarks: a large Kontaktit workbook and a large store."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from vvr_metrics import store

MUNICIPALITIES = np.array(["Hartola", "Heinola", "Sysmä"])
TYPES = np.array(["Yritys", "Työnhakija", "Yhteistyökumppani"])


def contacts_workbook(path: Path, rows: int, seed: int = 1) -> Path:
    """A Kontaktit sheet of ``rows`` records (6 columns), written in openpyxl's streaming mode."""
    from openpyxl import Workbook

    rng = np.random.default_rng(seed)
    days = pd.Timestamp("2011-04-01") + pd.to_timedelta(rng.integers(0, 1370, rows), unit="D")
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Kontaktit")
    ws.append(["Kontaktit (benchmark)"])
    ws.append(["Pvm", "Kunta", "Kontaktityyppi", "Sukupuoli", "Asiakastunnus", "Lisätiedot"])
    muni = rng.integers(0, 3, rows)
    kind = rng.integers(0, 3, rows)
    gender = rng.integers(0, 3, rows)
    client = rng.integers(0, 5000, rows)
    for i in range(rows):
        ws.append(
            [
                days[i].date(),
                MUNICIPALITIES[muni[i]],
                TYPES[kind[i]],
                ("N", "M", None)[gender[i]],
                f"C{client[i]:05d}",
                "tapaaminen" if i % 7 == 0 else None,
            ]
        )
    wb.save(path)
    return path


def large_store(path: Path, records: int, seed: int = 2) -> Path:
    """A store with ``records`` contact records in one source (written straight through the store API)."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "sheet": "Kontaktit",
            "source_row": np.arange(3, records + 3, dtype="int32"),
            "day": (pd.Timestamp("2011-04-01") + pd.to_timedelta(rng.integers(0, 1370, records), unit="D")).date,
            "municipality": MUNICIPALITIES[rng.integers(0, 3, records)],
            "contact_type": TYPES[rng.integers(0, 3, records)],
            "gender": np.array(["N", "M", None], dtype=object)[rng.integers(0, 3, records)],
            "client_id": np.char.add("C", rng.integers(0, 20000, records).astype(str)),
            "notes": None,
        }
    )
    targets = pd.DataFrame(
        {
            "sheet": "Tavoitteet",
            "source_row": [2, 3, 4, 5],
            "indicator": ["yrityskontaktit", "tyonhakijakontaktit", "kumppanikontaktit", "palvellut_yritykset"],
            "municipality": None,
            "year": None,
            "target": [1400.0, 1300.0, 1300.0, 150.0],
            "target_women": None,
        }
    )
    item = store.NewVersion(
        "benchmark",
        "benchmark.xlsx",
        "-",
        None,
        {"contacts": frame, "targets": targets},
    )
    store.store_versions(path, [item], actor="bench")
    return path


def sample_day() -> dt.date:
    return dt.date(2014, 12, 31)
