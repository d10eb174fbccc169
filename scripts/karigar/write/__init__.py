"""write stage of the Karigar pipeline."""
