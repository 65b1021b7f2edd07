"""What scoring returns: the verdict on a sentence and on a whole text."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from classifier.cues.matcher import Cue
from classifier.model.aspects import AspectScore
from classifier.model.labels import CERTAIN, UNCERTAIN

__all__ = ["DocumentScore", "SentenceScore"]


@dataclass(frozen=True, slots=True)
class SentenceScore:
    """The verdict on one sentence.

    Attributes
    ----------
    text : str
        The sentence.
    start, end : int
        Its character offsets in the scored text: ``text == scored[start:end]``.
    certainty : float
        The model's probability that the sentence is certain, in [0, 1].
    label : str
        ``"uncertain"`` when ``certainty`` is below the model's threshold, else
        ``"certain"``.
    cues : tuple of Cue
        The hedge cues that pushed the sentence toward uncertain, with offsets in the
        scored text.
    rating : float or None
        The predicted graded certainty rating (1 uncertain to 6 certain for the bundled
        model), when the model was trained with ratings.
    types : tuple of str
        The types of its cues, each once, in the order of
        :data:`~classifier.model.cuetypes.TYPES`; empty unless the scorer gives types.
    aspects : tuple of AspectScore
        The judgment on each aspect (:mod:`classifier.model.aspects`); empty unless the scorer
        gives aspects.
    """

    text: str
    start: int
    end: int
    certainty: float
    label: str
    cues: tuple[Cue, ...]
    rating: float | None = None
    types: tuple[str, ...] = ()
    aspects: tuple[AspectScore, ...] = ()

    def shifted(self, offset: int) -> SentenceScore:
        """Return the score with its and its cues' character offsets moved by ``offset``."""
        if not offset:
            return self
        return SentenceScore(
            self.text,
            self.start + offset,
            self.end + offset,
            self.certainty,
            self.label,
            tuple([cue.shifted(offset) for cue in self.cues]),
            self.rating,
            self.types,
            self.aspects,
        )


@dataclass(frozen=True, slots=True)
class DocumentScore:
    """The verdict on a whole text: what its sentences' verdicts add up to.

    A document has no certainty of its own: it is described by two numbers that answer
    different questions, both computed from its sentences' scores. ``uncertain_share``
    says how much of the text is hedged; ``certainty`` says how hedged its most hedged
    sentence is. A text without a sentence (empty or blank) has ``sentences == 0`` and
    None for both, and for ``label``.

    Attributes
    ----------
    certainty : float or None
        The lowest certainty of its sentences.
    uncertain_share : float or None
        The share of its sentences labeled uncertain, in [0, 1].
    label : str or None
        ``"uncertain"`` if any sentence is (the same as ``certainty`` below the
        threshold), else ``"certain"``.
    sentences : int
        Number of sentences.
    uncertain : int
        Number of uncertain sentences.
    categories : tuple of str
        The categories of the cues of its sentences, each once, sorted.
    scores : tuple of SentenceScore
        The sentences' scores, with offsets into the text.
    rating : float or None
        The lowest graded rating of its sentences; None without sentences or ratings.
    """

    certainty: float | None
    uncertain_share: float | None
    label: str | None
    sentences: int
    uncertain: int
    categories: tuple[str, ...]
    scores: tuple[SentenceScore, ...] = ()
    rating: float | None = None

    def record(self) -> dict[str, Any]:
        """Return the fields other than ``scores``, as a dict for JSON or a table row.

        Examples
        --------
        >>> DocumentScore.of([]).record()["sentences"]
        0
        """
        return {
            "certainty": self.certainty,
            "rating": self.rating,
            "uncertain_share": self.uncertain_share,
            "label": self.label,
            "sentences": self.sentences,
            "uncertain": self.uncertain,
            "categories": list(self.categories),
        }

    @classmethod
    def of(cls, scores: Iterable[SentenceScore], *, keep: bool = True) -> DocumentScore:
        """Return the verdict on a text whose sentences scored ``scores``.

        ``scores`` is read once; with ``keep=False`` the result's ``scores`` is empty and
        a stream of any length is summed up in bounded memory.

        Examples
        --------
        >>> DocumentScore.of([]).label is None
        True
        """
        kept: list[SentenceScore] = []
        count = uncertain = 0
        lowest = lowest_rating = math.inf
        categories: set[str] = set()
        for score in scores:
            count += 1
            uncertain += score.label == UNCERTAIN
            lowest = min(lowest, score.certainty)
            if score.rating is not None:
                lowest_rating = min(lowest_rating, score.rating)
            categories.update(cue.category for cue in score.cues)
            if keep:
                kept.append(score)
        if not count:
            return cls(None, None, None, 0, 0, (), ())
        return cls(
            certainty=lowest,
            uncertain_share=uncertain / count,
            label=UNCERTAIN if uncertain else CERTAIN,
            sentences=count,
            uncertain=uncertain,
            categories=tuple(sorted(categories)),
            scores=tuple(kept),
            rating=None if lowest_rating == math.inf else lowest_rating,
        )
