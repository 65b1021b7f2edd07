"""Benchmarks: accuracy and speed on the corpora of shared/data."""
