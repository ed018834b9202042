"""The dashboard's slideshow: the deck's slides (``report.slides``) as HTML for one 16:9 screen each.

Every text is escaped here: a slide shows the catalogue's names, figures and the view's municipalities, and none
of it is ever read as HTML. Sizes are in units of the slide's width (``--u``, a hundredth of it), so a slide
fills a 1920 × 1080 projector and a 1280 × 720 laptop alike.
"""

from __future__ import annotations

import base64
import functools
import html

from . import emblem
from .i18n import ui
from .report import Slide

# A chart's picture: laid out at 1200 × 500 px and drawn larger, so that its text reads like the slide's.
PICTURE = (1920, 800, 1.6)

# The slide is the largest 16:9 box that fits the window; nothing but the slide and its three buttons shows.
CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"] { display: none !important; }
:root { --vvr-w: min(100vw, calc(100vh * 16 / 9)); --vvr-h: calc(var(--vvr-w) * 9 / 16); --vvr-u: calc(var(--vvr-w) / 100); }
[data-testid="stMain"] { padding: 0 !important; }
[data-testid="stMainBlockContainer"] { max-width: var(--vvr-w) !important; width: var(--vvr-w); padding: 0 !important;
  margin: 0 auto; }
.st-key-slide { height: var(--vvr-h) !important; min-height: var(--vvr-h); box-sizing: border-box; padding: calc(2.2 * var(--vvr-u)) calc(3 * var(--vvr-u));
  gap: calc(1.2 * var(--vvr-u)); overflow: hidden; background: #fff; }
.vvr-slide h1 { font-size: calc(3.1 * var(--vvr-u)); line-height: 1.15; margin: 0; padding: 0; font-weight: 700; }
.vvr-slide .vvr-lines { font-size: calc(2.2 * var(--vvr-u)); margin-top: calc(2 * var(--vvr-u)); line-height: 1.5; }
.vvr-slide.vvr-title { padding-top: calc(9 * var(--vvr-u)); }
.vvr-slide.vvr-title h1 { font-size: calc(4 * var(--vvr-u)); }
.vvr-slide table { border-collapse: collapse; width: 100%; font-size: calc(1.55 * var(--vvr-u)); }
.vvr-slide th, .vvr-slide td { padding: calc(0.45 * var(--vvr-u)) calc(0.6 * var(--vvr-u)); border-bottom: 1px solid #ccd;
  text-align: left; vertical-align: bottom; }
.vvr-slide th { font-weight: 700; border-bottom: 2px solid #334; }
.vvr-slide .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.st-key-slide .stElementContainer:has([data-testid="stImage"]) { flex: 1 1 0; min-height: 0; width: 100%; }
.st-key-slide .stElementContainer:has([data-testid="stImage"]) div { height: 100%; width: 100%; }
.st-key-slide [data-testid="stImage"] img { height: 100% !important; width: 100% !important; object-fit: contain; }
.st-key-slide [data-testid="stElementToolbar"] { display: none !important; }
.st-key-slide > div:last-child { margin-top: auto; }
.vvr-foot { font-size: calc(1.25 * var(--vvr-u)); line-height: 1.35; color: #223; }
.vvr-foot .vvr-eu { display: flex; align-items: center; gap: calc(1 * var(--vvr-u)); margin-top: calc(0.5 * var(--vvr-u)); }
.vvr-foot img { height: calc(3 * var(--vvr-u)); width: auto; flex: none; }
.vvr-foot .vvr-count { float: right; color: #556; }
.st-key-slide_prev, .st-key-slide_next, .st-key-slide_exit { position: fixed; z-index: 100; width: auto !important; }
.st-key-slide_prev { left: calc(0.6 * var(--vvr-u)); top: calc(50vh - 4 * var(--vvr-u)); }
.st-key-slide_next { right: calc(0.6 * var(--vvr-u)); top: calc(50vh - 4 * var(--vvr-u)); }
.st-key-slide_exit { right: calc(0.6 * var(--vvr-u)); top: calc(0.6 * var(--vvr-u)); }
.st-key-slide_prev button, .st-key-slide_next button, .st-key-slide_exit button {
  min-height: calc(8 * var(--vvr-u)); min-width: calc(6 * var(--vvr-u)); font-size: calc(2.4 * var(--vvr-u));
  opacity: 0; transition: opacity 0.4s; }
.st-key-slide_exit button { min-height: calc(4 * var(--vvr-u)); font-size: calc(1.4 * var(--vvr-u)); }
body.vvr-moving .st-key-slide_prev button, body.vvr-moving .st-key-slide_next button,
body.vvr-moving .st-key-slide_exit button, .st-key-slide_prev button:hover, .st-key-slide_next button:hover,
.st-key-slide_exit button:hover, .st-key-slide_prev button:focus-visible, .st-key-slide_next button:focus-visible,
.st-key-slide_exit button:focus-visible { opacity: 0.9; }
</style>
"""

# The buttons show while the mouse moves and for two seconds after (our own script; it reads no data).
SCRIPT = """
<script>
if (!window.vvrSlideMouse) {
  window.vvrSlideMouse = true;
  let timer = null;
  document.addEventListener("mousemove", () => {
    document.body.classList.add("vvr-moving");
    clearTimeout(timer);
    timer = setTimeout(() => document.body.classList.remove("vvr-moving"), 2000);
  });
}
</script>
"""


@functools.cache
def _emblem_src() -> str:
    """The emblem as a data URI (the same on every slide and every rerun)."""
    return "data:image/svg+xml;base64," + base64.b64encode(emblem.svg(60).encode()).decode()


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def head(slide: Slide) -> str:
    """The slide's title, and a title slide's lines or a table slide's table."""
    if slide.kind == "title":
        lines = "".join(f"<div>{_e(line)}</div>" for line in slide.lines)
        return f'<div class="vvr-slide vvr-title"><h1>{_e(slide.title)}</h1><div class="vvr-lines">{lines}</div></div>'
    body = ""
    if slide.kind == "table" and slide.table is not None:
        cls = [' class="num"' if n else "" for n in slide.numeric]
        heads = "".join(f"<th{c}>{_e(h)}</th>" for c, h in zip(cls, slide.table.columns))
        rows = "".join(
            "<tr>" + "".join(f"<td{c}>{_e(v)}</td>" for c, v in zip(cls, row)) + "</tr>"
            for row in slide.table.itertuples(index=False)
        )
        body = f"<table><thead><tr>{heads}</tr></thead><tbody>{rows}</tbody></table>"
    return f'<div class="vvr-slide"><h1>{_e(slide.title)}</h1>{body}</div>'


def foot(slide: Slide, index: int, count: int, lang: str) -> str:
    """The source line (with the cut-off), the slide's number, and the EU emblem with the acknowledgement."""
    number = ui("slide_count", lang, n=index + 1, count=count)
    eu = ""
    if slide.acknowledgement:
        alt = _e(ui("emblem_alt", lang))
        eu = (
            f'<div class="vvr-eu"><img src="{_emblem_src()}" alt="{alt}"><span>{_e(slide.acknowledgement)}</span></div>'
        )
    return f'<div class="vvr-foot"><span class="vvr-count">{_e(number)}</span><div>{_e(slide.note)}</div>{eu}</div>'
