"""Funding: realised by month and source, cumulative against the granted amount, and where the
project's utilisation stands among the ESF projects of 2007–2013."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import catalogue, store
from .query import Query
from .settings import ROOT

# The funding indicators of the catalogue, whose sources the page adds up month by month.
CODES = {"eu_state": "rahoitus_eu_valtio", "public": "julkinen_rahoitus"}
REFERENCE_CSV = ROOT / "data" / "reference" / "fi-structural-funds-projects-2007-2013.csv"
REFERENCE_SOURCE = "rakennerahastot.fi, projektilista 2007–2013 (julkaistu 31.12.2015)"

_FUNDING_SQL = """
SELECT date_trunc('month', f.day) AS month, f.source, sum(f.amount) AS amount
FROM funding f
WHERE in_view(f.upload_id, f.day, f.municipality, $q)
GROUP BY ALL ORDER BY month, f.source
"""


def funding_by_month(path=None, query: Query = Query()) -> pd.DataFrame:
    """Realised euros per month and funding source. Columns: month, source, amount."""
    with store.connect(path) as con:
        frame = con.execute(_FUNDING_SQL, {"q": query.params}).df()
    frame["amount"] = frame["amount"].round(2)
    return frame


def cumulative_funding(by_month: pd.DataFrame) -> pd.DataFrame:
    """Cumulative EU-and-state and total public funding by month. Columns: month, eu_state, public."""
    if by_month.empty:
        return pd.DataFrame(columns=["month", "eu_state", "public"])
    sources = {key: catalogue.BY_CODE[code].filter_values for key, code in CODES.items()}
    wide = (
        by_month.assign(
            **{key: by_month["amount"].where(by_month["source"].isin(s), 0.0) for key, s in sources.items()}
        )
        .groupby("month")[["eu_state", "public"]]
        .sum()
        .sort_index()
        .cumsum()
        .round(2)
    )
    return wide.reset_index()


@dataclass(frozen=True)
class Comparison:
    """This project's utilisation among a group of projects."""

    group: str  # all, authority, axis
    label: str
    n: int
    percentile: float
    utilisation: tuple[float, ...]  # every project's utilisation %, for the distribution


# The priority axes (toimintalinjat) of the Manner-Suomi ESF programme 2007–2013, by the reference data's "Tl".
PRIORITY_AXES = {
    "1": (
        "Työorganisaatioiden, työssä olevan työvoiman ja yritysten kehittäminen sekä yrittäjyyden lisääminen",
        "Developing work organisations, the employed workforce and companies, and more entrepreneurship",
    ),
    "2": (
        "Työllistymisen ja työmarkkinoilla pysymisen edistäminen sekä syrjäytymisen ehkäiseminen",
        "Promoting employment and staying in the labour market, and preventing exclusion",
    ),
    "3": (
        "Työmarkkinoiden toimintaa edistävien osaamis-, innovaatio- ja palvelujärjestelmien kehittäminen",
        "Developing the skills, innovation and service systems that help the labour market work",
    ),
    "4": (
        "Jäsenvaltioiden ja alueiden välinen yhteistyö ESR-toiminnassa",
        "Co-operation between member states and regions in ESF activities",
    ),
}


def group_name(comparison: Comparison, lang: str = "fi") -> str:
    """A comparison group as a reader knows it: "kaikki ESR-hankkeet", the authority, or the priority axis by
    number and name ("toimintalinja 1 – Työorganisaatioiden …")."""
    from .i18n import localized, ui

    if comparison.group == "all":
        return ui("group_name_all", lang)
    if comparison.group == "axis":
        name = localized(*PRIORITY_AXES.get(comparison.label, ("", "")), lang)
        axis = ui("group_name_axis", lang, axis=comparison.label)
        return f"{axis} – {name}" if name else axis
    return comparison.label  # the authority's name, as published


def _spaces(text: str) -> str:
    return re.sub(r"\s+", " ", str(text)).strip()


def load_reference(path: Path = REFERENCE_CSV) -> pd.DataFrame:
    """The ESF projects of 2007–2013 with granted > 0 and their EU-and-state utilisation %."""
    ref = pd.read_csv(path, dtype={"Koodi": "string", "Tl": "string"})
    ref = ref[ref["Rahasto"] == "ESR"].copy()
    granted = pd.to_numeric(ref["Myönnetty EU- ja valtion rahoitus"], errors="coerce")
    realised = pd.to_numeric(ref["Toteutunut EU- ja valtion rahoitus"], errors="coerce")
    ref = ref.assign(granted=granted, realised=realised, authority=ref["Viranomainen"].map(_spaces))
    ref = ref[ref["granted"] > 0]
    ref["utilisation"] = ref["realised"] / ref["granted"] * 100
    return ref[["Koodi", "Projektin nimi", "Tl", "authority", "granted", "realised", "utilisation"]]


def compare(reference: pd.DataFrame, code: str, utilisation: float) -> list[Comparison]:
    """Percentile of ``utilisation`` among all ESF projects, those of the same authority and axis."""
    own = reference[reference["Koodi"] == code]
    groups = [("all", "ESR", reference)]
    if len(own):
        row = own.iloc[0]
        groups.append(("authority", row["authority"], reference[reference["authority"] == row["authority"]]))
        groups.append(("axis", str(row["Tl"]), reference[reference["Tl"] == row["Tl"]]))
    out = []
    for group, label, frame in groups:
        values = frame["utilisation"].to_numpy()
        below = (values < utilisation).sum() + 0.5 * (values == utilisation).sum()
        out.append(
            Comparison(
                group,
                label,
                len(values),
                float(100 * below / len(values)) if len(values) else 0.0,
                tuple(float(v) for v in values),
            )
        )
    return out


def granted_and_realised(table: pd.DataFrame) -> tuple[dict[str, float | None], dict[str, float]]:
    """From a whole-project indicator table: granted (the targets) and realised euros, by eu_state/public."""
    granted, realised = {}, {}
    for key, code in CODES.items():
        row = table[table["indicator"] == code]
        target = row["target"].iloc[0] if len(row) else None
        actual = row["actual"].iloc[0] if len(row) else None
        granted[key] = None if target is None or pd.isna(target) or float(target) <= 0 else float(target)
        realised[key] = 0.0 if actual is None or pd.isna(actual) else float(actual)
    return granted, realised
