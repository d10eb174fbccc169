"""The second wall (nh3), JSON in scripts, CSP hashes from the built output, headers and CODEOWNERS."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
import tomllib
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from karigar.diagnostics import format_text
from karigar.render.admin.policy import ADMIN_RULE
from karigar.hosting.netlify_headers import (
    deploy_header_rules,
    headers_for,
    parse_headers_file,
    parse_netlify_toml,
)
from karigar.markup.entry_markdown import render_entry_markdown
from karigar.render.csp import (
    HEADERS_PATH,
    HashCollector,
    UntrustedInlineCode,
    csp_hash,
    csp_policy,
    finalize_headers,
    frame_pages,
    headers_file,
    inline_hashes,
    inline_script_hashes,
    inline_style_hashes,
)
from karigar.render.look import Frame
from karigar.render.security import LINK_REL, json_for_script, sanitize_fragment

from tests.conftest import REPO, SiteFactory, build, settings_for

PHOTO_BASE = "/artisans/pk/thatta/shazia-bibi/"
HOSTS = frozenset({"www.etsy.com", "www.amazon.com", ".daraz.pk", "smeda.org.pk"})


def render(source: str) -> str:
    return render_entry_markdown(
        source, path="artisans/pk/thatta/shazia-bibi/index.md", first_line=1, allowed_link_hosts=HOSTS,
        resolve_image=lambda src: PHOTO_BASE + src if src.startswith("photos/") else None,
    ).html


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Elements()
    parser.feed(html)
    parser.close()
    return parser.found


# --- sanitize_fragment ----------------------------------------------------------------

def test_a_fragment_the_renderer_made_passes_unchanged_byte_for_byte() -> None:
    source = (
        "## Story\n\nHello *soft* **bold** `code` & <3 \"quotes\" 'single' \u00a0nbsp\n\n"
        "- one\n- two\n\n3. three\n\n> quoted\n\n"
        "[Etsy](https://www.etsy.com/shop/x?a=1&b=\"2\" \"Shazia's <shop>\") "
        "![Shazia at her \"loom\" > 1](photos/loom.jpg \"At <work>\")\n\nsoft\nbreak  \nhard\n"
    )
    html = render_entry_markdown(
        source, path="x.md", first_line=1, allowed_link_hosts=HOSTS,
        resolve_image=lambda src: PHOTO_BASE + src,
    ).html
    assert "<a href=" in html and "<img src=" in html and "<br>" in html
    assert sanitize_fragment(html) == html


# Markdown made of the characters that matter to HTML and to Markdown.
_MARKDOWN = st.lists(
    st.sampled_from(list("ab <>&\"'`*_#-[]()!:/\n\\{}=;\u00a0\u2028") +
                    ["https://www.etsy.com/x", "photos/a.jpg", "javascript:", "<script>", "](", "\n\n", "- ", "> "]),
    max_size=40,
).map("".join)


@given(_MARKDOWN)
def test_the_renderer_never_emits_what_the_second_wall_would_change(source: str) -> None:
    html = render(source)
    assert sanitize_fragment(html) == html


@pytest.mark.parametrize(("dirty", "clean"), [
    ("<p>x<script>alert(1)</script>y</p>", "<p>xy</p>"),
    ("<style>p{}</style><p>x</p>", "<p>x</p>"),
    ('<img src="/a.jpg" alt="a" onerror="alert(1)">', '<img src="/a.jpg" alt="a">'),
    ('<a href="javascript:alert(1)">x</a>', f'<a rel="{LINK_REL}">x</a>'),
    ('<a href=" JaVa&#x09;Script:alert(1)">x</a>', f'<a rel="{LINK_REL}">x</a>'),
    ('<a href="vbscript:x">x</a>', f'<a rel="{LINK_REL}">x</a>'),
    ('<a href="http://www.etsy.com/">x</a>', f'<a rel="{LINK_REL}">x</a>'),
    ('<a href="mailto:a@b.c">x</a>', f'<a rel="{LINK_REL}">x</a>'),
    ('<img src="data:image/svg+xml;base64,PHN2Zz4=" alt="a">', '<img alt="a">'),
    ('<img src="//evil.example/x.png" alt="a">', '<img alt="a">'),
    ('<img src="/\\evil.example/x.png" alt="a">', '<img alt="a">'),
    ('<p style="color:red" class="x" id="y">x</p>', "<p>x</p>"),
    ('<a href="https://www.etsy.com/" rel="opener" target="_blank">x</a>',
     f'<a href="https://www.etsy.com/" rel="{LINK_REL}">x</a>'),
    ("<iframe src=/x></iframe><object data=/x></object><p>t</p>", "<p>t</p>"),
    ("<!-- comment --><p>x</p>", "<p>x</p>"),
    ("<div><span>x</span></div>", "x"),
    ("<em>unclosed", "<em>unclosed</em>"),
    ("<img loading=eager src=/a.jpg alt=a>", '<img src="/a.jpg" alt="a" loading="eager">'),
])
def test_the_second_wall_removes_what_the_renderer_must_never_emit(dirty: str, clean: str) -> None:
    assert sanitize_fragment(dirty) == clean


@pytest.mark.parametrize("payload", [
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    '<svg><p><style><img src=x onerror=alert(1)></style></p></svg>',
    '<!--<img src="--><img src=x onerror=alert(1)//">',
    '<a href="https://www.etsy.com/" title="&quot; onmouseover=&quot;alert(1)">x</a>',
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    '<IMG SRC=`javascript:alert("x")`>',
    "<form><button formaction=javascript:alert(1)>x</button></form>",
])
def test_mutation_and_obfuscation_payloads_come_out_without_script_or_handlers(payload: str) -> None:
    clean = sanitize_fragment(payload)
    for tag, attrs in elements(clean):
        assert tag in {"p", "br", "h2", "h3", "h4", "em", "strong", "code", "ul", "ol", "li", "blockquote", "a", "img"}
        assert not [name for name in attrs if name.startswith("on")], clean
        for name in ("href", "src"):
            value = (attrs.get(name) or "").strip().lower()
            assert not value.startswith(("javascript:", "data:", "vbscript:")), clean
    assert "<script" not in clean.lower() and "<style" not in clean.lower()
    # Idempotent: a second pass changes nothing.
    assert sanitize_fragment(clean) == clean


def test_entry_markdown_runs_the_second_wall() -> None:
    """The renderer's output goes through sanitize_fragment (here: a resolver that misbehaves)."""
    html = render_entry_markdown(
        "![a](photos/a.jpg)", path="x.md", first_line=1, allowed_link_hosts=HOSTS,
        resolve_image=lambda src: "//evil.example/a.jpg",  # a bug the walk does not catch
    ).html
    assert "evil.example" not in html


# --- json_for_script ----------------------------------------------------------------------

def test_json_for_script_cannot_close_the_script_element() -> None:
    value = {"name": "</script><script>alert(1)</script>", "b": "<!-- & -->", "c": "x\u2028y\u2029z", "n": [1, 2.5]}
    text = json_for_script(value)
    assert "<" not in text and ">" not in text and "&" not in text
    assert "\u2028" not in text and "\u2029" not in text
    assert json.loads(text) == value
    assert text == json_for_script(dict(reversed(list(value.items()))))  # stable key order


def test_json_for_script_in_a_page_stays_one_data_block() -> None:
    payload = "</script><script>alert(1)</script>"
    page = f'<script type="application/ld+json">{json_for_script({"name": payload})}</script><p>after</p>'
    scripts = re.findall(r"<script[^>]*>(.*?)</script>", page, re.S)
    assert len(scripts) == 1 and json.loads(scripts[0]) == {"name": payload}
    assert inline_script_hashes(page.encode()) == set()  # a data block gets no hash


def test_json_for_script_refuses_nan() -> None:
    with pytest.raises(ValueError):
        json_for_script({"x": float("nan")})


# --- inline hashes ------------------------------------------------------------------------

def test_csp_hash_matches_what_chromium_computes() -> None:
    # Chromium's console, blocking `<script>window.ran=1</script>`, names this hash.
    assert csp_hash("window.ran=1") == "'sha256-W5c8OPLHgFlPgq7BTg6SQ+yHnf/JXyKhSXoHDia2930='"
    digest = base64.b64encode(hashlib.sha256("é".encode()).digest()).decode()
    assert csp_hash("é") == f"'sha256-{digest}'"


def test_csp_hash_sees_the_text_as_the_html_parser_leaves_it() -> None:
    assert csp_hash("a\r\nb\rc") == csp_hash("a\nb\nc")
    assert csp_hash("a\x00b") == csp_hash("a\ufffdb")


def test_inline_hashes_cover_executed_scripts_and_style_elements_only() -> None:
    page = b"""<!doctype html><html><head>
<script>one()</script>
<SCRIPT type="text/javascript">two()</SCRIPT >
<script type="module">three()</script>
<script type=" TEXT/JavaScript ">four()</script>
<script data-x="a>b" >five()</script>
<script src="/assets/x.js"></script>
<script src="/assets/y.js">ignored()</script>
<script id="__config" type="application/json">{"a": "<b>"}</script>
<script type="application/ld+json">{"@type": "Thing"}</script>
<script type="text/x-template">not a script</script>
<script language="javascript">six()</script>
<style>p { color: red }</style>
<STYLE media="print">q{}</STYLE>
</head><body><p style="x">no attribute hashes</p><script>
seven()
</script></body></html>"""
    found = inline_hashes(page)
    assert found.scripts == {csp_hash(t) for t in
                             ("one()", "two()", "three()", "four()", "five()", "six()", "\nseven()\n")}
    assert found.styles == {csp_hash("p { color: red }"), csp_hash("q{}")}
    assert inline_script_hashes(page) == found.scripts
    assert inline_style_hashes(page) == found.styles


def test_a_script_without_end_tag_runs_to_the_end_of_the_document() -> None:
    assert inline_script_hashes(b"<p>x</p><script>tail()") == {csp_hash("tail()")}
    assert inline_script_hashes(b"<p>x</p><script") == set()
    assert inline_script_hashes(b"<p>no scripts</p><scripted>") == set()


def test_script_text_is_raw_up_to_its_end_tag() -> None:
    page = b"<script>var s = '<style>x</style>'; var t = '</scrip' + 't>';</script><style>a{}</style>"
    found = inline_hashes(page)
    assert found.scripts == {csp_hash("var s = '<style>x</style>'; var t = '</scrip' + 't>';")}
    assert found.styles == {csp_hash("a{}")}


# --- the policy and the _headers file -----------------------------------------------

def directives(policy: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            assert words[0] not in out, f"{words[0]} twice"
            out[words[0]] = words[1:]
    return out


def test_the_policy_is_strict_and_allows_exactly_the_given_hashes() -> None:
    scripts = {csp_hash("b()"), csp_hash("a()")}
    policy = directives(csp_policy(scripts, {csp_hash("p{}")}))
    assert policy["default-src"] == ["'self'"]
    # 'wasm-unsafe-eval' is the one addition search needs (Pagefind's WebAssembly); never 'unsafe-eval'.
    assert policy["script-src"] == ["'self'", "'wasm-unsafe-eval'", *sorted(scripts)]
    assert "'unsafe-eval'" not in policy["script-src"] and "'unsafe-inline'" not in policy["script-src"]
    assert policy["style-src"] == ["'self'", csp_hash("p{}")]
    assert policy["img-src"] == ["'self'", "https:", "data:"]
    assert policy["font-src"] == ["'self'"]
    assert policy["connect-src"] == ["'self'"]
    assert directives(csp_policy(scripts, connect_sources=["https://karigar.netlify.app"]))["connect-src"] == [
        "'self'", "https://karigar.netlify.app"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["upgrade-insecure-requests"] == []
    text = csp_policy(scripts)
    for loose in ("'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*", "http:"):
        assert loose not in text.split()


def test_headers_file_is_netlify_syntax_with_the_csp_on_every_path() -> None:
    policy = csp_policy({csp_hash("x()")})
    rules = parse_headers_file(headers_file(policy))
    assert [(rule.path, dict(rule.values)) for rule in rules] == [("/*", {"Content-Security-Policy": policy})]
    with pytest.raises(ValueError):
        headers_file("default-src 'self'\nX-Evil: 1")


THEME = [("frame:en", b'<script>__md_scope=new URL("/",location)</script><script>a()</script>'
                     b"<script>b()</script>")]


def csp_of(data: bytes) -> dict[str, list[str]]:
    return directives(parse_headers_file(data.decode())[0].values["Content-Security-Policy"])


def test_finalize_headers_hashes_the_theme_scripts_found_in_the_pages() -> None:
    outputs = [
        ("index.html", b"<script>a()</script>"),
        ("x/index.html", b"<script>b()</script><script>a()</script>"),
        # MkDocs' pages: the same script with the page's relative scope.
        ("training/x/index.html", b'<script>__md_scope=new URL("../..",location)</script>'),
        ("assets/app.js", b"<script>not html()</script>"),
        ("feed.ics", b"<script>nor this()</script>"),
    ]
    path, data = finalize_headers(outputs, theme_pages=THEME)
    assert path == HEADERS_PATH == "_headers"
    expected = {csp_hash(t) for t in ("a()", "b()", '__md_scope=new URL("/",location)',
                                      '__md_scope=new URL("../..",location)')}
    assert csp_of(data)["script-src"] == ["'self'", "'wasm-unsafe-eval'", *sorted(expected)]
    collector = HashCollector(THEME)
    for output in outputs:
        collector.add(*output)
    assert collector.output() == (path, data) and collector.pages == 3


@pytest.mark.parametrize("injected", [
    b"<script>alert(1)</script>",
    b"<SCRIPT>a();alert(1)</SCRIPT>",
    b'<script>__md_scope=new URL("/",location);alert(1)</script>',
    b"<script type=module>a()//</script>",
    b"<style>body{background:url(https://evil.example/)}</style>",
])
def test_finalize_headers_never_hashes_inline_code_the_theme_does_not_emit(injected: bytes) -> None:
    """Content that smuggled a script into a page must not get it allowed by the policy made from that page."""
    outputs = [("index.html", b"<script>a()</script>"), ("artisans/x/index.html", b"<h1>" + injected + b"</h1>")]
    with pytest.raises(UntrustedInlineCode) as caught:
        finalize_headers(outputs, theme_pages=THEME)
    assert list(caught.value.found) == ["artisans/x/index.html"]
    assert "artisans/x/index.html" in str(caught.value)
    # Where: the element's start tag, right after `<h1>` (so a build can point at it).
    [place] = caught.value.places
    element = "style" if injected.startswith(b"<style") else "script"
    assert (place.path, place.offset, place.element) == ("artisans/x/index.html", 4, element)


def test_frame_pages_join_a_frames_pieces() -> None:
    frame = Frame.from_template_output(
        "<html><head><title>@@KARIGAR-TITLE@@</title><script>a()</script><!--@@KARIGAR-HEAD@@--></head>"
        "<body><!--@@KARIGAR-BODY@@--><script>b()</script></body></html>")
    pages = frame_pages({("en", "showcase"): frame})
    assert len(pages) == 1
    assert inline_script_hashes(pages[0][1]) == {csp_hash("a()"), csp_hash("b()")}


def built_policy(site: Path) -> dict[str, list[str]]:
    """The CSP in the ``_headers`` file the build wrote into ``site``: one policy on every path but the
    web editor's (``/admin/*`` has its own: tests/test_admin_headers.py)."""
    rules = [rule for rule in parse_headers_file((site / HEADERS_PATH).read_text("utf-8")) if rule.path != ADMIN_RULE]
    paths = [rule.path for rule in rules]
    assert paths == ["/*"] or {"/", "/artisans/*", "/index.html"} <= set(paths), paths
    assert all(list(rule.values) == ["Content-Security-Policy"] for rule in rules), "the CSP alone"
    [policy] = {rule.values["Content-Security-Policy"] for rule in rules}
    return directives(policy)


def test_the_sample_build_wrote_a_policy_allowing_exactly_its_inline_scripts(sample_site: Path) -> None:
    """The shipped policy: every inline script of every built page is allowed, and nothing else is.

    Read from the ``_headers`` the build wrote, never recomputed: a build that
    wrote no file, or a wrong hash, fails here.
    """
    policy = built_policy(sample_site)
    outputs = [(p.relative_to(sample_site).as_posix(), p.read_bytes()) for p in sample_site.rglob("*.html")]
    assert len(outputs) > 50
    found: set[str] = set()
    for _, page in outputs:
        found |= inline_script_hashes(page)
    # Material's inline scripts: __md_scope (one per page depth), the palette and the tabs restore.
    assert 3 <= len(found) <= 8, found
    assert set(policy["script-src"]) == {"'self'", "'wasm-unsafe-eval'", *found}, \
        "each page script allowed; no hash for a script no page has"
    assert policy["style-src"] == ["'self'"], "no <style> element in the built pages"
    assert policy["connect-src"] == ["'self'"], "no script fetches from another origin"
    for loose in ("'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'"):
        assert loose not in sum(policy.values(), []), loose
    for path, page in outputs:
        text = page.decode()
        # No style attribute (style-src would block it) and no inline handler (script-src would).
        assert not re.search(r"<[^>]*\sstyle\s*=", text), path
        assert not re.search(r"<[^>]*\son[a-z]+\s*=", text, re.I), path
        assert "javascript:" not in text.lower(), path


def test_the_catalog_templates_hold_no_inline_script_handler_or_style() -> None:
    """Catalog pages are the frame plus these templates: their only inline scripts are the frame's (Material's)."""
    templates = [*sorted((REPO / "theme" / "karigar").glob("*.html")), REPO / "theme" / "karigar-frame.html"]
    assert len(templates) > 3
    for template in templates:
        text = template.read_text("utf-8")
        assert not re.search(r"<script(?![^>]*\ssrc=)[^>]*>", text, re.I), template
        assert not re.search(r"\son[a-z]+\s*=", text, re.I), template
        assert not re.search(r"\sstyle\s*=", text, re.I), template
        assert "javascript:" not in text.lower(), template


# --- a build with inline code the theme never emits ---------------------------------
# How such code can reach a page: content/ pages refuse raw HTML (validation), so
# through the theme -- an override template in the custom_dir, used by MkDocs'
# pages but not by the frames -- or through a catalog template.

LOCATED_ERROR = re.compile(r"^(?P<path>[^\s:][^:]*):(?P<line>\d+):(?P<col>\d+): error: \S")


def site_with_theme(make_site: SiteFactory, theme_files: dict[str, str]) -> Path:
    """An inline site with About page, building with its own copy of the theme plus ``theme_files``."""
    root = make_site({"content/about.md": "---\ntitle: About\n---\n\nAbout the co-operative.\n"})
    shutil.copytree(REPO / "theme", root / "theme")
    for rel, text in theme_files.items():
        (root / "theme" / rel).write_text(text, "utf-8")
    config = root / "mkdocs.yml"
    text = config.read_text("utf-8")
    for absolute in (REPO / "theme" / "karigar", REPO / "theme"):  # the catalog's templates, then the custom_dir
        assert str(absolute) in text
        text = text.replace(str(absolute), absolute.relative_to(REPO).as_posix())
    config.write_text(text, "utf-8")
    return root


def failed_build(root: Path) -> tuple[str, str]:
    """Build ``root`` with Material; it must fail with one located error and write nothing. (first line, message)"""
    settings = settings_for(root / "mkdocs.yml", site_dir=root / "site", cache_dir=root / ".cache")
    result = build(settings)
    assert not result.ok and result.report is None
    [error] = [d for d in result.check.diagnostics if d.is_error]
    assert error.code == "inline-code"
    first = format_text(error).split("\n", 1)[0]
    match = LOCATED_ERROR.match(first)
    assert match, first
    assert not (root / "site").exists() or not any((root / "site").iterdir()), "nothing is written"
    return first, error.message


def line_at(root: Path, first: str) -> str:
    """The text of the file the error names, from its line and column on."""
    match = LOCATED_ERROR.match(first)
    assert match
    lines = (root / match["path"]).read_text("utf-8").split("\n")
    return lines[int(match["line"]) - 1][int(match["col"]) - 1:]


FOREIGN_SCRIPT_MAIN = """{% extends "base.html" %}
{% block content %}
  {{ super() }}
  <script>document.title = "hijacked"</script>
{% endblock %}
"""


def test_a_theme_override_adding_an_inline_script_fails_the_build_where_the_script_is_written(
        make_site: SiteFactory) -> None:
    """The script is in the override's source: the error points there, and names the page it reached."""
    root = site_with_theme(make_site, {"main.html": FOREIGN_SCRIPT_MAIN})
    first, message = failed_build(root)
    assert first.startswith("theme/main.html:4:3: error: inline <script> 'document.title = \"hijacked\"'"), first
    assert line_at(root, first).startswith('<script>document.title = "hijacked"')
    assert "about/index.html (the page of content/about.md)" in message
    assert "block" in message


EXPRESSION_SCRIPT_MAIN = """{% extends "base.html" %}
{% block content %}
  {{ super() }}
  <script>var shown = {{ page.title | tojson }};</script>
{% endblock %}
"""


def test_an_inline_script_made_by_a_template_expression_is_located_in_the_built_page(
        make_site: SiteFactory) -> None:
    """No source holds the script's text as written: the error points into the staged page and names its source."""
    root = site_with_theme(make_site, {"main.html": EXPRESSION_SCRIPT_MAIN})
    first, message = failed_build(root)
    assert first.startswith(".cache/mkdocs-staging/about/index.html:"), first
    assert line_at(root, first).startswith('<script>var shown = "About";</script>')
    assert "(the page of content/about.md)" in message and "template expression" in message


def test_an_inline_script_in_a_catalog_template_fails_the_build_where_it_is_written(make_site: SiteFactory) -> None:
    """Catalog pages are checked through their templates, before any page is rendered or written."""
    home = (REPO / "theme" / "karigar" / "home.html").read_text("utf-8")
    listing = (REPO / "theme" / "karigar" / "listing.html").read_text("utf-8")
    root = site_with_theme(make_site, {
        "karigar/home.html": home + "<script>fetch('/x')</script>\n",
        # Inside a Jinja comment a script is never output: not an error.
        "karigar/listing.html": "{# <script>commented()</script> #}\n" + listing,
    })
    first, message = failed_build(root)
    lines = home.count("\n")
    assert first.startswith(f"theme/karigar/home.html:{lines + 1}:1: error: inline <script> \"fetch('/x')\""), first
    assert "catalog template" in message and "listing.html" not in message


# --- netlify.toml and how Netlify merges it with _headers ---------------------------

def test_netlify_toml_sets_the_static_security_headers_and_never_the_csp() -> None:
    config = tomllib.loads((REPO / "netlify.toml").read_text("utf-8"))
    for rule in config["headers"]:
        names = {name.strip().lower() for name in rule["values"]}
        # Netlify lets netlify.toml override _headers: a CSP here would drop the hashed one.
        assert "content-security-policy" not in names, rule
        assert "content-security-policy-report-only" not in names, rule
    root = headers_for(parse_netlify_toml((REPO / "netlify.toml").read_text("utf-8")), "/")
    assert root["Strict-Transport-Security"].startswith("max-age=")
    assert int(root["Strict-Transport-Security"].split("=")[1].split(";")[0]) >= 31536000
    assert root["X-Content-Type-Options"] == "nosniff"
    assert root["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert root["X-Frame-Options"] == "DENY"
    assert "camera=()" in root["Permissions-Policy"] and "geolocation=()" in root["Permissions-Policy"]


def test_the_sample_deploy_sends_the_built_csp_and_the_static_headers_on_every_path(sample_site: Path) -> None:
    """What Netlify would send for the built sample: its own _headers merged with netlify.toml's."""
    built = parse_headers_file((sample_site / HEADERS_PATH).read_text("utf-8"))[0].values["Content-Security-Policy"]
    rules = deploy_header_rules(sample_site, REPO / "netlify.toml")
    for path in ("/", "/artisans/pk/thatta/shazia-bibi/", "/about/", "/ur/", "/404.html", "/training/calendar.ics",
                 "/assets/karigar/training-filter.js"):
        sent = headers_for(rules, path)
        assert sent["Content-Security-Policy"] == built, path
        assert sent["X-Frame-Options"] == "DENY", path
        assert sent["X-Content-Type-Options"] == "nosniff", path
    assert headers_for(rules, "/training/calendar.ics")["Content-Type"].startswith("text/calendar")
    assert "Content-Type" not in headers_for(rules, "/training/")


# --- CODEOWNERS ---------------------------------------------------------------------

def test_codeowners_puts_everything_that_runs_code_under_maintainers_review() -> None:
    lines = [line.split() for line in (REPO / ".github" / "CODEOWNERS").read_text("utf-8").splitlines()
             if line.strip() and not line.lstrip().startswith("#")]
    owners = {parts[0]: parts[1:] for parts in lines}
    for path in ("/mkdocs.yml", "/theme/", "/scripts/", "/netlify.toml", "/.github/", "/pyproject.toml",
                 "/Makefile", "/.ci/", "/package.json", "/tests/", "/artisans/_registry/",
                 # pre-commit runs these on contributors' machines; allowed numbers pass the private-data check.
                 "/.pre-commit-config.yaml", "/.pre-commit-hooks.yaml", "/artisans/_registry/allowed_numbers.yml"):
        assert owners.get(path) == ["@karigar/maintainers"], path
    # Volunteers' content is not owned, so their pull requests need no maintainer ...
    assert [path for path in owners if path.startswith("/artisans/")] == [
        "/artisans/_registry/", "/artisans/_registry/allowed_numbers.yml"]
    assert owners["/content/**/*.md"] == []
    # ... except files MkDocs would publish verbatim from content/ (the later, ownerless line wins for .md).
    assert owners["/content/"] == ["@karigar/maintainers"]
    assert list(owners).index("/content/**/*.md") > list(owners).index("/content/")
