"""Urdu (right-to-left, Nastaliq) and Hindi (Devanagari) in the theme's CSS and fonts.

The static tests read the real stylesheets and font files; the browser tests
load them, with Material's own stylesheet, into headless Chromium on a page
built from the catalog templates' class names (theme/karigar/macros.html),
and check what a reader would see: Urdu in Nastaliq with room for its
letters, marks that point the way the text reads mirrored, prices in Latin
order.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
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
    assert {(f.family, f.weight) for f in faces} >= {(NASTALIQ, 400), (NASTALIQ, 700),
                                                      (DEVANAGARI, 400), (DEVANAGARI, 700)}
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
def test_every_character_of_the_content_is_drawn_by_its_script_font(family: str, script) -> None:  # type: ignore[no-untyped-def]
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


# --- In Chromium --------------------------------------------------------------------------

URDU_PAGE = """<!doctype html>
<html lang="ur"><head><meta charset="utf-8"><title>کاریگر</title>
<link rel="stylesheet" href="material/main.css"><link rel="stylesheet" href="material/palette.css">
<link rel="stylesheet" href="assets/fonts/fonts.css">
<link rel="stylesheet" href="assets/karigar/karigar.css">
<link rel="stylesheet" href="assets/karigar/material-a11y.css">
<style>*, *::before, *::after { transition: none !important; }</style>
</head>
<body dir="@DIR@" data-md-color-scheme="default" data-md-color-primary="brown" data-md-color-accent="deep-orange">
<nav class="md-tabs" aria-label="Tabs"><div class="md-grid"><ul class="md-tabs__list">
  <li class="md-tabs__item md-tabs__item--active"><a href="#" class="md-tabs__link">نمائش</a></li>
  <li class="md-tabs__item"><a href="#" class="md-tabs__link">جہلم</a></li>
</ul></div></nav>
<nav class="md-nav md-nav--primary" style="inline-size: 12rem"><ul class="md-nav__list">
  <li class="md-nav__item"><a href="#" class="md-nav__link"><span class="md-ellipsis">کھیلتے ہوئے بچّے</span></a></li>
</ul></nav>
<article class="md-content__inner md-typeset"><div class="kg-page">
  <nav class="kg-breadcrumbs" aria-label="Breadcrumb"><ol class="kg-breadcrumbs__list">
    <li class="kg-breadcrumbs__item"><a href="#">علاقے</a></li>
    <li class="kg-breadcrumbs__item" aria-current="page">ٹھٹھہ</li>
  </ol></nav>
  <div class="kg-hero">
    <h1 class="kg-hero__title">کاریگر</h1>
    <p class="kg-hero__tagline">ہاتھ سے بنی چیزیں، دنیا بھر میں</p>
    <dl class="kg-stats"><div class="kg-stats__item">
      <dt class="kg-stats__label">کاریگر</dt><dd class="kg-stats__value">۲۰</dd>
    </div></dl>
  </div>
  <h2>کہانی</h2>
  <h3>کھیلتے ہوئے بچّے</h3>
  <p id="prose">ایک بڑی رلی کی قیمت <span class="kg-ltr" id="isolated">4,500 – 6,000</span> روپے ہے اور
  چھوٹی کی <span id="bare">4,500 – 6,000</span> روپے۔</p>
  <div class="kg-grid"><article class="kg-card kg-card--product">
    <h3 class="kg-card__title"><a href="#">تکونوں والی رلی</a></h3>
    <div class="kg-card__media kg-placeholder" aria-hidden="true"><span class="kg-placeholder__letter">ت</span></div>
    <p class="kg-card__price"><span class="kg-visually-hidden">تخمینی قیمت: </span>Rs4,500.00</p>
    <p class="kg-card__kind"><span class="kg-tag">کاریگر</span></p>
  </article></div>
  <p class="kg-price"><span class="kg-price__label">تخمینی قیمت</span> <span class="kg-price__value">Rs4,500.00</span></p>
  <ul class="kg-buy-list"><li class="kg-buy-item">
    <a class="md-button md-button--primary kg-buy" href="#">ایٹسی پر خریدیں</a>
    <a class="md-button kg-button-secondary kg-cart" href="#">ٹوکری میں ڈالیں</a>
    <p class="kg-disclosure">اس لنک سے خریداری پر کاریگر کو پوری رقم ملتی ہے۔</p>
  </li></ul>
  <nav class="kg-pagination" aria-label="Pagination"><ul class="kg-pagination__list">
    <li><a class="kg-pagination__link kg-pagination__prev" href="#">پچھلا</a></li>
    <li><a class="kg-pagination__link kg-pagination__next" href="#">اگلا</a></li>
  </ul></nav>
  <p>اگلا <span class="kg-flip" id="flip">&#x2192;</span></p>
</div></article>
</body></html>
"""

ENGLISH_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Karigar</title>
<link rel="stylesheet" href="material/main.css">
<link rel="stylesheet" href="assets/fonts/fonts.css">
<link rel="stylesheet" href="assets/karigar/karigar.css">
<link rel="stylesheet" href="assets/karigar/material-a11y.css">
</head><body dir="ltr">
<article class="md-content__inner md-typeset" style="inline-size: 30rem">
  <h1 class="kg-title">Shazia Bibi <span lang="ur" id="ur-name">شازیہ بی بی</span></h1>
  <p id="mixed">Made in <span lang="ur" id="ur-place">ٹھٹھہ</span> and sold in
  <span lang="hi" id="hi-place">अहमदाबाद</span>, a paragraph long enough to wrap over several lines
  so that its spacing around the Urdu words shows.</p>
</article>
</body></html>
"""


@pytest.fixture(scope="module")
def chromium_pages(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, object]]:
    from tests.browser import CHROMIUM_ARGS, require_chromium, serve_folder

    executable = require_chromium()
    import material
    from playwright.sync_api import sync_playwright

    root = tmp_path_factory.mktemp("rtl")
    styles = Path(material.__file__).parent / "templates" / "assets" / "stylesheets"
    (root / "material").mkdir()
    shutil.copy(next(styles.glob("main.*.min.css")), root / "material" / "main.css")
    shutil.copy(next(styles.glob("palette.*.min.css")), root / "material" / "palette.css")
    shutil.copytree(FONTS, root / "assets" / "fonts")
    shutil.copytree(ASSETS / "karigar", root / "assets" / "karigar")
    (root / "ur-rtl.html").write_text(URDU_PAGE.replace("@DIR@", "rtl"), encoding="utf-8")
    (root / "ur-ltr.html").write_text(URDU_PAGE.replace("@DIR@", "ltr"), encoding="utf-8")
    (root / "en.html").write_text(ENGLISH_PAGE, encoding="utf-8")

    with serve_folder(root) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        pages = {}
        for name in ("ur-rtl", "ur-ltr", "en"):
            # Wide enough for Material's tabs (hidden under 76.25em).
            page = browser.new_page(viewport={"width": 1300, "height": 900})
            page.goto(f"{base}/{name}.html")
            page.wait_for_load_state("load")
            page.evaluate("document.fonts.ready.then(() => true)")
            pages[name] = page
        yield pages
        browser.close()


@pytest.mark.browser
def test_an_urdu_page_is_set_in_nastaliq_regular_and_bold(chromium_pages) -> None:  # type: ignore[no-untyped-def]
    page = chromium_pages["ur-rtl"]
    loaded = page.evaluate("""() => [...document.fonts].filter(f => f.status === 'loaded')
                                   .map(f => f.family.replace(/"/g, '') + ' ' + f.weight)""")
    assert f"{NASTALIQ} 400" in loaded and f"{NASTALIQ} 700" in loaded, loaded
    family = page.evaluate("getComputedStyle(document.querySelector('h1')).fontFamily")
    assert family.replace('"', "").startswith(NASTALIQ), family


TEXT_ELEMENTS = ("h1", "h2", "article h3:not(.kg-card__title)", "#prose", ".kg-card__title", ".kg-tag",
                 ".md-tabs__link", ".md-nav__link", ".kg-buy", ".kg-cart", ".kg-pagination__link",
                 ".kg-breadcrumbs__item", ".kg-price__label", ".kg-hero__tagline", ".kg-stats__value",
                 ".kg-stats__label", ".kg-disclosure")


@pytest.mark.browser
def test_no_urdu_line_is_tighter_than_nastaliq_needs(chromium_pages) -> None:  # type: ignore[no-untyped-def]
    """Material sets 1.3 on h1, the tabs and the navigation, 1.6 on text: all raised for Urdu."""
    page = chromium_pages["ur-rtl"]
    ratios = page.evaluate("""(selectors) => Object.fromEntries(selectors.map(s => {
        const cs = getComputedStyle(document.querySelector(s));
        return [s, parseFloat(cs.lineHeight) / parseFloat(cs.fontSize)];
    }))""", list(TEXT_ELEMENTS))
    tight = {s: round(r, 2) for s, r in ratios.items() if not r >= URDU_MIN_LINE_HEIGHT}
    assert not tight, f"line-height / font-size under {URDU_MIN_LINE_HEIGHT}: {tight}"


@pytest.mark.browser
def test_no_urdu_text_is_clipped_by_a_box_that_hides_overflow(chromium_pages) -> None:  # type: ignore[no-untyped-def]
    """The tabs scroll, navigation links ellipsize: their boxes clip whatever sticks out.

    A text's range box spans its font's ascent and descent, 2.5em for
    Nastaliq: it must stay inside every clipping ancestor (the visually
    hidden label excepted, it is meant to be clipped).
    """
    page = chromium_pages["ur-rtl"]
    clipped = page.evaluate(r"""() => {
        const out = [];
        const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            if (!/[\u0600-\u06FF]/.test(node.textContent) || node.parentElement.closest('.kg-visually-hidden')) continue;
            const range = document.createRange();
            range.selectNodeContents(node);
            for (const r of range.getClientRects()) {
                for (let el = node.parentElement; el && el !== document.body; el = el.parentElement) {
                    const cs = getComputedStyle(el);
                    if (cs.overflowX === 'visible' && cs.overflowY === 'visible') continue;
                    const box = el.getBoundingClientRect();
                    if (r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5) {
                        out.push(`${node.textContent.trim()} in ${el.className || el.tagName}: `
                                 + `text ${r.top.toFixed(1)}..${r.bottom.toFixed(1)}, box ${box.top.toFixed(1)}..${box.bottom.toFixed(1)}`);
                    }
                }
            }
        }
        return out;
    }""")
    assert not clipped, "\n".join(clipped)


PSEUDO_ARROWS = ((".kg-pagination__prev", "::before"), (".kg-pagination__next", "::after"),
                 (".kg-buy", "::after"), (".kg-cart", "::after"),
                 (".kg-breadcrumbs__item + .kg-breadcrumbs__item", "::before"))


def _transforms(page) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return page.evaluate("""(arrows) => Object.fromEntries(arrows.map(([s, p]) =>
        [s + p, getComputedStyle(document.querySelector(s), p).transform]).concat(
        [['.kg-flip', getComputedStyle(document.querySelector('#flip')).transform]]))""",
                         [list(a) for a in PSEUDO_ARROWS])


@pytest.mark.browser
def test_arrows_and_breadcrumb_slashes_point_the_way_the_page_reads(chromium_pages) -> None:  # type: ignore[no-untyped-def]
    mirrored = "matrix(-1, 0, 0, 1, 0, 0)"
    rtl = _transforms(chromium_pages["ur-rtl"])
    assert rtl == {k: mirrored for k in rtl}, rtl
    ltr = _transforms(chromium_pages["ur-ltr"])
    assert ltr == {k: "none" for k in ltr}, ltr


@pytest.mark.browser
def test_prices_read_in_latin_order_at_the_start_of_an_urdu_card(chromium_pages) -> None:  # type: ignore[no-untyped-def]
    page = chromium_pages["ur-rtl"]
    # Inside Urdu, a range "4,500 – 6,000" keeps its order only when isolated
    # (.kg-ltr); the bare copy shows what the bidi algorithm does without it.
    order = page.evaluate("""() => Object.fromEntries(['isolated', 'bare'].map(id => {
        const text = document.getElementById(id).firstChild;
        const at = (s) => { const r = document.createRange(); const i = text.data.indexOf(s);
                            r.setStart(text, i); r.setEnd(text, i + s.length); return r.getBoundingClientRect().left; };
        return [id, at('4,500') < at('6,000')];
    }))""")
    assert order == {"isolated": True, "bare": False}, order
    edges = page.evaluate("""() => ['.kg-card__title', '.kg-card__price', '.kg-price__label', '.kg-price__value']
        .map(s => { const el = document.querySelector(s); const r = document.createRange();
                    r.selectNodeContents(el); const rects = [...r.getClientRects()];
                    return Math.max(...rects.map(x => x.right)); })""")
    title, price, label, value = edges
    assert abs(title - price) < 1, f"card price ends at {price}, its title at {title}: not aligned at the start"
    assert abs(label - value) < 1, f"price value ends at {value}, its label at {label}"
    assert page.evaluate("getComputedStyle(document.querySelector('.kg-card__price')).direction") == "ltr"


@pytest.mark.browser
def test_an_urdu_or_hindi_name_inside_an_english_page_gets_its_font_and_room(chromium_pages) -> None:  # type: ignore[no-untyped-def]
    page = chromium_pages["en"]
    styles = page.evaluate("""() => Object.fromEntries(['ur-name', 'ur-place', 'hi-place', 'mixed'].map(id => {
        const cs = getComputedStyle(document.getElementById(id));
        return [id, [cs.fontFamily.replace(/"/g, ''), parseFloat(cs.lineHeight) / parseFloat(cs.fontSize)]];
    }))""")
    for name in ("ur-name", "ur-place"):
        family, ratio = styles[name]
        assert family.startswith(NASTALIQ) and ratio >= URDU_MIN_LINE_HEIGHT, (name, styles[name])
    assert styles["hi-place"][0].startswith(DEVANAGARI), styles["hi-place"]
    assert styles["mixed"][0].startswith("Roboto") and styles["mixed"][1] < URDU_MIN_LINE_HEIGHT, styles["mixed"]
    loaded = page.evaluate("""() => [...document.fonts].filter(f => f.status === 'loaded')
                                   .map(f => f.family.replace(/"/g, ''))""")
    assert NASTALIQ in loaded and DEVANAGARI in loaded, loaded
