"""Safety: normalisation, the learned guard, and refusals that still help (issue 13)."""
