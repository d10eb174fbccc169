"""catalog stage of the Karigar pipeline."""
