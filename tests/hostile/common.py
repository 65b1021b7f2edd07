"""Helpers of the hostile suite: run ``hedge`` in-process or in a measured subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pytest

from classifier.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
#: The issue's bound on peak memory for any input on any door (text, tables, html, explain).
INPUT_PEAK = 100 << 20
#: The issue's bound on peak memory for any model archive or lexicon accepted or refused.
MODEL_PEAK = 300 << 20
#: Address space a subprocess may map: a guard that stops a runaway case before the
#: machine swaps. The bound each case checks is its peak resident memory (above).
ADDRESS_LIMIT = 2 << 30


@dataclass
class Finished:
    """A finished subprocess: its status, outputs and peak resident memory in bytes.

    ``peak`` is 0 if the subprocess did not exit through Python (killed, ``os._exit``).
    """

    returncode: int
    stdout: str
    stderr: str
    peak: int

    @property
    def peak_mb(self) -> str:
        return f"{self.peak / (1 << 20):.1f} MB"


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


#: Prepended to the code :func:`limited` runs: at exit, write the process's peak resident
#: memory (``VmHWM``, which starts again at ``exec``, unlike ``ru_maxrss``) to a file.
_REPORT_PEAK = """\
import atexit as _atexit

def _report_peak(path={path!r}):
    with open("/proc/self/status", encoding="ascii") as status:
        kilobytes = next(line.split()[1] for line in status if line.startswith("VmHWM:"))
    with open(path, "w", encoding="ascii") as report:
        report.write(kilobytes)

_atexit.register(_report_peak)
"""


def limited(
    code: str,
    *,
    memory: int = ADDRESS_LIMIT,
    files: int | None = None,
    stdin: IO[bytes] | int = subprocess.DEVNULL,
    stdout: int = subprocess.PIPE,
    timeout: float = 600,
) -> Finished:
    """Run Python ``code`` in a subprocess whose address space is at most ``memory`` bytes.

    The subprocess is killed after ``timeout`` seconds. Its peak resident memory is 0 if
    it did not exit through Python (killed, or ``os._exit``).
    """

    def limit() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        if files is not None:
            resource.setrlimit(resource.RLIMIT_NOFILE, (files, files))

    env = {**os.environ, "PYTHONPATH": str(ROOT), "OPENBLAS_NUM_THREADS": "1"}
    with tempfile.TemporaryDirectory() as folder:
        peak = Path(folder, "peak")
        done = subprocess.run(
            [sys.executable, "-c", _REPORT_PEAK.format(path=str(peak)) + code],
            stdin=stdin,
            stdout=stdout,
            stderr=subprocess.PIPE,
            env=env,
            timeout=timeout,
            preexec_fn=limit,  # noqa: PLW1509 -- no threads are running here
        )
        kilobytes = int(peak.read_text(encoding="ascii")) if peak.exists() else 0
    if log := os.environ.get("HEDGE_PEAK_LOG"):  # a table of the peaks, for the closing note
        with open(log, "a", encoding="utf-8") as table:
            case = os.environ.get("PYTEST_CURRENT_TEST", "?")
            table.write(f"{case}\t{kilobytes / 1024:.1f} MB\n")
    return Finished(
        done.returncode,
        (done.stdout or b"").decode("utf-8", "replace"),
        done.stderr.decode("utf-8", "replace"),
        kilobytes * 1024,
    )


def hedge(*args: str, **kwargs: object) -> Finished:
    """Run ``hedge args`` in a measured subprocess (see :func:`limited`)."""
    code = f"import sys; from classifier.cli.main import main; sys.exit(main({list(args)!r}))"
    return limited(code, **kwargs)  # type: ignore[arg-type]


def refused_within(done: Finished, peak: int, *names: str) -> str:
    """Check that ``done`` stopped with one error line naming ``names`` within ``peak``."""
    assert done.returncode == 1, done.stderr[-500:]
    line = one_error_line(done.stderr, *names)
    assert 0 < done.peak < peak, f"peak {done.peak_mb}: {line}"
    return line
