"""Page descriptions from an entry's plain text, and the part of that text a description reads.

A validated entry keeps its body as HTML (for its own page) and as the start
of its plain text, cut by :func:`lead`: a page's meta description
(:func:`summary`) never reads further, and the whole plain text of 300,000
products in three languages would be held in memory by every build for that
one use.  The full text stays recoverable from the HTML.
"""

from __future__ import annotations

__all__ = ["DESCRIPTION_LIMIT", "summary", "lead"]

# A page's meta description (and og:description): about what search results and link previews
# show of it, in every page's head twice.  Longer text is cut at a word and ends with an ellipsis.
DESCRIPTION_LIMIT = 160


def summary(text: str, limit: int = DESCRIPTION_LIMIT) -> str:
    """``text`` on one line, cut at the last word boundary within ``limit`` characters (with "…") if longer."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    if space > limit // 2:  # a text without spaces (or one long word) is cut where it reaches the limit
        cut = cut[:space]
    return cut.rstrip(" ,;:-\u060c") + "\u2026"


def lead(text: str, limit: int = DESCRIPTION_LIMIT) -> str:
    """The start of ``text`` that :func:`summary` reads: ``summary(lead(t)) == summary(t)`` for every ``t``.

    Whitespace is collapsed first; two characters past ``limit`` are kept, so a
    longer text is still seen as longer than the limit and cut the same way
    (one of them may be a space, which :func:`summary` drops at the end).
    """
    return " ".join(text.split())[:limit + 2]
