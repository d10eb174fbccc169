"""karigar.hosting.netlify_headers against what Netlify documents about custom headers.

The examples are Netlify's own, from https://docs.netlify.com/routing/headers/
("Custom headers") and the netlify.toml sample of its file-based configuration
docs; where the docs say nothing (trailing slash, case, the slash before a
splat, which file wins), the expected behaviour is that of Netlify's parser
(netlify/build, packages/headers-parser), whose merge documents: "If the same
path and header is specified both in `netlify.toml` and `_headers`, the one in
`netlify.toml` is used (i.e. overrides, does not concatenate)."
"""

from __future__ import annotations

from pathlib import Path

import pytest

from karigar.hosting.netlify_headers import (
    NOT_SENT,
    HeaderRule,
    HeaderRulesError,
    deploy_header_rules,
    headers_for,
    parse_headers_file,
    parse_netlify_toml,
)

# The docs' first `_headers` example: two paths, comments between them.
DOCS_TEMPLATES_EXAMPLE = """\
# a path:
/templates/index.html
  # headers for that path:
  X-Frame-Options: DENY
  X-XSS-Protection: 1; mode=block
# another path:
/templates/index2.html
  # headers for that path:
  X-Frame-Options: SAMEORIGIN
"""

# The docs' multi-value example: one name on several lines under one path.
DOCS_MULTI_VALUE_FILE = """\
# multi-value header:
/*
  cache-control: max-age=0
  cache-control: no-cache
  cache-control: no-store
  cache-control: must-revalidate
"""

# Netlify's sample netlify.toml: "Multi-value headers are expressed with multi-line strings."
DOCS_TOML_EXAMPLE = """\
[[headers]]
  # Define which paths this specific [[headers]] block will cover.
  for = "/*"
  [headers.values]
    X-Frame-Options = "DENY"
    X-XSS-Protection = "1; mode=block"
    Content-Security-Policy = "frame-ancestors https://www.facebook.com"
    # Multi-value headers are expressed with multi-line strings.
    cache-control = '''
    max-age=0,
    no-cache,
    no-store,
    must-revalidate'''
"""

# The docs' (and Netlify's launch post's) password example: "any URL under /something".
DOCS_BASIC_AUTH_EXAMPLE = """\
/something/*
  Basic-Auth: someuser:somepassword anotheruser:anotherpassword
"""


def test_the_docs_templates_example_sets_each_paths_headers_on_that_path_only() -> None:
    rules = parse_headers_file(DOCS_TEMPLATES_EXAMPLE)
    assert [(rule.path, dict(rule.values)) for rule in rules] == [
        ("/templates/index.html", {"X-Frame-Options": "DENY", "X-XSS-Protection": "1; mode=block"}),
        ("/templates/index2.html", {"X-Frame-Options": "SAMEORIGIN"}),
    ]
    assert headers_for(rules, "/templates/index.html") == {"X-Frame-Options": "DENY",
                                                           "X-XSS-Protection": "1; mode=block"}
    assert headers_for(rules, "/templates/index2.html") == {"X-Frame-Options": "SAMEORIGIN"}
    assert headers_for(rules, "/templates/index3.html") == {}
    assert headers_for(rules, "/templates/") == {}
    assert rules[0].origin == "_headers:2" and rules[1].origin == "_headers:7"


def test_the_docs_all_pages_rule_applies_to_every_path() -> None:
    """"Here's an example of setting the X-Frame-Options and X-XSS-Protection headers for all pages"."""
    rules = parse_headers_file("/*\n  X-Frame-Options: DENY\n  X-XSS-Protection: 1; mode=block\n")
    for path in ("/", "/index.html", "/artisans/pk/thatta/shazia-bibi/", "/assets/x.css", "/404.html"):
        assert headers_for(rules, path) == {"X-Frame-Options": "DENY", "X-XSS-Protection": "1; mode=block"}, path


def test_a_multi_value_header_is_the_same_in_both_files() -> None:
    """The docs' `_headers` lines and netlify.toml's multi-line string send one comma-separated value."""
    expected = "max-age=0, no-cache, no-store, must-revalidate"
    assert headers_for(parse_headers_file(DOCS_MULTI_VALUE_FILE), "/x") == {"cache-control": expected}
    sent = headers_for(parse_netlify_toml(DOCS_TOML_EXAMPLE), "/x")
    assert sent == {
        "X-Frame-Options": "DENY",
        "X-XSS-Protection": "1; mode=block",
        "Content-Security-Policy": "frame-ancestors https://www.facebook.com",
        "cache-control": expected,
    }


def test_a_toml_value_may_be_an_array_and_is_trimmed() -> None:
    rules = parse_netlify_toml('[[headers]]\n  for = " /a/* "\n  [headers.values]\n'
                               '    " X-List " = [" one ", "two"]\n    X-Spaced = "  a ,b  "\n')
    assert rules[0].path == "/a/*"
    assert dict(rules[0].values) == {"X-List": "one, two", "X-Spaced": "a, b"}


def test_the_basic_auth_example_covers_the_folder_and_is_never_sent() -> None:
    """"This will trigger the built-in basic browser authentication for any URL under /something"."""
    rule = parse_headers_file(DOCS_BASIC_AUTH_EXAMPLE)[0]
    for path in ("/something", "/something/", "/something/a", "/something/a/b.html"):
        assert rule.matches(path), path
    assert not rule.matches("/other/something/")
    # Netlify's matcher makes the slash before a lone `*` optional, so this matches too.
    assert rule.matches("/somethingelse")
    # "the Basic-Auth header will obviously not be sent as a standard HTTP header"
    assert headers_for([rule], "/something/a") == {}
    assert "basic-auth" in NOT_SENT


@pytest.mark.parametrize(("rule", "path", "matches"), [
    # "A :placeholder matches anything except /"
    ("/artisans/:country/", "/artisans/pk/", True),
    ("/artisans/:country/", "/artisans/in", True),
    ("/artisans/:country/", "/artisans/pk/thatta/", False),
    ("/artisans/:country/", "/artisans/", False),
    ("/artisans/:country/:district/", "/artisans/pk/thatta/", True),
    # "while a * matches anything"
    ("/*", "/", True),
    ("/*", "/a/b/c.html", True),
    ("/training/*", "/training", True),
    ("/training/*", "/training/", True),
    ("/training/*", "/training/x/y/", True),
    ("/training/*", "/crafts/training/", False),
    ("/a*b/", "/a-x/y-b/", True),
    ("/a*b/", "/a-x-c/", False),
    ("/*.css", "/assets/x.css", True),
    ("/*.css", "/assets/xcss", False),  # literal dot here (see path_pattern)
    # Exact paths: anchored at both ends, the trailing slash optional either way.
    ("/training/calendar.ics", "/training/calendar.ics", True),
    ("/training/calendar.ics", "/training/calendar.ics/", True),
    ("/training/calendar.ics", "/training/calendar.icsx", False),
    ("/training/calendar.ics", "/x/training/calendar.ics", False),
    ("/about/", "/about", True),
    ("/about", "/about/", True),
    ("/", "/", True),
    ("/", "/about/", False),
    # Letters in either case.
    ("/Assets/*", "/assets/x.css", True),
    ("/admin/", "/ADMIN/", True),
    # Empty parts and trailing spaces of parts are dropped.
    ("/a//b/", "/a/b/", True),
    ("/a /b", "/a/b", True),
])
def test_paths_match_as_netlify_matches(rule: str, path: str, matches: bool) -> None:
    assert HeaderRule(rule, {}).matches(path) is matches


def test_every_matching_rule_applies_and_netlify_toml_wins_a_shared_header(tmp_path: Path) -> None:
    """Several rules with different paths (the site's CSP, /admin/ and /api/ later) merge per request."""
    (tmp_path / "_headers").write_text(
        "/*\n  Content-Security-Policy: default-src 'self'\n  X-Frame-Options: SAMEORIGIN\n"
        "/admin/*\n  Content-Security-Policy: default-src 'none'\n  Cache-Control: no-store\n"
        "/api/*\n  Access-Control-Allow-Origin: https://karigar.netlify.app\n", "utf-8")
    toml = tmp_path / "netlify.toml"
    toml.write_text('[[headers]]\n  for = "/*"\n  [headers.values]\n    X-Frame-Options = "DENY"\n', "utf-8")
    rules = deploy_header_rules(tmp_path, toml)
    assert [rule.origin for rule in rules] == ["_headers:1", "_headers:4", "_headers:7", "netlify.toml [[headers]] #1"]
    assert headers_for(rules, "/crafts/") == {"Content-Security-Policy": "default-src 'self'",
                                              "X-Frame-Options": "DENY"}
    # A later matching rule replaces a value; it does not add a second one.
    assert headers_for(rules, "/admin/") == {"Content-Security-Policy": "default-src 'none'",
                                             "X-Frame-Options": "DENY", "Cache-Control": "no-store"}
    assert headers_for(rules, "/api/v1/artisans") == {
        "Content-Security-Policy": "default-src 'self'", "X-Frame-Options": "DENY",
        "Access-Control-Allow-Origin": "https://karigar.netlify.app"}


def test_names_are_compared_as_written_when_merging(tmp_path: Path) -> None:
    """Spelled in another case, the same header is a second one (why netlify.toml must not set the CSP at all)."""
    (tmp_path / "_headers").write_text("/*\n  X-A: file\n  X-B: one\n  X-B: two\n  x-c: lower\n", "utf-8")
    toml = tmp_path / "netlify.toml"
    toml.write_text('[[headers]]\n  for = "/*"\n  [headers.values]\n    X-A = "toml"\n    X-C = "upper"\n', "utf-8")
    assert headers_for(deploy_header_rules(tmp_path, toml), "/x") == {
        "X-A": "toml", "X-B": "one, two", "x-c": "lower", "X-C": "upper"}


def test_headers_netlify_sets_itself_are_not_sent() -> None:
    """The docs' list of header names whose custom values "are typically ignored"."""
    rules = parse_headers_file("/*\n  Content-Length: 1\n  Date: today\n  Location: /x\n  Server: mine\n"
                               "  Transfer-Encoding: chunked\n  Set-Cookie: a=b\n  X-Kept: yes\n")
    assert headers_for(rules, "/") == {"Set-Cookie": "a=b", "X-Kept": "yes"}


def test_a_value_may_hold_colons_and_a_line_without_one_is_skipped() -> None:
    rules = parse_headers_file("/*\n  Link: <https://example.org/a>; rel=preload\n  not a header line\n"
                               "\r\n  X-CRLF: yes\r\n")
    assert dict(rules[0].values) == {"Link": "<https://example.org/a>; rel=preload", "X-CRLF": "yes"}


def test_a_path_that_sets_nothing_is_dropped() -> None:
    assert [rule.path for rule in parse_headers_file("/empty\n# nothing\n/full\n  X-A: 1\n")] == ["/full"]
    assert parse_netlify_toml('[[headers]]\n  for = "/x"\n') == []
    assert parse_netlify_toml('[build]\n  publish = "site"\n') == []


@pytest.mark.parametrize(("text", "where", "problem"), [
    ("X-A: 1\n/x\n", "_headers:1", "comes before any path"),
    ("/x\n  X-A:\n", "_headers:2", "has no value"),
    ("/x\n\n  : 1\n", "_headers:3", "no name"),
])
def test_headers_file_lines_netlify_refuses_are_errors_with_their_line(text: str, where: str, problem: str) -> None:
    with pytest.raises(HeaderRulesError) as caught:
        parse_headers_file(text)
    assert caught.value.where == where and problem in caught.value.problem


@pytest.mark.parametrize(("text", "problem"), [
    ('[[headers]]\n  [headers.values]\n    X-A = "1"\n', "`for` must be a string"),
    ('[[headers]]\n  for = 1\n', "`for` must be a string"),
    ('[[headers]]\n  for = "/x"\n  values = "X-A: 1"\n', "`values` must be a table"),
    ('[[headers]]\n  for = "/x"\n  [headers.values]\n    X-A = 1\n', "string or a list of strings"),
    ('[[headers]]\n  for = "/x"\n  [headers.values]\n    X-A = ["a", 2]\n', "string or a list of strings"),
    ('headers = "x"\n', "array of tables"),
])
def test_netlify_toml_rules_netlify_refuses_are_errors(text: str, problem: str) -> None:
    with pytest.raises(HeaderRulesError, match="netlify.toml") as caught:
        parse_netlify_toml(text)
    assert problem in caught.value.problem


def test_a_deploy_without_headers_file_gets_netlify_toml_rules_only(tmp_path: Path) -> None:
    toml = tmp_path / "netlify.toml"
    toml.write_text('[[headers]]\n  for = "/*"\n  [headers.values]\n    X-A = "1"\n', "utf-8")
    assert headers_for(deploy_header_rules(tmp_path, toml), "/") == {"X-A": "1"}
    assert deploy_header_rules(tmp_path, None) == []
