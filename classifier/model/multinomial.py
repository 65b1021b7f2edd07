"""A multinomial logistic model over named binary features, scored in plain Python.

Cue types (:mod:`classifier.model.cuetypes`) and aspects (:mod:`classifier.model.aspects`) are
both small models of this kind: trained with scikit-learn, saved as JSON, scored with
dictionaries (no scikit-learn, no pickle).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["DIGITS", "MIN_COUNT", "Multinomial", "fit_multinomial"]

#: Decimals the weights keep: the model saved is the model scored, and its file stays small.
DIGITS = 4
#: Fewest examples a feature must occur in to get a weight.
MIN_COUNT = 2


@dataclass(frozen=True)
class Multinomial:
    """Softmax over classes of the summed weights of a feature set.

    Attributes
    ----------
    classes : tuple of str
    intercepts : tuple of float
        One per class.
    weights : dict of str to tuple of float
        Each feature's weight for each class (features without weight are left out).
    """

    classes: tuple[str, ...]
    intercepts: tuple[float, ...]
    weights: dict[str, tuple[float, ...]]

    def logits(self, features: Iterable[str]) -> list[float]:
        """Return the score of each class for a set of feature names."""
        columns = [[b] for b in self.intercepts]
        get = self.weights.get
        for name in features:
            row = get(name)
            if row is not None:
                for column, w in zip(columns, row, strict=True):
                    column.append(w)
        return [math.fsum(column) for column in columns]

    def probabilities(self, features: Iterable[str]) -> list[float]:
        """Return the probability of each class, in the order of ``classes``."""
        logits = self.logits(features)
        top = max(logits)
        exp = [math.exp(x - top) for x in logits]
        total = math.fsum(exp)
        return [x / total for x in exp]

    def predict(self, features: Iterable[str]) -> tuple[str, float]:
        """Return the most probable class and its probability."""
        probabilities = self.probabilities(features)
        best = max(range(len(probabilities)), key=probabilities.__getitem__)
        return self.classes[best], probabilities[best]

    def to_dict(self) -> dict[str, Any]:
        """Return the model as plain JSON data."""
        return {
            "classes": list(self.classes),
            "intercepts": list(self.intercepts),
            "weights": {k: list(v) for k, v in sorted(self.weights.items())},
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Multinomial:
        """Read a model written by :meth:`to_dict`.

        Raises
        ------
        ValueError
            If a row has not one weight per class, or a weight that is not finite.
        """
        classes = tuple(str(c) for c in data["classes"])
        weights = {str(k): tuple(float(w) for w in v) for k, v in data["weights"].items()}
        intercepts = tuple(float(b) for b in data["intercepts"])
        for name, row in [("intercepts", intercepts), *weights.items()]:
            if len(row) != len(classes):
                raise ValueError(f"{name!r} has {len(row)} weights for {len(classes)} classes")
            if not all(map(math.isfinite, row)):
                raise ValueError(f"{name!r} has a weight that is not a finite number")
        return cls(classes, intercepts, weights)


def fit_multinomial(
    rows: Sequence[Iterable[str]],
    labels: Sequence[str],
    *,
    C: float = 1.0,
    balanced: bool = True,
    min_count: int = MIN_COUNT,
) -> Multinomial:
    """Fit a multinomial logistic regression on feature-name sets (needs scikit-learn).

    Parameters
    ----------
    rows : sequence of iterables of str
        The features of each example.
    labels : sequence of str
        Each example's class; at least two distinct ones.
    C : float, default=1.0
        Inverse regularization strength.
    balanced : bool, default=True
        Weigh classes inversely to their frequency.
    min_count : int, default=MIN_COUNT
        Fewest examples a feature must occur in to get a weight.

    Weights are rounded to :data:`DIGITS` decimals; those that round to 0 are left out.
    """
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    counts = Counter(name for row in rows for name in set(row))
    kept = [{name: 1.0 for name in row if counts[name] >= min_count} for row in rows]
    vectorizer = DictVectorizer()
    X = vectorizer.fit_transform(kept)
    model = LogisticRegression(
        C=C, max_iter=2000, class_weight="balanced" if balanced else None
    ).fit(X, list(labels))
    classes = tuple(str(c) for c in model.classes_)
    coef, intercept = model.coef_, model.intercept_
    if len(classes) == 2:  # scikit-learn keeps one row for two classes: make it symmetric
        coef = [-coef[0] / 2, coef[0] / 2]
        intercept = [-intercept[0] / 2, intercept[0] / 2]
    weights = {}
    for j, name in enumerate(vectorizer.get_feature_names_out()):
        row = tuple(round(float(coef[k][j]), DIGITS) + 0.0 for k in range(len(classes)))
        if any(row):
            weights[str(name)] = row
    intercepts = tuple(round(float(b), DIGITS) + 0.0 for b in intercept)
    return Multinomial(classes, intercepts, weights)
