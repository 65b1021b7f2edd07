"""hedge-classifier: sentence-level certainty scoring for English text, with its reasons.

>>> import classifier
>>> scorer = classifier.load()
>>> [(s.text, s.label, [c.text for c in s.cues]) for s in scorer.score("It may rain. It rained.")]
[('It may rain.', 'uncertain', ['may']), ('It rained.', 'certain', [])]

Public names are imported on first use, so that ``import classifier`` (and ``hedge
--help``) stays fast.
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any

from classifier._version import __version__ as __version__

# For type checkers, which cannot follow __getattr__ (and for load's annotations): the
# names of _HOMES again, as tests/test_imports.py checks.
if TYPE_CHECKING:  # `import X as X`: an explicit re-export, as strict type checkers want
    from classifier.compiled import COMPILED as COMPILED
    from classifier.cues.lexicon import Lexicon as Lexicon
    from classifier.cues.lexicon import load_lexicon as load_lexicon
    from classifier.cues.matcher import Cue as Cue
    from classifier.errors import DataError as DataError
    from classifier.errors import HedgeError as HedgeError
    from classifier.errors import LexiconError as LexiconError
    from classifier.errors import ModelIntegrityError as ModelIntegrityError
    from classifier.errors import ModelLoadError as ModelLoadError
    from classifier.evaluate import EvaluationReport as EvaluationReport
    from classifier.evaluate import evaluate as evaluate
    from classifier.io.labeled import LabeledData as LabeledData
    from classifier.io.labeled import read_labeled as read_labeled
    from classifier.io.labeled import train as train
    from classifier.model.estimator import CertaintyClassifier as CertaintyClassifier
    from classifier.model.features import CueFeaturizer as CueFeaturizer
    from classifier.model.results import SentenceScore as SentenceScore
    from classifier.model.scorer import Scorer as Scorer
    from classifier.text.sentences import Sentence as Sentence
    from classifier.text.sentences import split_sentences as split_sentences

#: Each public name (but ``load`` and ``__version__``) and its module, imported on first use.
_HOMES = {
    "COMPILED": "compiled",
    "CertaintyClassifier": "model.estimator",
    "Cue": "cues.matcher",
    "CueFeaturizer": "model.features",
    "DataError": "errors",
    "EvaluationReport": "evaluate",
    "LabeledData": "io.labeled",
    "HedgeError": "errors",
    "Lexicon": "cues.lexicon",
    "LexiconError": "errors",
    "ModelIntegrityError": "errors",
    "ModelLoadError": "errors",
    "Scorer": "model.scorer",
    "Sentence": "text.sentences",
    "SentenceScore": "model.results",
    "evaluate": "evaluate",
    "load_lexicon": "cues.lexicon",
    "read_labeled": "io.labeled",
    "split_sentences": "text.sentences",
    "train": "io.labeled",
}

__all__ = sorted([*_HOMES, "__version__", "load"])


def load(
    path: str | Path | None = None,
    *,
    extra_lexicon: str | Path | Lexicon | None = None,
    convention: str | None = None,
) -> Scorer:
    """Load a model's weights for scoring: the bundled model, or a saved one.

    Plain JSON, checked against the model's manifest: fast, nothing unpickled and no
    scikit-learn imported. To retrain or use scikit-learn, see
    :class:`~classifier.model.estimator.CertaintyClassifier`.

    Parameters
    ----------
    path : str or Path, optional
        A model file written by ``hedge train`` or ``CertaintyClassifier.save``; None
        for the bundled model.
    extra_lexicon : str, Path or Lexicon, optional
        A lexicon directory whose cues are added without retraining, scored through
        the weights of their category and prior (:meth:`Scorer.with_lexicon`).
    convention : str, optional
        Score with one of the labelling conventions the model was trained with; for the
        bundled model ``bio``, ``wiki``, ``news``, ``reviews``, ``science``,
        ``guideline`` (its own) or ``shared``.

    Returns
    -------
    Scorer
        ``score(text)``, ``score_document``, ``score_sentences``, ``score_many``,
        ``certainty``, ``explain``.

    Raises
    ------
    ModelLoadError, ModelIntegrityError, LexiconError
    """
    from classifier.io.archive import load_scorer

    return load_scorer(path, extra_lexicon=extra_lexicon, convention=convention)


def __getattr__(name: str) -> Any:
    """Import a public name from its module on first use."""
    if name not in _HOMES:
        raise AttributeError(f"module 'classifier' has no attribute {name!r}")
    return getattr(import_module(f"classifier.{_HOMES[name]}"), name)


def __dir__() -> list[str]:
    """List the public names."""
    return __all__
