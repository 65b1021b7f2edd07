"""Score text on a Dask cluster: bags of documents and data frames of sentences.

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

    ddf = dd.read_parquet("sentences.parquet")  # one sentence per row in column "text"
    scored = score_frame(ddf, column="text")  # adds certainty, rating, label and cues
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

import math
from collections.abc import Iterable
from itertools import accumulate
from typing import TYPE_CHECKING, Any

from classifier.cues.matcher import format_cues
from classifier.io.formats import Record, record_dict
from classifier.model.results import DocumentScore
from classifier.model.scorer import Scorer
from classifier.pandas import OUTPUT_COLUMNS
from classifier.resolve import scorer_of

if TYPE_CHECKING:
    import dask.bag
    import dask.dataframe
    import pandas as pd
    from dask.delayed import Delayed

    from classifier.model.estimator import CertaintyClassifier

__all__ = ["OUTPUT_COLUMNS", "score_bag", "score_frame"]

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
def _document(item: Any, position: int) -> tuple[Any, str]:
    """Return ``(doc, text)`` of one bag item: a str, or a ``(doc, text)`` pair."""
    if isinstance(item, str):
        return position, item
    if isinstance(item, (tuple, list)) and len(item) == 2 and isinstance(item[1], str):
        return item[0], item[1]
    raise TypeError(
        f"bag item {position} is {type(item).__name__}, expected str or a (doc, text) pair"
    )


def _partition_starts(lengths: list[int]) -> list[int]:
    """Return the position in the bag of each partition's first item."""
    return list(accumulate(lengths[:-1], initial=0))


def _score_items(
    items: Iterable[Any], first: int, model: Scorer, split: bool, per: str
) -> list[dict[str, Any]]:
    """Score one partition whose first item is item ``first`` of the bag."""
    documents = [_document(item, position) for position, item in enumerate(items, first)]
    scored = model.score_many([text for _, text in documents], split=split)
    if per == "document":
        return [
            {"doc": doc, **DocumentScore.of(scores).record()}
            for (doc, _), scores in zip(documents, scored, strict=True)
        ]
    return [
        record_dict(Record(doc, index, None, score))
        for (doc, _), scores in zip(documents, scored, strict=True)
        for index, score in enumerate(scores)
    ]


def score_bag(
    bag: dask.bag.Bag,
    model: CertaintyClassifier | Scorer | None = None,
    *,
    split: bool = True,
    per: str = "sentence",
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
        :meth:`Scorer.score` does. False: each item is one sentence, scored
        as given. Each partition is scored with :meth:`Scorer.score_many`.
    per : {"sentence", "document"}, default="sentence"
        ``"document"``: one record per item instead, ``doc`` and the fields of its
        :class:`~classifier.model.scorer.DocumentScore` (:meth:`DocumentScore.record`), as
        ``hedge score --per document --format jsonl`` writes them.

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
        if an item is neither a str nor a ``(doc, text)`` pair.
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
    shared = _shipped(scorer_of(model))
    partitions = bag.to_delayed()
    lengths = [dask.delayed(len, pure=True)(partition) for partition in partitions]
    starts = dask.delayed(_partition_starts, pure=True, nout=len(partitions))(lengths)
    scored = [
        dask.delayed(_score_items, pure=True)(partition, start, shared, split, per)
        for partition, start in zip(partitions, starts, strict=True)
    ]
    return db.from_delayed(scored)


# ---------------------------------------------------------------------- data frames
def _score_rows(frame: pd.DataFrame, column: str, model: Scorer, text_dtype: Any) -> pd.DataFrame:
    """Return ``frame`` with the :data:`OUTPUT_COLUMNS` of the sentences in ``column``."""
    import pandas as pd

    sentences = frame[column].tolist()
    for label, sentence in zip(frame.index, sentences, strict=True):
        if not isinstance(sentence, str):
            raise TypeError(
                f"column {column!r} at index {label!r} is {type(sentence).__name__}, expected str"
            )
    scores = model.score_sentences(sentences)
    index = frame.index
    return frame.assign(
        certainty=pd.Series([s.certainty for s in scores], index=index, dtype="float64"),
        rating=pd.Series(
            [math.nan if s.rating is None else s.rating for s in scores],
            index=index,
            dtype="float64",
        ),
        label=pd.Series([s.label for s in scores], index=index, dtype=text_dtype),
        cues=pd.Series([format_cues(s.cues) for s in scores], index=index, dtype=text_dtype),
    )


def score_frame(
    ddf: dask.dataframe.DataFrame,
    column: str = "text",
    model: CertaintyClassifier | Scorer | None = None,
) -> dask.dataframe.DataFrame:
    """Add the certainty, label and cues of the sentences in one column of a Dask data frame.

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
        One sentence per row; sentences are scored as given, not split.
    column : str, default="text"
        The column of sentences; every value must be a str.
    model : CertaintyClassifier or Scorer, optional
        A fitted model or its scorer; None loads the bundled model's weights. Its scorer is
        shipped to the workers once, as one node of the task graph (see the module's
        documentation).

    Returns
    -------
    dask.dataframe.DataFrame
        Lazy; ``ddf`` with the columns ``certainty`` (float64, the probability that the
        sentence is certain), ``rating`` (float64, the graded rating; NaN for a model
        without ratings), ``label`` (``"certain"`` or ``"uncertain"``) and ``cues``
        (``"text|category"`` items joined by ``"; "``, as in ``hedge score --format csv``;
        empty when none) appended. ``label`` and ``cues`` have the dtype of ``column`` when
        that is a pandas string dtype, else object. Index, divisions and row order are those
        of ``ddf``; the work is one ``map_partitions`` call.

    Raises
    ------
    TypeError
        If ``ddf`` is not a Dask data frame or ``model`` not a model or scorer;
        when computed, if a value of ``column`` is not a str (missing values included).
    KeyError
        If ``ddf`` has no column ``column``.
    ValueError
        If ``ddf`` already has one of the columns ``certainty``, ``rating``, ``label``,
        ``cues``.
    sklearn.exceptions.NotFittedError
        If ``model`` is not fitted.

    Examples
    --------
    >>> import dask.dataframe as dd
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"text": ["It may rain.", "It rained."]})
    >>> scored = score_frame(dd.from_pandas(frame, npartitions=1)).compute(scheduler="sync")
    >>> scored["label"].tolist(), scored["cues"].tolist()
    (['uncertain', 'certain'], ['may|modal', ''])
    """
    try:
        import dask.dataframe as dd
        import pandas as pd
    except ImportError as err:
        raise ImportError(_INSTALL_HINT) from err

    if not isinstance(ddf, dd.DataFrame):
        raise TypeError(f"ddf must be a dask.dataframe.DataFrame, got {type(ddf).__name__}")
    columns = list(ddf.columns)
    if column not in columns:
        raise KeyError(f"column {column!r} not found; the columns are {columns}")
    taken = [name for name in OUTPUT_COLUMNS if name in columns]
    if taken:
        raise ValueError(f"ddf already has the output column(s) {taken}; rename or drop them")
    local = scorer_of(model)
    text_dtype = ddf.dtypes[column]
    if not isinstance(text_dtype, pd.StringDtype):
        text_dtype = object
    meta = _score_rows(ddf._meta, column, local, text_dtype)
    shared = _shipped(local)
    return ddf.map_partitions(_score_rows, column, shared, text_dtype, meta=meta)
