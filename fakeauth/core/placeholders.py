"""Placeholder images: deterministic SVGs for the catalogue's image paths.

The same product, category and image number always give the same bytes, so
screenshots of a store page are stable from run to run.
"""

from __future__ import annotations

from html import escape

# One colour per category (by id, in turn), and a lighter and darker shade of each.
PALETTE = (
    ("#3b5b92", "#6f8fc7", "#233a61"),  # blue
    ("#2f7d6d", "#62b3a2", "#1b4f45"),  # teal
    ("#a0522d", "#d08a62", "#6b3319"),  # sienna
    ("#7a4f9a", "#ab85ca", "#4f2f68"),  # purple
    ("#8a7a2f", "#c0b062", "#5a4f19"),  # olive
    ("#a23b5b", "#d46f8f", "#6a2239"),  # rose
    ("#4b6b3b", "#7fa26d", "#2f4524"),  # green
    ("#5a5a6a", "#8f8fa0", "#37373f"),  # slate
)
WIDTH, HEIGHT = 640, 480
_LINE_CHARS = 20
_MAX_LINES = 4


def colours(category_id: int) -> tuple[str, str, str]:
    return PALETTE[(category_id - 1) % len(PALETTE)]


def _lines(text: str) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= _LINE_CHARS:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > _MAX_LINES:
        lines = [*lines[: _MAX_LINES - 1], lines[_MAX_LINES - 1] + "…"]
    return lines or [""]


def placeholder_svg(title: str, caption: str, category_id: int, number: int = 1) -> bytes:
    """An SVG with ``title`` large, ``caption`` below, on the category's colour.

    ``number`` (an image's place among a product's images) moves the circles, so a
    product's images differ from each other.
    """
    base, light, dark = colours(category_id)
    lines = _lines(title)
    size = 40 if max(len(line) for line in lines) <= 14 else 32
    top = HEIGHT / 2 - (len(lines) - 1) * size * 0.6 - 10
    cx, cy = (160 + 160 * (number % 3), 120 + 120 * ((number + 1) % 2))
    text = "".join(
        f'<text x="320" y="{top + i * size * 1.2:.0f}" font-size="{size}" font-weight="700"'
        f' text-anchor="middle" fill="#ffffff">{escape(line)}</text>'
        for i, line in enumerate(lines)
    )
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}"'
        f' viewBox="0 0 {WIDTH} {HEIGHT}" font-family="DejaVu Sans, Arial, sans-serif">'
        f"<title>{escape(title)}</title>"
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="{base}"/>'
        f'<circle cx="{cx}" cy="{cy}" r="190" fill="{light}" opacity="0.45"/>'
        f'<circle cx="{WIDTH - cx}" cy="{HEIGHT - cy}" r="120" fill="{dark}" opacity="0.5"/>'
        f"{text}"
        f'<text x="320" y="440" font-size="20" text-anchor="middle" fill="#ffffff"'
        f' opacity="0.85">{escape(caption)}</text>'
        "</svg>"
    )
    return svg.encode()
