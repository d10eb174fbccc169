"""commands stage of the Karigar pipeline."""
