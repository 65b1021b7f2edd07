"""Cues added to a trained model without retraining (load_scorer(extra_lexicon=...))."""

from __future__ import annotations

import pickle

import pytest

from classifier.errors import LexiconError
from classifier.io.archive import load_scorer
from classifier.model.weights import to_json

HEADER = "cue\tcategory\tweight\tnote\n"


def write_lexicon(directory, *rows: str):
    directory.mkdir()
    (directory / "mine.tsv").write_text(HEADER + "".join(row + "\n" for row in rows))
    return directory


@pytest.fixture(scope="module")
def bundled():
    return load_scorer()


def test_an_added_cue_is_found_and_scored_through_its_category(bundled, tmp_path):
    extra = write_lexicon(tmp_path / "extra", "iffy\tepistemic_adjective\t0.8\tour word")
    scorer = load_scorer(extra_lexicon=extra)
    sentence = "The second result is iffy."
    assert bundled.explain(sentence) == []  # the bundled model does not know the word
    [(cue, contribution)] = scorer.explain(sentence)
    assert (cue.text, cue.category, cue.kept) == ("iffy", "epistemic_adjective", True)
    assert scorer.is_added(cue) and "iffy" in scorer.added
    # its contribution is exactly what the model's weights give its category and prior,
    # and, as the sentence's one hedge, its hedge count and its words
    features, words = scorer.uncertain.features, scorer.uncertain.words
    expected = (
        features["cat=epistemic_adjective"]
        + features["prior"] * 0.8
        + features.get("cat=epistemic_adjective|prev=is", 0.0)
        + features.get("cat=epistemic_adjective|next=.", 0.0)
        + features.get("hedges=1", 0.0)
        + sum(words.get(w, 0.0) for w in ("the", "second", "result", "is", "iffy", "."))
    )
    assert contribution == pytest.approx(expected)
    assert contribution > 0
    [score] = scorer.score(sentence)
    assert score.label == "uncertain" and [c.text for c in score.cues] == ["iffy"]
    assert bundled.score(sentence)[0].label == "certain"


def test_added_cues_change_nothing_else(bundled, tmp_path):
    extra = write_lexicon(tmp_path / "extra", "iffy\tepistemic_adjective\t0.8\t")
    scorer = load_scorer(extra_lexicon=extra)
    text = "The protein may play a role. It binds to RAD51. Perhaps it does not."
    assert scorer.score(text) == bundled.score(text)
    assert not any(scorer.is_added(cue) for cue, _ in scorer.explain("It may rain."))
    assert bundled.added == frozenset()


def test_a_stronger_prior_weighs_more(tmp_path):
    weak = load_scorer(extra_lexicon=write_lexicon(tmp_path / "weak", "iffy\tdoubt\t0.2\t"))
    strong = load_scorer(extra_lexicon=write_lexicon(tmp_path / "strong", "iffy\tdoubt\t0.9\t"))
    sentence = "The result is iffy."
    assert strong.log_odds(sentence) > weak.log_odds(sentence)


def test_an_added_discontinuous_cue(tmp_path):
    extra = write_lexicon(tmp_path / "extra", "odds ... stacked against\tlow_probability\t0.7\t")
    scorer = load_scorer(extra_lexicon=extra)
    [score] = scorer.score("The odds of a quick deal are stacked against the union.")
    assert [c.text for c in score.cues] == ["odds ... stacked against"]


def test_an_entry_the_model_has_is_refused(tmp_path):
    extra = write_lexicon(tmp_path / "extra", "iffy\tdoubt\t0.5\t", "may\tmodal\t0.5\t")
    with pytest.raises(LexiconError, match=r"mine.tsv:3:cue: 'may' is already in the model"):
        load_scorer(extra_lexicon=extra)


def test_a_bad_extra_lexicon_names_file_and_line(tmp_path):
    extra = write_lexicon(tmp_path / "extra", "iffy\tvague\t0.5\t")
    with pytest.raises(LexiconError, match=r"mine.tsv:2:category"):
        load_scorer(extra_lexicon=extra)
    with pytest.raises(LexiconError, match="not a directory"):
        load_scorer(extra_lexicon=tmp_path / "missing")


def test_a_scorer_with_added_cues_is_not_saved_as_a_model(tmp_path):
    scorer = load_scorer(extra_lexicon=write_lexicon(tmp_path / "extra", "iffy\tdoubt\t0.5\t"))
    with pytest.raises(ValueError, match="added without retraining"):
        to_json(scorer)  # what a model's weights file holds
    again = pickle.loads(pickle.dumps(scorer))  # as joblib and Dask ship it
    assert again.added == scorer.added == frozenset({"iffy"})
    assert again.score("It is iffy.") == scorer.score("It is iffy.")


def test_the_front_door_takes_an_extra_lexicon(tmp_path):
    import classifier

    extra = write_lexicon(tmp_path / "extra", "iffy\tdoubt\t0.5\t")
    scorer = classifier.load(extra_lexicon=extra)
    assert scorer.added == frozenset({"iffy"})
    [(cue, _)] = scorer.explain("It is iffy.")
    assert cue.text == "iffy" and scorer.is_added(cue)
