"""Exceptions raised by hedge-classifier; every one derives from :class:`HedgeError`."""

from __future__ import annotations

__all__ = [
    "DataError",
    "HedgeError",
    "InputError",
    "LexiconError",
    "ModelIntegrityError",
    "ModelLoadError",
    "OutputError",
]


class HedgeError(Exception):
    """Base class of every error this package raises on purpose."""


class LexiconError(HedgeError, ValueError):
    """A lexicon file is malformed; the message names ``file:line:field``."""


class InputError(HedgeError, ValueError):
    """Input text cannot be read; the message names the file, line and byte offset."""


class DataError(HedgeError, ValueError):
    """Labeled data cannot be read or is unusable; the message names file and line."""


class ModelLoadError(HedgeError):
    """A model file is missing, unreadable or not a model of this package."""


class ModelIntegrityError(ModelLoadError):
    """A model file does not match its manifest (hash, versions or lexicon)."""


class OutputError(HedgeError):
    """Output cannot be written; the message names the file and the reason."""
