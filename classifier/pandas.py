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
float columns, ``<NA>`` in integer ones, None in text ones; so does a cell that is not text
(a number). ``errors="raise"`` raises instead, naming the row.

The added columns never clash with ``df``'s: ``prefix="hedge_"`` names them
``hedge_certainty``, ``hedge_label``, ...; without a prefix, a frame that already has one
of them (a ``label`` column of labeled data) is refused with that fix named.
:func:`classifier.dask.score_frame` takes the same parameters and gives the same rows.
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

__all__ = [
    "DOCUMENT_COLUMNS",
    "OUTPUT_COLUMNS",
    "SENTENCE_COLUMNS",
    "check_frame",
    "check_options",
    "score_frame",
    "score_part",
]

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
    df: pd.DataFrame, column: str, added: tuple[str, ...], errors: str, prefix: str = ""
) -> list[str | None]:
    """Return the texts of ``column`` (None for a missing cell) after checking the frame."""
    check_frame(df, column, added, prefix)
    texts: list[str | None] = []
    for row, (label, text) in enumerate(zip(df.index, df[column].tolist(), strict=True)):
        if isinstance(text, str):
            texts.append(text)
        elif errors == "coerce":
            texts.append(None)
        else:
            raise TypeError(
                f"column {column!r} at index {label!r} (row {row}) is "
                f"{type(text).__name__}, expected str (pass errors='coerce' to score it as "
                "missing)"
            )
    return texts


def check_frame(df: Any, column: str, added: tuple[str, ...], prefix: str) -> None:
    """Check that ``df`` has ``column``, unique names, and none of ``prefix`` + ``added``.

    ``df`` is a pandas data frame, or the empty one (``_meta``) of a Dask data frame.

    Raises
    ------
    TypeError, KeyError, ValueError
        As :func:`score_frame` says.
    """
    try:
        import pandas as pd
    except ImportError as err:
        raise ImportError(_INSTALL_HINT) from err

    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"df must be a pandas DataFrame, got {type(df).__name__}")
    if not isinstance(prefix, str):
        raise TypeError(f"prefix must be a str, got {type(prefix).__name__}")
    if column not in df.columns:
        shown = ", ".join(repr(name) for name in df.columns[:20])
        raise KeyError(f"no column {column!r} in the data frame (columns: {shown or 'none'})")
    if not df.columns.is_unique:
        raise ValueError("the data frame has duplicate column names")
    clashes = [prefix + name for name in added if prefix + name in df.columns]
    if clashes:
        raise ValueError(
            f"the data frame already has the column{'s' * (len(clashes) > 1)} "
            f"{', '.join(map(repr, clashes))} that score_frame adds; pass "
            f"prefix='hedge_' (or another) to name the added columns apart"
        )


def score_frame(
    df: pd.DataFrame,
    column: str = "text",
    *,
    model: CertaintyClassifier | Scorer | None = None,
    per: str = "document",
    errors: str = "coerce",
    prefix: str = "",
) -> pd.DataFrame:
    """Return a copy of ``df`` with the certainty, label and cues of the texts in ``column``.

    Parameters
    ----------
    df : pandas.DataFrame
        Any data frame; it is not changed.
    column : str, default="text"
        The column of texts.
    model : CertaintyClassifier or Scorer, optional
        A fitted model or its scorer; None loads the bundled one's weights (pass one to
        score many frames).
    per : {"document", "sentence"}, default="document"
        ``"document"``: one row per row of ``df``, the verdict on its whole text.
        ``"sentence"``: one row per sentence. See the module's documentation.
    errors : {"coerce", "raise"}, default="coerce"
        ``"coerce"``: a missing cell, or one that is not text, gives missing results.
        ``"raise"``: it raises.
    prefix : str, default=""
        Put before the name of every added column (``"hedge_"``: ``hedge_certainty``,
        ...), so that they do not clash with ``df``'s.

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
        If ``df`` is not a DataFrame, ``model`` not a model or scorer, or (with
        ``errors="raise"``) a cell of ``column`` is not a str; the message names the row.
    KeyError
        If ``df`` has no column ``column``.
    ValueError
        If ``per`` or ``errors`` is not one of its values, ``df`` already has a column that
        would be added (the message names ``prefix=``), or has duplicate column names.

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
    check_options(per, errors)
    added = SENTENCE_COLUMNS + OUTPUT_COLUMNS if per == "sentence" else DOCUMENT_COLUMNS
    texts = _checked_texts(df, column, added, errors, prefix)
    from classifier.resolve import scorer_of

    return _scored_frame(df, column, texts, scorer_of(model), per, prefix)


def check_options(per: str, errors: str) -> None:
    """Raise a ValueError if ``per`` or ``errors`` is not one of its values."""
    if per not in _PER:
        raise ValueError(f"per must be one of {', '.join(map(repr, _PER))}, got {per!r}")
    if errors not in _ERRORS:
        raise ValueError(f"errors must be one of {', '.join(map(repr, _ERRORS))}, got {errors!r}")


def score_part(
    df: pd.DataFrame, column: str, clf: Scorer, per: str, errors: str, prefix: str
) -> pd.DataFrame:
    """Score one frame whose options were checked: a partition of a Dask data frame."""
    added = SENTENCE_COLUMNS + OUTPUT_COLUMNS if per == "sentence" else DOCUMENT_COLUMNS
    texts = _checked_texts(df, column, added, errors, prefix)
    return _scored_frame(df, column, texts, clf, per, prefix)


def _scored_frame(
    df: pd.DataFrame,
    column: str,
    texts: list[str | None],
    clf: Scorer,
    per: str,
    prefix: str,
) -> pd.DataFrame:
    from classifier.model.results import DocumentScore

    present = [text for text in texts if text is not None]
    scored_present = iter(clf.score_many(present))
    scored = [None if text is None else next(scored_present) for text in texts]
    if per == "sentence":
        return _by_sentence(df, column, scored, clf, prefix)
    documents = [None if s is None else DocumentScore.of(s) for s in scored]

    def field(name: str) -> list[Any]:
        return [None if d is None else getattr(d, name) for d in documents]

    # lists and arrays, not Series: assigned by position, whatever the index labels
    added = {
        "certainty": np.asarray(field("certainty"), dtype="float64"),
        "rating": np.asarray(field("rating"), dtype="float64"),
        "uncertain_share": np.asarray(field("uncertain_share"), dtype="float64"),
        "label": field("label"),
        "sentences": _integers(field("sentences")),
        "uncertain": _integers(field("uncertain")),
        "categories": [None if d is None else "; ".join(d.categories) for d in documents],
        "cues": [
            None if d is None else format_cues(c for s in d.scores for c in s.cues)
            for d in documents
        ],
    }
    out = df.assign(**{prefix + name: values for name, values in added.items()})
    names = tuple(prefix + name for name in ("label", "categories", "cues"))
    return _with_text_dtype(out, df[column], names)


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
    df: pd.DataFrame,
    column: str,
    scored: list[list[SentenceScore] | None],
    clf: Scorer,
    prefix: str,
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

    added = {
        "sentence": _integers([None if item is None else item[0] for item in flat]),
        "start": _integers(field("start")),
        "end": _integers(field("end")),
        "certainty": np.asarray(field("certainty"), dtype="float64"),
        "rating": np.asarray(field("rating"), dtype="float64"),
        "label": field("label"),
        "cues": [None if item is None else format_cues(item[1].cues) for item in flat],
    }
    out = df.iloc[rows].assign(
        **{column: sentences}, **{prefix + name: values for name, values in added.items()}
    )
    texts_columns: tuple[str, ...] = ()
    if clf.with_types or clf.with_aspects:
        asked = (() if clf.with_types else None, () if clf.with_aspects else None)
        kinds = [
            table_columns(
                None if not clf.with_types else () if item is None else item[1].types,
                None if not clf.with_aspects else () if item is None else item[1].aspects,
            )
            for item in flat
        ]
        names = list(table_columns(*asked))
        check_frame(df, column, tuple(names), prefix)
        extra = {name: [row[name] for row in kinds] for name in names}
        if "types" in extra:
            extra["types"] = [
                None if item is None else t for item, t in zip(flat, extra["types"], strict=True)
            ]
        out = out.assign(**{prefix + name: values for name, values in extra.items()})
        numbers = {f"aspect_{aspect}_probability" for aspect in ASPECTS}
        out = out.astype({prefix + name: "float64" for name in extra if name in numbers})
        texts_columns = tuple(prefix + name for name in extra if name not in numbers)
    return _with_text_dtype(
        out, df[column], (column, prefix + "label", prefix + "cues", *texts_columns)
    )
