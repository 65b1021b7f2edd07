"""The trainable certainty classifier: a scikit-learn estimator, and its export as a Scorer.

Scoring text (sentences with cues, explanations, batches) is the job of the
:class:`~classifier.model.scorer.Scorer` that a fitted classifier exports (``clf.scorer_``,
``clf.to_scorer()``); the classifier itself keeps to scikit-learn's contract, so that
``cross_val_score``, ``GridSearchCV`` and ``Pipeline`` work on it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from numbers import Integral, Real
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.model_selection import FixedThresholdClassifier
from sklearn.pipeline import Pipeline
from sklearn.utils import Tags
from sklearn.utils.validation import check_is_fitted

from classifier._compat import HasMethods, Interval
from classifier.cues.analysis import check_sentences
from classifier.cues.lexicon import Lexicon
from classifier.cues.matcher import DEFAULT_MAX_GAP
from classifier.model.aspects import AspectModel
from classifier.model.cuetypes import CueTyper
from classifier.model.features import CueFeaturizer
from classifier.model.labels import CERTAIN, UNCERTAIN, check_labels, precision_recall_f1
from classifier.model.linear import Linear
from classifier.model.scorer import Scorer

__all__ = ["CertaintyClassifier"]

#: Regularization strengths tried by cross-validation when ``C`` is None.
C_GRID = (0.03, 0.1, 0.3, 1.0)
#: Ridge penalties tried by cross-validation for the rating regression.
ALPHA_GRID = (3.0, 10.0, 30.0, 100.0)
#: Fewest rated sentences for which a rating regression is fitted.
MIN_RATINGS = 30
#: Thresholds on P(certain) tried by cross-validation when ``threshold`` is None.
THRESHOLD_GRID = tuple(np.round(np.arange(0.20, 0.81, 0.01), 2))
#: With ``base``: strengths C of the user's own weights on top of the base model's, tried
#: by cross-validation when ``C`` is None; the smaller, the more the base is trusted. The
#: cross-validation also tries no trust: the base left out, C from :data:`C_GRID`.
TRUST_GRID = (0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
#: With ``base``: the cross-validation takes the most trust whose out-of-fold F1 is within
#: this much of the best one's.
TRUST_TOLERANCE = 0.01


def _check_ratings(ratings: Iterable[float] | None, n: int) -> np.ndarray:
    if ratings is None:
        return np.full(n, np.nan)
    try:
        values = np.asarray(list(ratings), dtype=float)
    except (TypeError, ValueError):
        raise ValueError("ratings must be numbers (NaN where a sentence has none)") from None
    if values.shape != (n,):
        raise ValueError(f"got {n} sentences but {len(values)} ratings")
    if np.isinf(values).any():
        raise ValueError(f"rating {int(np.flatnonzero(np.isinf(values))[0])} is infinite")
    return values


#: Domain name of sentences trained without ``domains``.
SINGLE_DOMAIN = "data"
#: The convention of what all training domains share: the shared weights alone.
SHARED = "shared"
#: Thresholds within this much of the best out-of-fold F1 form the plateau whose middle
#: is chosen: an argmax over a noisy F1 curve would pick an accident of the folds.
PLATEAU_TOLERANCE = 0.005


def _check_domains(domains: Iterable[str] | None, n: int) -> np.ndarray:
    if domains is None:
        return np.full(n, SINGLE_DOMAIN, dtype=object)
    values = np.asarray([str(d) for d in domains], dtype=object)
    if values.shape != (n,):
        raise ValueError(f"got {n} sentences but {len(values)} domains")
    for name in sorted(set(values)):
        check_convention_name(name)
    return values


def check_convention_name(name: str) -> str:
    """Return ``name`` if it can name a convention (a domain), else raise ``ValueError``.

    It names a member of the model archive, ``conventions/NAME.json``: letters, digits
    and ``_``, not starting with a digit (:meth:`str.isidentifier`), as the archive reader
    accepts.
    """
    if not name.isidentifier():
        raise ValueError(
            f"{name!r} cannot name a convention: use letters, digits and _ (not first a digit)"
        )
    return name


def _augment(features: Any, domain: np.ndarray, names: list[str]) -> Any:
    """Return the features once shared and once per domain, plus a domain indicator.

    With one domain the features are returned as they are.
    """
    import scipy.sparse as sp

    if len(names) == 1:
        return features
    masks = [(domain == d).astype(float) for d in names]
    blocks = [features] + [sp.diags(mask) @ features for mask in masks]
    blocks.append(sp.csr_matrix(np.column_stack(masks)))
    return sp.hstack(blocks, format="csr")


def _convention(
    coef: np.ndarray, intercept: float, width: int, names: list[str], domain: str
) -> tuple[np.ndarray, float]:
    """Return one domain's weights over the plain features: shared plus its own.

    For :data:`SHARED`, the shared weights alone, with the mean of the domains' intercepts.
    """
    if len(names) == 1:
        return np.asarray(coef, dtype=float).copy(), float(intercept)
    indicators = coef[width * (len(names) + 1) :]
    if domain == SHARED:
        return coef[:width].copy(), float(intercept + np.mean(indicators))
    k = names.index(domain)
    own = coef[width * (k + 1) : width * (k + 2)]
    return coef[:width] + own, float(intercept + coef[width * (len(names) + 1) + k])


def _folds(
    labels: np.ndarray, domain: np.ndarray, groups: Iterable[Any] | None, cv: int, seed: int
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Yield cross-validation folds stratified by domain and label, by group when given."""
    from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold

    strata = np.array([f"{d}|{label}" for d, label in zip(domain, labels, strict=True)])
    dummy = np.zeros(len(labels))
    if groups is None:
        yield from StratifiedKFold(cv, shuffle=True, random_state=seed).split(dummy, strata)
    else:
        ids = np.asarray([str(g) for g in groups], dtype=object)
        if ids.shape != labels.shape:
            raise ValueError(f"got {len(labels)} sentences but {len(ids)} groups")
        splitter = StratifiedGroupKFold(cv, shuffle=True, random_state=seed)
        yield from splitter.split(dummy, strata, ids)


def _plateau(uncertain: np.ndarray, certainty: np.ndarray) -> tuple[float, float]:
    """Return the middle of the best-F1 plateau of thresholds on P(certain), and that F1."""
    f1s = np.array([precision_recall_f1(uncertain, certainty < t)[2] for t in THRESHOLD_GRID])
    best = float(f1s.max())
    plateau = np.flatnonzero(f1s >= best - PLATEAU_TOLERANCE)
    return float(THRESHOLD_GRID[int(plateau[len(plateau) // 2])]), best


def _expand(
    coef: np.ndarray, intercept: float, names: Iterable[str], columns: dict[str, int]
) -> tuple[np.ndarray, float]:
    """Return weights over ``names`` as weights over the wider ``columns`` (zero elsewhere)."""
    wide = np.zeros(len(columns))
    wide[[columns[name] for name in names]] = coef
    return wide, float(intercept)


def _fit_offset(
    features: Any,
    offset: np.ndarray,
    target: np.ndarray,
    weights: np.ndarray,
    penalty: float,
    logistic: bool,
) -> tuple[float, float, np.ndarray]:
    """Fit ``scale * offset + intercept + features @ own`` to ``target``.

    The loss is logistic (``target`` 1 for uncertain) or squared, weighted by ``weights``;
    ``own`` is penalized by ``penalty / 2 * ||own||^2``, so that the offset (a base
    model's log-odds or rating) is rescaled and shifted almost freely (a unit penalty on
    ``scale - 1`` and ``intercept`` keeps them finite when the offset separates the
    classes) and departed from at a cost. Solved by Newton's method over the columns the
    rows use (the others stay 0).

    Returns
    -------
    scale, intercept, own
    """
    from scipy.optimize import minimize
    from scipy.special import expit

    active = np.unique(features.indices)
    x = features[:, active].tocsr()
    width = len(active)
    xt = x.T.tocsr()

    def unpack(theta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        own = theta[:width]
        return own, theta[width] * offset + theta[width + 1] + x @ own

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        own, eta = unpack(theta)
        if logistic:
            value = float(weights @ (np.logaddexp(0.0, eta) - target * eta))
            residual = weights * (expit(eta) - target)
        else:
            value = float(weights @ (eta - target) ** 2) / 2
            residual = weights * (eta - target)
        moved, shift = theta[width] - 1.0, theta[width + 1]
        value += penalty / 2 * float(own @ own) + (moved**2 + shift**2) / 2
        rest = [residual @ offset + moved, residual.sum() + shift]
        gradient = np.concatenate([xt @ residual + penalty * own, rest])
        return value, gradient

    def hessian_times(theta: np.ndarray, vector: np.ndarray) -> np.ndarray:
        _, eta = unpack(theta)
        if logistic:
            p = expit(eta)
            curvature = weights * p * (1 - p)
        else:
            curvature = weights
        v = vector[:width]
        product = curvature * (x @ v + vector[width] * offset + vector[width + 1])
        rest = [product @ offset + vector[width], product.sum() + vector[width + 1]]
        return np.concatenate([xt @ product + penalty * v, rest])

    start = np.concatenate([np.zeros(width), [1.0, 0.0]])
    theta = minimize(
        loss,
        start,
        jac=True,
        hessp=hessian_times,
        method="Newton-CG",
        options={"xtol": 1e-7, "maxiter": 200},
    ).x
    own = np.zeros(features.shape[1])
    own[active] = theta[:width]
    return float(theta[width]), float(theta[width + 1]), own


def _binary_metrics(uncertain: np.ndarray, predicted: np.ndarray) -> dict[str, float]:
    precision, recall, f1 = precision_recall_f1(uncertain, predicted)
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "accuracy": float(np.mean(predicted == uncertain)),
    }


def _fitted_logistic(coef: np.ndarray, intercept: float, C: float = 1.0) -> LogisticRegression:
    """Return a fitted-looking logistic regression with these weights and ``C``."""
    model = LogisticRegression(C=C, solver="liblinear", max_iter=1000)
    model.coef_ = np.asarray(coef, dtype=float).reshape(1, -1)
    model.intercept_ = np.array([intercept])
    model.classes_ = np.array([CERTAIN, UNCERTAIN], dtype=object)
    model.n_features_in_ = model.coef_.shape[1]
    return model


def _final_step(model: LogisticRegression, threshold: float) -> FixedThresholdClassifier:
    """Return the pipeline's last step: ``model`` deciding ``certain`` at P(certain) >= threshold.

    Its ``estimator_.C`` is the chosen C and its ``threshold`` the chosen threshold, so
    ``pipeline_.predict`` gives the labels :meth:`CertaintyClassifier.predict` gives.
    """
    step = FixedThresholdClassifier(
        model, threshold=threshold, pos_label=CERTAIN, response_method="predict_proba"
    )
    step.estimator_ = model
    return step


def _range(ratings: np.ndarray) -> tuple[float, float] | None:
    """Return the least and greatest of the ratings a model learns from; None for none."""
    if not len(ratings):
        return None
    return float(np.min(ratings)), float(np.max(ratings))


def _fitted_ridge(coef: np.ndarray, intercept: float, alpha: float) -> Ridge:
    """Return a fitted-looking ridge regression with these weights."""
    model = Ridge(alpha=alpha)
    model.coef_ = np.asarray(coef, dtype=float)
    model.intercept_ = float(intercept)
    model.n_features_in_ = len(model.coef_)
    return model


class CertaintyClassifier(ClassifierMixin, BaseEstimator):
    """Score English sentences for certainty, and say which cue words made them hedged.

    Parameters
    ----------
    lexicon : Lexicon, str, Path or None, default=None
        Lexicon or lexicon directory; None for the bundled lexicons.
    C : float or None, default=None
        Inverse regularization strength of the logistic regression; None chooses it
        from :data:`C_GRID` by cross-validation.
    threshold : float or None, default=None
        Sentences with ``certainty`` below it are labeled uncertain; None chooses the
        threshold that maximizes out-of-fold F1 of ``uncertain``.
    max_gap, context, unigrams, min_df
        Passed to :class:`~classifier.model.features.CueFeaturizer`.
    convention : str or None, default=None
        With ``fit(..., domains=...)``: the domain whose labelling convention the model
        predicts with; None for the first domain name in sorted order.
    cv : int, default=5
        Cross-validation folds for choosing ``C`` and ``threshold``.
    random_state : int, default=0
        Seed of the fold shuffling.
    base : CertaintyClassifier, str, Path or None, default=None
        A fitted model, or a model file, to adapt (``CertaintyClassifier.load()`` for the
        bundled one): ``fit`` learns its sentences as one new convention on top of the
        base's own (its log-odds rescaled and shifted, plus weights of its own penalized
        by ``1 / C``, ``C`` chosen from :data:`TRUST_GRID` by cross-validation when None;
        the smaller ``C``, the more the base is trusted; the cross-validation may also
        leave the base out, when the data contradict it), and the model keeps the base's
        conventions, cue types and aspects and predicts with the new one (or
        ``convention``). The lexicon is the base's plus ``lexicon``'s entries, and
        ``max_gap``, ``context`` and ``unigrams`` are the base's. The domain of
        ``fit(..., domains=...)`` (one name, "data" by default) names the new convention.
        A fitted base is kept as it is by ``clone`` and is pickled with the model; a path
        is not.

    Attributes
    ----------
    classes_ : numpy.ndarray
        The two label values ``y`` used, sorted; columns of :meth:`predict_proba`.
    uncertain_class_ : object
        The one of ``classes_`` that means uncertain.
    pipeline_ : sklearn.pipeline.Pipeline
        Features, then a :class:`~sklearn.model_selection.FixedThresholdClassifier`
        whose ``estimator_`` is the logistic regression with the chosen ``C`` and whose
        ``threshold`` is the chosen threshold on P(certain).
    threshold_ : float
        The threshold in use.
    cv_metrics_ : dict
        Out-of-fold precision, recall, F1 of ``uncertain`` and accuracy at ``threshold_``,
        and the chosen ``C``; with ratings, ``rating``: the out-of-fold Pearson r and the
        chosen ``alpha`` of the rating regression. With ``base``, also ``base``: the
        base model's metrics on the training sentences at its own threshold;
        ``base_scale``: the factor of its log-odds in the new convention (0 when the base
        was left out); ``tried``: the out-of-fold F1 of each ``C``, with and without the base.
    rating_model_ : Ridge or None
        The rating regression, when the model was trained with ratings.
    rating_range_ : (float, float) or None
        The least and greatest training rating: predicted ratings stay within them.
    cue_types_ : CueTyper or None
        The cue types, after :meth:`fit_cue_types`.
    aspects_ : AspectModel or None
        The aspect models, after :meth:`fit_aspects`.
    scorer_ : Scorer
        The fitted model's weights, which do all text scoring (see :meth:`to_scorer`).

    Examples
    --------
    >>> from sklearn.model_selection import cross_val_score
    >>> X = [f"It may rain on day {i}." for i in range(6)] + [
    ...     f"It rained on day {i}." for i in range(6)]
    >>> y = [1] * 6 + [0] * 6
    >>> clf = CertaintyClassifier(min_df=1, cv=3).fit(X, y)
    >>> clf.classes_, clf.predict(["It may rain on day 9.", "It rained on day 9."]).tolist()
    (array([0, 1]), [1, 0])
    >>> cross_val_score(CertaintyClassifier(min_df=1, cv=2), X, y, cv=3).tolist()
    [1.0, 1.0, 1.0]
    >>> [(s.label, [c.text for c in s.cues]) for s in clf.scorer_.score("It may rain on day 9.")]
    [('uncertain', ['may'])]
    """

    _parameter_constraints: dict[str, list[Any]] = {
        "lexicon": [Lexicon, str, os.PathLike, None],
        "C": [Interval(Real, 0, None, closed="neither"), None],
        "threshold": [Interval(Real, 0, 1, closed="both"), None],
        "max_gap": [Interval(Integral, 0, None, closed="left")],
        "context": ["boolean"],
        "unigrams": ["boolean"],
        "min_df": [Interval(Integral, 1, None, closed="left")],
        "convention": [str, None],
        "cv": [Interval(Integral, 2, None, closed="left")],
        "random_state": ["random_state"],
        "base": [HasMethods(["to_scorer", "get_params"]), str, os.PathLike, None],
    }

    def __init__(
        self,
        *,
        lexicon: Lexicon | str | Path | None = None,
        C: float | None = None,
        threshold: float | None = None,
        max_gap: int = DEFAULT_MAX_GAP,
        context: bool = True,
        unigrams: bool = True,
        min_df: int = 2,
        convention: str | None = None,
        cv: int = 5,
        random_state: int = 0,
        base: CertaintyClassifier | str | os.PathLike[str] | None = None,
    ) -> None:
        self.lexicon = lexicon
        self.C = C
        self.threshold = threshold
        self.max_gap = max_gap
        self.context = context
        self.unigrams = unigrams
        self.min_df = min_df
        self.convention = convention
        self.cv = cv
        self.random_state = random_state
        self.base = base

    # ------------------------------------------------------------------ training
    def fit(
        self,
        X: Iterable[str],
        y: Iterable[Any],
        ratings: Iterable[float] | None = None,
        *,
        domains: Iterable[str] | None = None,
        groups: Iterable[Any] | None = None,
        sample_weight: Iterable[float] | None = None,
        uncertain_labels: Any = None,
    ) -> CertaintyClassifier:
        """Fit on sentences ``X`` and their labels ``y``.

        Parameters
        ----------
        X : iterable of str
            Sentences.
        y : iterable
            Their labels: ``"certain"``/``"uncertain"``, or 0/1 or booleans (1 and True
            mean uncertain), or any two values with ``uncertain_labels``
            (:mod:`classifier.model.labels`). :meth:`predict` returns the same values.
        ratings : iterable of float, optional
            Graded certainty ratings (higher is more certain), NaN where a sentence has
            none. With at least :data:`MIN_RATINGS` of them, a ridge regression on the same
            features learns to predict them (:meth:`predict_rating`).
        domains : iterable of str, optional
            The corpus (labelling convention) of each sentence. With more than one,
            every feature is learned once shared and once per domain (Daume 2007,
            "Frustratingly easy domain adaptation"); a convention's weights are the shared
            weights plus its own, and ``convention`` picks the one the model predicts with.
        groups : iterable, optional
            A document id per sentence: cross-validation folds keep a document together.
        sample_weight : iterable of float, optional
            A weight per sentence.
        uncertain_labels : label value or iterable of them, optional
            The value of ``y`` that means uncertain, e.g. ``"yes"`` or ``0``.

        Returns
        -------
        self

        Raises
        ------
        sklearn.utils._param_validation.InvalidParameterError
            For an invalid parameter, with scikit-learn's message.
        ValueError
            For labels that are not two values, one of each class (naming the first
            bad one).
        """
        from sklearn.model_selection import cross_val_predict

        self._validate_params()
        sentences = check_sentences(X)
        n = len(sentences)
        is_uncertain, classes, uncertain_class = check_labels(y, n, uncertain_labels)
        labels = np.where(is_uncertain, UNCERTAIN, CERTAIN).astype(object)
        graded = _check_ratings(ratings, n)
        domain = _check_domains(domains, n)
        names = sorted(set(domain))
        weights = np.ones(n) if sample_weight is None else np.asarray(list(sample_weight), float)
        if weights.shape != (n,):
            raise ValueError(f"got {n} sentences but {len(weights)} sample weights")
        if self.base is not None:
            self._fit_adapted(sentences, is_uncertain, graded, names, groups, weights)
            self.classes_ = classes
            self.uncertain_class_ = uncertain_class
            return self
        if self.convention is not None and self.convention not in names + [SHARED]:
            raise ValueError(
                f"convention {self.convention!r} is not among the training domains {names}"
            )
        featurizer = CueFeaturizer(
            lexicon=self.lexicon,
            max_gap=self.max_gap,
            context=self.context,
            unigrams=self.unigrams,
            min_df=self.min_df,
        )
        base = featurizer.fit_transform(sentences)
        features = _augment(base, domain, names)
        folds = list(_folds(labels, domain, groups, self.cv, self.random_state))
        uncertain = labels == UNCERTAIN
        best: tuple[float, float, np.ndarray, dict[str, float]] | None = None
        for C in C_GRID if self.C is None else (self.C,):
            oof = cross_val_predict(
                self._logistic(C),
                features,
                labels,
                cv=folds,
                method="predict_proba",
                params={"sample_weight": weights},
            )[:, 0]
            chosen = {d: self._threshold(uncertain[domain == d], oof[domain == d]) for d in names}
            # the mean over domains of each domain's out-of-fold F1 at its threshold
            quality = float(np.mean([f1 for _, f1 in chosen.values()]))
            if best is None or quality > best[0]:
                best = (quality, C, oof, {d: t for d, (t, _) in chosen.items()})
        assert best is not None
        _, C, oof, self.thresholds_ = best
        model = self._logistic(C).fit(features, labels, sample_weight=weights)
        self.domains_ = names
        conventions = names + [SHARED] if len(names) > 1 else names
        self.conventions_ = {
            d: _convention(model.coef_[0], model.intercept_[0], base.shape[1], names, d)
            for d in conventions
        }
        self.cv_metrics_: dict[str, Any] = {"C": C, "folds": self.cv}
        for d in names:
            mask = domain == d
            self.cv_metrics_[d] = _binary_metrics(uncertain[mask], oof[mask] < self.thresholds_[d])
        if len(names) > 1:
            self.thresholds_[SHARED] = float(np.median(list(self.thresholds_.values())))
        convention = self.convention or names[0]
        self.threshold_ = self.thresholds_[convention]
        self.__dict__.pop("_scorer", None)
        self.cue_types_: CueTyper | None = None
        self.aspects_: AspectModel | None = None
        final = _fitted_logistic(*self.conventions_[convention], C=C)
        self.pipeline_ = Pipeline(
            [("features", featurizer), ("model", _final_step(final, self.threshold_))]
        )
        self.classes_ = classes
        self.uncertain_class_ = uncertain_class
        self.cv_metrics_.update(self.cv_metrics_.get(convention, {}))
        self.rating_model_ = None
        self.rating_conventions_ = {}
        rated = np.flatnonzero(np.isfinite(graded))
        self.rating_range_ = _range(graded[rated])
        self.rating_ranges_: dict[str, tuple[float, float]] = {}
        if len(rated) >= MIN_RATINGS:
            rated_domains = sorted(set(domain[rated]))
            ridge, self.cv_metrics_["rating"] = self._fit_ratings(
                _augment(base[rated], domain[rated], rated_domains), graded[rated], domain[rated]
            )
            rated_conventions = (
                rated_domains + [SHARED] if len(rated_domains) > 1 else rated_domains
            )
            self.rating_conventions_ = {
                d: _convention(ridge.coef_, ridge.intercept_, base.shape[1], rated_domains, d)
                for d in rated_conventions
            }
            rating_convention = (
                convention if convention in rated_conventions else rated_conventions[-1]
            )
            coef, intercept = self.rating_conventions_[rating_convention]
            self.rating_model_ = _fitted_ridge(coef, intercept, ridge.alpha)
        return self

    def _base_model(self) -> CertaintyClassifier:
        """Return ``base`` as a fitted classifier, loading it when it is a path."""
        if isinstance(self.base, (str, os.PathLike)):
            return CertaintyClassifier.load(Path(os.fspath(self.base)))
        check_is_fitted(self.base, "pipeline_")
        return self.base  # type: ignore[return-value]

    def _fit_adapted(
        self,
        sentences: list[str],
        uncertain: np.ndarray,
        graded: np.ndarray,
        names: list[str],
        groups: Iterable[Any] | None,
        weights: np.ndarray,
    ) -> None:
        """Fit the sentences as one new convention on top of ``base`` (see :meth:`fit`).

        The new convention's log-odds are the base model's own log-odds, rescaled and
        shifted, plus weights of its own penalized by ``1 / C``; ``C`` (the less, the more
        the base is trusted) and the threshold are chosen by cross-validation, which may
        also leave the base out (the data contradict it: no trust). With
        ratings, the rating regression adapts the base's rating in the same way.
        """
        from scipy.special import expit

        from classifier.cues.lexicon import load_lexicon

        base = self._base_model()
        if len(names) != 1:
            raise ValueError(f"with base, the sentences must be one domain, got {names}")
        name = names[0]
        if name in base.conventions_:
            raise ValueError(
                f"the base model has a convention {name!r} already: name the new one "
                "with domains (hedge train --convention NAME)"
            )
        conventions = sorted(base.conventions_) + [name]
        if self.convention is not None and self.convention not in conventions:
            raise ValueError(
                f"convention {self.convention!r} is neither the new one nor among the base "
                f"model's {sorted(base.conventions_)}"
            )
        old: CueFeaturizer = base.pipeline_.named_steps["features"]
        lexicon = old.lexicon_
        if self.lexicon is not None:
            own = self.lexicon if isinstance(self.lexicon, Lexicon) else load_lexicon(self.lexicon)
            lexicon = lexicon.merged(own)
        featurizer = CueFeaturizer(
            lexicon=lexicon,
            max_gap=old.max_gap,
            context=old.context,
            unigrams=old.unigrams,
            min_df=self.min_df,
        ).fit(sentences)
        # the base's features and the new ones the sentences have, in one column space
        columns = {
            feature: i
            for i, feature in enumerate(sorted(set(old.vocabulary_) | set(featurizer.vocabulary_)))
        }
        featurizer.__setstate__({**featurizer.__getstate__(), "vocabulary_": columns})
        old_names = old.get_feature_names_out()
        features = featurizer.transform(sentences)
        prior = base.pipeline_.named_steps["model"].estimator_
        w0, b0 = _expand(prior.coef_[0], prior.intercept_[0], old_names, columns)
        log_odds = features @ w0 + b0
        target = uncertain.astype(float)
        labels = np.where(uncertain, UNCERTAIN, CERTAIN).astype(object)
        domain = np.full(len(sentences), name, dtype=object)
        folds = list(_folds(labels, domain, groups, self.cv, self.random_state))
        # (C, whether the base is used), from the most trust to none; C 0: the base as it is
        candidates = [(C, True) for C in (TRUST_GRID if self.C is None else (self.C,))]
        if self.C is None:
            candidates = [(0.0, True), *candidates, *[(C, False) for C in C_GRID]]
        results = []
        for C, trusted in candidates:
            if C == 0.0:  # its F1 on these sentences is out of sample: it never saw them
                as_is = expit(-log_odds)
                f1 = precision_recall_f1(uncertain, as_is < base.threshold_)[2]
                results.append((base.threshold_, f1, as_is))
                continue
            offset = log_odds if trusted else np.zeros(len(sentences))
            oof = np.empty(len(sentences))
            for train, test in folds:
                scale, intercept, own_coef = _fit_offset(
                    features[train], offset[train], target[train], weights[train], 1 / C, True
                )
                eta = scale * offset[test] + intercept + features[test] @ own_coef
                oof[test] = expit(-eta)  # P(certain)
            results.append((*self._threshold(uncertain, oof), oof))
        # the most trust whose F1 is within TRUST_TOLERANCE of the best
        top = max(f1 for _, f1, _ in results)
        chosen = next(i for i, (_, f1, _) in enumerate(results) if f1 >= top - TRUST_TOLERANCE)
        (C, trusted), (threshold, _, oof) = candidates[chosen], results[chosen]
        tried = [
            {"C": c, "base": t, "f1": f1}
            for (c, t), (_, f1, _) in zip(candidates, results, strict=True)
        ]
        if C == 0.0:
            scale, intercept, own_coef = 1.0, 0.0, np.zeros(len(columns))
        else:
            offset = log_odds if trusted else np.zeros(len(sentences))
            fitted = _fit_offset(features, offset, target, weights, 1 / C, True)
            scale, intercept, own_coef = fitted[0] * trusted, fitted[1], fitted[2]
        self.conventions_ = {
            d: _expand(*base.conventions_[d], old_names, columns) for d in sorted(base.conventions_)
        }
        self.conventions_[name] = (scale * w0 + own_coef, scale * b0 + intercept)
        self.thresholds_ = {**base.thresholds_, name: threshold}
        self.domains_ = sorted({*getattr(base, "domains_", []), name})
        convention = self.convention or name
        self.threshold_ = self.thresholds_[convention]
        self.cv_metrics_ = {
            "C": C,
            "folds": self.cv,
            "base_scale": scale,
            "tried": tried,
            name: _binary_metrics(uncertain, oof < threshold),
            # the base alone, at its own threshold: it never saw these sentences
            "base": _binary_metrics(uncertain, expit(-log_odds) < base.threshold_),
        }
        self.cv_metrics_.update(self.cv_metrics_[name])
        self.__dict__.pop("_scorer", None)
        self.cue_types_ = getattr(base, "cue_types_", None)
        self.aspects_ = getattr(base, "aspects_", None)
        final = _fitted_logistic(*self.conventions_[convention])
        self.pipeline_ = Pipeline(
            [("features", featurizer), ("model", _final_step(final, self.threshold_))]
        )
        self._fit_adapted_ratings(base, features, graded, name, old_names, columns)
        ratings = self.rating_conventions_  # a convention without its own rates as shared
        rating = ratings.get(convention, ratings.get(SHARED, ratings.get(name)))
        self.rating_model_ = None if rating is None else _fitted_ridge(*rating, 1.0)

    def _fit_adapted_ratings(
        self,
        base: CertaintyClassifier,
        features: Any,
        graded: np.ndarray,
        name: str,
        old_names: np.ndarray,
        columns: dict[str, int],
    ) -> None:
        """Set ``rating_conventions_``: the base's, and the new one adapted from its rating."""
        from scipy.stats import pearsonr
        from sklearn.model_selection import KFold

        old: dict[str, tuple[np.ndarray, float]] = getattr(base, "rating_conventions_", {})
        self.rating_conventions_ = {d: _expand(*old[d], old_names, columns) for d in old}
        base_rating: Ridge | None = getattr(base, "rating_model_", None)
        prior = (
            (np.zeros(len(columns)), 0.0)
            if base_rating is None
            else _expand(base_rating.coef_, base_rating.intercept_, old_names, columns)
        )
        rated = np.flatnonzero(np.isfinite(graded))
        base_range = getattr(base, "rating_range_", None)
        # the base's conventions keep the range of the base's ratings
        self.rating_ranges_ = {d: base_range for d in old if base_range is not None}
        self.rating_range_ = _range(graded[rated]) or base_range
        if len(rated) < MIN_RATINGS:
            if base_rating is not None:
                self.rating_conventions_[name] = prior
            return
        x, y = features[rated], graded[rated]
        offset = x @ prior[0] + prior[1]
        ones = np.ones(len(rated))
        folds = list(KFold(self.cv, shuffle=True, random_state=self.random_state).split(y))
        best: tuple[float, float] | None = None
        for alpha in ALPHA_GRID:
            predicted = np.empty(len(rated))
            for train, test in folds:
                scale, intercept, own = _fit_offset(
                    x[train], offset[train], y[train], ones[train], alpha, False
                )
                predicted[test] = scale * offset[test] + intercept + x[test] @ own
            r = float(pearsonr(predicted, y).statistic)
            if best is None or r > best[0]:
                best = (r, alpha)
        assert best is not None
        r, alpha = best
        scale, intercept, own = _fit_offset(x, offset, y, ones, alpha, False)
        self.rating_conventions_[name] = (scale * prior[0] + own, scale * prior[1] + intercept)
        self.cv_metrics_["rating"] = {"alpha": alpha, "pearson": r, "sentences": len(rated)}

    def fit_cue_types(
        self, X: Iterable[str], cues: Iterable[Iterable[tuple[int, int, str]]]
    ) -> CertaintyClassifier:
        """Learn the type of each cue, after :meth:`fit` (see :mod:`classifier.model.cuetypes`).

        Parameters
        ----------
        X : iterable of str
            Sentences (any: those of ``fit`` or others).
        cues : iterable of iterables of (start, end, type)
            Each sentence's annotated cues: character offsets and one of
            :data:`~classifier.model.cuetypes.TYPES`.

        Returns
        -------
        self
            ``cue_types_`` is None when the cues found have fewer than two types.
        """
        from classifier.model.cuetypes import train_cue_types

        check_is_fitted(self, "pipeline_")
        sentences = check_sentences(X)
        typed = [tuple(c) for c in cues]
        if len(typed) != len(sentences):
            raise ValueError(f"got {len(sentences)} sentences but {len(typed)} cue lists")
        self.cue_types_ = train_cue_types(self.scorer_.analyzer, zip(sentences, typed, strict=True))
        self.__dict__.pop("_scorer", None)
        return self

    def fit_aspects(
        self, X: Iterable[str], aspects: Iterable[dict[str, str]]
    ) -> CertaintyClassifier:
        """Learn aspect-level certainty, after :meth:`fit` and :meth:`fit_cue_types`.

        Parameters
        ----------
        X : iterable of str
            Sentences.
        aspects : iterable of dict
            Each sentence's judgment (``certain``, ``uncertain``, ``absent``) of the
            aspects it is annotated for (:data:`~classifier.model.aspects.ASPECTS`).
        """
        from classifier.model.aspects import train_aspects

        check_is_fitted(self, "pipeline_")
        sentences = check_sentences(X)
        judged = [dict(a) for a in aspects]
        if len(judged) != len(sentences):
            raise ValueError(f"got {len(sentences)} sentences but {len(judged)} aspect labels")
        typer = getattr(self, "cue_types_", None)
        self.aspects_ = train_aspects(self.scorer_.analyzer, typer, sentences, judged)
        self.__dict__.pop("_scorer", None)
        return self

    def _threshold(self, uncertain: np.ndarray, certainty: np.ndarray) -> tuple[float, float]:
        """Return the threshold on out-of-fold P(certain) and the F1 of ``uncertain`` there.

        The given ``threshold``, or else the middle of the best-F1 plateau.
        """
        if self.threshold is None:
            return _plateau(uncertain, certainty)
        threshold = float(self.threshold)
        return threshold, precision_recall_f1(uncertain, certainty < threshold)[2]

    def _fit_ratings(
        self, features: Any, ratings: np.ndarray, domain: np.ndarray
    ) -> tuple[Ridge, dict[str, Any]]:
        """Fit the rating regression, its ``alpha`` chosen by cross-validated Pearson r."""
        from scipy.stats import pearsonr
        from sklearn.model_selection import KFold, cross_val_predict

        folds = KFold(self.cv, shuffle=True, random_state=self.random_state)
        best: tuple[float, float] | None = None
        for alpha in ALPHA_GRID:
            predicted = cross_val_predict(Ridge(alpha=alpha), features, ratings, cv=folds)
            # the mean over domains of the within-domain Pearson r (scales differ by corpus)
            r = float(
                np.mean(
                    [
                        pearsonr(predicted[domain == d], ratings[domain == d]).statistic
                        for d in sorted(set(domain))
                    ]
                )
            )
            if best is None or r > best[0]:
                best = (r, alpha)
        assert best is not None
        r, alpha = best
        metrics = {"alpha": alpha, "pearson": r, "sentences": len(ratings)}
        return Ridge(alpha=alpha).fit(features, ratings), metrics

    def _logistic(self, C: float) -> LogisticRegression:
        return LogisticRegression(C=C, solver="liblinear", max_iter=1000)

    # ------------------------------------------------------------------ prediction
    @property
    def scorer_(self) -> Scorer:
        """The fitted model's weights as a :class:`~classifier.model.scorer.Scorer`.

        It does all scoring; built on first use and kept until the next ``fit``. Setting
        ``threshold_`` gives a new scorer from then on; one already handed out is unchanged.
        """
        check_is_fitted(self, "pipeline_")
        cached: tuple[Pipeline, Scorer] | None = self.__dict__.get("_scorer")
        if cached is None or cached[0] is not self.pipeline_:
            model = self.pipeline_.named_steps["model"].estimator_
            rating_model: Ridge | None = getattr(self, "rating_model_", None)
            rating = None
            if rating_model is not None:
                rating = (rating_model.coef_, float(rating_model.intercept_))
            scorer = self._build_scorer(
                (model.coef_[0], model.intercept_[0]), rating, self.threshold_
            )
        elif cached[1].threshold != self.threshold_:  # threshold_ was set after the fit
            scorer = cached[1].with_threshold(self.threshold_)
        else:
            return cached[1]
        self.__dict__["_scorer"] = (self.pipeline_, scorer)
        return scorer

    def to_scorer(self, convention: str | None = None) -> Scorer:
        """Return a :class:`~classifier.model.scorer.Scorer` for one labelling convention.

        The scorer scores text without scikit-learn: sentences with their cues
        (``score``, ``score_sentences``, ``score_many``), ``certainty``, ``ratings`` and
        ``explain``.

        Parameters
        ----------
        convention : str or None
            A training domain (see ``domains_``), or ``"shared"`` for what the domains
            share; None for the model's own. A convention without ratings rates as the
            shared rating model does.
        """
        check_is_fitted(self, "pipeline_")
        if convention is None:
            return self.scorer_
        conventions = getattr(self, "conventions_", {})
        if convention not in conventions:
            raise ValueError(
                f"unknown convention {convention!r}; this model has {sorted(conventions)}"
            )
        ratings = getattr(self, "rating_conventions_", {})
        rating = ratings.get(convention, ratings.get(SHARED))
        rating_model: Ridge | None = getattr(self, "rating_model_", None)
        if rating is None and rating_model is not None:
            rating = (rating_model.coef_, float(rating_model.intercept_))
        bounds = getattr(self, "rating_ranges_", {}).get(convention)
        return self._build_scorer(
            conventions[convention], rating, self.thresholds_[convention], bounds
        )

    def _build_scorer(
        self,
        uncertain: tuple[np.ndarray, float],
        rating: tuple[np.ndarray, float] | None,
        threshold: float,
        bounds: tuple[float, float] | None = None,
    ) -> Scorer:
        featurizer: CueFeaturizer = self.pipeline_.named_steps["features"]
        names = featurizer.get_feature_names_out()
        settings = {
            "max_gap": featurizer.max_gap,
            "context": featurizer.context,
            "unigrams": featurizer.unigrams,
        }
        bounds = bounds or getattr(self, "rating_range_", None)
        return Scorer(
            featurizer.lexicon_,
            settings,
            Linear.from_columns(names, *uncertain),
            threshold,
            None if rating is None else Linear.from_columns(names, *rating, bounds),
            cue_types=getattr(self, "cue_types_", None),
            aspect_model=getattr(self, "aspects_", None),
        )

    def __sklearn_clone__(self) -> CertaintyClassifier:
        """Clone as scikit-learn does, but keep a fitted ``base`` itself: it is only read."""
        from sklearn.base import clone

        if self.base is None or isinstance(self.base, (str, os.PathLike)):
            return super().__sklearn_clone__()
        params = self.get_params(deep=False)
        params.update((k, clone(v, safe=False)) for k, v in params.items() if k != "base")
        return type(self)(**params)

    def __getstate__(self) -> dict[str, Any]:
        """Leave the scorer out of pickles; it is rebuilt from ``pipeline_``."""
        state = super().__getstate__()
        state.pop("_scorer", None)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        """Restore a pickle, giving an older model the last step that carries C and threshold.

        Its weights stay the same; every fitted model exposes what it chose.
        """
        super().__setstate__(state)
        pipeline = state.get("pipeline_")
        if pipeline is not None and isinstance(pipeline.steps[-1][1], LogisticRegression):
            old = pipeline.steps[-1][1]
            C = float(state.get("cv_metrics_", {}).get("C", old.C))
            model = _fitted_logistic(old.coef_[0], old.intercept_[0], C=C)
            pipeline.steps[-1] = (pipeline.steps[-1][0], _final_step(model, self.threshold_))

    def __sklearn_tags__(self) -> Tags:
        """Declare the input: an iterable of raw text, not a numeric array."""
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        assert tags.classifier_tags is not None
        tags.classifier_tags.multi_class = False
        return tags

    def _uncertain_column(self) -> int:
        """Return the index in ``classes_`` of the class that means uncertain."""
        check_is_fitted(self, "pipeline_")
        # models saved before uncertain_class_ existed were fitted on certain/uncertain
        uncertain_class = getattr(self, "uncertain_class_", UNCERTAIN)
        return int(np.flatnonzero(self.classes_ == uncertain_class)[0])

    def predict_proba(self, X: Iterable[str]) -> np.ndarray:
        """Return the probability of each class of ``classes_`` for each sentence."""
        column = self._uncertain_column()
        certainty = np.asarray(self.scorer_.certainty(X), dtype=float)
        columns = [certainty, 1.0 - certainty]
        return np.column_stack(columns if column == 1 else columns[::-1])

    def decision_function(self, X: Iterable[str]) -> np.ndarray:
        """Return the log-odds of ``classes_[1]`` for each sentence, as scikit-learn does."""
        column = self._uncertain_column()
        scorer = self.scorer_
        log_odds = np.array([scorer.log_odds(s) for s in check_sentences(X)], dtype=float)
        return log_odds if column == 1 else -log_odds

    def predict(self, X: Iterable[str]) -> np.ndarray:
        """Return the label of each sentence, as a value of ``classes_``."""
        column = self._uncertain_column()
        uncertain = np.asarray(self.scorer_.certainty(X), dtype=float) < self.threshold_
        return np.where(uncertain, self.classes_[column], self.classes_[1 - column]).astype(
            self.classes_.dtype
        )

    def predict_rating(self, X: Iterable[str]) -> np.ndarray:
        """Return the predicted graded certainty rating of each sentence.

        The scale is that of the ratings the model was trained on (1 = uncertain to 6 =
        certain for the bundled model, after Pei & Jurgens 2021).

        Raises
        ------
        ValueError
            If the model was trained without ratings.
        """
        return np.asarray(self.scorer_.ratings(X), dtype=float)

    # ------------------------------------------------------------------ persistence
    def save(self, path: str | Path, training: dict[str, Any] | None = None) -> Path:
        """Save the fitted model as one file (see :mod:`classifier.io.archive`), atomically.

        Parameters
        ----------
        path : str or Path
            The model file, e.g. ``model.hedge``.
        training : dict, optional
            A summary of the training data for the manifest.

        Returns
        -------
        Path
            ``path``, the model file.
        """
        from classifier.io.archive import save_model  # the archive is I/O, a layer above

        check_is_fitted(self, "pipeline_")
        return save_model(self, Path(path), training or {})

    @classmethod
    def load(cls, path: str | Path | None = None, *, trusted: bool = False) -> CertaintyClassifier:
        """Load a model saved by :meth:`save`, or the bundled default model, to retrain or study.

        To score text, :func:`classifier.load` is faster and unpickles nothing. Loading a
        joblib file can run code: load only files you trust. The manifest's sha256 and
        versions are checked before the file is unpickled.

        Parameters
        ----------
        path : str or Path, optional
            The model file; None for the bundled default model.
        trusted : bool, default=False
            Load a model that has no manifest, or whose versions differ.

        Raises
        ------
        ModelLoadError, ModelIntegrityError
        """
        from classifier.errors import ModelLoadError
        from classifier.io.archive import load_model  # the archive is I/O, a layer above

        clf = load_model(path, trusted=trusted)
        if not isinstance(clf, cls):
            raise ModelLoadError(f"{path}: holds a {type(clf).__name__}, not a {cls.__name__}")
        return clf
