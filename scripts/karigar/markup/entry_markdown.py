"""Markdown of catalog entries (stories, descriptions) and the safety check of pages.

Entries arrive in pull requests from strangers, so the HTML is produced here,
by walking pyromark's CommonMark events (no extensions) through an allow-list:
a construct that is not listed cannot reach the page, every text and
attribute is escaped, and every URL is rebuilt by :meth:`SafeUrl.unparse`.
``pyromark.html`` is never used: it passes raw HTML through, as CommonMark
requires.

Catalog builds render hundreds of thousands of bodies, so the first pass
walks the plain event stream; only a body with a problem is walked again with
source ranges to locate it (ranges cost about a third more).

``content/`` pages are rendered later by Python-Markdown, whose parser differs
from CommonMark in places; :func:`check_page_markdown` therefore combines the
CommonMark events with conservative scans of the source text.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import repeat
from typing import Any, TypeAlias

import pyromark

from karigar.diagnostics import Diagnostic, Location, Severity
from karigar.markup.sanitize import sanitize_fragment
from karigar.markup.urls import host_allowed, page_link_problem, parse_https_url

__all__ = ["RenderedMarkdown", "render_entry_markdown", "check_page_markdown"]

# CommonMark without extensions.  pyromark documents instances as immutable
# and safe to share, so this is a constant, not shared state.
_PARSER = pyromark.Markdown()

_ALLOWED = (
    "stories may use paragraphs, `##` to `####` headings, *emphasis*, **strong**, lists, "
    "`>` quotes, `inline code`, links and images"
)
_LINK_HINT = "shop and contact links belong in `links`, not in the story"
_IMAGE_MESSAGE = "images may only show the artisan's own photos, e.g. `photos/loom.jpg`"
_HTML_HINT = "remove the HTML and use Markdown instead (`*emphasis*`, `**strong**`, `[text](https://...)`)"

_OPEN = {"Paragraph": "<p>", "Item": "<li>", "Emphasis": "<em>", "Strong": "<strong>"}
_CLOSE = {"Paragraph": "</p>\n", "Item": "</li>\n", "Emphasis": "</em>", "Strong": "</strong>"}
_HEADINGS = {"H2": ("<h2>", "</h2>\n"), "H3": ("<h3>", "</h3>\n"), "H4": ("<h4>", "</h4>\n")}
# Ends of blocks whose text must not run into the next block's in `text`.
_TEXT_BREAKS = frozenset({"Paragraph", "Item"})

Range: TypeAlias = "dict[str, int] | None"
# (code, message, hint, source range or None on the fast pass)
Problem: TypeAlias = "tuple[str, str, str, Range]"


@dataclass(frozen=True, slots=True)
class RenderedMarkdown:
    """An entry body rendered to a safe HTML fragment, with what was found in it.

    ``images`` holds the ``src`` of every image that ``resolve_image``
    accepted, as written in the Markdown (e.g. ``photos/loom.jpg``).
    """

    html: str
    text: str
    images: tuple[str, ...]
    diagnostics: tuple[Diagnostic, ...]


class _LineIndex:
    """Maps UTF-8 byte offsets of a body to 1-based file line and character column."""

    __slots__ = ("_data", "_starts", "_first_line", "_last")

    def __init__(self, data: bytes, first_line: int) -> None:
        self._data = data
        self._first_line = first_line
        starts = [0]
        pos = data.find(b"\n")
        while pos != -1:
            starts.append(pos + 1)
            pos = data.find(b"\n", pos + 1)
        self._starts = starts
        self._last = (0, 0, 1)  # (row, offset, col) of the previous answer

    def locate(self, offset: int) -> tuple[int, int]:
        row = bisect_right(self._starts, offset) - 1
        last_row, last_offset, last_col = self._last
        # Columns count characters, not bytes, so Urdu or Devanagari text
        # before the problem does not push the column to the right.  Count
        # on from the previous answer when it is earlier on the same line, so
        # thousands of problems on one long line stay linear.
        if row == last_row and last_offset <= offset:
            start, col = last_offset, last_col
        else:
            start, col = self._starts[row], 1
        col += len(self._data[start:offset].decode("utf-8", "replace"))
        self._last = (row, offset, col)
        return self._first_line + row, col


class _Spans:
    """A union of byte ranges, asked whether it holds an offset (bisect, not a scan)."""

    __slots__ = ("_starts", "_ends")

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        merged: list[list[int]] = []
        for start, end in sorted(spans):
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        self._starts = [start for start, _ in merged]
        self._ends = [end for _, end in merged]

    def __contains__(self, offset: int) -> bool:
        i = bisect_right(self._starts, offset) - 1
        return i >= 0 and offset < self._ends[i]


def _events(source: str, *, ranges: bool) -> tuple[str, Iterable[tuple[Any, Any]]]:
    """pyromark's events for ``source`` (with ranges or not), and the text they describe."""
    try:
        if ranges:
            return source, _PARSER.events_with_range(source, merge_text=True)
        return source, zip(_PARSER.events(source), repeat(None))
    except UnicodeEncodeError:
        # Lone surrogates cannot reach the parser (it takes UTF-8); replace
        # them, as a UTF-8 file could not have held them anyway.
        source = source.encode("utf-8", "replace").decode("utf-8")
        return _events(source, ranges=ranges)


def _shown(value: str, limit: int = 80) -> str:
    """``value`` made safe to print in a message: no control characters, truncated."""
    value = "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in value[: limit + 1])
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _html_what(raw: str) -> str:
    """How a piece of raw HTML is named in a message: its first line, shortened."""
    first = raw.strip().split("\n", 1)[0]
    what = "an HTML comment" if first.startswith("<!--") else "raw HTML"
    return f"{what} `{_shown(first, 40)}`"


def _link_problem(data: dict[str, Any], allowed_hosts: frozenset[str], rng: Range) -> tuple[str, Problem | None]:
    """The ``href`` for a link, or ``""`` and the problem that drops it."""
    dest: str = data["dest_url"]
    if data["link_type"] == "Email":
        reason = "it is an email address"
    else:
        url, reason = parse_https_url(dest)
        if url is not None:
            if host_allowed(url.host, allowed_hosts):
                return url.unparse(), None
            reason = f"its host `{_shown(url.host)}` is not a marketplace or programme host"
    message = f"link to `{_shown(dest)}` is not allowed: {reason}"
    return "", ("md-link", message, _LINK_HINT, rng)


def _image_src(src: str, resolve_image: Callable[[str], str | None]) -> str | None:
    """The public URL of an image, or None when it is not one of the artisan's photos."""
    public = resolve_image(src)
    if public is None:
        return None
    # Defence in depth: whatever the resolver returns must not carry a
    # scheme other than https (`javascript:`, `data:`).
    head = re.split(r"[/?#]", public, maxsplit=1)[0]
    if ":" in head and not public[:6].lower() == "https:":
        return None
    return public


def _forbidden(tag: str, data: Any, rng: Range) -> Problem:
    """The problem of a construct outside the allow-list (dropped with its content)."""
    if tag == "Heading":
        level = int(data["level"][1])
        hint = ("use `##` to `####`; the page title is already the level-1 heading" if level == 1
                else "use `##` to `####`; deeper levels are not allowed")
        return ("md-heading-level", f"a level-{level} heading (`{'#' * level}`) is not allowed; {_ALLOWED}",
                hint, rng)
    if tag == "CodeBlock" and data == "Indented":
        return ("md-code-block", f"an indented code block (a line indented by 4 spaces) is not allowed; "
                f"{_ALLOWED}", "remove the indentation", rng)
    if tag == "CodeBlock":
        return ("md-code-block", f"a fenced code block (```) is not allowed; {_ALLOWED}",
                "remove the fence lines; use `inline code` for short codes", rng)
    if tag == "Rule":
        return ("md-construct", f"a thematic break (`---`) is not allowed; {_ALLOWED}",
                "remove the line, or start a new section with a `##` heading", rng)
    return ("md-construct", f"`{tag}` is not allowed; {_ALLOWED}", "", rng)


def _walk(
    pairs: Iterable[tuple[Any, Range]],
    allowed_hosts: frozenset[str],
    resolve_image: Callable[[str], str | None],
) -> tuple[str, str, tuple[str, ...], list[Problem]]:
    """Render the events; return html, plain text, image srcs and problems."""
    out: list[str] = []
    text: list[str] = []
    images: list[str] = []
    problems: list[Problem] = []
    emit = out.append
    add_text = text.append
    escape = html.escape
    link_closers: list[str] = []  # what each open link writes at its end
    suppress = 0  # > 0 inside a dropped block: keep checking, stop writing
    alt: list[str] | None = None  # alt text of the image being read
    image: tuple[str | None, str, str, Range] | None = None  # public src, src, title, range
    nested_images = 0
    html_block_open = False

    for event, rng in pairs:
        if event.__class__ is str:
            if event == "Rule":
                problems.append(_forbidden(event, None, rng))
            elif alt is not None:
                alt.append(" ")
            elif not suppress:
                emit("\n" if event == "SoftBreak" else "<br>\n")
                add_text(" ")
            continue
        (kind,) = event  # single-key dicts; faster than unpacking items()
        value = event[kind]
        if kind == "Text":
            if alt is not None:
                alt.append(value)
            elif not suppress:
                emit(escape(value))
                add_text(value)
        elif kind == "Start":
            if value.__class__ is str:
                opener = _OPEN.get(value)
                if opener is not None:
                    if alt is None and not suppress:
                        emit(opener)
                elif value == "HtmlBlock":
                    html_block_open = True  # reported at its first line of HTML
                else:
                    problems.append(_forbidden(value, None, rng))
                    suppress += 1
                continue
            (tag,) = value
            data = value[tag]
            if tag == "Link":
                href, problem = _link_problem(data, allowed_hosts, rng)
                if problem is not None:
                    problems.append(problem)
                if href and alt is None and not suppress:
                    title = data["title"]
                    title_attr = f' title="{escape(title)}"' if title else ""
                    emit(f'<a href="{escape(href)}" rel="nofollow noopener"{title_attr}>')
                    link_closers.append("</a>")
                else:
                    link_closers.append("")
            elif tag == "Image":
                src = data["dest_url"]
                public = _image_src(src, resolve_image)
                if public is None:
                    problems.append(("md-image", f"image `{_shown(src)}` is not allowed: {_IMAGE_MESSAGE}",
                                     "put the photo in the artisan's `photos/` folder and write its path", rng))
                if alt is not None:
                    nested_images += 1  # only the outer image is shown
                else:
                    alt = []
                    image = (public, src, data["title"], rng)
            elif tag == "Heading":
                pair = _HEADINGS.get(data["level"])
                if pair is None:
                    problems.append(_forbidden(tag, data, rng))
                    suppress += 1
                elif not suppress:
                    emit(pair[0])
            elif tag == "List":
                if not suppress:
                    emit("<ul>\n" if data is None else "<ol>\n" if data == 1 else f'<ol start="{int(data)}">\n')
            elif tag == "BlockQuote":
                if not suppress:
                    emit("<blockquote>\n")
            else:  # code blocks and anything else: reported, dropped with their content
                problems.append(_forbidden(tag, data, rng))
                suppress += 1
        elif kind == "End":
            if value.__class__ is str:
                closer = _CLOSE.get(value)
                if closer is not None:
                    if alt is None and not suppress:
                        emit(closer)
                        if value in _TEXT_BREAKS:
                            add_text(" ")
                elif value == "Link":
                    closer = link_closers.pop()
                    if closer:
                        emit(closer)
                elif value == "Image":
                    if nested_images:
                        nested_images -= 1
                        continue
                    assert image is not None and alt is not None
                    public, src, title, start_rng = image
                    alt_text = " ".join("".join(alt).split())
                    alt = image = None
                    if not alt_text:
                        problems.append(("md-image-alt", f"image `{_shown(src)}` has no alt text; "
                                         "alt text is needed for screen readers",
                                         "describe the photo between the brackets: `![Shazia at her loom](...)`",
                                         start_rng))
                    elif public is not None and not suppress:
                        images.append(src)
                        title_attr = f' title="{escape(title)}"' if title else ""
                        emit(f'<img src="{escape(public)}" alt="{escape(alt_text)}"{title_attr} loading="lazy">')
                elif value == "HtmlBlock":
                    html_block_open = False
                else:  # CodeBlock or a construct dropped at its start
                    suppress -= 1
                continue
            (tag,) = value
            data = value[tag]
            if tag == "Heading":
                pair = _HEADINGS.get(data)
                if pair is None:
                    suppress -= 1
                elif not suppress:
                    emit(pair[1])
                    add_text(" ")
            elif tag == "List":
                if not suppress:
                    emit("</ol>\n" if data else "</ul>\n")
            elif tag == "BlockQuote":
                if not suppress:
                    emit("</blockquote>\n")
            else:
                suppress -= 1
        elif kind == "Code":
            if alt is not None:
                alt.append(value)
            elif not suppress:
                emit(f"<code>{escape(value)}</code>")
                add_text(value)
        elif kind == "InlineHtml":
            problems.append(("md-raw-html", f"{_html_what(value)} is not allowed; {_ALLOWED}", _HTML_HINT, rng))
        elif kind == "Html":
            if html_block_open:
                problems.append(("md-raw-html", f"{_html_what(value)} is not allowed; {_ALLOWED}", _HTML_HINT, rng))
                html_block_open = False
        else:
            problems.append(_forbidden(kind, None, rng))

    return "".join(out), " ".join("".join(text).split()), tuple(images), problems


def render_entry_markdown(
    source: str,
    *,
    path: str,
    first_line: int,
    allowed_link_hosts: frozenset[str],
    resolve_image: Callable[[str], str | None],
) -> RenderedMarkdown:
    """Render an entry body (the Markdown after the front matter) to safe HTML.

    ``first_line`` is the 1-based file line where ``source`` starts.  Links
    must be https URLs on ``allowed_link_hosts`` (see :func:`host_allowed`);
    ``resolve_image(src)`` returns the public URL of one of the artisan's
    photos or ``None``.  Every construct outside the allow-list is a located
    error and is left out of ``html``; this function never raises on content.
    ``html`` has also passed :func:`~karigar.markup.sanitize.sanitize_fragment`.
    """
    source, pairs = _events(source, ranges=False)
    html_out, text, images, problems = _walk(pairs, allowed_link_hosts, resolve_image)
    # The second wall: whatever the walk emitted passes nh3's allow-list too.
    # A correct fragment comes back byte for byte.  Measured (CPU time) on the
    # sample's bodies, ~450 characters of HTML each: about 18 us per body
    # (nh3 10, re-serializing in the renderer's escaping 8), against about
    # 60 us for the Markdown itself.
    html_out = sanitize_fragment(html_out)
    if not problems:
        return RenderedMarkdown(html_out, text, images, ())
    # Rare path: walk again with ranges to say where each problem is.
    _, _, _, problems = _walk(_events(source, ranges=True)[1], allowed_link_hosts, resolve_image)
    index = _LineIndex(source.encode("utf-8"), first_line)
    diagnostics = []
    for code, message, hint, rng in problems:
        line, col = index.locate(rng["start"] if rng else 0)
        diagnostics.append(Diagnostic(Severity.ERROR, code, message, Location(path, line, col), hint))
    return RenderedMarkdown(html_out, text, images, tuple(diagnostics))


# --- content/ pages: checked here, rendered later by Python-Markdown ---------

# `<` opening something a browser or Python-Markdown may read as a tag.
_TAG_START_RE = re.compile(rb"<[A-Za-z/!?]")
_TAG_SHOWN_RE = re.compile(rb"<[^>\n]{0,40}>?")
# CommonMark autolinks (`<https://...>`, `<name@host>`): checked as links.
_AUTOLINK_RE = re.compile(
    rb"<(?:[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\x00-\x20<>]{0,4000}|[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,200}@[A-Za-z0-9.-]{1,300})>"
)
# Destinations as Python-Markdown may read them: inline links and definitions.
# Bounded, so a hostile line of `](<` cannot make the scan quadratic.
_INLINE_DEST_RE = re.compile(rb"\]\([ \t]*\n?[ \t]*(<[^>\n]{0,4000}>|[^\s)]{1,4000})")
_DEFINITION_RE = re.compile(rb"^[ \t>]{0,40}\[[^\]\n]{1,1000}\]:[ \t]*\n?[ \t]*(<[^>\n]{0,4000}>|\S{1,4000})", re.M)
# The start of Python-Markdown's attr_list BASE_RE, `{:? *` then a non-space.
_ATTR_HEAD_RE = re.compile(rb"\{:?[ ]*[^}\n ]")
_ATTR_SYNTAX_RE = re.compile(rb"\{:|\{[ ]*[#.][A-Za-z_]")
_AFTER_INLINE = frozenset(b"*_`)]>")
_PAGE_LINK_HINT = "links may be `https://` addresses or paths within the site"


def _attr_list_offsets(data: bytes, code: _Spans) -> Iterable[tuple[int, bytes]]:
    """Where Python-Markdown could read ``{...}`` as an attribute list, one per line.

    Its regex runs from a ``{`` to the last ``}`` of the line and applies at
    the end of a heading or block, or right after an inline element; braces
    elsewhere are reported only when they look like attributes.
    """
    line_start = 0
    for line in data.split(b"\n"):
        close = line.rfind(b"}")
        at_line_end = close != -1 and not line[close + 1 :].strip(b" \t|")
        equals = line.rfind(b"=", 0, max(close, 0))
        pos = line.find(b"{", 0, max(close, 0))
        while pos != -1:
            if (
                (pos == 0 or line[pos - 1] != 0x5C)  # `\{` is an escaped brace
                and _ATTR_HEAD_RE.match(line, pos)
                and line_start + pos not in code
                and (at_line_end or (pos and line[pos - 1] in _AFTER_INLINE) or pos < equals
                     or _ATTR_SYNTAX_RE.match(line, pos))
            ):
                yield line_start + pos, line[pos : close + 1]
                break
            pos = line.find(b"{", pos + 1, close)
        line_start += len(line) + 1


def check_page_markdown(source: str, *, path: str, first_line: int) -> list[Diagnostic]:
    """Report raw HTML, unsafe link schemes and attribute lists in a ``content/`` page.

    Python-Markdown parses some text differently from CommonMark (list
    indentation, unclosed fences), so besides the CommonMark events the
    source is scanned for tags, link destinations and ``{...}`` attribute
    lists; only code both parsers agree on (top-level fenced or indented
    blocks, one-line code spans) is exempt.  Returns the diagnostics in
    source order.
    """
    source, pairs = _events(source, ranges=True)
    data = source.encode("utf-8")
    found: list[tuple[int, str, str, str]] = []  # (byte offset, code, message, hint)
    code_spans: list[tuple[int, int]] = []  # exempt from the scans
    checked_spans: list[tuple[int, int]] = []  # HTML and links already reported or judged
    depth = 0  # list and quote nesting
    html_block_open = False

    for event, rng in pairs:
        if event.__class__ is str:
            continue
        (kind,) = event
        value = event[kind]
        start, end = rng["start"], rng["end"]  # type: ignore[index]
        if kind == "Start" and value.__class__ is dict:
            (tag,) = value
            info = value[tag]
            if tag in ("Link", "Image"):
                dest = info["dest_url"]
                reason = "it is an email address" if info["link_type"] == "Email" else page_link_problem(dest)
                if reason:
                    found.append((start, "md-link", f"link to `{_shown(dest)}` is not allowed: {reason}",
                                  _PAGE_LINK_HINT))
                if reason or info["link_type"] == "Autolink":
                    checked_spans.append((start, end))
            elif tag == "CodeBlock" and depth == 0 and _agreed_code_block(data, start, end, info):
                code_spans.append((start, end))
            elif tag in ("List", "BlockQuote"):
                depth += 1
        elif kind == "Start" and value == "HtmlBlock":
            html_block_open = True
        elif kind == "End" and value.__class__ is dict and next(iter(value)) in ("List", "BlockQuote"):
            depth -= 1
        elif kind == "Code" and b"\n" not in data[start:end]:
            code_spans.append((start, end))
        elif kind == "InlineHtml" or (kind == "Html" and html_block_open):
            found.append((start, "md-raw-html", f"{_html_what(value)} is not allowed in pages", _HTML_HINT))
            html_block_open = False
            checked_spans.append((start, end))
        elif kind == "Html":
            checked_spans.append((start, end))

    code, checked = _Spans(code_spans), _Spans(checked_spans)
    pointy: set[int] = set()  # `](<dest>)`: a destination, not a tag
    for regex in (_INLINE_DEST_RE, _DEFINITION_RE):
        for match in regex.finditer(data):
            pos = match.start(1)
            if match.group(1).startswith(b"<"):
                pointy.add(pos)
            if pos in code or pos in checked:
                continue
            # Python-Markdown keeps character references in URLs and the
            # browser decodes them, so judge the decoded form.
            dest = html.unescape(match.group(1).decode("utf-8", "replace").strip("<>"))
            reason = page_link_problem(dest)
            if reason:
                found.append((pos, "md-link", f"link to `{_shown(dest)}` is not allowed: {reason}",
                              _PAGE_LINK_HINT))
    for match in _TAG_START_RE.finditer(data):
        pos = match.start()
        if pos in pointy or pos in code or pos in checked or _AUTOLINK_RE.match(data, pos):
            continue
        shown = _TAG_SHOWN_RE.match(data, pos).group().decode("utf-8", "replace")  # type: ignore[union-attr]
        found.append((pos, "md-raw-html", f"`{_shown(shown, 30)}` would be read as raw HTML, which is not "
                      "allowed in pages", "write `&lt;` for a literal `<`"))
    for pos, braces in _attr_list_offsets(data, code):
        shown = braces.decode("utf-8", "replace")
        found.append((pos, "md-attr-list", f"attribute list `{_shown(shown, 40)}` is not allowed: attribute "
                      "lists are turned off because they can set any HTML attribute",
                      "remove it, or write `\\{` for a literal brace"))

    index = _LineIndex(data, first_line)
    diagnostics = []
    for offset, code_name, message, hint in sorted(found, key=lambda item: (item[0], item[1])):
        line, col = index.locate(offset)
        diagnostics.append(Diagnostic(Severity.ERROR, code_name, message, Location(path, line, col), hint))
    return diagnostics


def _agreed_code_block(data: bytes, start: int, end: int, kind: Any) -> bool:
    """Whether Python-Markdown also reads this top-level code block as code."""
    if kind == "Indented":
        return True
    lines = data[start:end].rstrip(b"\n").split(b"\n")
    opening = lines[0]
    fence = opening[: len(opening) - len(opening.lstrip(opening[:1]))]
    # Python-Markdown's fences start in column 1 and close with the same run;
    # an unclosed fence is plain text (raw HTML included) to it.
    return (
        len(lines) > 1
        and len(fence) >= 3
        and (start == 0 or data[start - 1 : start] == b"\n")
        and lines[-1].strip() == fence
    )
