"""load stage of the Karigar pipeline."""
