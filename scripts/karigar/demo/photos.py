"""Tiny, valid JPEGs for ``karigar demo --photos``.

Encoding a JPEG per file would dominate the run at 300,000 products, so a
small palette of distinct images is encoded once per run and the bytes are
written wherever a photo is needed.  Pillow's encoder is deterministic for
the same input, so the tree stays byte-identical between runs.
"""

from __future__ import annotations

import io

from PIL import Image, ImageDraw

__all__ = ["photo_palette", "MAX_PHOTO_BYTES"]

MAX_PHOTO_BYTES = 4096

# Colours of dyes, clays and woods the crafts use.
_COLOURS: tuple[tuple[int, int, int], ...] = (
    (31, 58, 147),
    (158, 27, 50),
    (212, 160, 23),
    (46, 125, 50),
    (121, 85, 72),
    (0, 121, 107),
    (233, 114, 76),
    (94, 53, 177),
    (250, 244, 230),
    (55, 71, 79),
    (198, 40, 40),
    (25, 118, 210),
)
_SIZE = (96, 72)


def _draw(pattern: int, ground: tuple[int, int, int], ink: tuple[int, int, int]) -> bytes:
    image = Image.new("RGB", _SIZE, ground)
    draw = ImageDraw.Draw(image)
    w, h = _SIZE
    if pattern == 0:
        # Patchwork of triangles, like a ralli quilt.
        for x in range(0, w, 24):
            for y in range(0, h, 24):
                draw.polygon([(x, y), (x + 24, y), (x, y + 24)], fill=ink)
    elif pattern == 1:
        # Stripes, like a woven shawl.
        for x in range(0, w, 12):
            draw.rectangle([x, 0, x + 5, h], fill=ink)
    elif pattern == 2:
        # A vessel's silhouette.
        draw.ellipse([w // 3, h // 5, 2 * w // 3, h - 6], fill=ink)
    else:
        # A portrait placeholder: head and shoulders.
        draw.ellipse([w // 2 - 12, 10, w // 2 + 12, 36], fill=ink)
        draw.rectangle([w // 2 - 24, 40, w // 2 + 24, h], fill=ink)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=70, optimize=False)
    return buffer.getvalue()


def photo_palette() -> tuple[tuple[bytes, ...], tuple[bytes, ...]]:
    """``(product_photos, portraits)``: distinct JPEGs, each under 4 KB."""
    products = tuple(
        _draw(pattern, _COLOURS[c], _COLOURS[(c + 5) % len(_COLOURS)])
        for pattern in range(3)
        for c in range(len(_COLOURS))
    )
    portraits = tuple(
        _draw(3, _COLOURS[c], _COLOURS[(c + 3) % len(_COLOURS)]) for c in range(len(_COLOURS))
    )
    return products, portraits
