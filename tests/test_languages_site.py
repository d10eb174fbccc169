"""One site in English, Urdu and Hindi: per-language pages, the language switcher, hreflang links.

Built with real MkDocs Material, once per language, into temporary folders.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from karigar.pipeline import check_site
from karigar.render.build_views import ViewBuilder
from karigar.render.locale import ui_locale
from karigar.render.look import Frame, link_slot
from tests.conftest import NOW, build, settings_for, write_site

LANGS = ("en", "ur", "hi")
OWN_NAMES = {"en": "English", "ur": "اردو", "hi": "हिन्दी"}
PRODUCT_PATH = "artisans/pk/thatta/shazia-bibi/ralli-quilt/"
ARABIC_SCRIPT = re.compile(r"[\u0600-\u06FF]")

FILES = {
    "artisans/pk/thatta/shazia-bibi/index.md": """---
name: {en: Shazia Bibi, ur: شازیہ بی بی, hi: शाज़िया बीबी}
crafts: [ralli-quilting]
location: {district: Thatta, province: Sindh}
consent: {given: 2025-03-01, recorded_by: volunteer-amna}
---

Shazia Bibi stitches ralli quilts in Thatta.
""",
    "artisans/pk/thatta/shazia-bibi/products/ralli-quilt.md": """---
title: {en: Ralli quilt, ur: رلی}
price: {amount: 12000, currency: PKR}
listings:
  - {marketplace: etsy, id: "1234567800"}
---

A quilt of hand-stitched cotton.
""",
    "content/about.md": "---\ntitle: About Karigar\n---\n\nKarigar shows the work of artisans.\n",
    "content/about.ur.md": "---\ntitle: کاریگر کا تعارف\n---\n\nکاریگر دستکاروں کا کام دکھاتا ہے۔\n",
    "content/guide.md": "---\ntitle: Packing a quilt\n---\n\nFold the quilt in three and wrap it in cotton.\n",
    "content/training/live-listing.md": """---
title: Listing a quilt live
kind: webinar
provider: Sample trainers
url: https://example.org/live-listing
starts: 2026-12-14T15:00:00+05:00
duration_minutes: 60
languages: [ur, en]
---

A live session on listing a quilt.
""",
    "content/training/live-listing.hi.md": "---\ntitle: रज़ाई की लाइव लिस्टिंग\n---\n\nरज़ाई की लिस्टिंग पर एक लाइव सत्र।\n",
}


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text inside elements with a given attribute."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def find(self, tag: str, **wanted: str) -> list[dict[str, str]]:
        return [a for t, a in self.tags if t == tag and all(a.get(k.rstrip("_")) == v for k, v in wanted.items())]


def parse(html: str) -> Tags:
    tags = Tags()
    tags.feed(html)
    return tags


def read(site: Path, url: str) -> str:
    """The page at a site URL (``/ur/about/``) as the host would serve it."""
    rel = url.lstrip("/")
    path = site / rel / "index.html" if not rel or rel.endswith("/") else site / rel
    return path.read_text("utf-8")


def exists(site: Path, url: str) -> bool:
    rel = url.lstrip("/")
    return (site / rel / "index.html").is_file() if not rel or rel.endswith("/") else (site / rel).is_file()


def switcher(html: str) -> list[dict[str, str]]:
    return [a for a in parse(html).find("a") if "md-select__link" in a.get("class", "")]


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, ...], Path]:
    """The same small site built in (en, ur, hi) and in English only."""
    base = tmp_path_factory.mktemp("languages")
    out: dict[tuple[str, ...], Path] = {}
    for languages in (LANGS, ("en",)):
        folder = base / "-".join(languages)
        # `<page>.<lang>.md` names a translation only into a language of the site.
        root = write_site(folder, {k: v for k, v in FILES.items() if k.count(".") == 1 or len(languages) > 1})
        settings = settings_for(root / "mkdocs.yml", site_dir=folder / "site", cache_dir=folder / "cache",
                                languages=languages)
        result = build(settings, jobs=1)
        assert result.ok, [str(d) for d in result.check.diagnostics if d.is_error]
        out[languages] = folder / "site"
    return out


@pytest.fixture(scope="module")
def site(sites: dict[tuple[str, ...], Path]) -> Path:
    return sites[LANGS]


def root_element(html: str) -> dict[str, str]:
    return parse(html).find("html")[0]


def test_a_translated_page_is_urdu_and_right_to_left(site: Path) -> None:
    html = read(site, "/ur/about/")
    assert root_element(html) | {"class": ""} == {"lang": "ur", "dir": "rtl", "class": ""}
    assert "کاریگر دستکاروں کا کام دکھاتا ہے۔" in html
    assert "Karigar shows the work" not in html
    assert "karigar-untranslated" not in html and "karigar-fallback" not in html


def test_an_untranslated_page_shows_the_english_text_marked_as_english_with_a_notice(site: Path) -> None:
    html = read(site, "/ur/guide/")
    assert root_element(html)["lang"] == "ur" and root_element(html)["dir"] == "rtl"
    wrapper = html[html.index('class="karigar-fallback"'):]
    assert wrapper.index("Fold the quilt in three") < wrapper.index("</div>")
    assert parse(html).find("div", class_="karigar-fallback") == [
        {"class": "karigar-fallback", "lang": "en", "dir": "ltr"}]
    # The page's title is the English page's too, and marked so.
    assert '<h1 lang="en" dir="ltr">Packing a quilt</h1>' in html
    notice = [a for a in parse(html).find("div") if "karigar-untranslated" in a.get("class", "")]
    assert len(notice) == 1 and notice[0]["role"] == "note"
    # The notice speaks the page's interface language.
    assert notice[0]["lang"] == "ur"
    text = html[html.index("karigar-untranslated"):]
    assert ARABIC_SCRIPT.search(text[:text.index("</div>")])
    # The English original is the canonical page of this copy.
    assert parse(html).find("link", rel="canonical")[0]["href"].endswith("/guide/")


def test_a_catalog_page_in_urdu_has_the_urdu_frame_and_a_switcher_to_the_same_page(site: Path) -> None:
    for url in ("/ur/" + PRODUCT_PATH, "/ur/artisans/pk/thatta/"):
        html = read(site, url)
        assert root_element(html)["lang"] == "ur" and root_element(html)["dir"] == "rtl"
        assert parse(html).find("body")[0]["dir"] == "rtl"
        options = switcher(html)
        assert [(o["lang"], o["hreflang"]) for o in options] == [(lang, lang) for lang in LANGS]
        same_page = url.removeprefix("/ur/")
        assert [o["href"] for o in options] == ["/" + same_page, "/ur/" + same_page, "/hi/" + same_page]
        assert [o.get("aria-current") for o in options] == [None, "page", None]
        for option in options:
            assert exists(site, option["href"]), option
        names = re.findall(r'class="md-select__link"[^>]*>([^<]+)</a>', html)
        assert names == [OWN_NAMES[lang] for lang in LANGS]
        # The switcher is labelled, in the page's language, and reachable by keyboard (links and a button).
        nav = [a for a in parse(html).find("nav") if "md-select" in a.get("class", "")]
        assert len(nav) == 1 and ARABIC_SCRIPT.search(nav[0]["aria-label"])


def test_every_page_has_a_switcher_marking_its_own_language(site: Path) -> None:
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 30
    for path in pages:
        rel = path.relative_to(site).as_posix()
        lang = rel.split("/")[0] if rel.split("/")[0] in LANGS[1:] else "en"
        options = switcher(path.read_text("utf-8"))
        assert [o["lang"] for o in options] == list(LANGS), rel
        current = [o["hreflang"] for o in options if o.get("aria-current") == "page"]
        assert current == [lang], rel


def test_hreflang_alternates_name_every_translation_and_x_default_and_lead_to_real_pages(site: Path) -> None:
    origin = "https://karigar.netlify.app"

    def alternates(url: str) -> dict[str, str]:
        links = parse(read(site, url)).find("link", rel="alternate")
        found = {a["hreflang"]: a["href"] for a in links if "hreflang" in a}
        for href in found.values():
            assert href.startswith(origin) and exists(site, href[len(origin):]), (url, href)
        return found

    for lang in LANGS:
        prefix = "/" if lang == "en" else f"/{lang}/"
        expected = {code: origin + ("/" if code == "en" else f"/{code}/") + PRODUCT_PATH for code in LANGS}
        assert alternates(prefix + PRODUCT_PATH) == expected | {"x-default": expected["en"]}
        assert set(alternates(prefix + "crafts/")) == {*LANGS, "x-default"}
    # MkDocs' pages name only real translations: about has Urdu, the guide none, the webinar Hindi.
    assert set(alternates("/hi/about/")) == {"en", "ur", "x-default"}
    assert set(alternates("/ur/guide/")) == {"en", "x-default"}
    assert set(alternates("/training/live-listing/")) == {"en", "hi", "x-default"}


def test_tabs_and_logo_of_a_language_lead_to_that_languages_pages(site: Path) -> None:
    for url in ("/hi/" + PRODUCT_PATH, "/hi/about/"):
        html = read(site, url)
        tabs = re.findall(r'<a href="([^"]*)" class="md-tabs__link">', html)
        assert tabs and all(t.startswith("/hi/") or not t.startswith("/") for t in tabs), tabs
        logo = [a for a in parse(html).find("a") if "md-logo" in a.get("class", "")]
        assert logo[0]["href"] == "/hi/"


def test_training_pages_and_calendar_work_in_every_language(site: Path) -> None:
    for lang in LANGS:
        prefix = "/" if lang == "en" else f"/{lang}/"
        html = read(site, prefix + "training/live-listing/")
        assert 'class="kg-training-box"' in html, lang
        feed = read(site, prefix + "training/calendar.ics")
        urls = [u.replace("\r\n ", "") for u in re.findall(r"^URL:(.*)$", feed, re.M)]
        assert urls == [f"https://karigar.netlify.app{prefix}training/live-listing/"], lang
        assert exists(site, urls[0].removeprefix("https://karigar.netlify.app"))
    hindi = read(site, "/hi/training/live-listing/")
    assert "रज़ाई की लिस्टिंग पर एक लाइव सत्र।" in hindi and "karigar-fallback" not in hindi
    # The box is Karigar's interface, in the page's language, outside the English fallback text.
    urdu = read(site, "/ur/training/live-listing/")
    box = urdu.index('class="kg-training-box"')
    assert box < urdu.index('class="karigar-fallback"')
    assert ARABIC_SCRIPT.search(urdu[box:urdu.index("</aside>", box)])


def test_an_english_only_site_keeps_its_shape(sites: dict[tuple[str, ...], Path]) -> None:
    single, multi = sites[("en",)], sites[LANGS]
    assert not (single / "ur").exists() and not (single / "hi").exists()
    pages = {p.relative_to(single).as_posix() for p in single.rglob("*.html")}
    default_pages = {p.relative_to(multi).as_posix() for p in multi.rglob("*.html")
                     if p.relative_to(multi).parts[0] not in LANGS[1:]}
    assert pages == default_pages
    for rel in pages:
        html = (single / rel).read_text("utf-8")
        assert "md-select" not in html and "hreflang" not in html, rel
        assert "karigar-fallback" not in html and "@@KARIGAR" not in html, rel


def test_alternates_lead_to_the_default_page_where_a_language_lacks_the_page(tmp_path: Path) -> None:
    """A caller may say which languages a page exists in; the switcher then falls back to the default page."""
    root = write_site(tmp_path, {k: v for k, v in FILES.items() if k.startswith("artisans/")})
    settings = settings_for(root / "mkdocs.yml", site_dir=tmp_path / "site", cache_dir=tmp_path / "cache",
                            languages=LANGS)
    catalog = check_site(settings, now=NOW, jobs=1).catalog
    assert catalog is not None
    builder = ViewBuilder(catalog, ui_locale("hi"), site_name="Karigar", site_url=settings.site_url)
    artisan = catalog.artisans[0]
    route_of = lambda lang: catalog.routes.artisan(artisan.country, artisan.district_slug,  # noqa: E731
                                                     artisan.slug, lang)
    meta = builder.meta("x", route_of("hi").url, "showcase", route_of=route_of, languages=("hi",))
    by_lang = {a.lang: a for a in meta.alternates}
    assert list(by_lang) == list(LANGS)
    assert (by_lang["ur"].url, by_lang["ur"].available) == (route_of("en").url, False)
    assert (by_lang["hi"].url, by_lang["hi"].available) == (route_of("hi").url, True)
    assert by_lang["en"].available


def test_frame_links_are_concatenated_never_substituted() -> None:
    frame = Frame.from_template_output(
        "<html><head><title>@@KARIGAR-TITLE@@</title><!--@@KARIGAR-HEAD@@--></head><body><header>"
        f'<a href="{link_slot("en")}">English</a><a href="{link_slot("ur")}">اردو</a></header>'
        "<main><!--@@KARIGAR-BODY@@--></main></body></html>")
    body = f"<p>{link_slot('ur')} stays text</p>"
    html = frame.wrap(title="T", head="", body=body, links={"en": "/a/?x=1&y=2", "ur": "/ur/a/"})
    assert '<a href="/a/?x=1&amp;y=2">English</a><a href="/ur/a/">اردو</a>' in html
    assert body in html
    with pytest.raises(KeyError):
        frame.wrap(title="T", head="", body="", links={"en": "/a/"})


@pytest.mark.browser
def test_the_switcher_works_by_keyboard_and_pages_pass_axe_in_chromium(site: Path) -> None:
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    from tests.browser import CHROMIUM_ARGS, require_chromium, serve_folder
    from tests.request_guard import guard_requests, origin_of

    executable = require_chromium()
    site_origin = origin_of(settings_for(site.parent / "site-src" / "mkdocs.yml").site_url)
    with serve_folder(site) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        context = browser.new_context()
        requests = guard_requests(context, [base], site_origin)
        page = context.new_page()
        for url in ("/ur/" + PRODUCT_PATH, "/ur/guide/", "/ur/about/"):
            page.goto(base + url, wait_until="load")
            page.evaluate("document.fonts.ready.then(() => true)")
            page.add_style_tag(content="*, *::before, *::after { transition: none !important; }")
            # Both of Material's palettes, light and dark (it keeps the choice on <body>).
            for scheme in ("default", "slate"):
                page.evaluate("scheme => document.body.setAttribute('data-md-color-scheme', scheme)", scheme)
                page.evaluate("new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
                violations = [v["id"] for v in Axe().run(page).response["violations"]]
                assert violations == [], (url, scheme, violations)
            assert requests.left_machine == [] and requests.unexpected_own_site() == [], (url, requests)

        page.goto(base + "/ur/" + PRODUCT_PATH, wait_until="load")
        label = ""
        for _ in range(20):  # Tab through the header to the switcher's button
            page.keyboard.press("Tab")
            label = page.evaluate("document.activeElement.getAttribute('aria-label') || ''")
            # The menu button and the palette toggle have Urdu labels too: the switcher is the
            # button inside the language list.
            if label and ARABIC_SCRIPT.search(label) and page.evaluate(
                    "document.activeElement.matches('.md-select button')"):
                break
        assert page.evaluate("document.activeElement.matches('.md-select button')"), label
        page.keyboard.press("Tab")
        focused = page.evaluate("[document.activeElement.hreflang, document.activeElement.textContent.trim(),"
                                " getComputedStyle(document.activeElement.closest('.md-select__inner')).maxHeight]")
        assert focused[:2] == ["en", "English"] and focused[2] != "0px"  # the list opened on focus
        page.keyboard.press("Enter")
        page.wait_for_url(base + "/" + PRODUCT_PATH)
        assert page.evaluate("document.documentElement.lang") == "en"
        assert requests.left_machine == [], requests.left_machine
        browser.close()
