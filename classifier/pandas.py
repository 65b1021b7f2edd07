"""Score a column of texts in a pandas data frame.

Needs the ``pandas`` extra (``pip install "hedge-classifier[pandas]"``); pandas is imported
only when :func:`score_frame` is called. For data frames larger than memory, see
:mod:`classifier.dask`.

Each cell is split into sentences, as :meth:`Scorer.score` does. By default the
result has one row per input row, with the verdict on the whole cell:

* ``certainty``: the *lowest* certainty of its sentences (a text is as certain as its most
  hedged sentence); NaN for a cell without a sentence (empty or blank);
* ``label``: ``"uncertain"`` if any of its sentences is uncertain, else ``"certain"`` (the
  same as comparing ``certainty`` with the model's threshold); missing for a cell without a
  sentence;
* ``cues``: the cues of all its sentences, in text order, as ``hedge score --format csv``
  writes them: ``"text|category"`` items joined by ``"; "``; empty when there are none.

With ``sentences=True`` there is one row per sentence instead (like
``DataFrame.explode``): the row's index label and other columns are repeated, the text
column holds the sentence, and ``sentence`` (its 0-based number in the cell), ``start`` and
``end`` (its character offsets in the cell) come before the same three columns for the
sentence alone. A cell without a sentence gives no row.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from classifier.cues import format_cues

if TYPE_CHECKING:
    import pandas as pd

    from classifier.model import CertaintyClassifier
    from classifier.scorer import Scorer, SentenceScore

__all__ = ["OUTPUT_COLUMNS", "SENTENCE_COLUMNS", "score_frame"]

#: The columns :func:`score_frame` adds, in order.
OUTPUT_COLUMNS = ("certainty", "label", "cues")
#: The columns added before them with ``sentences=True``.
SENTENCE_COLUMNS = ("sentence", "start", "end")
#: What to install when pandas is missing.
_INSTALL_HINT = 'this needs pandas: pip install "hedge-classifier[pandas]"'


def _checked_texts(df: pd.DataFrame, column: str, added: tuple[str, ...]) -> list[str]:
    """Return the texts of ``column`` after checking the frame, its columns and its cells."""
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
    texts = df[column].tolist()
    for row, (label, text) in enumerate(zip(df.index, texts, strict=True)):
        if not isinstance(text, str):
            raise TypeError(
                f"column {column!r} at index {label!r} (row {row}) is "
                f"{type(text).__name__}, expected str"
            )
    return texts


def score_frame(
    df: pd.DataFrame,
    column: str = "text",
    *,
    model: CertaintyClassifier | Scorer | None = None,
    sentences: bool = False,
) -> pd.DataFrame:
    """Return a copy of ``df`` with the certainty, label and cues of the texts in ``column``.

    Parameters
    ----------
    df : pandas.DataFrame
        Any data frame; it is not changed.
    column : str, default="text"
        The column of texts; every cell must be a str.
    model : CertaintyClassifier or Scorer, optional
        A fitted model or its scorer; None loads the bundled one's weights (pass one to
        score many frames).
    sentences : bool, default=False
        False: one row per row of ``df``, the verdict on its whole text (the lowest
        certainty of its sentences; uncertain if any sentence is; all their cues).
        True: one row per sentence, as described in the module's documentation.

    Returns
    -------
    pandas.DataFrame
        ``df``'s columns, then ``certainty`` (float64), ``label`` and ``cues`` (of the dtype
        of ``column`` when that is a pandas string dtype, as text is by default in pandas 3,
        else object); with ``sentences=True``, ``column`` holds each
        sentence and ``sentence``, ``start`` and ``end`` (int64) come before ``certainty``.
        The index labels are ``df``'s (repeated, with ``sentences=True``, for a text of
        several sentences).

    Raises
    ------
    TypeError
        If ``df`` is not a DataFrame, ``model`` not a model or scorer, or a cell of
        ``column`` not a str (missing values included); the message names the row.
    KeyError
        If ``df`` has no column ``column``.
    ValueError
        If ``df`` already has a column that would be added, or duplicate column names.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"text": ["It may rain. The sky is blue.", "It rained."]})
    >>> scored = score_frame(df)
    >>> scored["label"].tolist(), scored["cues"].tolist()
    (['uncertain', 'certain'], ['may|modal', ''])
    >>> by_sentence = score_frame(df, sentences=True)
    >>> by_sentence[["text", "sentence", "start", "end", "label"]]
                   text  sentence  start  end      label
    0      It may rain.         0      0   12  uncertain
    0  The sky is blue.         1     13   29    certain
    1        It rained.         0      0   10    certain
    """
    added = (SENTENCE_COLUMNS if sentences else ()) + OUTPUT_COLUMNS
    texts = _checked_texts(df, column, added)
    from classifier.persist import scorer_of

    clf = scorer_of(model)
    scored = list(clf.score_many(texts))
    if sentences:
        return _by_sentence(df, column, scored)
    certainty = [min(s.certainty for s in scores) if scores else float("nan") for scores in scored]
    labels = [
        (
            ("uncertain" if any(s.label == "uncertain" for s in scores) else "certain")
            if scores
            else None
        )
        for scores in scored
    ]
    # lists and arrays, not Series: assigned by position, whatever the index labels
    out = df.assign(
        certainty=np.asarray(certainty, dtype="float64"),
        label=labels,
        cues=[format_cues(cue for s in scores for cue in s.cues) for scores in scored],
    )
    return _with_text_dtype(out, df[column], ("label", "cues"))


def _with_text_dtype(out: pd.DataFrame, texts: pd.Series, names: tuple[str, ...]) -> pd.DataFrame:
    """Give the text columns ``names`` the dtype of ``texts`` if a string dtype, else object."""
    import pandas as pd

    dtype = texts.dtype if isinstance(texts.dtype, pd.StringDtype) else object
    return out.astype(dict.fromkeys(names, dtype))


def _by_sentence(df: pd.DataFrame, column: str, scored: list[list[SentenceScore]]) -> pd.DataFrame:
    """Return one row per sentence: ``df``'s rows repeated, ``column`` holding the sentence."""
    rows = [row for row, scores in enumerate(scored) for _ in scores]
    flat = [score for scores in scored for score in scores]
    out = df.iloc[rows].assign(
        **{column: [s.text for s in flat]},
        sentence=np.asarray([n for scores in scored for n in range(len(scores))], dtype="int64"),
        start=np.asarray([s.start for s in flat], dtype="int64"),
        end=np.asarray([s.end for s in flat], dtype="int64"),
        certainty=np.asarray([s.certainty for s in flat], dtype="float64"),
        label=[s.label for s in flat],
        cues=[format_cues(s.cues) for s in flat],
    )
    return _with_text_dtype(out, df[column], (column, "label", "cues"))
