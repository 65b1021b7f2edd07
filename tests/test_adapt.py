"""Adapting a model to new data: ``CertaintyClassifier(base=...)``, ``hedge train --from``.

The base model here is tiny and trained in the test, with two conventions; the new data
follow a third convention that differs from the base's on purpose ("suggest" is certain).
"""

from __future__ import annotations

import csv
import pickle
from pathlib import Path

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import cross_val_score
from sklearn.utils.estimator_checks import check_get_params_invariance, check_set_params

from classifier.cli.main import main
from classifier.io.archive import load_scorer, read_manifest
from classifier.model.estimator import (
    C_GRID,
    SINGLE_DOMAIN,
    TRUST_GRID,
    TRUST_TOLERANCE,
    CertaintyClassifier,
)

from .corpus import FIRM, HEDGED, LABELED_FIRM, LABELED_HEDGED

#: The base model's training data: two corpora, two conventions.
BASE_X = HEDGED + FIRM + LABELED_HEDGED[:10] + LABELED_FIRM[:10]
BASE_Y = ["uncertain"] * len(HEDGED) + ["certain"] * len(FIRM) + ["uncertain"] * 10 + [
    "certain"
] * 10
BASE_DOMAINS = ["papers"] * (len(HEDGED) + len(FIRM)) + ["notes"] * 20
BASE_RATINGS = [2.0 if y == "uncertain" else 5.0 for y in BASE_Y]
#: The new data: "suggest" counts as certain (advice), unlike in the base's conventions.
NEW_X = LABELED_HEDGED + LABELED_FIRM
NEW_Y = [
    "certain" if "suggest" in x else "uncertain" for x in LABELED_HEDGED
] + ["certain"] * len(LABELED_FIRM)


def fit_base(**params) -> CertaintyClassifier:
    return CertaintyClassifier(min_df=1, cv=2, convention="papers", **params).fit(
        BASE_X, BASE_Y, BASE_RATINGS, domains=BASE_DOMAINS
    )


@pytest.fixture(scope="module")
def base() -> CertaintyClassifier:
    return fit_base()


@pytest.fixture(scope="module")
def adapted(base) -> CertaintyClassifier:
    """Adapted with little trust (C fixed), so that it departs from the base."""
    return CertaintyClassifier(min_df=1, cv=3, C=3.0, base=base).fit(NEW_X, NEW_Y)


def certainty(clf: CertaintyClassifier, convention: str | None) -> np.ndarray:
    return np.array(clf.to_scorer(convention).certainty(NEW_X + BASE_X))


# ---------------------------------------------------------------------- conventions
def test_keeps_every_convention_of_the_base(base, adapted):
    assert set(adapted.conventions_) == set(base.conventions_) | {SINGLE_DOMAIN}
    for name in base.conventions_:
        assert np.allclose(certainty(adapted, name), certainty(base, name), atol=1e-12), name
        assert adapted.thresholds_[name] == base.thresholds_[name]
    # the base itself is left as it was
    assert base.threshold_ == base.thresholds_["papers"]
    assert set(base.conventions_) == {"papers", "notes", "shared"}


def test_scores_with_the_new_convention_by_default(base, adapted):
    default = certainty(adapted, None)
    assert np.array_equal(default, certainty(adapted, SINGLE_DOMAIN))
    assert not np.allclose(default, certainty(base, None), atol=0.01)
    assert adapted.threshold_ == adapted.thresholds_[SINGLE_DOMAIN]
    assert np.array_equal(
        adapted.predict(NEW_X), np.where(default[: len(NEW_X)] < adapted.threshold_,
                                         "uncertain", "certain")  # fmt: skip
    )


def test_learns_the_new_convention_where_it_departs_from_the_base(base):
    suggest = [x for x in NEW_X if "suggest" in x]
    assert set(base.predict(suggest)) == {"uncertain"}
    clf = CertaintyClassifier(min_df=1, cv=3, C=10.0, base=base).fit(NEW_X, NEW_Y)
    assert set(clf.predict(suggest)) == {"certain"}
    assert {s.label for s in clf.to_scorer("papers").score_sentences(suggest)} == {"uncertain"}


def test_convention_picks_a_base_convention_to_predict_with(base):
    clf = CertaintyClassifier(min_df=1, cv=3, base=base, convention="notes").fit(NEW_X, NEW_Y)
    assert np.allclose(certainty(clf, None), certainty(base, "notes"), atol=1e-12)
    assert clf.threshold_ == base.thresholds_["notes"]


def test_the_new_convention_is_named_by_its_domain(base):
    clf = CertaintyClassifier(min_df=1, cv=3, base=base).fit(
        NEW_X, NEW_Y, domains=["advice"] * len(NEW_X)
    )
    assert set(clf.conventions_) == {"papers", "notes", "shared", "advice"}


@pytest.mark.parametrize(
    ("domains", "message"),
    [(["papers"] * 40, "has a convention 'papers' already"), (["a", "b"] * 20, "one domain")],
)
def test_a_taken_name_or_several_domains_are_refused(base, domains, message):
    with pytest.raises(ValueError, match=message):
        CertaintyClassifier(min_df=1, cv=3, base=base).fit(NEW_X, NEW_Y, domains=domains)


# ---------------------------------------------------------------------- trust
def test_trust_is_chosen_by_cross_validation(base):
    adapted = CertaintyClassifier(min_df=1, cv=3, base=base).fit(NEW_X, NEW_Y)
    tried = adapted.cv_metrics_["tried"]
    # from the most trust to none: the base as it is, the base under each C, no base
    assert [(t["C"], t["base"]) for t in tried] == [
        (0.0, True),
        *[(C, True) for C in TRUST_GRID],
        *[(C, False) for C in C_GRID],
    ]
    for t in tried[1:4]:  # each F1 is that of a model fitted with that C
        fixed = CertaintyClassifier(min_df=1, cv=3, C=t["C"], base=base).fit(NEW_X, NEW_Y)
        assert fixed.cv_metrics_["f1"] == t["f1"]
    # the most trust within TRUST_TOLERANCE of the best F1
    best = max(t["f1"] for t in tried)
    chosen = next(t for t in tried if t["f1"] >= best - TRUST_TOLERANCE)
    assert (adapted.cv_metrics_["C"], adapted.cv_metrics_["f1"]) == (chosen["C"], chosen["f1"])
    assert adapted.cv_metrics_["base_scale"] != 0.0 or not chosen["base"]


def test_data_that_follow_the_base_keep_it_as_it_is(base):
    agreeing = list(base.predict(NEW_X))
    clf = CertaintyClassifier(min_df=1, cv=3, base=base).fit(NEW_X, agreeing)
    assert clf.cv_metrics_["C"] == 0.0
    assert clf.cv_metrics_["base"]["f1"] == 1.0
    assert np.allclose(certainty(clf, None), certainty(base, None), atol=1e-12)
    assert clf.threshold_ == base.threshold_


def test_data_that_contradict_the_base_leave_it_out(base):
    flipped = ["certain" if y == "uncertain" else "uncertain" for y in base.predict(NEW_X)]
    clf = CertaintyClassifier(min_df=1, cv=3, base=base).fit(NEW_X, flipped)
    assert clf.cv_metrics_["base_scale"] <= 0.0 or clf.cv_metrics_["C"] >= 1.0
    assert np.mean(clf.predict(NEW_X) == np.array(flipped)) > 0.9


def test_the_base_alone_is_measured_on_the_new_data(base, adapted):
    expected = np.mean(base.predict(NEW_X) == np.array(NEW_Y))
    assert adapted.cv_metrics_["base"]["accuracy"] == pytest.approx(expected)


# ---------------------------------------------------------------------- lexicon, ratings
def test_a_lexicon_adds_to_the_base_lexicon(base, tmp_path):
    folder = tmp_path / "lexicon"
    folder.mkdir()
    entry = "fingers crossed\tepistemic_adjective\t0.9\t\n"
    (folder / "hedges.tsv").write_text("cue\tcategory\tweight\tnote\n" + entry)
    clf = CertaintyClassifier(min_df=1, cv=3, base=base, lexicon=folder).fit(
        NEW_X + ["Fingers crossed the drug works."] * 3, NEW_Y + ["uncertain"] * 3
    )
    cues = {e.cue for e in clf.scorer_.lexicon.entries}
    assert "fingers crossed" in cues
    assert cues >= {e.cue for e in base.scorer_.lexicon.entries}
    assert np.allclose(certainty(clf, "papers"), certainty(base, "papers"), atol=1e-12)


def test_ratings_adapt_to_the_new_scale(base):
    ratings = [10.0 if y == "uncertain" else 90.0 for y in NEW_Y]  # 0-100, not 1-6
    clf = CertaintyClassifier(min_df=1, cv=3, base=base).fit(NEW_X, NEW_Y, ratings)
    assert "rating" in clf.cv_metrics_
    predicted = clf.predict_rating(NEW_X)
    assert np.corrcoef(predicted, ratings)[0, 1] > 0.8
    assert abs(np.mean(predicted) - np.mean(ratings)) < 5  # on the new scale
    for name in ("papers", "shared"):
        assert np.allclose(
            clf.to_scorer(name).ratings(NEW_X), base.to_scorer(name).ratings(NEW_X), atol=1e-9
        )


def test_without_enough_ratings_the_new_convention_rates_as_the_base(base, adapted):
    assert "rating" not in adapted.cv_metrics_
    assert np.allclose(adapted.predict_rating(NEW_X), base.predict_rating(NEW_X), atol=1e-9)


# ---------------------------------------------------------------------- the contract
def test_clone_keeps_the_fitted_base_and_refits_the_same(base, adapted):
    template = CertaintyClassifier(min_df=1, cv=3, C=3.0, base=base)
    copy = clone(template)
    assert copy.base is base
    assert copy.get_params(deep=False) == template.get_params(deep=False)
    refit = clone(adapted).fit(NEW_X, NEW_Y)
    assert np.array_equal(certainty(refit, None), certainty(adapted, None))
    scores = cross_val_score(template, NEW_X, NEW_Y, cv=2)
    assert scores.shape == (2,) and np.all(scores > 0.5)


def test_get_params_and_set_params_hold_with_a_base(base):
    check_get_params_invariance("CertaintyClassifier", CertaintyClassifier(base=base))
    check_set_params("CertaintyClassifier", CertaintyClassifier(base=base))
    assert CertaintyClassifier(base=base).get_params()["base"] is base


def test_an_unfitted_base_is_refused():
    with pytest.raises(NotFittedError):
        CertaintyClassifier(base=CertaintyClassifier()).fit(NEW_X, NEW_Y)


def test_a_base_given_as_a_path_and_the_archive(base, adapted, tmp_path):
    path = base.save(tmp_path / "base.hedge")
    from_path = CertaintyClassifier(min_df=1, cv=3, C=3.0, base=str(path)).fit(NEW_X, NEW_Y)
    assert np.allclose(certainty(from_path, None), certainty(adapted, None), atol=1e-12)
    assert clone(from_path).base == str(path)
    saved = adapted.save(tmp_path / "adapted.hedge")
    texts = NEW_X + BASE_X
    assert np.allclose(load_scorer(saved).certainty(texts), certainty(adapted, None))
    for name in base.conventions_:
        assert np.allclose(load_scorer(saved, convention=name).certainty(texts),
                           certainty(base, name))  # fmt: skip
    assert "base" not in read_manifest(saved)["params"]
    again = pickle.loads(pickle.dumps(adapted))
    assert np.array_equal(certainty(again, None), certainty(adapted, None))


# ---------------------------------------------------------------------- hedge train --from
def write_csv(path: Path, rows: list[tuple[str, str]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["text", "label"])
        writer.writerows(rows)
    return path


@pytest.fixture(scope="module")
def files(base, tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("adapt")
    return write_csv(folder / "new.csv", list(zip(NEW_X, NEW_Y, strict=True))), base.save(
        folder / "base.hedge"
    )


def test_train_from_a_model(files, base, capsys, tmp_path):
    data, base_path = files
    out = tmp_path / "adapted.hedge"
    code = main(["train", str(data), "--from", str(base_path), "--convention", "advice",
                 "--out", str(out)])  # fmt: skip
    printed, err = capsys.readouterr()
    assert code == 0, err
    lines = printed.splitlines()
    assert lines[1].startswith("the base model alone on them: precision ")
    assert lines[2].startswith("cross-validated (5 folds, C=")
    assert lines[-1] == (
        "it scores with the new convention advice; the base model's: "
        "--convention notes, papers, shared"
    )
    manifest = read_manifest(out)
    assert manifest["training"]["from"]["model"] == str(base_path)
    texts = NEW_X + BASE_X
    assert np.allclose(load_scorer(out, convention="papers").certainty(texts),
                       certainty(base, "papers"))  # fmt: skip
    assert load_scorer(out).threshold == load_scorer(out, convention="advice").threshold


def test_train_from_the_bundled_model(files, capsys, tmp_path, monkeypatch):
    data, _ = files
    out = tmp_path / "adapted.hedge"
    monkeypatch.chdir(data.parent)  # "./new.csv", as in the README: once a KeyError
    assert main(["train", f"./{data.name}", "--from", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "the base model's: --convention bio, guideline, news, reviews, science" in printed
    assert "guideline" in {
        name[len("conventions/") : -len(".json")]
        for name in read_manifest(out)["members"]
        if name.startswith("conventions/")
    }


@pytest.mark.parametrize(
    ("extra", "pieces"),
    [
        (["--convention", "x"], ["--convention names the new convention of --from"]),
        (["--from", "missing.hedge"], ["missing.hedge", "no such model file"]),
        (["--from", "BASE", "--convention", "papers"], ["convention 'papers' already"]),
    ],
)
def test_train_from_errors_are_one_line(files, capsys, tmp_path, extra, pieces):
    data, base_path = files
    extra = [str(base_path) if a == "BASE" else a for a in extra]
    code = main(["train", str(data), *extra, "--out", str(tmp_path / "m.hedge")])
    err = capsys.readouterr().err
    assert code == 1
    assert len(err.splitlines()) == 1 and err.startswith("hedge: error: "), err
    for piece in pieces:
        assert piece in err, err
    assert not (tmp_path / "m.hedge").exists()


def test_train_never_overwrites_the_base(files, capsys):
    data, base_path = files
    before = base_path.read_bytes()
    code = main(["train", str(data), "--from", str(base_path), "--out", str(base_path)])
    assert code == 1
    assert "it is the input" in capsys.readouterr().err
    assert base_path.read_bytes() == before


RATED = [1.0 if y == "uncertain" else 6.0 for y in NEW_Y]


def test_train_from_with_graded_labels(files, tmp_path, capsys):
    _, base_path = files
    data = tmp_path / "rated.csv"
    with open(data, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["text", "label"])
        writer.writerows(zip(NEW_X, RATED, strict=True))
    out = tmp_path / "rated.hedge"
    code = main(["train", str(data), "--rating-cutoff", "3", "--from", str(base_path),
                 "--out", str(out)])  # fmt: skip
    assert code == 0, capsys.readouterr().err
    assert "rating" in read_manifest(out)["cv_metrics"]
    ratings = load_scorer(out).ratings(NEW_X)
    assert np.corrcoef(ratings, RATED)[0, 1] > 0.8
