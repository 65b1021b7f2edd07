"""What the ``hedge`` command needs around its parsers and handlers.

Argument types for argparse, checks of input and output paths before any work starts,
one-line messages on standard error, a progress bar, and the process's ending: SIGTERM
and SIGHUP unwind like Ctrl-C (so temporary files are removed and joblib's workers are
shut down), and standard output can be silenced after it failed.
"""

from __future__ import annotations

import argparse
import codecs
import contextlib
import os
import signal
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TypeVar

from classifier.io.files import STDIN, display_name

__all__ = [
    "PROG",
    "STDIN",
    "CommandError",
    "Terminated",
    "check_inputs",
    "check_output",
    "delimiter",
    "encoding",
    "error",
    "finite_float",
    "jobs",
    "probability",
    "progress",
    "show_warning",
    "signals_interrupt",
    "silence_stdout",
    "stop_workers",
]

PROG = "hedge"
_T = TypeVar("_T")


class CommandError(Exception):
    """An error to report as ``hedge: error: <message>`` with exit status 1."""


def check_inputs(names: list[str]) -> None:
    """Fail early, before the model is loaded, on an input that is not a file."""
    for name in names:
        if name == STDIN:
            continue
        path = Path(name)
        if path.is_dir():
            raise CommandError(f"{name}: is a directory")
        if not path.exists():
            raise CommandError(f"{name}: no such file")


def check_output(name: str, inputs: Iterable[str] = ()) -> Path:
    """Return ``name`` as a path after checking that it can be written atomically.

    Raises
    ------
    CommandError
        If it is a directory, its folder is missing, or it is one of ``inputs`` (the
        same file, by any path or link): writing it would destroy that input.
    """
    path = Path(name)
    if path.is_dir():
        raise CommandError(f"cannot write {name}: is a directory")
    if not path.parent.is_dir():
        raise CommandError(f"cannot write {name}: no such directory {path.parent}")
    if path.exists():
        for given in inputs:
            if given != STDIN and Path(given).exists() and os.path.samefile(given, path):
                raise CommandError(f"cannot write {name}: it is the input {given}")
    return path


def progress(records: Iterator[_T]) -> Iterator[_T]:
    """Show a progress bar on standard error when it is a terminal and tqdm is installed."""
    if not sys.stderr.isatty():
        return records
    try:
        from tqdm import tqdm
    except ImportError:
        return records
    return iter(tqdm(records, unit=" sentences", file=sys.stderr, leave=False))


def probability(text: str) -> float:
    """Parse a number in [0, 1] for argparse."""
    value = finite_float(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"expected a number from 0 to 1, got {text!r}")
    return value


def encoding(text: str) -> str:
    """Check a text encoding name for argparse."""
    try:
        codecs.lookup(text)
    except LookupError:
        raise argparse.ArgumentTypeError(f"unknown encoding {text!r}") from None
    try:
        b"\0\0".decode(text, "replace")  # rot13, base64, hex: codecs, not text encodings
    except LookupError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a text encoding") from None
    return text


def jobs(text: str) -> int:
    """Parse a number of processes for argparse: a positive int or -1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value == 0 or value < -1:
        raise argparse.ArgumentTypeError(f"expected a number >= 1 or -1, got {value}")
    return value


def finite_float(text: str) -> float:
    """Parse a finite number for argparse."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise argparse.ArgumentTypeError(f"not a finite number: {text!r}")
    return value


def error(message: str, kind: str = "error") -> None:
    """Print one line on standard error; undecodable bytes of file names as escapes."""
    print(f"{PROG}: {kind}: {display_name(message)}", file=sys.stderr)


def show_warning(message: Warning | str, *args: object, **kwargs: object) -> None:
    """Show a warning as one line, like an error (for :data:`warnings.showwarning`)."""
    error(str(message), "warning")


class Terminated(KeyboardInterrupt):
    """SIGTERM or SIGHUP arrived: unwind as for Ctrl-C, so temporary files are removed."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _terminate(signum: int, frame: object) -> None:
    raise Terminated(signum)


@contextlib.contextmanager
def signals_interrupt() -> Iterator[None]:
    """Make SIGTERM and SIGHUP interrupt like SIGINT while the command runs."""
    handled = [s for s in (signal.SIGTERM, getattr(signal, "SIGHUP", None)) if s is not None]
    try:
        previous = {s: signal.signal(s, _terminate) for s in handled}
    except ValueError:  # not the main thread: leave signals alone
        previous = {}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def stop_workers() -> None:
    """Shut down joblib's worker processes, if any were started."""
    if "joblib" not in sys.modules:
        return
    from joblib.externals.loky import get_reusable_executor

    get_reusable_executor().shutdown(wait=True, kill_workers=True)


def silence_stdout() -> None:
    """Point standard output at the null device, so the final flush cannot fail.

    See "Note on SIGPIPE" in the documentation of the :mod:`signal` module.
    """
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        return  # not a real file (e.g. captured in a test): nothing to flush into a pipe
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)
    os.close(devnull)


def delimiter(text: str) -> str:
    r"""Parse a one-character delimiter for argparse (``\t`` for a tab)."""
    text = "\t" if text == "\\t" else text
    if len(text) != 1 or text in '\r\n"':
        raise argparse.ArgumentTypeError(f"expected one character such as ';', got {text!r}")
    return text
