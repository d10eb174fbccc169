"""render stage of the Karigar pipeline."""
