"""The fused scoring path equals the reference: Analyzer + rules + Linear, compared with ==.

On whatever model is bundled (so a retrain cannot break them), on small models trained
here (with ratings, domains, without context or unigrams, with added cues), on every
sentence of every corpus in ../shared/data, and on generated sentences that trigger
every rule.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from classifier.cues.analysis import WORD
from classifier.cues.lexicon import BOOSTER, Lexicon, LexiconEntry
from classifier.io.archive import load_scorer
from classifier.model.estimator import CertaintyClassifier
from classifier.model.results import SentenceScore
from classifier.model.scorer import Scorer
from tests.corpus import LABELED_FIRM, LABELED_HEDGED

ROOT = Path(__file__).resolve().parents[1]
#: ../shared/data beside the repository (or beside the folder of a git worktree).
DATA = next(
    (
        p
        for p in (ROOT.parent / "shared" / "data", ROOT.parents[1] / "shared" / "data")
        if p.is_dir()
    ),
    ROOT.parent / "shared" / "data",
)


def reference(scorer: Scorer, text: str, offset: int = 0) -> SentenceScore:
    """Score one sentence as the scorer did before the fused path: the reference."""
    analysis = scorer.analyzer.analyze(text)
    log_odds = scorer.uncertain(analysis)
    if log_odds >= 0:
        certainty = 1.0 - 1.0 / (1.0 + math.exp(-log_odds))
    else:
        odds = math.exp(log_odds)
        certainty = 1.0 - odds / (1.0 + odds)
    contributions = scorer.uncertain.contributions(analysis)
    cues = tuple(
        cue
        for cue, weight in zip(analysis.cues_at(offset), contributions, strict=True)
        if cue.kept and cue.category != BOOSTER and weight > 0
    )
    return SentenceScore(
        text,
        offset,
        offset + len(text),
        certainty,
        "uncertain" if certainty < scorer.threshold else "certain",
        cues,
        None if scorer.rating is None else scorer.rating(analysis),
    )


def check_equal(scorer: Scorer, sentences: list[str], *, every_method: bool = True) -> None:
    """Assert that every fused output equals the reference's, sentence by sentence.

    ``scores`` always; with ``every_method`` also ``certainty``, ``ratings``, ``log_odds``.
    """
    expected = [reference(scorer, s, 7) for s in sentences]
    fused = list(scorer.scores([(s, 7) for s in sentences]))
    for want, got in zip(expected, fused, strict=True):
        assert got == want, want.text
    if not every_method:
        return
    assert scorer.certainty(sentences) == [s.certainty for s in expected]
    for sentence in sentences:
        assert scorer.log_odds(sentence) == scorer.uncertain(scorer.analyzer.analyze(sentence))
    if scorer.rating is not None:
        assert scorer.ratings(sentences) == [s.rating for s in expected]


# ---------------------------------------------------------------- generated sentences
#: Words that make every rule fire somewhere: negations and clause breaks, "May" the month,
#: "suggest" as propose or with a subjunctive, "suspect" the noun, questions, quotations,
#: false friends, boosters, typographic apostrophes and discontinuous cues.
RULE_WORDS = [
    "not", "no", "never", "n't", "isn't", "isn’t", "without", ",", ";", "but", "and", "that",
    "May", "may", "in", "2020", "of", "suggest", "suggested", "suggests", "visiting", "you",
    "to", "him", "staff", "work", "should", "had", "failed", "suspect", "suspects", "the",
    "police", "was", "we", "really", "actually", "truly", "?", ".", '"', "“", "”", "«", "»",
    "doubt", "certainly", "clearly", "sure", "almost", "chances", "are", "slim", "odds",
    "long", "might", "could", "possible", "likely", "unlikely", "whether", "or", "if",
    "it", "is", "military", "might", "perhaps", "reportedly", "according", "believe",
    "approximately", "remain", "unknown", "remains", "seen", "be", "to", "some", "people",
    "say", "unclear", "appear", "appears", "think", "DNA", "repair", "rain", "Dr.", "3.5",
]  # fmt: skip


def vocabulary(scorer: Scorer) -> list[str]:
    """Return the rule words and every word of the scorer's lexicon."""
    words = {w for e in scorer.lexicon.entries for part in e.parts for w in part}
    return sorted(words) + RULE_WORDS


def sentences_of(words: list[str]) -> st.SearchStrategy[str]:
    """Generate sentences of words from ``words`` and some others, in any case."""
    word = st.one_of(
        st.sampled_from(words),
        st.sampled_from(words).map(str.capitalize),
        st.sampled_from(words).map(str.upper),
        st.text(alphabet="abcXYZ-'’.é", min_size=1, max_size=5),
    )
    return st.lists(word, max_size=30).map(" ".join)


@pytest.fixture(scope="module")
def bundled() -> Scorer:
    return load_scorer()


@pytest.fixture(scope="module")
def trained() -> list[Scorer]:
    """Small models trained here: with ratings and two domains, without context, unigrams."""
    X = LABELED_HEDGED + LABELED_FIRM
    y = ["uncertain"] * len(LABELED_HEDGED) + ["certain"] * len(LABELED_FIRM)
    ratings = [2.0 + (i % 3) for i in range(len(LABELED_HEDGED))] + [5.5] * len(LABELED_FIRM)
    domains = ["bio", "news"] * (len(X) // 2) + ["bio"] * (len(X) % 2)
    with_all = CertaintyClassifier(min_df=1, cv=2).fit(X, y, ratings, domains=domains)
    plain = CertaintyClassifier(min_df=1, cv=2, context=False, unigrams=False).fit(X, y)
    return [with_all.to_scorer("bio"), with_all.to_scorer("news"), plain.to_scorer()]


def test_trained_models_have_what_the_fused_path_must_follow(trained: list[Scorer]) -> None:
    rated, _, plain = trained
    assert rated.rating is not None and rated.uncertain.words
    assert any("|prev=" in name for name in rated.uncertain.features)
    assert plain.rating is None and not plain.uncertain.words
    assert not any(name.startswith(WORD) for name in plain.uncertain.features)


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_fused_equals_reference_on_generated_sentences(
    data: st.DataObject, bundled: Scorer, trained: list[Scorer]
) -> None:
    for scorer in [bundled, *trained]:
        sentences = data.draw(st.lists(sentences_of(vocabulary(scorer)), max_size=4))
        check_equal(scorer, sentences)


def test_fused_equals_reference_with_added_cues(bundled: Scorer) -> None:
    extra = Lexicon(
        (
            LexiconEntry("mebbe", "approximator", 0.8, (("mebbe",),), "extra.tsv:2"),
            LexiconEntry("odds ... wafer", "low_probability", 0.9, (("odds",), ("wafer",)), "x:3"),
        )
    )
    scorer = bundled.with_lexicon(extra)
    sentences = [
        "It is mebbe broken.",
        "The odds of a deal look wafer thin, and it may rain.",
        "Nothing here.",
    ]
    check_equal(scorer, sentences)
    assert [c.text for c in scorer.score_sentences(sentences)[0].cues] == ["mebbe"]


def test_fused_equals_reference_on_rule_examples(bundled: Scorer) -> None:
    sentences = [
        "In May 2020 the plant closed.",
        "May it rain?",
        "He suggested that staff work from home.",
        "Data suggested that it had failed.",
        "Police arrested two suspects.",
        "We suspect a leak.",
        "Is it really safe?",
        "It is really safe.",
        "There is no doubt that it works.",
        "It is not certain, but it may work.",
        'He said "it may rain" and left.',
        "It isn’t clear whether the drug works.",
        "The chances of Moscow escalating the situation into an assault are slim.",
        "",
        "   ",
    ]
    check_equal(bundled, sentences)


# ---------------------------------------------------------------- every corpus sentence
def corpus_sentences() -> list[str]:
    texts: set[str] = set()
    for path in sorted(DATA.rglob("*.jsonl")):
        with open(path, encoding="utf-8") as f:
            for line in f:
                record = json.loads(line)
                text = record.get("text", record.get("finding"))
                if isinstance(text, str):
                    texts.add(text)
    return sorted(texts)


@pytest.mark.slow
@pytest.mark.skipif(not DATA.is_dir(), reason="../shared/data is not beside the repository")
def test_fused_equals_reference_on_every_corpus_sentence(
    bundled: Scorer, trained: list[Scorer]
) -> None:
    """Every distinct sentence, on the bundled model and a trained one with ratings."""
    sentences = corpus_sentences()
    assert len(sentences) > 50_000
    check_equal(bundled, sentences, every_method=False)
    check_equal(trained[0], sentences, every_method=False)
    assert bundled.certainty(sentences) == [reference(bundled, s).certainty for s in sentences]
