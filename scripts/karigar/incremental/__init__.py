"""Incremental builds: cached validation results, recorded output signatures, build state."""
