"""The package's version, in one place: ``pyproject.toml`` and ``classifier`` read it here."""

__version__ = "0.1.0"
