"""Helpers of the hostile suite: run ``hedge`` in-process or in a limited subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from classifier.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
#: Address space given to a subprocess that must stay in bounded memory: the issue's
#: bound for any model archive or lexicon accepted (``hedge score`` on a small file takes
#: 41 MB of it, as VmPeak in /proc/self/status shows).
MEMORY_LIMIT = 300 << 20


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run ``hedge args`` in this process; return the status, standard output and error."""
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def one_error_line(err: str, *names: str) -> str:
    """Check that ``err`` is one ``hedge: error:`` line naming ``names``; return it."""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("hedge: error: "), err
    for name in names:
        assert name in lines[0], (name, err)
    return lines[0]


def limited(
    code: str, *, memory: int = MEMORY_LIMIT, files: int | None = None, **kwargs: object
) -> subprocess.CompletedProcess[str]:
    """Run Python ``code`` in a subprocess whose address space is at most ``memory`` bytes."""

    def limit() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        if files is not None:
            resource.setrlimit(resource.RLIMIT_NOFILE, (files, files))

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-c", code],
        preexec_fn=limit,  # noqa: PLW1509 -- no threads are running here
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        **kwargs,  # type: ignore[arg-type]
    )


def hedge(
    *args: str, memory: int = MEMORY_LIMIT, **kwargs: object
) -> subprocess.CompletedProcess[str]:
    """Run ``hedge args`` in a subprocess under a memory limit."""
    code = f"import sys; from classifier.cli.main import main; sys.exit(main({list(args)!r}))"
    return limited(code, memory=memory, **kwargs)
