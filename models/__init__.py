"""Bundled models and sentence-splitter parameters (package data)."""
