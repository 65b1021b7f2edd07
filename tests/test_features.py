import pickle

import joblib
import numpy as np
import pytest
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import Pipeline
from sklearn.utils.estimator_checks import (
    check_get_params_invariance,
    check_no_attributes_set_in_init,
    check_set_params,
)

from classifier.model.features import CueFeaturizer

from .corpus import LABELS, SENTENCES


@pytest.fixture(scope="module")
def fitted() -> CueFeaturizer:
    return CueFeaturizer(min_df=1).fit(SENTENCES)


def test_scikit_learn_data_free_checks():
    featurizer = CueFeaturizer()
    check_no_attributes_set_in_init("CueFeaturizer", featurizer)
    check_get_params_invariance("CueFeaturizer", featurizer)
    check_set_params("CueFeaturizer", featurizer)


def test_params_are_keyword_only_and_cloned_unchanged():
    with pytest.raises(TypeError):
        CueFeaturizer(None)  # type: ignore[misc]
    featurizer = CueFeaturizer(max_gap=3, unigrams=False, min_df=4)
    assert clone(featurizer).get_params() == featurizer.get_params()
    assert not hasattr(clone(featurizer), "vocabulary_")


def test_feature_names_match_columns(fitted):
    names = fitted.get_feature_names_out()
    matrix = fitted.transform(SENTENCES)
    assert names.dtype == object
    assert matrix.shape == (len(SENTENCES), len(names))
    assert "cue=may" in set(names) and "cat=modal" in set(names)
    row = matrix[0].toarray()[0]
    active = {names[i] for i in np.flatnonzero(row)}
    assert {"cue=may", "cat=modal", "cue=may|prev=protein", "word=protein"} <= active


def test_pickle_and_joblib_round_trip_give_identical_output(fitted, tmp_path):
    expected = fitted.transform(SENTENCES).toarray()
    restored = pickle.loads(pickle.dumps(fitted))
    assert np.array_equal(restored.transform(SENTENCES).toarray(), expected)
    joblib.dump(fitted, tmp_path / "f.joblib")
    loaded = joblib.load(tmp_path / "f.joblib")
    assert np.array_equal(loaded.transform(SENTENCES).toarray(), expected)


def test_bare_string_and_non_string_items_are_rejected(fitted):
    with pytest.raises(TypeError, match="Iterable over raw text sentences expected, str"):
        fitted.transform("It may rain.")
    with pytest.raises(TypeError, match="sentence 1 is bytes, expected str"):
        fitted.transform(["ok", b"bytes"])
    with pytest.raises(TypeError, match="sentence 0 is NoneType"):
        CueFeaturizer().fit([None])
    with pytest.raises(TypeError, match="int received"):
        fitted.transform(5)


def test_unfitted_transform_raises():
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        CueFeaturizer().transform(["x"])


@pytest.mark.parametrize(
    ("params", "error"),
    [({"max_gap": -1}, ValueError), ({"max_gap": 1.5}, TypeError), ({"min_df": 0}, ValueError)],
)
def test_bad_params_are_reported_at_fit(params, error):
    with pytest.raises(error, match=next(iter(params))):
        CueFeaturizer(**params).fit(SENTENCES)


def test_min_df_prunes_rare_features():
    many = CueFeaturizer(min_df=1).fit(SENTENCES).vocabulary_
    few = CueFeaturizer(min_df=3).fit(SENTENCES).vocabulary_
    assert set(few) < set(many)


def test_booster_never_cancels_a_hedge(fitted):
    hedged = fitted.analyze("Definitely, unless it rains, which it might.")
    names = {name for name, _, _ in hedged.features}
    assert "cue=might" in names
    assert not any(name.startswith("booster=") for name in names)
    plain = fitted.analyze("It will definitely rain.")
    assert "booster=definitely" in {name for name, _, _ in plain.features}


def test_every_cue_feature_belongs_to_a_cue(fitted):
    analysis = fitted.analyze("The chances of a deal are slim, and it may fail.")
    owners = {owner for name, _, owner in analysis.features if name.startswith("cue=")}
    assert owners == {0, 1}
    assert [c.entry for c in analysis.cues] == ["chances ... are slim", "may"]


def test_works_in_a_pipeline_with_cross_validation():
    pipeline = Pipeline([("features", CueFeaturizer(min_df=1)), ("model", LogisticRegression())])
    scores = cross_val_score(pipeline, SENTENCES, LABELS, cv=3)
    assert scores.shape == (3,) and np.all((scores >= 0) & (scores <= 1))


def test_output_does_not_depend_on_the_hash_seed():
    import subprocess
    import sys

    code = (
        "from classifier import CertaintyClassifier\n"
        "clf = CertaintyClassifier.load()\n"
        "texts = ['It may, perhaps, possibly rain, some say, if the odds are long.',\n"
        "         'The results suggest it might be likely, though unclear.'] * 3\n"
        "print(repr(clf.scorer_.certainty(texts)), repr(clf.predict_rating(texts).tolist()))\n"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin"},
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        for seed in ("1", "2", "3", "4")
    }
    assert len(outputs) == 1
