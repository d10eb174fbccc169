"""Published photos: no camera metadata ever reaches the site, and every photo is responsive.

The source files in the repository are public too, once pushed: ``karigar
check`` reports one carrying GPS, maker notes, XMP or IPTC as an error, a
build as a warning, and ``karigar photos clean`` removes them without
re-encoding (:mod:`karigar.photos.metadata`, :mod:`karigar.photos.strip`).

Many artisans work from home: a photo's GPS tags would publish where they
live.  Every photo the site shows -- the front-matter photos and the
Markdown images of stories and descriptions -- is decoded and encoded again
from its pixels only, so EXIF (GPS included), XMP, IPTC, ICC profiles and
comments never reach the output, the file at the photo's own URL included.
Orientation is applied to the pixels and colours converted to sRGB first,
so nothing turns sideways or dull.

Modules
-------
``process``  bytes in, clean variants out (pure; deterministic bytes)
``cache``    the content-addressed cache of processed photos, crash-safe
``sources``  which entries show a photo; reading a source safely
``limits``   ``check_photos``: size, pixel count and format as located errors, and the
             metadata a source file carries (``photo-metadata``) (catalog stage)
``metadata`` what a source file carries (GPS, maker notes, XMP, IPTC), from its headers
``strip``    cutting that metadata out of a source file losslessly (``karigar photos clean``)
``publish``  ``PhotoPublisher``: plan (before pages) and write (copy stage); output layout

Cost, and how it fits the 15-minute Netlify build at 300,000 products
-------------------------------------------------------------------
Measured on the development machine (2 shared cores, CPU time per photo):

* 1600x1200 JPEG, smooth: all variants ~230 ms (66 KB out); original only ~55 ms (30 KB);
* 1600x1200 JPEG, grainy (phone in low light): ~290 ms (300 KB); ~90 ms (120 KB);
* 4000x3000 JPEG (12 MP phone, decoded at half scale): ~320 ms (135 KB); ~120 ms (60 KB).

"All variants" is the sanitized original plus WebP at 320/640/1024 and JPEG
at 320/640; WebP encoding is most of it.  At about 1.5 photos per product
plus portraits, 300,000 products are ~450,000 photos:

* cold, all variants: 450,000 x ~0.25 s = ~31 CPU-hours, ~2.7 M files;
* cold, original only: 450,000 x ~0.07 s = ~9 CPU-hours, 450,000 files.

Neither fits 15 minutes, so **no build processes the whole catalog**: the
cache (``<cache_dir>/photos``, keyed by content hash) makes each photo once,
ever, and Netlify keeps ``cache_dir`` between builds, so a build only
processes the photos added or changed since the last one.

Warm, with nothing new (measured on a 12,600-photo demo catalog, scaled):
checking limits ~15 us per photo (the index; no photo is opened), planning
~40-95 us per photo, and ~40 us per output file to confirm it is unchanged.
For 450,000 photos that is ~7 s + ~20-40 s + ~20 s original only (450,000
outputs), or ~7 s + ~40 s + ~2 min with all variants (2.7 M outputs).
Without a cache, the limits check probes each header: ~260 us per photo,
~2 min at 450,000 (``karigar check`` in CI).  New photos cost the figures
above, spread over the build's processes: 1,000 new photos are ~4 min of
CPU with all variants, ~1.5 min original only.

Decision: production builds on Netlify use ``image_cdn: auto`` (netlify
when ``NETLIFY=true``): the build publishes only the sanitized original and
the srcset candidates are Netlify Image CDN URLs
(``/.netlify/images?url=<original>&w=320&fm=webp``) that resize it at the
edge.  That is 3-4x less CPU per new photo, 6x fewer files to deploy and a
smaller cache to restore.  Local builds and ``karigar serve`` make every
variant themselves (the CDN endpoint exists only on Netlify).  A cold cache
(first deploy of a large catalog, or "clear cache and deploy") cannot be
rebuilt within one build at this scale: import large catalogs in batches of
a few thousand photos per deploy, and never clear the build cache.
"""
