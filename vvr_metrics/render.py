"""Server-side chart images (PNG, SVG) with kaleido and the system chromium.

One renderer is started on first use and kept for the life of the process: a browser start costs
about 2 s, an image from the running one about 0.2 s (shared/engineering-notes.md). That renderer is not
thread-safe (one task queue and one return queue for every caller: kaleido issues 441 and 444), and Streamlit
runs each session in its own thread, so every image is made under one lock: two callers never share the queues.
"""

from __future__ import annotations

import atexit
import threading
import warnings

import plotly.graph_objects as go

from .charts import fit

PNG_WIDTH, PNG_HEIGHT = 1920, 1080
_lock = threading.Lock()  # starting the renderer
_render_lock = threading.Lock()  # one image at a time: the shared return queue would swap pictures
_started = False


class RendererUnavailable(RuntimeError):
    """No chromium for kaleido (CI installs Debian's; nothing is downloaded)."""


def _ensure_server() -> None:
    global _started
    with _lock:
        if _started:
            return
        import kaleido

        try:
            kaleido.start_sync_server()
        except Exception as exc:  # kaleido raises RuntimeError and suggests a download when no browser exists
            raise RendererUnavailable(str(exc)) from exc
        _started = True
        atexit.register(_stop)


def _stop() -> None:
    try:
        import kaleido

        kaleido.stop_sync_server()
    except Exception:  # the process is exiting; nothing to clean up beyond this
        pass


def image(
    fig: go.Figure, fmt: str = "png", width: int = PNG_WIDTH, height: int = PNG_HEIGHT, scale: float = 1.5
) -> bytes:
    """The figure as PNG or SVG bytes, ``width`` × ``height`` pixels.

    The layout is drawn at ``1 / scale`` of that size and scaled up, so that text stays legible on a
    slide or a projector (a 1920 px layout makes 22 px text look tiny). Titles and notes wrap to the width.
    """
    _ensure_server()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "kopts is ignored if using a server": expected
        try:
            layout = (round(width / scale), round(height / scale))  # the title and notes wrapped to this image
            fitted = fit(fig, *layout)
            with _render_lock:
                return fitted.to_image(format=fmt, width=layout[0], height=layout[1], scale=scale)
        except Exception as exc:
            raise RendererUnavailable(str(exc)) from exc
