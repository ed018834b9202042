"""Facts: one row per record per indicator of the catalogue that counts it, derived when a version is stored.

The store keeps them beside the records (``facts`` table); every figure is computed from them.
"""

from __future__ import annotations

import pandas as pd

from . import catalogue

FACT_COLUMNS = (
    "upload_id",
    "indicator",
    "municipality",
    "day",
    "value",
    "women",
    "men",
    "dkey",
    "sheet",
    "source_row",
    "contact_type",
    "measure",
    "subsidised",
    "industry",
    "entrepreneurship",
    "funding_source",
)
# Record fields that become explorable attributes of a fact: fact column -> record field.
ATTRIBUTES = {
    "contact_type": "contact_type",
    "measure": "measure",
    "subsidised": "subsidised",
    "industry": "industry",
    "entrepreneurship": "entrepreneurship",
    "funding_source": "source",
}
FACTS_LAYOUT = "2"  # bump when FACT_COLUMNS change: the facts table is then rebuilt


def derive_facts(table: str, records: pd.DataFrame) -> pd.DataFrame:
    """One row per record per indicator of the catalogue that counts it."""
    parts = []
    for ind in catalogue.CATALOGUE:
        if ind.table != table:
            continue
        df = records
        if ind.filter_field:
            df = df[df[ind.filter_field].isin(ind.filter_values)]
        if df.empty:
            continue
        n = len(df)
        if ind.measure == catalogue.SUM:
            value = sum(df[f].astype("float64").fillna(0.0) for f in ind.measure_fields)
        else:
            value = pd.Series(1.0, index=df.index)
        dkey = None
        if ind.measure == catalogue.DISTINCT:
            dkey = df[ind.measure_fields[0]].astype("string").str.strip().str.upper()
        if ind.gender == "gender":
            women = (df["gender"] == "N").astype("float64")
            men = (df["gender"] == "M").astype("float64")
        elif isinstance(ind.gender, tuple):
            women = df[ind.gender[0]].astype("float64").fillna(0.0)
            men = df[ind.gender[1]].astype("float64").fillna(0.0)
        else:
            women = men = pd.Series([None] * n, index=df.index, dtype="float64")
        none = pd.Series([None] * n, index=df.index, dtype="object")
        parts.append(
            pd.DataFrame(
                {
                    "upload_id": df["upload_id"].astype("int32"),
                    "indicator": ind.code,
                    "municipality": df["municipality"].astype("string"),
                    "day": pd.to_datetime(df["day"]),
                    "value": value.astype("float64"),
                    "women": women,
                    "men": men,
                    "dkey": dkey if dkey is not None else none.astype("string"),
                    "sheet": df["sheet"].astype("string"),
                    "source_row": df["source_row"].astype("int32"),
                    **{col: (df[field] if field in df.columns else none) for col, field in ATTRIBUTES.items()},
                }
            )
        )
    if not parts:
        return pd.DataFrame(columns=list(FACT_COLUMNS))
    return pd.concat(parts, ignore_index=True)[list(FACT_COLUMNS)]
