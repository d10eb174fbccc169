"""What a page says about itself in its ``<head>``: canonical and language links, sharing tags, JSON-LD.

Catalog pages get all of it from :func:`page_head` (their frame leaves a slot
for it); MkDocs' pages get the sharing tags and structured data from
:func:`sharing_tags` and :func:`json_ld` through the build session (Material
writes their canonical link and description itself).

Sharing tags are Open Graph's, which WhatsApp, Facebook, LinkedIn and Telegram
read, and a Twitter card (X reads Open Graph for the rest).  A page without a
photo of its own shows the site's picture, :data:`SITE_IMAGE`, a 1,200 x 630
PNG in the theme's assets (what Facebook and WhatsApp show in full width).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from babel.core import get_global

from karigar.render import views as v
from karigar.render.security import json_for_script

__all__ = ["SITE_IMAGE", "SiteSharing", "page_head", "sharing_tags", "json_ld", "og_locale"]

# The theme's picture for pages without a photo: path in the built site, width, height.
SITE_IMAGE = ("assets/karigar/share.png", 1200, 630)


@dataclass(frozen=True, slots=True)
class SiteSharing:
    """What every page's sharing tags say of the site: its name and its picture."""

    site_name: str
    image: v.ShareImage | None


@functools.lru_cache(maxsize=64)
def og_locale(code: str) -> str:
    """Open Graph's ``language_TERRITORY`` for a language code, from CLDR's likely subtags (ur -> ur_PK)."""
    language = code.replace("-", "_").split("_")[0]
    likely = str(get_global("likely_subtags").get(language, "")).split("_")
    territory = next((part for part in likely[1:] if len(part) == 2 and part.isupper()), "")
    return f"{language}_{territory}" if territory else language


def _meta(prop: str, content: str, *, name: bool = False) -> str:
    return f'<meta {"name" if name else "property"}="{prop}" content="{escape(content)}">'


@functools.lru_cache(maxsize=256)
def _site_tags(site_name: str, lang: str, alternate_langs: tuple[str, ...]) -> tuple[str, ...]:
    """The tags every page of a language with these translations repeats: made once, not per page."""
    tags = [_meta("og:site_name", site_name)] if site_name else []
    tags.append(_meta("og:locale", og_locale(lang)))
    tags.extend(_meta("og:locale:alternate", og_locale(other)) for other in alternate_langs if other != lang)
    return tuple(tags)


def _picture_tags(picture: v.ShareImage) -> tuple[str, ...]:
    """A picture's tags."""
    tags = [_meta("og:image", picture.url)]
    if picture.width and picture.height:
        tags.append(_meta("og:image:width", str(picture.width)))
        tags.append(_meta("og:image:height", str(picture.height)))
    if picture.alt:
        tags.append(_meta("og:image:alt", picture.alt))
    return tuple(tags)


# The site's picture, which most pages show, is tagged once (a page's own photo is not remembered: each
# would only push the site's picture out).
_site_picture_tags = functools.lru_cache(maxsize=16)(_picture_tags)


def sharing_tags(*, title: str, description: str, url: str, lang: str, site: SiteSharing, kind: str = "website",
                 image: v.ShareImage | None = None, alternate_langs: Iterable[str] = (),
                 extra: Sequence[tuple[str, str]] = ()) -> list[str]:
    """Open Graph and Twitter card tags; the page's own ``image``, else the site's."""
    tags = [_meta("og:title", title), _meta("og:url", url), _meta("og:type", kind)]
    if description:
        tags.append(_meta("og:description", description))
    tags.extend(_site_tags(site.site_name, lang, tuple(alternate_langs)))
    picture = image or site.image
    if picture is not None:
        tags.extend(_site_picture_tags(picture) if picture is site.image else _picture_tags(picture))
    tags.extend(_meta(prop, content) for prop, content in extra)
    # Every picture here is wide (a photo, or the site's 1,200 x 630 one): shown large, not cropped to a square.
    tags.append(_meta("twitter:card", "summary_large_image" if picture is not None else "summary", name=True))
    return tags


def json_ld(objects: Sequence[Mapping[str, Any]]) -> str:
    """One ``<script type="application/ld+json">`` per object; content cannot end the script (json_for_script)."""
    return "".join(f'<script type="application/ld+json">{json_for_script(obj)}</script>\n' for obj in objects)


def page_head(meta: v.PageMeta, *, site: SiteSharing, structured: Sequence[Mapping[str, Any]] = ()) -> str:
    """A catalog page's head: canonical link, description, sharing tags, language alternates, JSON-LD."""
    parts = [f'<link rel="canonical" href="{escape(meta.canonical)}">']
    if meta.description:
        parts.append(f'<meta name="description" content="{escape(meta.description)}">')
    parts.extend(sharing_tags(
        title=meta.title, description=meta.share_text or meta.description, url=meta.canonical, lang=meta.lang,
        site=site, kind=meta.share_kind, image=meta.image,
        alternate_langs=[alt.lang for alt in meta.alternates if alt.available], extra=meta.share_tags,
    ))
    parts.extend(f'<link rel="alternate" type="{feed.media_type}" title="{escape(feed.title)}" href="{escape(feed.url)}">'
                 for feed in meta.feeds)
    if meta.noindex:
        parts.append('<meta name="robots" content="noindex">')
    elif meta.alternates:
        # hreflang only names real translations; x-default is the default language's page.
        for alt in meta.alternates:
            if alt.available:
                parts.append(f'<link rel="alternate" hreflang="{escape(alt.lang)}" href="{escape(alt.canonical)}">')
        parts.append(f'<link rel="alternate" hreflang="x-default" href="{escape(meta.alternates[0].canonical)}">')
    return "\n".join(parts) + "\n" + json_ld(structured)
