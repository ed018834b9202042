"""Plotly figures with one theme: a colour-blind-safe palette (Okabe–Ito), women and men always in the
same two colours, targets drawn as lines or markers, Finnish number formats, titles that say what is
shown and up to when."""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from .formatting import fi_date, fi_number, percent_sign, separators
from .i18n import chart_label as label

# Okabe–Ito
BLUE, ORANGE, GREEN, SKY, VERMILION, PURPLE, YELLOW, GREY = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#56B4E9",
    "#D55E00",
    "#CC79A7",
    "#F0E442",
    "#999999",
)
WOMEN, MEN, UNKNOWN = PURPLE, SKY, GREY
REALISED, TARGET, FORECAST = BLUE, "#222222", ORANGE
STATUS_COLOURS = {"ahead": GREEN, "on_track": BLUE, "behind": VERMILION, None: GREY}
SOURCE_COLOURS = {"EU ja valtio": BLUE, "Kunta": GREEN, "Muu julkinen": SKY, "Yksityinen": ORANGE}

# The plotly toolbar's camera button: a PNG at presentation resolution (1920 × 1080 at scale 1).
PLOTLY_CONFIG = {
    "displaylogo": False,
    "toImageButtonOptions": {"format": "png", "width": 1600, "height": 900, "scale": 2},
}


@dataclass(frozen=True)
class ChartStyle:
    """How a chart is dressed: for the screen, or for a projector and a report page."""

    presentation: bool = False  # larger fonts and markers
    source: str = ""  # "Lähde: … seurantatiedot, tilanne 31.12.2014", under the plot
    acknowledgement: str = ""  # "Euroopan unioni – Euroopan sosiaalirahasto"


SCREEN = ChartStyle()
MONTH_TICKS = "%-m/%Y"  # 4/2011: the one way a month is written, in tables, charts and Tutki alike


def _white() -> go.layout.Template:
    """plotly_white cut to what these charts draw: its 2-D layout and its bar, scatter and histogram defaults.

    The full template carries defaults for some thirty trace kinds. Validating it cost about 10 ms of every
    figure, and it was 6 KB of every chart sent to the browser (bench/page_cpu.py); the look is the same."""
    full = pio.templates["plotly_white"].to_plotly_json()
    kept = ("autotypenumbers", "colorway", "font", "hovermode", "hoverlabel", "paper_bgcolor", "plot_bgcolor")
    kept += ("xaxis", "yaxis", "shapedefaults", "annotationdefaults", "title")
    return go.layout.Template(
        layout={k: full["layout"][k] for k in kept},
        data={kind: full["data"][kind] for kind in ("bar", "scatter", "histogram")},
    )


pio.templates["vvr_white"] = _white()


def _euro_axis(fig: go.Figure) -> None:
    """Whole euros with thousands separators (766 613 €), never SI prefixes (766k)."""
    fig.update_yaxes(tickformat=",.0f", ticksuffix=" €")


SIDE = 24  # px of margin left and right of every chart: no title, label or note ever touches the edge
SCREEN_WIDTH, PRESENTATION_WIDTH = 900, 1200  # the narrowest likely width of a chart on screen / on a projector


def _font(big: bool) -> dict[str, int]:
    return {"title": 30 if big else 18, "notes": 16 if big else 11}


def wrap(text: str, width_px: float, font_px: float) -> list[str]:
    """``text`` in lines that fit ``width_px`` at ``font_px`` (0.56 em a character: wider than the average of
    Source Sans Pro and Arial, so an estimate errs towards an early break, never a cut)."""
    per_line = max(int(width_px / (0.56 * font_px)), 10)
    lines: list[str] = []
    for word in text.split(" "):
        while len(word) > per_line:  # a word longer than the line: broken inside it
            if lines and not lines[-1]:
                lines.pop()
            lines.append(word[:per_line])
            word = word[per_line:]
        if lines and len(lines[-1]) + 1 + len(word) <= per_line:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


def title_of(fig: go.Figure) -> str:
    """A themed chart's title as written, not wrapped (for a slide's own title)."""
    return (fig.layout.meta or {}).get("title", fig.layout.title.text or "")


def untitled(fig: go.Figure) -> go.Figure:
    """A copy of a themed chart without its title; ``fit`` (as ``render.image`` does) gives its room to the plot."""
    out = go.Figure(fig)
    out.update_layout(meta={**dict(out.layout.meta or {}), "title": ""}, title_text="")
    return out


def _legend_rows(fig: go.Figure, room: float, font_px: float) -> int:
    """How many rows the horizontal legend takes at ``room`` px (an estimate that errs towards more rows)."""
    names = [t.name for t in fig.data if t.name and t.showlegend is not False]
    rows, used = (1, 0.0) if names else (0, 0.0)
    for name in names:
        item = len(name) * 0.56 * font_px + 45
        if used and used + item > room:
            rows, used = rows + 1, 0.0
        used += item
    return rows


def fit(fig: go.Figure, width: int, height: int | None = None) -> go.Figure:
    """A copy of a themed chart laid out for ``width`` × ``height`` px (default: its own height): the title, the
    legend and the notes wrapped to it, and the margins grown to hold them, so that nothing is cut at the edge or
    overlaps.

    Every chart is fitted to the narrowest likely screen when it is made; an exported image is fitted again to
    its own width (``render.image``)."""
    if "title" not in dict(fig.layout.meta or {}):  # not made by _theme
        return fig
    return _fit(go.Figure(fig), width, height)


def _fit(out: go.Figure, width: int, height: int | None = None) -> go.Figure:
    """``fit`` in place."""
    meta = dict(out.layout.meta or {})
    big = meta["big"]
    sizes = _font(big)
    room = width - 2 * SIDE
    title = wrap(meta["title"], room, sizes["title"]) if meta["title"] else []
    # the notes start at the plot's left edge, after the y axis' labels (their width estimated generously)
    notes = [line for note in meta["notes"] for line in wrap(note, room - meta["left"], sizes["notes"])]
    legend_font = 20 if big else 14
    title_px = 12 + len(title) * round(sizes["title"] * 1.35) if title else 0
    legend_px = _legend_rows(out, room, legend_font) * round(legend_font * 1.6)
    height = height or out.layout.height
    out.update_layout(
        # a title of several lines hangs from its first line's baseline, whatever its anchor
        title={"text": "<br>".join(title), "y": 1 - (12 + sizes["title"]) / height, "yanchor": "bottom"},
        legend={"xref": "container", "x": SIDE / width, "yref": "container", "y": 1 - (title_px + 8) / height},
        margin={
            # a y axis title would sit on the very edge where the axis pushes the margin: room for both, and more
            "l": SIDE + meta["left"] + round(1.6 * (22 if big else 14)) if out.layout.yaxis.title.text else SIDE,
            "t": title_px + 8 + legend_px + 12,
            "b": meta["axis_room"] + (len(notes) * round(sizes["notes"] * 1.4) + 10 if notes else 0),
        },
    )
    out.layout.annotations = [a for a in out.layout.annotations if a.name != "notes"]
    if notes:
        out.add_annotation(
            name="notes",
            text="<br>".join(notes),
            xref="paper",
            yref="paper",
            x=0,
            y=0,
            yshift=-meta["axis_room"] + 5,
            showarrow=False,
            xanchor="left",
            yanchor="top",
            align="left",
            font={"size": sizes["notes"], "color": "#555555"},
        )
    return out


def _theme(
    fig: go.Figure,
    title: str,
    as_of: dt.date | None,
    lang: str,
    height: int = 420,
    style: ChartStyle | None = None,
    note: str = "",
    left: int | None = None,
) -> go.Figure:
    """Every chart's dress: the title with the "tilanne" date, margins, fonts, and under the plot the source line,
    the acknowledgement and any ``note`` of the chart's own (each wrapped to the width, see ``fit``). ``left``: the px
    the y axis' labels take at most (default: room for "1 000 000 €")."""
    style = style or SCREEN
    big = style.presentation
    when = f" ({label('as_of', lang)} {fi_date(as_of, lang)})" if as_of else ""
    notes = [n for n in (note, style.source, style.acknowledgement) if n]
    axis_room = (45 if big else 30) + ((40 if big else 25) if fig.layout.xaxis.title.text else 0)
    fig.update_layout(
        title={
            "text": f"{title}{when}",
            "x": 0,
            "xref": "container",
            "xanchor": "left",
            "yref": "container",
            "pad": {"l": SIDE},
        },
        title_font_size=_font(big)["title"],
        separators=separators(lang),
        template="vvr_white",
        font={"family": "Source Sans Pro, Arial, sans-serif", "size": 22 if big else 14},
        legend={"orientation": "h", "yanchor": "top"},
        margin={"l": SIDE, "r": SIDE},
        height=int(height * 1.5) if big else height,
        meta={
            "title": f"{title}{when}",
            "notes": notes,
            "big": big,
            "axis_room": axis_room,
            "left": left if left is not None else (140 if big else 95),
        },
    )
    if big:
        fig.update_traces(selector={"type": "scatter"}, line_width=5)
        fig.update_xaxes(tickfont_size=20, title_font_size=22)
        fig.update_yaxes(tickfont_size=20, title_font_size=22)
        fig.update_layout(legend_font_size=20)
    _whole_ticks(fig)
    return _fit(fig, PRESENTATION_WIDTH if big else SCREEN_WIDTH)


def achieved_chart(
    status: pd.DataFrame,
    names: dict[str, str],
    as_of: dt.date,
    title: str,
    lang: str = "fi",
    style: ChartStyle | None = None,
) -> go.Figure:
    """% achieved of every indicator with a target, coloured by status, with the path's position now."""
    rows = status[status["achieved_pct"].notna()].iloc[::-1]
    share = (rows["expected"] / rows["target"] * 100).astype(float)
    fig = go.Figure()
    if (share < 99.95).any():  # at the end the path is the 100 % line itself; drawn first, under the labels
        fig.add_scatter(
            y=[names[c] for c in rows["indicator"]],
            x=share,
            mode="markers",
            name=label("expected", lang),
            marker={"symbol": "line-ns-open", "size": 22, "color": TARGET, "line": {"width": 3}},
            hovertemplate="%{y}: %{x:.1f}" + percent_sign(lang) + "<extra></extra>",
        )
    # one trace per status, so that the legend names each colour; the % is the table's, one decimal
    for status in ("ahead", "on_track", "behind", None):
        part = rows[rows["status"].isna()] if status is None else rows[rows["status"] == status]
        if part.empty:
            continue
        fig.add_bar(
            y=[names[c] for c in part["indicator"]],
            x=part["achieved_pct"].astype(float),
            orientation="h",
            marker_color=STATUS_COLOURS[status],
            name=label(status, lang) if status else label("achieved", lang),
            text=[fi_number(v, 1, "%", lang) for v in part["achieved_pct"]],
            # just short of 100 %, the label goes inside its bar: the 100 % line never runs through it
            textposition=["inside" if 85 <= v < 100.5 else "outside" for v in part["achieved_pct"]],
            insidetextanchor="end",
            cliponaxis=False,
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    fig.update_yaxes(categoryorder="array", categoryarray=[names[c] for c in rows["indicator"]])
    fig.add_vline(x=100, line_dash="dash", line_color=TARGET, layer="below")  # never over a label
    # room on the axis for a label beyond the longest bar ("150,0 %" was cut at the image's edge)
    longest = max([100.0, *rows["achieved_pct"].astype(float), *share.dropna()])
    fig.update_xaxes(title=label("achieved", lang), ticksuffix=percent_sign(lang), range=[0, longest * 1.15])
    fig.update_layout(barmode="overlay")
    longest_name = max((len(n) for n in names.values() if n), default=10)
    left = round(longest_name * 0.56 * (20 if style and style.presentation else 14)) + 20
    return _theme(fig, title, as_of, lang, height=180 + 34 * max(len(rows), 1), style=style, left=left)


CONTEXT = "context"  # a trace that frames the figures (a target, a path, a forecast, a hidden mark)


def _hidden_marks(
    fig: go.Figure, table: pd.DataFrame, x: list, columns: list[str], lang: str, horizontal: bool = False
) -> None:
    """An explicit "x" where a protected table hides a value, so that a hidden cell never looks like a zero
    (``horizontal``: ``x`` are the categories of a chart whose bars lie flat)."""
    hidden = table.attrs.get("hidden", set())
    xs = sorted({x[i] for i, col in hidden if col in columns and i < len(x)}, key=list(x).index)
    if xs:
        at = {"y": xs, "x": [0] * len(xs)} if horizontal else {"x": xs, "y": [0] * len(xs)}
        name = label("hidden_mark", lang)
        fig.add_scatter(
            **at,
            mode="text",
            text=["x"] * len(xs),
            textposition="middle right" if horizontal else "top center",
            textfont={"size": 18, "color": TARGET},
            name=name,
            hoverinfo="name",
            showlegend=False,  # a text trace's legend symbol is a stray "Aa"
            meta=CONTEXT,
        )
        fig.add_scatter(  # the legend entry: an x, not "Aa"
            x=[None], y=[None], mode="markers", name=name, meta=CONTEXT, hoverinfo="skip",
            marker={"symbol": "x-thin-open", "size": 12, "color": TARGET, "line": {"width": 2, "color": TARGET}},
        )  # fmt: skip


def nothing_to_show(fig: go.Figure) -> bool:
    """Whether a chart draws no realised value at all (no records, or every value hidden): such a chart is never
    published; its targets, paths and marks alone are only the frame."""
    for trace in fig.data:
        if trace.meta == CONTEXT:
            continue
        flat = getattr(trace, "orientation", None) == "h" or trace.type == "histogram"  # a histogram counts its x
        values = trace.x if flat else trace.y
        if values is not None and any(v is not None and not pd.isna(v) for v in values):
            return False
    return True


def _whole_ticks(fig: go.Figure) -> None:
    """Ticks one apart where every value is below 5: a 0–2 axis would read "0, 0,5, 1, 1,5" (or, rounded,
    "0 €, 1 €, 1 €, 2 €")."""
    flat = any(getattr(t, "orientation", None) == "h" for t in fig.data)
    values = [t.x if flat else t.y for t in fig.data]
    numbers = [
        float(v)
        for vs in values
        if vs is not None
        for v in vs
        if isinstance(v, int | float | np.number) and not isinstance(v, bool) and not pd.isna(v)
    ]
    if numbers and max(numbers) < 5:  # never a negative tick either (a chart of zeros centres on 0)
        axis = fig.update_xaxes if flat else fig.update_yaxes
        axis(dtick=1, rangemode="nonnegative", **({"range": [0, 1]} if max(numbers) <= 0 else {}))


def municipality_chart(
    table: pd.DataFrame,
    title: str,
    as_of: dt.date | None,
    lang: str = "fi",
    gender: bool = True,
    unit: str = "",
    style: ChartStyle | None = None,
) -> go.Figure:
    """Realised by municipality, split women/men (stacked), with the municipal targets as markers."""
    fig = go.Figure()
    x = table["municipality"].tolist()
    if gender:
        unknown = (table["actual"] - table["actual_women"].fillna(0) - table["actual_men"].fillna(0)).clip(lower=0)
        fig.add_bar(x=x, y=table["actual_women"].astype(float), name=label("women", lang), marker_color=WOMEN)
        fig.add_bar(x=x, y=table["actual_men"].astype(float), name=label("men", lang), marker_color=MEN)
        hidden = table.attrs.get("hidden", set())
        split_hidden = [any((i, c) in hidden for c in ("actual_women", "actual_men")) for i in range(len(table))]
        unknown = unknown.where(~pd.Series(split_hidden, index=unknown.index), 0)
        if float(unknown.sum()) > 0:
            fig.add_bar(x=x, y=unknown.astype(float), name=label("unknown", lang), marker_color=UNKNOWN)
        undivided = [(m, float(a)) for m, a, h in zip(x, table["actual"], split_hidden) if h and not pd.isna(a)]
        if undivided:  # the total is published where only its split is hidden: draw it, undivided
            fig.add_bar(
                x=[m for m, _ in undivided],
                y=[a for _, a in undivided],
                name=label("undivided", lang),
                marker_color=REALISED,
            )
        fig.update_layout(barmode="stack")
        _hidden_marks(fig, table, x, ["actual", "actual_women", "actual_men"], lang)
    else:
        fig.add_bar(x=x, y=table["actual"].astype(float), name=label("realised", lang), marker_color=REALISED)
        _hidden_marks(fig, table, x, ["actual"], lang)
    if table["target"].notna().any():
        fig.add_scatter(
            x=x,
            y=table["target"].astype(float),
            mode="markers",
            name=label("target", lang),
            marker={"symbol": "line-ew-open", "size": 40, "color": TARGET, "line": {"width": 3}},
            meta=CONTEXT,
        )
    fig.update_yaxes(rangemode="tozero")
    if unit:
        _euro_axis(fig)
    return _theme(fig, title, as_of, lang, style=style)


def yearly_chart(
    table: pd.DataFrame,
    title: str,
    as_of: dt.date | None,
    lang: str = "fi",
    unit: str = "",
    style: ChartStyle | None = None,
    partial: dict | None = None,
) -> go.Figure:
    """Realised by year with the yearly targets as markers. A year the view covers only in part (``partial``:
    year -> ``progress.PartialYear``) is labelled ``2013*`` and also gets its share of the target as an open marker."""
    partial = partial or {}
    fig = go.Figure()
    x = [f"{int(y)}*" if int(y) in partial else str(int(y)) for y in table["year"]]
    fig.add_bar(x=x, y=table["actual"].astype(float), name=label("realised", lang), marker_color=REALISED)
    _hidden_marks(fig, table, x, ["actual"], lang)
    if table["target"].notna().any():
        fig.add_scatter(
            x=x,
            y=table["target"].astype(float),
            mode="markers",
            name=label("target", lang),
            marker={"symbol": "line-ew-open", "size": 60, "color": TARGET, "line": {"width": 3}},
            meta=CONTEXT,
        )
        share = [partial[int(y)].share if int(y) in partial else None for y in table["year"]]
        if any(s is not None for s in share):
            fig.add_scatter(
                x=x,
                y=[t * s if s is not None and t == t else None for t, s in zip(table["target"].astype(float), share)],
                mode="markers",
                name=label("target_share", lang),
                marker={"symbol": "line-ew", "size": 60, "color": TARGET, "line": {"width": 2, "dash": "dot"}},
                meta=CONTEXT,
            )
    fig.update_xaxes(type="category")
    fig.update_yaxes(rangemode="tozero")
    if unit:
        _euro_axis(fig)
    return _theme(fig, title, as_of, lang, style=style)


def cumulative_chart(
    frame: pd.DataFrame,
    title: str,
    as_of: dt.date | None,
    lang: str = "fi",
    unit: str = "",
    style: ChartStyle | None = None,
    sparse: bool = False,
) -> go.Figure:
    """Cumulative realised by month against the linear target path, with the forecast to the end."""
    fig = go.Figure()
    months = frame["month"]
    # a public path has points at the reporting cut-offs only: markers on them, joined across the months between
    fig.add_scatter(
        x=months,
        y=frame["cumulative"],
        mode="lines+markers" if sparse else "lines",
        connectgaps=sparse,
        name=label("realised", lang),
        line={"color": REALISED, "width": 3},
    )
    if frame["path"].notna().any():
        fig.add_scatter(
            x=months,
            y=frame["path"],
            mode="lines",
            name=label("path", lang),
            line={"color": TARGET, "dash": "dash", "width": 2},
            meta=CONTEXT,
        )
    if frame["forecast"].notna().any():
        fig.add_scatter(
            x=months,
            y=frame["forecast"],
            mode="lines",
            name=label("forecast", lang),
            line={"color": FORECAST, "dash": "dot", "width": 3},
            meta=CONTEXT,
        )
    _now_and_ends(fig, frame, as_of, lang, unit)
    fig.update_xaxes(tickformat=MONTH_TICKS)
    fig.update_yaxes(rangemode="tozero")
    if unit:
        _euro_axis(fig)
    return _theme(fig, title, as_of, lang, style=style)


def _now_and_ends(fig: go.Figure, frame: pd.DataFrame, as_of: dt.date | None, lang: str, unit: str) -> None:
    """The cut-off as a dotted line ("tilanne 30.6.2013"), and the value at the end of each line written beside
    it (realised now; the path and the forecast at the project end), so that a slide needs no hovering."""
    months = list(frame["month"])
    if as_of and months and pd.Timestamp(months[0]) <= pd.Timestamp(as_of) < pd.Timestamp(months[-1]):
        fig.add_shape(
            type="line", xref="x", yref="paper", x0=as_of, x1=as_of, y0=0, y1=1, line={"color": GREY, "dash": "dot"}
        )
        fig.add_annotation(
            x=as_of, xref="x", y=1, yref="paper", text=f"{label('as_of', lang)} {fi_date(as_of, lang)}", showarrow=False,
            xanchor="right", yanchor="top", font={"color": GREY},
        )  # fmt: skip
    for column, colour in (("cumulative", REALISED), ("path", TARGET), ("forecast", FORECAST)):
        known = frame[frame[column].notna()]
        if known.empty:
            continue
        value = float(known[column].iloc[-1])
        fig.add_annotation(
            x=known["month"].iloc[-1], y=value, text=fi_number(value, 0, "€" if unit else "", lang), showarrow=False,
            xanchor="right", yanchor="bottom", yshift=4, font={"color": colour},
        )  # fmt: skip


def pivot_chart(
    table: pd.DataFrame,
    rows: list[str],
    title: str,
    lang: str = "fi",
    style: ChartStyle | None = None,
    names: dict[str, str] | None = None,
) -> go.Figure:
    """A bar chart matching the pivot table: one bar group per table row, top down in the table's order, one
    series per column (``names``: the columns' legend names, when not the column values themselves). Bars lie
    flat and the chart grows with its rows, so that labels of two or more row dimensions stay readable."""
    fig = go.Figure()
    value_cols = [c for c in table.columns if c not in rows]
    # category labels can be uploaded text: escaped, plotly shows them literally instead of as markup
    y = table[rows].astype(str).agg(" · ".join, axis=1).map(html.escape).tolist() if rows else ["Σ"] * len(table)
    palette = [BLUE, ORANGE, GREEN, SKY, VERMILION, PURPLE, YELLOW, GREY]
    for i, col in enumerate(value_cols):
        fig.add_bar(
            y=y,
            x=table[col].astype(float),
            orientation="h",
            name=html.escape(str((names or {}).get(col, col))) if col != "value" else label("realised", lang),
            marker_color={"N": WOMEN, "M": MEN}.get(col, palette[i % len(palette)]),
        )
    _hidden_marks(fig, table, y, value_cols, lang, horizontal=True)
    fig.update_yaxes(type="category", autorange="reversed")
    big = bool(style and style.presentation)
    left = round(max((len(s) for s in y), default=4) * 0.56 * (20 if big else 14)) + 20
    per_row = 10 + 14 * min(len(value_cols), 4)  # a group's bars, each thick enough to see
    return _theme(fig, title, None, lang, height=max(300, 170 + per_row * len(y)), style=style, left=left)


def funding_month_chart(
    by_month: pd.DataFrame,
    names: dict[str, str],
    title: str,
    as_of: dt.date | None,
    lang: str = "fi",
    style: ChartStyle | None = None,
) -> go.Figure:
    """Realised euros per month, stacked by funding source."""
    fig = go.Figure()
    for source, group in by_month.groupby("source", sort=False):
        fig.add_bar(
            x=group["month"],
            y=group["amount"],
            name=names.get(source, source),
            marker_color=SOURCE_COLOURS.get(source, GREY),
        )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(tickformat=MONTH_TICKS)
    _euro_axis(fig)
    return _theme(fig, title, as_of, lang, style=style)


def funding_cumulative_chart(
    cumulative: pd.DataFrame,
    granted: dict[str, float | None],
    title: str,
    as_of: dt.date | None,
    lang: str = "fi",
    style: ChartStyle | None = None,
) -> go.Figure:
    """Cumulative EU-and-state and public funding against the granted amounts (dashed lines)."""
    fig = go.Figure()
    for key, colour in (("eu_state", BLUE), ("public", GREEN)):
        fig.add_scatter(
            x=cumulative["month"],
            y=cumulative[key],
            mode="lines",
            name=label(key, lang),
            line={"color": colour, "width": 3},
        )
        if granted.get(key):
            fig.add_hline(
                y=granted[key],
                line_dash="dash",
                line_color=colour,
                annotation_text=f"{label('granted', lang)}: {label(key, lang)}",
                annotation_position="top left",
            )
    fig.update_xaxes(tickformat=MONTH_TICKS)
    fig.update_yaxes(rangemode="tozero")
    _euro_axis(fig)
    return _theme(fig, title, as_of, lang, style=style)


def reference_chart(
    values: tuple[float, ...], ours: float, title: str, source: str, lang: str = "fi", style: ChartStyle | None = None
) -> go.Figure:
    """Distribution of utilisation % among projects, this project marked."""
    clipped = [min(max(v, 0.0), 120.0) for v in values]
    fig = go.Figure()
    fig.add_histogram(
        x=clipped,
        xbins={"start": 0, "end": 120, "size": 5},
        marker_color=SKY,
        name=f"{len(values)} {label('projects', lang)}",
    )
    fig.add_vline(
        x=ours,
        line_color=VERMILION,
        line_width=3,
        annotation_text=f"{label('this_project', lang)}: {fi_number(ours, 1, '%', lang)}",
        annotation_position="top left",
    )
    fig.update_xaxes(title=label("utilisation", lang), ticksuffix=percent_sign(lang))
    fig.update_yaxes(title=label("projects_axis", lang), tickformat=",d")
    big = bool(style and style.presentation)
    return _theme(fig, title, None, lang, height=380, style=style, note=source, left=70 if big else 50)


def describe(fig: go.Figure, lang: str = "fi") -> str:
    """The values a chart draws, as text: the alt text of a slide's picture (and a way to check what it shows).
    Hidden values read ``x``; points not drawn are left out."""
    parts = []
    for trace in fig.data:
        horizontal = getattr(trace, "orientation", None) == "h"
        keys = trace.y if horizontal else trace.x
        values = trace.x if horizontal else trace.y
        if keys is None or values is None:
            continue
        texts = trace.text if getattr(trace, "text", None) is not None and not isinstance(trace.text, str) else None
        points = []
        for i, (key, value) in enumerate(zip(keys, values)):
            if isinstance(value, str):  # a marker line drawn across categories (e.g. the target path's "now")
                key, value = value, key
            if texts is not None and texts[i] == "x":
                shown = "x"
            elif value is None or pd.isna(value):
                continue
            elif texts is not None and texts[i]:
                shown = str(texts[i])
            else:
                shown = fi_number(value, 0 if float(value) == int(float(value)) else 1, "", lang)
            if isinstance(key, dt.date | pd.Timestamp | np.datetime64):
                key = pd.Timestamp(key).strftime("%-m/%Y")
            points.append(f"{key} {shown}".replace("\u00a0", " "))
        if points:
            parts.append(f"{trace.name}: " + "; ".join(points))
    return ". ".join(parts)
