#!/usr/bin/env python3
"""Draw the site's sharing picture, theme/assets/karigar/share.png (1,200 x 630).

A link to a page without a photo of its own (a listing, the home page, a training
page) shows this picture in chats and social posts (karigar.render.head.SITE_IMAGE):
the site's name and what it is, on the theme's brown, between two bands of a
block-print motif.  Drawn with Pillow in the theme's own Roboto, so the file can be
made again the same way:

    .venv/bin/python scripts/tools/make_share_image.py [--check]

``--check`` only says whether the committed file is the one this script draws.
"""

from __future__ import annotations

import argparse
import io
import math
import sys
from pathlib import Path

from fontTools.ttLib import TTFont
from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "theme" / "assets" / "karigar" / "share.png"
FONTS = ROOT / "theme" / "assets" / "fonts"
WIDTH, HEIGHT = 1200, 630
BROWN, DARK, ORANGE, CREAM = (93, 64, 55), (62, 39, 35), (255, 138, 101), (255, 248, 225)


def roboto(weight: int, size: int) -> ImageFont.FreeTypeFont:
    """The theme's Roboto (WOFF2) as a TrueType font Pillow can draw with."""
    font = TTFont(str(FONTS / f"roboto-{weight}-latin.woff2"))
    font.flavor = None
    data = io.BytesIO()
    font.save(data)
    data.seek(0)
    return ImageFont.truetype(data, size)


def band(draw: ImageDraw.ImageDraw, top: int) -> None:
    """A row of block-print stamps: a ring, a four-petal flower inside, a dot between stamps."""
    draw.rectangle((0, top, WIDTH, top + 90), fill=DARK)
    for i in range(13):
        cx, cy = 48 + i * 96, top + 45
        draw.ellipse((cx - 30, cy - 30, cx + 30, cy + 30), outline=ORANGE, width=5)
        for k in range(4):
            angle = k * math.pi / 2
            px, py = cx + 14 * math.cos(angle), cy + 14 * math.sin(angle)
            draw.ellipse((px - 9, py - 9, px + 9, py + 9), fill=CREAM)
        draw.ellipse((cx + 44, cy - 5, cx + 54, cy + 5), fill=ORANGE)


def draw() -> bytes:
    image = Image.new("RGB", (WIDTH, HEIGHT), BROWN)
    canvas = ImageDraw.Draw(image)
    band(canvas, 0)
    band(canvas, HEIGHT - 90)
    for text, font, y in (("Karigar", roboto(700, 150), 250), ("Artisans of Pakistan and India, online", roboto(400, 48), 395)):
        left, top, right, bottom = canvas.textbbox((0, 0), text, font=font)
        canvas.text(((WIDTH - (right - left)) / 2 - left, y - (bottom - top) / 2 - top), text, font=font, fill=CREAM)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="only compare with the committed file")
    args = parser.parse_args()
    data = draw()
    if args.check:
        same = OUT.is_file() and OUT.read_bytes() == data
        print(f"{OUT.relative_to(ROOT)}: {'up to date' if same else 'differs from what this script draws'}")
        return 0 if same else 1
    OUT.write_bytes(data)
    print(f"wrote {OUT.relative_to(ROOT)} ({len(data):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
