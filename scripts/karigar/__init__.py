"""Karigar: a static showcase and training site for artisans, built from a Git repository."""

__version__ = "0.1.0"
__all__ = ["__version__"]
