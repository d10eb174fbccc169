"""The site's second wall against injection: an allow-list sanitizer, and JSON safe inside a script.

Content arrives in pull requests from strangers.  The first wall is the
renderers themselves (entry Markdown through an allow-list walker, Jinja with
autoescape); this module holds what stands behind them:

* :func:`sanitize_fragment`: every HTML fragment made from content passes an
  allow-list sanitizer (nh3, i.e. Rust's ammonia on html5ever).  If a renderer
  ever let something through, this is where it stops.  It is defined in
  :mod:`karigar.markup.sanitize`, below this stage, since the entry renderer
  calls it too; it is re-exported here with its allow-list.
* :func:`json_for_script`: JSON that is safe inside ``<script>`` (JSON-LD).

The third wall, the Content-Security-Policy the site ships with, is
:mod:`karigar.render.csp`.
"""

from __future__ import annotations

import json
from typing import Final

from karigar.markup.sanitize import FRAGMENT_ATTRIBUTES, FRAGMENT_TAGS, LINK_REL, sanitize_fragment

__all__ = ["FRAGMENT_TAGS", "FRAGMENT_ATTRIBUTES", "LINK_REL", "sanitize_fragment", "json_for_script"]

# --- JSON inside <script> ------------------------------------------------------

# `<` `>` `&` could close the script element or open a comment that changes
# where the HTML parser thinks it ends (`</script>`, `<!--`); U+2028 and U+2029
# are line terminators to older JavaScript parsers.  Inside JSON they can only
# occur within strings, where `\uXXXX` means the same character.
_SCRIPT_JSON_ESCAPES: Final = str.maketrans({
    "<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029",
})


def json_for_script(value: object) -> str:
    """``value`` as JSON that can sit inside ``<script type="application/ld+json">`` as is.

    A title holding ``</script><script>alert(1)</script>`` stays one JSON
    string: every ``<``, ``>``, ``&``, U+2028 and U+2029 is written as a
    ``\\u`` escape, which JSON parsers read back as the same character.
    The result must not be HTML-escaped again (in Jinja: ``|safe`` or
    ``Markup``); keys are sorted so the bytes are stable between builds.
    """
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return text.translate(_SCRIPT_JSON_ESCAPES)
