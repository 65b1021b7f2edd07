"""hedge-classifier: sentence-level certainty scoring for English text, with its reasons.

Public names are imported on first use, so that ``import classifier`` (and ``hedge
--help``) stays fast.
"""

from __future__ import annotations

from importlib import import_module, metadata
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from classifier.cues import Cue
    from classifier.data import LabeledData, read_labeled, train
    from classifier.errors import (
        DataError,
        HedgeError,
        LexiconError,
        ModelIntegrityError,
        ModelLoadError,
    )
    from classifier.evaluate import EvaluationReport, evaluate
    from classifier.features import CueFeaturizer
    from classifier.lexicon import Lexicon, load_lexicon
    from classifier.model import CertaintyClassifier, SentenceScore
    from classifier.sentences import Sentence, split_sentences

_HOMES = {
    "CertaintyClassifier": "model",
    "Cue": "cues",
    "CueFeaturizer": "features",
    "DataError": "errors",
    "EvaluationReport": "evaluate",
    "LabeledData": "data",
    "HedgeError": "errors",
    "Lexicon": "lexicon",
    "LexiconError": "errors",
    "ModelIntegrityError": "errors",
    "ModelLoadError": "errors",
    "Sentence": "sentences",
    "SentenceScore": "model",
    "evaluate": "evaluate",
    "load_lexicon": "lexicon",
    "read_labeled": "data",
    "split_sentences": "sentences",
    "train": "data",
}

__all__ = [
    "CertaintyClassifier",
    "Cue",
    "CueFeaturizer",
    "DataError",
    "EvaluationReport",
    "HedgeError",
    "LabeledData",
    "Lexicon",
    "LexiconError",
    "ModelIntegrityError",
    "ModelLoadError",
    "Sentence",
    "SentenceScore",
    "evaluate",
    "load_lexicon",
    "read_labeled",
    "split_sentences",
    "train",
]


def __getattr__(name: str) -> Any:
    """Import a public name from its module on first use; ``__version__`` from metadata."""
    if name == "__version__":
        try:
            return metadata.version("hedge-classifier")
        except metadata.PackageNotFoundError:
            return "unknown"
    if name not in _HOMES:
        raise AttributeError(f"module 'classifier' has no attribute {name!r}")
    return getattr(import_module(f"classifier.{_HOMES[name]}"), name)


def __dir__() -> list[str]:
    """List the public names."""
    return __all__
