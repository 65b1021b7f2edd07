"""Bundled lexicons (package data)."""
