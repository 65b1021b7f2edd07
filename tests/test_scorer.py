"""The scorer: the pipeline's numbers from plain weights, its weights file, and fast start."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from classifier import CertaintyClassifier, ModelIntegrityError
from classifier.io.archive import load_scorer
from classifier.model.weights import from_json

from .archive import members, rewrite
from .corpus import LABELS, SENTENCES

MIXED = [
    "The protein may play a role in repair.",
    "It is unclear whether the drug works, but it probably does.",
    "Russia annexed Crimea from Ukraine in 2014.",
    "He is not sure; no doubt it is certainly possible.",
    'She said "it might rain" in May 2020.',
    "",
    "!!!",
]


@pytest.fixture(scope="module")
def bundled() -> CertaintyClassifier:
    return CertaintyClassifier.load()


@pytest.fixture(scope="module")
def rated() -> CertaintyClassifier:
    sentences, labels = SENTENCES * 2, LABELS * 2  # a rating regression needs 30 ratings
    ratings = [1.0 + 5.0 * (label == "certain") + 0.1 * i for i, label in enumerate(labels)]
    return CertaintyClassifier(min_df=1, cv=3).fit(sentences, labels, ratings)


@pytest.mark.parametrize("name", ["bundled", "rated"])
def test_scorer_gives_the_pipelines_probabilities_and_ratings(name, request):
    clf = request.getfixturevalue(name)
    sentences = MIXED + SENTENCES
    expected = clf.pipeline_.predict_proba(sentences)
    np.testing.assert_allclose(clf.predict_proba(sentences), expected, rtol=0, atol=1e-12)
    features = clf.pipeline_.named_steps["features"].transform(sentences)
    ridge = np.clip(clf.rating_model_.predict(features), *clf.rating_range_)  # bounded
    np.testing.assert_allclose(clf.predict_rating(sentences), ridge, rtol=0, atol=1e-9)
    log_odds = clf.pipeline_.decision_function(sentences)
    got = [clf.scorer_.log_odds(s) for s in sentences]
    np.testing.assert_allclose(got, log_odds, rtol=0, atol=1e-9)


def test_scorer_follows_a_changed_threshold_and_a_refit_and_changes_none_handed_out():
    clf = CertaintyClassifier(min_df=1, cv=3).fit(SENTENCES, LABELS)
    first = clf.scorer_
    fitted = first.threshold
    clf.threshold_ = 0.999
    assert first.threshold == fitted != 0.999
    assert clf.scorer_.threshold == 0.999 and clf.scorer_ is clf.scorer_
    assert {s.label for s in clf.scorer_.score_sentences(MIXED[:3])} == {"uncertain"}
    assert clf.predict(MIXED[:3]).tolist() == ["uncertain"] * 3
    changed = clf.scorer_
    clf.fit(SENTENCES[:20], LABELS[:20])
    assert clf.scorer_ is not first and clf.scorer_ is not changed


def test_weights_file_round_trip_scores_the_same(rated, tmp_path):
    path = tmp_path / "m.hedge"
    rated.save(path)
    loaded = load_scorer(path)
    text = " ".join(MIXED + SENTENCES)
    assert loaded.score(text) == rated.scorer_.score(text)
    assert loaded.threshold == rated.threshold_
    assert loaded.lexicon == rated.pipeline_.named_steps["features"].lexicon_


def test_bundled_weights_match_the_bundled_pipeline(bundled):
    text = " ".join(MIXED + SENTENCES)
    assert load_scorer().score(text) == bundled.scorer_.score(text)


def test_weights_member_errors(rated, tmp_path):
    path = tmp_path / "m.hedge"
    rated.save(path)
    original = members(path)["weights.json"].decode()
    changed = original.replace('"threshold":', '"threshold": 0.1, "x":', 1).encode()
    rewrite(path, fix_hashes=False, weights=changed)
    with pytest.raises(ModelIntegrityError, match="weights.json: sha256 does not match"):
        load_scorer(path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[]", "not a hedge-classifier-weights file"),
        ('{"format": "hedge-classifier-weights", "format_version": 9}', "format version 9"),
        ('{"format": "hedge-classifier-weights", "format_version": 1}', "format version 1"),
        ('{"format": "hedge-classifier-weights", "format_version": 2}', "missing field"),
        ("{", "w.json: "),
    ],
)
def test_malformed_weights_name_the_file(text, message):
    with pytest.raises(ValueError, match=message) as caught:
        from_json(text, "w.json")
    assert str(caught.value).startswith("w.json: ")


SCORE_IMPORTS = """
import sys
from classifier.cli.main import main
assert main(["score", sys.argv[1]]) == 0
print(sorted({m.split(".")[0] for m in sys.modules} & {"sklearn", "scipy", "nltk", "joblib"}))
"""


def test_hedge_score_imports_neither_sklearn_nor_nltk(tmp_path):
    text = tmp_path / "in.txt"
    text.write_text("It may rain. Dr. Smith came.", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-c", SCORE_IMPORTS, str(text)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "It [[may]] rain." in result.stdout
    assert result.stdout.splitlines()[-1] == "[]"


def test_with_threshold_returns_a_new_scorer_and_leaves_this_one_as_it_was():
    scorer = load_scorer()
    before = scorer.score_sentences(MIXED)
    strict = scorer.with_threshold(0.99)
    assert strict.threshold == 0.99 and scorer.threshold < 0.99
    assert [s.label for s in strict.score_sentences(MIXED)] == ["uncertain"] * len(MIXED)
    assert scorer.score_sentences(MIXED) == before
    assert [s.certainty for s in strict.score_sentences(MIXED)] == [s.certainty for s in before]


def test_a_scorer_cannot_be_changed_in_place():
    scorer = load_scorer()
    with pytest.raises(AttributeError, match="immutable: threshold cannot be set"):
        scorer.threshold = 0.5
    with pytest.raises(AttributeError, match="immutable"):
        scorer.uncertain = scorer.uncertain



def test_ratings_stay_within_the_range_of_the_training_ratings():
    from classifier.model.estimator import CertaintyClassifier

    texts = ["It may rain.", "It rained.", "It might snow.", "It snowed."] * 10
    labels = ["uncertain", "certain", "uncertain", "certain"] * 10
    ratings = [2.0, 5.0, 2.5, 4.5] * 10
    clf = CertaintyClassifier(min_df=1, cv=2).fit(texts, labels, ratings)
    assert clf.rating_range_ == (2.0, 5.0)
    extreme = ["It may perhaps possibly rain, maybe.", "It rained, it rained, it rained."]
    predicted = clf.scorer_.ratings(extreme + texts[:4])
    assert all(2.0 <= r <= 5.0 for r in predicted)
    scorer = clf.scorer_
    from classifier.model.weights import from_json, to_json

    again = from_json(to_json(scorer))
    assert again.rating is not None and again.rating.bounds == (2.0, 5.0)
    assert again.ratings(extreme) == scorer.ratings(extreme)
