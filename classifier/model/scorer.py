"""Scoring with a trained model's weights: plain Python, no scikit-learn.

A fitted :class:`~classifier.model.estimator.CertaintyClassifier` is a scikit-learn pipeline. Its
logistic regression (and rating regression) is linear in the features of
:mod:`classifier.cues.analysis`, so scoring needs only each feature's weight: a
:class:`Scorer` holds them in dictionaries keyed by feature name, and adds up the
weights of the features a sentence has. It gives the pipeline's probabilities (to
rounding, summed exactly with :func:`math.fsum`, in the same way in every process), and
it loads from a JSON file in milliseconds, without importing scikit-learn.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from itertools import repeat
from typing import Any

from classifier.cues.analysis import NO_HEDGES, SENTENCE, WORD, Analysis, Analyzer, check_sentences
from classifier.cues.fast import FusedScorer, certainty_of
from classifier.cues.lexicon import (
    BOOSTER,
    HEADER,
    MAX_LEXICON_ENTRIES,
    Lexicon,
    LexiconEntry,
    parse_lexicon,
)
from classifier.cues.matcher import Cue
from classifier.errors import LexiconError
from classifier.model.aspects import AspectModel, AspectScore
from classifier.model.cuetypes import TYPES, CueTyper
from classifier.model.labels import CERTAIN, UNCERTAIN
from classifier.text.sentences import split_sentences
from classifier.text.tokens import token_spans, words_of

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "DocumentScore",
    "Linear",
    "Scorer",
    "SentenceScore",
]

#: Texts per batch in :meth:`Scorer.score_many`.
DEFAULT_BATCH_SIZE = 256
#: The parts of a weights file that differ between the labelling conventions of one
#: model; the rest (lexicon, settings, cue types, aspects) is stored once.
CONVENTION_PARTS = ("threshold", "uncertain", "rating")
#: The optional parts of a weights file, each built on first use (most scoring asks for
#: neither); a model archive stores each as a member of its own, decoded only then.
OPTIONAL_PARTS = ("cue_types", "aspects")
#: ``format`` of a weights file.
WEIGHTS_FORMAT = "hedge-classifier-weights"
WEIGHTS_FORMAT_VERSION = 1
#: Bounds a weights file must keep, so that a hostile one cannot crash or slow scoring:
#: the largest weight in size, the widest gap of a discontinuous cue (in words), the most
#: lexicon entries and the most weights per table.
MAX_WEIGHT = 1e6
MAX_GAP = 50
MAX_FEATURES = 2_000_000


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


@dataclass(frozen=True)
class Linear:
    """A linear function of a sentence's features.

    Attributes
    ----------
    intercept : float
    features : dict of str to float
        Weight of each cue or sentence feature, by name.
    words : dict of str to float
        Weight of each word (``word=`` feature), by word.
    """

    intercept: float
    features: dict[str, float]
    words: dict[str, float]

    @classmethod
    def from_columns(cls, names: Iterable[str], coef: Iterable[float], intercept: float) -> Linear:
        """Build it from feature names and coefficients in column order; zeros are left out."""
        features, words = {}, {}
        for name, weight in zip(names, coef, strict=True):
            if weight:
                if name.startswith(WORD):
                    words[name[len(WORD) :]] = float(weight)
                else:
                    features[name] = float(weight)
        return cls(float(intercept), features, words)

    def __call__(self, analysis: Analysis) -> float:
        """Return the function's value on one analysed sentence."""
        get = self.features.get
        terms = [get(name, 0.0) * value for name, value, _ in analysis.features]
        terms.extend(map(self.words.get, analysis.words, repeat(0.0)))
        terms.append(self.intercept)
        return math.fsum(terms)

    def contributions(self, analysis: Analysis) -> list[float]:
        """Return each cue's contribution to the function's value.

        A cue contributes the weights of its own features; a kept hedge also an equal share
        of the features the sentence has only because it has hedges: its word features and
        its hedge count (``hedges=N``, N > 0). What is left (the intercept, ``hedges=0``)
        is nobody's.
        """
        verdicts = analysis.verdicts
        totals = [0.0] * len(verdicts)
        get = self.features.get
        words = self.words.get
        shared = [words(word, 0.0) for word in analysis.words]
        for name, value, owner in analysis.features:
            if owner != SENTENCE:
                totals[owner] += get(name, 0.0) * value
            elif name != NO_HEDGES:
                shared.append(get(name, 0.0) * value)
        hedges = [i for i, v in enumerate(verdicts) if v.kept and v.category != BOOSTER]
        if hedges and shared:
            share = math.fsum(shared) / len(hedges)
            for i in hedges:
                totals[i] += share
        return totals


def _optional(part: Any, name: str, read: Any, key: str) -> Any:
    """Read an optional part (cue types, aspects): JSON text, a function giving it, or data."""
    if callable(part):  # a member of an archive, decompressed only now
        part = part()
    try:
        if isinstance(part, str):
            part = _json_object(part, name)
        return read(part)
    except (ValueError, KeyError, TypeError, AttributeError) as err:
        detail = f"missing field {err}" if isinstance(err, KeyError) else str(err)
        raise ValueError(f"{name}: {key}: {detail}") from None


def _later(part: Any, name: str, read: Any, key: str) -> Any:
    """Return a function that reads an optional part when called, or None without the part."""
    if part is None:
        return None
    return functools.partial(_optional, part, name, read, key)  # picklable, unlike a lambda


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

    @property
    def cue_types(self) -> CueTyper | None:
        """The cue-type model, built from the weights file on first use."""
        if callable(self._cue_types) and not isinstance(self._cue_types, CueTyper):
            self._cue_types = self._cue_types()
        return self._cue_types

    @property
    def aspect_model(self) -> AspectModel | None:
        """The aspect models, built from the weights file on first use."""
        if callable(self._aspect_model) and not isinstance(self._aspect_model, AspectModel):
            self._aspect_model = self._aspect_model()
        return self._aspect_model

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

    # ------------------------------------------------------------------ files
    def convention_json(self) -> str:
        """Return the parts of :meth:`to_json` that differ between conventions, as JSON."""
        parts = {
            "threshold": self.threshold,
            "uncertain": _linear_dict(self.uncertain),
            "rating": _linear_dict(self.rating),
        }
        assert tuple(parts) == CONVENTION_PARTS
        return _dumps(parts)

    def to_json(self, *, optional: bool = True) -> str:
        """Return the scorer as JSON text: lexicon, settings, weights and threshold.

        With ``optional``, also the cue types and aspects the scorer has; without it,
        they are left to :meth:`optional_json`.

        Raises
        ------
        ValueError
            If the scorer has cues added by :meth:`with_lexicon`: they have no weights of
            their own, so keep their lexicon directory and add it again when loading.
        """
        if self.added:
            raise ValueError(
                "this scorer has cues added without retraining; save the model without them "
                "and pass the extra lexicon when loading it (or retrain with it)"
            )

        document = {
            "format": WEIGHTS_FORMAT,
            "format_version": WEIGHTS_FORMAT_VERSION,
            "settings": self.settings,
            "threshold": self.threshold,
            "lexicon": [
                [e.cue, e.category, e.weight, [list(part) for part in e.parts], e.where]
                for e in self.lexicon.entries
            ],
            "uncertain": _linear_dict(self.uncertain),
            "rating": _linear_dict(self.rating),
        }
        if optional:
            document.update(self._optional_parts())
        return _dumps(document) + "\n"

    def _optional_parts(self) -> dict[str, Any]:
        parts = {}
        if self.cue_types is not None:
            parts["cue_types"] = self.cue_types.to_dict()
        if self.aspect_model is not None:
            parts["aspects"] = self.aspect_model.to_dict()
        return parts

    def optional_json(self) -> dict[str, str]:
        """Return each optional part the scorer has (:data:`OPTIONAL_PARTS`) as JSON text."""
        return {key: _dumps(part) for key, part in self._optional_parts().items()}

    @classmethod
    def from_json(
        cls,
        text: str,
        name: str = "<weights>",
        *,
        parts: str | None = None,
        optional: Mapping[str, tuple[str | Callable[[], str], str]] | None = None,
    ) -> Scorer:
        """Read a scorer written by :meth:`to_json`, validating every field.

        Numbers must be finite (no NaN or Infinity) and at most :data:`MAX_WEIGHT` in
        size, the threshold in (0, 1), ``max_gap`` an int up to :data:`MAX_GAP`; lexicon
        entries go through :func:`~classifier.cues.lexicon.parse_lexicon`, as in lexicon files.
        ``parts``, a JSON object of exactly :data:`CONVENTION_PARTS` (as
        :meth:`convention_json` writes), replaces those of ``text``: another labelling
        convention of the same model. ``optional`` maps parts of
        :data:`OPTIONAL_PARTS` that ``text`` leaves out to their JSON text
        (:meth:`optional_json`), or a picklable function that returns it, and the name to
        give in errors: they are read, decoded and checked on first use.

        Raises
        ------
        ValueError
            If ``text`` is not such a document, naming ``name`` and the field.
        """
        document = _json_object(text, name)
        if parts is not None:
            replaced = _json_object(parts, name)
            if sorted(replaced) != sorted(CONVENTION_PARTS):
                raise ValueError(f"{name}: expected the keys {', '.join(CONVENTION_PARTS)}")
            document.update(replaced)
        if document.get("format") != WEIGHTS_FORMAT:
            raise ValueError(f"{name}: not a {WEIGHTS_FORMAT} file")
        if document.get("format_version") != WEIGHTS_FORMAT_VERSION:
            raise ValueError(
                f"{name}: format version {document.get('format_version')}, "
                f"this package reads {WEIGHTS_FORMAT_VERSION}"
            )
        field = _Fields(document, name)
        settings = field.get("settings", dict)
        checked = {
            "max_gap": _Fields(settings, f"{name}: settings").integer("max_gap", 0, MAX_GAP),
            "context": _Fields(settings, f"{name}: settings").get("context", bool),
            "unigrams": _Fields(settings, f"{name}: settings").get("unigrams", bool),
        }
        threshold = field.number("threshold")
        if not 0.0 < threshold < 1.0:
            raise ValueError(f"{name}: threshold: {threshold!r} is not between 0 and 1")
        uncertain = _linear(field.get("uncertain", dict), f"{name}: uncertain")
        rating = document.get("rating")
        later = {key: (document.get(key), name) for key in OPTIONAL_PARTS}
        later.update((optional or {}).items())
        return cls(
            _lexicon(field.get("lexicon", list), f"{name}: lexicon"),
            checked,
            uncertain,
            threshold,
            None if rating is None else _linear(field.get("rating", dict), f"{name}: rating"),
            cue_types=_later(*later["cue_types"], CueTyper.from_dict, "cue_types"),
            aspect_model=_later(*later["aspects"], AspectModel.from_dict, "aspects"),
        )


def _linear_dict(function: Linear | None) -> dict[str, Any] | None:
    """Return a linear function as the JSON object of a weights file."""
    if function is None:
        return None
    return {
        "intercept": function.intercept,
        "features": dict(sorted(function.features.items())),
        "words": dict(sorted(function.words.items())),
    }


def _dumps(document: dict[str, Any]) -> str:
    """Return a part of a weights file as compact JSON text."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def _json_object(text: str, name: str) -> dict[str, Any]:
    """Parse a JSON object of a weights file: finite numbers only, bounded nesting."""
    try:
        document = json.loads(text, parse_constant=_reject_constant)
    except RecursionError:
        raise ValueError(f"{name}: nested too deeply to be a weights file") from None
    except ValueError as err:
        raise ValueError(f"{name}: invalid JSON ({err})") from None
    if not isinstance(document, dict):
        raise ValueError(f"{name}: not a {WEIGHTS_FORMAT} file")
    return document


def _reject_constant(constant: str) -> None:
    raise ValueError(f"{constant} is not a finite number")


class _Fields:
    """Typed access to the fields of one JSON object, errors naming the field."""

    def __init__(self, document: dict[str, Any], where: str) -> None:
        self.document, self.where = document, where

    def get(self, key: str, kind: type) -> Any:
        if key not in self.document:
            raise ValueError(f"{self.where}: missing field '{key}'")
        value = self.document[key]
        if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
            raise ValueError(f"{self.where}: {key}: expected {kind.__name__}, got {value!r:.40}")
        return value

    def number(self, key: str) -> float:
        value = self.document.get(key)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f"{self.where}: {key}: expected a number, got {value!r:.40}")
        if not abs(value) <= MAX_WEIGHT:  # also False for NaN
            raise ValueError(
                f"{self.where}: {key}: {value!r} is not a number within ±{MAX_WEIGHT:g}"
            )
        return float(value)

    def integer(self, key: str, low: int, high: int) -> int:
        value = self.get(key, int)
        if not low <= value <= high:
            raise ValueError(f"{self.where}: {key}: {value} is not from {low} to {high}")
        return int(value)


def _weights(part: dict[str, Any], key: str, where: str) -> dict[str, float]:
    table = _Fields(part, where).get(key, dict)
    if len(table) > MAX_FEATURES:
        raise ValueError(f"{where}: {key}: {len(table)} weights, more than {MAX_FEATURES}")
    values = table.values()
    # a model has tens of thousands of weights: check them all at once, and name the
    # first bad one only when there is one (JSON keys are always str)
    if set(map(type, values)) <= {float} and (not table or max(map(abs, values)) <= MAX_WEIGHT):
        return dict(table)
    numbers = _Fields(table, f"{where}: {key}")
    return {str(name): numbers.number(name) for name in table}


def _linear(part: dict[str, Any], where: str) -> Linear:
    return Linear(
        _Fields(part, where).number("intercept"),
        _weights(part, "features", where),
        _weights(part, "words", where),
    )


def _lexicon(rows: list[Any], where: str) -> Lexicon:
    """Build the lexicon of a weights file through the lexicon file parser."""
    if len(rows) > MAX_LEXICON_ENTRIES:
        raise ValueError(f"{where}: {len(rows)} entries, more than {MAX_LEXICON_ENTRIES}")
    lines, origins = ["\t".join(HEADER)], []
    for index, row in enumerate(rows):
        if not (isinstance(row, list) and len(row) == 5):
            raise ValueError(
                f"{where}: entry {index}: expected [cue, category, weight, parts, where]"
            )
        cue, category, weight, _parts, origin = row
        if (
            not all(isinstance(x, str) for x in (cue, category, origin))
            or isinstance(weight, bool)
            or not isinstance(weight, (int, float))
        ):
            raise ValueError(f"{where}: entry {index}: expected [str, str, number, list, str]")
        row = cue + category
        if "\t" in row or "\n" in row or "\r" in row:
            raise ValueError(f"{where}: entry {index}: a tab or line end in {cue!r:.40}")
        lines.append(f"{cue}\t{category}\t{float(weight)!r}\t")
        origins.append(origin)
    try:
        parsed = parse_lexicon(lines, f"{where}: entry")
    except LexiconError as err:
        raise ValueError(str(err)) from None
    if len(parsed) != len(origins):  # a blank cue or one starting with "#" was skipped
        raise ValueError(f"{where}: an entry with an empty cue or one starting with '#'")
    entries = [  # not dataclasses.replace, which took a third of the time here
        LexiconEntry(e.cue, e.category, e.weight, e.parts, origin)
        for e, origin in zip(parsed, origins, strict=True)
    ]
    seen: set[str] = set()
    for entry in entries:
        if entry.cue in seen:
            raise ValueError(f"{where}: duplicate cue {entry.cue!r}")
        seen.add(entry.cue)
    return Lexicon(tuple(entries))
