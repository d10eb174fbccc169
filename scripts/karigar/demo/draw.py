"""Cheap random draws for the generator's hot loop.

``random.Random.choice`` and ``randint`` go through ``_randbelow`` (several
Python-level calls per draw); at about 150 draws per artisan and 50,000
artisans that is a visible share of a run.  One ``random()`` scaled to the
range is a single C call; its bias (below 2**-40 for these sizes) does not
matter for synthetic data, and the results are just as deterministic.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import TypeVar

__all__ = ["pick", "between"]

T = TypeVar("T")


def pick(rng: random.Random, items: Sequence[T]) -> T:
    """One element of ``items`` (non-empty), uniformly."""
    return items[int(rng.random() * len(items))]


def between(rng: random.Random, lo: int, hi: int) -> int:
    """An integer in ``[lo, hi]``, both included."""
    return lo + int(rng.random() * (hi - lo + 1))
