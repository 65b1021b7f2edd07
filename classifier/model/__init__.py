"""Model: where weights are added up into a certainty, and where they are learned.

``labels`` (the two classes and their spellings), ``linear`` (the weights of the features
and their sum), ``results`` (what scoring returns: a sentence's and a text's verdict),
``scorer`` (:class:`~classifier.model.scorer.Scorer`: sentences scored with a model's
weights, no scikit-learn), ``weights`` (the scorer as JSON text and back, validated),
``features`` (the scikit-learn transformer), ``estimator`` (:class:`CertaintyClassifier`, the
scikit-learn estimator that learns the weights), ``cuetypes``, ``aspects`` and
``multinomial`` (the optional kinds of uncertainty). No file is read or written here: model
files are :mod:`classifier.io`'s.

``from classifier.model import CertaintyClassifier`` imports the estimator (and
scikit-learn) on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from classifier.model.estimator import CertaintyClassifier

__all__ = ["CertaintyClassifier"]


def __getattr__(name: str) -> Any:
    """Import :class:`CertaintyClassifier` on first use."""
    if name == "CertaintyClassifier":
        from classifier.model.estimator import CertaintyClassifier

        return CertaintyClassifier
    raise AttributeError(f"module 'classifier.model' has no attribute {name!r}")
