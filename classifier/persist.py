"""Saving and loading models: a joblib file, its weights as JSON, and a JSON manifest.

``x.joblib`` holds the fitted scikit-learn pipeline (for training, evaluation and
scikit-learn users); ``x.weights.json`` the same model's weights as a
:class:`~classifier.scorer.Scorer`, which scores without scikit-learn; ``x.json`` the
manifest, with the sha256 of both.

A joblib file is a pickle: loading one can run any code it contains. The manifest's
sha256 protects against a damaged or swapped model file, not against a malicious one
whose manifest was rewritten to match; load only models from sources you trust. A
weights file is plain JSON and runs nothing when read.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import tempfile
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from classifier import __version__
from classifier.bundled import bundled
from classifier.errors import ModelIntegrityError, ModelLoadError
from classifier.lexicon import Lexicon, load_lexicon
from classifier.scorer import Scorer

if TYPE_CHECKING:
    from classifier.model import CertaintyClassifier  # above this module: no import

__all__ = [
    "FORMAT",
    "atomic_write",
    "default_model_path",
    "load_model",
    "load_scorer",
    "save_model",
    "scorer_of",
    "sha256_file",
]

FORMAT = "hedge-classifier-model"
FORMAT_VERSION = 1
DEFAULT_MODEL = "default.joblib"


def atomic_write(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """Write ``path`` through a temporary file in the same folder, then rename it.

    A crash or interruption leaves either the old file or none, never a partial one.
    """
    path = Path(path)
    handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as f:
            write(f)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; give the usual permissions
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def sha256_file(path: Path) -> str:
    """Return the hex sha256 of the file at ``path``, read in blocks."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def manifest_path(model_path: Path) -> Path:
    """Return the manifest path of a model file: ``x.joblib`` -> ``x.json``."""
    return model_path.with_suffix(".json")


def weights_path(model_path: Path) -> Path:
    """Return the weights path of a model file: ``x.joblib`` -> ``x.weights.json``."""
    return model_path.with_suffix(".weights.json")


def save_model(clf: CertaintyClassifier, path: Path, training: dict[str, Any]) -> Path:
    """Save ``clf`` to ``path`` and write its manifest; both atomically.

    Returns
    -------
    Path
        The manifest's path.
    """
    import joblib
    import sklearn

    payload = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "classifier": clf,
    }
    atomic_write(path, lambda f: joblib.dump(payload, f, compress=3))
    weights = weights_path(path)
    weights_text = clf.scorer_.to_json().encode("utf-8")
    atomic_write(weights, lambda f: f.write(weights_text))
    featurizer = clf.pipeline_.named_steps["features"]
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "model_file": path.name,
        "sha256": sha256_file(path),
        "size_bytes": path.stat().st_size,
        "weights_file": weights.name,
        "weights_sha256": sha256_file(weights),
        "versions": {
            "hedge-classifier": __version__,
            "python": platform.python_version(),
            "scikit-learn": sklearn.__version__,
            "joblib": joblib.__version__,
        },
        "lexicon_sha256": featurizer.lexicon_.digest(),
        "lexicon_entries": len(featurizer.lexicon_.entries),
        "features": len(featurizer.vocabulary_),
        "threshold": clf.threshold_,
        "params": {k: v for k, v in clf.get_params().items() if k != "lexicon"},
        "training": training,
        "cv_metrics": clf.cv_metrics_,
    }
    text = json.dumps(manifest, indent=2, sort_keys=True) + "\n"
    target = manifest_path(path)
    atomic_write(target, lambda f: f.write(text.encode("utf-8")))
    return target


def default_model_path() -> Path:
    """Return the path of the bundled default model."""
    return Path(str(bundled("models") / DEFAULT_MODEL))


def _release(version: str, parts: int) -> str:
    return ".".join(version.split(".")[:parts])


def _read_manifest(path: Path, trusted: bool) -> dict[str, Any] | None:
    """Return the manifest of model file ``path``; None when it has none and is trusted."""
    target = manifest_path(path)
    if not target.is_file():
        if trusted:
            return None
        raise ModelLoadError(
            f"{path}: no manifest {target.name} beside it; a model file can run code "
            "when loaded, so load it as trusted (trusted=True, or hedge --trust-model) "
            "only if you trust its source"
        )
    try:
        manifest = json.loads(target.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ModelLoadError(f"{target}: unreadable manifest ({err})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ModelLoadError(f"{target}: not a manifest of a {FORMAT}")
    return manifest


def _check_manifest(path: Path, trusted: bool) -> None:
    import sklearn

    manifest = _read_manifest(path, trusted)
    if manifest is None:
        return
    if manifest.get("sha256") != sha256_file(path):
        raise ModelIntegrityError(
            f"{path}: sha256 does not match its manifest {manifest_path(path).name}; "
            "the file is damaged or was replaced"
        )
    saved = str(manifest.get("versions", {}).get("scikit-learn", "?"))
    installed = sklearn.__version__
    if _release(saved, 1) != _release(installed, 1) and not trusted:
        raise ModelIntegrityError(
            f"{path}: saved with scikit-learn {saved}, but {installed} is installed, "
            "another major version; retrain it, or load it as trusted (trusted=True, "
            "or hedge --trust-model) to try anyway"
        )
    if _release(saved, 2) != _release(installed, 2) and not trusted:
        warnings.warn(
            f"{path}: saved with scikit-learn {saved}, {installed} is installed; "
            "predictions may differ slightly: retrain it to be sure",
            UserWarning,
            stacklevel=3,
        )


def _model_file(path: str | Path | None) -> Path:
    model_path = default_model_path() if path is None else Path(path)
    if not model_path.exists():
        raise ModelLoadError(f"{model_path}: no such model file")
    if not model_path.is_file():
        raise ModelLoadError(f"{model_path}: not a file")
    return model_path


def load_scorer(
    path: str | Path | None = None,
    *,
    trusted: bool = False,
    extra_lexicon: str | Path | Lexicon | None = None,
) -> Scorer:
    """Load the weights of a model file as a :class:`~classifier.scorer.Scorer`.

    The weights file named by the manifest is read as JSON, after its sha256 is checked,
    without importing scikit-learn or unpickling anything. A model saved without one
    (or without a manifest, when ``trusted``) is loaded with :func:`load_model` instead.
    ``extra_lexicon`` (a lexicon directory or a :class:`Lexicon`) adds cues without
    retraining: see :meth:`Scorer.with_lexicon` for how they are weighted.

    Raises
    ------
    ModelLoadError, ModelIntegrityError, LexiconError
    """
    if extra_lexicon is not None:
        if not isinstance(extra_lexicon, Lexicon):
            extra_lexicon = load_lexicon(extra_lexicon)
        return load_scorer(path, trusted=trusted).with_lexicon(extra_lexicon)
    model_path = _model_file(path)
    manifest = _read_manifest(model_path, trusted)
    if manifest is None or manifest.get("weights_file") is None:
        return load_model(model_path, trusted=trusted).scorer_
    name = manifest["weights_file"]
    weights = model_path.parent / str(name)
    if Path(str(name)).name != name or not weights.is_file():
        raise ModelLoadError(f"{model_path}: its weights file {name!r} is missing")
    if manifest.get("weights_sha256") != sha256_file(weights):
        raise ModelIntegrityError(
            f"{weights}: sha256 does not match its manifest {manifest_path(model_path).name}; "
            "the file is damaged or was replaced"
        )
    try:
        return Scorer.from_json(weights.read_text(encoding="utf-8"), str(weights))
    except (OSError, UnicodeDecodeError, ValueError) as err:
        raise ModelLoadError(f"cannot load weights: {err}") from None


def load_model(path: str | Path | None, *, trusted: bool = False) -> CertaintyClassifier:
    """Load a model file after checking its manifest; see the module docstring."""
    import joblib
    import sklearn

    model_path = _model_file(path)
    _check_manifest(model_path, trusted)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", category=sklearn.exceptions.InconsistentVersionWarning)
            payload = joblib.load(model_path)
    except Exception as err:  # a damaged pickle raises almost anything
        raise ModelLoadError(f"{model_path}: cannot load ({type(err).__name__}: {err})") from None
    if not (
        isinstance(payload, dict)
        and payload.get("format") == FORMAT
        # CertaintyClassifier is defined above this module: know it by its export
        and callable(getattr(payload.get("classifier"), "to_scorer", None))
    ):
        raise ModelLoadError(f"{model_path}: not a {FORMAT}")
    if payload.get("format_version") != FORMAT_VERSION:
        raise ModelLoadError(
            f"{model_path}: format version {payload.get('format_version')}, "
            f"this package reads {FORMAT_VERSION}"
        )
    clf: CertaintyClassifier = payload["classifier"]
    return clf


def scorer_of(model: Any) -> Scorer:
    """Return the scorer of a fitted model, a scorer as it is, or the bundled model's for None.

    Raises
    ------
    TypeError
        If ``model`` is none of these.
    sklearn.exceptions.NotFittedError
        If ``model`` is a CertaintyClassifier that is not fitted.
    """
    if model is None:
        return load_scorer()
    if isinstance(model, Scorer):
        return model
    if callable(getattr(type(model), "to_scorer", None)):  # a CertaintyClassifier
        scorer: Scorer = model.scorer_
        return scorer
    raise TypeError(
        f"model must be a CertaintyClassifier, a Scorer or None, got {type(model).__name__}"
    )
