"""Aberration detection over count series, space-time scans and novelty."""
