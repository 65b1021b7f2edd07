"""CertaintyClassifier is a scikit-learn classifier, and its labels mean the same everywhere."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import Pipeline
from sklearn.utils import get_tags
from sklearn.utils.estimator_checks import (
    check_estimator_cloneable,
    check_get_params_invariance,
    check_no_attributes_set_in_init,
    check_parameters_default_constructible,
    check_set_params,
)

from classifier import CertaintyClassifier
from classifier._compat import InvalidParameterError
from classifier.cli.main import main
from classifier.io.labeled import read_labeled
from classifier.model.labels import check_labels

from .corpus import LABELS, SENTENCES

UNCERTAIN = np.array(LABELS) == "uncertain"
#: The corpus labeled five ways; (y, uncertain_labels).
SPELLINGS = {
    "words": (list(LABELS), None),
    "0/1": (UNCERTAIN.astype(int).tolist(), None),
    "booleans": (UNCERTAIN.tolist(), None),
    "0 means uncertain": ((~UNCERTAIN).astype(int).tolist(), 0),
    "yes/no": (np.where(UNCERTAIN, "yes", "no").tolist(), "yes"),
}


def small(**params) -> CertaintyClassifier:
    return CertaintyClassifier(min_df=1, cv=2, **params)


@pytest.fixture(scope="module")
def fitted() -> CertaintyClassifier:
    return small().fit(SENTENCES, LABELS)


# ---------------------------------------------------------------------- the contract
@pytest.mark.parametrize(
    "check",
    [
        check_estimator_cloneable,
        check_get_params_invariance,
        check_set_params,
        check_no_attributes_set_in_init,
        check_parameters_default_constructible,
    ],
)
def test_scikit_learn_checks_that_need_no_data(check):
    check("CertaintyClassifier", CertaintyClassifier())


def test_score_is_accuracy_on_x_and_y(fitted):
    predicted = fitted.predict(SENTENCES)
    assert fitted.score(SENTENCES, LABELS) == np.mean(predicted == np.array(LABELS))
    assert 0.5 < fitted.score(SENTENCES, LABELS) <= 1.0


def test_cross_val_score_gives_numbers():
    scores = cross_val_score(small(), SENTENCES, LABELS, cv=3)
    assert scores.shape == (3,)
    assert np.all(np.isfinite(scores)) and np.all(scores > 0.5)


def test_grid_search_chooses_on_real_scores():
    # a threshold of 0.001 on certainty labels (almost) every sentence certain: the
    # search must prefer 0.5, though 0.001 comes first
    search = GridSearchCV(small(C=1.0), {"threshold": [0.001, 0.5]}, cv=3).fit(SENTENCES, LABELS)
    assert np.all(np.isfinite(search.cv_results_["mean_test_score"]))
    assert search.best_params_ == {"threshold": 0.5}
    assert search.best_score_ > search.cv_results_["mean_test_score"][0]


def test_pipeline_score():
    pipeline = Pipeline([("clf", small())]).fit(SENTENCES, LABELS)
    assert pipeline.score(SENTENCES, LABELS) == pipeline.named_steps["clf"].score(SENTENCES, LABELS)


def test_clone_is_unfitted_with_the_same_params(fitted):
    copy = clone(fitted)
    assert copy.get_params() == fitted.get_params()
    assert not hasattr(copy, "pipeline_")


def test_predict_proba_and_decision_function_follow_classes(fitted):
    proba = fitted.predict_proba(SENTENCES)
    assert list(fitted.classes_) == ["certain", "uncertain"]
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    log_odds = np.log(proba[:, 1] / proba[:, 0])
    np.testing.assert_allclose(fitted.decision_function(SENTENCES), log_odds, rtol=1e-9)


def test_tags_say_the_input_is_text():
    tags = get_tags(CertaintyClassifier())
    assert tags.input_tags.string and not tags.input_tags.two_d_array
    assert tags.estimator_type == "classifier"


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"C": -1.0}, "The 'C' parameter of CertaintyClassifier must be"),
        ({"threshold": 1.5}, "The 'threshold' parameter of CertaintyClassifier must be"),
        ({"cv": 1}, "The 'cv' parameter of CertaintyClassifier must be"),
        ({"min_df": "2"}, "The 'min_df' parameter of CertaintyClassifier must be"),
        ({"lexicon": 3}, "The 'lexicon' parameter of CertaintyClassifier must be"),
    ],
)
def test_parameters_are_validated_with_scikit_learns_messages(params, message):
    with pytest.raises(InvalidParameterError, match=message):
        CertaintyClassifier(**params).fit(SENTENCES, LABELS)


def test_text_scoring_is_on_the_scorer_not_the_estimator(fitted):
    for name in ("score_sentences", "score_many", "explain", "certainty"):
        assert not hasattr(fitted, name)
    (score,) = fitted.scorer_.score("The protein may play a role in repair.")
    assert score.label == "uncertain" and [c.text for c in score.cues] == ["may"]
    exported = fitted.to_scorer()
    sentences = SENTENCES[:4]
    assert exported.score_sentences(sentences) == fitted.scorer_.score_sentences(sentences)


# ---------------------------------------------------------------------- labels
@pytest.mark.parametrize("spelling", SPELLINGS)
def test_every_spelling_of_the_labels_trains_the_same_model(spelling):
    y, uncertain_labels = SPELLINGS[spelling]
    reference = small().fit(SENTENCES, LABELS)
    clf = small().fit(SENTENCES, y, uncertain_labels=uncertain_labels)
    uncertain_column = list(clf.classes_).index(clf.uncertain_class_)
    np.testing.assert_array_equal(
        clf.predict_proba(SENTENCES)[:, uncertain_column],
        reference.predict_proba(SENTENCES)[:, 1],
    )
    assert clf.threshold_ == reference.threshold_
    # predict answers in the labels it was given, so that score(X, y) is accuracy
    expected = np.where(
        reference.predict(SENTENCES) == "uncertain",
        *sorted(set(y), key=lambda v: v != clf.uncertain_class_),
    )
    assert list(clf.predict(SENTENCES)) == list(expected)
    assert clf.score(SENTENCES, y) == reference.score(SENTENCES, LABELS)


@pytest.mark.parametrize(
    ("y", "uncertain_labels", "message"),
    [
        (["certain", "maybe"], None, "label 1: unknown label 'maybe'"),
        (["certain", 1], None, "label 1: labels are written as 'certain/uncertain' at label 0"),
        (["yes", "no", "nope"], "yes", "label 2: with uncertain_labels"),
        (["certain", "certain"], None, "one value for certain and one for uncertain"),
        (["yes", "no"], [], "uncertain label must be one label value"),
    ],
)
def test_bad_labels_are_named(y, uncertain_labels, message):
    with pytest.raises(ValueError, match=message):
        check_labels(y, len(y), uncertain_labels)


def test_fit_reports_a_bad_label_by_index():
    with pytest.raises(ValueError, match="label 0: unknown label 'maybe'"):
        small().fit(SENTENCES, ["maybe"] + LABELS[1:])


def test_own_labels_in_files_and_on_the_command_line(tmp_path, capsys):
    data = tmp_path / "data.csv"
    rows = [f'"{s}",{"yes" if u else "no"}' for s, u in zip(SENTENCES, UNCERTAIN, strict=True)]
    data.write_text("text,label\n" + "\n".join(rows) + "\n", encoding="utf-8")
    assert read_labeled(data, uncertain_value="yes").labels == LABELS
    model = tmp_path / "m.joblib"
    assert main(["train", str(data), "--out", str(model), "--uncertain-value", "yes"]) == 0
    assert main(["eval", str(data), "--model", str(model), "--uncertain-value", "yes"]) == 0
    out = capsys.readouterr().out
    assert f"{int(UNCERTAIN.sum())} uncertain, {int((~UNCERTAIN).sum())} certain" in out


@pytest.mark.parametrize("seed", range(5))
def test_precision_recall_f1_are_scikit_learns(seed):
    from sklearn.metrics import precision_recall_fscore_support

    from classifier.model.labels import precision_recall_f1

    rng = np.random.default_rng(seed)
    uncertain, predicted = rng.random(200) < 0.3, rng.random(200) < 0.1 * seed
    expected = precision_recall_fscore_support(
        uncertain, predicted, average="binary", zero_division=0.0
    )[:3]
    assert precision_recall_f1(uncertain, predicted) == tuple(map(float, expected))


def test_evaluate_reads_labels_as_fit_does(fitted):
    from classifier.evaluate import evaluate

    sentences = SENTENCES[:3] + SENTENCES[-3:]
    words = LABELS[:3] + LABELS[-3:]
    by_words = evaluate(fitted, sentences, words)
    assert evaluate(fitted, sentences, [int(w == "uncertain") for w in words]) == by_words
    yes_no = ["yes" if w == "uncertain" else "no" for w in words]
    assert evaluate(fitted.scorer_, sentences, yes_no, uncertain_labels="yes") == by_words
