"""A deterministic synthetic catalog for demos and benchmarks (``karigar demo``)."""

from __future__ import annotations

from karigar.demo.generate import DemoStats, generate_catalog

__all__ = ["DemoStats", "generate_catalog"]
