"""Aspect-level certainty: is a sentence certain, uncertain or silent about each aspect.

The six aspects of Pei & Jurgens (2021): ``number``, ``extent``, ``probability``,
``condition``, ``suggestion`` and ``framing``. Each is a small multinomial model over the
sentence's cue features, its cues' types and its words; an uncertain aspect is
explained by the cues whose features pushed it there. Works from the reference
:class:`~classifier.cues.analysis.Analysis`; needs no scikit-learn.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from classifier.cues.analysis import SENTENCE, WORD, Analysis, Analyzer
from classifier.model.cuetypes import CueTyper
from classifier.model.labels import CERTAIN, UNCERTAIN
from classifier.model.multinomial import Multinomial, fit_multinomial
from classifier.text.tokens import words_of

__all__ = [
    "ABSENT",
    "ASPECTS",
    "AspectModel",
    "AspectScore",
    "aspect_features",
    "train_aspects",
]

#: The aspects, in the order results list them.
ASPECTS = ("number", "extent", "probability", "condition", "suggestion", "framing")
#: The judgments: the aspect is stated firmly, hedged, or not touched.
ABSENT = "absent"
JUDGMENTS = (CERTAIN, UNCERTAIN, ABSENT)


@dataclass(frozen=True, slots=True)
class AspectScore:
    """The judgment on one aspect of one sentence.

    Attributes
    ----------
    aspect : str
        One of :data:`ASPECTS`.
    label : str
        ``"certain"``, ``"uncertain"`` or ``"absent"``.
    probability : float
        The model's probability of ``label``.
    cues : tuple of str
        The text of the cues whose features pushed the aspect toward ``uncertain``, when
        it is uncertain.
    """

    aspect: str
    label: str
    probability: float
    cues: tuple[str, ...] = ()

    def record(self) -> dict[str, Any]:
        """Return the judgment as JSON data (without ``aspect``)."""
        return {"label": self.label, "probability": self.probability, "cues": list(self.cues)}


def aspect_features(analysis: Analysis, types: Sequence[str | None]) -> list[tuple[str, int]]:
    """Return ``(feature, owner)`` of a sentence for the aspect models.

    ``owner`` is the index of the cue the feature belongs to, or
    :data:`~classifier.cues.analysis.SENTENCE`. ``types`` gives each verdict's type
    (:meth:`CueTyper.types`).
    """
    features = [(name, owner) for name, _, owner in analysis.features]
    features.extend((f"type={t}", i) for i, t in enumerate(types) if t is not None)
    words = words_of(analysis.text)
    features.extend((WORD + w, SENTENCE) for w in set(words))
    features.extend(
        (f"bigram={a} {b}", SENTENCE) for a, b in set(zip(words, words[1:], strict=False))
    )
    if any(ch.isdigit() for ch in analysis.text):
        features.append(("has_digit", SENTENCE))
    if "%" in analysis.text or "percent" in words:
        features.append(("has_percent", SENTENCE))
    return features


@dataclass(frozen=True)
class AspectModel:
    """One multinomial model per aspect.

    Attributes
    ----------
    models : dict of str to Multinomial
        By aspect name; classes are :data:`JUDGMENTS`.
    """

    models: dict[str, Multinomial]

    def judge(self, analysis: Analysis, types: Sequence[str | None]) -> tuple[AspectScore, ...]:
        """Return the judgment on each aspect, in the order of :data:`ASPECTS`."""
        features = aspect_features(analysis, types)
        names = [name for name, _ in features]
        cues = analysis.cues if analysis.verdicts else []
        judged = []
        for aspect in ASPECTS:
            model = self.models.get(aspect)
            if model is None:
                continue
            label, probability = model.predict(names)
            drivers: tuple[str, ...] = ()
            if label == UNCERTAIN:
                drivers = _drivers(model, features, cues)
            judged.append(AspectScore(aspect, label, probability, drivers))
        return tuple(judged)

    def to_dict(self) -> dict[str, Any]:
        """Return the models as JSON data."""
        return {aspect: model.to_dict() for aspect, model in self.models.items()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AspectModel:
        """Read models written by :meth:`to_dict`.

        Raises
        ------
        ValueError
            For an unknown aspect or classes other than :data:`JUDGMENTS`.
        """
        models = {}
        for aspect, part in data.items():
            if aspect not in ASPECTS:
                raise ValueError(f"unknown aspect {aspect!r}; expected {ASPECTS}")
            model = Multinomial.from_dict(part)
            if set(model.classes) - set(JUDGMENTS):
                raise ValueError(
                    f"aspect {aspect!r}: classes {model.classes}, expected {JUDGMENTS}"
                )
            models[aspect] = model
        return cls(models)


def table_columns(
    types: Sequence[str] | None, aspects: Sequence[AspectScore] | None
) -> dict[str, Any]:
    """Return the table columns of a sentence's types and aspects, as CSV and pandas give them.

    ``types`` (None: not asked for) becomes ``types``, joined by ``"; "``; ``aspects``
    (None: not asked for) two columns per aspect, ``aspect_<name>`` (the label) and
    ``aspect_<name>_probability``.
    """
    columns: dict[str, Any] = {}
    if types is not None:
        columns["types"] = "; ".join(types)
    if aspects is not None:
        judged = {a.aspect: a for a in aspects}
        for aspect in ASPECTS:
            one = judged.get(aspect)
            columns[f"aspect_{aspect}"] = None if one is None else one.label
            columns[f"aspect_{aspect}_probability"] = None if one is None else one.probability
    return columns


def _drivers(
    model: Multinomial, features: list[tuple[str, int]], cues: list[Any]
) -> tuple[str, ...]:
    """Return the texts of the cues whose features favour ``uncertain`` over the other classes."""
    if not cues:
        return ()
    column = model.classes.index(UNCERTAIN)
    totals = [0.0] * len(cues)
    for name, owner in features:
        row = model.weights.get(name)
        if owner != SENTENCE and row is not None:
            totals[owner] += row[column] - max(w for k, w in enumerate(row) if k != column)
    return tuple(cues[i].text for i in range(len(cues)) if totals[i] > 0 and cues[i].kept)


def train_aspects(
    analyzer: Analyzer,
    typer: CueTyper | None,
    sentences: Sequence[str],
    labels: Sequence[dict[str, str]],
    *,
    C: float = 0.3,
) -> AspectModel | None:
    """Learn one model per aspect (needs scikit-learn).

    Parameters
    ----------
    analyzer : Analyzer
        The model's analyzer.
    typer : CueTyper or None
        The model's cue types (a feature of the aspects), if it has them.
    sentences : sequence of str
    labels : sequence of dict
        For each sentence, the judgment (one of :data:`JUDGMENTS`) of each aspect it is
        annotated for; an aspect missing from a dict is not trained on that sentence.
    C : float, default=0.3
        Inverse regularization strength.

    Returns
    -------
    AspectModel or None
        None when no aspect has two judgments among the sentences.

    Raises
    ------
    ValueError
        For an unknown aspect or judgment, naming the sentence's index.
    """
    rows = []
    for text in sentences:
        analysis = analyzer.analyze(text)
        types = typer.types(analysis) if typer else [None] * len(analysis.verdicts)
        rows.append([name for name, _ in aspect_features(analysis, types)])
    models = {}
    for index, judged in enumerate(labels):
        for aspect, label in judged.items():
            if aspect not in ASPECTS or label not in JUDGMENTS:
                raise ValueError(
                    f"sentence {index}: {aspect}={label!r}; aspects are {ASPECTS}, "
                    f"judgments {JUDGMENTS}"
                )
    for aspect in ASPECTS:
        pairs = [(row, j[aspect]) for row, j in zip(rows, labels, strict=True) if aspect in j]
        if len({label for _, label in pairs}) >= 2:
            models[aspect] = fit_multinomial(
                [row for row, _ in pairs], [label for _, label in pairs], C=C
            )
    return AspectModel(models) if models else None
