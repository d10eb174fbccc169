#!/usr/bin/env python3
"""Draw the sample catalog's photos: small, deterministic and clearly synthetic.

    python scripts/tools/make_sample_photos.py            # (re)draw every referenced photo
    python scripts/tools/make_sample_photos.py --check    # only report missing, stale or oversized files
    python scripts/tools/make_sample_photos.py --prune    # also delete photos no entry references

The script reads every entry under ``artisans/`` and draws exactly the photos the entries
reference: the artisan's ``photo``, each product's ``photos`` and the ``photos/...`` images of
the Markdown bodies. What is drawn follows the entry's crafts (their colours and patterns) and
the file name (``vase``, ``cushion``, ``-detail``...), and every picture is seeded from its own
path, so a run always produces the same bytes with the same Pillow.

Portraits are 360x360, everything else 480x360; JPEGs without any metadata, each under
20 KB. It is a tool for the sample site only: it overwrites the files it draws, so never point
it at a catalog with real photographs.
"""

from __future__ import annotations

import argparse
import math
import random
import re
import sys
from pathlib import Path

import yaml
from PIL import Image, ImageDraw, ImageFilter

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "artisans"
MAX_BYTES = 20_000
TARGET_BYTES = 19_000
PRODUCT_SIZE = (480, 360)
PORTRAIT_SIZE = (360, 360)
SUPER = 2  # draw at twice the size, then downsample: cheap anti-aliasing

IMAGE_RE = re.compile(r"!\[[^\]]*\]\(\s*(photos/[^)\s]+)")

Color = tuple[int, int, int]
Box = tuple[float, float, float, float]


def hexc(value: str) -> Color:
    value = value.lstrip("#")
    return (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16))


def mix(a: Color, b: Color, t: float) -> Color:
    return (round(a[0] + (b[0] - a[0]) * t), round(a[1] + (b[1] - a[1]) * t), round(a[2] + (b[2] - a[2]) * t))


INDIGO, MADDER, BLACK, CREAM = hexc("1f2a5c"), hexc("9e1c22"), hexc("1b1a1f"), hexc("f3ead8")
GOLD, ORANGE, SAFFRON = hexc("e2a82a"), hexc("e06a1b"), hexc("f2c230")
COBALT, TURQUOISE, LEAF = hexc("1d3f9a"), hexc("2aa7b5"), hexc("3d8a4a")
MIRROR = hexc("d8dde4")


# ---------------------------------------------------------------- patterns
# A pattern paints the rectangle `box` of `img`; `s` is the scale of its motifs.

def pat_ajrak(d: ImageDraw.ImageDraw, box: Box, rng: random.Random, s: float) -> None:
    x0, y0, x1, y1 = box
    d.rectangle(box, fill=INDIGO)
    c = 70 * s
    y = y0
    while y < y1:
        x = x0
        while x < x1:
            cx, cy, r = x + c / 2, y + c / 2, c * 0.4
            d.regular_polygon((cx, cy, r), 4, rotation=0, fill=MADDER)
            d.regular_polygon((cx, cy, r), 4, rotation=45, fill=MADDER)
            d.ellipse([cx - r * 0.45, cy - r * 0.45, cx + r * 0.45, cy + r * 0.45], fill=BLACK)
            d.ellipse([cx - r * 0.14, cy - r * 0.14, cx + r * 0.14, cy + r * 0.14], fill=CREAM)
            d.ellipse([x - 4 * s, y - 4 * s, x + 4 * s, y + 4 * s], fill=CREAM)
            x += c
        y += c


RALLI_BOLD = [hexc(c) for c in ("c0272d", "f1c40f", "1b1a1f", "f4efe4", "2e7d4f", "e8771e", "23408e")]
RALLI_SOFT = [hexc(c) for c in ("f2b8c6", "fbf6ee", "a8d5b5", "f6d9a8", "e59aae", "cfe8d6")]


def _ralli(palette: list[Color], line: Color):
    def paint(d: ImageDraw.ImageDraw, box: Box, rng: random.Random, s: float) -> None:
        _ralli_cells(d, box, rng, s, palette, line)
    return paint


def _ralli_cells(d: ImageDraw.ImageDraw, box: Box, rng: random.Random, s: float, palette: list[Color], line: Color) -> None:
    x0, y0, x1, y1 = box
    c = 60 * s
    d.rectangle(box, fill=line)
    y = y0
    while y < y1:
        x = x0
        while x < x1:
            a, b = rng.sample(palette, 2)
            d.rectangle([x, y, x + c, y + c], fill=a)
            if rng.random() < 0.5:
                d.polygon([(x, y), (x + c, y), (x, y + c)], fill=b)
            else:  # a row of small appliqued triangles
                n = 4
                for i in range(n):
                    tx = x + i * c / n
                    d.polygon([(tx, y + c * 0.7), (tx + c / n, y + c * 0.7), (tx + c / (2 * n), y + c * 0.35)], fill=b)
            d.rectangle([x, y, x + c, y + c], outline=line, width=max(1, round(2 * s)))
            x += c
        y += c


def _mirrors(ground: Color, threads: list[Color]):
    def paint(d: ImageDraw.ImageDraw, box: Box, rng: random.Random, s: float) -> None:
        x0, y0, x1, y1 = box
        d.rectangle(box, fill=ground)
        c = 84 * s
        row = 0
        y = y0
        while y < y1 + c:
            x = x0 - (c / 2 if row % 2 else 0)
            while x < x1 + c:
                cx, cy = x + c / 2, y + c / 2
                col = threads[(row + int(x / c)) % len(threads)]
                for k in range(6):
                    ang = k * math.pi / 3
                    px, py = cx + math.cos(ang) * c * 0.3, cy + math.sin(ang) * c * 0.3
                    d.ellipse([px - 8 * s, py - 8 * s, px + 8 * s, py + 8 * s], fill=threads[(k + row) % len(threads)])
                r = c * 0.16
                d.ellipse([cx - r - 4 * s, cy - r - 4 * s, cx + r + 4 * s, cy + r + 4 * s], fill=col)
                d.ellipse([cx - r, cy - r, cx + r, cy + r], fill=MIRROR)
                d.ellipse([cx - r * 0.5, cy - r * 0.6, cx - r * 0.1, cy - r * 0.2], fill=(250, 250, 252))
                x += c
            y += c * 0.8
            row += 1
    return paint


def pat_balochi(d: ImageDraw.ImageDraw, box: Box, rng: random.Random, s: float) -> None:
    x0, y0, x1, y1 = box
    d.rectangle(box, fill=hexc("5a1419"))
    cols = [hexc("c62828"), hexc("2e7d32"), hexc("f5f0e6"), ORANGE, hexc("f9a825")]
    c = 34 * s
    j = 0
    y = y0
    while y < y1 + c:
        i = 0
        x = x0
        while x < x1 + c:
            cx, cy = x + c / 2, y + c / 2
            d.regular_polygon((cx, cy, c * 0.5), 4, fill=cols[(i + j) % len(cols)])
            d.regular_polygon((cx, cy, c * 0.24), 4, fill=cols[(i + j + 2) % len(cols)])
            x += c
            i += 1
        y += c
        j += 1


def pat_bandhani(d: ImageDraw.ImageDraw, box: Box, rng: random.Random, s: float) -> None:
    x0, y0, x1, y1 = box
    d.rectangle(box, fill=hexc("b3122e"))
    c = 56 * s
    r = 3.6 * s
    y = y0
    row = 0
    while y < y1 + c:
        x = x0 + (c / 2 if row % 2 else 0)
        while x < x1 + c:
            for dx, dy in ((0, -2), (-1, -1), (1, -1), (-2, 0), (0, 0), (2, 0), (-1, 1), (1, 1), (0, 2)):
                px, py = x + dx * 8 * s, y + dy * 8 * s
                fill = SAFFRON if (dx, dy) == (0, 0) else (250, 244, 232)
                d.ellipse([px - r, py - r, px + r, py + r], fill=fill)
            x += c
        y += c / 2
        row += 1


def _chikan(ground: Color):
    def paint(d: ImageDraw.ImageDraw, box: Box, rng: random.Random, s: float) -> None:
        x0, y0, x1, y1 = box
        d.rectangle(box, fill=ground)
        thread, shadow = (252, 252, 250), mix(ground, (120, 120, 130), 0.25)
        c = 96 * s
        y = y0
        while y < y1 + c:
            x = x0
            while x < x1 + c:
                cx, cy = x + c / 2, y + c / 2
                d.arc([cx - c * 0.4, cy - c * 0.4, cx + c * 0.4, cy + c * 0.4], 200, 340, fill=thread, width=max(1, round(3 * s)))
                for k in range(5):
                    ang = math.radians(210 + k * 30)
                    lx, ly = cx + math.cos(ang) * c * 0.4, cy + math.sin(ang) * c * 0.4
                    d.ellipse([lx - 9 * s, ly - 5 * s, lx + 9 * s, ly + 5 * s], fill=shadow, outline=thread, width=max(1, round(2 * s)))
                for k in range(6):
                    ang = k * math.pi / 3
                    px, py = cx + math.cos(ang) * 11 * s, cy + 10 * s + math.sin(ang) * 11 * s
                    d.ellipse([px - 4 * s, py - 4 * s, px + 4 * s, py + 4 * s], fill=thread)
                x += c
            y += c
    return paint


def pat_phulkari(d: ImageDraw.ImageDraw, box: Box, rng: random.Random, s: float) -> None:
    x0, y0, x1, y1 = box
    d.rectangle(box, fill=hexc("8f2a1c"))
    c = 64 * s
    y = y0
    row = 0
    while y < y1 + c:
        x = x0 + (c / 2 if row % 2 else 0)
        while x < x1 + c:
            d.regular_polygon((x, y, c * 0.46), 4, fill=GOLD)
            d.regular_polygon((x, y, c * 0.3), 4, fill=ORANGE)
            d.regular_polygon((x, y, c * 0.12), 4, fill=hexc("f7e08a"))
            x += c
        y += c / 2
        row += 1


def bezier(a: tuple[float, float], c: tuple[float, float], b: tuple[float, float], n: int = 10) -> list[tuple[float, float]]:
    pts = []
    for i in range(1, n + 1):
        t = i / n
        pts.append(((1 - t) ** 2 * a[0] + 2 * (1 - t) * t * c[0] + t * t * b[0],
                    (1 - t) ** 2 * a[1] + 2 * (1 - t) * t * c[1] + t * t * b[1]))
    return pts


def _paisley(ground: Color, cols: list[Color]):
    def paint(d: ImageDraw.ImageDraw, box: Box, rng: random.Random, s: float) -> None:
        x0, y0, x1, y1 = box
        d.rectangle(box, fill=ground)
        c = 90 * s
        row = 0
        y = y0
        while y < y1 + c:
            x = x0 + (c / 2 if row % 2 else 0)
            while x < x1 + c:
                col = cols[(row + int(x / c)) % len(cols)]
                r = c * 0.2
                pts = [(x + r * math.cos(math.radians(a)), y + r * math.sin(math.radians(a))) for a in range(-20, 201, 10)]
                left, right = pts[-1], pts[0]
                tip = (x + r * 0.9, y - r * 1.9)
                pts += bezier(left, (x - r * 0.4, y - r * 1.6), tip) + bezier(tip, (x + r * 1.2, y - r * 0.9), right)
                d.polygon(pts, fill=col, outline=mix(col, BLACK, 0.4))
                d.ellipse([x - r * 0.5, y - r * 0.4, x + r * 0.5, y + r * 0.6], fill=ground)
                d.ellipse([x - r * 0.2, y - r * 0.1, x + r * 0.2, y + r * 0.3], fill=col)
                x += c
            y += c * 0.7
            row += 1
    return paint


def _weave(ground: Color):
    def paint(d: ImageDraw.ImageDraw, box: Box, rng: random.Random, s: float) -> None:
        x0, y0, x1, y1 = box
        d.rectangle(box, fill=ground)
        line = mix(ground, BLACK, 0.12)
        step = max(3, round(7 * s))
        for y in range(int(y0), int(y1), step):
            d.line([(x0, y), (x1, y)], fill=line, width=1)
    return paint


def _bordered(inner, color: Color):
    def paint(d: ImageDraw.ImageDraw, box: Box, rng: random.Random, s: float) -> None:
        inner(d, box, rng, s)
        x0, y0, x1, y1 = box
        for y in (y0 + 18 * s, y1 - 26 * s):
            d.rectangle([x0, y, x1, y + 4 * s], fill=color)
            d.rectangle([x0, y + 8 * s, x1, y + 9 * s], fill=color)
    return paint


def pat_stripes(d: ImageDraw.ImageDraw, box: Box, rng: random.Random, s: float) -> None:
    x0, y0, x1, y1 = box
    _weave(hexc("8b8f94"))(d, box, rng, s)
    c = 120 * s
    y = y0 + c / 3
    while y < y1:
        d.rectangle([x0, y, x1, y + 16 * s], fill=hexc("b5532a"))
        d.rectangle([x0, y + 22 * s, x1, y + 28 * s], fill=CREAM)
        y += c


def pat_checks(d: ImageDraw.ImageDraw, box: Box, rng: random.Random, s: float) -> None:
    x0, y0, x1, y1 = box
    c = 70 * s
    dark, mid, light = hexc("34363b"), hexc("7a7b7e"), hexc("e9e5dc")
    j = 0
    y = y0
    while y < y1:
        i = 0
        x = x0
        while x < x1:
            band = (i % 2 == 0) + (j % 2 == 0)
            d.rectangle([x, y, x + c, y + c], fill=(light, mid, dark)[band])
            x += c
            i += 1
        y += c
        j += 1


def pat_carpet(d: ImageDraw.ImageDraw, box: Box, rng: random.Random, s: float) -> None:
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    b = min(w, h) * 0.12
    d.rectangle(box, fill=hexc("efe3c8"))
    d.rectangle([x0 + b, y0 + b, x1 - b, y1 - b], fill=hexc("8e1b24"))
    d.rectangle([x0 + b * 0.6, y0 + b * 0.6, x1 - b * 0.6, y1 - b * 0.6], outline=hexc("1c2e5a"), width=max(2, round(4 * s)))
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    r = min(w, h) * 0.28
    d.regular_polygon((cx, cy, r), 8, rotation=22.5, fill=hexc("efe3c8"))
    d.regular_polygon((cx, cy, r * 0.7), 8, rotation=22.5, fill=hexc("1c2e5a"))
    d.regular_polygon((cx, cy, r * 0.35), 4, fill=hexc("c9862b"))
    for px, py in ((x0 + b, y0 + b), (x1 - b, y0 + b), (x0 + b, y1 - b), (x1 - b, y1 - b)):
        d.ellipse([px - r * 0.45, py - r * 0.45, px + r * 0.45, py + r * 0.45], fill=hexc("1c2e5a"))
    d.rectangle([x0, y0, x0 + b * 0.6, y1], fill=hexc("efe3c8"))
    d.rectangle([x1 - b * 0.6, y0, x1, y1], fill=hexc("efe3c8"))
    step = 26 * s
    y = y0 + step / 2
    while y < y1:
        for px in (x0 + b * 0.3, x1 - b * 0.3):
            d.regular_polygon((px, y, 8 * s), 4, fill=hexc("8e1b24"))
        y += step


def pat_pachedi(d: ImageDraw.ImageDraw, box: Box, rng: random.Random, s: float) -> None:
    x0, y0, x1, y1 = box
    red, black = hexc("a3201b"), BLACK
    d.rectangle(box, fill=hexc("efe2c6"))
    band = max(14 * s, (y1 - y0) * 0.12)
    for top in (y0, y1 - band):
        d.rectangle([x0, top, x1, top + band], fill=black)
        x = x0
        while x < x1:
            d.polygon([(x, top + band), (x + band, top + band), (x + band / 2, top + band * 0.25)], fill=red)
            x += band
    inner_h = (y1 - y0) - 2 * band
    fig = inner_h * 0.7
    n = max(1, round((x1 - x0) / (fig * 1.1)))
    for i in range(n):
        cx = x0 + (i + 0.5) * (x1 - x0) / n
        cy = y0 + band + inner_h / 2
        d.arc([cx - fig * 0.45, cy - fig * 0.55, cx + fig * 0.45, cy + fig * 0.35], 180, 360, fill=black, width=max(2, round(5 * s)))
        d.polygon([(cx, cy - fig * 0.15), (cx - fig * 0.25, cy + fig * 0.42), (cx + fig * 0.25, cy + fig * 0.42)], fill=red, outline=black)
        d.ellipse([cx - fig * 0.1, cy - fig * 0.36, cx + fig * 0.1, cy - fig * 0.16], fill=black)


def pat_truck(d: ImageDraw.ImageDraw, box: Box, rng: random.Random, s: float) -> None:
    x0, y0, x1, y1 = box
    d.rectangle(box, fill=hexc("123c3a"))
    cols = [hexc(c) for c in ("ff3d7f", "ffd23f", "3ddc84", "ff6b1a", "38b6ff", "f4f1de")]
    c = 100 * s
    j = 0
    y = y0
    while y < y1 + c:
        x = x0 + (c / 2 if j % 2 else 0)
        while x < x1 + c:
            petal, centre = rng.sample(cols, 2)
            for k in range(8):
                ang = k * math.pi / 4
                px, py = x + math.cos(ang) * c * 0.22, y + math.sin(ang) * c * 0.22
                d.ellipse([px - c * 0.12, py - c * 0.12, px + c * 0.12, py + c * 0.12], fill=petal, outline=BLACK)
            d.ellipse([x - c * 0.14, y - c * 0.14, x + c * 0.14, y + c * 0.14], fill=centre, outline=BLACK)
            d.ellipse([x + c * 0.3, y + c * 0.3, x + c * 0.48, y + c * 0.4], fill=LEAF)
            x += c
        y += c * 0.85
        j += 1


def pat_bluepottery(d: ImageDraw.ImageDraw, box: Box, rng: random.Random, s: float) -> None:
    x0, y0, x1, y1 = box
    d.rectangle(box, fill=hexc("f7f6f1"))
    c = 92 * s
    j = 0
    y = y0
    while y < y1 + c:
        x = x0 + (c / 2 if j % 2 else 0)
        while x < x1 + c:
            for k in range(6):
                ang = k * math.pi / 3
                px, py = x + math.cos(ang) * c * 0.17, y + math.sin(ang) * c * 0.17
                d.ellipse([px - c * 0.12, py - c * 0.12, px + c * 0.12, py + c * 0.12], fill=COBALT)
            d.ellipse([x - c * 0.1, y - c * 0.1, x + c * 0.1, y + c * 0.1], fill=TURQUOISE)
            d.ellipse([x + c * 0.32, y - c * 0.05, x + c * 0.5, y + c * 0.05], fill=TURQUOISE)
            d.ellipse([x - c * 0.5, y - c * 0.05, x - c * 0.32, y + c * 0.05], fill=hexc("3f8f6f"))
            x += c
        y += c * 0.8
        j += 1


def pat_lacquer(d: ImageDraw.ImageDraw, box: Box, rng: random.Random, s: float) -> None:
    x0, y0, x1, y1 = box
    cols = [hexc("c0261f"), hexc("f0c419"), hexc("1f7a3c"), hexc("1b1a1f")]
    h = 30 * s
    y, i = y0, 0
    while y < y1:
        col = cols[i % len(cols)]
        d.rectangle([x0, y, x1, y + h], fill=col)
        line = cols[(i + 1) % len(cols)]
        x = x0
        while x < x1:  # scratched zigzag
            d.line([(x, y + h * 0.3), (x + h * 0.5, y + h * 0.7), (x + h, y + h * 0.3)], fill=line, width=max(1, round(2 * s)))
            x += h
        y += h
        i += 1


def pat_wood(d: ImageDraw.ImageDraw, box: Box, rng: random.Random, s: float) -> None:
    x0, y0, x1, y1 = box
    base, dark, light = hexc("8a5a34"), hexc("5e3a1e"), hexc("a8774a")
    d.rectangle(box, fill=base)
    for k in range(int((y1 - y0) / (12 * s)) + 1):
        y = y0 + k * 12 * s
        pts = [(x, y + 3 * s * math.sin((x - x0) / (40 * s) + k)) for x in range(int(x0), int(x1) + 8, 8)]
        d.line(pts, fill=mix(base, dark, 0.35), width=max(1, round(s)))
    c = 100 * s
    y = y0 + c / 2
    while y < y1 + c / 2:
        x = x0 + c / 2
        while x < x1 + c / 2:
            r = c * 0.38
            d.ellipse([x - r, y - r, x + r, y + r], fill=dark)
            for k in range(8):
                ang = k * math.pi / 4
                px, py = x + math.cos(ang) * r * 0.55, y + math.sin(ang) * r * 0.55
                d.ellipse([px - r * 0.3, py - r * 0.3, px + r * 0.3, py + r * 0.3], fill=light)
                d.ellipse([px - r * 0.2 + 2 * s, py - r * 0.2 + 2 * s, px + r * 0.2 + 2 * s, py + r * 0.2 + 2 * s], fill=base)
            d.ellipse([x - r * 0.2, y - r * 0.2, x + r * 0.2, y + r * 0.2], fill=light)
            x += c
        y += c


def pat_camel(d: ImageDraw.ImageDraw, box: Box, rng: random.Random, s: float) -> None:
    x0, y0, x1, y1 = box
    d.rectangle(box, fill=hexc("d9822b"))
    c = 70 * s
    y = y0
    j = 0
    while y < y1 + c:
        x = x0 + (c / 2 if j % 2 else 0)
        while x < x1 + c:
            d.arc([x - c * 0.4, y - c * 0.4, x + c * 0.4, y + c * 0.4], 0, 180, fill=hexc("2f6b3a"), width=max(2, round(4 * s)))
            for k in range(5):
                ang = k * 2 * math.pi / 5
                px, py = x + math.cos(ang) * 7 * s, y + math.sin(ang) * 7 * s
                d.ellipse([px - 6 * s, py - 6 * s, px + 6 * s, py + 6 * s], fill=hexc("f6d25a"))
            d.ellipse([x - 4 * s, y - 4 * s, x + 4 * s, y + 4 * s], fill=hexc("8b2b12"))
            x += c
        y += c * 0.8
        j += 1


def pat_tilla(d: ImageDraw.ImageDraw, box: Box, rng: random.Random, s: float) -> None:
    x0, y0, x1, y1 = box
    d.rectangle(box, fill=hexc("6b1024"))
    c = 30 * s
    j = 0
    y = y0
    while y < y1 + c:
        x = x0 + (c / 2 if j % 2 else 0)
        while x < x1 + c:
            d.regular_polygon((x, y, c * 0.36), 4, fill=hexc("e0b44c"))
            d.ellipse([x - 3 * s, y - 3 * s, x + 3 * s, y + 3 * s], fill=(250, 246, 236))
            x += c
        y += c * 0.6
        j += 1


def pat_onyx(d: ImageDraw.ImageDraw, box: Box, rng: random.Random, s: float) -> None:
    x0, y0, x1, y1 = box
    d.rectangle(box, fill=hexc("7fa77a"))
    for k in range(int((y1 - y0) / (10 * s)) + 2):
        y = y0 + k * 10 * s
        col = mix(hexc("7fa77a"), hexc("e9f0dc") if k % 3 else hexc("3f6b45"), 0.5)
        pts = [(x, y + 12 * s * math.sin((x - x0) / (70 * s) + k * 0.3)) for x in range(int(x0), int(x1) + 8, 8)]
        d.line(pts, fill=col, width=max(2, round(4 * s)))


PATTERNS = {
    "ajrak": pat_ajrak,
    "ralli": _ralli(RALLI_BOLD, BLACK),
    "ralli-soft": _ralli(RALLI_SOFT, hexc("c98f9e")),
    "mirrors-black": _mirrors(BLACK, [hexc("d7262e"), ORANGE, SAFFRON, hexc("2e8b57")]),
    "mirrors-red": _mirrors(hexc("a51b25"), [SAFFRON, hexc("f4efe4"), hexc("1f6fb2"), hexc("2e8b57")]),
    "balochi": pat_balochi,
    "bandhani": pat_bandhani,
    "chikan": _chikan(hexc("dfe8ee")),
    "chikan-pink": _chikan(hexc("f1d6da")),
    "phulkari": pat_phulkari,
    "paisley": _paisley(hexc("efe1d2"), [hexc("b34a5e"), hexc("4f7d4a"), hexc("8a2432")]),
    "pashmina-plain": _bordered(_weave(hexc("eadfca")), hexc("b76e79")),
    "plainwool": _weave(hexc("1f6f73")),
    "leather": _weave(hexc("b07a45")),
    "stripes": pat_stripes,
    "checks": pat_checks,
    "carpet": pat_carpet,
    "pachedi": pat_pachedi,
    "truck": pat_truck,
    "bluepottery": pat_bluepottery,
    "lacquer": pat_lacquer,
    "wood": pat_wood,
    "camel": pat_camel,
    "tilla": pat_tilla,
    "onyx": pat_onyx,
}

CRAFT_PATTERN = {
    "ajrak-block-printing": "ajrak",
    "ralli-quilting": "ralli",
    "sindhi-embroidery": "mirrors-black",
    "kutch-embroidery": "mirrors-red",
    "bandhani": "bandhani",
    "chikankari": "chikan",
    "phulkari": "phulkari",
    "pashmina-shawls": "paisley",
    "handloom-shawls": "stripes",
    "hand-knotted-carpets": "carpet",
    "mata-ni-pachedi": "pachedi",
    "truck-art": "truck",
    "blue-pottery": "bluepottery",
    "lacquer-woodwork": "lacquer",
    "wood-carving": "wood",
    "camel-skin-lamps": "camel",
    "khussa-footwear": "tilla",
    "onyx-carving": "onyx",
    "balochi-embroidery": "balochi",
}

# File-name words that choose the pattern before the crafts do (first match wins).
NAME_PATTERN = [
    ("tilla", "tilla"), ("truck-art", "truck"), ("leather", "leather"), ("bandhani", "bandhani"),
    ("baby", "ralli-soft"), ("ralli", "ralli"), ("striped", "stripes"), ("checked", "checks"), ("merino", "plainwool"),
    ("plain-pashmina", "pashmina-plain"), ("sozni", "paisley"), ("rug", "carpet"), ("dupatta", None),
]

# File-name words that choose what is drawn (first match wins).
NAME_OBJECT = [
    ("workshop", "workshop"), ("-detail", "detail"), ("-folded", "stack"), ("lantern", "lantern"), ("lamp", "lamp"),
    ("khussa", "khussa"), ("vase", "vase"), ("plates", "plates"), ("tea-set", "teaset"),
    ("knobs", "knobs"), ("bowl", "bowl"), ("box", "box"), ("candle", "candles"), ("tray", "tray"),
    ("cushion", "cushions"), ("tote", "bag"), ("clutch", "clutch"), ("kurta", "kurta"),
    ("rug", "rug"), ("runner", "runner"), ("table-cover", "tablecover"), ("pachedi-panel", "frame"),
    ("wall-panel", "frame"), ("wall-hanging", "hanging"), ("dress-front", "hanging"),
    ("quilt", "spread"), ("throw", "spread"), ("bedsheet", "spread"),
    ("shawl", "folded"), ("stole", "folded"), ("dupatta", "folded"),
]
CRAFT_OBJECT = {"blue-pottery": "vase", "wood-carving": "tray", "lacquer-woodwork": "box",
                "camel-skin-lamps": "lamp", "khussa-footwear": "khussa", "onyx-carving": "bowl"}


def choose_pattern(stem: str, crafts: list[str]) -> str:
    if "chikankari" in crafts:
        return "chikan-pink" if "dupatta" in stem else "chikan"
    for word, key in NAME_PATTERN:
        if word in stem and key:
            return key
    for craft in crafts:
        if craft in CRAFT_PATTERN:
            return CRAFT_PATTERN[craft]
    return "ralli"


def choose_object(stem: str, crafts: list[str]) -> str:
    for word, kind in NAME_OBJECT:
        if word in stem:
            return kind
    for craft in crafts:
        if craft in CRAFT_OBJECT:
            return CRAFT_OBJECT[craft]
    return "folded"


# ---------------------------------------------------------------- drawing helpers

class Scene:
    """A supersampled canvas with helpers to place patterned shapes with soft shadows."""

    def __init__(self, size: tuple[int, int], rng: random.Random) -> None:
        self.out_size = size
        self.w, self.h = size[0] * SUPER, size[1] * SUPER
        self.img = Image.new("RGB", (self.w, self.h), CREAM)
        self.rng = rng

    def draw(self) -> ImageDraw.ImageDraw:
        return ImageDraw.Draw(self.img)

    def studio(self) -> None:
        wall = self.rng.choice([hexc("e9e2d6"), hexc("dfe3e0"), hexc("ece4dc")])
        table = self.rng.choice([hexc("b99a76"), hexc("a7896a"), hexc("c6b199")])
        d = self.draw()
        horizon = self.h * 0.58
        for y in range(0, self.h, 4):
            t = y / self.h
            col = mix(wall, mix(wall, BLACK, 0.08), t) if y < horizon else mix(table, mix(table, BLACK, 0.2), (y - horizon) / (self.h - horizon))
            d.rectangle([0, y, self.w, y + 4], fill=col)

    def mask(self) -> tuple[Image.Image, ImageDraw.ImageDraw]:
        m = Image.new("L", (self.w, self.h), 0)
        return m, ImageDraw.Draw(m)

    def shadow(self, mask: Image.Image, dx: float = 14, dy: float = 18, strength: float = 0.35) -> None:
        shifted = Image.new("L", mask.size, 0)
        shifted.paste(mask, (int(dx), int(dy)))
        shifted = shifted.filter(ImageFilter.GaussianBlur(18)).point(lambda v: int(v * strength))
        self.img.paste(Image.new("RGB", self.img.size, (30, 24, 20)), (0, 0), shifted)

    def fill(self, mask: Image.Image, pattern: str, box: Box, scale: float = 1.0, shadow: bool = True) -> None:
        if shadow:
            self.shadow(mask)
        layer = Image.new("RGB", self.img.size, CREAM)
        PATTERNS[pattern](ImageDraw.Draw(layer), box, self.rng, scale * SUPER)
        self.img.paste(layer, (0, 0), mask)

    def shade(self, mask: Image.Image, color: Color, alpha: float) -> None:
        self.img.paste(Image.new("RGB", self.img.size, color), (0, 0), mask.point(lambda v: int(v * alpha)))

    def result(self) -> Image.Image:
        small = self.img.resize(self.out_size, Image.Resampling.LANCZOS)
        return small.filter(ImageFilter.GaussianBlur(0.4))


def bbox_of(points: list[tuple[float, float]]) -> Box:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return (min(xs), min(ys), max(xs), max(ys))


def lathe(cx: float, top: float, height: float, radius) -> list[tuple[float, float]]:
    """Outline of a turned object: radius(t) for t in 0..1 from top to bottom."""
    right = [(cx + radius(i / 40), top + height * i / 40) for i in range(41)]
    left = [(cx - radius(1 - i / 40), top + height * (1 - i / 40)) for i in range(41)]
    return right + left


# ---------------------------------------------------------------- objects

def draw_object(sc: Scene, kind: str, pattern: str, stem: str) -> None:
    w, h, rng = sc.w, sc.h, sc.rng
    if kind == "detail":
        PATTERNS[pattern](sc.draw(), (0, 0, w, h), rng, 1.8 * SUPER)
        m, md = sc.mask()
        md.ellipse([-w * 0.2, -h * 0.25, w * 1.2, h * 1.25], fill=255)
        sc.shade(m.point(lambda v: 255 - v).filter(ImageFilter.GaussianBlur(60)), BLACK, 0.45)
        return
    if kind == "workshop":
        d = sc.draw()
        for y in range(0, h, 4):
            d.rectangle([0, y, w, y + 4], fill=mix(hexc("9cc7e6"), hexc("f5e6c8"), y / h))
        d.rectangle([0, h * 0.78, w, h], fill=hexc("c9a878"))
        d.line([(w * 0.04, h * 0.18), (w * 0.96, h * 0.22)], fill=BLACK, width=4)
        for px in (w * 0.04, w * 0.96):
            d.rectangle([px - 6, h * 0.12, px + 6, h * 0.9], fill=hexc("6d4c2f"))
        for i, pat in enumerate(("ajrak", "ajrak", "ajrak")):
            x0 = w * (0.1 + i * 0.29)
            pts = [(x0, h * 0.2), (x0 + w * 0.24, h * 0.21), (x0 + w * 0.23, h * 0.74), (x0 + w * 0.01, h * 0.72)]
            m, md = sc.mask()
            md.polygon(pts, fill=255)
            sc.fill(m, pat, bbox_of(pts), scale=0.8 + 0.2 * i)
        return

    sc.studio()
    m, md = sc.mask()
    if kind in ("folded", "spread", "runner", "tablecover", "rug"):
        if kind == "folded":
            pts = [(w * 0.2, h * 0.3), (w * 0.8, h * 0.26), (w * 0.84, h * 0.74), (w * 0.16, h * 0.78)]
        elif kind == "spread":
            pts = [(w * 0.06, h * 0.16), (w * 0.94, h * 0.12), (w * 0.98, h * 0.9), (w * 0.02, h * 0.94)]
        elif kind == "runner":
            pts = [(w * 0.02, h * 0.5), (w * 0.98, h * 0.44), (w * 0.99, h * 0.66), (w * 0.03, h * 0.72)]
        elif kind == "rug":
            pts = [(w * 0.16, h * 0.14), (w * 0.84, h * 0.14), (w * 0.88, h * 0.88), (w * 0.12, h * 0.88)]
        else:
            md.ellipse([w * 0.12, h * 0.2, w * 0.88, h * 0.9], fill=255)
            sc.fill(m, pattern, (w * 0.12, h * 0.2, w * 0.88, h * 0.9))
            return
        md.polygon(pts, fill=255)
        sc.fill(m, pattern, bbox_of(pts))
        d = sc.draw()
        if kind == "folded":  # fold shading and fringe
            fm, fmd = sc.mask()
            fmd.polygon([(w * 0.2, h * 0.3), (w * 0.8, h * 0.26), (w * 0.81, h * 0.4), (w * 0.19, h * 0.44)], fill=255)
            sc.shade(fm, (255, 255, 255), 0.12)
            d.line([(w * 0.19, h * 0.44), (w * 0.81, h * 0.4)], fill=(40, 30, 30), width=3)
            for i in range(40):
                x = w * 0.16 + i * (w * 0.68) / 40
                y = h * 0.78 - (h * 0.04) * i / 40
                d.line([(x, y), (x + 4, y + h * 0.06)], fill=mix(CREAM, BLACK, 0.3), width=3)
        if kind == "rug":
            for y in (h * 0.14, h * 0.88):
                for i in range(50):
                    x = w * 0.16 + i * w * 0.68 / 50
                    d.line([(x, y), (x, y + (-h * 0.04 if y < h / 2 else h * 0.04))], fill=CREAM, width=3)
        return
    if kind == "stack":  # a cloth folded into a pile of layers, fringe hanging at the front
        d = sc.draw()
        for i in range(3):
            top = h * (0.3 + 0.1 * i)
            box = (w * (0.3 - 0.01 * i), top, w * (0.7 + 0.01 * i), top + h * 0.12)
            m, md = sc.mask()
            md.rounded_rectangle(box, radius=18, fill=255)
            sc.fill(m, pattern, box, scale=0.8)
            sc.draw().line([(box[0] + 10, box[3] - 3), (box[2] - 10, box[3] - 3)], fill=mix(CREAM, BLACK, 0.35), width=3)
        d = sc.draw()
        for i in range(34):
            x = w * 0.3 + i * w * 0.4 / 34
            d.line([(x, h * 0.62), (x + 3, h * 0.72)], fill=mix(CREAM, BLACK, 0.3), width=3)
        return
    if kind in ("hanging", "frame"):
        box = (w * 0.26, h * 0.1, w * 0.74, h * 0.86) if kind == "hanging" else (w * 0.22, h * 0.1, w * 0.78, h * 0.86)
        if kind == "frame":
            md.rectangle(box, fill=255)
            sc.shadow(m)
            sc.draw().rectangle(box, fill=hexc("5a3a22"))
            m, md = sc.mask()
            inner = (box[0] + 28, box[1] + 28, box[2] - 28, box[3] - 28)
            md.rectangle(inner, fill=255)
            sc.fill(m, pattern, inner, shadow=False)
        else:
            md.rectangle(box, fill=255)
            sc.fill(m, pattern, box)
            sc.draw().rectangle([box[0] - 20, box[1] - 8, box[2] + 20, box[1] + 8], fill=hexc("6d4c2f"))
        return
    if kind == "cushions":
        n = 2 if ("pair" in stem or "covers" in stem) else 1
        size = h * (0.5 if n == 2 else 0.62)
        for i in range(n):
            cx = w / 2 + (i - (n - 1) / 2) * size * 1.05
            cy = h * 0.52 + (i % 2) * h * 0.04
            box = (cx - size / 2, cy - size / 2, cx + size / 2, cy + size / 2)
            m, md = sc.mask()
            md.rounded_rectangle(box, radius=size * 0.16, fill=255)
            sc.fill(m, pattern, box)
            edge, emd = sc.mask()
            emd.rounded_rectangle(box, radius=size * 0.16, fill=255)
            emd.rounded_rectangle([box[0] + 24, box[1] + 24, box[2] - 24, box[3] - 24], radius=size * 0.14, fill=0)
            sc.shade(edge.filter(ImageFilter.GaussianBlur(10)), BLACK, 0.35)
        return
    if kind in ("bag", "clutch"):
        d = sc.draw()
        if kind == "bag":
            box = (w * 0.28, h * 0.32, w * 0.72, h * 0.9)
            for hx in (w * 0.36, w * 0.54):
                d.arc([hx, h * 0.12, hx + w * 0.1, h * 0.52], 180, 360, fill=hexc("3b2f2a"), width=12)
            md.polygon([(box[0], box[1]), (box[2], box[1]), (box[2] + 20, box[3]), (box[0] - 20, box[3])], fill=255)
        else:
            box = (w * 0.22, h * 0.36, w * 0.78, h * 0.76)
            md.rounded_rectangle(box, radius=30, fill=255)
        sc.fill(m, pattern, box)
        if kind == "clutch":
            sc.draw().line([(box[0] + 20, box[1] + 26), (box[2] - 20, box[1] + 26)], fill=hexc("c9c2b0"), width=8)
        return
    if kind == "kurta":
        pts = [(w * 0.42, h * 0.08), (w * 0.58, h * 0.08), (w * 0.78, h * 0.16), (w * 0.9, h * 0.5), (w * 0.82, h * 0.53),
               (w * 0.7, h * 0.3), (w * 0.7, h * 0.95), (w * 0.3, h * 0.95), (w * 0.3, h * 0.3), (w * 0.18, h * 0.53),
               (w * 0.1, h * 0.5), (w * 0.22, h * 0.16)]
        md.polygon(pts, fill=255)
        sc.fill(m, pattern, bbox_of(pts), scale=0.7)
        sc.draw().ellipse([w * 0.45, h * 0.05, w * 0.55, h * 0.14], fill=mix(CREAM, BLACK, 0.1))
        return
    if kind in ("vase", "bowl", "box", "candles"):
        if kind == "vase":
            mid, girth, size = rng.uniform(0.55, 0.7), rng.uniform(0.2, 0.32), rng.uniform(0.13, 0.19)

            def vase(t: float) -> float:
                belly = size * math.exp(-(((t - mid) / girth) ** 2))
                lip = 0.035 * math.exp(-((t / 0.06) ** 2))
                return w * (0.045 + belly + lip) if t < 0.97 else w * 0.08
            shapes = [lathe(w / 2, h * 0.06, h * 0.86, vase)]
        elif kind == "bowl":
            shapes = [lathe(w / 2, h * 0.36, h * 0.44, lambda t: w * (0.32 - 0.18 * t ** 2))]
        elif kind == "box":
            if "open" in stem:
                shapes = [lathe(w * 0.38, h * 0.36, h * 0.5, lambda t: w * 0.16),
                          lathe(w * 0.72, h * 0.6, h * 0.16, lambda t: w * 0.17 if t > 0.1 else w * 0.12)]
            else:
                shapes = [lathe(w / 2, h * 0.24, h * 0.62, lambda t: w * (0.17 if t > 0.12 else 0.12 + 0.4 * t))]
        else:
            turned = lambda t: w * (0.035 + 0.05 * abs(math.sin(t * 7)) + (0.07 if t > 0.85 else 0))
            shapes = [lathe(w * 0.38, h * 0.16, h * 0.74, turned), lathe(w * 0.62, h * 0.16, h * 0.74, turned)]
        for pts in shapes:
            m, md = sc.mask()
            md.polygon(pts, fill=255)
            sc.fill(m, pattern, bbox_of(pts), scale=0.7)
            hl, hmd = sc.mask()
            x0, y0, x1, y1 = bbox_of(pts)
            hmd.ellipse([x0 + (x1 - x0) * 0.18, y0 + (y1 - y0) * 0.12, x0 + (x1 - x0) * 0.32, y0 + (y1 - y0) * 0.7], fill=255)
            sc.shade(Image.composite(hl, Image.new("L", hl.size, 0), m).filter(ImageFilter.GaussianBlur(14)), (255, 255, 255), 0.45)
        d = sc.draw()
        if kind == "bowl":
            d.ellipse([w * 0.18, h * 0.3, w * 0.82, h * 0.42], fill=hexc("f7f6f1"), outline=COBALT, width=6)
        if kind == "box" and "open" in stem:
            d.ellipse([w * 0.22, h * 0.32, w * 0.54, h * 0.4], fill=hexc("c79a66"))
        if kind == "candles":
            for cx in (w * 0.38, w * 0.62):
                d.ellipse([cx - w * 0.05, h * 0.13, cx + w * 0.05, h * 0.19], fill=hexc("c9a34e"))
        return
    if kind == "plates":
        d = sc.draw()
        for i, (cx, cy) in enumerate(((0.3, 0.38), (0.7, 0.38), (0.3, 0.72), (0.7, 0.72))):
            r = h * 0.24
            x, y = w * cx, h * cy
            m, md = sc.mask()
            md.ellipse([x - r, y - r * 0.8, x + r, y + r * 0.8], fill=255)
            sc.shadow(m)
            d.ellipse([x - r, y - r * 0.8, x + r, y + r * 0.8], fill=hexc("f7f6f1"), outline=TURQUOISE, width=10)
            m, md = sc.mask()
            md.ellipse([x - r * 0.62, y - r * 0.5, x + r * 0.62, y + r * 0.5], fill=255)
            sc.fill(m, pattern, (x - r, y - r, x + r, y + r), scale=0.6, shadow=False)
            d.regular_polygon((x, y, r * 0.3), 8, fill=COBALT)
        return
    if kind == "teaset":
        d = sc.draw()
        pot = lathe(w * 0.32, h * 0.28, h * 0.56, lambda t: w * (0.06 + 0.14 * math.sin(math.pi * t) ** 0.8))
        d.arc([w * 0.08, h * 0.36, w * 0.22, h * 0.7], 90, 270, fill=COBALT, width=14)
        d.polygon([(w * 0.44, h * 0.62), (w * 0.56, h * 0.34), (w * 0.58, h * 0.36), (w * 0.47, h * 0.72)], fill=COBALT)
        shapes = [pot] + [lathe(w * cx, h * 0.6, h * 0.24, lambda t: w * (0.06 - 0.015 * t)) for cx in (0.62, 0.8)]
        for pts in shapes:
            m, md = sc.mask()
            md.polygon(pts, fill=255)
            sc.fill(m, pattern, bbox_of(pts), scale=0.55)
        d.ellipse([w * 0.29, h * 0.22, w * 0.35, h * 0.3], fill=COBALT)
        return
    if kind == "knobs":
        d = sc.draw()
        for i in range(6):
            x, y, r = w * (0.25 + 0.25 * (i % 3)), h * (0.36 + 0.32 * (i // 3)), h * 0.11
            m, md = sc.mask()
            md.ellipse([x - r, y - r, x + r, y + r], fill=255)
            sc.fill(m, pattern, (x - r * 2, y - r * 2, x + r * 2, y + r * 2), scale=0.45 + 0.05 * i)
            d.ellipse([x - r * 0.5, y - r * 0.6, x - r * 0.1, y - r * 0.3], fill=(255, 255, 255))
        return
    if kind == "tray":
        box = (w * 0.1, h * 0.18, w * 0.9, h * 0.86)
        md.rounded_rectangle(box, radius=40, fill=255)
        sc.fill(m, pattern, box, scale=0.8)
        d = sc.draw()
        d.rounded_rectangle(box, radius=40, outline=hexc("4e2f17"), width=22)
        for hx in (w * 0.16, w * 0.84):
            d.ellipse([hx - 18, h * 0.46, hx + 18, h * 0.58], fill=hexc("2c1a0c"))
        return
    if kind in ("lamp", "lantern"):
        lit = "unlit" not in stem
        d = sc.draw()
        glow_bg = hexc("2a1d18") if lit else hexc("e4dccf")
        d.rectangle([0, 0, w, h], fill=glow_bg)
        if lit:
            g, gd = sc.mask()
            gd.ellipse([w * 0.22, h * 0.02, w * 0.78, h * 0.98], fill=255)
            sc.shade(g.filter(ImageFilter.GaussianBlur(70)), hexc("f6a33a"), 0.55)
        if kind == "lantern":
            d.line([(w / 2, 0), (w / 2, h * 0.22)], fill=hexc("c9a34e"), width=8)
            pts = lathe(w / 2, h * 0.22, h * 0.66, lambda t: w * (0.05 + 0.17 * math.sin(math.pi * t)))
        else:
            pts = lathe(w / 2, h * 0.1, h * 0.62, lambda t: w * (0.04 + 0.2 * math.sin(math.pi * t) ** 0.7))
            d.rectangle([w * 0.46, h * 0.7, w * 0.54, h * 0.84], fill=hexc("a47b33"))
            d.ellipse([w * 0.36, h * 0.82, w * 0.64, h * 0.92], fill=hexc("c9a34e"))
        md.polygon(pts, fill=255)
        sc.fill(m, pattern, bbox_of(pts), scale=0.75, shadow=not lit)
        if lit:
            sc.shade(m.filter(ImageFilter.GaussianBlur(20)), hexc("ffd37a"), 0.35)
        return
    if kind == "khussa":
        for i, cx in enumerate((w * 0.36, w * 0.64)):
            pts = []
            for k in range(60):
                t = k / 60 * 2 * math.pi
                rx, ry = w * 0.11, h * 0.36
                x, y = cx + rx * math.cos(t), h * 0.55 + ry * math.sin(t)
                if math.sin(t) < -0.6:  # pull the toe into a curled point
                    x += (w * 0.05 if i else -w * 0.05) * (-math.sin(t) - 0.6) * 2.5
                    y -= h * 0.08 * (-math.sin(t) - 0.6) * 2.5
                pts.append((x, y))
            m, md = sc.mask()
            md.polygon(pts, fill=255)
            sc.fill(m, pattern, bbox_of(pts), scale=0.7)
            sc.draw().ellipse([cx - w * 0.07, h * 0.5, cx + w * 0.07, h * 0.86], fill=hexc("3a2520"))
        return
    raise ValueError(f"unknown object kind {kind!r}")


def draw_portrait(size: tuple[int, int], rng: random.Random, pattern: str, people: int) -> Image.Image:
    sc = Scene(size, rng)
    PATTERNS[pattern](sc.draw(), (0, 0, sc.w, sc.h), rng, 1.2 * SUPER)
    veil, vd = sc.mask()
    vd.rectangle([0, 0, sc.w, sc.h], fill=255)
    sc.shade(veil, hexc("efe7da"), 0.55)
    w, h = sc.w, sc.h
    figures = [(0.5, 1.0)] if people == 1 else [(0.27, 0.8), (0.73, 0.84), (0.5, 1.0)]
    for fx, k in figures:
        m, md = sc.mask()
        cx, head = w * fx, h * 0.2 * k
        top = h - h * 0.72 * k
        md.ellipse([cx - head * 0.8, top, cx + head * 0.8, top + head * 2], fill=255)
        md.rounded_rectangle([cx - head * 0.35, top + head * 1.7, cx + head * 0.35, top + head * 2.4], radius=10, fill=255)
        md.ellipse([cx - head * 2.2, top + head * 2.2, cx + head * 2.2, top + head * 5.2], fill=255)
        sc.shade(m.filter(ImageFilter.GaussianBlur(3)), hexc("2d2a33"), 0.92)
    return sc.result()


# ---------------------------------------------------------------- entries

def read_entry(path: Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---\n"):
        return {}, text
    end = text.index("\n---", 4)
    return (yaml.safe_load(text[4:end]) or {}), text[end + 4:]


def wanted_photos() -> dict[Path, dict]:
    """Every photo referenced by an entry -> what to draw for it."""
    wanted: dict[Path, dict] = {}
    for index in sorted(CATALOG.glob("*/*/*/index.md")):
        folder = index.parent
        if any(part.startswith(("_", ".")) for part in folder.relative_to(CATALOG).parts):
            continue
        meta, body = read_entry(index)
        crafts = list(meta.get("crafts") or [])
        people = 1 if meta.get("kind", "person") == "person" else 3
        photo = meta.get("photo") or {}
        if isinstance(photo, dict) and str(photo.get("src", "")).startswith("photos/"):
            wanted[folder / photo["src"]] = {"portrait": True, "crafts": crafts, "people": people}
        for src in IMAGE_RE.findall(body):
            wanted.setdefault(folder / src, {"portrait": False, "crafts": crafts})
        for product in sorted((folder / "products").glob("*.md")):
            pmeta, pbody = read_entry(product)
            pcrafts = list(pmeta.get("crafts") or crafts)
            srcs = [p.get("src", "") for p in (pmeta.get("photos") or []) if isinstance(p, dict)]
            for src in srcs + IMAGE_RE.findall(pbody):
                if str(src).startswith("photos/"):
                    wanted.setdefault(folder / src, {"portrait": False, "crafts": pcrafts})
    return wanted


def render(path: Path, spec: dict) -> Image.Image:
    rel = path.relative_to(CATALOG).as_posix()
    rng = random.Random(rel)
    stem = path.stem
    pattern = choose_pattern(stem, spec["crafts"])
    if spec["portrait"]:
        return draw_portrait(PORTRAIT_SIZE, rng, pattern, spec["people"])
    sc = Scene(PRODUCT_SIZE, rng)
    draw_object(sc, choose_object(stem, spec["crafts"]), pattern, stem)
    return sc.result()


def encode(img: Image.Image) -> bytes:
    """JPEG without metadata, quality lowered step by step until it fits the budget."""
    import io

    for blur in (0.0, 0.6, 1.0):
        source = img.filter(ImageFilter.GaussianBlur(blur)) if blur else img
        for quality in (70, 64, 58, 52, 46, 40):
            buf = io.BytesIO()
            source.save(buf, "JPEG", quality=quality, optimize=True, subsampling="4:2:0")
            if buf.tell() <= TARGET_BYTES:
                return buf.getvalue()
    return buf.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="report problems, write nothing")
    parser.add_argument("--prune", action="store_true", help="delete .jpg files under photos/ that no entry references")
    args = parser.parse_args(argv)

    wanted = wanted_photos()
    present = {p for p in CATALOG.glob("*/*/*/photos/*") if p.is_file()}
    problems, total = 0, 0
    for path, spec in sorted(wanted.items()):
        data = encode(render(path, spec))
        total += len(data)
        if args.check:
            if not path.exists():
                print(f"missing: {path.relative_to(ROOT)}")
                problems += 1
            elif path.read_bytes() != data:
                print(f"stale: {path.relative_to(ROOT)}")
                problems += 1
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.exists() or path.read_bytes() != data:
                path.write_bytes(data)
        if len(data) > MAX_BYTES:
            print(f"too large ({len(data)} bytes): {path.relative_to(ROOT)}")
            problems += 1
    for extra in sorted(present - set(wanted)):
        if args.prune and not args.check:
            extra.unlink()
            print(f"pruned: {extra.relative_to(ROOT)}")
        else:
            print(f"unreferenced: {extra.relative_to(ROOT)}")
            problems += 1
    print(f"{len(wanted)} photos, {total:,} bytes")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
