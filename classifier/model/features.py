"""The scikit-learn transformer that turns sentences into lexicon and rule features.

The features themselves are defined in :mod:`classifier.cues.analysis`; this module gives
them columns and makes the sparse matrix scikit-learn trains on.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from classifier.cues.analysis import WORD, Analysis, Analyzer, check_sentences
from classifier.cues.lexicon import Lexicon, load_lexicon
from classifier.cues.matcher import DEFAULT_MAX_GAP

__all__ = ["CueFeaturizer"]


def _word_columns(vocabulary: dict[str, int]) -> dict[str, int]:
    return {name[len(WORD) :]: i for name, i in vocabulary.items() if name.startswith(WORD)}


class CueFeaturizer(TransformerMixin, BaseEstimator):
    """Turn sentences into sparse lexicon/rule features.

    Parameters
    ----------
    lexicon : Lexicon, str, Path or None, default=None
        The cues: a :class:`~classifier.cues.lexicon.Lexicon`, a lexicon directory, or None
        for the bundled lexicons. Read at ``fit``; the fitted featurizer keeps a copy.
    max_gap : int, default=DEFAULT_MAX_GAP
        Most words between the pieces of a discontinuous cue.
    context : bool, default=True
        Add each cue's (and its category's) previous and next word as features, to
        tell "or" in "whether ... or" from "or" in a list.
    unigrams : bool, default=True
        Add the sentence's words as features.
    min_df : int, default=2
        Keep only features seen in at least this many training sentences.

    Attributes
    ----------
    lexicon_ : Lexicon
        The lexicon used.
    vocabulary_ : dict of str to int
        Feature name to column.

    Examples
    --------
    >>> featurizer = CueFeaturizer(min_df=1).fit(["It may rain.", "It rained."])
    >>> featurizer.transform(["It may rain."]).shape
    (1, 12)
    >>> [n for n in featurizer.get_feature_names_out() if n.startswith("cue=may")]
    ['cue=may', 'cue=may|next=rain', 'cue=may|prev=it']
    """

    def __init__(
        self,
        *,
        lexicon: Lexicon | str | Path | None = None,
        max_gap: int = DEFAULT_MAX_GAP,
        context: bool = True,
        unigrams: bool = True,
        min_df: int = 2,
    ) -> None:
        self.lexicon = lexicon
        self.max_gap = max_gap
        self.context = context
        self.unigrams = unigrams
        self.min_df = min_df

    def _check_params(self) -> None:
        if isinstance(self.max_gap, bool) or not isinstance(self.max_gap, int):
            raise TypeError(f"max_gap must be an int, got {type(self.max_gap).__name__}")
        if self.max_gap < 0:
            raise ValueError(f"max_gap must be >= 0, got {self.max_gap}")
        if isinstance(self.min_df, bool) or not isinstance(self.min_df, int) or self.min_df < 1:
            raise ValueError(f"min_df must be an int >= 1, got {self.min_df!r}")

    def fit(self, X: Iterable[str], y: Any = None) -> CueFeaturizer:
        """Load the lexicon and learn the feature vocabulary from sentences ``X``.

        Parameters
        ----------
        X : iterable of str
            Training sentences.
        y : ignored

        Returns
        -------
        self
        """
        sentences = check_sentences(X)
        self._check_params()
        lexicon = self.lexicon
        self.lexicon_ = lexicon if isinstance(lexicon, Lexicon) else load_lexicon(lexicon)
        self._analyzer = self._new_analyzer()
        counts: Counter[str] = Counter()
        for sentence in sentences:
            counts.update(self.analyze(sentence).feature_names())
        kept = sorted(name for name, count in counts.items() if count >= self.min_df)
        self.vocabulary_ = {name: i for i, name in enumerate(kept)}
        self._word_columns = _word_columns(self.vocabulary_)
        return self

    def _new_analyzer(self) -> Analyzer:
        return Analyzer(self.lexicon_, self.max_gap, self.context, self.unigrams)

    def __getstate__(self) -> dict[str, Any]:
        """Leave the analyzer out of pickles; it is rebuilt from ``lexicon_``."""
        state = self.__dict__.copy()
        state.pop("_analyzer", None)
        state.pop("_word_columns", None)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        """Restore a pickled featurizer and rebuild its analyzer."""
        self.__dict__.update(state)
        if "lexicon_" in state:
            self._analyzer = self._new_analyzer()
        if "vocabulary_" in state:
            self._word_columns = _word_columns(self.vocabulary_)

    def analyze(self, sentence: str) -> Analysis:
        """Find the cues of one sentence, judge them, and list its features.

        Parameters
        ----------
        sentence : str

        Returns
        -------
        Analysis
        """
        return self._analyzer.analyze(sentence)

    def vectorize(self, analyses: list[Analysis]) -> sp.csr_matrix:
        """Turn analyses into a sparse matrix with one row per analysis."""
        vocabulary = self.vocabulary_
        word_columns = self._word_columns
        indptr = [0]
        indices: list[int] = []
        values: list[float] = []
        for analysis in analyses:
            row: dict[int, float] = {}  # summed in feature order: "prior" of several cues
            for name, value, _ in analysis.features:
                column = vocabulary.get(name)
                if column is not None:
                    row[column] = row.get(column, 0.0) + value
            indices.extend(row)
            values.extend(row.values())
            columns = [word_columns[w] for w in analysis.words if w in word_columns]
            indices.extend(columns)
            values.extend([1.0] * len(columns))
            indptr.append(len(indices))
        matrix = sp.csr_matrix(
            (np.asarray(values, dtype=np.float64), np.asarray(indices, dtype=np.int32), indptr),
            shape=(len(analyses), len(vocabulary)),
        )
        # Column order within a row follows set iteration, which varies with the hash seed
        # of the process; sorted, every process computes the same dot products.
        matrix.sort_indices()
        return matrix

    def transform(self, X: Iterable[str]) -> sp.csr_matrix:
        """Featurize sentences ``X``.

        Parameters
        ----------
        X : iterable of str

        Returns
        -------
        scipy.sparse.csr_matrix of shape (n_sentences, n_features)
        """
        check_is_fitted(self, "vocabulary_")
        return self.vectorize([self.analyze(s) for s in check_sentences(X)])

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """Return the feature names, one per column."""
        check_is_fitted(self, "vocabulary_")
        names = np.empty(len(self.vocabulary_), dtype=object)
        for name, column in self.vocabulary_.items():
            names[column] = name
        return names
