"""Evaluate a model on labeled sentences: a typed report for JSON and for people.

Precision, recall and F1 come from :func:`classifier.model.labels.precision_recall_f1`;
accuracy, ROC AUC (the Mann-Whitney U), Brier score, the calibration bins (those of
scikit-learn's ``calibration_curve``) and the correlations are counted here with NumPy, the
numbers scikit-learn and SciPy give, without importing them (they alone take 150 MB), and
this module prints them.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from classifier.model.labels import CLASSES, confusion, precision_recall_f1, read_labels
from classifier.resolve import scorer_of

if TYPE_CHECKING:
    from classifier.model.estimator import CertaintyClassifier
    from classifier.model.scorer import Scorer

__all__ = [
    "CALIBRATION_BINS",
    "CalibrationBin",
    "EvaluationReport",
    "evaluate",
]

#: Equal-width bins of P(uncertain) in the calibration table.
CALIBRATION_BINS = 10


@dataclass(frozen=True, slots=True)
class CalibrationBin:
    """Sentences whose P(uncertain) falls in ``(lower, upper]`` (the first bin includes 0).

    The bins of :func:`sklearn.calibration.calibration_curve` with ``strategy="uniform"``.

    Attributes
    ----------
    lower, upper : float
        The bin's edges.
    count : int
        Sentences in the bin.
    mean_predicted : float or None
        Their mean P(uncertain); None for an empty bin.
    observed_rate : float or None
        The share of them labeled uncertain; None for an empty bin.
    """

    lower: float
    upper: float
    count: int
    mean_predicted: float | None
    observed_rate: float | None


@dataclass(frozen=True, slots=True)
class EvaluationReport:
    """How well a classifier's verdicts agree with labels; full-precision numbers.

    Attributes
    ----------
    n, n_uncertain : int
        Sentences, and how many are labeled uncertain.
    threshold : float
        The model's threshold on certainty.
    precision, recall, f1 : float
        Of the class ``uncertain``; 0.0 when undefined (nothing predicted or labeled
        uncertain), as in the model's ``cv_metrics_``.
    accuracy : float
        Share of sentences labeled correctly.
    confusion : tuple of tuple of int
        ``confusion[actual][predicted]``, classes in the order of :data:`CLASSES`
        (certain, uncertain); :meth:`to_dict` names them.
    roc_auc : float or None
        Area under the ROC curve of P(uncertain); None when only one class is present.
    brier : float
        Mean squared difference between P(uncertain) and the label (1 = uncertain).
    calibration : tuple of CalibrationBin
        :data:`CALIBRATION_BINS` equal-width bins of P(uncertain).
    pearson, spearman : float or None
        Correlation of the model's certainty with the ratings; None without ratings,
        or when either is constant.
    rating_pearson, rating_spearman : float or None
        Correlation of the model's predicted rating (:meth:`predict_rating`) with the
        ratings; None as above, or when the model predicts no rating.
    """

    n: int
    n_uncertain: int
    threshold: float
    precision: float
    recall: float
    f1: float
    accuracy: float
    confusion: tuple[tuple[int, int], tuple[int, int]]
    roc_auc: float | None
    brier: float
    calibration: tuple[CalibrationBin, ...]
    pearson: float | None
    spearman: float | None
    rating_pearson: float | None = None
    rating_spearman: float | None = None

    def confusion_matrix(self) -> dict[str, dict[str, int]]:
        """Return the confusion matrix keyed ``actual_<class>`` then ``predicted_<class>``."""
        return {
            f"actual_{actual}": {
                f"predicted_{predicted}": self.confusion[i][j]
                for j, predicted in enumerate(CLASSES)
            }
            for i, actual in enumerate(CLASSES)
        }

    def to_dict(self) -> dict[str, Any]:
        """Return the report as JSON-ready data (undefined values are None)."""
        return {
            "sentences": self.n,
            "uncertain": self.n_uncertain,
            "threshold": self.threshold,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "accuracy": self.accuracy,
            "confusion": self.confusion_matrix(),
            "roc_auc": self.roc_auc,
            "brier": self.brier,
            "calibration": [
                {
                    "lower": b.lower,
                    "upper": b.upper,
                    "count": b.count,
                    "mean_predicted": b.mean_predicted,
                    "observed_rate": b.observed_rate,
                }
                for b in self.calibration
            ],
            "pearson": self.pearson,
            "spearman": self.spearman,
            "rating_pearson": self.rating_pearson,
            "rating_spearman": self.rating_spearman,
        }

    def format_text(self) -> str:
        """Return the report as a few aligned lines of text, rounded for reading."""
        certain = self.n - self.n_uncertain
        lines = [
            f"sentences  {self.n} ({self.n_uncertain} uncertain, {certain} certain)",
            f"threshold  {self.threshold:.2f} on certainty",
            f"uncertain  precision {self.precision:.3f}  recall {self.recall:.3f}  "
            f"F1 {self.f1:.3f}",
            f"accuracy   {self.accuracy:.3f}",
            f"ROC AUC    {_fmt(self.roc_auc)}",
            f"Brier      {self.brier:.3f}",
        ]
        if self.pearson is not None or self.spearman is not None:
            lines.append(
                f"ratings    Pearson {_fmt(self.pearson)}  Spearman {_fmt(self.spearman)}"
                "  (certainty vs. rating)"
            )
        if self.rating_pearson is not None or self.rating_spearman is not None:
            lines.append(
                f"ratings    Pearson {_fmt(self.rating_pearson)}  "
                f"Spearman {_fmt(self.rating_spearman)}  (predicted rating vs. rating)"
            )
        width = max(len(c) for c in CLASSES) + 2
        lines += [
            "",
            "confusion (rows: actual, columns: predicted)",
            " " * (width + 2) + "".join(f"{c:>{width + 1}}" for c in CLASSES),
        ]
        for actual, row in zip(CLASSES, self.confusion, strict=True):
            lines.append(f"  {actual:<{width}}" + "".join(f"{n:>{width + 1}}" for n in row))
        lines += ["", "calibration of P(uncertain)", "  bin        count  predicted  observed"]
        for b in self.calibration:
            lines.append(
                f"  {b.lower:.1f}-{b.upper:.1f}  {b.count:>6}  "
                f"{_fmt(b.mean_predicted, 2):>9}  {_fmt(b.observed_rate, 2):>8}"
            )
        return "\n".join(lines) + "\n"


def _fmt(value: float | None, digits: int = 3) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _calibration(p_uncertain: np.ndarray, uncertain: np.ndarray) -> tuple[CalibrationBin, ...]:
    """Bin P(uncertain) as ``calibration_curve(..., strategy="uniform")`` does."""
    edges = np.linspace(0.0, 1.0, CALIBRATION_BINS + 1)
    ids = np.searchsorted(edges[1:-1], p_uncertain)
    counts = np.bincount(ids, minlength=CALIBRATION_BINS)
    sums = np.bincount(ids, weights=p_uncertain, minlength=CALIBRATION_BINS)
    hits = np.bincount(ids, weights=uncertain.astype(float), minlength=CALIBRATION_BINS)
    bins = []
    for i, count in enumerate(counts.tolist()):
        mean_predicted = float(sums[i] / count) if count else None
        observed_rate = float(hits[i] / count) if count else None
        bins.append(
            CalibrationBin(
                float(edges[i]), float(edges[i + 1]), count, mean_predicted, observed_rate
            )
        )
    return tuple(bins)


def _ranks(values: np.ndarray) -> np.ndarray:
    """Return the 1-based ranks of ``values``, ties given their mean rank (``rankdata``)."""
    order = np.argsort(values, kind="mergesort")
    ordered = values[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    ends = np.r_[starts[1:], len(values)]
    ranks = np.empty(len(values), dtype=float)
    ranks[order] = np.repeat((starts + ends + 1) / 2.0, ends - starts)
    return ranks


def _roc_auc(uncertain: np.ndarray, p_uncertain: np.ndarray) -> float:
    """Return the area under the ROC curve: the Mann-Whitney U of the two classes."""
    positives = int(np.sum(uncertain))
    negatives = len(uncertain) - positives
    u = float(np.sum(_ranks(p_uncertain)[uncertain])) - positives * (positives + 1) / 2
    return u / (positives * negatives)


def _pearson(x: np.ndarray, y: np.ndarray) -> float:
    """Return Pearson's r within [-1, 1], scaled first (as SciPy does) against overflow."""
    x = x - x.mean()
    y = y - y.mean()
    x = x / np.max(np.abs(x))
    y = y / np.max(np.abs(y))
    r = float(np.dot(x, y) / math.sqrt(float(np.dot(x, x)) * float(np.dot(y, y))))
    return max(-1.0, min(1.0, r)) if math.isfinite(r) else r


def _correlations(
    certainty: np.ndarray, ratings: Sequence[float] | None
) -> tuple[float | None, float | None]:
    if ratings is None:
        return None, None
    values = np.asarray(ratings, dtype=float)
    if len(values) != len(certainty):
        raise ValueError(f"got {len(certainty)} sentences but {len(values)} ratings")
    if not np.all(np.isfinite(values)):
        raise ValueError("ratings must be finite numbers")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # overflow of ratings near 1e308
        if len(values) < 2 or np.ptp(values) == 0 or np.ptp(certainty) == 0:
            return None, None
        pearson = _pearson(certainty, values)
        spearman = _pearson(_ranks(certainty), _ranks(values))
    return (
        pearson if math.isfinite(pearson) else None,
        spearman if math.isfinite(spearman) else None,
    )


def evaluate(
    model: CertaintyClassifier | Scorer | None,
    sentences: Iterable[str],
    labels: Iterable[Any],
    ratings: Sequence[float] | None = None,
    *,
    uncertain_labels: Any = None,
) -> EvaluationReport:
    """Score ``sentences`` with ``model`` and compare its verdicts with ``labels``.

    Parameters
    ----------
    model : CertaintyClassifier, Scorer or None
        A fitted classifier, a scorer (:func:`classifier.load`), or None for the bundled
        model.
    sentences : iterable of str
        The sentences, each scored as one sentence.
    labels : iterable
        The label of each, written as :mod:`classifier.model.labels` says (``"certain"`` /
        ``"uncertain"``, 0/1, booleans); one class alone is allowed.
    ratings : sequence of float, optional
        Graded certainty ratings of the sentences, to correlate with the model's
        certainty (higher rating = more certain).
    uncertain_labels : optional
        The label value(s) meaning uncertain, as in ``CertaintyClassifier.fit``.

    Returns
    -------
    EvaluationReport

    Raises
    ------
    ValueError
        For a label that is not one, no sentences, or lengths that differ.
    """
    from classifier.cues.analysis import check_sentences

    texts = check_sentences(sentences)
    values = list(labels)
    if not texts:
        raise ValueError("no sentences to evaluate")
    if len(values) != len(texts):
        raise ValueError(f"got {len(texts)} sentences but {len(values)} labels")
    uncertain = read_labels(values, uncertain_labels)
    scorer = scorer_of(model)
    certainty = np.asarray(scorer.certainty(texts), dtype=float)
    p_uncertain = 1.0 - certainty
    predicted = certainty < scorer.threshold
    precision, recall, f1 = precision_recall_f1(uncertain, predicted)
    both = 0 < int(np.sum(uncertain)) < len(texts)
    pearson, spearman = _correlations(certainty, ratings)
    rating_pearson = rating_spearman = None
    if ratings is not None and scorer.rating is not None:
        rating_pearson, rating_spearman = _correlations(
            np.asarray(scorer.ratings(texts), dtype=float), ratings
        )
    (tn, fp), (fn, tp) = confusion(uncertain, predicted)
    return EvaluationReport(
        n=len(texts),
        n_uncertain=int(np.sum(uncertain)),
        threshold=float(scorer.threshold),
        precision=precision,
        recall=recall,
        f1=f1,
        accuracy=float(np.mean(uncertain == predicted)),
        confusion=((tn, fp), (fn, tp)),
        roc_auc=_roc_auc(uncertain, p_uncertain) if both else None,
        brier=float(np.mean((p_uncertain - uncertain) ** 2)),
        calibration=_calibration(p_uncertain, uncertain),
        pearson=pearson,
        spearman=spearman,
        rating_pearson=rating_pearson,
        rating_spearman=rating_spearman,
    )
