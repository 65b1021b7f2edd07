"""A spaCy pipeline component, ``hedge_certainty``, that scores the sentences of a Doc.

Needs the ``spacy`` extra (``pip install "hedge-classifier[spacy]"``). Importing this module
registers the component factory and the default extension attributes with spaCy; the
package's ``spacy_factories`` entry point lets ``spacy.load`` find the factory in a process
that never imported it. ``import classifier`` alone never imports spaCy.

``nlp.to_disk`` stores the component's model file (``config={"model": "my.hedge"}``) in
the component's folder as ``model.hedge``, and ``spacy.load`` reads it from there, so a
saved pipeline folder travels whole.

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

Every value is plain data (floats, ints, strings, lists, dicts, spans), so Docs survive
``nlp.pipe(texts, n_process=2)``, ``Doc.to_bytes`` and ``DocBin(store_user_data=True)``
with the same values and types (lists stay lists): extension values travel in
``doc.user_data``, which ``DocBin`` keeps only with ``store_user_data=True``. The model is
loaded once, when the component is created (or by ``from_disk``).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

try:
    from spacy.language import Language
    from spacy.tokens import Doc, Span
except ImportError as err:
    raise ImportError('this needs spaCy: pip install "hedge-classifier[spacy]"') from err

from classifier.errors import ModelLoadError
from classifier.io.archive import load_scorer
from classifier.model.results import DocumentScore
from classifier.model.scorer import DEFAULT_BATCH_SIZE, Scorer
from classifier.resolve import scorer_of
from classifier.text.sentences import INVISIBLE_SPACES

if TYPE_CHECKING:
    from classifier.model.estimator import CertaintyClassifier
    from classifier.model.results import SentenceScore

__all__ = ["DEFAULT_PREFIX", "FACTORY", "MODEL_FILE", "HedgeCertainty"]

#: The name under which the component factory is registered (``nlp.add_pipe(FACTORY)``).
FACTORY = "hedge_certainty"
#: The default prefix of the extension attributes and of the span group.
DEFAULT_PREFIX = "hedge_"
#: The sentence attributes that hold values, without the prefix.
_SPAN_FIELDS = ("certainty", "label")
#: The sentence attributes that hold lists (types) and dicts of lists (aspects), kept in
#: ``doc.user_data`` under ``(_USER_DATA, name, start_char, end_char)`` and read back with
#: lists as lists (``DocBin`` and ``Doc.to_bytes`` give tuples back).
_SPAN_LISTS = ("types", "aspects")
_USER_DATA = "hedge_certainty"
#: The file of the model archive in a pipeline's folder (``nlp.to_disk``).
MODEL_FILE = "model.hedge"
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


def _lists(value: Any) -> Any:
    """Return ``value`` with every tuple in it a list (msgpack gives lists back as tuples)."""
    if isinstance(value, (tuple, list)):
        return [_lists(item) for item in value]
    if isinstance(value, dict):
        return {key: _lists(item) for key, item in value.items()}
    return value


class _Stored:
    """Getter of ``Span._.<prefix>types`` and ``aspects``: the value kept in ``doc.user_data``.

    A class rather than a closure, so that it pickles.
    """

    def __init__(self, key: str) -> None:
        self.key = key

    def __call__(self, span: Span) -> Any:
        data: dict[Any, Any] = span.doc.user_data
        return _lists(data.get((_USER_DATA, self.key, span.start_char, span.end_char)))


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
    for field in _SPAN_LISTS:
        if not Span.has_extension(prefix + field):
            Span.set_extension(prefix + field, getter=_Stored(prefix + field))
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
        self._outputs = (with_types, with_aspects)
        #: The model file the weights come from (None: the bundled model or an object).
        self._archive: str | None = model if isinstance(model, str) else None
        self._model: Scorer | None = None
        if not isinstance(model, str):
            self._model = self._ready(scorer_of(model))
        elif os.path.exists(model):
            self._model = self._ready(load_scorer(model))
        # else: a file of another folder, as in the config of a pipeline that travelled;
        # from_disk gives the copy in the pipeline's folder, or first use the error

    def _ready(self, scorer: Scorer) -> Scorer:
        with_types, with_aspects = self._outputs
        if with_types or with_aspects:
            return scorer.with_outputs(types=with_types, aspects=with_aspects)
        return scorer

    @property
    def model(self) -> Scorer:
        """The model's scorer."""
        if self._model is None:
            try:
                self._model = self._ready(load_scorer(self._archive))
            except ModelLoadError as err:
                raise _ModelNotLoaded(str(err)) from None
        return self._model

    def to_disk(self, path: str | os.PathLike[str], *, exclude: Iterable[str] = ()) -> None:
        """Store the model archive in the component's folder of a pipeline (``nlp.to_disk``).

        Only a model given as a file has an archive to store; the bundled model travels
        with the package.
        """
        folder = Path(path)
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / MODEL_FILE
        if self._archive is None or (target.exists() and target.samefile(self._archive)):
            return
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".model-", delete=False) as out:
            try:
                with open(self._archive, "rb") as source:
                    shutil.copyfileobj(source, out)
            except BaseException:
                os.unlink(out.name)
                raise
        os.replace(out.name, target)

    def from_disk(
        self, path: str | os.PathLike[str], *, exclude: Iterable[str] = ()
    ) -> HedgeCertainty:
        """Load the model archive stored by :meth:`to_disk` (``spacy.load``), if there is one."""
        stored = Path(path) / MODEL_FILE
        if stored.is_file():
            self._archive = str(stored)
            self._model = self._ready(load_scorer(str(stored)))
        return self

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
            data: dict[Any, Any] = doc.user_data
            start, end = sentence.start_char, sentence.end_char
            if with_types:
                data[(_USER_DATA, prefix + "types", start, end)] = list(score.types)
            if with_aspects:
                aspects = {a.aspect: a.record() for a in score.aspects}
                data[(_USER_DATA, prefix + "aspects", start, end)] = aspects
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


class _ModelNotLoaded(ModelLoadError, AttributeError):
    """The component's model file cannot be read (yet).

    An AttributeError too: spaCy asks ``hasattr(component, "model")`` while it builds a
    pipeline, before ``from_disk`` gives the pipeline's own copy of the model; that
    question gets False instead of an error. Using the component still raises.
    """


def _sentences(doc: Doc) -> list[Span]:
    """Return the sentences of ``doc`` but blank ones; a clear error without boundaries."""
    if not isinstance(doc, Doc):
        raise TypeError(f"expected a spaCy Doc, got {type(doc).__name__}")
    if len(doc) and not doc.has_annotation("SENT_START"):
        raise ValueError(
            f"{FACTORY} needs sentence boundaries: add a parser, 'senter' or 'sentencizer' "
            "before it in the pipeline"
        )
    # white space alone is no sentence, as for split_sentences and the other doors
    return [span for span in doc.sents if not _blank(span.text)]


def _blank(text: str) -> bool:
    return all(char.isspace() or char in INVISIBLE_SPACES for char in text)


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
