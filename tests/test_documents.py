"""Document-level results: Scorer.score_document and DocumentScore."""

from __future__ import annotations

import math

import pytest

from classifier.io.archive import load_scorer
from classifier.model.results import DocumentScore

TEXT = (
    "The committee may delay its vote. Members met on Tuesday.\n\n"
    "Nobody knows whether the bridge will reopen. The river rose overnight."
)


@pytest.fixture(scope="module")
def scorer():
    return load_scorer()


def test_score_document_sums_up_the_sentences(scorer):
    scores = scorer.score(TEXT)
    doc = scorer.score_document(TEXT)
    assert doc.scores == tuple(scores)
    assert doc.sentences == len(scores) == 4
    uncertain = [s for s in scores if s.label == "uncertain"]
    assert doc.uncertain == len(uncertain) == 2
    assert doc.uncertain_share == 0.5
    assert doc.certainty == min(s.certainty for s in scores)
    assert doc.label == "uncertain"
    assert doc.categories == tuple(sorted({c.category for s in scores for c in s.cues}))
    assert "modal" in doc.categories


def test_a_firm_document_is_certain(scorer):
    doc = scorer.score_document("The river rose overnight. Members met on Tuesday.")
    assert (doc.label, doc.uncertain, doc.uncertain_share, doc.categories) == (
        "certain",
        0,
        0.0,
        (),
    )
    assert doc.certainty >= scorer.threshold


@pytest.mark.parametrize("text", ["", "   \n\n  "])
def test_a_document_without_sentences_has_no_certainty(scorer, text):
    doc = scorer.score_document(text)
    assert doc == DocumentScore(None, None, None, 0, 0, (), ())


def test_label_agrees_with_the_lowest_certainty(scorer):
    for text in [TEXT, "It rained.", "Perhaps it rained. It rained."]:
        doc = scorer.score_document(text)
        assert (doc.label == "uncertain") == (doc.certainty < scorer.threshold)
        assert not math.isnan(doc.uncertain_share)


def test_score_document_rejects_a_non_text(scorer):
    with pytest.raises(TypeError, match="text must be str"):
        scorer.score_document(None)


def test_a_stream_of_scores_without_keeping_them(scorer):
    scores = scorer.score(TEXT)
    streamed = DocumentScore.of(iter(scores), keep=False)
    assert streamed.scores == ()
    assert streamed.record() == DocumentScore.of(scores).record()
    assert streamed.record() == {
        "certainty": min(s.certainty for s in scores),
        "rating": min(s.rating for s in scores),
        "uncertain_share": 0.5,
        "label": "uncertain",
        "sentences": 4,
        "uncertain": 2,
        "categories": sorted({c.category for s in scores for c in s.cues}),
    }
