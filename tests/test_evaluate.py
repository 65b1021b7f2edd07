"""Tests of the evaluation report, against scikit-learn's and scipy's own metrics."""

from __future__ import annotations

import json

import numpy as np
import pytest
from scipy.stats import pearsonr, spearmanr
from sklearn.metrics import (
    brier_score_loss,
    confusion_matrix,
    f1_score,
    precision_score,
    recall_score,
    roc_auc_score,
)

from classifier.evaluate import CALIBRATION_BINS, EvaluationReport, evaluate
from classifier.model.scorer import Scorer


class FixedClassifier(Scorer):
    """Stands in for a model's Scorer: each sentence's certainty is given."""

    def __init__(self, certainty: dict[str, float], threshold: float) -> None:
        self._certainty = certainty
        self.threshold = threshold
        self.rating = None

    def certainty(self, sentences):
        return [self._certainty[s] for s in sentences]


RNG = np.random.default_rng(0)
N = 60
LABELS = ["uncertain" if u else "certain" for u in RNG.random(N) < 0.4]
# certainty loosely follows the label, with overlap so that every metric is below 1
CERTAINTY = np.clip(
    np.array([0.35 if y == "uncertain" else 0.65 for y in LABELS]) + RNG.normal(0, 0.2, N), 0, 1
)
SENTENCES = [f"sentence {i}" for i in range(N)]
THRESHOLD = 0.5


@pytest.fixture(scope="module")
def report() -> EvaluationReport:
    clf = FixedClassifier(dict(zip(SENTENCES, CERTAINTY, strict=True)), THRESHOLD)
    return evaluate(clf, SENTENCES, LABELS)  # type: ignore[arg-type]


def test_metrics_agree_with_scikit_learn(report):
    y = np.array(LABELS) == "uncertain"
    predicted = CERTAINTY < THRESHOLD
    assert 0 < report.f1 < 1
    assert report.n == N
    assert report.n_uncertain == int(y.sum())
    assert report.threshold == THRESHOLD
    assert report.precision == pytest.approx(precision_score(y, predicted))
    assert report.recall == pytest.approx(recall_score(y, predicted))
    assert report.f1 == pytest.approx(f1_score(y, predicted))
    assert report.accuracy == pytest.approx(np.mean(y == predicted))
    assert report.roc_auc == pytest.approx(roc_auc_score(y, 1 - CERTAINTY))
    assert report.brier == pytest.approx(brier_score_loss(y, 1 - CERTAINTY))
    # rows actual, columns predicted, certain first
    assert report.confusion == tuple(map(tuple, confusion_matrix(y, predicted).tolist()))


def test_confusion_matrix_is_named(report):
    matrix = report.confusion_matrix()
    (tn, fp), (fn, tp) = report.confusion
    assert matrix == {
        "actual_certain": {"predicted_certain": tn, "predicted_uncertain": fp},
        "actual_uncertain": {"predicted_certain": fn, "predicted_uncertain": tp},
    }


def test_calibration_bins(report):
    p = 1 - CERTAINTY
    y = np.array(LABELS) == "uncertain"
    bins = report.calibration
    assert len(bins) == CALIBRATION_BINS
    assert sum(b.count for b in bins) == N
    for i, b in enumerate(bins):
        assert (b.lower, b.upper) == pytest.approx((i / 10, (i + 1) / 10))
        # calibration_curve's bins: (lower, upper], the first one with 0
        inside = ((p > b.lower) | (i == 0)) & (p <= b.upper)
        assert b.count == int(inside.sum())
        if b.count:
            assert b.mean_predicted == pytest.approx(p[inside].mean())
            assert b.observed_rate == pytest.approx(y[inside].mean())
        else:
            assert b.mean_predicted is None and b.observed_rate is None


def test_certainty_of_exactly_zero_and_one_falls_in_the_end_bins():
    clf = FixedClassifier({"a": 0.0, "b": 1.0}, 0.5)
    report = evaluate(clf, ["a", "b"], ["uncertain", "certain"])  # type: ignore[arg-type]
    assert report.calibration[0].count == report.calibration[-1].count == 1
    assert report.brier == 0.0
    assert report.roc_auc == 1.0


def test_ratings_correlations():
    ratings = 1 + 5 * CERTAINTY + RNG.normal(0, 0.5, N)
    clf = FixedClassifier(dict(zip(SENTENCES, CERTAINTY, strict=True)), THRESHOLD)
    report = evaluate(clf, SENTENCES, LABELS, list(ratings))  # type: ignore[arg-type]
    assert report.pearson == pytest.approx(pearsonr(CERTAINTY, ratings)[0])
    assert report.spearman == pytest.approx(spearmanr(CERTAINTY, ratings)[0])
    assert report.pearson is not None and report.pearson > 0.5


def test_without_ratings_or_with_constant_ones_correlations_are_none(report):
    assert report.pearson is None and report.spearman is None
    clf = FixedClassifier(dict(zip(SENTENCES, CERTAINTY, strict=True)), THRESHOLD)
    constant = evaluate(clf, SENTENCES, LABELS, [3.0] * N)  # type: ignore[arg-type]
    assert constant.pearson is None and constant.spearman is None


def test_one_class_has_no_auc_and_no_division_by_zero():
    clf = FixedClassifier({"a": 0.9, "b": 0.8}, 0.5)
    report = evaluate(clf, ["a", "b"], ["certain", "certain"])  # type: ignore[arg-type]
    assert report.roc_auc is None
    assert (report.precision, report.recall, report.f1, report.accuracy) == (0, 0, 0, 1)


def test_to_dict_is_json_and_complete(report):
    data = json.loads(json.dumps(report.to_dict()))
    assert data["sentences"] == N
    assert data["f1"] == report.f1  # full precision
    assert data["confusion"] == report.confusion_matrix()
    assert len(data["calibration"]) == CALIBRATION_BINS
    assert set(data["calibration"][0]) == {
        "lower",
        "upper",
        "count",
        "mean_predicted",
        "observed_rate",
    }
    for key in ["precision", "recall", "accuracy", "roc_auc", "brier", "pearson", "spearman"]:
        assert key in data


def test_format_text(report):
    text = report.format_text()
    assert f"sentences  {N} ({report.n_uncertain} uncertain" in text
    assert f"F1 {report.f1:.3f}" in text
    assert f"ROC AUC    {report.roc_auc:.3f}" in text
    (tn, fp), (fn, tp) = report.confusion
    assert any(line.split() == ["certain", str(tn), str(fp)] for line in text.splitlines())
    assert any(line.split() == ["uncertain", str(fn), str(tp)] for line in text.splitlines())
    assert "0.9-1.0" in text
    assert "Pearson" not in text


@pytest.mark.parametrize(
    ("sentences", "labels", "message"),
    [
        ([], [], "no sentences"),
        (["a"], ["certain", "certain"], "1 sentences but 2 labels"),
        (["a"], ["maybe"], "label 0: unknown label 'maybe'"),
    ],
)
def test_bad_input(sentences, labels, message):
    clf = FixedClassifier({"a": 0.5}, 0.5)
    with pytest.raises(ValueError, match=message):
        evaluate(clf, sentences, labels)  # type: ignore[arg-type]


def test_with_a_real_model():
    from classifier.model.estimator import CertaintyClassifier

    clf = CertaintyClassifier.load()
    sentences = ["It may rain tomorrow.", "The sky is blue.", "Perhaps he left.", "He left."]
    labels = ["uncertain", "certain", "uncertain", "certain"]
    report = evaluate(clf, sentences, labels)
    assert report.accuracy == 1.0
    assert report.threshold == clf.threshold_
