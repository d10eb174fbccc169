"""Urdu (right-to-left, Nastaliq) and Hindi (Devanagari) in the theme's CSS and font files.

These tests read the real stylesheets and font files: logical properties
only, every face a real WOFF2 of its family and weight with its shaping
tables, every character of the content covered, and an Urdu line height
Nastaliq fits in.  What a reader sees on the built Urdu pages (the fonts in
use, lines, clipping, mirrored marks, prices) is checked in Chromium by
tests/test_browser_rtl.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

REPO = Path(__file__).resolve().parent.parent
ASSETS = REPO / "theme" / "assets"
FONTS = ASSETS / "fonts"
FONTS_CSS = FONTS / "fonts.css"
LOGICAL_CSS = (ASSETS / "karigar" / "karigar.css", ASSETS / "karigar" / "material-a11y.css")

NASTALIQ = "Noto Nastaliq Urdu"
DEVANAGARI = "Noto Sans Devanagari"

# Below 2.0 the dots under ordinary Urdu words (0.34em below the baseline,
# the sample's median shaped with HarfBuzz) leave a Nastaliq line box, whose
# font is 2.5em from ascent to descent; see scripts/tools/subset_fonts.py.
URDU_MIN_LINE_HEIGHT = 2.0

# Code points of each script (Unicode blocks).  Characters of these blocks in
# the content must be drawn by the script's font, not by a system fallback.
ARABIC_SCRIPT = ((0x0600, 0x06FF), (0x0750, 0x077F), (0x0870, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))
DEVANAGARI_SCRIPT = ((0x0900, 0x097F), (0x1CD0, 0x1CFF), (0xA8E0, 0xA8FF))
JOINERS = (0x200C, 0x200D)  # ZWNJ and ZWJ: editors type them to choose joining and half forms


# --- A small CSS reader ------------------------------------------------------------

@dataclass(frozen=True)
class Rule:
    prelude: str  # the selector list, or "@font-face"
    context: tuple[str, ...]  # enclosing @media / @supports preludes
    declarations: tuple[tuple[str, str], ...]  # (property, value), property lower-cased


def _strip_comments(text: str) -> str:
    return re.sub(r"/\*.*?\*/", "", text, flags=re.S)


def _split_top(text: str, sep: str) -> list[str]:
    """``text`` split on ``sep`` outside strings and parentheses."""
    parts, depth, quote, start = [], 0, "", 0
    for i, ch in enumerate(text):
        if quote:
            if ch == quote and text[i - 1] != "\\":
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == sep and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def _declarations(body: str) -> tuple[tuple[str, str], ...]:
    out = []
    for part in _split_top(body, ";"):
        if ":" not in part:
            continue
        prop, value = part.split(":", 1)
        value = re.sub(r"\s*!important\s*$", "", value.strip())
        out.append((prop.strip().lower() if not prop.strip().startswith("--") else prop.strip(), value))
    return tuple(out)


def parse_css(text: str) -> list[Rule]:
    """Style rules and @font-face rules, with the at-rules they sit in."""
    text = _strip_comments(text)
    rules: list[Rule] = []

    def block(i: int, context: tuple[str, ...]) -> int:
        start, quote = i, ""
        while i < len(text):
            ch = text[i]
            if quote:
                if ch == quote and text[i - 1] != "\\":
                    quote = ""
            elif ch in "\"'":
                quote = ch
            elif ch == ";":  # a statement at-rule (@import, @charset)
                start = i + 1
            elif ch == "}":
                return i + 1
            elif ch == "{":
                prelude = " ".join(text[start:i].split())
                if prelude.startswith(("@media", "@supports", "@layer", "@container", "@document")):
                    i = block(i + 1, context + (prelude,))
                else:
                    end, depth, q = i + 1, 1, ""
                    while depth:
                        c = text[end]
                        if q:
                            if c == q and text[end - 1] != "\\":
                                q = ""
                        elif c in "\"'":
                            q = c
                        elif c == "{":
                            depth += 1
                        elif c == "}":
                            depth -= 1
                        end += 1
                    rules.append(Rule(prelude, context, _declarations(text[i + 1:end - 1])))
                    i = end
                start = i
                continue
            i += 1
        return i

    block(0, ())
    return rules


def _value_tokens(value: str) -> list[str]:
    return [t for t in re.split(r"\s+(?![^(]*\))", value.strip()) if t]


def _without_strings(value: str) -> str:
    return re.sub(r"\"(?:\\.|[^\"])*\"|'(?:\\.|[^'])*'", '""', value)


SIDES_SHORTHANDS = {"margin", "padding", "inset", "border-width", "border-style", "border-color",
                    "scroll-margin", "scroll-padding"}
# A transform that moves or tilts along the x axis is physical unless the
# rule is scoped to a direction ([dir="rtl"] ...).
X_TRANSFORM = re.compile(r"\b(translatex|translate|translate3d|skewx|skew|scalex)\(", re.I)


def _right_and_left_differ(tokens: list[str]) -> bool:
    """margin: top right bottom left; with fewer values right and left are equal."""
    return len(tokens) == 4 and tokens[1] != tokens[3]


def _corners_differ(tokens: list[str]) -> bool:
    """border-radius: top-left top-right bottom-right bottom-left, shorter forms expanded."""
    if len(tokens) == 2:
        tokens = [tokens[0], tokens[1], tokens[0], tokens[1]]
    elif len(tokens) == 3:
        tokens = [tokens[0], tokens[1], tokens[2], tokens[1]]
    if len(tokens) < 4:
        return False
    top_left, top_right, bottom_right, bottom_left = tokens[:4]
    return top_left != top_right or bottom_left != bottom_right


def physical_problems(rule: Rule) -> list[str]:
    """Declarations of ``rule`` that would not mirror under dir="rtl"."""
    problems = []
    for prop, value in rule.declarations:
        if prop.startswith("--"):
            continue
        plain = _without_strings(value).lower()
        if re.search(r"(^|-)(left|right)(-|$)", prop):
            problems.append(f"{prop}: {value}")
        elif re.search(r"(?<![\w-])(left|right)(?![\w-])", plain):
            problems.append(f"{prop}: {value}")
        elif prop in SIDES_SHORTHANDS and _right_and_left_differ(_value_tokens(plain)):
            problems.append(f"{prop}: {value} (right and left differ)")
        elif prop == "border-radius" and any(_corners_differ(_value_tokens(p)) for p in plain.split("/")):
            problems.append(f"{prop}: {value} (left and right corners differ)")
        elif prop in {"transform", "translate"} and X_TRANSFORM.search(plain) and "[dir" not in rule.prelude:
            problems.append(f"{prop}: {value} (along x, not scoped to a direction)")
    return problems


# Physical declarations that must stay: (file name, selector, property) -> why.
# Empty today; an entry needs a reason a reviewer can check.
ALLOWED_PHYSICAL: dict[tuple[str, str, str], str] = {}


# --- Logical properties --------------------------------------------------------------

def test_the_checker_flags_what_would_not_mirror() -> None:
    css = """
    .a { margin-left: 1em; padding-inline-start: 1em; }
    @media print { .b { text-align: right; float: left; } }
    .c { padding: 0 1em 0 2em; margin: 0 1em 0 1em; border-radius: 0.2rem 0 0 0.2rem; }
    .d { content: "left"; background: linear-gradient(to right, red, blue); }
    .e { transform: translateX(1em); }
    [dir="rtl"] .f { transform: scaleX(-1); }
    .g { border-radius: 0.2rem; inset: 0; text-align: start; }
    """
    found = {(r.prelude, p) for r in parse_css(css) for p in physical_problems(r)}
    flagged = {(sel, p.split(":")[0]) for sel, p in found}
    assert flagged == {
        (".a", "margin-left"), (".b", "text-align"), (".b", "float"), (".c", "padding"),
        (".c", "border-radius"), (".d", "background"), (".e", "transform"),
    }


@pytest.mark.parametrize("css_file", LOGICAL_CSS, ids=lambda p: p.name)
def test_stylesheet_uses_logical_properties_only(css_file: Path) -> None:
    """dir="rtl" mirrors every box: no left/right, and nothing asymmetric across them."""
    rules = parse_css(css_file.read_text(encoding="utf-8"))
    assert rules, f"no rules read from {css_file}"
    problems = []
    used = set()
    for rule in rules:
        for problem in physical_problems(rule):
            key = (css_file.name, rule.prelude, problem.split(":")[0])
            if key in ALLOWED_PHYSICAL:
                used.add(key)
                continue
            where = " ".join(rule.context + (rule.prelude,))
            problems.append(f"{where} {{ {problem} }}")
    assert not problems, "physical left/right in " + css_file.name + ":\n" + "\n".join(problems)
    stale = {k for k in ALLOWED_PHYSICAL if k[0] == css_file.name} - used
    assert not stale, f"allow-list entries that no longer match: {stale}"


# --- Fonts ------------------------------------------------------------------------------

@dataclass(frozen=True)
class FontFace:
    family: str
    weight: int
    style: str
    display: str
    src: Path
    ranges: tuple[tuple[int, int], ...]

    def covers(self, cp: int) -> bool:
        return any(a <= cp <= b for a, b in self.ranges)


def _ranges(value: str) -> tuple[tuple[int, int], ...]:
    out = []
    for part in value.split(","):
        m = re.fullmatch(r"\s*U\+([0-9A-Fa-f?]+)(?:-([0-9A-Fa-f]+))?\s*", part)
        assert m, f"unreadable unicode-range part {part!r}"
        first, last = m.group(1), m.group(2)
        if "?" in first:
            out.append((int(first.replace("?", "0"), 16), int(first.replace("?", "F"), 16)))
        else:
            out.append((int(first, 16), int(last or first, 16)))
    return tuple(out)


def font_faces() -> list[FontFace]:
    faces = []
    for rule in parse_css(FONTS_CSS.read_text(encoding="utf-8")):
        if rule.prelude != "@font-face":
            continue
        d = dict(rule.declarations)
        urls = re.findall(r"url\(\s*[\"']?([^\"')]+)[\"']?\s*\)", d["src"])
        assert len(urls) == 1, f"one woff2 file per face: {d['src']}"
        faces.append(FontFace(
            family=d["font-family"].strip("\"'"), weight=int(d.get("font-weight", "400")),
            style=d.get("font-style", "normal"), display=d.get("font-display", ""),
            src=FONTS / urls[0], ranges=_ranges(d["unicode-range"]) if "unicode-range" in d else ((0, 0x10FFFF),),
        ))
    return faces


def faces_of(family: str) -> list[FontFace]:
    found = [f for f in font_faces() if f.family == family]
    assert found, f"fonts.css declares no {family!r} face"
    return found


def _cmap(path: Path) -> set[int]:
    return set(TTFont(path).getBestCmap())


def test_every_font_face_is_a_real_woff2_of_its_family_and_weight() -> None:
    faces = font_faces()
    assert {NASTALIQ, DEVANAGARI} <= {f.family for f in faces}
    assert {(f.family, f.weight) for f in faces} >= {(NASTALIQ, 400), (DEVANAGARI, 400), (DEVANAGARI, 700)}
    # One Nastaliq weight (133 KB): two would not fit an Urdu page's 250 KB (tests/test_page_budget.py).
    assert {f.weight for f in faces if f.family == NASTALIQ} == {400}
    for face in faces:
        assert face.src.is_file(), f"{face.src.name} ({face.family} {face.weight}) is missing"
        assert face.src.read_bytes()[:4] == b"wOF2", f"{face.src.name} is not WOFF2"
        assert face.display == "swap", f"{face.src.name}: text must show in a fallback font while it loads"
        font = TTFont(face.src)
        assert font["name"].getDebugName(1).startswith(face.family), face.src.name
        assert font["OS/2"].usWeightClass == face.weight, face.src.name
        assert (font["post"].italicAngle != 0) == (face.style == "italic"), face.src.name


def test_urdu_and_hindi_fonts_carry_their_licence_and_shaping() -> None:
    """Nastaliq and Devanagari words are built by GSUB/GPOS: the subset must keep them."""
    for family, licence, needed in (
        (NASTALIQ, "LICENSE-NotoNastaliqUrdu.txt", {"init", "medi", "fina", "rlig", "curs", "mark"}),
        (DEVANAGARI, "LICENSE-NotoSansDevanagari.txt", {"nukt", "akhn", "rphf", "half", "pres", "abvm", "blwm"}),
    ):
        text = (FONTS / licence).read_text(encoding="utf-8")
        assert "SIL OPEN FONT LICENSE Version 1.1" in text and "npm package" in text
        for face in faces_of(family):
            font = TTFont(face.src)
            features = {r.FeatureTag for t in ("GSUB", "GPOS") for r in font[t].table.FeatureList.FeatureRecord}
            assert needed <= features, f"{face.src.name} lost {needed - features}"


def _content_text() -> str:
    """Every text the site shows in Urdu or Hindi: entries, registries, pages, translations."""
    files = [p for p in (REPO / "artisans").rglob("*") if p.suffix in {".yml", ".yaml", ".md"}]
    files += [p for p in (REPO / "content").rglob("*") if p.is_file() and p.suffix in {".md", ".yml", ".yaml"}]
    files += list((REPO / "scripts" / "karigar" / "locale").glob("*/LC_MESSAGES/*.po"))
    return "".join(p.read_text(encoding="utf-8") for p in files)


def _in(cp: int, blocks: tuple[tuple[int, int], ...]) -> bool:
    return any(a <= cp <= b for a, b in blocks)


@pytest.mark.parametrize(("family", "script"), [(NASTALIQ, ARABIC_SCRIPT), (DEVANAGARI, DEVANAGARI_SCRIPT)],
                         ids=["urdu", "hindi"])
def test_every_character_of_the_content_is_drawn_by_its_script_font(family: str,
                                                                    script: tuple[tuple[int, int], ...]) -> None:
    used = {ord(c) for c in _content_text() if _in(ord(c), script)}
    assert used, f"no {family} text found in the sample content: the scan reads the wrong files"
    for face in faces_of(family):
        cmap = _cmap(face.src)
        wanted = used | set(JOINERS)
        missing = sorted(cp for cp in wanted if cp not in cmap)
        assert not missing, f"{face.src.name} lacks " + ", ".join(f"U+{cp:04X} {chr(cp)}" for cp in missing)
        outside = sorted(cp for cp in wanted if not face.covers(cp))
        assert not outside, f"{face.src.name}: unicode-range leaves out " + ", ".join(f"U+{cp:04X}" for cp in outside)


def _root_variables(rules: list[Rule]) -> dict[str, str]:
    return {p: v for r in rules if r.prelude == ":root" for p, v in r.declarations if p.startswith("--")}


def _resolve(value: str, variables: dict[str, str]) -> str:
    for _ in range(5):
        value = re.sub(r"var\(\s*(--[\w-]+)\s*(?:,\s*([^()]*))?\)",
                       lambda m: variables.get(m.group(1), m.group(2) or ""), value)
    return value


def test_urdu_text_gets_a_line_height_nastaliq_fits_in() -> None:
    rules = parse_css(FONTS_CSS.read_text(encoding="utf-8"))
    variables = _root_variables(rules)
    urdu = [(r.prelude, _resolve(v, variables)) for r in rules if ":lang(ur)" in r.prelude
            for p, v in r.declarations if p == "line-height"]
    assert urdu, "fonts.css sets no line-height for :lang(ur)"
    for selector, value in urdu:
        assert float(value) >= URDU_MIN_LINE_HEIGHT, f"{selector} {{ line-height: {value} }}"
    # The rule must reach the element that carries lang="ur" (a page or a span).
    assert any("[lang" in s or s.strip() == ":lang(ur)" for s, _ in urdu)
