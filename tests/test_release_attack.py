"""An attack on the whole public release, independent of the protection's own formulation.

The attacker's unknowns are finer than the protection's: municipality (or none) × month × women/men/unknown, read
from the internal explore frame. Every value that the public outputs publish — the report's four tables for every
municipality subset, cumulative and half-year by half-year, at every reporting cut-off, and the viewer's pivot by
municipality, year and gender — is one equation. Every hidden count whose true value is 1–4 is bounded by linear
programming; none may be pinned."""

from __future__ import annotations

import datetime as dt
import itertools

import numpy as np
import pandas as pd
import pytest

from vvr_metrics import catalogue, explore, report
from vvr_metrics import workbook_format as wf
from vvr_metrics.explore import TOTAL, UNKNOWN
from vvr_metrics.public_pivot import viewer_pivot
from vvr_metrics.query import Query
from vvr_metrics.settings import load_settings

GENDERS = {"actual": ("N", "M", UNKNOWN), "actual_women": ("N",), "actual_men": ("M",)}
COUNTED = [i.code for i in catalogue.CATALOGUE if i.unit != catalogue.EUR and i.measure != catalogue.DISTINCT]


class Attack:
    """The attacker's unknowns for one store, the published equations and the hidden small targets."""

    def __init__(self, db):
        self.settings = load_settings()
        s = self.settings
        self.months = [m.strftime("%Y-%m") for m in pd.date_range(s.start.replace(day=1), s.end, freq="MS")]
        self.munis = [*s.municipalities, UNKNOWN]
        self.cells = list(itertools.product(self.munis, self.months, ("N", "M", UNKNOWN)))
        self.index = {c: i for i, c in enumerate(self.cells)}
        frame = explore.explore_frame(db, Query(public=False))
        self.truth = {}
        for code in COUNTED:
            x = np.zeros(len(self.cells))
            own = frame[frame["indicator"] == code]
            for (m, month, g), v in own.groupby(["municipality", "month", "gender"])["value"].sum().items():
                x[self.index[(m, month, g)]] += v
            self.truth[code] = x
        self.equations = {code: {} for code in COUNTED}  # vector bytes -> (vector, value)
        # the workbook contract is public: where a sheet requires a municipality, records without one are none
        self.required = {
            c for c in COUNTED if wf.SHEETS_BY_TABLE[catalogue.BY_CODE[c].table].column("municipality").required
        }
        nobody = np.array([c[0] == UNKNOWN for c in self.cells], dtype=float)
        for code in self.required:
            self.equations[code][nobody.tobytes()] = (nobody, 0.0)
        self.targets = {code: {} for code in COUNTED}  # vector bytes -> (vector, where)
        self.published = 0
        self.small_shown: list[tuple] = []
        self.hidden_whole: list[tuple] = []

    def is_whole(self, code: str, vector: np.ndarray) -> bool:
        """Whether a published sum is a whole-project figure: every named municipality in each of its months and
        genders, and the records without a municipality too (or none exist: then it equals the whole project's)."""
        grid = vector.reshape(len(self.munis), -1)  # municipalities × (month, gender)
        used = grid.max(axis=0) > 0
        if not grid[:-1, used].all():
            return False
        if grid[-1, used].all() or code in self.required:
            return True
        whole = np.repeat(used[None, :], len(self.munis), axis=0).ravel().astype(float)
        return float(self.truth[code] @ whole) == float(self.truth[code] @ vector)

    def vector(self, munis, first: dt.date, last: dt.date, genders) -> np.ndarray:
        months = {m for m in self.months if first.strftime("%Y-%m") <= m <= last.strftime("%Y-%m")}
        return np.array([c[0] in munis and c[1] in months and c[2] in genders for c in self.cells], dtype=float)

    def publish(self, code, vector, value, where) -> None:
        if code not in self.equations:
            return
        if pd.isna(value):
            if self.is_whole(code, vector):
                self.hidden_whole.append(where)  # hidden although the whole project's figures publish it
            elif round(float(self.truth[code] @ vector)) in range(1, 5):
                self.targets[code].setdefault(vector.tobytes(), (vector, where))
            return
        assert abs(float(self.truth[code] @ vector) - float(value)) < 1e-6, (where, value)  # published = true
        if round(float(value)) in range(1, 5) and not self.is_whole(code, vector):
            self.small_shown.append((where, value))  # a count of 1–4 outside the whole project's figures
        self.equations[code][vector.tobytes()] = (vector, float(value))
        self.published += 1

    def add_view(self, db, munis: tuple[str, ...], since: dt.date | None, cutoff: dt.date) -> None:
        s = self.settings
        tables = report.tables(db, report.ReportOptions(Query(munis, since=since, until=cutoff)))
        first = since or s.start
        in_view = list(munis) or self.munis
        for name, (table, _) in tables.items():
            by = report.BREAKDOWNS[name]
            for rec in table.to_dict("records"):
                group = list(in_view) if "municipality" not in by else [rec["municipality"]]
                a, b = first, cutoff
                if "year" in by:
                    a, b = max(a, dt.date(int(rec["year"]), 1, 1)), min(b, dt.date(int(rec["year"]), 12, 31))
                for col, genders in GENDERS.items():
                    if col != "actual" and not catalogue.BY_CODE[rec["indicator"]].has_gender:
                        continue
                    where = (name, munis, since, cutoff, rec["indicator"], rec.get("municipality"), col)
                    self.publish(rec["indicator"], self.vector(group, a, b, genders), rec[col], where)

    def add_pivot(self, db, munis: tuple[str, ...], cutoff: dt.date) -> None:
        s = self.settings
        out = viewer_pivot(
            db, ["municipality", "year"], "gender", {"indicator": COUNTED}, Query(munis, until=cutoff), s
        )
        for rec in out.to_dict("records"):
            group = list(munis) or self.munis if rec["municipality"] == TOTAL else [rec["municipality"]]
            a, b = s.start, cutoff
            if rec["year"] != TOTAL:
                a, b = max(a, dt.date(int(rec["year"]), 1, 1)), min(b, dt.date(int(rec["year"]), 12, 31))
            for col in ("N", "M", UNKNOWN, TOTAL):
                genders = ("N", "M", UNKNOWN) if col == TOTAL else (col,)
                where = ("pivot", munis, cutoff, rec["indicator"], rec["municipality"], rec["year"], col)
                self.publish(rec["indicator"], self.vector(group, a, b, genders), rec.get(col, 0.0), where)

    def pinned(self) -> list[tuple]:
        """Every hidden 1–4 count whose lowest and highest possible values are the same."""
        from scipy.optimize import linprog
        from scipy.sparse import csr_matrix

        found = []
        for code in COUNTED:
            if not self.targets[code]:
                continue
            rows = list(self.equations[code].values())
            a = csr_matrix(np.array([v for v, _ in rows])) if rows else None
            b = np.array([x for _, x in rows]) if rows else None
            for vector, where in self.targets[code].values():
                low = linprog(vector, A_eq=a, b_eq=b, bounds=(0, None), method="highs")
                high = linprog(-vector, A_eq=a, b_eq=b, bounds=(0, None), method="highs")
                assert low.status == 0
                if high.status == 0 and -high.fun - low.fun < 0.5:
                    found.append((where, round(low.fun, 3)))
        return found


SUBSETS = [(), ("Hartola",), ("Heinola",), ("Sysmä",), ("Hartola", "Heinola"), ("Hartola", "Sysmä"),
           ("Heinola", "Sysmä"), ("Hartola", "Heinola", "Sysmä")]  # fmt: skip


# A small-number fixture: a handful of records, almost every count 1–4, records without a municipality
# (trainings, projects) and people of unknown gender, spread over a few half-years.
SMALL = {
    "Työpaikat": [
        ["Pvm", "Kunta", "Sukupuoli"],
        ["5.9.2011", "Hartola", "N"],
        ["6.9.2011", "Hartola", "M"],
        ["7.2.2012", "Heinola", "N"],
        *[[f"{d}.3.2012", "Sysmä", "M"] for d in range(1, 7)],
        ["8.10.2012", "Heinola", None],
        ["9.10.2012", "Sysmä", "N"],
        ["4.3.2013", "Hartola", "N"],
    ],
    "Koulutukset": [
        ["Alkupvm", "Koulutus", "Kunta", "Osallistujat naiset", "Osallistujat miehet"],
        ["1.9.2011", "Yrittäjäilta", "Hartola", 2, 1],
        ["2.3.2012", "Työnhaku", None, 4, 3],
        ["3.3.2012", "Kassakoulutus", "Sysmä", 8, 7],
    ],
    "Hankkeet": [["Pvm", "Hanke", "Kunta"], ["1.6.2012", "Verkosto", None], ["1.11.2012", "Kesätyö", "Heinola"]],
}


def _small_store(tmp_path_factory):
    from conftest import TODAY, xlsx_bytes

    from vvr_metrics.uploads import commit_uploads, prepare_upload

    db = tmp_path_factory.mktemp("small") / "small.duckdb"
    commit_uploads([prepare_upload(xlsx_bytes(SMALL), "pienet.xlsx", db, today=TODAY)], db)
    return db


@pytest.fixture(scope="module", params=["example", "small numbers"])
def attack(request, sample_db, tmp_path_factory):
    db = sample_db if request.param == "example" else _small_store(tmp_path_factory)
    attack = Attack(db)
    attack.kind = request.param
    cutoffs = attack.settings.reporting_cutoffs
    for munis in SUBSETS:
        for k, cutoff in enumerate(cutoffs):
            attack.add_view(db, munis, None, cutoff)  # cumulative
            if k:  # one half-year: the difference of two cut-offs, as a viewer's period
                attack.add_view(db, munis, cutoffs[k - 1] + dt.timedelta(days=1), cutoff)
        for cutoff in cutoffs[1::2]:
            attack.add_pivot(db, munis, cutoff)
    return attack


def test_the_union_of_every_public_view_gives_no_small_count_away(attack):
    # the attack has the release to work with (views × cut-offs × tables), and hidden small counts to look for
    assert attack.published > (5000 if attack.kind == "example" else 1000)
    assert sum(len(t) for t in attack.targets.values()) > (50 if attack.kind == "example" else 10)
    assert attack.small_shown == []
    assert attack.hidden_whole == []  # no cell is hidden that the union already publishes
    assert attack.pinned() == []


def test_a_municipal_views_totals_are_municipal_cells(sample_db):
    """The issue's case: Hartola's view at 31.12.2012 showed its new jobs on "Koko hanke" while "Kunnittain" of
    the all-municipality release hid them. The two releases now hide the same cell."""
    cutoff = dt.date(2012, 12, 31)
    hartola = report.tables(sample_db, report.ReportOptions(Query(("Hartola",), until=cutoff)))["whole"][0]
    every = report.tables(sample_db, report.ReportOptions(Query(until=cutoff)))["municipality"][0]
    own = hartola[hartola["indicator"] == "uudet_tyopaikat"].iloc[0]
    row = every[(every["indicator"] == "uudet_tyopaikat") & (every["municipality"] == "Hartola")].iloc[0]
    internal = report.tables(sample_db, report.ReportOptions(Query(("Hartola",), until=cutoff, public=False)))
    assert internal["whole"][0].set_index("indicator").at["uudet_tyopaikat", "actual"] == 7  # internal figure
    for col in ("actual", "actual_women", "actual_men"):
        assert pd.isna(row[col]) and pd.isna(own[col]), col
    # whole-project figures stay published, small or not
    whole = report.tables(sample_db, report.ReportOptions(Query(until=cutoff)))["whole"][0].set_index("indicator")
    assert (whole.at["uudet_tyopaikat", "actual"], whole.at["uudet_tyopaikat", "actual_women"]) == (25, 4)
