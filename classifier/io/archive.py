"""Saving and loading models: one file, a zip archive of three members.

A model file (``news.hedge`` by convention; any name works) is a zip archive holding

``manifest.json``
    versions, training summary, metrics and the sha256 of the two other members;
``weights.json``
    the model's weights as a :class:`~classifier.model.scorer.Scorer` (plain JSON), which
    scores without scikit-learn and runs no code when read;
``pipeline.joblib``
    the fitted scikit-learn pipeline, for training, evaluation and scikit-learn users.

The archive is written to a temporary file beside its path and renamed over it once, so
all three appear together or not at all, and two writers racing for one path leave one
whole model, never a mix (:func:`atomic_write`).

What each door reads: :func:`load_scorer` (``hedge score``, ``hedge explain``,
``classifier.spacy``) reads only the manifest and ``weights.json``; it never unpickles.
:func:`load_model` (``CertaintyClassifier.load``, ``hedge eval``) unpickles
``pipeline.joblib``, which can run any code it contains: the manifest's sha256 protects
against a damaged or swapped member, not against a malicious archive; load only models
from sources you trust.

Models saved by earlier versions (``x.joblib`` with ``x.json`` and ``x.weights.json``
beside it) still load from the path of their ``.joblib`` file.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import platform
import stat
import tempfile
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from classifier._version import __version__
from classifier.bundled import bundled
from classifier.cues.lexicon import Lexicon, load_lexicon
from classifier.errors import ModelIntegrityError, ModelLoadError
from classifier.model.scorer import OPTIONAL_PARTS, Scorer

if TYPE_CHECKING:
    from classifier.model.estimator import CertaintyClassifier  # above this module: no import

__all__ = [
    "FORMAT",
    "MODEL_SUFFIX",
    "atomic_write",
    "default_model_path",
    "load_model",
    "load_scorer",
    "read_manifest",
    "save_model",
    "scorer_of",
    "sha256_file",
]

FORMAT = "hedge-classifier-model"
#: Version 2 is the one-file archive; version 1 the three files beside each other.
FORMAT_VERSION = 2
LEGACY_FORMAT_VERSION = 1
#: The conventional extension of a model file.
MODEL_SUFFIX = ".hedge"
DEFAULT_MODEL = "default" + MODEL_SUFFIX
LEGACY_DEFAULT_MODEL = "default.joblib"
#: Members of a model archive.
MANIFEST, WEIGHTS, PIPELINE = "manifest.json", "weights.json", "pipeline.joblib"
#: Largest manifest and weights member read, in bytes: far above any real model, so that
#: a hostile archive cannot make loading hold gigabytes.
MAX_MEMBER_BYTES = 256 << 20
#: Fixed timestamp of archive members, so that the same model gives the same bytes.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
#: How to pass the trust flag, for error messages.
TRUST_HINT = "trusted=True in Python, --trust-model on the command line (hedge score --trust-model)"


def atomic_write(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """Write ``path`` through a temporary file in the same folder, then rename it.

    A crash or interruption leaves either the old file or none, never a partial one. An
    existing file keeps its permission bits (as ``sed -i`` does); a new one gets the
    usual ``0666 & ~umask``. A symbolic link is written through: its target is replaced
    and the link stays.
    """
    path = Path(os.path.realpath(path))
    handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        try:
            mode = stat.S_IMODE(path.stat().st_mode)
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)  # mkstemp makes 0600
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


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def manifest_path(model_path: Path) -> Path:
    """Return the manifest path of a legacy model file: ``x.joblib`` -> ``x.json``."""
    return model_path.with_suffix(".json")


def convention_member(convention: str) -> str:
    """Return the archive member holding one convention's weights."""
    return f"conventions/{convention}.json"


def optional_member(part: str) -> str:
    """Return the archive member holding an optional part of the weights (cue types, aspects)."""
    return f"{part}.json"


def weights_path(model_path: Path) -> Path:
    """Return the weights path of a legacy model file: ``x.joblib`` -> ``x.weights.json``."""
    return model_path.with_suffix(".weights.json")


# ---------------------------------------------------------------------- saving
def save_model(clf: CertaintyClassifier, path: Path, training: dict[str, Any]) -> Path:
    """Save ``clf`` as one model archive at ``path``, atomically.

    Returns
    -------
    Path
        ``path``: the one file that holds the whole model.
    """
    import joblib
    import sklearn

    pipeline = io.BytesIO()
    payload = {"format": FORMAT, "format_version": FORMAT_VERSION, "classifier": clf}
    joblib.dump(payload, pipeline, compress=3)
    weights = clf.scorer_.to_json(optional=False).encode("utf-8")
    other_members = {  # the model's own convention is WEIGHTS
        convention_member(name): clf.to_scorer(name).convention_json().encode("utf-8")
        for name in sorted(getattr(clf, "conventions_", {}))
        if len(clf.conventions_) > 1 and name != clf.convention
    }
    other_members.update(  # read on first use, so loading does not decode them
        (optional_member(key), text.encode("utf-8"))
        for key, text in clf.scorer_.optional_json().items()
    )
    featurizer = clf.pipeline_.named_steps["features"]
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "members": {
            PIPELINE: _sha256(pipeline.getvalue()),
            WEIGHTS: _sha256(weights),
            **{name: _sha256(data) for name, data in other_members.items()},
        },
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
        "params": {
            k: v for k, v in clf.get_params(deep=False).items() if k not in ("lexicon", "base")
        },
        "training": training,
        "cv_metrics": clf.cv_metrics_,
    }
    text = json.dumps(manifest, indent=2, sort_keys=True, allow_nan=False) + "\n"
    members = [
        (MANIFEST, text.encode("utf-8"), zipfile.ZIP_DEFLATED),
        (WEIGHTS, weights, zipfile.ZIP_DEFLATED),
        *[(name, data, zipfile.ZIP_DEFLATED) for name, data in other_members.items()],
        (PIPELINE, pipeline.getvalue(), zipfile.ZIP_STORED),  # joblib compressed it
    ]

    def write(f: BinaryIO) -> None:
        with zipfile.ZipFile(f, "w") as archive:
            for name, data, compression in members:
                info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
                info.compress_type = compression
                info.external_attr = 0o644 << 16
                archive.writestr(info, data)

    atomic_write(Path(path), write)
    return Path(path)


# ---------------------------------------------------------------------- reading
def default_model_path() -> Path:
    """Return the path of the bundled default model."""
    models = bundled("models")
    archive = Path(str(models / DEFAULT_MODEL))
    return archive if archive.is_file() else Path(str(models / LEGACY_DEFAULT_MODEL))


def _model_file(path: str | Path | None) -> Path:
    model_path = default_model_path() if path is None else Path(path)
    if not model_path.exists():
        raise ModelLoadError(f"{model_path}: no such model file")
    if not model_path.is_file():
        raise ModelLoadError(f"{model_path}: not a file")
    return model_path


def _is_archive(path: Path) -> bool:
    with open(path, "rb") as f:
        return f.read(4) == b"PK\x03\x04"


def _parse_manifest(data: bytes, where: str) -> dict[str, Any]:
    try:
        manifest = json.loads(data.decode("utf-8"), parse_constant=_no_constant)
    except (UnicodeDecodeError, ValueError, RecursionError) as err:
        raise ModelLoadError(f"{where}: unreadable manifest ({err})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ModelLoadError(f"{where}: not a manifest of a {FORMAT}")
    return manifest


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not a number JSON allows")


class _Archive:
    """An open model archive: its manifest and its members, each checked by sha256."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.zip = zipfile.ZipFile(path)
        except (OSError, zipfile.BadZipFile, ValueError) as err:
            raise ModelLoadError(f"{path}: not a readable model archive ({err})") from None
        self.manifest = _parse_manifest(self._raw(MANIFEST), f"{path}:{MANIFEST}")
        if self.manifest.get("format_version") != FORMAT_VERSION:
            raise ModelLoadError(
                f"{path}: format version {self.manifest.get('format_version')!r}, "
                f"this package reads {FORMAT_VERSION}"
            )

    def _raw(self, name: str) -> bytes:
        try:
            info = self.zip.getinfo(name)
        except KeyError:
            raise ModelLoadError(f"{self.path}: no member {name} in the archive") from None
        if info.file_size > MAX_MEMBER_BYTES and name != PIPELINE:
            raise ModelLoadError(
                f"{self.path}:{name}: {info.file_size} bytes, more than {MAX_MEMBER_BYTES}"
            )
        try:
            return self.zip.read(info)
        except (OSError, zipfile.BadZipFile, ValueError, EOFError) as err:
            raise ModelLoadError(f"{self.path}:{name}: unreadable ({err})") from None

    def read(self, name: str) -> bytes:
        """Return member ``name`` after checking its sha256 against the manifest."""
        data = self._raw(name)
        members = self.manifest.get("members")
        if not isinstance(members, dict) or members.get(name) != _sha256(data):
            raise ModelIntegrityError(
                f"{self.path}:{name}: sha256 does not match the manifest; "
                "the archive is damaged or was altered"
            )
        return data


def read_manifest(path: str | Path | None = None) -> dict[str, Any]:
    """Return the manifest of a model file (the bundled model for None).

    Raises
    ------
    ModelLoadError
        If the file is not a model, or a legacy model without a manifest.
    """
    model_path = _model_file(path)
    if _is_archive(model_path):
        return _Archive(model_path).manifest
    manifest = _legacy_manifest(model_path, trusted=False)
    assert manifest is not None  # refused above when missing and not trusted
    return manifest


def _legacy_manifest(path: Path, trusted: bool) -> dict[str, Any] | None:
    """Return the manifest beside a legacy model file; None when it has none and is trusted."""
    target = manifest_path(path)
    if not target.is_file():
        if trusted:
            return None
        raise ModelLoadError(
            f"{path}: no manifest {target.name} beside it; a model file can run code "
            f"when loaded, so load it as trusted ({TRUST_HINT}) only if you trust its source"
        )
    try:
        data = target.read_bytes()
    except OSError as err:
        raise ModelLoadError(f"{target}: unreadable manifest ({err})") from None
    return _parse_manifest(data, str(target))


def _release(version: str, parts: int) -> str:
    return ".".join(version.split(".")[:parts])


def _check_versions(path: Path, manifest: dict[str, Any], trusted: bool) -> None:
    import sklearn

    versions = manifest.get("versions")
    saved = str(versions.get("scikit-learn", "?")) if isinstance(versions, dict) else "?"
    installed = sklearn.__version__
    if _release(saved, 1) != _release(installed, 1) and not trusted:
        raise ModelIntegrityError(
            f"{path}: saved with scikit-learn {saved}, but {installed} is installed, "
            f"another major version; retrain it, or load it as trusted ({TRUST_HINT}) "
            "to try anyway"
        )
    if _release(saved, 2) != _release(installed, 2) and not trusted:
        warnings.warn(
            f"{path}: saved with scikit-learn {saved}, {installed} is installed; "
            "predictions may differ slightly: retrain it to be sure",
            UserWarning,
            stacklevel=4,
        )


def _legacy_weights(
    model_path: Path, manifest: dict[str, Any] | None, trusted: bool
) -> bytes | None:
    """Return the weights file of a legacy model, or None if it has none and is trusted."""
    name = None if manifest is None else manifest.get("weights_file")
    if name is None:
        if trusted:
            return None
        raise ModelLoadError(
            f"{model_path}: the model has no weights file, and scoring it would unpickle "
            f"its joblib file, which can run code; resave it with this version, or load "
            f"it as trusted ({TRUST_HINT}) only if you trust its source"
        )
    assert manifest is not None
    weights = model_path.parent / str(name)
    if Path(str(name)).name != name or not weights.is_file():
        raise ModelLoadError(f"{model_path}: its weights file {name!r} is missing")
    if manifest.get("weights_sha256") != sha256_file(weights):
        raise ModelIntegrityError(
            f"{weights}: sha256 does not match its manifest {manifest_path(model_path).name}; "
            "the file is damaged or was replaced"
        )
    try:
        return weights.read_bytes()
    except OSError as err:
        raise ModelLoadError(f"{weights}: cannot read ({err.strerror or err})") from None


def load_scorer(
    path: str | Path | None = None,
    *,
    trusted: bool = False,
    extra_lexicon: str | Path | Lexicon | None = None,
    convention: str | None = None,
) -> Scorer:
    """Load the weights of a model file as a :class:`~classifier.model.scorer.Scorer`.

    Reads the manifest and the weights (JSON) only, after checking their sha256: nothing
    is unpickled and scikit-learn is not imported. A legacy model saved without weights
    is refused unless ``trusted``, and then loaded with :func:`load_model`.
    ``extra_lexicon`` (a lexicon directory or a :class:`Lexicon`) adds cues without
    retraining: see :meth:`Scorer.with_lexicon` for how they are weighted.
    ``convention`` picks the weights of one of the labelling conventions the model was
    trained with (``bio``, ``wiki``, ``news``, ``reviews``, ``science``, ``guideline``,
    ``shared`` for the bundled model); None for the model's own.

    Raises
    ------
    ModelLoadError, ModelIntegrityError, LexiconError
    """
    if extra_lexicon is not None:
        if not isinstance(extra_lexicon, Lexicon):
            extra_lexicon = load_lexicon(extra_lexicon)
        scorer = load_scorer(path, trusted=trusted, convention=convention)
        return scorer.with_lexicon(extra_lexicon)
    model_path = _model_file(path)
    if _is_archive(model_path):
        archive = _Archive(model_path)
        params = archive.manifest.get("params")
        own = params.get("convention") if isinstance(params, dict) else None
        member = WEIGHTS if convention in (None, own) else convention_member(convention)
        if member not in archive.manifest.get("members", {}):
            known = [own] if isinstance(own, str) else []
            known += [
                name[len("conventions/") : -len(".json")]
                for name in archive.manifest.get("members", {})
                if name.startswith("conventions/")
            ]
            known.sort()
            raise ModelLoadError(
                f"{model_path}: no convention {convention!r}; "
                + (f"this model has {', '.join(known)}" if known else "it has only its own")
            )
        data = archive.read(WEIGHTS)
        where = f"{model_path}:{member}"
        parts = None if member == WEIGHTS else archive.read(member)
        optional = {
            key: archive.read(optional_member(key))
            for key in OPTIONAL_PARTS
            if optional_member(key) in archive.manifest.get("members", {})
        }
    elif convention is not None:
        raise ModelLoadError(f"{model_path}: a model in the old layout has no conventions")
    else:
        parts, optional = None, {}
        legacy = _legacy_weights(model_path, _legacy_manifest(model_path, trusted), trusted)
        if legacy is None:
            return load_model(model_path, trusted=True).scorer_
        data, where = legacy, str(weights_path(model_path))
    try:
        return Scorer.from_json(
            data.decode("utf-8"),
            where,
            parts=None if parts is None else parts.decode("utf-8"),
            optional={
                key: (text.decode("utf-8"), f"{model_path}:{optional_member(key)}")
                for key, text in optional.items()
            },
        )
    except (UnicodeDecodeError, ValueError) as err:
        raise ModelLoadError(f"cannot load weights: {err}") from None


def load_model(path: str | Path | None, *, trusted: bool = False) -> CertaintyClassifier:
    """Load a model file's scikit-learn pipeline after checking its manifest.

    This unpickles; see the module docstring.
    """
    import joblib
    import sklearn

    model_path = _model_file(path)
    if _is_archive(model_path):
        archive = _Archive(model_path)
        _check_versions(model_path, archive.manifest, trusted)
        source: Any = io.BytesIO(archive.read(PIPELINE))
        version = FORMAT_VERSION
    else:
        manifest = _legacy_manifest(model_path, trusted)
        if manifest is not None:
            if manifest.get("sha256") != sha256_file(model_path):
                raise ModelIntegrityError(
                    f"{model_path}: sha256 does not match its manifest "
                    f"{manifest_path(model_path).name}; the file is damaged or was replaced"
                )
            _check_versions(model_path, manifest, trusted)
        source = model_path
        version = LEGACY_FORMAT_VERSION
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", category=sklearn.exceptions.InconsistentVersionWarning)
            payload = joblib.load(source)
    except Exception as err:  # a damaged pickle raises almost anything
        raise ModelLoadError(f"{model_path}: cannot load ({type(err).__name__}: {err})") from None
    if not (
        isinstance(payload, dict)
        and payload.get("format") == FORMAT
        # CertaintyClassifier is defined above this module: know it by its export
        and callable(getattr(payload.get("classifier"), "to_scorer", None))
    ):
        raise ModelLoadError(f"{model_path}: not a {FORMAT}")
    if payload.get("format_version") != version:
        raise ModelLoadError(
            f"{model_path}: format version {payload.get('format_version')}, "
            f"this package reads {version}"
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
