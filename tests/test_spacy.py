"""Tests of the spaCy component "hedge_certainty" (classifier.spacy)."""

from __future__ import annotations

import subprocess
import sys

import pytest

spacy = pytest.importorskip("spacy")

import classifier.spacy  # noqa: E402
from classifier.model import CertaintyClassifier  # noqa: E402
from classifier.spacy import HedgeCertainty  # noqa: E402

TEXT = (
    "The protein may play a role in DNA repair. It binds to RAD51.\n\n"
    "The chances of a recovery are slim. Perhaps it works. It works."
)


@pytest.fixture(scope="module")
def clf() -> CertaintyClassifier:
    return CertaintyClassifier.load()


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("hedge_certainty")
    return nlp


def check_doc(doc, clf) -> None:
    sentences = list(doc.sents)
    assert len(sentences) >= 2
    scores = clf.scorer_.score_sentences([s.text for s in sentences])
    for sentence, score in zip(sentences, scores, strict=True):
        assert sentence._.certainty == score.certainty
        assert sentence._.hedge_label == score.label
        assert sentence._.hedge_cues == tuple(c.shifted(sentence.start_char) for c in score.cues)
        for cue in sentence._.hedge_cues:
            assert doc.text[cue.start : cue.end].startswith(cue.text.split(" ... ")[0])
    assert doc._.certainty == min(score.certainty for score in scores)


def test_extensions_match_score_sentences(nlp, clf):
    doc = nlp(TEXT)
    check_doc(doc, clf)
    labels = [s._.hedge_label for s in doc.sents]
    assert labels.count("uncertain") == 3 and labels.count("certain") == 2
    cues = [c.text for s in doc.sents for c in s._.hedge_cues]
    assert "may" in cues and "chances ... are slim" in cues


def test_pipe_gives_the_same_values(nlp, clf):
    texts = [TEXT, "It may rain. The sky is blue.", "", "Fine. Good."] * 3
    piped = list(nlp.pipe(texts, batch_size=3))
    assert [d.text for d in piped] == texts
    for doc, text in zip(piped, texts, strict=True):
        alone = nlp(text)
        assert doc._.certainty == alone._.certainty
        got = [(s._.certainty, s._.hedge_label, s._.hedge_cues) for s in doc.sents]
        assert got == [(s._.certainty, s._.hedge_label, s._.hedge_cues) for s in alone.sents]
        if text:
            check_doc(doc, clf)
    assert piped[2]._.certainty is None  # no sentence


def test_other_pipelines_are_untouched(nlp):
    plain = spacy.blank("en")
    plain.add_pipe("sentencizer")
    doc = plain("It may rain. The sky is blue.")
    assert doc._.certainty is None
    assert [s._.hedge_label for s in doc.sents] == [None, None]


def test_needs_sentence_boundaries():
    nlp = spacy.blank("en")
    nlp.add_pipe("hedge_certainty")
    with pytest.raises(ValueError, match="sentencizer"):
        nlp("It may rain.")


def test_model_loaded_once_per_component(monkeypatch, clf):
    calls = []

    def load(path=None, *, trusted=False):
        calls.append((path, trusted))
        return clf.scorer_

    monkeypatch.setattr(classifier.spacy, "load_scorer", load)
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("hedge_certainty", config={"model": "my.joblib", "trusted": True})
    assert calls == [("my.joblib", True)]
    for _ in range(3):
        nlp("It may rain. The sky is blue.")
    list(nlp.pipe(["Perhaps.", "Surely."]))
    assert calls == [("my.joblib", True)]


def test_component_takes_a_fitted_model_or_its_scorer(clf):
    assert HedgeCertainty(model=clf).model is clf.scorer_
    assert HedgeCertainty(model=clf.scorer_).model is clf.scorer_
    with pytest.raises(ValueError, match="batch_size"):
        HedgeCertainty(model=clf, batch_size=0)


def test_import_classifier_does_not_import_spacy():
    code = (
        "import sys, classifier, classifier.model, classifier.report, classifier.pandas; "
        "print('spacy' in sys.modules, 'matplotlib' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "False"]
