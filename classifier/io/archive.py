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

import functools
import hashlib
import io
import json
import platform
import warnings
import zipfile
import zlib
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
#: Version 2 is the one-file archive (version 1, three files, was never released).
FORMAT_VERSION = 2
#: The conventional extension of a model file.
MODEL_SUFFIX = ".hedge"
DEFAULT_MODEL = "default" + MODEL_SUFFIX
#: Members of a model archive.
MANIFEST, WEIGHTS, PIPELINE = "manifest.json", "weights.json", "pipeline.joblib"
#: Largest members read, in bytes once decompressed: the manifest, each JSON member
#: (weights, a convention, cue types, aspects) and the pipeline. Each is far above a real
#: model's (4 KB, 1.8 MB and 3.2 MB for the bundled one), so that a hostile archive
#: cannot make loading hold gigabytes.
MAX_MANIFEST_BYTES = 1 << 20
MAX_MEMBER_BYTES = 8 << 20
MAX_PIPELINE_BYTES = 64 << 20
#: Most bytes decompressed through one opening of an archive, and most members in one.
MAX_ARCHIVE_BYTES = 96 << 20
MAX_MEMBERS = 256
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
    return Path(str(bundled("models") / DEFAULT_MODEL))


def _model_file(path: str | Path | None) -> Path:
    model_path = default_model_path() if path is None else Path(path)
    if not model_path.exists():
        raise ModelLoadError(f"{model_path}: no such model file")
    if not model_path.is_file():
        raise ModelLoadError(f"{model_path}: not a file")
    return model_path


def _open_archive(path: Path) -> _Archive:
    """Open the model archive at ``path``; refuse, in one line, a file that is none."""
    try:
        with open(path, "rb") as f:
            head = f.read(4)
    except OSError as err:
        raise ModelLoadError(f"{path}: cannot read ({err.strerror or err})") from None
    if not head:
        raise ModelLoadError(f"{path}: an empty file, not a model")
    if head != b"PK\x03\x04":
        raise ModelLoadError(f"{path}: not a model archive (a zip file of {FORMAT})")
    return _Archive(path)


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


def _member_limit(name: str) -> int:
    """Return the most bytes member ``name`` may hold once decompressed."""
    if name == MANIFEST:
        return MAX_MANIFEST_BYTES
    return MAX_PIPELINE_BYTES if name == PIPELINE else MAX_MEMBER_BYTES


def _known_member(name: str) -> bool:
    """Tell whether ``name`` is a member this package writes (see :func:`save_model`)."""
    if name in (MANIFEST, WEIGHTS, PIPELINE, *map(optional_member, OPTIONAL_PARTS)):
        return True
    convention = name.removeprefix("conventions/").removesuffix(".json")
    return name == convention_member(convention) and convention.isidentifier()


class _Archive:
    """An open model archive, its members checked before any is decompressed.

    Opening checks every member's header: a name this package writes, no encryption, a
    compression method of its own (stored or deflated), a size within its limit, and
    the manifest's list of members. :meth:`read` then decompresses one member, within
    :data:`MAX_ARCHIVE_BYTES` for everything read through one opening, and checks its
    sha256 against the manifest.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.budget = MAX_ARCHIVE_BYTES
        try:
            self.zip = zipfile.ZipFile(path)
            infos = self.zip.infolist()
        except (OSError, zipfile.BadZipFile, ValueError, EOFError) as err:
            raise ModelLoadError(f"{path}: not a readable model archive ({err})") from None
        try:
            self._check_all(infos)
        except BaseException:
            self.zip.close()
            raise

    def __enter__(self) -> _Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.zip.close()

    def _check_all(self, infos: list[zipfile.ZipInfo]) -> None:
        path = self.path
        self.infos: dict[str, zipfile.ZipInfo] = {}
        for info in infos[: MAX_MEMBERS + 1]:
            self._check(info)
        if len(infos) > MAX_MEMBERS:
            raise ModelLoadError(f"{path}: more than {MAX_MEMBERS} members, not a model archive")
        self.manifest = _parse_manifest(self._raw(MANIFEST), f"{path}:{MANIFEST}")
        if self.manifest.get("format_version") != FORMAT_VERSION:
            raise ModelLoadError(
                f"{path}: format version {self.manifest.get('format_version')!r}, "
                f"this package reads {FORMAT_VERSION}"
            )
        members = self.manifest.get("members")
        if not (
            isinstance(members, dict)
            and all(isinstance(k, str) and isinstance(v, str) for k, v in members.items())
        ):
            raise ModelLoadError(f"{path}:{MANIFEST}: members: expected names and sha256 digests")
        self.members: dict[str, str] = members
        for name in (WEIGHTS, *members):
            if name not in self.infos or name not in members:
                raise ModelLoadError(f"{path}: no member {name} in the archive")

    def _check(self, info: zipfile.ZipInfo) -> None:
        name = info.filename
        where = f"{self.path}:{name}"
        if not _known_member(name):
            raise ModelLoadError(f"{self.path}: member {name!r} is not part of a model archive")
        if name in self.infos:
            raise ModelLoadError(f"{where}: stored twice in the archive")
        if info.flag_bits & 0x1:
            raise ModelLoadError(f"{where}: encrypted; a model archive is not")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise ModelLoadError(
                f"{where}: compression method {info.compress_type}; "
                "a model archive is stored or deflated"
            )
        if info.file_size > _member_limit(name):
            raise ModelLoadError(
                f"{where}: {info.file_size} bytes, more than {_member_limit(name)}"
            )
        self.infos[name] = info

    def _raw(self, name: str) -> bytes:
        info = self.infos.get(name)
        if info is None:
            raise ModelLoadError(f"{self.path}: no member {name} in the archive")
        if info.file_size > self.budget:
            raise ModelLoadError(
                f"{self.path}:{name}: {info.file_size} bytes, more than the "
                f"{MAX_ARCHIVE_BYTES} a model archive may give"
            )
        self.budget -= info.file_size
        try:  # decompresses no more than the header's file_size, then checks the CRC
            with self.zip.open(info) as member:
                return member.read(info.file_size + 1)
        except (OSError, zipfile.BadZipFile, ValueError, EOFError, zlib.error) as err:
            raise ModelLoadError(f"{self.path}:{name}: unreadable ({err})") from None

    def read(self, name: str) -> bytes:
        """Return member ``name`` after checking its sha256 against the manifest."""
        if name not in self.members:
            raise ModelLoadError(f"{self.path}: no member {name} in the archive")
        data = self._raw(name)
        if self.members[name] != _sha256(data):
            raise ModelIntegrityError(
                f"{self.path}:{name}: sha256 does not match the manifest; "
                "the archive is damaged or was altered"
            )
        return data

    def text(self, name: str) -> str:
        """Return member ``name`` (checked as :meth:`read` does) as UTF-8 text."""
        data = self.read(name)
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as err:
            raise ModelLoadError(
                f"{self.path}:{name}: not UTF-8 ({err.reason} at byte {err.start})"
            ) from None


def _member_text(path: Path, name: str) -> str:
    """Open the archive at ``path`` again and return member ``name``: an optional part."""
    with _Archive(path) as archive:
        return archive.text(name)


def read_manifest(path: str | Path | None = None) -> dict[str, Any]:
    """Return the manifest of a model file (the bundled model for None).

    Raises
    ------
    ModelLoadError
        If the file is not a model.
    """
    with _open_archive(_model_file(path)) as archive:
        return archive.manifest


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
    with _open_archive(model_path) as archive:
        params = archive.manifest.get("params")
        own = params.get("convention") if isinstance(params, dict) else None
        member = WEIGHTS if convention in (None, own) else convention_member(str(convention))
        if member not in archive.members:
            known = [own] if isinstance(own, str) else []
            known += [
                name[len("conventions/") : -len(".json")]
                for name in archive.members
                if name.startswith("conventions/")
            ]
            known.sort()
            raise ModelLoadError(
                f"{model_path}: no convention {convention!r}; "
                + (f"this model has {', '.join(known)}" if known else "it has only its own")
            )
        text = archive.text(WEIGHTS)
        where = f"{model_path}:{member}"
        parts = None if member == WEIGHTS else archive.text(member)
        optional = {  # decompressed on first use only: most scoring never asks for them
            key: (
                functools.partial(_member_text, model_path, optional_member(key)),
                f"{model_path}:{optional_member(key)}",
            )
            for key in OPTIONAL_PARTS
            if optional_member(key) in archive.members
        }
    try:
        return from_json(text, where, parts=parts, optional=optional)
    except ValueError as err:
        raise ModelLoadError(f"cannot load weights: {err}") from None


def load_model(path: str | Path | None, *, trusted: bool = False) -> CertaintyClassifier:
    """Load a model file's scikit-learn pipeline after checking its manifest.

    This unpickles; see the module docstring.
    """
    import joblib
    import sklearn

    model_path = _model_file(path)
    with _open_archive(model_path) as archive:
        _check_versions(model_path, archive.manifest, trusted)
        source = io.BytesIO(archive.read(PIPELINE))
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
    if payload.get("format_version") != FORMAT_VERSION:
        raise ModelLoadError(
            f"{model_path}: format version {payload.get('format_version')}, "
            f"this package reads {FORMAT_VERSION}"
        )
    clf: CertaintyClassifier = payload["classifier"]
    return clf
