"""Labels of the dashboard, in Finnish and English."""

from __future__ import annotations

UI = {
    "overview": ("Yleiskuva", "Overview"),
    "municipalities": ("Kunnat", "Municipalities"),
    "all_municipalities": ("Kaikki kunnat", "All municipalities"),
    "as_of": ("Tilanne: uusin tapahtuma {record}, viimeisin lataus {upload}",
              "As of: newest record {record}, last upload {upload}"),
    "example_badge": ("ESIMERKKIAINEISTO – luvut ovat harjoitusdataa, eivät hankkeen seurantatietoja.",
                      "EXAMPLE DATA – the figures are practice data, not the project's monitoring data."),
    "overview_title": ("Suunniteltu ja toteutunut koko hankkeessa", "Planned and realised, whole project"),
    "overview_caption": ("{name} ({code}), {start}–{end}. Tilanne {as_of}.",
                         "{name} ({code}), {start}–{end}. As of {as_of}."),
    "empty_store": ("Tietokannassa ei ole vielä seurantatietoja. Lataa työkirjat komennolla "
                    "`python -m vvr_metrics ingest`.",
                    "The store holds no monitoring data yet. Load workbooks with `python -m vvr_metrics ingest`."),
    "filtered": ("Rajattu kuntiin: {names}. Tavoitteet ovat koko hankkeen, ellei kunnalle ole omaa tavoitetta.",
                 "Filtered to: {names}. Targets are whole-project unless a municipality has its own."),
}


def ui(key: str, lang: str = "fi", **params: object) -> str:
    fi, en = UI[key]
    text = en if lang == "en" else fi
    return text.format(**params) if params else text
