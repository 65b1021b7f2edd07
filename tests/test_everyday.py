"""Everyday English: the rules for the phenomena of the guideline, domain training, and the
bundled model on the day-one sentences (tests/test_everyday.py)."""

import numpy as np
import pytest

from classifier.cues.lexicon import load_lexicon
from classifier.cues.matcher import CueMatcher
from classifier.cues.rules import is_question, judge, suggest_subjunctive, suspect_as_noun
from classifier.model.estimator import CertaintyClassifier
from classifier.text.tokens import tokenize

BUNDLED = load_lexicon()


def kept_cues(text: str) -> list[str]:
    words, spans = tokenize(text)
    matches, friends, negators = CueMatcher(BUNDLED).find(words)
    return [
        v.match.entry.cue
        for v in judge(text, words, matches, friends, negators)
        if v.kept and v.category != "booster"
    ]


@pytest.mark.parametrize(
    ("words", "first", "expected"),
    [
        (["suggested", "that", "she", "be", "promoted"], 0, True),
        (["they", "suggested", "that", "we", "should", "wait"], 1, True),
        (["suggest", "that", "staff", "work"], 0, True),  # at the sentence start
        (["the", "results", "suggest", "that", "cells", "are", "dying"], 2, False),
        (["it", "suggested", "that", "the", "plan", "failed"], 1, False),
        (["suggested", "that"], 0, False),  # at the sentence end
        (["suggested", "the", "plan", "work"], 0, False),  # no "that": left to the model
    ],
)
def test_suggest_subjunctive(words, first, expected):
    assert suggest_subjunctive(words, first) is expected


@pytest.mark.parametrize(
    ("words", "first", "expected"),
    [
        (["the", "suspect", "fled"], 1, True),
        (["suspects", "were", "held"], 0, True),  # at the sentence start
        (["police", "questioned", "the", "suspects"], 3, True),  # at the end
        (["i", "suspect", "the", "suspect", "lied"], 1, False),  # repeated token, verb first
        (["i", "suspect", "the", "suspect", "lied"], 3, True),
        (["we", "suspect", "fraud"], 1, False),
    ],
)
def test_suspect_as_noun(words, first, expected):
    assert suspect_as_noun(words, first) is expected


def test_is_question():
    assert is_question(["really", "?"])
    assert not is_question(["really", "."])
    assert not is_question([])


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("The odds of a rate cut in June are very low.", "odds ... low"),
        ("Nobody can say when the bridge will reopen.", "nobody can say"),
        ("Chances are the store is already closed.", "chances are"),
        ("Is the vaccine really safe for children?", "really"),
        ("The prospects for a deal look dim.", "prospects ... dim"),
        ("There is only a slim chance of rain.", "slim chance"),
        ("Officials did not rule out a second vote.", "did not rule out"),
    ],
)
def test_everyday_hedges_are_found_and_kept(text, cue):
    assert cue in kept_cues(text)


@pytest.mark.parametrize(
    "text",
    [
        "The gel may be applied twice a day.",
        "The manager suggested that staff work from home on Fridays.",
        "The suspect was arrested on Friday.",
        "It was really good.",
        "The judge found probable cause for the search.",
        "She assumed office in January.",
        "He appeared in court on Monday.",
    ],
)
def test_everyday_false_friends_keep_no_hedge(text):
    assert kept_cues(text) == []


def corpus():
    hedged = ["It may rain.", "The plan might fail.", "Prices could rise.", "It is possibly true."]
    firm = ["It rained.", "The plan failed.", "Prices rose.", "It is true."]
    texts = (hedged + firm) * 5
    labels = (["uncertain"] * 4 + ["certain"] * 4) * 5
    return texts, labels


def test_domains_learn_one_convention_each():
    texts, labels = corpus()
    # in domain "b", "could" is no hedge: its convention differs from "a"'s
    b_labels = [
        "certain" if "could" in t else label for t, label in zip(texts, labels, strict=True)
    ]
    clf = CertaintyClassifier(min_df=1, C=10.0, convention="a", cv=2).fit(
        texts + texts, labels + b_labels, domains=["a"] * len(texts) + ["b"] * len(texts)
    )
    assert clf.domains_ == ["a", "b"]
    sentence = ["Prices could rise."]
    a = clf.to_scorer("a").certainty(sentence)[0]
    b = clf.to_scorer("b").certainty(sentence)[0]
    assert a < b
    assert clf.scorer_.certainty(sentence)[0] == pytest.approx(a)  # the model predicts with "a"
    assert set(clf.thresholds_) == {"a", "b", "shared"}
    shared = clf.to_scorer("shared").certainty(sentence)[0]
    assert a < shared < b  # what the two conventions share lies between them
    with pytest.raises(ValueError, match="unknown convention 'c'"):
        clf.to_scorer("c")


def test_domain_and_group_arguments_are_checked():
    texts, labels = corpus()
    with pytest.raises(ValueError, match="domains"):
        CertaintyClassifier(min_df=1).fit(texts, labels, domains=["a"])
    with pytest.raises(ValueError, match="groups"):
        CertaintyClassifier(min_df=1, cv=2).fit(texts, labels, groups=["g"])
    with pytest.raises(ValueError, match="convention 'x'"):
        CertaintyClassifier(min_df=1, convention="x").fit(texts, labels, domains=["a"] * len(texts))


def test_groups_keep_a_document_in_one_fold():
    from classifier.model.estimator import _folds

    labels = np.array(["certain", "uncertain"] * 10, dtype=object)
    domain = np.array(["a"] * 20, dtype=object)
    groups = [i // 4 for i in range(20)]
    for train, test in _folds(labels, domain, groups, 5, 0):
        assert not {groups[i] for i in train} & {groups[i] for i in test}


def test_threshold_is_the_middle_of_the_plateau():
    from classifier.model.estimator import THRESHOLD_GRID, _plateau

    uncertain = np.array([True, True, False, False])
    certainty = np.array([0.1, 0.2, 0.9, 0.95])
    threshold, f1 = _plateau(uncertain, certainty)
    assert f1 == 1.0
    perfect = [t for t in THRESHOLD_GRID if t > 0.2 and t <= 0.9]
    assert threshold == pytest.approx(perfect[len(perfect) // 2])


# ---------------------------------------------------------------- the bundled model


@pytest.fixture(scope="module")
def scorer():
    return CertaintyClassifier.load().scorer_


@pytest.mark.parametrize(
    "text",
    [
        "The new therapy could reverse the damage.",
        "The odds of a rate cut in June are very low.",
        "Nobody can say when the bridge will reopen.",
        "The senator reportedly plans to retire.",
        "Critics say the plan is unaffordable.",
        "Chances are the store is already closed.",
        "Is the vaccine really safe for children?",
        "Western officials said the chances of Moscow escalating the situation into an "
        "assault are slim.",
    ],
)
def test_day_one_hedges_are_uncertain(scorer, text):
    (score,) = scorer.score_sentences([text])
    assert score.label == "uncertain"
    assert score.cues  # every uncertain verdict names a cue


@pytest.mark.parametrize(
    "text",
    [
        "The gel may be applied twice a day.",
        "The manager suggested that staff work from home on Fridays.",
        "Russia annexed Crimea from Ukraine in 2014.",
    ],
)
def test_day_one_firm_sentences_are_certain(scorer, text):
    assert scorer.score_sentences([text])[0].label == "certain"


def test_graded_output_orders_like_a_reader(scorer):
    ratings = scorer.ratings(
        [
            "The chances that the ferry runs tomorrow are slim.",
            "The ferry may run tomorrow.",
            "The ferry will likely run tomorrow.",
            "The ferry runs tomorrow.",
        ]
    )
    assert ratings == sorted(ratings)


def test_each_convention_loads_from_the_model_archive(tmp_path):
    from classifier.errors import ModelLoadError
    from classifier.io.archive import load_scorer

    texts, labels = corpus()
    clf = CertaintyClassifier(min_df=1, C=10.0, convention="a", cv=2).fit(
        texts + texts, labels + labels, domains=["a"] * len(texts) + ["b"] * len(texts)
    )
    path = clf.save(tmp_path / "m.hedge")
    sentence = ["Prices could rise."]
    for convention in ("a", "b", "shared", None):
        expected = clf.to_scorer(convention).certainty(sentence)
        assert load_scorer(path, convention=convention).certainty(sentence) == expected
    with pytest.raises(ModelLoadError, match="no convention 'c'; this model has a, b, shared"):
        load_scorer(path, convention="c")
