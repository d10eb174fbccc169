"""From a file's bytes to text, and from text to front matter plus Markdown body.

Everything a volunteer's editor can get wrong before YAML is even read (a
Latin-1 save, a UTF-16 save, a stray NUL, a missing ``---``) is reported
here, located in the file, so the YAML layer only ever sees clean text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from karigar.diagnostics import DiagnosticSink, Location
from karigar.load.nodes import Map, Node, node_kind
from karigar.load.yamlsrc import YamlLimits, parse_yaml

__all__ = ["SourceText", "FrontMatterDoc", "decode_source", "split_front_matter",
           "read_yaml_document"]

_UTF8_BOM = b"\xef\xbb\xbf"
# UTF-32 first: its little-endian mark begins with UTF-16's.
_OTHER_BOMS = (
    (b"\x00\x00\xfe\xff", "UTF-32"), (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\xfe\xff", "UTF-16"), (b"\xff\xfe", "UTF-16"),
)
_RESAVE_HINT = ("re-save the file as UTF-8 in your editor (e.g. VS Code: click the encoding in "
                "the status bar, then 'Save with Encoding' > UTF-8; Notepad: Save As > "
                "Encoding: UTF-8)")
# A line that closes front matter: `---` (or YAML's document end `...`), trailing blanks allowed.
_CLOSER = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)
_OPENER = re.compile(r"---[ \t]*(?:\n|$)")
_SHAPE_HINT = ("start the file with a line `---`, then one `key: value` per line, then a line "
               "`---`, then the text")


@dataclass(frozen=True, slots=True)
class SourceText:
    """A decoded source file: BOM stripped, line ends normalized to ``\\n``."""

    path: str  # site-relative, POSIX
    text: str


@dataclass(frozen=True, slots=True)
class FrontMatterDoc:
    """A Markdown file split into its parsed front matter and its body."""

    path: str
    front: Node | None  # the front matter mapping; None if absent or unreadable
    body: str  # the Markdown after the closing ---
    body_line: int  # 1-based file line where the body starts


def _position(text: str, index: int) -> tuple[int, int]:
    """1-based (line, column in characters) of ``text[index]``."""
    line_start = text.rfind("\n", 0, index) + 1
    return text.count("\n", 0, index) + 1, index - line_start + 1


def _normalize(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def decode_source(data: bytes, *, path: str, sink: DiagnosticSink,
                  max_bytes: int = 1_048_576) -> SourceText | None:
    """Decode a file's bytes as UTF-8, or report why not and return ``None``.

    A UTF-8 byte-order mark is dropped and CRLF / CR line ends become LF.
    Files over ``max_bytes``, other encodings (UTF-16/32 marks, bytes that are
    not UTF-8) and NUL characters are errors located where they occur.
    """
    if len(data) > max_bytes:
        sink.error("file-too-large", f"the file is {len(data):,} bytes; the limit is "
                   f"{max_bytes:,} bytes", Location(path),
                   "split the content, or move large data (such as images) out of this file")
        return None
    for bom, name in _OTHER_BOMS:
        if data.startswith(bom):
            sink.error("encoding", f"the file is saved as {name}; it must be saved as UTF-8",
                       Location(path, 1, 1), _RESAVE_HINT)
            return None
    if data.startswith(_UTF8_BOM):
        data = data[len(_UTF8_BOM):]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        # Bytes before the first bad one decode cleanly, so they give its position.
        before = _normalize(data[:exc.start].decode("utf-8"))
        line, col = _position(before, len(before))
        byte = data[exc.start]
        guess = bytes([byte]).decode("cp1252", errors="replace")
        probably = (f" (in the Windows-1252 encoding this byte is `{guess}`)"
                    if byte >= 0x80 and guess != "\ufffd" else "")
        sink.error("encoding", f"the file must be saved as UTF-8, but byte 0x{byte:02X} at "
                   f"line {line}, column {col} is not UTF-8{probably}",
                   Location(path, line, col), _RESAVE_HINT)
        return None
    text = _normalize(text)
    nul = text.find("\x00")
    if nul >= 0:
        line, col = _position(text, nul)
        sink.error("encoding", f"the file holds a NUL character (byte 0x00) at line {line}, "
                   f"column {col}: it is not a text file, or not saved as UTF-8",
                   Location(path, line, col), _RESAVE_HINT)
        return None
    return SourceText(path, text)


def split_front_matter(source: SourceText, *, sink: DiagnosticSink,
                       required: bool = True) -> FrontMatterDoc:
    """Split ``---`` front matter from the Markdown body and parse it.

    The front matter opens with ``---`` on the first line and closes with the
    next line that is ``---`` (or ``...``).  Lines in diagnostics point into
    the file.  Empty front matter gives an empty :class:`Map`, so validation
    can name the missing fields; front matter that fails gives ``front=None``.
    """
    path, text = source.path, source.text
    opener = _OPENER.match(text)
    if opener is None:
        if required:
            stripped = text.lstrip()
            late = _OPENER.match(stripped)
            if late is not None and stripped != text:
                line = text.count("\n", 0, len(text) - len(stripped)) + 1
                sink.error("front-matter-missing", f"the `---` that opens the front matter must "
                           f"be on the first line, but it is on line {line}",
                           Location(path, 1, 1), "remove the blank lines above it")
            else:
                sink.error("front-matter-missing", "the file does not start with front matter "
                           "(a line `---`)", Location(path, 1, 1), _SHAPE_HINT)
        return FrontMatterDoc(path, None, text, 1)
    closer = _CLOSER.search(text, opener.end())
    if closer is None:
        sink.error("front-matter-unclosed", "the front matter opened by `---` on line 1 is "
                   "never closed", Location(path, 1, 1),
                   "add a line `---` after the last field, before the text")
        lines = text.count("\n") + (not text.endswith("\n"))
        return FrontMatterDoc(path, None, "", lines + 1)  # no body: it starts past the end
    yaml_text = text[opener.end():closer.start()]
    close_line = text.count("\n", 0, closer.start()) + 1
    body_start = closer.end() + 1 if closer.end() < len(text) else closer.end()
    body = text[body_start:]
    before = len(sink)
    front = parse_yaml(yaml_text, path=path, sink=sink, line_offset=1)
    if front is None:
        if len(sink) == before:  # empty front matter: no fields, not a failure
            front = Map({}, 2 if close_line > 2 else 1, 1)
    elif not isinstance(front, Map):
        sink.error("front-matter-not-mapping", "the front matter must be `key: value` fields, "
                   f"but it is {node_kind(front)}", Location(path, front.line, front.col),
                   "write one `key: value` per line between the two `---` lines")
        front = None
    return FrontMatterDoc(path, front, body, close_line + 1)


def read_yaml_document(source: SourceText, *, sink: DiagnosticSink, allow_tags: bool = False,
                       limits: YamlLimits = YamlLimits()) -> Node | None:
    """Parse a whole-file YAML document (a registry) whose root must be a mapping.

    Returns the root :class:`Map`, or ``None`` after reporting why not.
    ``allow_tags`` is for ``mkdocs.yml``, which may carry ``!!python/name:``
    tags; ``limits`` lets a large registry (districts) hold more values.
    """
    before = len(sink)
    root = parse_yaml(source.text, path=source.path, sink=sink, allow_tags=allow_tags,
                      limits=limits)
    if isinstance(root, Map):
        return root
    if root is None and len(sink) > before:
        return None  # already reported
    found = "empty" if root is None else node_kind(root)
    line, col = (root.line, root.col) if root is not None else (1, 1)
    sink.error("yaml-not-mapping", f"the file must hold `key: value` entries, but it is {found}",
               Location(source.path, line, col), "write one `key:` per entry, its fields "
               "indented below it")
    return None
