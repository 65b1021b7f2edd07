"""The fused scoring path: the analyser's features and the weights in one pass per sentence.

:class:`~classifier.cues.analysis.Analyzer` lists a sentence's features by name and
:class:`~classifier.model.scorer.Linear` looks each name up; both stay the reference (training,
``explain``). :class:`FusedScorer` computes the same sums without naming the features:
built once per model, it holds each feature's weights for the certainty and the rating
model as one pair, and a sentence without a cue anchor word costs one ``findall`` and
one ``isdisjoint``. The terms of a sentence are the reference's terms, added with
:func:`math.fsum`, which is exact whatever their order: the results are equal to the
reference's (``==``), as ``tests/test_fast.py`` checks on every corpus sentence.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Final

from classifier.cues.lexicon import BOOSTER
from classifier.cues.matcher import CueMatcher
from classifier.cues.rules import Verdict, clause_of, judge
from classifier.text.tokens import words_of

if TYPE_CHECKING:
    from classifier.model.linear import Linear

__all__ = [
    "FusedScorer", "Sums", "bounded", "certainty_of"]

#: No weight, for a feature that one of the two models (or both) lacks.
NONE: Final = (0.0, 0.0)


def certainty_of(log_odds: float) -> float:
    """Return P(certain) from the log-odds of uncertain, without overflow.

    Examples
    --------
    >>> certainty_of(0.0)
    0.5
    """
    if log_odds >= 0:
        return 1.0 - 1.0 / (1.0 + math.exp(-log_odds))
    odds = math.exp(log_odds)
    return 1.0 - odds / (1.0 + odds)


class Sums:
    """The scores of one sentence on the fused path.

    Attributes
    ----------
    log_odds : float
        Log-odds that the sentence is uncertain.
    rating : float or None
        The rating model's value, when there is one and it was asked for.
    verdicts : list of Verdict
        The matched cues, as :func:`classifier.cues.rules.judge` gives them.
    contributions : list of float or None
        For each verdict that is a kept hedge, its contribution to ``log_odds``, as
        :meth:`classifier.model.scorer.Linear.contributions` gives it; None for the others.
    """

    __slots__ = ("log_odds", "rating", "verdicts", "contributions")

    def __reduce__(self) -> tuple[type[Sums], tuple[object, ...]]:
        """Pickle by the constructor's arguments, in both builds (see ``classifier.compiled``)."""
        return Sums, (self.log_odds, self.rating, self.verdicts, self.contributions)

    def __init__(
        self,
        log_odds: float,
        rating: float | None,
        verdicts: list[Verdict],
        contributions: list[float | None],
    ) -> None:
        self.log_odds = log_odds
        self.rating = rating
        self.verdicts = verdicts
        self.contributions = contributions


def bounded(value: float, bounds: tuple[float, float] | None) -> float:
    """Return ``value`` moved into ``bounds`` (least, greatest); as it is for None.

    A rating model's value stays in the range of the ratings it was trained on.

    >>> bounded(5.7, (1.0, 5.0)), bounded(0.3, (1.0, 5.0)), bounded(3.2, None)
    (5.0, 1.0, 3.2)
    """
    if bounds is None:
        return value
    return min(max(value, bounds[0]), bounds[1])


def _pairs(uncertain: dict[str, float], rating: dict[str, float]) -> dict[str, tuple[float, float]]:
    """Return each key's (uncertain, rating) weights, 0.0 where one model lacks it."""
    return {key: (uncertain.get(key, 0.0), rating.get(key, 0.0)) for key in {*uncertain, *rating}}


class FusedScorer:
    """Compute a sentence's log-odds and rating as the analyser and ``Linear`` do, fused.

    Parameters
    ----------
    matcher : CueMatcher
        The reference analyser's matcher of the model's lexicon (with any added entries).
    settings : dict
        The featurizer's ``context`` and ``unigrams``.
    uncertain : Linear
        Log-odds that a sentence is uncertain.
    rating : Linear or None
        The graded rating.
    """

    def __init__(
        self,
        matcher: CueMatcher,
        settings: dict[str, object],
        uncertain: Linear,
        rating: Linear | None,
    ) -> None:
        self.arguments = (matcher, settings, uncertain, rating)
        self.matcher = matcher
        self.anchors = matcher.cue_anchors
        self.context = bool(settings["context"])
        self.unigrams = bool(settings["unigrams"])
        self.has_rating = rating is not None
        self.rating_bounds = rating.bounds if rating is not None else None
        r_features = rating.features if rating is not None else {}
        r_words = rating.words if rating is not None else {}
        self.features = _pairs(uncertain.features, r_features)
        self.u_words, self.r_words = uncertain.words, r_words
        self.intercepts = (uncertain.intercept, rating.intercept if rating is not None else 0.0)
        prior = self.features.get("prior", NONE)
        # per entry: its cue= weights and its prior term, as the reference multiplies it
        self.entries = {
            e.cue: (
                self.features.get(f"cue={e.cue}", NONE),
                (prior[0] * e.weight, prior[1] * e.weight),
            )
            for e in matcher.entries
        }
        # a sentence without a hedge has only "hedges=0" and the intercept
        plain = self.features.get("hedges=0", NONE)
        self.plain = (
            math.fsum([plain[0] * 1.0, self.intercepts[0]]),
            bounded(math.fsum([plain[1] * 1.0, self.intercepts[1]]), self.rating_bounds)
            if self.has_rating
            else None,
        )

    def __reduce__(
        self,
    ) -> tuple[type[FusedScorer], tuple[CueMatcher, dict[str, object], Linear, Linear | None]]:
        """Pickle by the constructor's arguments, in both builds (see ``classifier.compiled``)."""
        return FusedScorer, self.arguments

    def log_odds(self, text: str) -> float:
        """Return the log-odds that ``text``, one sentence, is uncertain."""
        words = words_of(text)
        if self.anchors.isdisjoint(words):
            return self.plain[0]
        return self.sums(text, words, False).log_odds

    def sums(self, text: str, words: list[str], full: bool) -> Sums:
        """Return the scores of one sentence whose tokens are ``words``.

        Without ``full``, only ``log_odds``; with it, also the rating and each kept
        hedge's contribution to the log-odds.
        """
        log_odds, rating = self.plain
        if self.anchors.isdisjoint(words):
            return Sums(log_odds, rating, [], [])
        matches, false_friends, negators = self.matcher.find(words)
        if not matches:
            return Sums(log_odds, rating, [], [])
        verdicts = judge(text, words, matches, false_friends, negators)
        features = self.features
        pairs = [self.intercepts]
        shares: list[float | None] = []
        hedges = 0
        for verdict in verdicts:
            if verdict.kept and verdict.category != BOOSTER:
                hedges += 1
        n = len(words)
        for verdict in verdicts:
            entry = verdict.match.entry.cue
            if not verdict.kept:
                pairs.append(features.get(f"dropped={entry}", NONE))
                shares.append(None)
                continue
            category = verdict.category
            if category == BOOSTER:
                if not hedges:  # a booster never cancels a hedge
                    pairs.append(features.get(f"booster={entry}", NONE))
                shares.append(None)
                continue
            cue, prior = self.entries[entry]
            own = [cue, features.get(f"cat={category}", NONE), prior]
            if self.context:
                first, last = verdict.match.first, verdict.match.last
                prev = words[first - 1] if first > 0 else "<s>"
                after = words[last + 1] if last + 1 < n else "</s>"
                own.append(features.get(f"cue={entry}|prev={prev}", NONE))
                own.append(features.get(f"cue={entry}|next={after}", NONE))
                own.append(features.get(f"cat={category}|prev={prev}", NONE))
                own.append(features.get(f"cat={category}|next={after}", NONE))
                clause = clause_of(words, first)
                if clause:
                    own.append(features.get(f"cat={category}|clause={clause}", NONE))
            if verdict.negated:
                own.append(features.get(f"cue={entry}|negated", NONE))
            if verdict.quoted:
                own.append(features.get(f"cat={category}|quoted", NONE))
            pairs.extend(own)
            if full:
                total = 0.0
                for u, _ in own:  # in the reference's order: a plain sum is not exact
                    total += u
                shares.append(total)
            else:
                shares.append(None)
        count = features.get(f"hedges={min(hedges, 3)}", NONE)
        pairs.append(count)
        u_terms = [u for u, _ in pairs]
        unigrams: set[str] = set(words) if hedges and self.unigrams else set()
        if unigrams:
            u_weights = self.u_words
            u_words = [u_weights.get(word, 0.0) for word in unigrams]
            u_terms.extend(u_words)
        if full and hedges:
            # each kept hedge's equal share of its words and the hedge count, as
            # Linear.contributions gives it
            share = math.fsum([*u_words, count[0]] if unigrams else [count[0]]) / hedges
            shares = [None if own is None else own + share for own in shares]
        if not (full and self.has_rating):
            return Sums(math.fsum(u_terms), None, verdicts, shares)
        r_terms = [r for _, r in pairs]
        if unigrams:
            r_weights = self.r_words
            r_terms.extend([r_weights.get(word, 0.0) for word in unigrams])
        rating = bounded(math.fsum(r_terms), self.rating_bounds)
        return Sums(math.fsum(u_terms), rating, verdicts, shares)

    def certainties(self, sentences: list[str]) -> list[float]:
        """Return P(certain) of each sentence."""
        plain = certainty_of(self.plain[0])
        anchors = self.anchors
        out = []
        for text in sentences:
            words = words_of(text)
            if anchors.isdisjoint(words):
                out.append(plain)
            else:
                out.append(certainty_of(self.sums(text, words, False).log_odds))
        return out
