"""Fuzz targets and benchmarks of robustness; see fuzz/README.md."""
