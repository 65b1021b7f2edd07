"""hedge-classifier: sentence-level certainty scoring for English text, with its reasons."""

from classifier.cues import Cue
from classifier.errors import (
    DataError,
    HedgeError,
    LexiconError,
    ModelIntegrityError,
    ModelLoadError,
)
from classifier.features import CueFeaturizer
from classifier.lexicon import Lexicon, load_lexicon
from classifier.model import CertaintyClassifier, SentenceScore
from classifier.sentences import Sentence, split_sentences

__all__ = [
    "CertaintyClassifier",
    "Cue",
    "CueFeaturizer",
    "DataError",
    "HedgeError",
    "Lexicon",
    "LexiconError",
    "ModelIntegrityError",
    "ModelLoadError",
    "Sentence",
    "SentenceScore",
    "load_lexicon",
    "split_sentences",
]
