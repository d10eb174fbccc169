"""Block and record every request a page makes off the local test server.

The site's promise is that a reader's browser talks to nothing but the site
itself: fonts, scripts and photos are self-hosted.  A Playwright route on the
whole browser context sees every request the page makes (documents, styles,
fonts, images, fetch/XHR), so the check does not depend on guessing the hosts
a regression would use:

* a request to the local server goes through;
* a request to the site's canonical origin (``site_url``, e.g.
  https://karigar.netlify.app) is answered from the local copy and recorded
  in :attr:`RequestLog.own_site`.  In production that origin *is* the site,
  so such a request does not leave it; Material makes exactly these when it
  fetches ``sitemap.xml`` beside each absolute hreflang alternate.  Tests
  assert they are only those probes (:meth:`RequestLog.unexpected_own_site`):
  any other absolute self-reference would be a resource the local copy cannot
  serve and a deploy preview would load from production;
* anything else is aborted and recorded in :attr:`RequestLog.left_machine`.

A connection hint (``<link rel=preconnect|dns-prefetch>``) opens a socket
without a request the route could see, so :data:`OFF_SITE_HINTS` lists those
from the page itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Route

# The URLs of connection hints to another origin than the page's own.
OFF_SITE_HINTS = """() => [...document.querySelectorAll(
    'link[rel~="preconnect"], link[rel~="dns-prefetch"], link[rel~="prefetch"], link[rel~="preload"]')]
  .map(link => link.href).filter(href => href && new URL(href).origin !== location.origin)"""


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


@dataclass
class RequestLog:
    """What the guard saw since the last :meth:`clear`."""

    left_machine: list[str] = field(default_factory=list)  # aborted: would have left the machine
    own_site: list[str] = field(default_factory=list)  # the canonical origin, answered locally

    def clear(self) -> None:
        self.left_machine.clear()
        self.own_site.clear()

    def unexpected_own_site(self) -> list[str]:
        """Requests to the canonical origin other than Material's sitemap.xml probes."""
        return [url for url in self.own_site if not urlsplit(url).path.endswith("/sitemap.xml")]


def guard_requests(context: BrowserContext, local_bases: Sequence[str], site_origin: str,
                   log: RequestLog | None = None) -> RequestLog:
    """Route every request of ``context`` and record it in ``log`` (a new one by default), returned live.

    ``local_bases`` are the test servers' base URLs (``http://127.0.0.1:<port>``); a request
    to the canonical origin is answered by the one serving the page that made it.
    """
    log = RequestLog() if log is None else log
    local = {origin_of(base): base for base in local_bases}
    canonical = origin_of(site_origin)

    def handle(route: Route) -> None:
        url = route.request.url
        origin = origin_of(url)
        if origin in local:
            route.continue_()
        elif origin == canonical:
            log.own_site.append(url)
            base = local.get(origin_of(route.request.frame.url), local_bases[0])
            split = urlsplit(url)
            response = route.fetch(url=base + split.path + (f"?{split.query}" if split.query else ""))
            # The page's origin is the local server, so the local answer needs CORS to be readable,
            # as the same-origin answer is in production.
            route.fulfill(response=response, headers={**response.headers, "access-control-allow-origin": "*"})
        else:
            log.left_machine.append(url)
            route.abort("blockedbyclient")

    context.route("**/*", handle)
    return log
