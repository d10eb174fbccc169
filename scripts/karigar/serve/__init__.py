"""The dev server behind ``karigar serve``: in-memory builds, watchdog, live reload.

:class:`DevServer` builds the site with :func:`karigar.pipeline.build_site`
into a :class:`~karigar.write.funnel.MemoryWriter`, serves it over HTTP,
rebuilds on changes, and reloads open pages; :func:`respond` is what it
answers for one URL path.
"""

from __future__ import annotations

from karigar.serve.devserver import DEBOUNCE_SECONDS, DevServer
from karigar.serve.http import parse_address
from karigar.serve.respond import ERROR_STATUS, Response, SiteSnapshot, content_type, respond
from karigar.serve.watch import RAISE_LIMIT_COMMAND, ObserverFactory, WatchPlan

__all__ = [
    "DevServer",
    "DEBOUNCE_SECONDS",
    "Response",
    "SiteSnapshot",
    "respond",
    "content_type",
    "parse_address",
    "ERROR_STATUS",
    "ObserverFactory",
    "WatchPlan",
    "RAISE_LIMIT_COMMAND",
]
