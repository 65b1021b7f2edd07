import json

import joblib
import numpy as np
import pytest
import sklearn

from classifier import CertaintyClassifier, ModelIntegrityError, ModelLoadError
from classifier.io.archive import default_model_path, read_manifest

from .archive import manifest_of, rewrite
from .corpus import LABELS, SENTENCES

RUSSIA_HEDGED = (
    "While Russian military demonstrations are disruptive, a Washington, D.C.-based think "
    "tank indicated in March that the chances of Moscow escalating the situation into an "
    "assault are slim."
)
RUSSIA_FIRM = "Russia annexed Crimea from Ukraine in 2014."


@pytest.fixture(scope="module")
def bundled() -> CertaintyClassifier:
    return CertaintyClassifier.load()


@pytest.fixture(scope="module")
def small() -> CertaintyClassifier:
    return CertaintyClassifier(min_df=1, cv=3).fit(SENTENCES, LABELS)


def test_bundled_model_on_the_acceptance_sentences(bundled):
    hedged, firm = bundled.scorer_.score(f"{RUSSIA_HEDGED} {RUSSIA_FIRM}")
    assert hedged.text == RUSSIA_HEDGED and firm.text == RUSSIA_FIRM
    assert hedged.label == "uncertain" and hedged.certainty < 0.3
    assert "low_probability" in {c.category for c in hedged.cues}
    assert firm.label == "certain" and firm.certainty > 0.8 and firm.cues == ()


@pytest.mark.parametrize(
    "sentence",
    [
        "The protein may play a role in repair.",
        "It is unclear whether the drug works.",
        "The odds are long that the bill passes.",
        "A link cannot be ruled out.",
        "Whether it works remains to be seen.",
    ],
)
def test_bundled_model_flags_hedges_and_names_a_cue(bundled, sentence):
    (score,) = bundled.scorer_.score_sentences([sentence])
    assert score.label == "uncertain"
    assert score.cues


@pytest.mark.parametrize(
    "sentence",
    [
        "In May 2020 the plant closed.",
        "The show of military might lasted an hour.",
        "Reply as soon as possible.",
        "There is no doubt that the vaccine works.",
    ],
)
def test_bundled_model_ignores_false_friends(bundled, sentence):
    (score,) = bundled.scorer_.score_sentences([sentence])
    assert score.label == "certain", score


def test_a_booster_does_not_cancel_a_hedge(bundled):
    (score,) = bundled.scorer_.score_sentences(["Definitely, unless it rains, which it might."])
    assert score.label == "uncertain"


def test_score_offsets_point_into_the_text(bundled):
    text = "  It may rain.\n\nThe sky is blue.  Perhaps not. "
    scores = bundled.scorer_.score(text)
    assert [s.text for s in scores] == ["It may rain.", "The sky is blue.", "Perhaps not."]
    for s in scores:
        assert text[s.start : s.end] == s.text
        for cue in s.cues:
            assert text[cue.start : cue.end] == cue.text


def test_prediction_api_shapes_and_consistency(bundled):
    sentences = ["It may rain.", "It rained."]
    proba = bundled.predict_proba(sentences)
    assert proba.shape == (2, 2) and np.allclose(proba.sum(axis=1), 1.0)
    assert list(bundled.classes_) == ["certain", "uncertain"]
    assert np.array_equal(bundled.scorer_.certainty(sentences), proba[:, 0])
    assert list(bundled.predict(sentences)) == ["uncertain", "certain"]
    assert [s.certainty for s in bundled.scorer_.score_sentences(sentences)] == list(proba[:, 0])


def test_empty_input(bundled):
    assert bundled.scorer_.score("") == []
    assert bundled.scorer_.score(" \n ") == []
    assert bundled.predict_proba([]).shape == (0, 2)


def test_bad_input_types(bundled):
    with pytest.raises(TypeError, match="str object received"):
        bundled.predict_proba("It may rain.")
    with pytest.raises(TypeError, match="text must be str, got bytes"):
        bundled.scorer_.score(b"It may rain.")


def test_fit_checks_labels():
    with pytest.raises(ValueError, match="label 1: unknown label 'maybe'"):
        CertaintyClassifier().fit(["a", "b"], ["certain", "maybe"])
    with pytest.raises(ValueError, match="2 sentences but 1 labels"):
        CertaintyClassifier().fit(["a", "b"], ["certain"])


def test_fit_chooses_threshold_and_reports_cv_metrics(small):
    assert 0.2 <= small.threshold_ <= 0.8
    assert set(small.cv_metrics_) >= {"precision", "recall", "f1", "accuracy", "C"}
    assert small.predict(["The protein may play a role."])[0] == "uncertain"


def test_save_load_round_trip_and_manifest(small, tmp_path):
    path = tmp_path / "m.hedge"
    assert small.save(path, {"sentences": len(SENTENCES)}) == path
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.hedge"]  # one file, nothing else
    manifest = read_manifest(path)
    assert manifest["versions"]["scikit-learn"] == sklearn.__version__
    assert manifest["training"] == {"sentences": len(SENTENCES)}
    assert manifest["threshold"] == small.threshold_
    loaded = CertaintyClassifier.load(path)
    assert np.array_equal(loaded.predict_proba(SENTENCES), small.predict_proba(SENTENCES))
    assert loaded.threshold_ == small.threshold_


def test_same_data_and_seed_give_identical_bytes(tmp_path):
    for name in ("a", "b"):
        clf = CertaintyClassifier(min_df=1, cv=3).fit(SENTENCES, LABELS)
        clf.save(tmp_path / f"{name}.hedge")
    assert (tmp_path / "a.hedge").read_bytes() == (tmp_path / "b.hedge").read_bytes()


def test_load_errors(small, tmp_path):
    path = tmp_path / "m.hedge"
    small.save(path)
    with pytest.raises(ModelLoadError, match="no such model file"):
        CertaintyClassifier.load(tmp_path / "missing.hedge")
    with pytest.raises(ModelLoadError, match="not a file"):
        CertaintyClassifier.load(tmp_path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ModelLoadError, match="not a (readable )?model archive"):
        CertaintyClassifier.load(path)
    path.write_bytes(data)
    rewrite(path, fix_hashes=False, pipeline=b"not a pickle")
    with pytest.raises(ModelIntegrityError, match="pipeline.joblib: sha256 does not match"):
        CertaintyClassifier.load(path)
    rewrite(path, pipeline=b"not a pickle")
    with pytest.raises(ModelLoadError, match="cannot load"):
        CertaintyClassifier.load(path)


def test_version_mismatch_and_foreign_files(small, tmp_path):
    path = tmp_path / "m.hedge"
    small.save(path)
    manifest = manifest_of(path)
    manifest["versions"]["scikit-learn"] = "0.1.0"
    rewrite(path, manifest=json.dumps(manifest).encode())
    with pytest.raises(ModelIntegrityError, match="saved with scikit-learn 0.1.0"):
        CertaintyClassifier.load(path)
    assert CertaintyClassifier.load(path, trusted=True).threshold_ == small.threshold_
    major = sklearn.__version__.split(".")[0]
    manifest["versions"]["scikit-learn"] = f"{major}.0.0"
    rewrite(path, manifest=json.dumps(manifest).encode())
    with pytest.warns(UserWarning, match=f"saved with scikit-learn {major}.0.0"):
        assert CertaintyClassifier.load(path).threshold_ == small.threshold_
    other = tmp_path / "other.joblib"
    joblib.dump({"something": "else"}, other)
    with pytest.raises(ModelLoadError, match="not a (readable )?model archive"):
        CertaintyClassifier.load(other, trusted=True)
    rewrite(path, manifest=b"{not json")
    with pytest.raises(ModelLoadError, match="unreadable manifest"):
        CertaintyClassifier.load(path)


def test_bundled_manifest_describes_the_bundled_model():
    manifest = read_manifest()
    # the pipeline, its own weights and those of six more labelling conventions
    assert default_model_path().stat().st_size < 10_000_000
    assert manifest["training"]["sentences"] > 30_000
    assert manifest["params"]["convention"] == "guideline"


def test_ratings_train_a_rating_regression():
    sentences = SENTENCES * 2
    labels = LABELS * 2
    ratings = [
        2.0 + i % 3 * 0.1 if label == "uncertain" else 5.5 - i % 3 * 0.1
        for i, label in enumerate(labels)
    ]
    ratings[0] = float("nan")  # a sentence without a rating is allowed
    clf = CertaintyClassifier(min_df=1, cv=3).fit(sentences, labels, ratings)
    assert clf.cv_metrics_["rating"]["sentences"] == len(sentences) - 1
    hedged, firm = clf.predict_rating(["The drug may possibly help.", "The drug was given."])
    assert hedged < firm
    (score,) = clf.scorer_.score_sentences(["The drug was given."])
    assert score.rating == pytest.approx(firm)


def test_rating_errors(small):
    with pytest.raises(ValueError, match="trained without ratings"):
        small.predict_rating(["It may rain."])
    assert small.scorer_.score_sentences(["It may rain."])[0].rating is None
    with pytest.raises(ValueError, match="2 sentences but 1 ratings"):
        CertaintyClassifier().fit(["a", "b"], ["certain", "uncertain"], [1.0])
    with pytest.raises(ValueError, match="rating 1 is infinite"):
        CertaintyClassifier().fit(["a", "b"], ["certain", "uncertain"], [1.0, float("inf")])


def test_bundled_model_predicts_ratings_that_rank_hedges(bundled):
    plain, likely, slim = bundled.predict_rating(
        [
            "The vaccine reduced infections by half.",
            "The vaccine is likely to reduce infections.",
            "The chances that the vaccine reduces infections are slim.",
        ]
    )
    assert slim < plain and likely < plain


def test_evaluate_correlates_predicted_ratings_when_the_model_has_them(bundled, small):
    from classifier.evaluate import evaluate

    sentences = ["It rained.", "It may rain.", "The chances of rain are slim.", "It snowed."]
    labels = ["certain", "uncertain", "uncertain", "certain"]
    ratings = [6.0, 3.0, 2.0, 5.5]
    report = evaluate(bundled, sentences, labels, ratings)
    assert report.rating_pearson is not None and report.rating_pearson > 0
    assert report.to_dict()["rating_spearman"] == report.rating_spearman
    assert evaluate(small, sentences, labels, ratings).rating_pearson is None
