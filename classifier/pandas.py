"""Score a column of texts in a pandas data frame.

Needs the ``pandas`` extra (``pip install "hedge-classifier[pandas]"``); pandas is imported
only when :func:`score_frame` is called. For data frames larger than memory, see
:mod:`classifier.dask`.

Each cell is split into sentences, as :meth:`Scorer.score` does. By default
(``per="document"``) the result has one row per input row, with the verdict on the whole
cell, the :class:`~classifier.model.scorer.DocumentScore` of :meth:`Scorer.score_document`:

* ``certainty``: the *lowest* certainty of its sentences (float64);
* ``rating``: the lowest graded rating of its sentences (float64; NaN for a model without
  ratings);
* ``uncertain_share``: the share of its sentences that are uncertain (float64);
* ``label``: ``"uncertain"`` if any of its sentences is uncertain, else ``"certain"``;
* ``sentences`` and ``uncertain``: how many sentences, and how many uncertain (Int64);
* ``categories``: the categories of its cues, each once, sorted, joined by ``"; "``;
* ``cues``: the cues of all its sentences, in text order, as ``hedge score --format csv``
  writes them: ``"text|category"`` items joined by ``"; "``; empty when there are none.

A cell without a sentence (empty or blank) has 0 sentences and missing ``certainty``,
``uncertain_share`` and ``label``.

With ``per="sentence"`` there is one row per sentence instead (like
``DataFrame.explode``): the row's index label and other columns are repeated, the text
column holds the sentence, and ``sentence`` (its 0-based number in the cell), ``start`` and
``end`` (its character offsets in the cell) come before ``certainty``, ``rating``,
``label`` and ``cues`` of the sentence alone. A cell without a sentence keeps one row,
with every added column missing.

Missing cells (None, NaN, ``pd.NA``) give missing results in every added column: NaN in
float columns, ``<NA>`` in integer ones, None in text ones. ``errors="raise"`` raises
instead. A cell that is neither text nor missing (a number) always raises.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from classifier.cues.matcher import format_cues

if TYPE_CHECKING:
    import pandas as pd

    from classifier.model.estimator import CertaintyClassifier
    from classifier.model.results import SentenceScore
    from classifier.model.scorer import Scorer

__all__ = ["DOCUMENT_COLUMNS", "OUTPUT_COLUMNS", "SENTENCE_COLUMNS", "score_frame"]

#: The columns :func:`score_frame` adds with ``per="document"``, in order.
DOCUMENT_COLUMNS = (
    "certainty", "rating", "uncertain_share", "label", "sentences", "uncertain", "categories",
    "cues",
)  # fmt: skip
#: The columns it adds with ``per="sentence"``, after :data:`SENTENCE_COLUMNS`.
OUTPUT_COLUMNS = ("certainty", "rating", "label", "cues")
#: The columns added before them with ``per="sentence"``.
SENTENCE_COLUMNS = ("sentence", "start", "end")
#: What to install when pandas is missing.
_INSTALL_HINT = 'this needs pandas: pip install "hedge-classifier[pandas]"'
_PER = ("document", "sentence")
_ERRORS = ("coerce", "raise")


def _checked_texts(
    df: pd.DataFrame, column: str, added: tuple[str, ...], errors: str
) -> list[str | None]:
    """Return the texts of ``column`` (None for a missing cell) after checking the frame."""
    try:
        import pandas as pd
    except ImportError as err:
        raise ImportError(_INSTALL_HINT) from err

    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"df must be a pandas DataFrame, got {type(df).__name__}")
    if column not in df.columns:
        shown = ", ".join(repr(name) for name in df.columns[:20])
        raise KeyError(f"no column {column!r} in the data frame (columns: {shown or 'none'})")
    if not df.columns.is_unique:
        raise ValueError("the data frame has duplicate column names")
    clashes = [name for name in added if name in df.columns and name != column]
    if clashes:
        raise ValueError(
            f"the data frame already has the column{'s' * (len(clashes) > 1)} "
            f"{', '.join(map(repr, clashes))} that score_frame adds"
        )
    texts: list[str | None] = []
    for row, (label, text) in enumerate(zip(df.index, df[column].tolist(), strict=True)):
        if isinstance(text, str):
            texts.append(text)
        elif errors == "coerce" and _is_missing(text):
            texts.append(None)
        else:
            hint = " (pass errors='coerce' to score it as missing)" if _is_missing(text) else ""
            raise TypeError(
                f"column {column!r} at index {label!r} (row {row}) is "
                f"{type(text).__name__}, expected str{hint}"
            )
    return texts


def _is_missing(value: Any) -> bool:
    """Return whether a cell is a missing value (None, NaN, NaT, ``pd.NA``)."""
    import pandas as pd

    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # a list or array cell: not a scalar
        return False


def score_frame(
    df: pd.DataFrame,
    column: str = "text",
    *,
    model: CertaintyClassifier | Scorer | None = None,
    per: str = "document",
    errors: str = "coerce",
) -> pd.DataFrame:
    """Return a copy of ``df`` with the certainty, label and cues of the texts in ``column``.

    Parameters
    ----------
    df : pandas.DataFrame
        Any data frame; it is not changed.
    column : str, default="text"
        The column of texts; every cell must be a str or missing.
    model : CertaintyClassifier or Scorer, optional
        A fitted model or its scorer; None loads the bundled one's weights (pass one to
        score many frames).
    per : {"document", "sentence"}, default="document"
        ``"document"``: one row per row of ``df``, the verdict on its whole text.
        ``"sentence"``: one row per sentence. See the module's documentation.
    errors : {"coerce", "raise"}, default="coerce"
        ``"coerce"``: a missing cell gives missing results. ``"raise"``: it raises.

    Returns
    -------
    pandas.DataFrame
        ``df``'s columns, then :data:`DOCUMENT_COLUMNS`, or with ``per="sentence"``
        ``column`` holding each sentence and :data:`SENTENCE_COLUMNS` (Int64) then
        :data:`OUTPUT_COLUMNS`. Text columns have the dtype of ``column`` when that is a
        pandas string dtype (as text is by default in pandas 3), else object. The index
        labels are ``df``'s (repeated with ``per="sentence"``).

    Raises
    ------
    TypeError
        If ``df`` is not a DataFrame, ``model`` not a model or scorer, or a cell of
        ``column`` neither a str nor missing (or missing, with ``errors="raise"``); the
        message names the row.
    KeyError
        If ``df`` has no column ``column``.
    ValueError
        If ``per`` or ``errors`` is not one of its values, ``df`` already has a column that
        would be added, or has duplicate column names.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"text": ["It may rain. The sky is blue.", "It rained.", None]})
    >>> scored = score_frame(df)
    >>> scored[["sentences", "uncertain", "uncertain_share"]]
       sentences  uncertain  uncertain_share
    0          2          1              0.5
    1          1          0              0.0
    2       <NA>       <NA>              NaN
    >>> scored["cues"].tolist()[:2], scored["label"].isna().tolist()
    (['may|modal', ''], [False, False, True])
    >>> by_sentence = score_frame(df, per="sentence")
    >>> by_sentence[["sentence", "start", "end", "label"]]
       sentence  start   end      label
    0         0      0    12  uncertain
    0         1     13    29    certain
    1         0      0    10    certain
    2      <NA>   <NA>  <NA>        NaN
    """
    if per not in _PER:
        raise ValueError(f"per must be one of {', '.join(map(repr, _PER))}, got {per!r}")
    if errors not in _ERRORS:
        raise ValueError(f"errors must be one of {', '.join(map(repr, _ERRORS))}, got {errors!r}")
    added = SENTENCE_COLUMNS + OUTPUT_COLUMNS if per == "sentence" else DOCUMENT_COLUMNS
    texts = _checked_texts(df, column, added, errors)
    from classifier.model.results import DocumentScore
    from classifier.resolve import scorer_of

    clf = scorer_of(model)
    present = [text for text in texts if text is not None]
    scored_present = iter(clf.score_many(present))
    scored = [None if text is None else next(scored_present) for text in texts]
    if per == "sentence":
        return _by_sentence(df, column, scored, clf)
    documents = [None if s is None else DocumentScore.of(s) for s in scored]

    def field(name: str) -> list[Any]:
        return [None if d is None else getattr(d, name) for d in documents]

    # lists and arrays, not Series: assigned by position, whatever the index labels
    out = df.assign(
        certainty=np.asarray(field("certainty"), dtype="float64"),
        rating=np.asarray(field("rating"), dtype="float64"),
        uncertain_share=np.asarray(field("uncertain_share"), dtype="float64"),
        label=field("label"),
        sentences=_integers(field("sentences")),
        uncertain=_integers(field("uncertain")),
        categories=[None if d is None else "; ".join(d.categories) for d in documents],
        cues=[
            None if d is None else format_cues(c for s in d.scores for c in s.cues)
            for d in documents
        ],
    )
    return _with_text_dtype(out, df[column], ("label", "categories", "cues"))


def _integers(values: list[int | None]) -> Any:
    """Return ``values`` as a pandas nullable integer array (None is ``<NA>``)."""
    import pandas as pd

    return pd.array(values, dtype="Int64")


def _with_text_dtype(out: pd.DataFrame, texts: pd.Series, names: tuple[str, ...]) -> pd.DataFrame:
    """Give the text columns ``names`` the dtype of ``texts`` if a string dtype, else object."""
    import pandas as pd

    dtype = texts.dtype if isinstance(texts.dtype, pd.StringDtype) else object
    return out.astype(dict.fromkeys(names, dtype))


def _by_sentence(
    df: pd.DataFrame, column: str, scored: list[list[SentenceScore] | None], clf: Scorer
) -> pd.DataFrame:
    """Return one row per sentence: ``df``'s rows repeated, ``column`` holding the sentence.

    A row without a sentence (missing, empty or blank text) keeps one row with missing
    results. A scorer with types or aspects (``Scorer.with_outputs``) adds their columns,
    as ``hedge score --format csv --with types,aspects`` does.
    """
    from classifier.model.aspects import ASPECTS, table_columns

    rows: list[int] = []
    flat: list[tuple[int, SentenceScore] | None] = []
    for row, scores in enumerate(scored):
        if not scores:
            rows.append(row)
            flat.append(None)
            continue
        for number, score in enumerate(scores):
            rows.append(row)
            flat.append((number, score))
    texts = df[column].tolist()
    sentences = [
        texts[row] if item is None else item[1].text for row, item in zip(rows, flat, strict=True)
    ]

    def field(name: str) -> list[Any]:
        return [None if item is None else getattr(item[1], name) for item in flat]

    out = df.iloc[rows].assign(
        **{column: sentences},
        sentence=_integers([None if item is None else item[0] for item in flat]),
        start=_integers(field("start")),
        end=_integers(field("end")),
        certainty=np.asarray(field("certainty"), dtype="float64"),
        rating=np.asarray(field("rating"), dtype="float64"),
        label=field("label"),
        cues=[None if item is None else format_cues(item[1].cues) for item in flat],
    )
    if clf.with_types or clf.with_aspects:
        kinds = [
            table_columns(
                None if not clf.with_types else () if item is None else item[1].types,
                None if not clf.with_aspects else () if item is None else item[1].aspects,
            )
            for item in flat
        ]
        extra = {name: [row[name] for row in kinds] for name in kinds[0]}
        if "types" in extra:
            extra["types"] = [
                None if item is None else t for item, t in zip(flat, extra["types"], strict=True)
            ]
        out = out.assign(**extra)
        numbers = {f"aspect_{aspect}_probability" for aspect in ASPECTS}
        out = out.astype({name: "float64" for name in extra if name in numbers})
        texts_columns = tuple(name for name in extra if name not in numbers)
        return _with_text_dtype(out, df[column], (column, "label", "cues", *texts_columns))
    return _with_text_dtype(out, df[column], (column, "label", "cues"))
