"""Labeled training data: a strict reader for JSONL, JSON, CSV and TSV, and a training helper.

Every file holds one sentence per record, with a text column and a label column.
Labels may be written three ways, and one data set must use only one of them:

words
    ``certain`` or ``uncertain`` (any letter case).
binary
    ``0``/``1`` or ``true``/``false`` (JSON booleans and numbers too). By default
    ``1`` and ``true`` mean *uncertain* (the sentence is hedged), as in the CoNLL-2010
    and Szeged uncertainty corpora; ``uncertain_value="0"`` turns that around.
your own
    Any two values, with ``uncertain_value`` naming the one that means uncertain
    (``uncertain_value="yes"``). :mod:`classifier.model.labels` reads the words, binary and
    own labels, as it does for ``CertaintyClassifier.fit``.
ratings
    Numbers on a graded scale (e.g. certainty ratings 1-6), with a ``threshold``:
    a rating at or below it means uncertain. The ratings are kept, for
    :func:`classifier.evaluate.evaluate` to correlate with the model's certainty.

The reader is strict: anything it cannot read unambiguously raises
:class:`~classifier.errors.DataError` naming the file, the line (1-based; the
physical line a CSV record starts on) and the column.
"""

from __future__ import annotations

import json
import math
import os
import warnings
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from classifier.cues.lexicon import HEDGE_CATEGORIES
from classifier.errors import DataError, InputError
from classifier.io.tables import check_characters, check_columns, loads, table_rows, unique_keys
from classifier.model.labels import CERTAIN, UNCERTAIN, LabelReader

if TYPE_CHECKING:
    from classifier.cues.lexicon import Lexicon
    from classifier.model.estimator import CertaintyClassifier

__all__ = [
    "DUPLICATES",
    "FORMATS",
    "MIN_PER_CLASS",
    "Example",
    "LabeledData",
    "read_labeled",
    "train",
]

#: Input formats, and the file extensions that select them.
FORMATS = ("jsonl", "json", "csv", "tsv", "parquet")
_EXTENSIONS = {
    ".jsonl": "jsonl",
    ".json": "json",
    ".csv": "csv",
    ".tsv": "tsv",
    ".parquet": "parquet",
}
#: Fewest sentences of each class accepted for training: the classifier chooses its
#: regularization and threshold by 5-fold stratified cross-validation, which needs at
#: least one sentence of each class in every fold.
MIN_PER_CLASS = 5
#: The optional column of typed cues, and the prefix of the optional aspect columns.
CUES_COLUMN = "cues"
ASPECT_PREFIX = "aspect_"
#: Longest piece of a sentence quoted in an error message.
_QUOTE = 60
#: Sentences labeled both ways named in the error.
_SHOWN_CONFLICTS = 3
#: What to do with a sentence labeled both ways (``duplicates=``, ``--duplicates``).
DUPLICATES = ("stop", "drop", "first")


@dataclass(frozen=True, slots=True)
class Example:
    """One labeled sentence and where it came from.

    Attributes
    ----------
    text : str
        The sentence, without surrounding white space.
    label : str
        ``"certain"`` or ``"uncertain"``.
    rating : float or None
        The graded rating the label came from, when read with a threshold.
    file : str
        The file name as given (``"<rows>"`` for rows passed to :func:`train`).
    line : int
        1-based line (for CSV and TSV: the physical line the record starts on).
    cues : tuple of (int, int, str) or None
        The typed cues of a ``cues`` column: ``(start, end, type)``; None without one.
    aspects : dict of str to str or None
        The aspect judgments of an ``aspects`` field or ``aspect_*`` columns.
    """

    text: str
    label: str
    rating: float | None
    file: str
    line: int
    cues: tuple[tuple[int, int, str], ...] | None = None
    aspects: dict[str, str] | None = None

    @property
    def where(self) -> str:
        """``file:line``."""
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class LabeledData:
    """Labeled sentences read by :func:`read_labeled`.

    Attributes
    ----------
    examples : tuple of Example
        In file order, files in the order given.
    files : tuple of str
        The files read.
    dropped : int
        Sentences left out because they were labeled both ways (``duplicates=``).
    """

    examples: tuple[Example, ...]
    files: tuple[str, ...]
    dropped: int = 0

    @property
    def sentences(self) -> list[str]:
        """The sentences."""
        return [e.text for e in self.examples]

    @property
    def labels(self) -> list[str]:
        """Their labels."""
        return [e.label for e in self.examples]

    @property
    def ratings(self) -> list[float] | None:
        """Their ratings, or None when the labels were not ratings."""
        ratings = [e.rating for e in self.examples]
        if not ratings or any(r is None for r in ratings):
            return None
        return [float(r) for r in ratings if r is not None]

    def counts(self) -> dict[str, int]:
        """Return the number of sentences of each label."""
        counts = Counter(e.label for e in self.examples)
        return {CERTAIN: counts[CERTAIN], UNCERTAIN: counts[UNCERTAIN]}

    def summary(self) -> dict[str, Any]:
        """Return a JSON-ready summary: sentences per label, per file and in all."""
        per_file: dict[str, Counter[str]] = {name: Counter() for name in self.files}
        for e in self.examples:
            per_file[e.file][e.label] += 1
        return {
            "files": {
                name: {CERTAIN: c[CERTAIN], UNCERTAIN: c[UNCERTAIN]} for name, c in per_file.items()
            },
            "sentences": len(self.examples),
            "labels": self.counts(),
        }


# ---------------------------------------------------------------------- options
def _check_options(threshold: Any, uncertain_value: Any) -> tuple[float | None, LabelReader]:
    """Validate ``threshold`` and ``uncertain_value``; return the threshold and a label reader."""
    if threshold is not None and uncertain_value is not None:
        raise ValueError("give threshold (graded ratings) or uncertain_value, not both")
    if threshold is not None:
        if isinstance(threshold, bool) or not isinstance(threshold, (int, float)):
            raise TypeError(f"threshold must be a number, got {type(threshold).__name__}")
        if not math.isfinite(threshold):
            raise ValueError(f"threshold must be finite, got {threshold!r}")
        threshold = float(threshold)
    return threshold, LabelReader(uncertain_value)


def _format_of(path: Path, fmt: str | None) -> str:
    if fmt is not None:
        if fmt not in FORMATS:
            raise ValueError(f"fmt must be one of {', '.join(FORMATS)}, got {fmt!r}")
        return fmt
    found = _EXTENSIONS.get(path.suffix.lower())
    if found is None:
        raise DataError(
            f"{path}: cannot tell the format from the extension {path.suffix!r}; "
            "name it .jsonl, .json, .csv, .tsv or .parquet, or give the format "
            f"({', '.join(FORMATS)})"
        )
    return found


# ---------------------------------------------------------------------- records
#: Largest JSON array file, in bytes: an array is read whole, JSON Lines line by line.
MAX_JSON_ARRAY_BYTES = 64 << 20


def _starts_an_array(path: Path) -> bool:
    """Tell whether the first character of ``path`` after white space (and a BOM) is ``[``."""
    try:
        with open(path, "rb") as f:
            while True:
                block = f.read(1 << 16)
                if not block:
                    return False
                content = block.removeprefix(b"\xef\xbb\xbf").lstrip()
                if content:
                    return content.startswith(b"[")
    except OSError:
        return False  # reported by the line reader


def _json_array(
    path: Path, name: str, columns: tuple[str, str], encoding: str, errors: str
) -> Iterator[tuple[int, Any]]:
    """Yield ``(line, value)`` for each item of a JSON array file."""
    size = path.stat().st_size
    if size > MAX_JSON_ARRAY_BYTES:
        raise DataError(
            f"{name}: a JSON array is read whole, and {size} bytes is more than "
            f"{MAX_JSON_ARRAY_BYTES}; write it as JSON Lines (one object per line)"
        )
    from classifier.io.reader import read_text

    try:
        text = read_text(str(path), encoding, errors)
    except InputError as err:
        raise DataError(str(err)) from None
    loads(text, name, 1, unique=False)
    # The document is valid: walk its items to learn the line each one starts on.
    decoder = json.JSONDecoder(object_pairs_hook=unique_keys)
    i = text.index("[") + 1
    line, counted = 1, 0
    while True:
        while text[i] in " \t\r\n,":
            i += 1
        if text[i] == "]":
            return
        line += text.count("\n", counted, i)
        counted = i
        start = i
        try:
            value, i = decoder.raw_decode(text, i)
        except ValueError as err:  # a key twice in one object
            raise DataError(f"{name}:{line}: {err}") from None
        check_characters(text[start:i], value, f"{name}:{line}")
        if not isinstance(value, dict):
            raise DataError(f"{name}:{line}: expected a JSON object, found {_show(value)}")
        check_columns(list(value), columns, f"{name}:{line}")
        yield line, value


# ---------------------------------------------------------------------- fields
def _parse_text(value: Any, where: str, column: str) -> str:
    if not isinstance(value, str):
        raise DataError(f"{where}: column {column!r}: expected text, found {_show(value)}")
    text = value.strip()
    if not text:
        raise DataError(f"{where}: column {column!r}: empty text")
    return text


def _show(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, (dict, list)):
        return f"a JSON {'object' if isinstance(value, dict) else 'array'}"
    return f"{type(value).__name__} {value!r}"


def _number(value: Any) -> float | None:
    """Return ``value`` as a float when it is a number or a numeric string, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        try:
            return float(value)
        except OverflowError:  # an integer beyond the float range
            return math.inf if value > 0 else -math.inf
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            return None
    return None


def _parse_label(
    value: Any, where: str, column: str, threshold: float | None, reader: LabelReader
) -> tuple[str, float | None]:
    """Return ``(label, rating)`` of one label field; see the module docstring."""
    prefix = f"{where}: column {column!r}:"
    if value is None or (isinstance(value, str) and not value.strip()):
        raise DataError(f"{prefix} empty label")
    if not isinstance(value, (str, int, float)):
        raise DataError(f"{prefix} expected a label, found {_show(value)}")
    number = _number(value)
    if number is not None and math.isnan(number):
        raise DataError(f"{prefix} label is NaN")
    if threshold is not None:
        if number is None:
            raise DataError(
                f"{prefix} label {value!r} is not a number; with a threshold, "
                "labels are graded ratings"
            )
        if not math.isfinite(number):
            raise DataError(f"{prefix} rating {value!r} is not finite")
        return (UNCERTAIN if number <= threshold else CERTAIN), number
    try:
        return reader.read(value, where), None
    except ValueError as err:
        hint = "; graded ratings need a threshold" if number not in (None, 0.0, 1.0) else ""
        raise DataError(f"{prefix} {err}{hint}") from None


# ---------------------------------------------------------------------- checks
def _resolve_conflicts(examples: list[Example], duplicates: str) -> list[Example]:
    """Return ``examples`` without sentences labeled both ways, as ``duplicates`` says.

    ``"stop"`` raises a :class:`DataError` with the number of such sentences and the lines
    of the first ones; ``"drop"`` leaves every example of them out; ``"first"`` keeps the
    examples with the label the sentence has first.
    """
    firsts: dict[str, Example] = {}
    conflicts: dict[str, list[Example]] = {}
    for example in examples:
        key = " ".join(example.text.split())
        first = firsts.setdefault(key, example)
        if first.label != example.label:
            conflicts.setdefault(key, [first]).append(example)
    if not conflicts:
        return examples
    if duplicates == "stop":
        shown = []
        for key, (first, other, *_) in list(conflicts.items())[:_SHOWN_CONFLICTS]:
            quoted = key if len(key) <= _QUOTE else key[: _QUOTE - 3] + "..."
            shown.append(
                f"{first.where} and {other.where}: the same sentence is labeled "
                f"{first.label!r} and {other.label!r}: {quoted!r}"
            )
        n = len(conflicts)
        raise DataError(
            "; ".join(shown)
            + (f" ({n} sentences are labeled both ways)" if n > 1 else "")
            + "; to go on, --duplicates drop leaves them out, --duplicates first keeps "
            "each one's first label"
        )
    if duplicates == "drop":
        return [e for e in examples if " ".join(e.text.split()) not in conflicts]
    return [e for e in examples if firsts[" ".join(e.text.split())].label == e.label]


def _check_data(examples: list[Example], files: Sequence[str], min_per_class: int) -> None:
    """Check a whole data set: some sentences, enough of each class."""
    names = ", ".join(files)
    if not examples:
        raise DataError(f"{names}: no labeled sentences")
    if min_per_class <= 0:
        return
    counts = Counter(e.label for e in examples)
    if len(counts) == 1:
        (only,) = counts
        raise DataError(
            f"{names}: every sentence is labeled {only!r}; training needs both "
            "certain and uncertain sentences"
        )
    for label in (UNCERTAIN, CERTAIN):
        if counts[label] < min_per_class:
            raise DataError(
                f"{names}: only {counts[label]} {label!r} sentence"
                f"{'s' * (counts[label] != 1)}; at least {min_per_class} of each class "
                "are needed (cross-validation)"
            )


# ---------------------------------------------------------------------- public
def _read_file(
    path: Path,
    fmt: str | None,
    columns: tuple[str, str],
    threshold: float | None,
    reader: LabelReader,
    encoding: str = "utf-8",
    errors: str = "strict",
) -> list[Example]:
    name = str(path)
    chosen = _format_of(path, fmt)
    rows: Iterable[tuple[int, dict[str, Any]]]
    if chosen == "json" and _starts_an_array(path):
        rows = _json_array(path, name, columns, encoding, errors)
    else:
        rows = table_rows(
            name,
            "jsonl" if chosen == "json" else chosen,
            columns,
            encoding=encoding,
            errors=errors,
            all_columns=True,
        )
    text_col, label_col = columns
    examples = []
    for line, row in rows:
        where = f"{name}:{line}"
        sentence = _parse_text(row[text_col], where, text_col)
        label, rating = _parse_label(row[label_col], where, label_col, threshold, reader)
        cues = _parse_cues(row, where, len(sentence))
        aspects = _parse_aspects(row, where)
        examples.append(Example(sentence, label, rating, name, line, cues, aspects))
    if not examples:
        raise DataError(f"{name}: no labeled rows")
    return examples


def _parse_cues(
    row: dict[str, Any], where: str, length: int
) -> tuple[tuple[int, int, str], ...] | None:
    """Read the optional ``cues`` column: typed cue spans (see :func:`read_labeled`)."""
    from classifier.model.cuetypes import SZEGED_TYPES, TYPES

    value = row.get(CUES_COLUMN)
    if value is None:
        return None
    if isinstance(value, str):  # CSV/TSV: "start:end:type; ..."
        items: list[Any] = [piece.strip().split(":") for piece in value.split(";") if piece.strip()]
    elif isinstance(value, list):
        items = value
    else:
        raise DataError(f"{where}:{CUES_COLUMN}: expected a list of cues, found {_show(value)}")
    szeged = row.get("cue_types")
    if isinstance(szeged, list) and len(szeged) == len(items):  # the Szeged corpus files
        items = [
            [*item[:2], SZEGED_TYPES.get(kind, kind)]
            for item, kind in zip(items, szeged, strict=True)
        ]
    elif any(isinstance(item, list) and len(item) == 2 for item in items):
        return None  # spans without types: nothing to learn types from
    cues = []
    for item in items:
        ok = isinstance(item, list) and len(item) in (3, 4)
        if ok:
            start, end, kind = item[0], item[1], item[-1]
            try:
                start, end = int(start), int(end)
            except (TypeError, ValueError, OverflowError):  # OverflowError: 1e400
                ok = False
        if not ok or not 0 <= start < end <= length or kind not in TYPES:
            shown = ":".join(map(str, item)) if isinstance(value, str) else json.dumps(item)
            raise DataError(
                f"{where}:{CUES_COLUMN}: bad cue {shown!r}; expected start, end (character "
                f"offsets in the text) and a type of {', '.join(TYPES)}"
            )
        cues.append((start, end, str(kind)))
    return tuple(cues)


def _parse_aspects(row: dict[str, Any], where: str) -> dict[str, str] | None:
    """Read the optional ``aspects`` field or ``aspect_*`` columns (see :func:`read_labeled`)."""
    from classifier.model.aspects import ASPECTS, JUDGMENTS

    value = row.get("aspects")
    if value is None:
        value = {
            key[len(ASPECT_PREFIX) :]: cell
            for key, cell in row.items()
            if key.startswith(ASPECT_PREFIX) and cell not in ("", None)
        }
        if not any(key.startswith(ASPECT_PREFIX) for key in row):
            return None
    if not isinstance(value, dict):
        raise DataError(f"{where}:aspects: expected an object, found {_show(value)}")
    for aspect, judgment in value.items():
        if aspect not in ASPECTS or judgment not in JUDGMENTS:
            raise DataError(
                f"{where}:{ASPECT_PREFIX}{aspect}: {judgment!r}; aspects are "
                f"{', '.join(ASPECTS)}, each {', '.join(JUDGMENTS)} or empty"
            )
    return {str(k): str(v) for k, v in value.items()}


def read_labeled(
    path: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    *,
    text_col: str = "text",
    label_col: str = "label",
    fmt: str | None = None,
    threshold: float | None = None,
    uncertain_value: str | None = None,
    min_per_class: int = MIN_PER_CLASS,
    encoding: str = "utf-8",
    errors: str = "strict",
    duplicates: str = "stop",
) -> LabeledData:
    r"""Read labeled sentences from one file or several.

    Parameters
    ----------
    path : str, path-like, or a sequence of them
        JSONL (``.jsonl``), JSON (``.json``: an array of objects, or JSON Lines), CSV
        (``.csv``), TSV (``.tsv``) or Parquet (``.parquet``) files, read by
        :func:`classifier.io.tables.table_rows`. CSV and TSV need a header line.
        Several files are read as one data set.
    text_col, label_col : str
        The columns (fields) holding the sentence and its label.
    fmt : {"jsonl", "json", "csv", "tsv", "parquet"}, optional
        The format of every file; by default from each file's extension.
    threshold : float, optional
        Read labels as graded ratings: a rating at or below ``threshold`` means
        uncertain. The ratings are kept (:attr:`LabeledData.ratings`).
    uncertain_value : str, optional
        The label value that means uncertain; the one other value means certain. By
        default ``uncertain``, ``1`` and ``true``; ``"0"`` and ``"false"`` are the same
        choice, and any other value (``"yes"``) works too.
    min_per_class : int, default=MIN_PER_CLASS
        Fewest sentences of each class; 0 accepts a single class (for evaluation).
    encoding, errors : str
        How to decode the files (``errors``: ``"strict"`` or ``"replace"``).
    duplicates : {"stop", "drop", "first"}, default="stop"
        A sentence labeled both ways (compared with white space collapsed): stop with an
        error naming how many and the lines of the first ones, leave it out, or keep the
        examples with its first label. :attr:`LabeledData.dropped` counts those left out.

    Optional columns train cue types and aspects (:func:`train`): ``cues``, the typed
    cues of the sentence, in JSON a list of ``[start, end, type]`` (or ``[start, end,
    text, type]``), in CSV/TSV ``start:end:type`` pieces joined by ``;`` (offsets are
    characters of the text, types those of :data:`classifier.model.cuetypes.TYPES`); and
    ``aspect_number`` ... ``aspect_framing`` (in JSON also one ``aspects`` object), each
    ``certain``, ``uncertain``, ``absent`` or empty (not annotated).

    Returns
    -------
    LabeledData

    Raises
    ------
    DataError
        Naming file, line and column: a missing file or column, invalid UTF-8 or JSON,
        empty text, an empty, NaN or unknown label, labels written two ways, no rows,
        the same sentence labeled both ways (with ``duplicates="stop"``), or fewer than
        ``min_per_class`` sentences of a class.
    ValueError, TypeError
        For invalid options (both ``threshold`` and ``uncertain_value``, an unknown
        ``fmt``...).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> rows = [f"It may rain on day {i}.,1" for i in range(5)]
    >>> rows += [f"It rained on day {i}.,0" for i in range(5)]
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = pathlib.Path(folder) / "data.csv"
    ...     _ = path.write_text("text,label\n" + "\n".join(rows) + "\n", encoding="utf-8")
    ...     read_labeled(path).counts()
    {'certain': 5, 'uncertain': 5}
    """
    checked_threshold, reader = _check_options(threshold, uncertain_value)
    if duplicates not in DUPLICATES:
        raise ValueError(f"duplicates must be one of {', '.join(DUPLICATES)}, got {duplicates!r}")
    paths = [path] if isinstance(path, (str, os.PathLike)) else list(path)
    if not paths:
        raise ValueError("no file given")
    columns = (text_col, label_col)
    examples: list[Example] = []
    for item in paths:
        examples += _read_file(
            Path(item), fmt, columns, checked_threshold, reader, encoding, errors
        )
    files = tuple(str(Path(p)) for p in paths)  # as the examples name them
    kept = _resolve_conflicts(examples, duplicates)
    _check_data(kept, files, min_per_class)
    return LabeledData(tuple(kept), files, len(examples) - len(kept))


def _from_rows(
    rows: Iterable[Any], threshold: float | None, uncertain_value: str | None
) -> LabeledData:
    checked_threshold, reader = _check_options(threshold, uncertain_value)
    name = "<rows>"
    examples = []
    for number, row in enumerate(rows, start=1):
        where = f"{name}:{number}"
        if isinstance(row, (str, bytes)) or not isinstance(row, Sequence) or len(row) != 2:
            raise DataError(f"{where}: expected a (text, label) pair, found {_show(row)}")
        text = _parse_text(row[0], where, "text")
        label, rating = _parse_label(row[1], where, "label", checked_threshold, reader)
        examples.append(Example(text, label, rating, name, number))
    _check_data(_resolve_conflicts(examples, "stop"), (name,), MIN_PER_CLASS)
    return LabeledData(tuple(examples), (name,))


def train(
    data: str | os.PathLike[str] | Sequence[Any] | LabeledData,
    *,
    text_col: str = "text",
    label_col: str = "label",
    fmt: str | None = None,
    threshold: float | None = None,
    uncertain_value: str | None = None,
    seed: int = 0,
    lexicon: Lexicon | str | os.PathLike[str] | None = None,
    duplicates: str = "stop",
    decision_threshold: float | None = None,
    base: CertaintyClassifier | str | os.PathLike[str] | None = None,
    convention: str | None = None,
) -> CertaintyClassifier:
    """Read labeled data and fit a :class:`~classifier.model.CertaintyClassifier` in one call.

    Parameters
    ----------
    data : path, sequence of paths, sequence of (text, label) pairs, or LabeledData
        Files are read with :func:`read_labeled` and the other options; pairs take the
        same labels (and ``threshold`` / ``uncertain_value``), and the same checks.
    text_col, label_col, fmt, threshold, uncertain_value, duplicates
        As in :func:`read_labeled` (``duplicates`` for files).
    seed : int, default=0
        Seed of the cross-validation folds; same data and seed give the same model.
    decision_threshold : float, optional
        The decision threshold on certainty (``CertaintyClassifier(threshold=...)``);
        None to choose it by cross-validation. ``threshold`` is the rating cut-off.
    lexicon : Lexicon, str or path-like, optional
        A lexicon or lexicon directory; None for the bundled lexicons.
    base : CertaintyClassifier, str or path-like, optional
        A model to adapt, as ``CertaintyClassifier(base=...)``: the data become a new
        convention on top of its own (then ``lexicon`` adds entries to the base's).
    convention : str, optional
        With ``base``: the name of the new convention (default ``"data"``).

    Returns
    -------
    CertaintyClassifier
        Fitted; ``cv_metrics_`` holds its cross-validated scores. With a ``cues``
        column it has cue types, with aspect columns aspects (see :func:`read_labeled`).

    Raises
    ------
    DataError
        As :func:`read_labeled`.
    """
    from classifier.model.estimator import CertaintyClassifier

    if isinstance(data, LabeledData):
        labeled = data
    elif isinstance(data, (str, os.PathLike)) or (
        isinstance(data, Sequence) and data and isinstance(data[0], (str, os.PathLike))
    ):
        labeled = read_labeled(
            data,
            text_col=text_col,
            label_col=label_col,
            fmt=fmt,
            threshold=threshold,
            uncertain_value=uncertain_value,
            duplicates=duplicates,
        )
    else:
        labeled = _from_rows(data, threshold, uncertain_value)
    if isinstance(lexicon, (str, os.PathLike)):
        from classifier.cues.lexicon import load_lexicon

        lexicon = load_lexicon(Path(lexicon))
    if base is None and lexicon is not None and not lexicon.of(*HEDGE_CATEGORIES):
        warnings.warn(
            f"the lexicon has no hedge cue ({len(lexicon.entries)} entries): the model "
            "learns from words alone and names no cue",
            UserWarning,
            stacklevel=2,
        )
    clf = CertaintyClassifier(
        lexicon=lexicon, threshold=decision_threshold, random_state=seed, base=base
    )
    domains = None if convention is None else [convention] * len(labeled.examples)
    clf.fit(labeled.sentences, labeled.labels, labeled.ratings, domains=domains)
    typed = [e for e in labeled.examples if e.cues is not None]
    if typed:
        clf.fit_cue_types([e.text for e in typed], [e.cues or () for e in typed])
    judged = [e for e in labeled.examples if e.aspects]
    if judged:
        clf.fit_aspects([e.text for e in judged], [e.aspects or {} for e in judged])
    return clf
