"""Scoring with a trained model's weights: plain Python, no scikit-learn.

A :class:`Scorer` holds a model's lexicon, its :class:`~classifier.model.linear.Linear`
weights and its threshold, and scores sentences with them: it gives the pipeline's
probabilities (to rounding) with the cues that explain them. It is immutable: ``with_*``
methods return a new one. :mod:`classifier.model.weights` reads and writes it as JSON.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from typing import Any

from classifier.cues.analysis import Analysis, Analyzer, check_sentences
from classifier.cues.fast import FusedScorer, certainty_of
from classifier.cues.lexicon import Lexicon
from classifier.cues.matcher import Cue
from classifier.errors import LexiconError
from classifier.model.aspects import AspectModel, AspectScore
from classifier.model.cuetypes import TYPES, CueTyper
from classifier.model.labels import CERTAIN, UNCERTAIN
from classifier.model.linear import Linear
from classifier.model.results import DocumentScore, SentenceScore
from classifier.text.sentences import split_sentences
from classifier.text.tokens import token_spans, words_of

__all__ = ["DEFAULT_BATCH_SIZE", "Scorer"]

#: Texts per batch in :meth:`Scorer.score_many`.
DEFAULT_BATCH_SIZE = 256


def _batched(items: Iterable[str], size: int) -> Iterator[list[str]]:
    """Yield lists of up to ``size`` items, checking that each is a str."""
    if isinstance(size, bool) or not isinstance(size, int) or size < 1:
        raise ValueError(f"batch_size must be an int >= 1, got {size!r}")
    batch: list[str] = []
    for index, item in enumerate(items):
        if not isinstance(item, str):
            raise TypeError(f"text {index} is {type(item).__name__}, expected str")
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _score_batch(scorer: Scorer, texts: list[str], split: bool) -> list[list[SentenceScore]]:
    """Score one batch of texts (a module-level function, so that joblib can ship it)."""
    if not split:
        return [[score] for score in scorer.score_sentences(texts)]
    pieces = [[(s.text, s.start) for s in split_sentences(text)] for text in texts]
    scores = scorer.scores([piece for text in pieces for piece in text])
    return [[next(scores) for _ in text] for text in pieces]


class Scorer:
    """Score sentences with a trained model's weights.

    Get one with :func:`classifier.load` (a model's weights file; what ``hedge score``
    uses) or from a fitted model (``CertaintyClassifier.scorer_`` or ``to_scorer()``).

    Examples
    --------
    >>> import classifier
    >>> scorer = classifier.load()
    >>> [(s.label, [(c.text, c.category) for c in s.cues]) for s in scorer.score(
    ...     "It may rain. The sky is blue.")]
    [('uncertain', [('may', 'modal')]), ('certain', [])]

    Parameters
    ----------
    lexicon : Lexicon
        The lexicon the model was trained with.
    settings : dict
        The featurizer's ``max_gap``, ``context`` and ``unigrams``.
    uncertain : Linear
        Log-odds that a sentence is uncertain.
    threshold : float
        Sentences with ``certainty`` below it are labeled uncertain.
    rating : Linear or None
        The graded rating, when the model was trained with ratings.
    cue_types : CueTyper or None
        The cue types, when the model was trained with them.
    aspect_model : AspectModel or None
        The aspect models, when the model was trained with them.
    with_types, with_aspects : bool, default=False
        Give each cue its ``type`` and each sentence its ``types`` / its ``aspects``
        (off by default: they cost time). See :meth:`with_outputs`.
    """

    def __init__(
        self,
        lexicon: Lexicon,
        settings: dict[str, Any],
        uncertain: Linear,
        threshold: float,
        rating: Linear | None = None,
        *,
        added: Iterable[str] = (),
        cue_types: CueTyper | Callable[[], CueTyper] | None = None,
        aspect_model: AspectModel | Callable[[], AspectModel] | None = None,
        with_types: bool = False,
        with_aspects: bool = False,
    ) -> None:
        self.lexicon = lexicon
        self.settings = dict(settings)
        self.uncertain = uncertain
        self.threshold = threshold
        self.rating = rating
        self.added = frozenset(added)
        self._cue_types = cue_types
        self._aspect_model = aspect_model
        if with_types and cue_types is None:
            raise ValueError("this model was trained without cue types: it gives no types")
        if with_aspects and aspect_model is None:
            raise ValueError("this model was trained without aspects: it gives no aspects")
        self.with_types = with_types
        self.with_aspects = with_aspects
        if with_types:  # read now, so that a damaged part is an error where it is asked for
            _ = self.cue_types
        if with_aspects:
            _ = self.aspect_model
        self.analyzer = Analyzer(lexicon, **self.settings)
        self.fused = FusedScorer(self.analyzer.matcher, self.settings, uncertain, rating)

    def __setattr__(self, name: str, value: Any) -> None:
        """Set attributes in ``__init__`` only: a scorer is never changed, but copied."""
        if "fused" in self.__dict__:  # the last attribute __init__ sets
            raise AttributeError(
                f"a Scorer is immutable: {name} cannot be set; with_threshold, with_outputs "
                "and with_lexicon return a new one"
            )
        object.__setattr__(self, name, value)

    def _built(self, key: str, kind: type) -> Any:
        """Return an optional part, built on first use if it is a function that builds it."""
        part = self.__dict__[key]
        if callable(part) and not isinstance(part, kind):
            part = self.__dict__[key] = part()  # a cache: the scorer stays the same
        return part

    @property
    def cue_types(self) -> CueTyper | None:
        """The cue-type model, built from the weights file on first use."""
        return self._built("_cue_types", CueTyper)

    @property
    def aspect_model(self) -> AspectModel | None:
        """The aspect models, built from the weights file on first use."""
        return self._built("_aspect_model", AspectModel)

    def with_threshold(self, threshold: float) -> Scorer:
        """Return the same scorer with another threshold; this one is unchanged.

        Examples
        --------
        >>> import classifier
        >>> scorer = classifier.load()
        >>> strict = scorer.with_threshold(0.99)
        >>> strict.score("The sky is blue.")[0].label, scorer.threshold < 0.99
        ('uncertain', True)
        """
        changed = copy.copy(self)  # shares the weights and the matcher, which are never changed
        changed.__dict__["threshold"] = threshold
        return changed

    def with_outputs(self, *, types: bool = False, aspects: bool = False) -> Scorer:
        """Return the same scorer, giving cue types and/or aspects in its results.

        Raises
        ------
        ValueError
            If the model was trained without what is asked for.
        """
        return Scorer(
            self.lexicon,
            self.settings,
            self.uncertain,
            self.threshold,
            self.rating,
            added=self.added,
            cue_types=self._cue_types,
            aspect_model=self._aspect_model,
            with_types=types,
            with_aspects=aspects,
        )

    def with_lexicon(self, extra: Lexicon) -> Scorer:
        """Return a scorer that also finds the entries of ``extra``, without retraining.

        An added cue is scored through the weights the model already has: those of its
        category (``cat=...``, and with ``context`` ``cat=...|prev=``/``|next=`` of its
        neighbouring words), its prior (the ``prior`` weight times its ``weight``
        column) and the count of hedges in the sentence; features of the entry itself
        (``cue=...``) have no weight. So it counts as an average cue of its category with
        its prior, whatever its words. An added booster, negator or false friend works
        through the rules only. Retraining with the entries (``hedge train --lexicon``)
        learns their own weights and is better when there is labeled data.

        Parameters
        ----------
        extra : Lexicon
            New entries (see :func:`classifier.cues.lexicon.load_lexicon`).

        Returns
        -------
        Scorer
            The same weights and threshold; its ``added`` holds the cues of ``extra``.

        Raises
        ------
        LexiconError
            If an entry of ``extra`` has the cue or the words of an entry the model has,
            naming both places.
        """
        if not isinstance(extra, Lexicon):
            raise TypeError(f"extra must be a Lexicon, got {type(extra).__name__}")
        mine = {e.parts: e for e in self.lexicon.entries}
        for entry in extra.entries:
            clash = mine.get(entry.parts) or self.lexicon.by_cue.get(entry.cue)
            if clash is not None:
                raise LexiconError(
                    f"{entry.where}:cue: {entry.cue!r} is already in the model's lexicon "
                    f"({clash.cue!r} at {clash.where}); retrain to change an entry"
                )
        return Scorer(
            self.lexicon.merged(extra),
            self.settings,
            self.uncertain,
            self.threshold,
            self.rating,
            added=self.added | {entry.cue for entry in extra.entries},
            cue_types=self._cue_types,
            aspect_model=self._aspect_model,
            with_types=self.with_types,
            with_aspects=self.with_aspects,
        )

    def is_added(self, cue: Cue) -> bool:
        """Return whether ``cue`` matched an entry added by :meth:`with_lexicon`."""
        return cue.entry in self.added

    # ------------------------------------------------------------------ numbers
    def certainty(self, sentences: Iterable[str]) -> list[float]:
        """Return P(certain) of each sentence."""
        return self.fused.certainties(check_sentences(sentences))

    def ratings(self, sentences: Iterable[str]) -> list[float]:
        """Return the predicted graded rating of each sentence.

        Raises
        ------
        ValueError
            If the model was trained without ratings.
        """
        if self.rating is None:
            raise ValueError("this model was trained without ratings: it predicts no rating")
        fused = self.fused
        return [
            fused.sums(s, words_of(s), True).rating  # type: ignore[misc]
            for s in check_sentences(sentences)
        ]

    def log_odds(self, sentence: str) -> float:
        """Return the log-odds that one sentence is uncertain."""
        return self.fused.log_odds(sentence)

    def explain(self, sentence: str) -> list[tuple[Cue, float]]:
        """Return every cue of one sentence, kept or discarded, with its contribution.

        The contribution is to the log-odds of ``uncertain``; cues are in text order, with
        offsets within ``sentence``. A discarded cue (``kept`` False, ``rule`` saying
        why) contributes 0: it is not a hedge. The weight the model gives to having matched
        and discarded it (its ``dropped=`` feature) belongs to the rest of the sentence, with
        the words and the intercept.
        """
        if not isinstance(sentence, str):
            raise TypeError(f"sentence must be str, got {type(sentence).__name__}")
        analysis = self.analyzer.analyze(sentence)
        contributions = self.uncertain.contributions(analysis)
        return [
            (cue, weight if cue.kept else 0.0)
            for cue, weight in zip(analysis.cues, contributions, strict=True)
        ]

    # ------------------------------------------------------------------ sentence scores
    def scores(self, pieces: list[tuple[str, int]]) -> Iterator[SentenceScore]:
        """Score ``(sentence, offset)`` pieces, offsets of cues moved by ``offset``."""
        fused, threshold = self.fused, self.threshold
        sums = fused.sums
        for text, offset in pieces:
            words = words_of(text)
            scored = sums(text, words, True)
            certainty = certainty_of(scored.log_odds)
            cues: tuple[Cue, ...] = ()
            shown = [
                verdict
                for verdict, weight in zip(scored.verdicts, scored.contributions, strict=True)
                if weight is not None and weight > 0
            ]
            if shown:
                spans = token_spans(text, words, max(v.match.last for v in shown) + 1)
                cues = tuple(verdict.cue(text, spans, offset) for verdict in shown)
            score = SentenceScore(
                text,
                offset,
                offset + len(text),
                certainty,
                UNCERTAIN if certainty < threshold else CERTAIN,
                cues,
                scored.rating,
            )
            if self.with_types or self.with_aspects:  # opt-in outputs: the reference path
                score = self._typed(score, self.analyzer.analyze(text))
            yield score

    def _typed(self, score: SentenceScore, analysis: Analysis) -> SentenceScore:
        """Add cue types and/or aspects to a sentence's score."""
        types: list[str | None] = [None] * len(analysis.verdicts)
        if self.cue_types is not None:
            types = self.cue_types.types(analysis)
        aspects: tuple[AspectScore, ...] = ()
        if self.with_aspects:
            assert self.aspect_model is not None
            aspects = self.aspect_model.judge(analysis, types)
        if not self.with_types:
            return replace(score, aspects=aspects)
        by_start = {
            (verdict.match.first, verdict.match.last, verdict.match.entry.cue): kind
            for verdict, kind in zip(analysis.verdicts, types, strict=True)
            if kind is not None
        }
        cues = tuple(
            replace(cue, type=by_start.get((cue.first, cue.last, cue.entry))) for cue in score.cues
        )
        present = {cue.type for cue in cues}
        return replace(
            score, cues=cues, types=tuple(t for t in TYPES if t in present), aspects=aspects
        )

    def score(self, text: str) -> list[SentenceScore]:
        """Split ``text`` into sentences and score each, with offsets into ``text``."""
        if not isinstance(text, str):
            raise TypeError(f"text must be str, got {type(text).__name__}")
        return list(self.scores([(s.text, s.start) for s in split_sentences(text)]))

    def score_document(self, text: str) -> DocumentScore:
        """Split ``text`` into sentences, score each, and return the verdict on the whole.

        Examples
        --------
        >>> from classifier.io.archive import load_scorer
        >>> doc = load_scorer().score_document("It may rain. The sky is blue. It is cold.")
        >>> doc.label, doc.sentences, doc.uncertain, doc.categories
        ('uncertain', 3, 1, ('modal',))
        >>> round(doc.uncertain_share, 3), doc.certainty == doc.scores[0].certainty
        (0.333, True)
        """
        return DocumentScore.of(self.score(text))

    def score_sentences(self, sentences: Iterable[str]) -> list[SentenceScore]:
        """Score sentences as given, without splitting; offsets are within each sentence."""
        return list(self.scores([(s, 0) for s in check_sentences(sentences)]))

    def score_many(
        self,
        texts: Iterable[str],
        *,
        split: bool = True,
        n_jobs: int = 1,
        batch_size: int = DEFAULT_BATCH_SIZE,
    ) -> Iterator[list[SentenceScore]]:
        """Score many texts lazily, in bounded batches, optionally on several processes.

        Parameters
        ----------
        texts : iterable of str
            Documents (or, with ``split=False``, sentences); read as they are needed, so
            a generator over a file of any size runs in bounded memory.
        split : bool, default=True
            Split each text into sentences; False scores each text as one sentence.
        n_jobs : int, default=1
            Worker processes (joblib); -1 for one per core. Output order and values are
            the same as with 1.
        batch_size : int, default=DEFAULT_BATCH_SIZE
            Texts per batch (per task when ``n_jobs`` > 1).

        Yields
        ------
        list of SentenceScore
            For each text in order, its scores with offsets into that text.
        """
        if isinstance(texts, str):
            raise TypeError("texts must be an iterable of str, not a str")
        batches = _batched(texts, batch_size)
        if n_jobs == 1:
            for batch in batches:
                yield from _score_batch(self, batch, split)
            return
        from joblib import Parallel, delayed

        parallel = Parallel(n_jobs=n_jobs, return_as="generator")
        for scored in parallel(delayed(_score_batch)(self, batch, split) for batch in batches):
            yield from scored
