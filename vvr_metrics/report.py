"""Report-ready output: the final-report indicator text, the Excel workbook of indicator tables, the
PowerPoint deck and chart images, each as the figures stood at a cut-off date, public or internal."""

from __future__ import annotations

import datetime as dt
import functools
import io
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from . import catalogue, disclosure, emblem, progress, store
from .charts import (
    ChartStyle,
    achieved_chart,
    cumulative_chart,
    describe,
    funding_cumulative_chart,
    label,
    municipality_chart,
    nothing_to_show,
    title_of,
    untitled,
    yearly_chart,
)
from .disclosure import indicator_rows
from .formatting import fi_date, fi_number, scope_label
from .i18n import localized, ui
from .indicators import by_measure, indicator_table, monthly_cumulative, on_entrepreneurship
from .query import Query
from .settings import ProjectSettings, load_settings
from .suppression import MARK

BREAKDOWNS = {
    "whole": (),
    "municipality": ("municipality",),
    "year": ("year",),
    "municipality_year": ("municipality", "year"),
}


@dataclass(frozen=True)
class ReportOptions:
    """What every export shares: the view (its cut-off, public or internal), the language, the acknowledgement."""

    query: Query = Query()
    lang: str = "fi"
    acknowledgement: bool = True

    @property
    def public(self) -> bool:
        return self.query.public

    def cutoff(self, settings: ProjectSettings) -> dt.date:
        return self.query.cutoff(settings)

    def filtered(self, settings: ProjectSettings) -> bool:
        return self.query.filtered(settings)

    def scope(self, settings: ProjectSettings) -> str:
        """The view an export shows (municipalities and period), said on its first line."""
        q = self.query
        since = q.since if q.since and q.since > settings.start else None
        return scope_label(q.municipalities, since, self.cutoff(settings) if since else None, settings, self.lang)

    def first_line(self, settings: ProjectSettings, what: str) -> str:
        """``<project> – <what> – <view> (internal)``: what a reader must know before the figures."""
        parts = [settings.name, what, self.scope(settings)]
        if parts[2].casefold() == what.casefold():  # the whole project's sheet of the whole project: said once
            parts.pop()
        return " – ".join(parts) + ("" if self.public else f" ({ui('internal_output', self.lang)})")


def warm_up() -> None:
    """Import the heavy libraries of the outputs and of the disclosure audit now (the server's start), not while
    the first visitor of a page waits (scipy alone takes 0.5 s)."""
    import openpyxl  # noqa: F401
    import scipy.optimize  # noqa: F401
    import scipy.sparse  # noqa: F401


def _plain_number(value: float, code: str, lang: str) -> str:
    unit = "€" if catalogue.BY_CODE[code].unit == catalogue.EUR else ""
    return fi_number(value, 0, unit, lang).replace("\u00a0", " ")


def _shown_number(value: float | None, code: str, lang: str) -> str:
    """A figure of the text, or the mark of a hidden one."""
    return MARK if value is None else _plain_number(value, code, lang)


def tables(
    path=None, options: ReportOptions = ReportOptions(), settings: ProjectSettings | None = None
) -> dict[str, tuple[pd.DataFrame, set]]:
    """Every breakdown as it stood at the cut-off: name -> (table, hidden cells). Public tables are protected.

    One export asks several times (text, sheets, charts); the protection is computed once per store version and
    options, and every caller gets its own copy."""
    settings = settings or load_settings()
    key = (str(store.resolve_db(path)), store.data_version(path), options, settings)
    return {
        name: (table.copy(), set(hidden)) for name, (table, hidden) in _tables(key, path, options, settings).items()
    }


@functools.lru_cache(maxsize=16)
def _tables(key: tuple, path, options: ReportOptions, settings: ProjectSettings) -> dict[str, tuple[pd.DataFrame, set]]:
    cutoff = options.cutoff(settings)
    raw = {name: (_breakdown(path, by, cutoff, options, settings), by) for name, by in BREAKDOWNS.items()}
    if not options.public:
        return {name: (table, set()) for name, (table, _) in raw.items()}
    # every public view is cut from one protected grid, so that no union of views reopens a hidden cell
    grid = disclosure.grid(path, settings)
    query = replace(options.query, until=cutoff)
    out = {}
    for name, (table, by) in raw.items():
        table = table.reset_index(drop=True)
        hidden = disclosure.hidden_cells(table, by, query, settings, grid)
        for row, column in hidden:
            table.iat[row, table.columns.get_loc(column)] = pd.NA
        out[name] = (table, hidden)
    return out


def _breakdown(path, by, cutoff: dt.date, options: ReportOptions, settings: ProjectSettings) -> pd.DataFrame:
    query = replace(options.query, until=cutoff)
    return indicator_table(path, by=by, query=query, include_empty=not by, settings=settings)


def report_text(path=None, options: ReportOptions = ReportOptions(), settings: ProjectSettings | None = None) -> str:
    """The indicator section in the funder's style, one paragraph per indicator."""
    settings = settings or load_settings()
    lang = options.lang
    whole, hidden = tables(path, options, settings)["whole"]
    paragraphs = []
    for rec in whole.astype(object).where(whole.notna(), None).to_dict("records"):
        ind = catalogue.BY_CODE[rec["indicator"]]
        women = ind.women_phrase(lang)
        parts = [f"{ind.name(lang)}:"]
        if rec["target"] is not None:
            planned = f"{ui('report_planned', lang)}: {_plain_number(rec['target'], ind.code, lang)}"
            if ind.has_gender and rec["target_women"] is not None:
                planned += f", {women} {_plain_number(rec['target_women'], ind.code, lang)}"
            parts.append(planned + ".")
        realised = f"{ui('report_realised', lang)}: {_shown_number(rec['actual'], ind.code, lang)}"
        whole_project = not options.public or not options.query.municipalities  # the splits: see _placement_split
        if ind.code == PLACEMENTS and whole_project:
            realised += _placement_split(path, options, settings)
        if ind.code == TRAININGS and whole_project and rec["actual"]:
            query = replace(options.query, until=options.cutoff(settings))
            business = _plain_number(on_entrepreneurship(path, TRAININGS, query), TRAININGS, lang)
            realised += " " + ui("report_training_split", lang, business=business)
        if ind.has_gender and (rec["actual_women"] is not None or options.public):
            realised += f", {women} {_shown_number(rec['actual_women'], ind.code, lang)}"
        parts.append(realised + ".")
        paragraphs.append(" ".join(parts))
    head = options.first_line(settings, ui("report_heading", lang, date=fi_date(options.cutoff(settings), lang)))
    if any(column in ("actual", "actual_women") for _, column in hidden):  # the text's columns: x means this
        head += "\n" + ui("suppression_note", lang)
    return head + "\n\n" + "\n\n".join(paragraphs) + "\n"


# The final report splits placements into employment measures (of them unsubsidised contracts) and placements
# in training or apprenticeship: "228 (72 ilman tukea) + 25". The measures are the workbook's Toimenpide values.
PLACEMENTS = "tyollistetyt"
TRAININGS = "koulutukset"
EMPLOYMENT_MEASURES = ("Työsopimus ilman tukea", "Tuettu työllistäminen")
UNSUBSIDISED, TRAINING = "Työsopimus ilman tukea", "Koulutus"


def _placement_split(path, options: ReportOptions, settings: ProjectSettings) -> str:
    """ " (228 työllistämistä, joista 72 ilman tukea, + 25 koulutukseen tai oppisopimukseen)", or "" without any.

    Public for the whole project only: it divides the same whole-project total as the municipalities do, but by
    measure, and a second division of a total cannot narrow down the first (any row sums fit any column sums)."""
    split = by_measure(path, PLACEMENTS, replace(options.query, until=options.cutoff(settings)))
    employed = sum(split.get(m, 0.0) for m in EMPLOYMENT_MEASURES)
    if not employed and not split.get(TRAINING):
        return ""
    lang = options.lang
    return " " + ui(
        "report_placement_split",
        lang,
        employed=_plain_number(employed, PLACEMENTS, lang),
        unsubsidised=_plain_number(split.get(UNSUBSIDISED, 0.0), PLACEMENTS, lang),
        training=_plain_number(split.get(TRAINING, 0.0), PLACEMENTS, lang),
    )


def source_line(options: ReportOptions, settings: ProjectSettings) -> str:
    return ui(
        "source_line", options.lang, project=settings.short_name, date=fi_date(options.cutoff(settings), options.lang)
    )


def acknowledgement(options: ReportOptions, settings: ProjectSettings) -> str:
    if not options.acknowledgement:
        return ""
    return localized(settings.funder_acknowledgement_fi, settings.funder_acknowledgement_en, options.lang)


def write_xlsx(
    path=None, out=None, options: ReportOptions = ReportOptions(), settings: ProjectSettings | None = None
) -> bytes:
    """The indicator tables as a workbook: a sheet per breakdown, number formats, widths, frozen header,
    the source and date in the first rows, and the suppression note on public sheets."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    from .exports import set_cell
    from .formatting import headers

    settings = settings or load_settings()
    lang = options.lang
    heads = headers(lang)
    wb = Workbook()
    wb.remove(wb.active)
    for name, (table, hidden) in tables(path, options, settings).items():
        ws = wb.create_sheet(ui(f"sheet_{name}", lang))
        set_cell(ws.cell(1, 1), options.first_line(settings, ui(f"sheet_{name}", lang)))
        ws.cell(1, 1).font = Font(bold=True, size=13)
        set_cell(
            ws.cell(2, 1),
            " · ".join(x for x in (source_line(options, settings), acknowledgement(options, settings)) if x),
        )
        note = ui("suppression_note", lang) if hidden else ""
        set_cell(ws.cell(3, 1), note)
        header_row = 5
        columns = list(table.columns)
        for c, col in enumerate(columns, start=1):
            cell = ws.cell(header_row, c)
            set_cell(cell, heads.get(col, col).strip())
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        hidden_cells = hidden
        for r, rec in enumerate(table.astype(object).where(table.notna(), None).to_dict("records")):
            ind = catalogue.BY_CODE[rec["indicator"]]
            fmt = '#,##0 "€"' if ind.unit == catalogue.EUR else "#,##0"
            for c, col in enumerate(columns, start=1):
                cell = ws.cell(header_row + 1 + r, c)
                value = rec[col]
                if col == "indicator":
                    set_cell(cell, ind.name(lang))
                elif (r, col) in hidden_cells:
                    set_cell(cell, MARK)
                    cell.alignment = Alignment(horizontal="right")
                elif col in ("municipality", "month"):
                    set_cell(cell, value or "")
                elif col == "year":
                    cell.value = int(value) if value is not None else None
                elif value is not None:
                    cell.value = round(float(value), 2)
                    cell.number_format = fmt
        widths = {"indicator": 38, "municipality": 14, "year": 8}
        for c, col in enumerate(columns, start=1):
            ws.column_dimensions[ws.cell(header_row, c).column_letter].width = widths.get(col, 14)
        ws.freeze_panes = ws.cell(header_row + 1, 2)
        ws.page_setup.orientation = "landscape"
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    return _saved(wb, out)


def figures(
    path=None,
    options: ReportOptions = ReportOptions(),
    settings: ProjectSettings | None = None,
    presentation: bool = True,
    notes: bool = True,
) -> dict[str, object]:
    """The key charts, dressed for slides: name -> plotly figure (with the source note under each, unless
    ``notes`` is off because the slide carries it)."""
    from . import funding

    settings = settings or load_settings()
    lang = options.lang
    cutoff = options.cutoff(settings)
    note = source_line(options, settings) + (f" · {ui('suppression_short', lang)}" if options.public else "")
    style = ChartStyle(
        presentation=presentation,
        source=note if notes else "",
        acknowledgement=acknowledgement(options, settings) if notes else "",
    )
    names = {i.code: i.name(lang) for i in catalogue.CATALOGUE}
    data = tables(path, options, settings)
    whole = data["whole"][0]
    status = progress.status_table(whole, cutoff, settings, since=options.query.since)
    figs = {}
    if status["achieved_pct"].notna().any():  # a view with no target (one municipality) has no such chart
        figs["achieved"] = achieved_chart(status, names, cutoff, ui("achieved_title", lang), lang, style=style)
    # one indicator's rows, with the hidden cells that the charts draw as "x"
    jobs_year = indicator_rows(*data["year"], "uudet_tyopaikat")
    figs["jobs_by_year"] = yearly_chart(
        jobs_year, ui("by_year", lang, name=names["uudet_tyopaikat"]), cutoff, lang, style=style
    )
    companies = indicator_rows(*data["municipality"], "uudet_yritykset")
    split = not companies["actual_women"].isna().any()  # the split may be hidden in public output
    figs["companies_by_municipality"] = municipality_chart(
        companies,
        ui("by_municipality" if split else "by_municipality_plain", lang, name=names["uudet_yritykset"]),
        cutoff,
        lang,
        gender=split,
        style=style,
    )
    # the path and the forecast run over every record up to the cut-off, whatever the view's start
    to_cutoff_query = replace(options.query, since=None, until=cutoff)
    to_cutoff = indicator_table(path, query=to_cutoff_query, settings=settings)
    target = to_cutoff.loc[to_cutoff["indicator"] == "uudet_tyopaikat", "target"]
    path_frame = progress.path_and_forecast(
        monthly_cumulative(path, "uudet_tyopaikat", to_cutoff_query, settings),
        float(target.iloc[0]) if len(target) and target.notna().iloc[0] else None,
        cutoff,
        settings,
    )
    if options.public:  # month-by-month counts are small numbers: the public path shows reporting cut-offs only
        shown = disclosure.shown_cutoffs(path, "uudet_tyopaikat", to_cutoff_query, settings)
        path_frame = progress.public_path(path_frame, settings, shown)
    figs["jobs_cumulative"] = cumulative_chart(
        path_frame,
        ui("cumulative", lang, genitive=catalogue.BY_CODE["uudet_tyopaikat"].genitive(lang)),
        cutoff,
        lang,
        style=style,
        sparse=options.public,  # cut-offs only: markers joined across the months between, as on the page
    )
    granted, _ = funding.granted_and_realised(whole)
    by_month = funding.funding_by_month(path, replace(options.query, until=cutoff))
    figs["funding"] = funding_cumulative_chart(
        funding.cumulative_funding(by_month), granted, ui("funding_cumulative", lang), cutoff, lang, style=style
    )
    # a chart with nothing to show (no records, or every value hidden) is left out of every output
    return {name: fig for name, fig in figs.items() if not nothing_to_show(fig)}


def write_pngs(
    path=None, out_dir=None, options: ReportOptions = ReportOptions(), settings: ProjectSettings | None = None
) -> list[Path]:
    """Every key chart as a 1920 × 1080 PNG (and an SVG beside it)."""
    from .render import image

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, fig in figures(path, options, settings).items():
        for fmt in ("png", "svg"):
            target = out / f"{name}.{fmt}"
            target.write_bytes(image(fig, fmt))
            written.append(target)
    return written


def images_zip(path=None, options: ReportOptions = ReportOptions(), settings: ProjectSettings | None = None) -> bytes:
    """Every key chart as PNG and SVG, in one zip."""
    import tempfile
    import zipfile

    buf = io.BytesIO()
    with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(buf, "w") as zf:
        for file in write_pngs(path, tmp, options, settings):
            zf.write(file, file.name)
    return buf.getvalue()


EMBLEM_NAME = "EU emblem"  # the emblem picture's shape name on every slide
DECK_ROWS = 7  # indicators per table slide
DECK_PT = 18  # no text on a slide is smaller: it is read from the back of a seminar room
DECK_COLUMNS = ("target", "target_women", "actual", "actual_women", "actual_men", "achieved_pct", "status")


@dataclass(frozen=True, eq=False)
class Slide:
    """One slide of the deck and of the slideshow: a title slide (``lines``), an overview table (``table``, text
    cells with unique headers; ``numeric`` says which columns hold numbers) or a key chart (``figure``, without
    its title, which the slide carries). Every slide has its source line and the acknowledgement."""

    kind: str  # "title", "table" or "chart"
    title: str
    note: str
    acknowledgement: str
    lines: tuple[str, ...] = ()
    table: pd.DataFrame | None = None
    numeric: tuple[bool, ...] = ()
    figure: object = None
    description: str = ""  # a chart's values as text (the picture's alt text)


def slides(path=None, options: ReportOptions = ReportOptions(), settings: ProjectSettings | None = None) -> list[Slide]:
    """The deck's sequence: the title, the overview table (``DECK_ROWS`` indicators a slide), one slide per key
    chart. The same slides make the PowerPoint deck and the dashboard's slideshow."""
    settings = settings or load_settings()
    lang = options.lang
    cutoff = options.cutoff(settings)
    ack = acknowledgement(options, settings)
    note = " · ".join(
        x for x in (source_line(options, settings), ui("suppression_short", lang) if options.public else "") if x
    )
    out = [
        Slide(
            "title",
            settings.name,
            note,
            ack,
            lines=(
                ui("deck_subtitle", lang, code=settings.code, date=fi_date(cutoff, lang)),
                options.scope(settings) + ("" if options.public else f" ({ui('internal_output', lang)})"),
            ),
        )
    ]
    whole, hidden = tables(path, options, settings)["whole"]
    status = progress.status_table(whole, cutoff, settings, since=options.query.since)
    heads = [ui("deck_indicator", lang), *(ui(f"deck_{c}", lang) for c in DECK_COLUMNS)]
    rows = []
    for row, rec in enumerate(status.astype(object).where(status.notna(), None).to_dict("records")):
        code = rec["indicator"]
        cells = [catalogue.BY_CODE[code].name(lang)]
        cells += [
            MARK if (row, h) in hidden else "–" if rec[h] is None else _plain_number(rec[h], code, lang)
            for h in DECK_COLUMNS[:5]
        ]
        cells.append("–" if rec["achieved_pct"] is None else fi_number(rec["achieved_pct"], 1, "%", lang))
        cells.append(label(rec["status"], lang) if rec["status"] else "–")
        rows.append(cells)
    pages = [rows[i : i + DECK_ROWS] for i in range(0, len(rows), DECK_ROWS)]
    numeric = (False, *(True,) * (len(heads) - 2), False)  # names and the status on the left, numbers right
    heading = (  # the view's title, as on the overview page (a Heinola deck is not "koko hanke")
        ui("overview_title_view", lang, scope=options.scope(settings))
        if options.filtered(settings)
        else ui("overview_title", lang)
    )
    for number, page in enumerate(pages, start=1):  # at projector size, thirteen indicators take two slides
        part = f" ({number}/{len(pages)})" if len(pages) > 1 else ""
        table = pd.DataFrame(page, columns=heads)
        out.append(
            Slide(
                "table",
                heading + part,
                source_line(options, settings),
                ack,
                table=table,
                numeric=numeric,
            )
        )
    for fig in figures(path, options, settings, notes=False).values():
        out.append(Slide("chart", title_of(fig), note, ack, figure=untitled(fig), description=describe(fig, lang)))
    return out


def write_pptx(
    path=None, out=None, options: ReportOptions = ReportOptions(), settings: ProjectSettings | None = None
) -> bytes:
    """A deck of ``slides``: title slide, the overview as a native table, one slide per key chart. Every slide
    carries the source line and, with the acknowledgement on, the EU emblem beside "Euroopan unioni – Euroopan
    sosiaalirahasto"; no text is smaller than 18 pt."""
    from pptx import Presentation
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Emu, Inches, Pt

    from .render import image

    settings = settings or load_settings()
    lang = options.lang
    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(13.333), Inches(7.5)
    flag = emblem.png(120)

    def titled(slide, text: str) -> None:
        title = slide.shapes.title
        title.left, title.top, title.width, title.height = Inches(0.4), Inches(0.25), Inches(12.5), Inches(0.9)
        title.text = text
        _sized(title.text_frame, Pt(28))

    def footer(slide, spec: Slide) -> None:
        """The source line, and the emblem with the EU line, along the bottom of the slide."""
        boxes = [slide.shapes.add_textbox(Inches(0.4), Inches(6.05), Inches(12.5), Inches(0.7))]
        boxes[0].text_frame.text = spec.note
        if spec.acknowledgement:
            picture = slide.shapes.add_picture(io.BytesIO(flag), Inches(0.4), Inches(6.8), height=Inches(0.5))
            picture._element.nvPicPr.cNvPr.set("name", EMBLEM_NAME)
            picture._element.nvPicPr.cNvPr.set("descr", ui("emblem_alt", lang))
            boxes.append(slide.shapes.add_textbox(Inches(1.25), Inches(6.8), Inches(11.6), Inches(0.5)))
            boxes[1].text_frame.text = spec.acknowledgement
        for box in boxes:
            box.text_frame.word_wrap = True
            _sized(box.text_frame, Pt(DECK_PT), PP_ALIGN.LEFT)

    for spec in slides(path, options, settings):
        if spec.kind == "title":
            slide = deck.slides.add_slide(deck.slide_layouts[0])
            for shape, top, height in ((slide.shapes.title, 1.5, 1.6), (slide.placeholders[1], 3.3, 1.8)):
                shape.left, shape.width, shape.top, shape.height = (
                    Inches(0.8),
                    Inches(11.7),
                    Inches(top),
                    Inches(height),
                )
            slide.shapes.title.text = spec.title
            slide.placeholders[1].text = "\n".join(spec.lines)
            _sized(slide.placeholders[1].text_frame, Pt(24))
        elif spec.kind == "table":
            slide = deck.slides.add_slide(deck.slide_layouts[5])
            titled(slide, spec.title)
            frame = spec.table
            shape = slide.shapes.add_table(
                len(frame) + 1, frame.shape[1], Inches(0.3), Inches(1.15), Inches(12.7), Inches(0.45) * (len(frame) + 1)
            )
            grid = shape.table
            for c, width in enumerate((2.9, 1.45, 1.15, 1.45, 1.15, 1.15, 1.45, 1.9)):  # euros need the widest
                grid.columns[c].width = Inches(width)
            for c, head in enumerate(frame.columns):
                grid.cell(0, c).text = head
            for r, cells in enumerate(frame.itertuples(index=False), start=1):
                for c, text in enumerate(cells):
                    grid.cell(r, c).text = text
            for r in range(len(frame) + 1):
                for c in range(frame.shape[1]):
                    cell = grid.cell(r, c)
                    cell.margin_top = cell.margin_bottom = Inches(0.02)
                    cell.margin_left = cell.margin_right = Inches(0.06)
                    # numbers line up on the right, as in the funder's tables
                    _sized(cell.text_frame, Pt(DECK_PT), PP_ALIGN.RIGHT if spec.numeric[c] else PP_ALIGN.LEFT)
        else:
            slide = deck.slides.add_slide(deck.slide_layouts[5])
            titled(slide, spec.title)
            png = image(spec.figure, "png", 1920, 1000, scale=2)  # a smaller layout drawn larger: legible
            height = Inches(4.8)
            width = Emu(int(height * 1920 / 1000))
            picture = slide.shapes.add_picture(
                io.BytesIO(png), int((deck.slide_width - width) / 2), Inches(1.15), width, height
            )
            picture._element.nvPicPr.cNvPr.set("descr", spec.description)  # alt text: the values drawn
        footer(slide, spec)
    return _saved(deck, out)


def _sized(frame, size, align=None) -> None:
    """Every paragraph and run of a text frame at ``size`` (PowerPoint reads the run's size, not only the
    paragraph's default), aligned to ``align`` when given."""
    for paragraph in frame.paragraphs:
        paragraph.font.size = size
        if align is not None:
            paragraph.alignment = align
        for run in paragraph.runs:
            run.font.size = size


def _saved(document, out) -> bytes:
    """The bytes of an openpyxl workbook or a python-pptx deck, also written to ``out`` when given."""
    buf = io.BytesIO()
    document.save(buf)
    data = buf.getvalue()
    if out is not None:
        Path(out).write_bytes(data)
    return data
