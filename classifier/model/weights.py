"""The weights format: a :class:`~classifier.model.scorer.Scorer` as JSON text, and back.

A model archive (:mod:`classifier.io.archive`) stores a scorer as this JSON: the lexicon,
the featurizer's settings, the threshold and each feature's weight. Reading it runs no code
and imports no scikit-learn, and validates every field, so that a damaged or hostile file
is refused with one line naming the file and the field. This module turns text into a
scorer and back; reading and writing files is the archive's job.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Callable, Mapping
from typing import Any

from classifier.cues.lexicon import (
    HEADER,
    MAX_LEXICON_ENTRIES,
    Lexicon,
    LexiconEntry,
    parse_lexicon,
)
from classifier.errors import LexiconError
from classifier.model.aspects import AspectModel
from classifier.model.cuetypes import CueTyper
from classifier.model.linear import Linear
from classifier.model.scorer import Scorer

__all__ = [
    "CONVENTION_PARTS",
    "OPTIONAL_PARTS",
    "WEIGHTS_FORMAT",
    "convention_json",
    "from_json",
    "optional_json",
    "reject_constant",
    "to_json",
]

#: The parts of a weights file that differ between the labelling conventions of one
#: model; the rest (lexicon, settings, cue types, aspects) is stored once.
CONVENTION_PARTS = ("threshold", "uncertain", "rating")
#: The optional parts of a weights file, each built on first use (most scoring asks for
#: neither); a model archive stores each as a member of its own, decoded only then.
OPTIONAL_PARTS = ("cue_types", "aspects")
#: ``format`` of a weights file.
WEIGHTS_FORMAT = "hedge-classifier-weights"
#: Version 2 leaves out each lexicon entry's words, which the lexicon parser derives from
#: its cue (version 1, never released, wrote them and ignored them on reading).
WEIGHTS_FORMAT_VERSION = 2
#: Bounds a weights file must keep, so that a hostile one cannot crash or slow scoring:
#: the largest weight in size, the widest gap of a discontinuous cue (in words), the most
#: lexicon entries and the most weights per table.
MAX_WEIGHT = 1e6
MAX_GAP = 50
MAX_FEATURES = 2_000_000


def convention_json(scorer: Scorer) -> str:
    """Return the parts of :func:`to_json` that differ between conventions, as JSON."""
    parts = {
        "threshold": scorer.threshold,
        "uncertain": _linear_dict(scorer.uncertain),
        "rating": _linear_dict(scorer.rating),
    }
    assert tuple(parts) == CONVENTION_PARTS
    return _dumps(parts)


def to_json(scorer: Scorer, *, optional: bool = True) -> str:
    """Return ``scorer`` as JSON text: lexicon, settings, weights and threshold.

    With ``optional``, also the cue types and aspects the scorer has; without it, they
    are left to :func:`optional_json`.

    Raises
    ------
    ValueError
        If the scorer has cues added by :meth:`Scorer.with_lexicon`: they have no weights
        of their own, so keep their lexicon directory and add it again when loading.
    """
    if scorer.added:
        raise ValueError(
            "this scorer has cues added without retraining; save the model without them "
            "and pass the extra lexicon when loading it (or retrain with it)"
        )

    document = {
        "format": WEIGHTS_FORMAT,
        "format_version": WEIGHTS_FORMAT_VERSION,
        "settings": scorer.settings,
        "threshold": scorer.threshold,
        "lexicon": [
            [e.cue, e.category, e.weight, e.where] for e in scorer.lexicon.entries
        ],
        "uncertain": _linear_dict(scorer.uncertain),
        "rating": _linear_dict(scorer.rating),
    }
    if optional:
        document.update(_optional_parts(scorer))
    return _dumps(document) + "\n"


def _optional_parts(scorer: Scorer) -> dict[str, Any]:
    parts = {}
    if scorer.cue_types is not None:
        parts["cue_types"] = scorer.cue_types.to_dict()
    if scorer.aspect_model is not None:
        parts["aspects"] = scorer.aspect_model.to_dict()
    return parts


def optional_json(scorer: Scorer) -> dict[str, str]:
    """Return each optional part ``scorer`` has (:data:`OPTIONAL_PARTS`) as JSON text."""
    return {key: _dumps(part) for key, part in _optional_parts(scorer).items()}


def from_json(
    text: str,
    name: str = "<weights>",
    *,
    parts: str | None = None,
    optional: Mapping[str, tuple[str | Callable[[], str], str]] | None = None,
) -> Scorer:
    """Read a scorer written by :func:`to_json`, validating every field.

    Numbers must be finite (no NaN or Infinity) and at most :data:`MAX_WEIGHT` in
    size, the threshold in (0, 1), ``max_gap`` an int up to :data:`MAX_GAP`; lexicon
    entries go through :func:`~classifier.cues.lexicon.parse_lexicon`, as in lexicon files.
    ``parts``, a JSON object of exactly :data:`CONVENTION_PARTS` (as
    :func:`convention_json` writes), replaces those of ``text``: another labelling
    convention of the same model. ``optional`` maps parts of
    :data:`OPTIONAL_PARTS` that ``text`` leaves out to their JSON text
    (:func:`optional_json`), or a picklable function that returns it, and the name to
    give in errors: they are read, decoded and checked on first use.

    Raises
    ------
    ValueError
        If ``text`` is not such a document, naming ``name`` and the field.
    """
    document = _json_object(text, name)
    if parts is not None:
        replaced = _json_object(parts, name)
        if sorted(replaced) != sorted(CONVENTION_PARTS):
            raise ValueError(f"{name}: expected the keys {', '.join(CONVENTION_PARTS)}")
        document.update(replaced)
    if document.get("format") != WEIGHTS_FORMAT:
        raise ValueError(f"{name}: not a {WEIGHTS_FORMAT} file")
    if document.get("format_version") != WEIGHTS_FORMAT_VERSION:
        raise ValueError(
            f"{name}: format version {document.get('format_version')}, "
            f"this package reads {WEIGHTS_FORMAT_VERSION}"
        )
    field = _Fields(document, name)
    settings = field.get("settings", dict)
    checked = {
        "max_gap": _Fields(settings, f"{name}: settings").integer("max_gap", 0, MAX_GAP),
        "context": _Fields(settings, f"{name}: settings").get("context", bool),
        "unigrams": _Fields(settings, f"{name}: settings").get("unigrams", bool),
    }
    threshold = field.number("threshold")
    if not 0.0 < threshold < 1.0:
        raise ValueError(f"{name}: threshold: {threshold!r} is not between 0 and 1")
    uncertain = _linear(field.get("uncertain", dict), f"{name}: uncertain")
    rating = document.get("rating")
    later = {key: (document.get(key), name) for key in OPTIONAL_PARTS}
    later.update((optional or {}).items())
    return Scorer(
        _lexicon(field.get("lexicon", list), f"{name}: lexicon"),
        checked,
        uncertain,
        threshold,
        None if rating is None else _linear(field.get("rating", dict), f"{name}: rating"),
        cue_types=_later(*later["cue_types"], CueTyper.from_dict, "cue_types"),
        aspect_model=_later(*later["aspects"], AspectModel.from_dict, "aspects"),
    )


def _optional(part: Any, name: str, read: Any, key: str) -> Any:
    """Read an optional part (cue types, aspects): JSON text, a function giving it, or data."""
    if callable(part):  # a member of an archive, decompressed only now
        part = part()
    try:
        if isinstance(part, str):
            part = _json_object(part, name)
        return read(part)
    except (ValueError, KeyError, TypeError, AttributeError) as err:
        detail = f"missing field {err}" if isinstance(err, KeyError) else str(err)
        raise ValueError(f"{name}: {key}: {detail}") from None


def _later(part: Any, name: str, read: Any, key: str) -> Any:
    """Return a function that reads an optional part when called, or None without the part."""
    if part is None:
        return None
    return functools.partial(_optional, part, name, read, key)  # picklable, unlike a lambda


def _linear_dict(function: Linear | None) -> dict[str, Any] | None:
    """Return a linear function as the JSON object of a weights file."""
    if function is None:
        return None
    document: dict[str, Any] = {
        "intercept": function.intercept,
        "features": dict(sorted(function.features.items())),
        "words": dict(sorted(function.words.items())),
    }
    if function.bounds is not None:
        document["bounds"] = list(function.bounds)
    return document


def _dumps(document: dict[str, Any]) -> str:
    """Return a part of a weights file as compact JSON text."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def _json_object(text: str, name: str) -> dict[str, Any]:
    """Parse a JSON object of a weights file: finite numbers only, bounded nesting."""
    try:
        document = json.loads(text, parse_constant=reject_constant)
    except RecursionError:
        raise ValueError(f"{name}: nested too deeply to be a weights file") from None
    except ValueError as err:
        raise ValueError(f"{name}: invalid JSON ({err})") from None
    if not isinstance(document, dict):
        raise ValueError(f"{name}: not a {WEIGHTS_FORMAT} file")
    return document


def reject_constant(constant: str) -> None:
    """Refuse NaN and Infinity, which JSON does not allow (for :func:`json.loads`)."""
    raise ValueError(f"{constant} is not a finite number")


class _Fields:
    """Typed access to the fields of one JSON object, errors naming the field."""

    def __init__(self, document: dict[str, Any], where: str) -> None:
        self.document, self.where = document, where

    def get(self, key: str, kind: type) -> Any:
        if key not in self.document:
            raise ValueError(f"{self.where}: missing field '{key}'")
        value = self.document[key]
        if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
            raise ValueError(f"{self.where}: {key}: expected {kind.__name__}, got {value!r:.40}")
        return value

    def number(self, key: str) -> float:
        value = self.document.get(key)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f"{self.where}: {key}: expected a number, got {value!r:.40}")
        if not abs(value) <= MAX_WEIGHT:  # also False for NaN
            raise ValueError(
                f"{self.where}: {key}: {value!r} is not a number within ±{MAX_WEIGHT:g}"
            )
        return float(value)

    def integer(self, key: str, low: int, high: int) -> int:
        value = self.get(key, int)
        if not low <= value <= high:
            raise ValueError(f"{self.where}: {key}: {value} is not from {low} to {high}")
        return int(value)


def _weights(part: dict[str, Any], key: str, where: str) -> dict[str, float]:
    table = _Fields(part, where).get(key, dict)
    if len(table) > MAX_FEATURES:
        raise ValueError(f"{where}: {key}: {len(table)} weights, more than {MAX_FEATURES}")
    values = table.values()
    # a model has tens of thousands of weights: check them all at once, and name the
    # first bad one only when there is one (JSON keys are always str)
    if set(map(type, values)) <= {float} and (not table or max(map(abs, values)) <= MAX_WEIGHT):
        return dict(table)
    numbers = _Fields(table, f"{where}: {key}")
    return {str(name): numbers.number(name) for name in table}


def _linear(part: dict[str, Any], where: str) -> Linear:
    return Linear(
        _Fields(part, where).number("intercept"),
        _weights(part, "features", where),
        _weights(part, "words", where),
        _bounds(part.get("bounds"), where),
    )


def _bounds(value: Any, where: str) -> tuple[float, float] | None:
    """Read a linear function's optional ``bounds``: [least, greatest], finite numbers."""
    if value is None:
        return None
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value)
        or not all(math.isfinite(v) and abs(v) <= MAX_WEIGHT for v in value)
        or value[0] > value[1]
    ):
        raise ValueError(f"{where}: bounds: expected [least, greatest], got {value!r}")
    return float(value[0]), float(value[1])


def _lexicon(rows: list[Any], where: str) -> Lexicon:
    """Build the lexicon of a weights file through the lexicon file parser."""
    if len(rows) > MAX_LEXICON_ENTRIES:
        raise ValueError(f"{where}: {len(rows)} entries, more than {MAX_LEXICON_ENTRIES}")
    lines, origins = ["\t".join(HEADER)], []
    for index, row in enumerate(rows):
        if not (isinstance(row, list) and len(row) == 4):
            raise ValueError(f"{where}: entry {index}: expected [cue, category, weight, where]")
        cue, category, weight, origin = row
        if (
            not all(isinstance(x, str) for x in (cue, category, origin))
            or isinstance(weight, bool)
            or not isinstance(weight, (int, float))
        ):
            raise ValueError(f"{where}: entry {index}: expected [str, str, number, str]")
        row = cue + category
        if "\t" in row or "\n" in row or "\r" in row:
            raise ValueError(f"{where}: entry {index}: a tab or line end in {cue!r:.40}")
        lines.append(f"{cue}\t{category}\t{float(weight)!r}\t")
        origins.append(origin)
    try:
        parsed = parse_lexicon(lines, f"{where}: entry")
    except LexiconError as err:
        raise ValueError(str(err)) from None
    if len(parsed) != len(origins):  # a blank cue or one starting with "#" was skipped
        raise ValueError(f"{where}: an entry with an empty cue or one starting with '#'")
    entries = [  # not dataclasses.replace, which took a third of the time here
        LexiconEntry(e.cue, e.category, e.weight, e.parts, origin)
        for e, origin in zip(parsed, origins, strict=True)
    ]
    seen: set[str] = set()
    for entry in entries:
        if entry.cue in seen:
            raise ValueError(f"{where}: duplicate cue {entry.cue!r}")
        seen.add(entry.cue)
    return Lexicon(tuple(entries))
