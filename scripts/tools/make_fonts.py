"""Subset the site's self-hosted fonts into theme/assets/fonts/.

The site never loads fonts from a third party: Roboto (Apache-2.0, Debian's
``fonts-roboto-unhinted``) for text and Noto Sans Mono (OFL-1.1, Debian's
``fonts-noto-mono``) for code are subset to Latin, Latin-1, Latin
Extended-A and Additional (transliterated names: ``ā``, ``ṣ``), punctuation
and currency signs (``₹``, ``₨``), written as WOFF2 with a ``fonts.css`` of
``@font-face`` rules and the licence texts beside them.

Scripts that Roboto lacks (Urdu, Hindi) fall through to the next font of
Material's stack, so the subset only has to cover Latin text.

Usage::

    apt-get install -y fonts-roboto-unhinted fonts-noto-mono
    pip install fonttools brotli
    python scripts/tools/make_fonts.py [--out theme/assets/fonts]
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUT = ROOT / "theme" / "assets" / "fonts"

ROBOTO_DIRS = (
    Path("/usr/share/fonts/truetype/roboto/unhinted/RobotoTTF"),
    Path("/usr/share/fonts/truetype/roboto/unhinted"),
    Path("/usr/share/fonts/truetype/roboto/hinted"),
)
NOTO_DIRS = (Path("/usr/share/fonts/truetype/noto"),)
APACHE_LICENSE = Path("/usr/share/common-licenses/Apache-2.0")
NOTO_COPYRIGHT = Path("/usr/share/doc/fonts-noto-mono/copyright")

TEXT_FAMILY = "Roboto"
MONO_FAMILY = "Noto Sans Mono"

# Two subsets per face, (first, last) code points inclusive, as Google Fonts
# does it: browsers fetch the extended file only for a page that uses one of
# its characters (a transliterated name), so most pages load the small one.
SUBSETS: dict[str, tuple[tuple[int, int], ...]] = {
    "latin": (
        (0x0020, 0x007E),  # Basic Latin
        (0x00A0, 0x00FF),  # Latin-1 Supplement
        (0x0131, 0x0131), (0x0152, 0x0153),  # ı Œ œ
        (0x02BB, 0x02BC),  # ʻ ʼ (modifier apostrophes in transliterations)
        (0x02C6, 0x02C6), (0x02DA, 0x02DA), (0x02DC, 0x02DC),
        (0x2000, 0x206F),  # General Punctuation
        (0x20A0, 0x20CF),  # Currency Symbols (₨ U+20A8, € U+20AC, ₹ U+20B9)
        (0x2113, 0x2113), (0x2116, 0x2116), (0x2122, 0x2122),  # ℓ № ™
        (0x2212, 0x2212),  # −
        (0xFEFF, 0xFEFF), (0xFFFD, 0xFFFD),
    ),
    "latin-ext": (
        (0x0100, 0x0130), (0x0132, 0x0151), (0x0154, 0x017F),  # Latin Extended-A
        (0x0192, 0x0192),  # ƒ
        (0x02C7, 0x02C7), (0x02D8, 0x02D9), (0x02DB, 0x02DB), (0x02DD, 0x02DD),
        (0x0300, 0x0304), (0x0307, 0x0308), (0x0323, 0x0323),  # combining accents, dot below
        (0x1E00, 0x1EFF),  # Latin Extended Additional (IAST: ṭ ḍ ṇ ṣ ḥ ṃ)
    ),
}

# OpenType features worth their bytes: kerning, ligatures, marks, tabular
# figures (the stat row), fractions.
FEATURES = ["kern", "liga", "calt", "ccmp", "locl", "mark", "mkmk", "tnum", "lnum", "frac"]


@dataclass(frozen=True)
class Face:
    source: str  # file name under the family's directories
    family: str
    weight: int
    style: str  # normal | italic
    out: str  # file name stem; one file per subset

    @property
    def dirs(self) -> tuple[Path, ...]:
        return NOTO_DIRS if self.family == MONO_FAMILY else ROBOTO_DIRS


# Two weights of Roboto, no Light and no Italic: every face is a download on every page
# (pages have a 100 KB budget, tests/test_page_budget.py).  Material's light headings
# (300) take the nearest face, 400; Chromium slants 400 for <em>, and Roboto's own
# italic is little more than the upright face slanted.
FACES = (
    Face("Roboto-Regular.ttf", TEXT_FAMILY, 400, "normal", "roboto-400"),
    Face("Roboto-Bold.ttf", TEXT_FAMILY, 700, "normal", "roboto-700"),
    Face("NotoSansMono-Regular.ttf", MONO_FAMILY, 400, "normal", "noto-sans-mono-400"),
)

SIZE_LIMIT = 40 * 1024
TOTAL_LIMIT = 200 * 1024


def unicodes(subset_name: str) -> list[int]:
    return [cp for first, last in SUBSETS[subset_name] for cp in range(first, last + 1)]


def unicode_range(subset_name: str) -> str:
    return ", ".join(f"U+{a:04X}" if a == b else f"U+{a:04X}-{b:04X}" for a, b in SUBSETS[subset_name])


def file_name(face: Face, subset_name: str) -> str:
    return f"{face.out}-{subset_name}.woff2"


def find_source(face: Face) -> Path:
    for folder in face.dirs:
        path = folder / face.source
        if path.is_file():
            return path
    raise SystemExit(
        f"error: {face.source} not found in {', '.join(map(str, face.dirs))}; "
        "install it with `apt-get install -y fonts-roboto-unhinted fonts-noto-mono`"
    )


def subset_face(source: Path, target: Path, subset_name: str) -> int:
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = FEATURES
    options.hinting = False
    options.desubroutinize = True
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]  # keep copyright and licence
    options.name_languages = [0x0409]
    options.notdef_outline = True
    font = TTFont(source, lazy=False, recalcTimestamp=False)  # reproducible bytes
    subsetter = subset.Subsetter(options=options)
    subsetter.populate(unicodes=unicodes(subset_name))
    subsetter.subset(font)
    tmp = target.with_suffix(".tmp")
    font.flavor = "woff2"
    font.save(tmp)
    tmp.replace(target)
    return target.stat().st_size


def font_css() -> str:
    rules = [
        "/* Generated by scripts/tools/make_fonts.py: self-hosted, subset fonts.\n"
        "   Roboto: Apache License 2.0 (LICENSE-Roboto.txt).\n"
        "   Noto Sans Mono: SIL Open Font License 1.1 (LICENSE-NotoSansMono.txt). */",
    ]
    for face in FACES:
        for name in SUBSETS:
            rules.append(
                f"/* {face.family} {face.weight} {face.style}, {name} */\n"
                "@font-face {\n"
                f'  font-family: "{face.family}";\n'
                f"  font-style: {face.style};\n"
                f"  font-weight: {face.weight};\n"
                "  font-display: swap;\n"
                f'  src: url("{file_name(face, name)}") format("woff2");\n'
                f"  unicode-range: {unicode_range(name)};\n"
                "}"
            )
    rules.append(
        ":root {\n"
        f'  --md-text-font: "{TEXT_FAMILY}";\n'
        f'  --md-code-font: "{MONO_FAMILY}";\n'
        "}"
    )
    return "\n\n".join(rules) + "\n"


def debian_license_text(copyright_file: Path, name: str) -> str:
    """The body of a ``License: <name>`` stanza of a Debian copyright file."""
    lines = copyright_file.read_text(encoding="utf-8").splitlines()
    out: list[str] = []
    inside = False
    for line in lines:
        if inside:
            if line.startswith((" ", "\t")):
                body = line[1:]
                out.append("" if body.strip() == "." else body)
                continue
            if out:  # a stanza with a body; short references to it come first
                break
            inside = False
        if line.strip() == f"License: {name}":
            inside = True
    if not out:
        raise SystemExit(f"error: no `License: {name}` text in {copyright_file}")
    return "\n".join(out).strip() + "\n"


def write_licenses(out: Path) -> None:
    if not APACHE_LICENSE.is_file():
        raise SystemExit(f"error: {APACHE_LICENSE} not found (Debian's base-files provides it)")
    roboto = (
        "Roboto fonts (roboto-*.woff2), subset from Debian's fonts-roboto-unhinted.\n"
        "Copyright 2015 Google Inc.  Source: https://github.com/google/roboto\n"
        "Licensed under the Apache License, Version 2.0:\n\n"
    )
    (out / "LICENSE-Roboto.txt").write_text(
        roboto + APACHE_LICENSE.read_text(encoding="utf-8"), encoding="utf-8"
    )
    if not NOTO_COPYRIGHT.is_file():
        raise SystemExit(f"error: {NOTO_COPYRIGHT} not found; install fonts-noto-mono")
    noto = (
        "Noto Sans Mono (noto-sans-mono-*.woff2), subset from Debian's fonts-noto-mono.\n"
        "Copyright 2015-2020 Google LLC.  Source: https://github.com/notofonts/latin-greek-cyrillic\n"
        "This Font Software is licensed under the SIL Open Font License, Version 1.1:\n\n"
    )
    (out / "LICENSE-NotoSansMono.txt").write_text(
        noto + debian_license_text(NOTO_COPYRIGHT, "OFL-1.1"), encoding="utf-8"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder")
    args = parser.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    total = 0
    for stale in out.glob("*.woff2"):
        stale.unlink()
    for face in FACES:
        source = find_source(face)
        for name in SUBSETS:
            target = out / file_name(face, name)
            size = subset_face(source, target, name)
            total += size
            flag = "  (over the 40 KB budget)" if size > SIZE_LIMIT else ""
            print(f"{target.name:36} {size / 1024:6.1f} KB{flag}")
    (out / "fonts.css").write_text(font_css(), encoding="utf-8")
    write_licenses(out)
    print(f"{'total':36} {total / 1024:6.1f} KB")
    if total > TOTAL_LIMIT:
        print(f"error: fonts total {total} bytes, over {TOTAL_LIMIT}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
