"""A spaCy pipeline component, ``hedge_certainty``, that scores the sentences of a Doc.

Needs the ``spacy`` extra (``pip install "hedge-classifier[spacy]"``). Importing this module
registers the component factory and the default extension attributes with spaCy;
``import classifier`` alone never imports spaCy.

The component needs sentence boundaries: put it after a parser, a ``senter`` or the rule-based
``sentencizer``. It scores each sentence of ``doc.sents`` (its ``Span.text``) as given, with
:meth:`~classifier.model.scorer.Scorer.score_sentences`, and sets, with the default ``prefix``
``"hedge_"``:

* ``doc.spans["hedge_cues"]``: one span per hedge cue that pushed its sentence toward
  uncertain, labeled with its category (from the first word of a discontinuous cue to its
  last; expanded to whole spaCy tokens);
* ``Span._.hedge_certainty``: the probability that the sentence is certain;
* ``Span._.hedge_label``: ``"certain"`` or ``"uncertain"``;
* ``Span._.hedge_cues``: the cue spans inside the sentence (read from ``doc.spans``);
* on the Doc, the fields of its :class:`~classifier.model.scorer.DocumentScore`, the same numbers
  as :meth:`Scorer.score_document` gives for its sentences: ``Doc._.hedge_certainty`` (the
  lowest certainty of its sentences), ``Doc._.hedge_uncertain_share``,
  ``Doc._.hedge_label``, ``Doc._.hedge_sentences``, ``Doc._.hedge_uncertain`` and
  ``Doc._.hedge_categories`` (the sorted labels of the cue spans); None (and 0
  sentences) for a Doc without a sentence.

With ``config={"with_types": True}`` each cue also has its type
(:mod:`classifier.model.cuetypes`): ``doc.spans["hedge_cue_types"]`` holds the same spans labeled
with their type (``epistemic``, ``doxastic``...) and ``Span._.hedge_types`` lists a
sentence's types; with ``"with_aspects": True``, ``Span._.hedge_aspects`` is a dict of each
aspect (:mod:`classifier.model.aspects`) to ``{"label", "probability", "cues"}``. Both need a
model trained with them (the bundled one is), and are None when off.

Another ``prefix`` (``config={"prefix": "my_"}``) names them ``my_certainty``,
``doc.spans["my_cues"]`` and so on, as negspacy's ``extension_name`` does, so that two
components (two models) can annotate one Doc.

Every value is plain data (floats, ints, strings, spans), so Docs survive
``nlp.pipe(texts, n_process=2)``, ``Doc.to_bytes`` and ``DocBin(store_user_data=True)``:
extension values travel in ``doc.user_data``, which ``DocBin`` keeps only with
``store_user_data=True``. The model is loaded once, when the component is created.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

try:
    from spacy.language import Language
    from spacy.tokens import Doc, Span
except ImportError as err:
    raise ImportError('this needs spaCy: pip install "hedge-classifier[spacy]"') from err

from classifier.io.archive import load_scorer
from classifier.model.results import DocumentScore
from classifier.model.scorer import DEFAULT_BATCH_SIZE, Scorer
from classifier.resolve import scorer_of

if TYPE_CHECKING:
    from classifier.model.estimator import CertaintyClassifier
    from classifier.model.results import SentenceScore

__all__ = ["DEFAULT_PREFIX", "FACTORY", "HedgeCertainty"]

#: The name under which the component factory is registered (``nlp.add_pipe(FACTORY)``).
FACTORY = "hedge_certainty"
#: The default prefix of the extension attributes and of the span group.
DEFAULT_PREFIX = "hedge_"
#: The sentence attributes that hold values, without the prefix.
_SPAN_FIELDS = ("certainty", "label", "types", "aspects")
#: The Doc attributes that hold values, without the prefix: fields of a DocumentScore
#: (``categories`` is read from the cue spans, as a tuple survives no serialization as one).
_DOC_FIELDS = ("certainty", "uncertain_share", "label", "sentences", "uncertain")


class _CategoriesOf:
    """Getter of ``Doc._.<prefix>categories``: the labels of ``doc.spans[key]``, sorted."""

    def __init__(self, key: str) -> None:
        self.key = key

    def __call__(self, doc: Doc) -> tuple[str, ...] | None:
        if self.key not in doc.spans:
            return None
        return tuple(sorted({span.label_ for span in doc.spans[self.key]}))


class _CuesIn:
    """Getter of ``Span._.<prefix>cues``: the cue spans of ``doc.spans[key]`` in a span.

    A class rather than a closure, so that it pickles (spaCy sends the extensions to the
    processes of ``nlp.pipe(n_process=...)``).
    """

    def __init__(self, key: str) -> None:
        self.key = key

    def __call__(self, span: Span) -> tuple[Span, ...]:
        doc = span.doc
        if self.key not in doc.spans:
            return ()
        return tuple(
            cue for cue in doc.spans[self.key] if span.start <= cue.start and cue.end <= span.end
        )


def register_extensions(prefix: str = DEFAULT_PREFIX) -> None:
    """Register the extension attributes of ``prefix`` (once; later calls do nothing).

    Raises
    ------
    ValueError
        If ``prefix`` does not make Python identifiers.
    """
    if not isinstance(prefix, str) or not f"{prefix}x".isidentifier():
        raise ValueError(f"prefix must start attribute names, such as 'hedge_', got {prefix!r}")
    for field in _SPAN_FIELDS:
        if not Span.has_extension(prefix + field):
            Span.set_extension(prefix + field, default=None)
    if not Span.has_extension(prefix + "cues"):
        Span.set_extension(prefix + "cues", getter=_CuesIn(prefix + "cues"))
    for field in _DOC_FIELDS:
        if not Doc.has_extension(prefix + field):
            Doc.set_extension(prefix + field, default=None)
    if not Doc.has_extension(prefix + "categories"):
        Doc.set_extension(prefix + "categories", getter=_CategoriesOf(prefix + "cues"))


register_extensions()


class HedgeCertainty:
    """The ``hedge_certainty`` pipeline component.

    Parameters
    ----------
    name : str
        The component's name in the pipeline.
    model : CertaintyClassifier, Scorer, str or None, default=None
        A fitted model or its scorer, a model file, or None for the bundled model; a file's
        weights are loaded once, here (:func:`~classifier.io.archive.load_scorer`).
    batch_size : int, default=DEFAULT_BATCH_SIZE
        Sentences scored together by :meth:`pipe`.
    prefix : str, default=DEFAULT_PREFIX
        Start of the names of the extension attributes and of the span group
        (``<prefix>cues``).
    with_types, with_aspects : bool, default=False
        Also give cue types (span group ``<prefix>cue_types``, ``Span._.<prefix>types``)
        and aspects (``Span._.<prefix>aspects``).

    Attributes
    ----------
    model : Scorer
        The model's scorer.
    """

    def __init__(
        self,
        name: str = FACTORY,
        model: CertaintyClassifier | Scorer | str | None = None,
        *,
        batch_size: int = DEFAULT_BATCH_SIZE,
        prefix: str = DEFAULT_PREFIX,
        with_types: bool = False,
        with_aspects: bool = False,
    ) -> None:
        if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
            raise ValueError(f"batch_size must be an int >= 1, got {batch_size!r}")
        register_extensions(prefix)
        self.name = name
        self.batch_size = batch_size
        self.prefix = prefix
        if model is None or isinstance(model, str):
            self.model = load_scorer(model)
        else:
            self.model = scorer_of(model)
        if with_types or with_aspects:
            self.model = self.model.with_outputs(types=with_types, aspects=with_aspects)

    def __call__(self, doc: Doc) -> Doc:
        """Score the sentences of ``doc`` and set the extension attributes."""
        register_extensions(self.prefix)  # in a process of nlp.pipe(n_process=...) too
        sentences = _sentences(doc)
        scores = self.model.score_sentences([sentence.text for sentence in sentences])
        self._annotate(doc, sentences, scores)
        return doc

    def pipe(self, stream: Iterable[Doc], *, batch_size: int | None = None) -> Iterator[Doc]:
        """Score the Docs of ``stream``, the sentences of several Docs at a time."""
        register_extensions(self.prefix)
        size = self.batch_size if batch_size is None else batch_size
        batch: list[tuple[Doc, list[Span]]] = []
        pending = 0
        for doc in stream:
            sentences = _sentences(doc)
            batch.append((doc, sentences))
            pending += len(sentences)
            if pending >= size:
                yield from self._score_batch(batch)
                batch, pending = [], 0
        yield from self._score_batch(batch)

    def _score_batch(self, batch: list[tuple[Doc, list[Span]]]) -> Iterator[Doc]:
        texts = [sentence.text for _, sentences in batch for sentence in sentences]
        scores = iter(self.model.score_sentences(texts))
        for doc, sentences in batch:
            self._annotate(doc, sentences, [next(scores) for _ in sentences])
            yield doc

    def _annotate(self, doc: Doc, sentences: list[Span], scores: list[SentenceScore]) -> None:
        """Set the extension attributes and the cue spans of ``doc`` from its scores."""
        prefix = self.prefix
        cues: list[Span] = []
        typed: list[Span] = []
        shifted = []
        with_types, with_aspects = self.model.with_types, self.model.with_aspects
        for sentence, score in zip(sentences, scores, strict=True):
            sentence._.set(prefix + "certainty", score.certainty)
            sentence._.set(prefix + "label", score.label)
            if with_types:
                sentence._.set(prefix + "types", list(score.types))
            if with_aspects:
                sentence._.set(prefix + "aspects", {a.aspect: a.record() for a in score.aspects})
            score = score.shifted(sentence.start_char)
            shifted.append(score)
            for cue in score.cues:
                span = doc.char_span(
                    cue.start, cue.end, label=cue.category, alignment_mode="expand"
                )
                if span is not None:
                    cues.append(span)
                    if with_types and cue.type is not None:
                        typed.append(Span(doc, span.start, span.end, label=cue.type))
        doc.spans[prefix + "cues"] = cues
        if with_types:
            doc.spans[prefix + "cue_types"] = typed
        document = DocumentScore.of(shifted)
        for field in _DOC_FIELDS:
            doc._.set(prefix + field, getattr(document, field))


def _sentences(doc: Doc) -> list[Span]:
    """Return the sentences of ``doc``, with a clear error when it has no boundaries."""
    if not isinstance(doc, Doc):
        raise TypeError(f"expected a spaCy Doc, got {type(doc).__name__}")
    if len(doc) and not doc.has_annotation("SENT_START"):
        raise ValueError(
            f"{FACTORY} needs sentence boundaries: add a parser, 'senter' or 'sentencizer' "
            "before it in the pipeline"
        )
    return list(doc.sents)


@Language.factory(
    FACTORY,
    default_config={
        "model": None,
        "batch_size": DEFAULT_BATCH_SIZE,
        "prefix": DEFAULT_PREFIX,
        "with_types": False,
        "with_aspects": False,
    },
)
def make_hedge_certainty(
    nlp: Language,
    name: str,
    model: str | None,
    batch_size: int,
    prefix: str,
    with_types: bool,
    with_aspects: bool,
) -> HedgeCertainty:
    """Create the ``hedge_certainty`` component (spaCy calls this for ``nlp.add_pipe``).

    Parameters
    ----------
    nlp : spacy.language.Language
        The pipeline.
    name : str
        The component's name.
    model : str or None
        A model file, or None (``null`` in a config file) for the bundled model.
    batch_size : int
        Sentences scored together by ``nlp.pipe``.
    prefix : str
        Start of the extension attributes' names and of the span group's.
    with_types, with_aspects : bool
        Also give cue types and aspects (see the module's documentation).

    Returns
    -------
    HedgeCertainty

    Examples
    --------
    >>> import spacy
    >>> nlp = spacy.blank("en")
    >>> _ = nlp.add_pipe("sentencizer")
    >>> _ = nlp.add_pipe("hedge_certainty")
    >>> doc = nlp("It may rain. The sky is blue.")
    >>> [(s.text, s._.hedge_label, [c.text for c in s._.hedge_cues]) for s in doc.sents]
    [('It may rain.', 'uncertain', ['may']), ('The sky is blue.', 'certain', [])]
    >>> [(span.text, span.label_) for span in doc.spans["hedge_cues"]]
    [('may', 'modal')]
    >>> doc._.hedge_certainty < 0.5, doc._.hedge_uncertain_share, doc._.hedge_categories
    (True, 0.5, ('modal',))
    """
    return HedgeCertainty(
        name,
        model,
        batch_size=batch_size,
        prefix=prefix,
        with_types=with_types,
        with_aspects=with_aspects,
    )
