"""Which kind of uncertainty a hedge cue expresses: its type.

A cue is ``epistemic`` (may, probably), ``doxastic`` (believe, think), ``investigation``
(whether, examine), ``condition`` (if, unless), ``attribution`` (some say, it is
claimed: the guideline's rule 2) or ``low_probability`` (unlikely, the chances are
slim). A :class:`CueTyper` is a multinomial model over the cue's entry, its lexicon
category and its neighbouring words, learned from the training corpora's cue types;
it works from the reference :class:`~classifier.cues.analysis.Analysis` and needs no
scikit-learn.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from classifier.cues.analysis import Analysis, Analyzer
from classifier.cues.lexicon import BOOSTER
from classifier.model.multinomial import Multinomial, fit_multinomial
from classifier.text.tokens import words_of

__all__ = ["SZEGED_TYPES", "TYPES", "CueTyper", "cue_features", "hedge_indices", "train_cue_types"]

#: The cue types, in the order results list them.
TYPES = ("epistemic", "doxastic", "investigation", "condition", "attribution", "low_probability")
#: The Szeged Uncertainty Corpus cue types (wiki, FactBank, bio) as ours.
SZEGED_TYPES = {
    "speculation_modal_probable": "epistemic",
    "speculation_modal_possible": "epistemic",
    "speculation_hypo_doxastic": "doxastic",
    "speculation_hypo_investigation": "investigation",
    "speculation_hypo_condition": "condition",
}


def hedge_indices(analysis: Analysis) -> list[int]:
    """Return the indices in ``analysis.verdicts`` of its kept hedge cues (not boosters)."""
    return [i for i, v in enumerate(analysis.verdicts) if v.kept and v.category != BOOSTER]


def cue_features(analysis: Analysis, index: int, words: Sequence[str]) -> list[str]:
    """Return the type features of the cue ``analysis.verdicts[index]``.

    ``words`` are the sentence's words (:func:`classifier.text.tokens.words_of`).
    """
    verdict = analysis.verdicts[index]
    first, last = verdict.match.first, verdict.match.last
    prev = words[first - 1] if first > 0 else "<s>"
    after = words[last + 1] if last + 1 < len(words) else "</s>"
    entry = verdict.match.entry.cue
    features = [
        f"entry={entry}",
        f"cat={verdict.category}",
        f"cat={verdict.category}|prev={prev}",
        f"cat={verdict.category}|next={after}",
        f"entry={entry}|next={after}",
        f"head={words[first]}",
    ]
    if verdict.negated:
        features.append(f"cat={verdict.category}|negated")
    return features


@dataclass(frozen=True)
class CueTyper:
    """Give each kept hedge cue of a sentence its type.

    Attributes
    ----------
    model : Multinomial
        Classes are types of :data:`TYPES`.
    """

    model: Multinomial

    def types(self, analysis: Analysis) -> list[str | None]:
        """Return the type of each verdict of ``analysis``; None for boosters and dropped cues."""
        types: list[str | None] = [None] * len(analysis.verdicts)
        hedges = hedge_indices(analysis)
        if not hedges:
            return types
        words = words_of(analysis.text)
        predict = self.model.predict
        for i in hedges:
            types[i] = predict(cue_features(analysis, i, words))[0]
        return types

    def to_dict(self) -> dict[str, Any]:
        """Return the typer as JSON data."""
        return self.model.to_dict()

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CueTyper:
        """Read a typer written by :meth:`to_dict`.

        Raises
        ------
        ValueError
            For a class that is not a type of :data:`TYPES`.
        """
        model = Multinomial.from_dict(data)
        unknown = set(model.classes) - set(TYPES)
        if unknown:
            raise ValueError(f"unknown cue types {sorted(unknown)}; expected {TYPES}")
        return cls(model)


def labeled_cues(
    analyzer: Analyzer, text: str, gold: Iterable[tuple[int, int, str]]
) -> list[tuple[list[str], str]]:
    """Return ``(features, type)`` of each found hedge cue that overlaps a gold cue span.

    ``gold`` holds ``(start, end, type)`` character spans of the sentence's annotated
    cues, types already in :data:`TYPES`. A found cue that overlaps none is left out.
    """
    gold = list(gold)
    analysis = analyzer.analyze(text)
    hedges = hedge_indices(analysis)
    if not hedges or not gold:
        return []
    words = words_of(text)
    cues = analysis.cues
    examples = []
    for i in hedges:
        cue = cues[i]
        overlapping = [t for s, e, t in gold if s < cue.end and cue.start < e]
        if overlapping:
            examples.append((cue_features(analysis, i, words), overlapping[0]))
    return examples


def train_cue_types(
    analyzer: Analyzer,
    sentences: Iterable[tuple[str, Sequence[tuple[int, int, str]]]],
    *,
    C: float = 1.0,
) -> CueTyper | None:
    """Learn cue types from sentences with typed cue spans (needs scikit-learn).

    Parameters
    ----------
    analyzer : Analyzer
        The model's analyzer, so cues are found as at scoring time.
    sentences : iterable of (str, sequence of (start, end, type))
        Each sentence and its annotated cues; a type outside :data:`TYPES` is an error.
    C : float, default=1.0
        Inverse regularization strength.

    Returns
    -------
    CueTyper or None
        None when the found cues have fewer than two types between them.

    Raises
    ------
    ValueError
        For an unknown type, naming it and the sentence's index.
    """
    rows, labels = [], []
    for index, (text, gold) in enumerate(sentences):
        for _, _, kind in gold:
            if kind not in TYPES:
                raise ValueError(f"sentence {index}: unknown cue type {kind!r}; expected {TYPES}")
        for features, kind in labeled_cues(analyzer, text, gold):
            rows.append(features)
            labels.append(kind)
    if len(set(labels)) < 2:
        return None
    return CueTyper(fit_multinomial(rows, labels, C=C, balanced=False))
