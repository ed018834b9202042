"""No chart image is ever cut: every chart kind, rendered as the PNG download (1920 × 1080) and as laid out on a
1280 × 720 laptop screen (the main column beside the sidebar), in both languages and both styles, has nothing but
background within a band along its four edges. Read from the rendered image, not from the layout."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from PIL import Image
from test_report import needs_chromium

from vvr_metrics import catalogue, charts, explore, funding, progress
from vvr_metrics.charts import ChartStyle
from vvr_metrics.indicators import indicator_table, monthly_cumulative
from vvr_metrics.query import Query
from vvr_metrics.render import image
from vvr_metrics.settings import load_settings

ARTIFACTS = Path(__file__).resolve().parent / "artifacts" / "charts"
LAPTOP_MAIN_COLUMN = 850  # px of a chart beside the open sidebar in a 1280 × 720 window
BAND = 6  # px along every edge that must stay background


def _all_kinds(db, lang: str, big: bool) -> dict:
    """One figure of every chart kind on the example data, with the long titles and notes of a filtered view."""
    settings = load_settings()
    scope = "Hartola, Heinola ja Sysmä, 1.1.2012–30.6.2013" if lang == "fi" else "Hartola, Heinola and Sysmä"
    style = ChartStyle(
        big,
        f"Lähde: {settings.name} -hankkeen seurantatiedot, tilanne 30.6.2013 · {scope}",
        settings.funder_acknowledgement_en if lang == "en" else settings.funder_acknowledgement_fi,
    )
    names = {i.code: i.name(lang) for i in catalogue.CATALOGUE}
    as_of = dt.date(2013, 6, 30)
    whole = indicator_table(db, query=Query(until=as_of), include_empty=True)
    status = progress.status_table(whole, as_of, settings)
    by_m = indicator_table(db, by=["municipality"], query=Query(until=as_of))
    by_y = indicator_table(db, by=["year"], query=Query(until=as_of))
    jobs = "uudet_tyopaikat"
    path = progress.path_and_forecast(monthly_cumulative(db, jobs, Query(until=as_of)), 60.0, as_of, settings)
    frame = explore.explore_frame(db, Query(until=as_of))
    pivot = explore.pivot(frame[frame["indicator"] == jobs], ["municipality", "gender"], "year")
    by_month = funding.funding_by_month(db, Query(until=as_of))
    granted, _ = funding.granted_and_realised(whole)
    groups = funding.compare(funding.load_reference(), settings.code, 98.9)
    title = f"{names['tyollistetyt']}: {scope}"
    return {
        "achieved": charts.achieved_chart(status, names, as_of, title, lang, style=style),
        "municipality": charts.municipality_chart(
            by_m[by_m["indicator"] == jobs].reset_index(drop=True), title, as_of, lang, style=style
        ),
        "year": charts.yearly_chart(
            by_y[by_y["indicator"] == jobs].reset_index(drop=True), title, as_of, lang, style=style
        ),
        "cumulative": charts.cumulative_chart(path, title, as_of, lang, style=style),
        "pivot": charts.pivot_chart(pivot, ["municipality", "gender"], title, lang, style=style),
        "funding_month": charts.funding_month_chart(by_month, {}, title, as_of, lang, style=style),
        "funding_cumulative": charts.funding_cumulative_chart(
            funding.cumulative_funding(by_month), granted, title, as_of, lang, style=style
        ),
        "reference": charts.reference_chart(
            groups[0].utilisation, 98.9, title, funding.REFERENCE_SOURCE, lang, style=style
        ),
    }


def _ink_at_the_edges(png: bytes) -> list[str]:
    picture = Image.open(io.BytesIO(png)).convert("RGB")
    width, height = picture.size
    bands = {
        "left": (0, 0, BAND, height),
        "right": (width - BAND, 0, width, height),
        "top": (0, 0, width, BAND),
        "bottom": (0, height - BAND, width, height),
    }
    return [side for side, box in bands.items() if picture.crop(box).getextrema() != ((255, 255),) * 3]


@pytest.mark.parametrize("lang", ["fi", "en"])
@pytest.mark.parametrize("big", [False, True], ids=["screen", "presentation"])
def test_no_chart_image_is_cut_at_any_edge(sample_db, lang, big):
    needs_chromium()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    cut = {}
    for kind, fig in _all_kinds(sample_db, lang, big).items():
        download = image(fig, "png")  # 1920 × 1080, the layout 1280 × 720 scaled up
        laptop = charts.fit(fig, LAPTOP_MAIN_COLUMN).to_image(
            format="png", width=LAPTOP_MAIN_COLUMN, height=int(fig.layout.height), scale=1
        )
        for size, png in (("1920x1080", download), ("laptop", laptop)):
            (ARTIFACTS / f"{kind}_{size}_{'presentation' if big else 'screen'}_{lang}.png").write_bytes(png)
            if edges := _ink_at_the_edges(png):
                cut[f"{kind} {size}"] = edges
    assert cut == {}


def test_a_long_title_and_note_wrap_to_the_width():
    """Hand-counted: 0.56 em a character, so 18 px text fits 54 characters in 550 px."""
    assert charts.wrap("Uusien työpaikkojen kertyminen", 550, 18) == ["Uusien työpaikkojen kertyminen"]
    words = "Lähde: Verkostosta Voimaa -hankkeen seurantatiedot, tilanne 30.6.2013 · Hartola ja Heinola"
    assert charts.wrap(words, 550, 18) == [
        "Lähde: Verkostosta Voimaa -hankkeen seurantatiedot,",
        "tilanne 30.6.2013 · Hartola ja Heinola",
    ]
    assert charts.wrap("x" * 25, 100, 18) == ["x" * 10, "x" * 10, "x" * 5]  # never fewer than 10 a line
