"""A spaCy pipeline component, ``hedge_certainty``, that scores the sentences of a Doc.

Needs the ``spacy`` extra (``pip install "hedge-classifier[spacy]"``). Importing this module
registers the component factory and the extension attributes with spaCy;
``import classifier`` alone never imports spaCy.

The component needs sentence boundaries: put it after a parser, a ``senter`` or the rule-based
``sentencizer``. It scores each sentence of ``doc.sents`` (its ``Span.text``) as given, with
:meth:`~classifier.scorer.Scorer.score_sentences`, and sets:

* ``Span._.certainty``: the probability that the sentence is certain;
* ``Span._.hedge_label``: ``"certain"`` or ``"uncertain"``;
* ``Span._.hedge_cues``: a tuple of :class:`~classifier.cues.Cue`, with character offsets
  in ``doc.text`` (``doc.text[cue.start:cue.end]`` is the cue, from its first word to its
  last for a discontinuous one);
* ``Doc._.certainty``: the lowest certainty of its sentences (a text is as certain as its
  most hedged sentence); None for a Doc without a sentence.

Extension values on sentences are kept by the Doc, so they are there on the spans that
``doc.sents`` yields later. The model is loaded once, when the component is created.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

try:
    from spacy.language import Language
    from spacy.tokens import Doc, Span
except ImportError as err:
    raise ImportError('this needs spaCy: pip install "hedge-classifier[spacy]"') from err

from classifier.persist import load_scorer, scorer_of
from classifier.scorer import Scorer

if TYPE_CHECKING:
    from classifier.model import CertaintyClassifier
    from classifier.scorer import SentenceScore

__all__ = ["FACTORY", "HedgeCertainty"]

#: The name under which the component factory is registered (``nlp.add_pipe(FACTORY)``).
FACTORY = "hedge_certainty"
#: Sentences per :meth:`Scorer.score_sentences` call in ``nlp.pipe``.
DEFAULT_BATCH_SIZE = 256

for _extension in ("certainty", "hedge_label", "hedge_cues"):
    if not Span.has_extension(_extension):
        Span.set_extension(_extension, default=None)
if not Doc.has_extension("certainty"):
    Doc.set_extension("certainty", default=None)


class HedgeCertainty:
    """The ``hedge_certainty`` pipeline component.

    Parameters
    ----------
    name : str
        The component's name in the pipeline.
    model : CertaintyClassifier, Scorer, str or None, default=None
        A fitted model or its scorer, a model file, or None for the bundled model; a file's
        weights are loaded once, here (:func:`~classifier.persist.load_scorer`).
    trusted : bool, default=False
        Load a model file without a manifest or saved with other versions (a model file
        can run code: only for files you trust).
    batch_size : int, default=DEFAULT_BATCH_SIZE
        Sentences scored together by :meth:`pipe`.

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
        trusted: bool = False,
        batch_size: int = DEFAULT_BATCH_SIZE,
    ) -> None:
        if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
            raise ValueError(f"batch_size must be an int >= 1, got {batch_size!r}")
        self.name = name
        self.batch_size = batch_size
        if model is None or isinstance(model, str):
            self.model = load_scorer(model, trusted=trusted)
        else:
            self.model = scorer_of(model)

    def __call__(self, doc: Doc) -> Doc:
        """Score the sentences of ``doc`` and set the extension attributes."""
        sentences = _sentences(doc)
        scores = self.model.score_sentences([sentence.text for sentence in sentences])
        _annotate(doc, sentences, scores)
        return doc

    def pipe(self, stream: Iterable[Doc], *, batch_size: int | None = None) -> Iterator[Doc]:
        """Score the Docs of ``stream``, the sentences of several Docs at a time."""
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
            _annotate(doc, sentences, [next(scores) for _ in sentences])
            yield doc


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


def _annotate(doc: Doc, sentences: list[Span], scores: list[SentenceScore]) -> None:
    """Set the extension attributes of ``doc`` and of its sentences from their scores."""
    for sentence, score in zip(sentences, scores, strict=True):
        sentence._.certainty = score.certainty
        sentence._.hedge_label = score.label
        sentence._.hedge_cues = tuple(cue.shifted(sentence.start_char) for cue in score.cues)
    doc._.certainty = min((score.certainty for score in scores), default=None)


@Language.factory(
    FACTORY,
    default_config={"model": None, "trusted": False, "batch_size": DEFAULT_BATCH_SIZE},
)
def make_hedge_certainty(
    nlp: Language, name: str, model: str | None, trusted: bool, batch_size: int
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
    trusted : bool
        Passed to :meth:`CertaintyClassifier.load`.
    batch_size : int
        Sentences scored together by ``nlp.pipe``.

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
    >>> round(doc._.certainty, 3)
    0.081
    """
    return HedgeCertainty(name, model, trusted=trusted, batch_size=batch_size)
