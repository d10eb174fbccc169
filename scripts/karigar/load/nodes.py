"""YAML values that remember where they were written.

The loader turns every YAML document into these three node types.  Each node
keeps its 1-based ``line`` and ``col`` in the *file* (front matter offsets
already applied), so validation can point at the offending key or value.

Scalars keep their source ``text`` as well as the YAML 1.2 core-schema
``value``: ids, handles, slugs and dates are validated from ``text`` (the
contract says so), numbers and booleans from ``value``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeAlias

__all__ = ["Scalar", "Seq", "Map", "Node", "node_kind"]

ScalarValue: TypeAlias = str | int | float | bool | None


@dataclass(frozen=True, slots=True)
class Scalar:
    value: ScalarValue
    text: str
    quoted: bool
    line: int
    col: int


@dataclass(frozen=True, slots=True)
class Seq:
    items: tuple["Node", ...]
    line: int
    col: int


@dataclass(frozen=True, slots=True)
class Map:
    """A mapping with string keys, in source order.

    ``entries`` maps the key's text to ``(key_scalar, value_node)``; the key
    scalar gives the key's own location for "unknown key" diagnostics.
    """

    entries: dict[str, tuple[Scalar, "Node"]] = field(default_factory=dict)
    line: int = 0
    col: int = 0

    def get(self, key: str) -> "Node | None":
        found = self.entries.get(key)
        return found[1] if found else None

    def key_node(self, key: str) -> Scalar | None:
        found = self.entries.get(key)
        return found[0] if found else None


Node: TypeAlias = Scalar | Seq | Map


def node_kind(node: Node) -> str:
    """How a node is named in messages: 'text', 'a number', 'a list'..."""
    if isinstance(node, Map):
        return "a mapping"
    if isinstance(node, Seq):
        return "a list"
    value = node.value
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"the boolean `{node.text}`"
    if isinstance(value, int):
        return f"the integer `{node.text}`"
    if isinstance(value, float):
        return f"the number `{node.text}`"
    return f"the text `{node.text}`"
