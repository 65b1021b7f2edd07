"""What one sentence's cues are and which features they make: the reference definition.

Every feature belongs either to one cue (so its weight explains that cue) or to the
sentence as a whole. Nothing here imports scikit-learn: training
(:mod:`classifier.model.features`), explanations and the opt-in outputs of
:mod:`classifier.model.scorer` use it. :mod:`classifier.cues.fast` is a second, fused copy
of the same features and their sum, for speed; ``tests/test_fast.py`` proves the two equal.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from classifier.cues.lexicon import BOOSTER, Lexicon
from classifier.cues.matcher import Cue, CueMatcher
from classifier.cues.rules import Verdict, clause_of, judge
from classifier.text.tokens import tokenize, words_of

__all__ = ["NO_HEDGES", "SENTENCE", "WORD", "Analysis", "Analyzer", "check_sentences"]

#: Owner of a feature that belongs to the whole sentence, not to one cue.
SENTENCE = -1
#: Prefix of word (unigram) features.
WORD = "word="
#: The feature of a sentence without a kept hedge cue.
NO_HEDGES = "hedges=0"


@dataclass(frozen=True, slots=True)
class Analysis:
    """Everything the analyzer saw in one sentence.

    Attributes
    ----------
    text : str
        The sentence.
    verdicts : list of Verdict
        Every matched hedge and booster cue, kept or discarded, in text order.
    features : list of tuple
        ``(name, value, owner)``: ``owner`` is the index of the cue in ``verdicts`` the
        feature belongs to, or :data:`SENTENCE`.
    words : set of str
        The sentence's distinct tokens when the analyzer uses unigrams and the sentence
        has a kept hedge cue, else empty; those that start with a letter are its ``word=``
        features. A sentence without a hedge cue has no word features, so the model can
        call it uncertain only through a cue it can name.
    """

    text: str
    verdicts: list[Verdict]
    features: list[tuple[str, float, int]]
    words: set[str]

    @property
    def cues(self) -> list[Cue]:
        """Return the verdicts as cues, with character offsets in ``text``."""
        return self.cues_at(0)

    def cues_at(self, offset: int) -> list[Cue]:
        """Return the verdicts as cues, with character offsets in ``text`` moved by ``offset``."""
        if not self.verdicts:
            return []
        spans = tokenize(self.text)[1]
        return [verdict.cue(self.text, spans, offset) for verdict in self.verdicts]

    def feature_names(self) -> set[str]:
        """Return the names of all features of the sentence."""
        return {name for name, _, _ in self.features} | {
            WORD + w for w in self.words if w[0].isalpha()
        }


class Analyzer:
    """Find a sentence's cues, judge them with the rules, and list its features.

    Parameters
    ----------
    lexicon : Lexicon
        The cues.
    max_gap : int
        Most words between the pieces of a discontinuous cue.
    context : bool
        Add each cue's (and its category's) previous and next word as features, to tell
        "or" in "whether ... or" from "or" in a list, and its category's place in the
        clause (:func:`~classifier.cues.rules.clause_of`).
    unigrams : bool
        Add the words of sentences that have a kept hedge cue as features.
    """

    def __init__(self, lexicon: Lexicon, max_gap: int, context: bool, unigrams: bool) -> None:
        self.matcher = CueMatcher(lexicon, max_gap)
        self.context = context
        self.unigrams = unigrams

    def analyze(self, sentence: str) -> Analysis:
        """Return the :class:`Analysis` of one sentence."""
        words = words_of(sentence)
        matches, false_friends, negators = self.matcher.find(words)
        if not matches:
            return Analysis(sentence, [], [(NO_HEDGES, 1.0, SENTENCE)], set())
        verdicts = judge(sentence, words, matches, false_friends, negators)
        features: list[tuple[str, float, int]] = []
        add = features.append
        hedges = [i for i, c in enumerate(verdicts) if c.kept and c.category != BOOSTER]
        n = len(words)
        for i, cue in enumerate(verdicts):
            entry = cue.match.entry.cue
            if not cue.kept:
                add((f"dropped={entry}", 1.0, i))
                continue
            if cue.category == BOOSTER:
                if not hedges:  # a booster never cancels a hedge
                    add((f"booster={entry}", 1.0, i))
                continue
            add((f"cue={entry}", 1.0, i))
            add((f"cat={cue.category}", 1.0, i))
            add(("prior", cue.match.entry.weight, i))
            if self.context:
                first, last = cue.match.first, cue.match.last
                prev = words[first - 1] if first > 0 else "<s>"
                after = words[last + 1] if last + 1 < n else "</s>"
                add((f"cue={entry}|prev={prev}", 1.0, i))
                add((f"cue={entry}|next={after}", 1.0, i))
                add((f"cat={cue.category}|prev={prev}", 1.0, i))
                add((f"cat={cue.category}|next={after}", 1.0, i))
                clause = clause_of(words, first)
                if clause:
                    add((f"cat={cue.category}|clause={clause}", 1.0, i))
            if cue.negated:
                add((f"cue={entry}|negated", 1.0, i))
            if cue.quoted:
                add((f"cat={cue.category}|quoted", 1.0, i))
        add((f"hedges={min(len(hedges), 3)}", 1.0, SENTENCE))
        unigrams = set(words) if self.unigrams and hedges else set()
        return Analysis(sentence, verdicts, features, unigrams)


def check_sentences(sentences: Any) -> list[str]:
    """Check that ``sentences`` is an iterable of str and return it as a list.

    Raises
    ------
    TypeError
        For a bare ``str`` or ``bytes``, or an item that is not ``str``, naming its index.
    """
    if isinstance(sentences, (str, bytes)):
        raise TypeError(
            "Iterable over raw text sentences expected, "
            f"{type(sentences).__name__} object received."
        )
    if isinstance(sentences, Mapping) or getattr(sentences, "ndim", 1) != 1:
        raise TypeError(
            f"a one-dimensional sequence of sentences expected, {type(sentences).__name__} "
            "received; pass one column, e.g. frame['text']"
        )
    try:
        items = list(sentences)
    except TypeError:
        raise TypeError(
            f"Iterable over raw text sentences expected, {type(sentences).__name__} received."
        ) from None
    for i, item in enumerate(items):
        if not isinstance(item, str):
            raise TypeError(f"sentence {i} is {type(item).__name__}, expected str")
    return items
