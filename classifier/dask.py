"""Score text on a Dask cluster: bags of documents and data frames of texts, as pandas does.

Needs the ``dask`` extra (``pip install "hedge-classifier[dask]"``). Dask is imported only
when a function of this module is called; ``import classifier`` never imports it.

Every worker must be able to import ``classifier`` at the same version as the client. What
travels is the model's :class:`~classifier.model.scorer.Scorer` (its weights, pickled, see below),
so the workers do not import scikit-learn::

    import dask.bag as db
    import dask.dataframe as dd
    from dask.distributed import Client

    from classifier.dask import score_bag, score_frame

    client = Client()                          # a LocalCluster on this machine
    # client = Client("tcp://scheduler:8786")  # or the scheduler of a running cluster

    docs = db.from_sequence(texts, npartitions=32)  # one item per document
    records = score_bag(docs).compute()  # one dict per sentence, as `hedge score --format jsonl`

    ddf = dd.read_parquet("reviews.parquet")  # one document per row in column "text"
    scored = score_frame(ddf, column="text")  # as classifier.pandas.score_frame does
    scored.to_parquet("scored.parquet")

How the model travels: each function wraps the model's scorer once with
``dask.delayed(scorer, name="hedge-certainty-model-" + dask.base.tokenize(scorer))``, the same
as ``dask.delayed(model, pure=True)`` under a key prefix of its own, and passes that one
graph node to every partition's task. The client pickles the model a fixed few times per
computation (to hash it, to send the graph to the scheduler, and from there to the first
worker that needs it), however many partitions there are; other workers copy it from a
worker at most once each; it is never pickled into each task. The same model gives the
same key, so concurrent computations share one copy. No ``client.scatter`` is needed, and
none is done, so the graph runs unchanged on Dask's local schedulers too
(``scheduler="threads"``, ``"processes"`` or ``"sync"``).

joblib
------
scikit-learn style code that runs batches with joblib can use the cluster through joblib's
``dask`` backend. Pass the model as an argument and list it in ``scatter``, so that it is
sent to every worker once instead of pickled into each batch (joblib scatters on its own
only arguments that ``dask.sizeof`` measures above 1 kB, and a model measures less)::

    import joblib
    import numpy as np
    from dask.distributed import Client

    from classifier import CertaintyClassifier

    client = Client("tcp://scheduler:8786")
    clf = CertaintyClassifier.load()
    batches = [sentences[i : i + 2000] for i in range(0, len(sentences), 2000)]
    with joblib.parallel_backend("dask", scatter=[clf]):
        parts = joblib.Parallel()(
            joblib.delayed(CertaintyClassifier.predict_proba)(clf, batch) for batch in batches
        )
    proba = np.vstack(parts)  # rows in the order of `sentences`

Do not pass the bound method ``clf.predict_proba`` as the function there: joblib pickles
the function, and with it the model, into every batch. When one ``with`` block follows
another, hold the model scattered for the whole session (``held = client.scatter(clf,
broadcast=True)``, kept in a variable): each block scatters the model under the same key
and releases it at its end, and a block that starts while the previous block's copy is
still being released can fail with ``FutureCancelledError: ... lost dependencies``
(3 of 120 back-to-back blocks here; none while the model was held).
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import accumulate
from typing import TYPE_CHECKING, Any

from classifier.io.formats import Record, record_dict
from classifier.model.results import DocumentScore
from classifier.model.scorer import Scorer
from classifier.resolve import scorer_of
from classifier.text.sentences import line_sentence

if TYPE_CHECKING:
    import dask.bag
    import dask.dataframe
    from dask.delayed import Delayed

    from classifier.model.estimator import CertaintyClassifier

__all__ = ["score_bag", "score_frame"]

#: The task-graph key of a shipped model is this prefix, a dash and the model's hash.
MODEL_KEY_PREFIX = "hedge-certainty-model"
#: What to install when Dask is missing.
_INSTALL_HINT = 'this needs Dask: pip install "hedge-classifier[dask]"'


def _shipped(model: Scorer) -> Delayed:
    """Return ``model`` as one node of the task graph, keyed by its hash.

    Like ``dask.delayed(model, pure=True)`` (the same model gives the same key), but under
    a key of its own: ``pure=True`` would name the node ``Scorer-<hash>``, the
    key that ``client.scatter(model)`` (and joblib's ``scatter=[model]``) uses for the same
    model. Data scattered to a worker directly under a key that the scheduler is releasing
    can be lost, so the two must not share a key.
    """
    import dask
    from dask.base import tokenize

    return dask.delayed(model, name=f"{MODEL_KEY_PREFIX}-{tokenize(model)}")


# ---------------------------------------------------------------------- bags
def _document(item: Any, position: int, errors: str) -> tuple[Any, str | None]:
    """Return ``(doc, text)`` of one bag item: a str, or a ``(doc, text)`` pair.

    A text that is not a str (a missing value) is None with ``errors="coerce"``.
    """
    doc, text = position, item
    if isinstance(item, (tuple, list)) and len(item) == 2:
        doc, text = item
    if isinstance(text, str):
        return doc, text
    if errors == "coerce":
        return doc, None
    raise TypeError(
        f"bag item {position} is {type(item).__name__}, expected str or a (doc, text) pair "
        "(pass errors='coerce' to score it as missing)"
    )


def _partition_starts(lengths: list[int]) -> list[int]:
    """Return the position in the bag of each partition's first item."""
    return list(accumulate(lengths[:-1], initial=0))


def _score_items(
    items: Iterable[Any], first: int, model: Scorer, split: bool, per: str, errors: str = "coerce"
) -> list[dict[str, Any]]:
    """Score one partition whose first item is item ``first`` of the bag."""
    documents = [_document(item, position, errors) for position, item in enumerate(items, first)]
    # split=False: each item one sentence, without the white space and line ending that
    # db.read_text keeps, as hedge score --lines takes a line (None for a blank item)
    found: list[tuple[str, int] | None] = [
        None if text is None else (text, 0) if split else line_sentence(text)
        for _, text in documents
    ]
    present = iter(model.score_many([f[0] for f in found if f is not None], split=split))
    scored: list[list[Any] | None] = []
    for (_, text), f in zip(documents, found, strict=True):
        if text is None:
            scored.append(None)
        elif f is None:
            scored.append([])
        else:
            scored.append([score.shifted(f[1]) for score in next(present)])
    if per == "document":
        missing = dict.fromkeys(DocumentScore.of([]).record())
        return [
            {"doc": doc, **(missing if scores is None else DocumentScore.of(scores).record())}
            for (doc, _), scores in zip(documents, scored, strict=True)
        ]
    return [
        record_dict(Record(doc, index, None, score))
        for (doc, _), scores in zip(documents, scored, strict=True)
        for index, score in enumerate(scores or ())
    ]


def score_bag(
    bag: dask.bag.Bag,
    model: CertaintyClassifier | Scorer | None = None,
    *,
    split: bool = True,
    per: str = "sentence",
    errors: str = "coerce",
) -> dask.bag.Bag:
    """Score the texts of a Dask bag, one record per sentence (or per document), in order.

    Parameters
    ----------
    bag : dask.bag.Bag
        Its items are texts (str), or ``(doc, text)`` pairs to name each record's document.
    model : CertaintyClassifier or Scorer, optional
        A fitted model or its scorer; None loads the bundled model's weights. Its scorer is
        shipped to the workers once, as one node of the task graph (see the module's
        documentation).
    split : bool, default=True
        True: each item is a document, split into sentences as
        :meth:`Scorer.score` does. False: each item is one sentence, scored as
        ``hedge score --lines`` scores a line: without surrounding white space and line
        ending (``db.read_text`` keeps it), offsets in the item; a blank item has none.
        Each partition is scored with :meth:`Scorer.score_many`.
    per : {"sentence", "document"}, default="sentence"
        ``"document"``: one record per item instead, ``doc`` and the fields of its
        :class:`~classifier.model.scorer.DocumentScore` (:meth:`DocumentScore.record`), as
        ``hedge score --per document --format jsonl`` writes them.
    errors : {"coerce", "raise"}, default="coerce"
        An item (or the text of a pair) that is not a str, a missing value: no sentence
        record, and a document record whose fields are all None, as
        :func:`classifier.pandas.score_frame` gives missing values; or raise when computed.

    Returns
    -------
    dask.bag.Bag
        Lazy; one dict per sentence, in the order of the items and of the sentences in each,
        with the fields of ``hedge score --format jsonl``: ``doc`` (the item's 0-based
        position in the bag, or the ``doc`` of a pair), ``sentence`` (0-based index in its
        document; always 0 when ``split=False``), ``start`` and ``end`` (character offsets
        in the item's text), ``text``, ``certainty``, ``label`` and ``cues`` (a list of
        dicts with ``text``, ``start``, ``end`` and ``category``). A text without a
        sentence yields no record. The bag keeps the number of partitions of ``bag``.

    Raises
    ------
    TypeError
        If ``bag`` is not a Dask bag or ``model`` not a model or scorer; when computed,
        with ``errors="raise"``, if an item is neither a str nor a ``(doc, text)`` pair.
    sklearn.exceptions.NotFittedError
        If ``model`` is not fitted.

    Examples
    --------
    >>> import dask.bag as db
    >>> docs = db.from_sequence(["It may rain. The sky is blue.", "Perhaps."], npartitions=2)
    >>> for r in score_bag(docs).compute(scheduler="sync"):
    ...     print(r["doc"], r["sentence"], r["start"], r["end"], r["label"], r["cues"])
    0 0 0 12 uncertain [{'text': 'may', 'start': 3, 'end': 6, 'category': 'modal'}]
    0 1 13 29 certain []
    1 0 0 8 uncertain [{'text': 'Perhaps', 'start': 0, 'end': 7, 'category': 'epistemic_adverb'}]
    """
    try:
        import dask
        import dask.bag as db
    except ImportError as err:
        raise ImportError(_INSTALL_HINT) from err

    if not isinstance(bag, db.Bag):
        raise TypeError(f"bag must be a dask.bag.Bag, got {type(bag).__name__}")
    if per not in ("sentence", "document"):
        raise ValueError(f"per must be 'sentence' or 'document', got {per!r}")
    if errors not in ("coerce", "raise"):
        raise ValueError(f"errors must be 'coerce' or 'raise', got {errors!r}")
    shared = _shipped(scorer_of(model))
    partitions = bag.to_delayed()
    lengths = [dask.delayed(len, pure=True)(partition) for partition in partitions]
    starts = dask.delayed(_partition_starts, pure=True, nout=len(partitions))(lengths)
    scored = [
        dask.delayed(_score_items, pure=True)(partition, start, shared, split, per, errors)
        for partition, start in zip(partitions, starts, strict=True)
    ]
    return db.from_delayed(scored)


# ---------------------------------------------------------------------- data frames
def score_frame(
    ddf: dask.dataframe.DataFrame,
    column: str = "text",
    *,
    model: CertaintyClassifier | Scorer | None = None,
    per: str = "document",
    errors: str = "coerce",
    prefix: str = "",
) -> dask.dataframe.DataFrame:
    """Score the texts of one column of a Dask data frame, as :func:`classifier.pandas.score_frame`.

    The parameters, the columns added, their dtypes and the rows are those of the pandas
    function on the whole frame (each partition is scored by it); only the model travels
    differently.

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
        Any Dask data frame.
    column : str, default="text"
        The column of texts; each cell is split into sentences.
    model : CertaintyClassifier or Scorer, optional
        A fitted model or its scorer; None loads the bundled model's weights. Its scorer is
        shipped to the workers once, as one node of the task graph (see the module's
        documentation).
    per : {"document", "sentence"}, default="document"
        One row per row of ``ddf`` with the verdict on its whole text, or one row per
        sentence (index labels repeated).
    errors : {"coerce", "raise"}, default="coerce"
        A missing cell, or one that is not text, gives missing results, or raises when
        computed.
    prefix : str, default=""
        Put before the name of every added column.

    Returns
    -------
    dask.dataframe.DataFrame
        Lazy; what :func:`classifier.pandas.score_frame` returns, partition by partition
        (one ``map_partitions`` call); the index and divisions of ``ddf``.

    Raises
    ------
    TypeError
        If ``ddf`` is not a Dask data frame or ``model`` not a model or scorer; when
        computed, with ``errors="raise"``, if a cell of ``column`` is not a str.
    KeyError
        If ``ddf`` has no column ``column``.
    ValueError
        If ``per`` or ``errors`` is not one of its values, or ``ddf`` already has a column
        that would be added (the message names ``prefix=``).
    sklearn.exceptions.NotFittedError
        If ``model`` is not fitted.

    Examples
    --------
    >>> import dask.dataframe as dd
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"text": ["It may rain. It rained.", None]})
    >>> scored = score_frame(dd.from_pandas(frame, npartitions=1)).compute(scheduler="sync")
    >>> scored["label"].tolist(), scored["sentences"].tolist(), scored["cues"].tolist()
    (['uncertain', <NA>], [2, <NA>], ['may|modal', <NA>])
    """
    try:
        import dask.dataframe as dd
    except ImportError as err:
        raise ImportError(_INSTALL_HINT) from err
    from classifier.pandas import check_options, score_part

    if not isinstance(ddf, dd.DataFrame):
        raise TypeError(f"ddf must be a dask.dataframe.DataFrame, got {type(ddf).__name__}")
    check_options(per, errors)
    local = scorer_of(model)
    meta = score_part(ddf._meta, column, local, per, errors, prefix)
    shared = _shipped(local)
    return ddf.map_partitions(score_part, column, shared, per, errors, prefix, meta=meta)
