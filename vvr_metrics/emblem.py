"""The EU emblem, drawn from its published geometry: twelve gold stars on a blue rectangle.

The rectangle is one and a half times as wide as it is high. The stars stand upright, at the hours of a clock,
on an invisible circle whose radius is a third of the height. Each star's five points lie on a circle whose
radius is one eighteenth of the height. The colours are Reflex Blue and Yellow (RGB 0/51/153 and 255/204/0).
ESF publicity rules require the emblem beside "Euroopan unioni – Euroopan sosiaalirahasto".
"""

from __future__ import annotations

import io
import math

BLUE = "#003399"
YELLOW = "#FFCC00"
INNER = math.sin(math.radians(18)) / math.sin(math.radians(126))  # a regular star's inner radius, 0.382 of the outer


def star_centres(height: float) -> list[tuple[float, float]]:
    """The twelve stars' centres, from twelve o'clock clockwise, for an emblem ``height`` high."""
    cx, cy, r = 0.75 * height, height / 2, height / 3
    return [(cx + r * math.sin(math.radians(30 * k)), cy - r * math.cos(math.radians(30 * k))) for k in range(12)]


def star_points(cx: float, cy: float, outer: float) -> list[tuple[float, float]]:
    """An upright five-pointed star: ten corners, the first its top point."""
    points = []
    for k in range(10):
        radius = outer if k % 2 == 0 else outer * INNER
        angle = math.radians(36 * k)
        points.append((cx + radius * math.sin(angle), cy - radius * math.cos(angle)))
    return points


def svg(height: float = 200, label: str = "Euroopan unionin lippu") -> str:
    """The emblem as an SVG document (``label``: its text for screen readers, escaped)."""
    from html import escape

    width = 1.5 * height
    stars = "".join(
        '<polygon fill="{}" points="{}"/>'.format(
            YELLOW, " ".join(f"{x:.2f},{y:.2f}" for x, y in star_points(cx, cy, height / 18))
        )
        for cx, cy in star_centres(height)
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:g}" height="{height:g}" '
        f'viewBox="0 0 {width:g} {height:g}" role="img" aria-label="{escape(label)}">'
        f'<rect width="{width:g}" height="{height:g}" fill="{BLUE}"/>{stars}</svg>'
    )


def png(height: int = 200) -> bytes:
    """The emblem as a PNG, drawn at four times the size and scaled down for smooth edges."""
    from PIL import Image, ImageDraw

    big = 4 * height
    picture = Image.new("RGB", (round(1.5 * big), big), BLUE)
    draw = ImageDraw.Draw(picture)
    for cx, cy in star_centres(big):
        draw.polygon(star_points(cx, cy, big / 18), fill=YELLOW)
    out = io.BytesIO()
    picture.resize((round(1.5 * height), height), Image.LANCZOS).save(out, "PNG")
    return out.getvalue()
