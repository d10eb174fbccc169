"""The only YAML parser in Karigar: PyYAML's composer plus our own typing.

PyYAML resolves plain scalars with YAML 1.1 rules (``no`` is false, ``0123``
is octal, ``1:30`` is 5400).  The content contract wants the YAML 1.2 core
schema, so the composer is told to resolve nothing (see :class:`_Loader`) and
:func:`parse_yaml` types plain scalars itself while building
:mod:`karigar.load.nodes`.  Nothing is ever constructed from tags, so no YAML
document can run code.  Every problem becomes a located diagnostic; syntax
errors are reworded for people who edit YAML by hand (bottom of this module).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from karigar.diagnostics import DiagnosticSink, Location
from karigar.errors import YamlLimitCrossed as _Stop
from karigar.load.nodes import Map, Node, Scalar, Seq, node_kind

__all__ = ["YamlLimits", "parse_yaml"]

_TAG = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL = (_TAG + k for k in ("str", "int", "float", "bool", "null"))
_SEQ, _MAP = _TAG + "seq", _TAG + "map"
_CORE_TAGS = frozenset({_STR, _INT, _FLOAT, _BOOL, _NULL, _SEQ, _MAP})
# Sentinel tag for plain scalars without an explicit tag: typed by _plain_value.
_PLAIN = "!karigar/plain"

_NULLS = {"": None, "~": None, "null": None, "Null": None, "NULL": None}
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_SPECIAL_FLOATS = {
    **{s + inf: (-math.inf if s == "-" else math.inf)
       for s in ("", "+", "-") for inf in (".inf", ".Inf", ".INF")},
    ".nan": math.nan, ".NaN": math.nan, ".NAN": math.nan,
}
_SPECIAL: dict[str, object] = {**_NULLS, **_BOOLS, **_SPECIAL_FLOATS}
_MISSING = object()
_NUMBER_START = frozenset("0123456789+-.")
_DEC_INT = re.compile(r"[-+]?[0-9]+").fullmatch
_OCT_INT = re.compile(r"0o[0-7]+").fullmatch
_HEX_INT = re.compile(r"0x[0-9a-fA-F]+").fullmatch
_FLOAT_RE = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?").fullmatch
# Where a comment swallowed a value: `tags: #handmade` (a comment needs no space after #).
_COMMENT_VALUE = re.compile(r"[ \t]*:[ \t]+(#\S.*)$")
# Characters YAML refuses (control characters, lone surrogates), for locating ReaderErrors.
_BAD_CHAR = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# libyaml follows YAML 1.1, where NEL, LS and PS break lines; in YAML 1.2 (and in the
# editor's line numbers) they are text.  They are swapped for noncharacters while parsing.
_ODD_BREAKS = ("\x85", "\u2028", "\u2029")
_HIDE_BREAKS = str.maketrans({"\x85": "\ufdd0", "\u2028": "\ufdd1", "\u2029": "\ufdd2"})
_SHOW_BREAKS = str.maketrans({"\ufdd0": "\x85", "\ufdd1": "\u2028", "\ufdd2": "\u2029"})
# Every nesting level needs one of these characters, so their count bounds the depth.
_NEST_CHARS = ("[", "{", "-", ":", "?")
_PRESCAN_OVER = 500


@dataclass(frozen=True, slots=True)
class YamlLimits:
    """Guards against hostile or broken documents.

    ``max_nodes`` counts every node converted, an alias counting again each
    time it is used (the "billion laughs" guard); ``max_depth`` is the nesting
    depth, the root being at depth 1.
    """

    max_nodes: int = 20_000
    max_depth: int = 24


class _Loader(yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader):  # type: ignore[misc]
    """Composes without YAML 1.1 implicit typing (and is cheaper than the regex resolver)."""

    def resolve(self, kind: type, value: object, implicit: tuple[bool, bool]) -> str:
        if kind is ScalarNode:
            return _PLAIN if implicit[0] else _STR
        return _SEQ if kind is SequenceNode else _MAP


def _plain_value(text: str) -> object:
    """YAML 1.2 core schema for an untagged plain scalar (the text is kept elsewhere)."""
    special = _SPECIAL.get(text, _MISSING)
    if special is not _MISSING:
        return special
    if text[0] not in _NUMBER_START:  # most values are words: decided by one look
        return text
    try:
        if _DEC_INT(text):
            return int(text)  # decimal even with leading zeros: `0123` is 123
        if _OCT_INT(text):
            return int(text[2:], 8)
        if _HEX_INT(text):
            return int(text[2:], 16)
        if _FLOAT_RE(text):
            return float(text)
    except ValueError:  # more digits than int() accepts: keep the text
        pass
    return text


def _scalar_factory() -> Callable[[object, str, bool, int, int], Scalar]:
    """A faster ``Scalar(...)`` for the hot path, with the same result.

    A frozen dataclass ``__init__`` sets each field through
    ``object.__setattr__``, which is half the cost of converting a front
    matter.  Setting the slots through their descriptors is what that does,
    minus the attribute lookups.  Falls back to the class if ``Scalar`` ever
    stops being a plain slotted dataclass.
    """
    fields = ("value", "text", "quoted", "line", "col")
    slots = [Scalar.__dict__.get(name) for name in fields]
    if hasattr(Scalar, "__post_init__") or not all(
            type(slot).__name__ == "member_descriptor" for slot in slots):
        return Scalar  # type: ignore[return-value]
    new = object.__new__
    set_value, set_text, set_quoted, set_line, set_col = (slot.__set__ for slot in slots)  # type: ignore[union-attr]

    def make(value: object, text: str, quoted: bool, line: int, col: int) -> Scalar:
        scalar = new(Scalar)
        set_value(scalar, value)
        set_text(scalar, text)
        set_quoted(scalar, quoted)
        set_line(scalar, line)
        set_col(scalar, col)
        return scalar
    return make


_new_scalar = _scalar_factory()


def _plain_scalar(node: yaml.Node, offset: int) -> Scalar:
    """An untagged plain scalar: the hot path, so everything is inlined."""
    text, mark = node.value, node.start_mark
    if not text:
        value: object = None
    else:
        value = _SPECIAL.get(text, _MISSING)
        if value is _MISSING:
            # Most values are words, decided by one look at the first character.
            value = text if text[0] not in _NUMBER_START else _plain_value(text)
    return _new_scalar(value, text, False, mark.line + 1 + offset, mark.column + 1)


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_TAG):] if tag.startswith(_TAG) else tag


class _Converter:
    """Turns a composed yaml.Node graph into Scalar/Seq/Map, counting as it goes.

    A collection counts its children (and checks their depth) before
    converting them, so each node is counted once per visit: an alias shared
    a million times is counted a million times, and stops at ``max_nodes``.
    """

    __slots__ = ("path", "sink", "offset", "max_nodes", "max_depth", "allow_tags", "text",
                 "count", "_lines")

    def __init__(self, text: str, path: str, sink: DiagnosticSink, offset: int,
                 limits: YamlLimits, allow_tags: bool) -> None:
        self.text, self.path, self.sink, self.offset = text, path, sink, offset
        self.max_nodes, self.max_depth = limits.max_nodes, limits.max_depth
        self.allow_tags = allow_tags
        self.count = 1  # the root
        self._lines: list[str] | None = None

    def line(self, index: int) -> str:
        if self._lines is None:  # split only when a message needs the source
            self._lines = self.text.split("\n")
        return self._lines[index] if index < len(self._lines) else ""

    def loc(self, node: yaml.Node) -> Location:
        mark = node.start_mark
        return Location(self.path, mark.line + 1 + self.offset, mark.column + 1)

    def enter(self, node: yaml.Node, children: int, depth: int) -> None:
        """Count ``children`` more nodes at ``depth``, stopping past a limit."""
        self.count += children
        if self.count > self.max_nodes:
            raise _Stop("yaml-too-large", (
                f"the YAML holds more than {self.max_nodes} values (each use of an "
                "alias `*name` counts again); it is too large to read"), node)
        if depth > self.max_depth and children:
            raise _Stop("yaml-too-deep", (
                f"the YAML is nested more than {self.max_depth} levels deep "
                "(or an alias `*name` refers to itself)"), node)

    def convert(self, node: yaml.Node, depth: int) -> Node:
        """Convert a node that its parent already counted."""
        cls, tag = node.__class__, node.tag
        if cls is ScalarNode:
            if tag is _PLAIN:
                return _plain_scalar(node, self.offset)
            text, mark = node.value, node.start_mark
            quoted = bool(node.style)  # '' (libyaml) or None (PyYAML) means plain
            value = text if tag == _STR else self.tagged(node, text)
            return Scalar(value, text, quoted, mark.line + 1 + self.offset, mark.column + 1)  # type: ignore[arg-type]
        if tag != (_SEQ if cls is SequenceNode else _MAP):
            self.check_collection_tag(node)
        mark = node.start_mark
        line, col = mark.line + 1 + self.offset, mark.column + 1
        if cls is MappingNode:
            return self.mapping(node, depth, line, col)
        items = node.value
        self.enter(node, len(items), depth + 1)
        offset, child = self.offset, depth + 1
        return Seq(tuple([_plain_scalar(item, offset) if item.tag is _PLAIN
                          else self.convert(item, child) for item in items]), line, col)

    def mapping(self, node: yaml.Node, depth: int, line: int, col: int) -> Map:
        pairs = node.value
        self.enter(node, 2 * len(pairs), depth + 1)
        entries: dict[str, tuple[Scalar, Node]] = {}
        offset, child = self.offset, depth + 1
        for key_node, value_node in pairs:
            key = (_plain_scalar(key_node, offset) if key_node.tag is _PLAIN
                   else self.convert(key_node, child))
            if key.__class__ is not Scalar or (key.text == "<<" and not key.quoted):
                self.bad_key(key)
                continue
            text = key.text  # type: ignore[union-attr]
            first = entries.get(text)
            if first is not None:
                self.sink.error(
                    "yaml-duplicate-key",
                    f"duplicate key {_code(text)}: it is already given on line {first[0].line}",
                    Location(self.path, key.line, key.col),
                    "each key may appear once in a mapping; keep one (the first one is used)")
                continue
            if value_node.tag is _PLAIN:
                value: Node = _plain_scalar(value_node, offset)
                if not value_node.value:
                    self.check_comment_value(key, key_node)  # type: ignore[arg-type]
            else:
                value = self.convert(value_node, child)
            entries[text] = (key, value)  # type: ignore[assignment]
        return Map(entries, line, col)

    def bad_key(self, key: Node) -> None:
        where = Location(self.path, key.line, key.col)
        if isinstance(key, Scalar):
            self.sink.error("yaml-merge-key", "merge keys (`<<: *name`) are not supported; "
                            "write the fields out in full", where,
                            'if `<<` is meant as a key, quote it: `"<<": ...`')
        else:
            self.sink.error("yaml-complex-key", f"a key must be a plain text, not {node_kind(key)}",
                            where, "write keys as `name: value`; quote a key that starts with "
                            "`[`, `{` or `?`")

    def check_comment_value(self, key: Scalar, key_node: yaml.Node) -> None:
        # `tags: #handmade` is valid YAML (an empty value and a comment); warn, since
        # the contract says a value starting with `#` must be quoted.
        end = key_node.end_mark
        found = _COMMENT_VALUE.match(self.line(end.line), end.column)
        if found:
            value = found.group(1).rstrip()
            self.sink.warning(
                "yaml-comment-value",
                f"{_code(key.text)}: the value starts with `#`, so YAML reads it as a comment and "
                f"{_code(key.text)} is left empty; a value that starts with `#` must be quoted",
                Location(self.path, key.line, found.start(1) + 1),
                f'{key.text}: "{value}"')

    def tagged(self, node: yaml.Node, text: str) -> object:
        """The value of a scalar with an explicit tag, or its text after an error."""
        tag = node.tag
        value: object = _MISSING
        if tag == _INT:
            if _DEC_INT(text) or _OCT_INT(text) or _HEX_INT(text):
                value = _plain_value(text)
        elif tag == _FLOAT:
            plain = _plain_value(text) if text else None
            if isinstance(plain, (int, float)) and not isinstance(plain, bool):
                value = float(plain)
        elif tag == _BOOL:
            value = _BOOLS.get(text, _MISSING)
        elif tag == _NULL:
            value = _NULLS.get(text, _MISSING)
        elif tag in (_SEQ, _MAP) or not self.allow_tags:
            self.tag_error(node)
            return text
        else:
            return text  # allowed foreign tag (mkdocs.yml): kept as text, tag dropped
        if value is _MISSING:
            self.sink.error("yaml-tag", f"the value {_code(text)} is tagged `{_short_tag(tag)}` but is "
                            f"not a valid {tag[len(_TAG):]}", self.loc(node),
                            "remove the tag, or correct the value")
            return text
        return value

    def check_collection_tag(self, node: yaml.Node) -> None:
        if node.tag in _CORE_TAGS or not self.allow_tags:
            self.tag_error(node)

    def tag_error(self, node: yaml.Node) -> None:
        tag = _short_tag(node.tag)
        if node.tag in _CORE_TAGS:
            kind = {ScalarNode: "a single value", SequenceNode: "a list"}.get(node.__class__, "a mapping")
            self.sink.error("yaml-tag", f"the tag `{tag}` does not fit {kind}", self.loc(node),
                            "remove the tag")
        else:
            self.sink.error("yaml-tag", f"YAML tags such as `{tag}` are not allowed", self.loc(node),
                            "remove the tag; if the value is text that starts with `!`, "
                            "put it in double quotes")


def _show_breaks(node: Node) -> Node:
    """``node`` with the swapped line-break characters put back (rare: a second pass)."""
    if isinstance(node, Scalar):
        text = node.text.translate(_SHOW_BREAKS)
        value = node.value.translate(_SHOW_BREAKS) if isinstance(node.value, str) else node.value
        return Scalar(value, text, node.quoted, node.line, node.col)
    if isinstance(node, Seq):
        return Seq(tuple(map(_show_breaks, node.items)), node.line, node.col)
    entries = {}
    for key_node, value_node in node.entries.values():
        shown = _show_breaks(key_node)
        assert isinstance(shown, Scalar)  # keys are always scalars (see _mapping)
        entries[shown.text] = (shown, _show_breaks(value_node))
    return Map(entries, node.line, node.col)


def _bad_char_location(text: str, path: str, offset: int) -> tuple[Location, str]:
    found = _BAD_CHAR.search(text)
    if found is None:
        return Location(path, 1 + offset, 1), ""
    i = found.start()
    line = text.count("\n", 0, i)
    col = i - (text.rfind("\n", 0, i) + 1)
    return Location(path, line + 1 + offset, col + 1), f"U+{ord(text[i]):04X}"


def _too_deep_prescan(text: str, limits: YamlLimits) -> yaml.Node | None:
    """First too-deep node, found from the event stream without recursion.

    Only run for documents with many nesting characters: the composers
    recurse once per level, so a hostile document must not reach them.
    """
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > limits.max_depth:
                    return yaml.Node("", None, event.start_mark, event.end_mark)
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
            elif isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent)) and depth + 1 > limits.max_depth:
                return yaml.Node("", None, event.start_mark, event.end_mark)
    except Exception:  # noqa: BLE001 -- compose reports syntax errors properly
        return None
    return None


def parse_yaml(text: str, *, path: str, sink: DiagnosticSink, line_offset: int = 0,
               limits: YamlLimits = YamlLimits(), allow_tags: bool = False) -> Node | None:
    """Parse one YAML document into located nodes, reporting problems to ``sink``.

    ``path`` names the file in diagnostics; ``line_offset`` is added to every
    line (front matter starts below its ``---``).  Returns ``None`` for an
    empty document (no diagnostic) or one that could not be read (one
    diagnostic); otherwise the root, even when duplicate keys or bad tags were
    reported.  Never raises on any input.
    """
    if "\r" in text:  # YAML reads CR and CRLF as line breaks: count lines the same way
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    hidden = any(c in text for c in _ODD_BREAKS)
    if hidden:
        text = text.translate(_HIDE_BREAKS)
    conv = _Converter(text, path, sink, line_offset, limits, allow_tags)
    try:
        if sum(map(text.count, _NEST_CHARS)) > _PRESCAN_OVER:
            deep = _too_deep_prescan(text, limits)
            if deep is not None:
                raise _Stop("yaml-too-deep", f"the YAML is nested more than {limits.max_depth} "
                            "levels deep", deep)
        root = yaml.compose(text, Loader=_Loader)
        if root is None or (root.tag is _PLAIN and not root.value):  # empty, maybe after `---`
            return None
        node = conv.convert(root, 1)
        return _show_breaks(node) if hidden else node
    except _Stop as stop:
        sink.error(stop.code, stop.message, conv.loc(stop.node),
                   "simplify the structure; aliases (`*name`) and deep nesting are not needed here")
    except yaml.MarkedYAMLError as exc:
        code, message, hint, line, col = explain_syntax_error(exc, text, line_offset)
        if hidden:
            message, hint = message.translate(_SHOW_BREAKS), hint.translate(_SHOW_BREAKS)
        sink.error(code, message, Location(path, line, col), hint)
    except RecursionError:
        sink.error("yaml-too-deep", "the YAML is nested too deeply to read",
                   Location(path, 1 + line_offset, 1), "simplify the structure")
    except Exception as exc:  # noqa: BLE001 -- a reader error, or anything PyYAML throws
        location, char = _bad_char_location(text, path, line_offset)
        if char:
            sink.error("yaml-error", f"the character {char} is not allowed in YAML (it is an "
                       "invisible control character or a broken one)", location,
                       "delete the character")
        else:
            sink.error("yaml-error", f"the YAML could not be read ({type(exc).__name__}: "
                       f"{str(exc).splitlines()[0] if str(exc) else 'no detail'})", location,
                       "check the file's syntax")
    return None


# -- wording of syntax errors, for volunteers who edit YAML by hand ----------

# `key: value` on one line, possibly as a list item (`- key: value`).
_KEY_LINE = re.compile(
    r"(?P<lead>[ \t]*(?:-[ \t]+)*)"
    r"(?P<key>\"[^\"\n]*\"|'[^'\n]*'|(?:[^\s:#'\"\-?]|[-?:]\S)(?:[^:\n]|:\S)*?)"
    r"[ \t]*:(?:[ \t]+(?P<value>.*))?$")
_ITEM_LINE = re.compile(r"(?P<lead>[ \t]*(?:-[ \t]+)+)(?P<value>.*)$")
_TRAILING_COMMENT = re.compile(r"[ \t]+#.*$")
_NAME_AFTER = re.compile(r"[*&]([^\s,\[\]{}]+)")
_QUOTE_ADVICE = ("put the value in double quotes: `key: \"value\"`; values that hold `: ` "
                 "or start with `@ # ! & * | > % [ {` must be quoted")


def _code(text: str) -> str:
    """``text`` as Markdown inline code, even when it is a backtick."""
    return f"`` {text} ``" if "`" in text else f"`{text}`"


def _quote(value: str) -> str:
    """``value`` as a YAML quoted scalar, for hints (comments dropped)."""
    value = _TRAILING_COMMENT.sub("", value).strip()
    if '"' in value and "'" not in value:
        return f"'{value}'"
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _lead(match: re.Match[str]) -> str:
    return " ".join(match.group("lead").split()) + " " if match.group("lead").strip() else ""


def _must_quote(src: str, col: int, what: str, why: str = "") -> tuple[str, str]:
    """(message, hint) for text at ``col`` of ``src`` that YAML needs quoted."""
    kv = _KEY_LINE.match(src)
    if kv and kv.group("value") and kv.start("value") <= col:
        key = kv.group("key")
        return (f"{_code(key)}: a value that {what} must be quoted{why}",
                f"{_lead(kv)}{key}: {_quote(kv.group('value'))}")
    if kv and kv.start("key") == col:
        return (f"a key that {what} must be quoted{why}",
                f"{_lead(kv)}{_quote(kv.group('key'))}: {kv.group('value') or ''}".rstrip())
    item = _ITEM_LINE.match(src)
    if item and item.start("value") <= col:
        return (f"a list item that {what} must be quoted{why}",
                f"{_lead(item)}{_quote(item.group('value'))}")
    return f"a value that {what} must be quoted{why}", _QUOTE_ADVICE


# `kind person`: a key-like first word, a space, then a value: the colon was forgotten.
_KEY_WITHOUT_COLON = re.compile(r"^(?P<key>[A-Za-z_][A-Za-z0-9_-]*) +(?P<value>[^:#\s][^:#]*)$")


def _missing_colon(src: str) -> tuple[str, str] | None:
    """(message, hint) when ``src`` reads as a `key value` line whose colon was forgotten."""
    found = _KEY_WITHOUT_COLON.match(src.strip())
    if found is None:
        return None
    key, value = found.group("key"), found.group("value").rstrip()
    return (f"{_code(src.strip())} is not a `key: value` line: the colon after {_code(key)} is missing",
            f"write `{key}: {value}`")


def _starts_an_entry(lines: list[str], index: int) -> bool:
    """Whether line ``index`` stands where a mapping key would: not inside a value running over lines.

    It does when the line before it is a complete ``key: value`` at the same
    indentation, or a ``key:`` that opens a block at a smaller one (or there is
    none).  A line continuing a long value (``description: a long text`` then
    ``  that continues here``) does not: its words are text, not a key.
    """
    def indent(text: str) -> int:
        return len(text) - len(text.lstrip(" "))

    before = next((i for i in range(index - 1, -1, -1) if lines[i].strip()), -1)
    if before < 0:
        return True
    entry = _KEY_LINE.match(lines[before])
    if entry is None:
        return False
    has_value = bool((entry.group("value") or "").strip())
    if indent(lines[before]) == indent(lines[index]):
        return True
    return indent(lines[before]) < indent(lines[index]) and not has_value


def _explain(exc: yaml.MarkedYAMLError, lines: list[str], offset: int
             ) -> tuple[str, str, yaml.Mark | None]:
    """(message, hint, mark to report at) for one parser/scanner error."""
    problem, context = (exc.problem or "").lower(), (exc.context or "").lower()
    mark = exc.problem_mark or exc.context_mark
    cmark = exc.context_mark or mark
    line, col = (mark.line, mark.column) if mark else (0, 0)
    src = lines[line] if line < len(lines) else ""
    ch = src[col] if col < len(src) else ""
    csrc = lines[cmark.line] if cmark and cmark.line < len(lines) else ""
    ccol = cmark.column if cmark else 0
    cline = (cmark.line if cmark else 0) + 1 + offset
    opener = csrc[ccol] if ccol < len(csrc) else ""
    kv = _KEY_LINE.match(src)
    value = (kv.group("value") or "") if kv else ""
    in_value = bool(kv and value and kv.start("value") <= col)

    def quote(what: str, why: str = "", at: tuple[str, int] = (src, col)) -> tuple[str, str, yaml.Mark | None]:
        return (*_must_quote(at[0], at[1], what, why), mark)

    if "duplicate anchor" in context:
        name = _NAME_AFTER.match(src, col)
        return (f"the anchor `&{name.group(1) if name else ''}` is defined twice (first on line "
                f"{cline})", "rename one of the anchors; if the value is text that starts with "
                "`&`, put it in double quotes", mark)
    if "nesting depth" in problem:
        return "the YAML is nested too deeply to read", "simplify the structure", mark
    if "tab" in problem or ch == "\t":
        tab = yaml.Mark("", 0, line, src.find("\t") if "\t" in src else col, None, None)
        return ("this line uses a tab character; YAML allows only spaces for indentation",
                "replace the tab with spaces (and set your editor to insert spaces for the Tab "
                "key)", tab)
    if "undefined alias" in problem:
        name = _NAME_AFTER.match(src, col)
        ref = name.group(1) if name else "name"
        return quote("starts with `*`", f" (YAML reads `*{ref}` as a reference to an anchor "
                     f"`&{ref}`, and there is none)")
    if any(word in context for word in ("alias", "anchor", "block scalar", "tag")):
        why = " (it starts a block of text on the following lines)" if opener in "|>" else ""
        return quote(f"starts with {_code(opener)}", why, (csrc, ccol))
    for words, what in (("mapping keys are not allowed", "starts with `?`"),
                        ("tag handle", "starts with `!`"), ("unexpected ':'", "holds `:`"),
                        ("sequence entries are not allowed", "starts with `- `"),
                        ("cannot start any token", f"starts with {_code(ch)}"),
                        ("node content", f"starts with {_code(ch)}")):
        if words in problem and ch:
            return quote(what)
    if "incompatible yaml document" in problem:
        return ("the `%YAML` line asks for a YAML version that cannot be read",
                "remove the `%YAML` line", mark)
    if "directive" in context or "directive" in problem:
        return quote("starts with `%`", " (a line starting with `%` is read as a YAML directive)")
    if "mapping values are not allowed" in problem:
        above = next((i for i in range(min(line, len(lines)) - 1, -1, -1) if lines[i].strip()), -1)
        if kv and not in_value and kv.end("key") >= 1024:
            return "a key can be at most 1024 characters long", "shorten the key", mark
        if in_value or above < 0:
            return quote("holds `: `")
        missing = _missing_colon(lines[above]) if _starts_an_entry(lines, above) else None
        if missing is not None:
            # The line above lacks its colon, so YAML took this line for more of its text: the
            # mistake, and the fix, are on the line above.
            indent = len(lines[above]) - len(lines[above].lstrip(" "))
            return (*missing, yaml.Mark("", 0, above, indent, None, None))
        above += 1 + offset
        return (f"a key cannot start here: YAML reads this line as the continuation of line "
                f"{above}", f"check the indentation: keys of one mapping must line up, and line "
                f"{above} must be a complete `key: value` line", mark)
    if "could not find expected ':'" in problem:
        missing = _missing_colon(csrc)
        if missing is not None:
            return (*missing, cmark)
        text = csrc.strip()
        return (f"{_code(text)} is not a `key: value` line (a key needs `: ` after it)",
                f"write `{text}: value`, or indent the line if it continues the value above", cmark)
    ckv = _KEY_LINE.match(csrc)
    who = f"{_code(ckv.group('key'))}: " if ckv and ckv.start("value") == ccol else ""
    if "quoted scalar" in context:
        if "escape" in problem or "hex" in problem:
            raw = csrc[ccol + 1:].split('"', 1)[0]
            return (f"{who}a backslash `\\` inside double quotes starts an escape sequence such "
                    "as `\\n`, and the one here is not valid", "use single quotes to keep "
                    f"backslashes as typed: '{raw}' (or write `\\\\` for each backslash)", mark)
        inside = ("write `''` for an apostrophe inside single quotes, or use double quotes"
                  if opener == "'" else "write `\\\"` for a quote character inside double quotes")
        return (f"{who}the quote {opener} that opens this value is never closed",
                f"end the value with {opener}; {inside}", cmark)
    if context.startswith("while parsing a flow"):
        opener, kind, close = ("[", "list", "]") if "sequence" in context else ("{", "mapping", "}")
        hint = f"{_lead(ckv)}{ckv.group('key')}: {_quote(ckv.group('value'))}" if who and ckv \
            else _QUOTE_ADVICE
        quoted = f"; a text value that starts with `{opener}` must be quoted"
        if cmark and mark and mark.line != cmark.line:
            return (f"{who}the {kind} opened with `{opener}` here is never closed with "
                    f"`{close}`{quoted}", hint, cmark)
        return (f"{who}this `{opener}...{close}` {kind} is not written correctly (items are "
                f"separated by `, ` and it ends with `{close}`){quoted}", hint, mark)
    if "expected key" in problem or "block end" in problem or "'-' indicator" in problem:
        if src.lstrip().startswith("-") and "'-' indicator" not in problem:
            return ("a list item (`- ...`) cannot appear among `key: value` lines", "put the list "
                    "under its key: `key:` on its own line, then one `- item` per line, "
                    "indented", mark)
        if kv and in_value and value[0] in "\"'":
            inner = value[1:-1] if len(value) > 1 and value[-1] == value[0] else value
            advice = "; inside single quotes an apostrophe is written `''`" if value[0] == "'" else ""
            return (f"{_code(kv.group('key'))}: the value goes on after its closing quote; quote "
                    f"the whole value{advice}", f"{_lead(kv)}{kv.group('key')}: {_quote(inner)}",
                    mark)
        if kv and in_value and value[0] in "[{":
            return quote(f"starts with `{value[0]}`", at=(src, kv.start("value")))
        if "'-' indicator" in problem:
            return ("this line does not belong to the list above it: every item of a list "
                    "starts with `- `, lined up under the others",
                    "check the indentation of this line", mark)
        return ("this line is not indented like the lines around it (keys of one mapping must "
                "start in the same column)", "line this key up with the keys it belongs with; "
                "nested keys go further in than their parent", mark)
    if "single document" in context or "document start" in problem:
        return ("only one YAML document is allowed here: a line `---` or `...` ends it",
                "remove the extra `---` or `...` line", mark)
    detail = f" ({exc.context} on line {cline})" if exc.context else ""
    return (f"the YAML here cannot be read: {exc.problem or 'syntax error'}{detail}",
            "check the indentation, and " + _QUOTE_ADVICE, mark)


def explain_syntax_error(exc: yaml.MarkedYAMLError, text: str, offset: int
                         ) -> tuple[str, str, str, int, int]:
    """(code, message, hint, file line, column) for a PyYAML syntax error, all 1-based."""
    code = "yaml-too-deep" if "nesting depth" in (exc.problem or "") else "yaml-syntax"
    try:
        message, hint, mark = _explain(exc, text.split("\n"), offset)
    except Exception:  # noqa: BLE001 -- wording must never turn an error into a traceback
        message = f"the YAML here cannot be read: {exc.problem}"
        hint, mark = _QUOTE_ADVICE, exc.problem_mark or exc.context_mark
    if mark is None:
        return code, message, hint, 1 + offset, 1
    return code, message, hint, mark.line + 1 + offset, mark.column + 1
