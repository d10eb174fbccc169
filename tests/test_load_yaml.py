"""The YAML layer: core-schema typing, locations, limits and hand-editing errors."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from karigar.diagnostics import DiagnosticSink, Severity
from karigar.load.nodes import Map, Node, Scalar, Seq
from karigar.load.yamlsrc import YamlLimits, parse_yaml


def parse(text: str, **kwargs: object) -> tuple[Node | None, DiagnosticSink]:
    sink = DiagnosticSink()
    return parse_yaml(text, path="site/a.md", sink=sink, **kwargs), sink  # type: ignore[arg-type]


def value_of(source: str) -> Scalar:
    """The scalar written after `v: ` on one line."""
    root, sink = parse(f"v: {source}\n")
    assert not sink.items, [d.message for d in sink]
    assert isinstance(root, Map)
    node = root.get("v")
    assert isinstance(node, Scalar)
    return node


def only(sink: DiagnosticSink) -> tuple[str, int, int, str, str]:
    assert len(sink) == 1, [(d.code, d.message) for d in sink]
    d = sink.items[0]
    assert d.location.path == "site/a.md"
    return d.code, d.location.line, d.location.col, d.message, d.hint


# -- YAML 1.2 core schema -----------------------------------------------------

@pytest.mark.parametrize("text", ["no", "No", "NO", "off", "Off", "on", "yes", "Yes", "y", "n",
                                  "Y", "N", "tRUE", "nul", "none", "None"])
def test_norway_problem_words_stay_text(text: str) -> None:
    node = value_of(text)
    assert node.value == text and node.text == text and not node.quoted


@pytest.mark.parametrize(("text", "value"), [
    ("true", True), ("True", True), ("TRUE", True),
    ("false", False), ("False", False), ("FALSE", False),
])
def test_only_true_and_false_are_booleans(text: str, value: bool) -> None:
    node = value_of(text)
    assert node.value is value and node.text == text


@pytest.mark.parametrize("text", ["~", "null", "Null", "NULL", ""])
def test_null_forms(text: str) -> None:
    node = value_of(text)
    assert node.value is None and node.text == text


@pytest.mark.parametrize(("text", "value"), [
    ("0123", 123), ("123", 123), ("+12", 12), ("-7", -7), ("0", 0), ("-0", 0),
    ("0o17", 15), ("0x1F", 31), ("0xff", 255),
])
def test_integers_are_decimal_and_keep_their_text(text: str, value: int) -> None:
    node = value_of(text)
    assert type(node.value) is int and node.value == value and node.text == text


@pytest.mark.parametrize(("text", "value"), [
    ("1.5", 1.5), ("-1.5e3", -1500.0), (".5", 0.5), ("5.", 5.0), ("1e3", 1000.0),
    ("+.5", 0.5), ("2.5E-2", 0.025),
    (".inf", math.inf), (".Inf", math.inf), ("+.INF", math.inf), ("-.inf", -math.inf),
])
def test_floats(text: str, value: float) -> None:
    node = value_of(text)
    assert type(node.value) is float and node.value == value and node.text == text


@pytest.mark.parametrize("text", [".nan", ".NaN", ".NAN"])
def test_nan(text: str) -> None:
    assert math.isnan(value_of(text).value)  # type: ignore[arg-type]


@pytest.mark.parametrize("text", [
    "1:30", "12:30:00", "2024-13-01", "2024-01-05", "2026-12-14T15:00:00+05:00", "1_000",
    "0b101", "0o8", "0x", "0xG1", "1.2.3", "+", ".", "-.", "1e", ".Infinity", "B0ABCDEFGH",
    "220 x 180 cm", "+92 300 1234567", "-blue",
])
def test_everything_else_is_text(text: str) -> None:
    node = value_of(text)
    assert node.value == text and node.text == text


def test_huge_integer_stays_text() -> None:
    digits = "9" * 5000
    assert value_of(digits).value == digits


@pytest.mark.parametrize(("source", "value"), [
    ("'123'", "123"), ('"true"', "true"), ("'no'", "no"), ('"~"', "~"), ("''", ""),
    ('"a\\tb"', "a\tb"), ("'it''s'", "it's"),
])
def test_quoted_scalars_are_text(source: str, value: str) -> None:
    node = value_of(source)
    assert node.value == value and node.text == value and node.quoted


def test_block_scalars_are_text() -> None:
    root, sink = parse("a: |\n  123\n  true\nb: >-\n  1\n  2\n")
    assert not sink.items and isinstance(root, Map)
    assert root.get("a") == Scalar("123\ntrue\n", "123\ntrue\n", True, 1, 4)
    assert root.get("b") == Scalar("1 2", "1 2", True, 4, 4)


def test_multiline_plain_scalar_keeps_composed_text() -> None:
    node = parse("a: one\n  two\n")[0]
    assert isinstance(node, Map) and node.get("a") == Scalar("one two", "one two", False, 1, 4)


# -- locations ----------------------------------------------------------------

DOC = """\
title: Ralli quilt
price:
  amount: 4500
  currency: PKR
tags: [a, "b"]
listings:
  - marketplace: etsy
    id: 123
"""


@pytest.mark.parametrize("offset", [0, 1, 7])
def test_lines_and_columns_of_keys_and_values(offset: int) -> None:
    root, sink = parse(DOC, line_offset=offset)
    assert not sink.items
    o = offset
    assert isinstance(root, Map) and (root.line, root.col) == (1 + o, 1)
    assert root.key_node("title") == Scalar("title", "title", False, 1 + o, 1)
    assert root.get("title") == Scalar("Ralli quilt", "Ralli quilt", False, 1 + o, 8)
    price = root.get("price")
    assert isinstance(price, Map) and (price.line, price.col) == (3 + o, 3)
    assert price.key_node("currency") == Scalar("currency", "currency", False, 4 + o, 3)
    assert price.get("amount") == Scalar(4500, "4500", False, 3 + o, 11)
    tags = root.get("tags")
    assert tags == Seq((Scalar("a", "a", False, 5 + o, 8), Scalar("b", "b", True, 5 + o, 11)),
                       5 + o, 7)
    listings = root.get("listings")
    assert isinstance(listings, Seq) and (listings.line, listings.col) == (7 + o, 3)
    item = listings.items[0]
    assert isinstance(item, Map) and (item.line, item.col) == (7 + o, 5)
    assert item.get("id") == Scalar(123, "123", False, 8 + o, 9)
    assert list(root.entries) == ["title", "price", "tags", "listings"]


def test_columns_count_characters_not_bytes() -> None:
    root = parse("نام: شازیہ\nx: y\n")[0]
    assert isinstance(root, Map)
    assert root.get("نام") == Scalar("شازیہ", "شازیہ", False, 1, 6)


def test_empty_documents_give_none_without_error() -> None:
    for text in ("", "\n\n", "# only a comment\n", "---\n"):
        root, sink = parse(text)
        assert root is None and not sink.items


def test_root_may_be_a_scalar_or_list() -> None:
    assert parse("hello")[0] == Scalar("hello", "hello", False, 1, 1)
    assert parse("- 1\n")[0] == Seq((Scalar(1, "1", False, 1, 3),), 1, 1)


# -- syntax errors worded for hand editing -------------------------------------

SYNTAX = [
    # (source, line, col, words in the message, hint)
    ("title: Shawl: red\n", 1, 13, "`title`: a value that holds `: ` must be quoted",
     'title: "Shawl: red"'),
    ("a: 1\nname: @rabia\n", 2, 7, "`name`: a value that starts with `@` must be quoted",
     'name: "@rabia"'),
    ("name: `x`\n", 1, 7, "a value that starts with `` ` `` must be quoted", 'name: "`x`"'),
    ("name: *foo\n", 1, 7, "a value that starts with `*` must be quoted", 'name: "*foo"'),
    ("name: %foo\n", 1, 7, "a value that starts with `%` must be quoted", 'name: "%foo"'),
    ("name: & hi\n", 1, 8, "a value that starts with `&` must be quoted", 'name: "& hi"'),
    ("name: !<> x\n", 1, 9, "a value that starts with `!` must be quoted", 'name: "!<> x"'),
    ("desc: |x\n", 1, 8, "a value that starts with `|` must be quoted", 'desc: "|x"'),
    ("desc: > foo\n", 1, 9, "a value that starts with `>` must be quoted", 'desc: "> foo"'),
    ("title: [Draft] Shawl\n", 1, 16, "a value that starts with `[` must be quoted",
     'title: "[Draft] Shawl"'),
    ("title: {x} y\n", 1, 12, "a value that starts with `{` must be quoted", 'title: "{x} y"'),
    ("a: ]\n", 1, 4, "a value that starts with `]` must be quoted", 'a: "]"'),
    ("tags: [a, b\nx: 1\n", 1, 7, "`tags`: the list opened with `[` here is never closed",
     'tags: "[a, b"'),
    ("m: {a: b\nx: 1\n", 1, 4, "the mapping opened with `{` here is never closed", 'm: "{a: b"'),
    ("a: [b: c: d]\n", 1, 9, "a text value that starts with `[` must be quoted",
     'a: "[b: c: d]"'),
    ("tags:\n  - a: b: c\n", 2, 9, "`a`: a value that holds `: ` must be quoted", '- a: "b: c"'),
    ("- x: y: z\n", 1, 7, "a value that holds `: ` must be quoted", '- x: "y: z"'),
    ("title: It's: red # note\n", 1, 12, "holds `: ` must be quoted", 'title: "It\'s: red"'),
    ('q: He said: "hi"\n', 1, 11, "holds `: ` must be quoted", "q: 'He said: \"hi\"'"),
    ("a: - b\n", 1, 4, "a value that starts with `- ` must be quoted", 'a: "- b"'),
    ("name: 'it's'\n", 1, 11, "the value goes on after its closing quote", 'name: "it\'s"'),
    ('name: "a" b\n', 1, 11, "the value goes on after its closing quote", "name: '\"a\" b'"),
    ('name: "abc\n', 1, 7, 'the quote " that opens this value is never closed', 'end the value'),
    ("name: 'abc\nx: 1\n", 1, 7, "the quote ' that opens this value is never closed", "''"),
    ('path: "C:\\Users\\x"\n', 1, 12, "a backslash `\\` inside double quotes",
     "'C:\\Users\\x'"),
    ("a:\n\tb: 1\n", 2, 1, "tab character", "spaces"),
    ("a:\n  b: 1\n\tc: 2\n", 3, 1, "tab character", "spaces"),
    ("a:\n  - b\n  \t- c\n", 3, 3, "tab character", "spaces"),
    ("a: 1\n  b: 2\n", 2, 4, "continuation of line 1", "line 1"),
    ("a: 1\nb\nc: 2\n", 2, 1, "`b` is not a `key: value` line", "b: value"),
    # A forgotten colon: the error names the key and the fix, on the line that lacks it, even when
    # YAML only notices on the next line (it reads `district Thatta` as text going on below).
    ("kind person\ncrafts: [x]\n", 1, 1, "the colon after `kind` is missing", "write `kind: person`"),
    ("location:\n  district Thatta\n  province: Sindh\n", 2, 3, "the colon after `district` is missing",
     "write `district: Thatta`"),
    ("photo:\n  src: a.jpg\n  alt A red quilt\nb: 1\n", 3, 3, "the colon after `alt` is missing",
     "write `alt: A red quilt`"),
    # Words continuing a long value are text, not a key that lost its colon.
    ("description: a long text\n  that goes on\n  and: breaks\n", 3, 6, "continuation of line 2", "line 2"),
    ("a: 1\n- b\n", 2, 1, "a list item (`- ...`) cannot appear among `key: value` lines", "key:"),
    ("- a\nb: 1\n", 2, 1, "does not belong to the list above it", "indentation"),
    ("a:\n    b: 1\n  c: 2\n", 3, 3, "not indented like the lines around it", "line this key up"),
    ("a: 1\n---\nb: 2\n", 2, 1, "only one YAML document is allowed", "---"),
    ("a: &x 1\nb: &x 2\n", 2, 4, "the anchor `&x` is defined twice (first on line 1)", "rename"),
    ("título: Shawl: red\n", 1, 14, "`título`: a value that holds `: ` must be quoted",
     'título: "Shawl: red"'),
]


@pytest.mark.parametrize(("source", "line", "col", "words", "hint"), SYNTAX)
def test_syntax_errors_are_located_and_say_how_to_fix(
        source: str, line: int, col: int, words: str, hint: str) -> None:
    root, sink = parse(source)
    assert root is None
    code, got_line, got_col, message, got_hint = only(sink)
    assert (code, got_line, got_col) == ("yaml-syntax", line, col), message
    assert words in message
    assert hint in got_hint
    assert sink.items[0].severity is Severity.ERROR


def test_syntax_error_lines_include_the_offset() -> None:
    _, sink = parse("a: 1\nname: @rabia\n", line_offset=1)
    assert only(sink)[:3] == ("yaml-syntax", 3, 7)
    _, sink = parse("a: 1\n  b: 2\n", line_offset=4)
    code, line, col, message, _ = only(sink)
    assert (code, line, col) == ("yaml-syntax", 6, 4) and "continuation of line 5" in message


def test_control_character_is_located() -> None:
    _, sink = parse("a: 1\nb: x\x01y\n", line_offset=1)
    code, line, col, message, _ = only(sink)
    assert (code, line, col) == ("yaml-error", 3, 5) and "U+0001" in message


def test_comment_swallowing_a_value_is_a_warning() -> None:
    root, sink = parse("name: x\ntags: #handmade #pottery\n")
    assert isinstance(root, Map) and root.get("tags") == Scalar(None, "", False, 2, 6)
    assert len(sink) == 1 and sink.items[0].severity is Severity.WARNING
    d = sink.items[0]
    assert (d.code, d.location.line, d.location.col) == ("yaml-comment-value", 2, 7)
    assert "must be quoted" in d.message and d.hint == 'tags: "#handmade #pottery"'
    assert not parse("tags: # to do\nx: ~\n")[1].items


# -- tags ----------------------------------------------------------------------

def test_python_tags_are_rejected_and_never_run(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    for allow in (False, True):
        source = (f'a: !!python/object/apply:os.system ["touch {marker}"]\n'
                  f"b: !!python/object/apply:os.system\n  args: ['touch {marker}']\n"
                  f"c: !!python/name:os.system\n")
        root, sink = parse(source, allow_tags=allow)
        assert not marker.exists()
        assert isinstance(root, Map)
        if allow:
            assert not sink.items
            assert root.get("c") == Scalar("", "", False, 4, 4)
        else:
            assert [(d.code, d.location.line, d.location.col) for d in sink] == [
                ("yaml-tag", 1, 4), ("yaml-tag", 2, 4), ("yaml-tag", 4, 4)]
            assert "tags such as `!!python/object/apply:os.system` are not allowed" \
                in sink.items[0].message


def test_custom_tags_are_errors_unless_allowed() -> None:
    _, sink = parse("name: !hello there\n")
    assert only(sink)[:3] == ("yaml-tag", 1, 7)
    root, sink = parse("name: !hello there\nenv: !ENV [HOME, x]\n", allow_tags=True)
    assert not sink.items and isinstance(root, Map)
    assert root.get("name") == Scalar("there", "there", False, 1, 7)
    assert isinstance(root.get("env"), Seq)


@pytest.mark.parametrize(("source", "value"), [
    ("!!str 123", "123"), ("!!str true", "true"), ("!!int 0123", 123), ('!!int "12"', 12),
    ("!!int 0x10", 16), ("!!float 1", 1.0), ("!!float .5", 0.5), ("!!bool false", False),
    ("!!null ~", None), ("!!null", None),
])
def test_standard_tags_are_honoured(source: str, value: object) -> None:
    node = value_of(source)
    assert node.value == value and type(node.value) is type(value)


@pytest.mark.parametrize("source", ["!!int abc", "!!bool yes", "!!float x", "!!null 0",
                                    "!!seq x", "!!map [a]", "!!str [a]", "!!timestamp 2024-01-01",
                                    "!!binary aGk="])
def test_misused_or_other_standard_tags_are_errors(source: str) -> None:
    root, sink = parse(f"v: {source}\n")
    assert isinstance(root, Map)
    assert only(sink)[:3] == ("yaml-tag", 1, 4)


# -- keys ------------------------------------------------------------------------

def test_duplicate_keys_are_located_at_the_second_and_keep_the_first() -> None:
    root, sink = parse("title: a\nprice:\n  amount: 1\n  amount: 2\ntitle: b\n'title': c\n")
    assert isinstance(root, Map) and root.get("title") == Scalar("a", "a", False, 1, 8)
    price = root.get("price")
    assert isinstance(price, Map) and price.get("amount") == Scalar(1, "1", False, 3, 11)
    found = [(d.code, d.location.line, d.location.col) for d in sink]
    assert found == [("yaml-duplicate-key", 4, 3), ("yaml-duplicate-key", 5, 1),
                     ("yaml-duplicate-key", 6, 1)]
    assert "`amount`" in sink.items[0].message and "line 3" in sink.items[0].message
    assert "line 1" in sink.items[1].message


def test_keys_are_compared_by_text() -> None:
    _, sink = parse("1: a\n'1': b\n")
    assert only(sink)[:3] == ("yaml-duplicate-key", 2, 1)


def test_merge_keys_are_rejected() -> None:
    root, sink = parse("base: &b {x: 1}\nitem:\n  <<: *b\n  y: 2\n")
    code, line, col, message, _ = only(sink)
    assert (code, line, col) == ("yaml-merge-key", 3, 3) and "merge keys" in message
    assert isinstance(root, Map)
    item = root.get("item")
    assert isinstance(item, Map) and list(item.entries) == ["y"]
    root, sink = parse('"<<": fine\n')
    assert not sink.items and isinstance(root, Map) and "<<" in root.entries


def test_non_scalar_keys_are_errors() -> None:
    root, sink = parse("? [a, b]\n: 1\nok: 2\n")
    assert only(sink)[:3] == ("yaml-complex-key", 1, 3)
    assert isinstance(root, Map) and list(root.entries) == ["ok"]


# -- limits ----------------------------------------------------------------------

def billion_laughs(levels: int = 9) -> str:
    lines = ['a0: &a0 "lol"']
    for i in range(1, levels + 1):
        refs = ", ".join([f"*a{i - 1}"] * 9)
        lines.append(f"a{i}: &a{i} [{refs}]")
    return "\n".join(lines) + "\n"


def test_billion_laughs_stops_with_one_error() -> None:
    root, sink = parse(billion_laughs())
    assert root is None
    assert only(sink)[0] == "yaml-too-large"


def test_aliases_count_each_time_they_are_used() -> None:
    root, sink = parse("a: &x [1, 2, 3]\nb: *x\nc: *x\n")
    assert isinstance(root, Map) and root.get("c") == root.get("a")
    assert not sink.items
    # root + 3 keys + 3 lists of 3: 16 nodes
    assert parse("a: &x [1, 2, 3]\nb: *x\nc: *x\n", limits=YamlLimits(max_nodes=16))[0]
    _, sink = parse("a: &x [1, 2, 3]\nb: *x\nc: *x\n", limits=YamlLimits(max_nodes=15))
    assert only(sink)[0] == "yaml-too-large"


def test_depth_limit() -> None:
    limits = YamlLimits(max_depth=3)
    assert not parse("a: {b: c}\n", limits=limits)[1].items
    root, sink = parse("a: {b: {c: d}}\n", limits=limits)
    assert root is None and only(sink)[:3] == ("yaml-too-deep", 1, 8)


@pytest.mark.parametrize("source", [
    "".join(f"{'  ' * i}k{i}:\n" for i in range(30)) + "  " * 30 + "x\n",
    "[" * 30 + "]" * 30,
    "[" * 3000 + "]" * 3000,  # past the composer's own nesting limit
    "- " * 3000 + "x\n",
    "[" * 200_000,
    "a: &x [*x]\n",  # an alias inside itself
])
def test_deep_nesting_stops_with_one_error(source: str) -> None:
    root, sink = parse(source)
    assert root is None
    assert only(sink)[0] == "yaml-too-deep"


# -- never raises ----------------------------------------------------------------

YAMLISH = st.text(alphabet=st.sampled_from(list("ab:- \n\t\"'[]{},#&*!|>%@`?~.01\\") + ["é", "\x01"]),
                  max_size=80)


@settings(deadline=None, derandomize=True, max_examples=200)
@given(st.one_of(st.text(max_size=200), YAMLISH), st.integers(min_value=0, max_value=5),
       st.booleans())
def test_parse_yaml_never_raises(text: str, offset: int, allow_tags: bool) -> None:
    sink = DiagnosticSink()
    root = parse_yaml(text, path="x.yml", sink=sink, line_offset=offset, allow_tags=allow_tags)
    assert root is None or isinstance(root, (Scalar, Seq, Map))
    if root is None:
        assert len(sink) <= 1
    for d in sink:
        assert d.location.path == "x.yml" and d.location.line >= 1 + offset
        assert d.location.col >= 1 and d.message
