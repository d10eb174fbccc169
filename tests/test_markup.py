"""The Markdown layer of entries, the page check and the URL policy.

Content comes from strangers' pull requests, so besides the allowed
constructs these tests throw filter-evasion payloads at the renderer and
inspect the HTML with a real parser.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from karigar.diagnostics import Severity
from karigar.markup import (
    RenderedMarkdown,
    SafeUrl,
    add_query_params,
    check_page_markdown,
    host_allowed,
    parse_https_url,
    render_entry_markdown,
)

PATH = "artisans/pk/thatta/shazia-bibi/index.md"
PHOTO_BASE = "/artisans/pk/thatta/shazia-bibi/"
HOSTS = frozenset({".daraz.pk", "www.etsy.com", "smeda.org.pk"})
# Urdu and Devanagari before a problem: 11 characters but 25 UTF-8 bytes, so
# a byte-counted column would be far to the right of 12.
PREFIX = "شازیہ बीबी "
PREFIX_COL = len(PREFIX) + 1
ALLOWED_TAGS = {"p", "h2", "h3", "h4", "em", "strong", "ul", "ol", "li", "blockquote", "code", "a", "img", "br"}


def resolve(src: str) -> str | None:
    if src.startswith("photos/") and ".." not in src and "\\" not in src:
        return PHOTO_BASE + src
    return None


def render(source: str, first_line: int = 5) -> RenderedMarkdown:
    return render_entry_markdown(source, path=PATH, first_line=first_line, allowed_link_hosts=HOSTS,
                                 resolve_image=resolve)


def found(result: RenderedMarkdown | list) -> list[tuple[str, int, int]]:
    items = result.diagnostics if isinstance(result, RenderedMarkdown) else result
    return [(d.code, d.location.line, d.location.col) for d in items]


class _Elements(HTMLParser):
    """Every start tag with its attributes, as a browser would see them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Elements()
    parser.feed(html)
    parser.close()
    return parser.tags


def assert_inert(html: str) -> None:
    for tag, attrs in elements(html):
        assert tag in ALLOWED_TAGS, (tag, html)
        for name, value in attrs.items():
            assert not name.startswith("on"), (name, html)
            assert name in {"href", "src", "alt", "title", "rel", "loading", "start"}, (name, html)
        # Only https links and the resolver's photo URLs; alt and title may
        # mention anything, they are text.
        if "href" in attrs:
            assert (attrs["href"] or "").startswith("https://"), html
        if "src" in attrs:
            assert (attrs["src"] or "").startswith(PHOTO_BASE + "photos/"), html
    assert "<script" not in html.lower()


# --- allowed constructs ----------------------------------------------------------------------

def test_inline_constructs_render_exactly() -> None:
    result = render("Hello *soft* **bold** `code` & <3 \"quotes\"")
    assert result.diagnostics == ()
    assert result.html == ("<p>Hello <em>soft</em> <strong>bold</strong> <code>code</code> &amp; &lt;3 "
                           "&quot;quotes&quot;</p>\n")
    assert result.text == 'Hello soft bold code & <3 "quotes"'


def test_blocks_render_exactly() -> None:
    source = "## Story\n\n### Craft\n\n#### Tools\n\n- one\n- two\n\n3. three\n4. four\n\n1) first\n\n> quoted\n"
    result = render(source)
    assert result.diagnostics == ()
    assert result.html == (
        "<h2>Story</h2>\n<h3>Craft</h3>\n<h4>Tools</h4>\n"
        "<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n"
        '<ol start="3">\n<li>three</li>\n<li>four</li>\n</ol>\n'
        "<ol>\n<li>first</li>\n</ol>\n"
        "<blockquote>\n<p>quoted</p>\n</blockquote>\n"
    )
    assert result.text == "Story Craft Tools one two three four first quoted"


def test_breaks_render_exactly() -> None:
    result = render("soft\nbreak  \nhard")
    assert result.html == "<p>soft\nbreak<br>\nhard</p>\n"
    assert result.text == "soft break hard"


def test_setext_level_two_heading_is_allowed() -> None:
    assert render("Story\n-----").html == "<h2>Story</h2>\n"


def test_link_to_allowed_host_renders_with_rel_and_title() -> None:
    result = render('Buy on [Etsy](https://www.etsy.com/shop/shazia "Shazia\'s <shop>").')
    assert result.diagnostics == ()
    assert result.html == ('<p>Buy on <a href="https://www.etsy.com/shop/shazia" rel="nofollow noopener" '
                           'title="Shazia&#x27;s &lt;shop&gt;">Etsy</a>.</p>\n')


def test_links_on_subdomain_autolink_and_reference_follow_the_host_rule() -> None:
    source = ("[a](https://www.daraz.pk/shop) [b](https://daraz.pk/x) <https://www.etsy.com/x>\n"
              "[c][ref]\n\n[ref]: https://smeda.org.pk/training\n")
    result = render(source)
    assert result.diagnostics == ()
    hrefs = [attrs["href"] for tag, attrs in elements(result.html) if tag == "a"]
    assert hrefs == ["https://www.daraz.pk/shop", "https://daraz.pk/x", "https://www.etsy.com/x",
                     "https://smeda.org.pk/training"]


def test_link_url_is_rebuilt_and_encoded() -> None:
    result = render('[x](<https://www.etsy.com/a b>)')
    assert found(result) == [("md-link", 5, 1)]  # a space is never part of a URL
    result = render("[x](https://WWW.Etsy.com./l/%C3%BC'x?q=\"1\")")
    assert result.diagnostics == ()
    assert 'href="https://www.etsy.com/l/%C3%BC%27x?q=%221%22"' in result.html


def test_image_renders_resolved_url_with_alt_and_lazy_loading() -> None:
    result = render('![Shazia *at* her "loom"](photos/loom.jpg "At work")')
    assert result.diagnostics == ()
    assert result.html == ('<p><img src="/artisans/pk/thatta/shazia-bibi/photos/loom.jpg" '
                           'alt="Shazia at her &quot;loom&quot;" title="At work" loading="lazy"></p>\n')
    assert result.images == ("photos/loom.jpg",)


def test_image_inside_link() -> None:
    result = render("[![loom](photos/loom.jpg)](https://www.etsy.com/x)")
    assert result.diagnostics == ()
    assert result.html.startswith('<p><a href="https://www.etsy.com/x" rel="nofollow noopener"><img ')


def test_empty_body() -> None:
    assert render("") == RenderedMarkdown("", "", (), ())


# --- forbidden constructs, located --------------------------------------------------------------

@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (PREFIX + "<b>bold</b>", [("md-raw-html", 5, PREFIX_COL), ("md-raw-html", 5, PREFIX_COL + 7)]),
        (PREFIX + "<!-- note -->", [("md-raw-html", 5, PREFIX_COL)]),
        ("intro\n\n<div>\n" + PREFIX + "\n</div>\n", [("md-raw-html", 7, 1)]),
        ("intro\n\n<!--\nhidden\n-->\n", [("md-raw-html", 7, 1)]),
        ("# " + PREFIX, [("md-heading-level", 5, 1)]),
        ("intro\n\n##### " + PREFIX, [("md-heading-level", 7, 1)]),
        ("intro\n\n###### six", [("md-heading-level", 7, 1)]),
        (PREFIX + "\n=====", [("md-heading-level", 5, 1)]),
        ("intro\n\n```\n<b>code</b>\n```\n", [("md-code-block", 7, 1)]),
        ("intro\n\n    indented code\n", [("md-code-block", 7, 5)]),
        ("intro\n\n---\n\nmore", [("md-construct", 7, 1)]),
        ("intro\n\n" + PREFIX + "[shop](https://www.amazon.com/s)", [("md-link", 7, PREFIX_COL)]),
        (PREFIX + "[x](javascript:alert(1))", [("md-link", 5, PREFIX_COL)]),
        (PREFIX + "[mail](mailto:a@b.pk) [tel](tel:+92300) [top](#top) [rel](../other/)",
         [("md-link", 5, PREFIX_COL), ("md-link", 5, PREFIX_COL + 22), ("md-link", 5, PREFIX_COL + 40),
          ("md-link", 5, PREFIX_COL + 52)]),
        (PREFIX + "<http://www.etsy.com/x> <a@b.pk>", [("md-link", 5, PREFIX_COL), ("md-link", 5, PREFIX_COL + 24)]),
        (PREFIX + "[shop][s]\n\n[s]: https://evil.example/x", [("md-link", 5, PREFIX_COL)]),
        (PREFIX + "![loom](https://cdn.example/loom.jpg)", [("md-image", 5, PREFIX_COL)]),
        (PREFIX + "![](photos/loom.jpg)", [("md-image-alt", 5, PREFIX_COL)]),
        ("> " + PREFIX + "<i>x</i>", [("md-raw-html", 5, PREFIX_COL + 2), ("md-raw-html", 5, PREFIX_COL + 6)]),
        ("- item\n- " + PREFIX + "<br>", [("md-raw-html", 6, PREFIX_COL + 2)]),
    ],
)
def test_forbidden_construct_is_located(source: str, expected: list[tuple[str, int, int]]) -> None:
    result = render(source)
    assert found(result) == expected
    assert all(d.severity is Severity.ERROR and d.location.path == PATH for d in result.diagnostics)
    assert_inert(result.html)


def test_messages_name_what_was_found_and_what_is_allowed() -> None:
    (heading,) = render("# Title").diagnostics
    assert "level-1 heading" in heading.message and "`##` to `####`" in heading.message
    assert "`##` to `####`" in heading.hint
    (html,) = render("<script>alert(1)</script>").diagnostics
    assert "`<script>alert(1)</script>`" in html.message and "links and images" in html.message
    long_url = "https://evil.example/" + "x" * 200
    (link,) = render(f"[x]({long_url})").diagnostics
    assert link.hint == "shop and contact links belong in `links`, not in the story"
    assert "evil.example" in link.message and "x" * 100 not in link.message
    (image,) = render("![a](../../other/photos/a.jpg)").diagnostics
    assert "images may only show the artisan's own photos, e.g. `photos/loom.jpg`" in image.message
    (alt,) = render("![ ](photos/a.jpg)").diagnostics
    assert "screen readers" in alt.message


def test_erroneous_constructs_are_dropped_from_html() -> None:
    result = render("# Big\n\n```\ncode\n```\n\n---\n\n<div>x</div>\n\n[bad](https://evil.example) ok")
    assert result.html == "<p>bad ok</p>\n"


def test_problem_on_later_line_with_windows_line_endings() -> None:
    result = render("first\r\n\r\n" + PREFIX + "<b>", first_line=12)
    assert found(result) == [("md-raw-html", 14, PREFIX_COL)]


# --- hostile input -------------------------------------------------------------------------------

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<<script>alert(1)//<</script>",
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=JaVaScRiPt:alert('XSS')>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    "<style>@import 'https://evil.example/x.css';</style>",
    '<a href="javascript:alert(1)">x</a>',
    "<!--<script>alert(1)</script>-->",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](jav&#x09;ascript:alert(1))",
    "[x](jav&#x0A;ascript:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](&#x6A;&#x61;&#x76;ascript:alert(1))",
    "[x](javascript&colon;alert(1))",
    "[x](<javascript:alert(1)>)",
    "[x](< javascript:alert(1)>)",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](vbscript:msgbox(1))",
    "<javascript:alert(1)>",
    "<vbscript:msgbox(1)>",
    "[x][r]\n\n[r]: javascript:alert(1)",
    "![x](javascript:alert(1))",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    '![x" onerror="alert(1)](photos/a.jpg)',
    '![a"><script>alert(1)</script>](photos/a.jpg "t\\"><svg onload=alert(1)>")',
    '[x](https://www.etsy.com/a "\\"><script>alert(1)</script>")',
    "[x](https://www.etsy.com/a 'it\"s <b onmouseover=alert(1)>')",
    '[x](https://www.etsy.com/"onmouseover="alert(1))',
    "[x](https://www.etsy.com\\@evil.example/)",
    "[x](https://www.etsy.com@evil.example/)",
    "`<script>alert(1)</script>`",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
]


# Payloads that are valid Markdown on an allowed host or plain text: no error, but inert.
NOT_ERRORS = {
    "<IMG SRC=JaVaScRiPt:alert('XSS')>",  # not a tag in CommonMark (quote in an unquoted value): text
    '![x" onerror="alert(1)](photos/a.jpg)',  # the quotes stay inside the escaped alt text
    '[x](https://www.etsy.com/a "\\"><script>alert(1)</script>")',
    "[x](https://www.etsy.com/a 'it\"s <b onmouseover=alert(1)>')",
    '[x](https://www.etsy.com/"onmouseover="alert(1))',
    "`<script>alert(1)</script>`",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
}


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_xss_payload_is_an_error_or_inert(payload: str) -> None:
    result = render("Story " + payload)
    assert_inert(result.html)
    if payload not in NOT_ERRORS:
        assert result.diagnostics, payload


def test_escaped_script_text_is_text() -> None:
    result = render("`<script>x</script>` &lt;script&gt;")
    assert result.diagnostics == ()
    assert result.html == "<p><code>&lt;script&gt;x&lt;/script&gt;</code> &lt;script&gt;</p>\n"


def test_resolver_returning_a_script_url_is_refused() -> None:
    result = render_entry_markdown("![x](photos/a.jpg)", path=PATH, first_line=1, allowed_link_hosts=HOSTS,
                                   resolve_image=lambda src: "javascript:alert(1)")
    assert found(result) == [("md-image", 1, 1)]
    assert "javascript" not in result.html


# Markdown-shaped noise: single characters and whole tokens of attacks, joined.
MARKDOWNISH = st.lists(
    st.sampled_from([*"<>[]()!*_`#-=:/\\\"'&;{} \n\t1.xjavscriptonlder@%", "javascript:", "<script>",
                     "](", "![", "photos/a.jpg", "https://www.etsy.com/", "&#106;", " onerror=",
                     "<svg onload=", "\n\n", "    ", "```", "<!--", "-->", "ش", "बी"]),
    max_size=60,
).map("".join)


@settings(deadline=None, derandomize=True, max_examples=300)
@given(st.one_of(st.text(max_size=200), MARKDOWNISH))
def test_any_text_renders_inert_html(source: str) -> None:
    result = render(source)
    assert_inert(result.html)
    for d in result.diagnostics:
        assert d.location.line >= 5 and d.location.col >= 1
    for d in check_page_markdown(source, path="content/x.md", first_line=5):
        assert d.location.line >= 5 and d.location.col >= 1


def test_lone_surrogates_do_not_raise() -> None:
    result = render("story \ud800 <b>")
    assert found(result) == [("md-raw-html", 5, 9)]
    assert found(check_page_markdown("\udfff <b>", path="content/x.md", first_line=1)) == [("md-raw-html", 1, 3)]


# --- content/ pages --------------------------------------------------------------------------------

def page(source: str) -> list[tuple[str, int, int]]:
    return found(check_page_markdown(source, path="content/about.md", first_line=5))


def test_page_allows_safe_markdown() -> None:
    source = ("# About\n\n| a | b |\n|---|---|\n\n[guide](/training/) [top](#top) [rel](../x/) "
              "[any](https://example.org/x) <https://example.org>\n\n```html\n<div>shown as code</div>\n```\n\n"
              "Use `<b>` for bold. Prices {in} rupees vary.\n")
    assert page(source) == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (PREFIX + "<b>x</b>", [("md-raw-html", 5, PREFIX_COL), ("md-raw-html", 5, PREFIX_COL + 4)]),
        ("intro\n\n<div onclick=x>\n\nhi\n</div>", [("md-raw-html", 7, 1), ("md-raw-html", 10, 1)]),
        (PREFIX + "[x](javascript:alert(1))", [("md-link", 5, PREFIX_COL)]),
        (PREFIX + "[x](JaVaScRiPt:alert(1))", [("md-link", 5, PREFIX_COL)]),
        (PREFIX + "[x](jav&#x09;ascript:alert(1))", [("md-link", 5, PREFIX_COL)]),
        (PREFIX + "[x](&#106;avascript:alert(1))", [("md-link", 5, PREFIX_COL)]),
        (PREFIX + "![x](data:image/png;base64,AAAA)", [("md-link", 5, PREFIX_COL)]),
        (PREFIX + "[x](vbscript:x) [y](http://example.org)", [("md-link", 5, PREFIX_COL), ("md-link", 5, PREFIX_COL + 16)]),
        (PREFIX + "[x](//evil.example/)", [("md-link", 5, PREFIX_COL)]),
        ("[x][r]\n\n[r]: javascript:alert(1)", [("md-link", 5, 1), ("md-link", 7, 6)]),
        ("## " + PREFIX + "{#id .cls}", [("md-attr-list", 5, PREFIX_COL + 3)]),
        ("para\n{: onclick=\"alert(1)\" }", [("md-attr-list", 6, 1)]),
        (PREFIX + "*x*{onmouseover=alert(1)} more", [("md-attr-list", 5, PREFIX_COL + 3)]),
        # Python-Markdown would not see these as code: an unclosed fence, and
        # list continuation at 6 spaces (CommonMark: code; Python-Markdown: text).
        ("```\n" + PREFIX + "<script>x</script>", [("md-raw-html", 6, PREFIX_COL), ("md-raw-html", 6, PREFIX_COL + 9)]),
        ("- a\n\n      <script>x</script>", [("md-raw-html", 7, 7), ("md-raw-html", 7, 16)]),
    ],
)
def test_page_problem_is_located(source: str, expected: list[tuple[str, int, int]]) -> None:
    assert page(source) == expected


def test_page_escaped_brace_is_not_an_attribute_list() -> None:
    assert page("## Title \\{#id}") == []


# --- URL policy --------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("raw", "host"),
    [
        ("https://www.etsy.com/listing/1", "www.etsy.com"),
        ("HTTPS://WWW.Etsy.COM./x", "www.etsy.com"),
        ("https://www.daraz.pk:443/x", "www.daraz.pk"),
        ("https://shop.example.pk?q=1#f", "shop.example.pk"),
    ],
)
def test_parse_https_url_accepts(raw: str, host: str) -> None:
    url, reason = parse_https_url(raw)
    assert reason == "" and url is not None and url.host == host and url.scheme == "https"


@pytest.mark.parametrize(
    ("raw", "why"),
    [
        ("http://www.etsy.com/", "`http:`"),
        ("javascript:alert(1)", "`javascript:`"),
        ("JaVaScRiPt:alert(1)", "`javascript:`"),
        ("data:text/html;base64,PHNjcmlwdD4=", "`data:`"),
        ("vbscript:msgbox(1)", "`vbscript:`"),
        ("&#104;ttps://www.etsy.com/", "character references"),
        ("%68ttps://www.etsy.com/", "percent-encoding"),
        (" https://www.etsy.com/", "whitespace"),
        ("\x01https://www.etsy.com/", "control"),
        ("https://www.etsy.com/a b", "whitespace"),
        ("https://www.etsy.com/\u200bx", "invisible"),
        ("https://www.etsy.com\\@evil.example", "backslash"),
        ("https://user@www.etsy.com/", "user name"),
        ("https://www.etsy.com:pass@evil.example/", "user name"),
        ("https://127.0.0.1/", "IP address"),
        ("https://[::1]/", "IP address"),
        ("https://2130706433/", "IP address"),
        ("https://0x7f000001/", "IP address"),
        ("https://127.1/", "IP address"),
        ("https://xn--tsy-2na.com/", "punycode"),
        ("https://shop.xn--p1ai/", "punycode"),
        ("https://еtsy.com/", "non-ASCII"),
        ("https://www.etsy.com:8443/", "port 8443"),
        ("https://www.etsy.com:/", "port"),
        ("https:///path", "no host"),
        ("https://", "no host"),
        ("https:www.etsy.com", "`https://`"),
        ("//www.etsy.com/", "no scheme"),
        ("/artisans/", "relative"),
        ("localhost", "relative"),
        ("https://localhost/", "no domain"),
        ("https://bad_host.com/", "not valid"),
    ],
)
def test_parse_https_url_rejects_with_reason(raw: str, why: str) -> None:
    url, reason = parse_https_url(raw)
    assert url is None
    assert why in reason


def test_unparse_encodes_unsafe_characters_and_keeps_escapes() -> None:
    url, _ = parse_https_url("https://www.etsy.com/l/ü'\"<>%zz%41?q=<x>&r=1#`frag`")
    assert url is not None
    assert url.unparse() == "https://www.etsy.com/l/%C3%BC%27%22%3C%3E%25zz%41?q=%3Cx%3E&r=1#%60frag%60"
    assert SafeUrl("https", "a.example", 443, "", "", "").unparse() == "https://a.example:443"


@pytest.mark.parametrize(
    ("host", "allowed", "expected"),
    [
        ("www.daraz.pk", {".daraz.pk"}, True),
        ("daraz.pk", {".daraz.pk"}, True),
        ("a.b.daraz.pk", {".daraz.pk"}, True),
        ("evildaraz.pk", {".daraz.pk"}, False),
        ("daraz.pk.evil.example", {".daraz.pk"}, False),
        ("www.etsy.com", {"www.etsy.com"}, True),
        ("etsy.com", {"www.etsy.com"}, False),
        ("shop.www.etsy.com", {"www.etsy.com"}, False),
        ("WWW.ETSY.COM.", ["www.etsy.com"], True),
        ("www.etsy.com", ["WWW.Etsy.com."], True),
        ("www.daraz.pk", [".DARAZ.PK"], True),
        ("", {".daraz.pk"}, False),
        ("anything.example", {"."}, False),
    ],
)
def test_host_allowed(host: str, allowed: set[str] | list[str], expected: bool) -> None:
    assert host_allowed(host, allowed) is expected


def test_add_query_params_encodes_overrides_and_orders() -> None:
    url = "https://www.amazon.com/dp/B0ABCDEFGH?tag=old&keep=a%20b&tag=older#reviews"
    result = add_query_params(url, {"tag": "karigar-21", "ref": "a b&c=d/é%"})
    assert result == ("https://www.amazon.com/dp/B0ABCDEFGH?keep=a%20b&ref=a%20b%26c%3Dd%2F%C3%A9%25"
                      "&tag=karigar-21#reviews")
    assert add_query_params("https://www.etsy.com/x", {"b": "2", "a": "1"}) == "https://www.etsy.com/x?a=1&b=2"
    assert add_query_params("https://www.etsy.com/x", {}) == "https://www.etsy.com/x"
