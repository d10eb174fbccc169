"""markup stage of the Karigar pipeline: entry Markdown, page checks and URL policy.

Entry bodies (stories, product descriptions) are rendered here to safe HTML
by an allow-list renderer; ``content/`` pages are only checked here, since
MkDocs renders them later.  :mod:`karigar.markup.urls` holds the https-only
URL policy shared by the whole engine, and :mod:`karigar.markup.sanitize` the
allow-list sanitizer every fragment made from content passes.
"""

from __future__ import annotations

from karigar.markup.entry_markdown import RenderedMarkdown, check_page_markdown, render_entry_markdown
from karigar.markup.urls import SafeUrl, add_query_params, host_allowed, page_link_problem, parse_https_url

__all__ = [
    "RenderedMarkdown",
    "render_entry_markdown",
    "check_page_markdown",
    "SafeUrl",
    "parse_https_url",
    "host_allowed",
    "add_query_params",
    "page_link_problem",
]
