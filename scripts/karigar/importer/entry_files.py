"""Writing entry files: the one writer ``karigar new`` and ``karigar import`` share.

Every text value is written as a YAML double-quoted scalar, so nothing in it
(``no``, ``1:30``, a leading ``#``, Urdu or Hindi script) can change its type;
a file is created, never replaced.
"""

from __future__ import annotations

from pathlib import Path

from karigar.config import Settings

__all__ = ["yaml_quote", "write_new", "artisan_folders"]

_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r"}


def yaml_quote(text: str) -> str:
    """``text`` as a YAML double-quoted scalar: nothing in it can change its type or end it."""
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\x{ord(ch):02x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def write_new(path: Path, text: str) -> None:
    """Create ``path`` (and its folders) holding ``text``; FileExistsError when it exists."""
    # "x": never overwrite, even if the file appeared since the caller looked.
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


def artisan_folders(settings: Settings, slug: str = "*") -> list[Path]:
    """Artisan folders ``<catalog>/<country>/<district>/<slug>/``, sorted; ``*`` for all."""
    return sorted(
        path for path in settings.catalog_dir.glob(f"*/*/{slug}")
        if path.is_dir() and not any(part.startswith(("_", ".")) for part in path.parts[-3:])
    )
