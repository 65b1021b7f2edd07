"""Helpers that rewrite model archives and write models in the legacy three-file layout."""

from __future__ import annotations

import hashlib
import json
import platform
import zipfile
from pathlib import Path
from typing import Any

import joblib
import sklearn

from classifier.io.archive import FORMAT, MANIFEST, PIPELINE, WEIGHTS, optional_member
from classifier.model.weights import OPTIONAL_PARTS, to_json


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def rewrite(path: Path, *, fix_hashes: bool = True, **changes: bytes) -> None:
    """Replace members of the archive at ``path`` (keyword ``manifest``, ``weights`` ...)."""
    names = {"manifest": MANIFEST, "weights": WEIGHTS, "pipeline": PIPELINE}
    names.update((part, optional_member(part)) for part in OPTIONAL_PARTS)
    content = members(path)
    for key, data in changes.items():
        content[names[key]] = data
    if fix_hashes and "manifest" not in changes:
        manifest = json.loads(content[MANIFEST])
        manifest["members"] = {
            name: hashlib.sha256(data).hexdigest()
            for name, data in content.items()
            if name != MANIFEST
        }
        content[MANIFEST] = json.dumps(manifest).encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in content.items():
            archive.writestr(name, data)


def manifest_of(path: Path) -> dict[str, Any]:
    return json.loads(members(path)[MANIFEST])


def save_legacy(clf: Any, path: Path, *, weights: bool = True, manifest: bool = True) -> None:
    """Write ``clf`` as version 1 did: x.joblib, x.weights.json and the manifest x.json."""
    joblib.dump({"format": FORMAT, "format_version": 1, "classifier": clf}, path, compress=3)
    fields: dict[str, Any] = {
        "format": FORMAT,
        "format_version": 1,
        "model_file": path.name,
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "versions": {"python": platform.python_version(), "scikit-learn": sklearn.__version__},
    }
    if weights:
        target = path.with_suffix(".weights.json")
        target.write_text(to_json(clf.scorer_), encoding="utf-8")
        fields["weights_file"] = target.name
        fields["weights_sha256"] = hashlib.sha256(target.read_bytes()).hexdigest()
    if manifest:
        path.with_suffix(".json").write_text(json.dumps(fields), encoding="utf-8")
