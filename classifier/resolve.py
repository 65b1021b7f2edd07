"""Which :class:`~classifier.model.scorer.Scorer` the integrations' ``model`` argument means.

:func:`classifier.evaluate.evaluate`, :mod:`classifier.report`, :mod:`classifier.pandas`,
:mod:`classifier.dask` and :mod:`classifier.spacy` take a fitted
:class:`~classifier.model.estimator.CertaintyClassifier`, a Scorer, or None for the bundled
model, and score with :func:`scorer_of` it.
"""

from __future__ import annotations

import sys
from typing import Any

from classifier.io.archive import load_scorer
from classifier.model.scorer import Scorer

__all__ = ["scorer_of"]


def scorer_of(model: Any) -> Scorer:
    """Return the scorer of a fitted model, a scorer as it is, or the bundled model's for None.

    Raises
    ------
    TypeError
        If ``model`` is none of these.
    sklearn.exceptions.NotFittedError
        If ``model`` is a CertaintyClassifier that is not fitted.
    """
    if model is None:
        return load_scorer()
    if isinstance(model, Scorer):
        return model
    # a CertaintyClassifier exists only once its module is imported: look it up there
    # rather than import scikit-learn for a Scorer or None
    estimator = sys.modules.get("classifier.model.estimator")
    if estimator is not None and isinstance(model, estimator.CertaintyClassifier):
        scorer: Scorer = model.scorer_
        return scorer
    raise TypeError(
        f"model must be a CertaintyClassifier, a Scorer or None, got {type(model).__name__}"
    )
