"""The dev server behind ``karigar serve``: pages rendered on demand, watchdog, live reload.

:class:`DevServer` checks the catalog and plans every output without
rendering it (:class:`SitePlanner`), serves each page by rendering it when
asked (:class:`OnDemandSite`, with a bounded :class:`PageCache` keyed by the
page's signature), re-plans on changes, and reloads open pages;
:func:`respond` is what it answers for one URL path.
"""

from __future__ import annotations

from karigar.serve.devserver import DEBOUNCE_SECONDS, DevServer
from karigar.serve.http import parse_address
from karigar.serve.ondemand import DEFAULT_CACHE_PAGES, OnDemandSite, PageCache, PageFailed
from karigar.serve.planner import Plan, SitePlanner
from karigar.serve.respond import ERROR_STATUS, Response, SiteSnapshot, content_type, respond
from karigar.serve.watch import RAISE_LIMIT_COMMAND, ObserverFactory, WatchPlan

__all__ = [
    "DevServer",
    "DEBOUNCE_SECONDS",
    "SitePlanner",
    "Plan",
    "OnDemandSite",
    "PageCache",
    "PageFailed",
    "DEFAULT_CACHE_PAGES",
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
