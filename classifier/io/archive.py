"""Saving and loading models: one file, a zip archive of three members.

A model file (``news.hedge`` by convention; any name works) is a zip archive holding

``manifest.json``
    versions, training summary, metrics and the sha256 of the two other members;
``weights.json``
    the model's weights as a :class:`~classifier.model.scorer.Scorer` (plain JSON,
    :mod:`classifier.model.weights`), which
    scores without scikit-learn and runs no code when read;
``pipeline.joblib``
    the fitted scikit-learn pipeline, for training, evaluation and scikit-learn users.

The archive is written to a temporary file beside its path and renamed over it once, so
all three appear together or not at all, and two writers racing for one path leave one
whole model, never a mix (:func:`~classifier.io.files.atomic_write`).

What each door reads: :func:`load_scorer` (``hedge score``, ``explain`` and ``eval``,
``classifier.load``, ``classifier.spacy``) reads only the manifest and the weights; it
never unpickles.
:func:`load_model` (``CertaintyClassifier.load``) unpickles
``pipeline.joblib``, which can run any code it contains: the manifest's sha256 protects
against a damaged or swapped member, not against a malicious archive; load only models
from sources you trust.
"""

from __future__ import annotations

import hashlib
import io
import json
import platform
import warnings
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from classifier._version import __version__
from classifier.bundled import bundled
from classifier.cues.lexicon import Lexicon, load_lexicon
from classifier.errors import ModelIntegrityError, ModelLoadError
from classifier.io.files import atomic_write
from classifier.model.scorer import Scorer
from classifier.model.weights import (
    OPTIONAL_PARTS,
    convention_json,
    from_json,
    optional_json,
    reject_constant,
    to_json,
)

if TYPE_CHECKING:
    from classifier.model.estimator import CertaintyClassifier  # above this module: no import

__all__ = [
    "FORMAT",
    "MODEL_SUFFIX",
    "default_model_path",
    "load_model",
    "load_scorer",
    "read_manifest",
    "save_model",
]

FORMAT = "hedge-classifier-model"
#: Version 2 is the one-file archive (version 1, never released, was three files).
FORMAT_VERSION = 2
#: The conventional extension of a model file.
MODEL_SUFFIX = ".hedge"
DEFAULT_MODEL = "default" + MODEL_SUFFIX
#: Members of a model archive.
MANIFEST, WEIGHTS, PIPELINE = "manifest.json", "weights.json", "pipeline.joblib"
#: Largest manifest and weights member read, in bytes: far above any real model, so that
#: a hostile archive cannot make loading hold gigabytes.
MAX_MEMBER_BYTES = 256 << 20
#: Fixed timestamp of archive members, so that the same model gives the same bytes.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def convention_member(convention: str) -> str:
    """Return the archive member holding one convention's weights."""
    return f"conventions/{convention}.json"


def optional_member(part: str) -> str:
    """Return the archive member holding an optional part of the weights (cue types, aspects)."""
    return f"{part}.json"


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
    weights = to_json(clf.scorer_, optional=False).encode("utf-8")
    other_members = {  # the model's own convention is WEIGHTS
        convention_member(name): convention_json(clf.to_scorer(name)).encode("utf-8")
        for name in sorted(getattr(clf, "conventions_", {}))
        if len(clf.conventions_) > 1 and name != clf.convention
    }
    other_members.update(  # read on first use, so loading does not decode them
        (optional_member(key), text.encode("utf-8"))
        for key, text in optional_json(clf.scorer_).items()
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
        "params": {k: v for k, v in clf.get_params().items() if k != "lexicon"},
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
    return Path(str(bundled("models") / DEFAULT_MODEL))


def _model_file(path: str | Path | None) -> Path:
    model_path = default_model_path() if path is None else Path(path)
    if not model_path.exists():
        raise ModelLoadError(f"{model_path}: no such model file")
    if not model_path.is_file():
        raise ModelLoadError(f"{model_path}: not a file")
    return model_path


def _parse_manifest(data: bytes, where: str) -> dict[str, Any]:
    try:
        manifest = json.loads(data.decode("utf-8"), parse_constant=reject_constant)
    except (UnicodeDecodeError, ValueError, RecursionError) as err:
        raise ModelLoadError(f"{where}: unreadable manifest ({err})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ModelLoadError(f"{where}: not a manifest of a {FORMAT}")
    return manifest


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
        If the file is not a model archive.
    """
    return _Archive(_model_file(path)).manifest


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
            f"another major version; retrain it, or load it with trusted=True "
            "to try anyway"
        )
    if _release(saved, 2) != _release(installed, 2) and not trusted:
        warnings.warn(
            f"{path}: saved with scikit-learn {saved}, {installed} is installed; "
            "predictions may differ slightly: retrain it to be sure",
            UserWarning,
            stacklevel=4,
        )


def load_scorer(
    path: str | Path | None = None,
    *,
    extra_lexicon: str | Path | Lexicon | None = None,
    convention: str | None = None,
) -> Scorer:
    """Load the weights of a model file as a :class:`~classifier.model.scorer.Scorer`.

    Reads the manifest and the weights (JSON) only, after checking their sha256: nothing
    is unpickled and scikit-learn is not imported.
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
        scorer = load_scorer(path, convention=convention)
        return scorer.with_lexicon(extra_lexicon)
    model_path = _model_file(path)
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
    try:
        return from_json(
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
    archive = _Archive(model_path)
    _check_versions(model_path, archive.manifest, trusted)
    pickled = io.BytesIO(archive.read(PIPELINE))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", category=sklearn.exceptions.InconsistentVersionWarning)
            payload = joblib.load(pickled)
    except Exception as err:  # a damaged pickle raises almost anything
        raise ModelLoadError(f"{model_path}: cannot load ({type(err).__name__}: {err})") from None
    if not (
        isinstance(payload, dict)
        and payload.get("format") == FORMAT
        # the estimator imports this module (its save and load): know it by its export
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

