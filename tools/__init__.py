"""Deterministic limit checks: a pure library (no LLM, web or knowledge imports)."""
