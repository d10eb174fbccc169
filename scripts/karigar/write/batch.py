"""What forked render workers made of a list of planned outputs, kept in arrays by the outputs' numbers.

The build's process forks the render workers and takes their results while
they run.  Recording each result as the funnel records one output (the path
and signature strings of its job, a new digest string, two dictionary
entries) did two costly things there: it made about 200 bytes of new objects
an output (1.13 million outputs at 50,000 artisans in three languages), and
it wrote to the page of every job it touched, so each such page became a
private copy in the parent and stayed one in every worker forked before.
A :class:`RenderedBatch` takes 25 bytes an output in three arrays made before
the workers fork, and the funnel reads the jobs' paths and signatures only
once the workers have ended (:meth:`karigar.write.funnel.DiskWriter.record_batch`).
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Sequence
from typing import Protocol

__all__ = ["Planned", "RenderedBatch", "DIGEST_SIZE"]

DIGEST_SIZE = 16  # bytes of an output's digest (karigar.write.funnel hashes with blake2b of this size)
_NOT_MADE, _UNCHANGED, _WRITTEN = 0, 1, 2


class Planned(Protocol):
    """A planned output: where it goes and the signature of what made it."""

    @property
    def output(self) -> str: ...

    @property
    def signature(self) -> str: ...


class RenderedBatch:
    """Per planned output: its digest, whether its file was written, and its size."""

    def __init__(self, count: int) -> None:
        self.count = count
        self._digests = bytearray(DIGEST_SIZE * count)
        self._states = bytearray(count)
        self._sizes = array("q", bytes(8 * count))

    def put(self, number: int, digest: str, written: bool, size: int) -> None:
        """Output ``number`` was made: its hex digest, whether it was written, its size in bytes."""
        start = number * DIGEST_SIZE
        self._digests[start:start + DIGEST_SIZE] = bytes.fromhex(digest)
        self._states[number] = _WRITTEN if written else _UNCHANGED
        self._sizes[number] = size

    def complete(self) -> bool:
        return _NOT_MADE not in self._states

    def digest(self, number: int) -> str:
        start = number * DIGEST_SIZE
        return self._digests[start:start + DIGEST_SIZE].hex()

    def written(self, number: int) -> bool:
        return self._states[number] == _WRITTEN

    def size(self, number: int) -> int:
        return self._sizes[number]

    def rows(self, planned: Sequence[Planned]) -> Iterator[tuple[str, str, str]]:
        """(path, digest, signature) of every output, in path order (the published store appends them)."""
        for number in sorted(range(self.count), key=lambda n: planned[n].output):
            job = planned[number]
            yield job.output, self.digest(number), job.signature
