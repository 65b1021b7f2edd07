"""A linear function of a sentence's features: the weights that scoring adds up.

A fitted :class:`~classifier.model.estimator.CertaintyClassifier`'s logistic regression (and
rating regression) is linear in the features of :mod:`classifier.cues.analysis`, so scoring
needs only each feature's weight: :class:`Linear` holds them in dictionaries keyed by feature
name and sums them exactly with :func:`math.fsum`, in the same way in every process.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import repeat

from classifier.cues.analysis import NO_HEDGES, SENTENCE, WORD, Analysis
from classifier.cues.fast import bounded
from classifier.cues.lexicon import BOOSTER

__all__ = ["Linear"]


@dataclass(frozen=True)
class Linear:
    """A linear function of a sentence's features.

    Attributes
    ----------
    intercept : float
    features : dict of str to float
        Weight of each cue or sentence feature, by name.
    words : dict of str to float
        Weight of each word (``word=`` feature), by word.
    bounds : (float, float) or None
        The least and the greatest value it gives (the range of the ratings a rating
        model was trained on); None: unbounded.
    """

    intercept: float
    features: dict[str, float]
    words: dict[str, float]
    bounds: tuple[float, float] | None = None

    @classmethod
    def from_columns(
        cls,
        names: Iterable[str],
        coef: Iterable[float],
        intercept: float,
        bounds: tuple[float, float] | None = None,
    ) -> Linear:
        """Build it from feature names and coefficients in column order; zeros are left out."""
        features, words = {}, {}
        for name, weight in zip(names, coef, strict=True):
            if weight:
                if name.startswith(WORD):
                    words[name[len(WORD) :]] = float(weight)
                else:
                    features[name] = float(weight)
        return cls(float(intercept), features, words, bounds)

    def __call__(self, analysis: Analysis) -> float:
        """Return the function's value on one analysed sentence."""
        get = self.features.get
        terms = [get(name, 0.0) * value for name, value, _ in analysis.features]
        terms.extend(map(self.words.get, analysis.words, repeat(0.0)))
        terms.append(self.intercept)
        return bounded(math.fsum(terms), self.bounds)

    def contributions(self, analysis: Analysis) -> list[float]:
        """Return each cue's contribution to the function's value.

        A cue contributes the weights of its own features; a kept hedge also an equal share
        of the features the sentence has only because it has hedges: its word features and
        its hedge count (``hedges=N``, N > 0). What is left (the intercept, ``hedges=0``)
        is nobody's.
        """
        verdicts = analysis.verdicts
        totals = [0.0] * len(verdicts)
        get = self.features.get
        words = self.words.get
        shared = [words(word, 0.0) for word in analysis.words]
        for name, value, owner in analysis.features:
            if owner != SENTENCE:
                totals[owner] += get(name, 0.0) * value
            elif name != NO_HEDGES:
                shared.append(get(name, 0.0) * value)
        hedges = [i for i, v in enumerate(verdicts) if v.kept and v.category != BOOSTER]
        if hedges and shared:
            share = math.fsum(shared) / len(hedges)
            for i in hedges:
                totals[i] += share
        return totals
