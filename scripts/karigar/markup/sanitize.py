"""The second wall against injection: every HTML fragment made from content passes an allow-list.

Content arrives in pull requests from strangers.  The first wall is the
entry renderer itself (:mod:`karigar.markup.entry_markdown`, an allow-list
walker over CommonMark events); :func:`sanitize_fragment` stands behind it.
It runs nh3 (Rust's ammonia on html5ever) with exactly the renderer's
allow-list, so if the renderer ever let something through, this is where it
stops.

It lives in the markup stage, below rendering, because the entry renderer
calls it on every body it makes; :mod:`karigar.render.security` re-exports it
beside the other walls the render stage applies.
"""

from __future__ import annotations

import re
from typing import Final

import nh3

__all__ = ["FRAGMENT_TAGS", "FRAGMENT_ATTRIBUTES", "LINK_REL", "sanitize_fragment"]

# Exactly what the entry renderer (karigar.markup.entry_markdown) may emit.  A
# tag outside this set loses its tags (its text stays, escaped); `script` and
# `style` lose their content too (nh3's default for clean_content_tags).
FRAGMENT_TAGS: Final = frozenset({
    "p", "br", "h2", "h3", "h4", "em", "strong", "code", "ul", "ol", "li", "blockquote", "a", "img",
})
# Per tag, the allowed attributes *in the order they are written back* (see
# _canonical): the renderer's own order, so a clean fragment comes out byte for
# byte as it went in.  `rel` is not listed: nh3 sets it on every link (LINK_REL).
FRAGMENT_ATTRIBUTES: Final[dict[str, tuple[str, ...]]] = {
    "a": ("href", "rel", "title"),
    "img": ("src", "alt", "title", "loading"),
    "ol": ("start",),
}
# Every link out of a story is to a marketplace or programme the site does not
# vouch for: no ranking credit, no window.opener.
LINK_REL: Final = "nofollow noopener"


def _relative_url(url: str) -> str | None:
    """nh3's rule for URLs without a scheme: only site paths (``/artisans/...``).

    ``//host/x`` is a URL on another host ("protocol-relative") and ``/\\host``
    is read as one by browsers; neither is a path of this site.
    """
    if url.startswith("/") and not url.startswith(("//", "/\\")):
        return url
    return None


_CLEANER: Final = nh3.Cleaner(
    tags=set(FRAGMENT_TAGS),
    clean_content_tags={"script", "style"},
    attributes={tag: {name for name in names if name != "rel"} for tag, names in FRAGMENT_ATTRIBUTES.items()},
    strip_comments=True,
    link_rel=LINK_REL,
    # Only https: no http (mixed content), no javascript:, data:, vbscript:,
    # mailto: (the renderer refuses email links).
    url_schemes={"https"},
    url_relative=_relative_url,
)

# nh3's serializer (html5ever) writes lower-case tag and attribute names,
# double-quoted values with `&`, `"`, `<`, `>` and U+00A0 escaped, and in text
# escapes `&`, `<`, `>` and U+00A0 only.  So in its output a `<` only ever
# starts a tag, and this expression reads every tag exactly (split keeps them).
_SERIALIZED_TAG_RE: Final = re.compile(r'(</?[a-z][a-z0-9]*(?: [^\s"\'<>/=]+="[^"]*")*>)')
_SERIALIZED_ATTR_RE: Final = re.compile(r' ([^\s"\'<>/=]+)="([^"]*)"')
_ATTRIBUTE_RANK: Final = {
    tag: {name: rank for rank, name in enumerate(names)} for tag, names in FRAGMENT_ATTRIBUTES.items()
}


def _reordered(tag: str) -> str | None:
    """A start tag of nh3's with its attributes in FRAGMENT_ATTRIBUTES order; None if it has others."""
    name = tag[1 : tag.index(" ")]
    rank = _ATTRIBUTE_RANK.get(name)
    if rank is None:
        return None
    attrs = _SERIALIZED_ATTR_RE.findall(tag)
    if any(attr not in rank for attr, _ in attrs):
        return None
    attrs.sort(key=lambda item: rank[item[0]])
    return "<" + name + "".join(f' {attr}="{value}"' for attr, value in attrs) + ">"


def _canonical(cleaned: str) -> str:
    """nh3's output written back the way the entry renderer writes HTML.

    The two differ only in form: nh3 keeps `"` and `'` raw in text and `'`
    in values and writes U+00A0 as `&nbsp;`, where the renderer uses
    :func:`html.escape` (which escapes both quotes and leaves U+00A0 alone);
    and nh3 appends ``rel`` to links, where the renderer writes attributes in
    :data:`FRAGMENT_ATTRIBUTES` order.  Only those are changed here: the
    structure is nh3's, and nothing is added to it.  If the output is ever
    not what this expects, nh3's own text is returned, which is as safe.
    """
    parts = _SERIALIZED_TAG_RE.split(cleaned.replace("'", "&#x27;").replace("&nbsp;", "\xa0"))
    for i in range(0, len(parts), 2):  # text between tags
        text = parts[i]
        if "<" in text:
            return cleaned
        if '"' in text:
            parts[i] = text.replace('"', "&quot;")
    for i in range(1, len(parts), 2):  # tags: only start tags with 2+ attributes can be out of order
        tag = parts[i]
        if tag.count('="') > 1:
            fixed = _reordered(tag)
            if fixed is None:
                return cleaned
            parts[i] = fixed
    return "".join(parts)


def sanitize_fragment(fragment: str) -> str:
    """``fragment`` through the allow-list sanitizer (nh3), in the renderer's own form.

    The allow-list is the entry renderer's: paragraphs, ``h2``-``h4``,
    emphasis, strong, code, lists, quotes, line breaks, links (``href`` must
    be https; ``rel`` is always :data:`LINK_REL`) and images (``src`` an https
    URL or a path of this site; ``alt``, ``title``, ``loading``).  Scripts and
    styles are removed with their content, any other tag keeps only its
    text, comments are dropped, and so is every other attribute: event
    handlers, ``style``, ``class``, ``id``.

    A fragment the renderer produced correctly comes back unchanged, byte
    for byte; anything it should not have produced is gone.
    """
    if not fragment:
        return fragment
    return _canonical(_CLEANER.clean(fragment))
