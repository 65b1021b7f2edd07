"""Files as every reader and writer sees them: names, checksums and atomic writes.

Kept apart from the readers and writers, and light to import (``hashlib`` and ``tempfile``
are imported when used), so that the ``hedge`` command's ``--help`` can use it.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

__all__ = ["STDIN", "atomic_write", "display_name", "input_name", "sha256_file"]

#: The name of standard input, as an argument and in output records.
STDIN = "-"


def display_name(name: str) -> str:
    r"""Return a file name, or a message naming one, printable: undecodable bytes as ``\xNN``.

    >>> display_name("caf\udce9.txt")
    'caf\\xe9.txt'
    """
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def input_name(name: str) -> str:
    """Return how messages and reports name an input: ``-`` is "standard input"."""
    return "standard input" if name == STDIN else name


def sha256_file(path: Path) -> str:
    """Return the hex sha256 of the file at ``path``, read in blocks."""
    import hashlib

    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def atomic_write(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """Write ``path`` through a temporary file in the same folder, then rename it.

    A crash or interruption leaves either the old file or none, never a partial one. An
    existing file keeps its permission bits (as ``sed -i`` does); a new one gets the
    usual ``0666 & ~umask``. A symbolic link is written through: its target is replaced
    and the link stays. What is not a regular file (``/dev/null``, ``/dev/full``, a named
    pipe) is written into, never replaced.
    """
    import tempfile

    path = Path(os.path.realpath(path))
    try:
        mode: int | None = path.stat().st_mode
    except FileNotFoundError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode):
        with open(path, "wb") as f:
            write(f)
        return
    handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        if mode is None:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, stat.S_IMODE(mode))  # mkstemp makes 0600
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
