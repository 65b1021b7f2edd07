"""Helpers that read and rewrite model archives."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path
from typing import Any

from classifier.io.archive import MANIFEST, PIPELINE, WEIGHTS, optional_member
from classifier.model.weights import OPTIONAL_PARTS


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def rewrite(path: Path, *, fix_hashes: bool = True, **changes: bytes) -> None:
    """Replace members of the archive at ``path`` (keyword ``manifest``, ``weights`` ...,
    or a member's name)."""
    names = {"manifest": MANIFEST, "weights": WEIGHTS, "pipeline": PIPELINE}
    names.update((part, optional_member(part)) for part in OPTIONAL_PARTS)
    content = members(path)
    for key, data in changes.items():
        content[names.get(key, key)] = data
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

