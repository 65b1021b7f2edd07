"""Labels and the metrics of ``uncertain``: the one place that says what a label means.

A label is ``"certain"`` or ``"uncertain"`` (any letter case when read from a file),
``0``/``1`` or ``true``/``false`` (numbers, booleans or their strings; 1 and true mean
*uncertain*, as in the CoNLL-2010 and Szeged corpora), or the user's own values: with
``uncertain_labels`` (``fit(..., uncertain_labels=...)``, ``--uncertain-value``) those
values mean uncertain and the one other value means certain. The same rules serve
:meth:`~classifier.model.CertaintyClassifier.fit`,
:func:`classifier.io.labeled.read_labeled`
(and so ``hedge train`` and ``hedge eval``) and :func:`classifier.evaluate.evaluate`.

NumPy and scikit-learn are imported only inside the functions, so that scoring, which
needs the label names, does not pay for them (``hedge score`` starts without either).
"""

from __future__ import annotations

from collections.abc import Iterable
from numbers import Real
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

__all__ = [
    "CERTAIN",
    "CLASSES",
    "UNCERTAIN",
    "LabelReader",
    "check_labels",
    "confusion",
    "precision_recall_f1",
    "read_labels",
]

CERTAIN = "certain"
UNCERTAIN = "uncertain"
#: The classes in scikit-learn's (sorted) order: rows and columns of a confusion matrix.
CLASSES = (CERTAIN, UNCERTAIN)
#: Written binary values, lower case, to their meaning: True is "1".
BINARY = {"1": True, "true": True, "0": False, "false": False}
#: How a label was written, for the message when a data set mixes two ways.
WORDS, BINARY_KIND, OWN = "certain/uncertain", "0/1 or true/false", "your labels"


def _token(value: Any) -> str | None:
    """Return a label value as lower-case text; 0/1 numbers and booleans as "0"/"1"."""
    value = _key(value)
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, Real):
        return "0" if value == 0 else "1" if value == 1 else None
    if isinstance(value, str):
        token = value.strip().lower()
        if token in BINARY:
            return "1" if BINARY[token] else "0"
        try:
            number = float(token)
        except ValueError:
            return token or None
        return {0.0: "0", 1.0: "1"}.get(number, token)
    return None


class LabelReader:
    """Turn written labels into ``"certain"``/``"uncertain"``, one value at a time.

    One reader reads one data set: it fails when the labels are written in two ways
    (words and 0/1), or, with ``uncertain_labels``, when more than one other value appears.

    Parameters
    ----------
    uncertain_labels : iterable of label values, or one value, optional
        The values that mean uncertain (compared as :func:`_token` writes them: case and
        surrounding space ignored, ``1``, ``1.0``, ``"true"`` and ``True`` alike); the one
        other value means certain. None: words, or 0/1 with 1 and true uncertain.

    Raises
    ------
    ValueError
        If ``uncertain_labels`` is empty or holds something that is not a label.
    """

    def __init__(self, uncertain_labels: Any = None) -> None:
        self.uncertain: frozenset[str] | None = None
        if uncertain_labels is not None:
            one = isinstance(_key(uncertain_labels), (str, Real))
            given = [uncertain_labels] if one else list(uncertain_labels)
            tokens = [_token(value) for value in given]
            if not tokens or None in tokens:
                raise ValueError(
                    "the uncertain label must be one label value or several, "
                    f"got {uncertain_labels!r}"
                )
            self.uncertain = frozenset(t for t in tokens if t is not None)
        self.first: tuple[str, str] | None = None  # (kind or certain value, where first seen)

    def read(self, value: Any, where: str) -> str:
        """Return ``"certain"`` or ``"uncertain"`` for one written label.

        Parameters
        ----------
        value : str, int, float or bool
            The label as written.
        where : str
            Where it stands (``"label 3"``, ``"data.csv:4"``), for the messages.

        Raises
        ------
        ValueError
            For an unknown label, or one written unlike those before it (the message
            names where the first one was; the caller adds ``where``).
        """
        token = _token(value)
        if token is None:
            raise ValueError(f"{value!r} is not a label")
        if self.uncertain is not None:
            if token in self.uncertain:
                return UNCERTAIN
            self._same(token, where, f"with uncertain_labels {sorted(self.uncertain)}, the value")
            return CERTAIN
        if token in CLASSES:
            self._same(WORDS, where, "labels are written as")
            return token
        if token in ("0", "1"):
            self._same(BINARY_KIND, where, "labels are written as")
            return UNCERTAIN if token == "1" else CERTAIN
        raise ValueError(
            f"unknown label {value!r}; expected certain/uncertain, 0/1 or "
            "true/false, or say which values mean uncertain (uncertain_labels=, "
            "--uncertain-value)"
        )

    def _same(self, kind: str, where: str, what: str) -> None:
        if self.first is None:
            self.first = (kind, where)
        elif self.first[0] != kind:
            raise ValueError(
                f"{what} {self.first[0]!r} at {self.first[1]}, but here {kind!r}; "
                "use one kind of label throughout"
            )


def read_labels(y: Iterable[Any], uncertain_labels: Any = None) -> np.ndarray:
    """Return which of the labels ``y`` mean uncertain; one class alone is allowed.

    Raises
    ------
    ValueError
        Naming the first label that is not one, or that is written unlike the others.
    """
    import numpy as np

    reader = LabelReader(uncertain_labels)
    uncertain = []
    for i, value in enumerate(y):
        try:
            uncertain.append(reader.read(value, f"label {i}") == UNCERTAIN)
        except ValueError as err:
            raise ValueError(f"label {i}: {err}") from None
    return np.array(uncertain, dtype=bool)


def check_labels(
    y: Iterable[Any], n: int, uncertain_labels: Any = None
) -> tuple[np.ndarray, np.ndarray, Any]:
    """Check ``n`` labels and return their meaning and their classes, scikit-learn style.

    Parameters
    ----------
    y : iterable of label values
        One per sentence, written as the module docstring says.
    n : int
        The number of sentences.
    uncertain_labels : optional
        As for :class:`LabelReader`.

    Returns
    -------
    uncertain : numpy.ndarray of bool
        Which sentences are labeled uncertain.
    classes : numpy.ndarray
        The two label values as given, sorted (a classifier's ``classes_``).
    uncertain_class : object
        The one of ``classes`` that means uncertain.

    Raises
    ------
    ValueError
        For another number of labels, a label that is not one, labels written in two
        ways, or not exactly one value of each class.
    """
    import numpy as np

    values = list(y)
    if len(values) != n:
        raise ValueError(f"got {n} sentences but {len(values)} labels")
    reader = LabelReader(uncertain_labels)
    meaning: dict[Any, str] = {}
    for i, value in enumerate(values):
        try:
            meaning.setdefault(_key(value), reader.read(value, f"label {i}"))
        except ValueError as err:
            raise ValueError(f"label {i}: {err}") from None
    if sorted(meaning.values()) != sorted(CLASSES):
        found = ", ".join(sorted(map(repr, meaning)))
        raise ValueError(
            "y must hold one value for certain and one for uncertain sentences, got " + found
        )
    try:
        ordered = sorted(meaning)
    except TypeError:
        raise ValueError(f"y mixes label types: {sorted(map(repr, meaning))}") from None
    classes = np.array(ordered, dtype=object if isinstance(ordered[0], str) else None)
    uncertain_class = next(key for key, label in meaning.items() if label == UNCERTAIN)
    uncertain = np.fromiter((meaning[_key(v)] == UNCERTAIN for v in values), bool, n)
    return uncertain, classes, uncertain_class


def _key(value: Any) -> Any:
    """Return a NumPy scalar as the Python value it holds (``np.True_`` as True)."""
    return value.item() if type(value).__module__ == "numpy" and hasattr(value, "item") else value


def _counts(uncertain: np.ndarray, predicted: np.ndarray) -> tuple[int, int, int]:
    """Return the true positives, false positives and false negatives of ``uncertain``."""
    tp = int((predicted & uncertain).sum())
    fp = int((predicted & ~uncertain).sum())
    fn = int((~predicted & uncertain).sum())
    return tp, fp, fn


def precision_recall_f1(uncertain: np.ndarray, predicted: np.ndarray) -> tuple[float, float, float]:
    """Return precision, recall and F1 of ``uncertain`` (0 where undefined).

    The numbers of ``sklearn.metrics.precision_recall_fscore_support(average="binary",
    zero_division=0)`` (a test checks they are equal), counted here because the threshold
    search of ``CertaintyClassifier.fit`` calls this hundreds of times: on 32,255 sentences
    scikit-learn's function took 13 ms a call, these counts 0.06 ms (measured 2026-12-01).

    Parameters
    ----------
    uncertain, predicted : numpy.ndarray of bool
        Which sentences are uncertain, and which were predicted uncertain.
    """
    tp, fp, fn = _counts(uncertain, predicted)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0
    return precision, recall, f1


def confusion(
    uncertain: np.ndarray, predicted: np.ndarray
) -> tuple[tuple[int, int], tuple[int, int]]:
    """Return ``confusion[actual][predicted]``, classes in the order of :data:`CLASSES`.

    ``sklearn.metrics.confusion_matrix(uncertain, predicted, labels=[False, True])``,
    counted without importing scikit-learn.
    """
    tp, fp, fn = _counts(uncertain, predicted)
    tn = len(uncertain) - tp - fp - fn
    return (tn, fp), (fn, tp)
