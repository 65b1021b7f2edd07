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
import stat
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any, TextIO, TypeVar, cast

from classifier.io.files import STDIN, display_name

__all__ = [
    "PROG",
    "STDIN",
    "CommandError",
    "StdoutError",
    "Terminated",
    "check_exists",
    "check_inputs",
    "check_output",
    "checked_stdout",
    "delimiter",
    "encoding",
    "error",
    "file_name",
    "finite_float",
    "inputs_of",
    "jobs",
    "output",
    "path",
    "probability",
    "seed",
    "byte_progress",
    "positive_int",
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
        if Path(name).is_dir():
            raise CommandError(f"{name}: is a directory")
        check_exists(name)


def check_exists(name: str) -> None:
    """Fail on a path that cannot be reached, naming why: missing, a link loop, no access."""
    try:
        os.stat(name)
    except FileNotFoundError:
        raise CommandError(f"{name}: no such file") from None
    except (OSError, ValueError) as err:
        reason = err.strerror if isinstance(err, OSError) and err.strerror else str(err)
        raise CommandError(f"{name}: {reason}") from None


def inputs_of(args: argparse.Namespace) -> list[str]:
    """Return every path a command reads: its files or folders, the lexicon, the model.

    The bundled model and lexicons are inputs too, and standard input (``-``) when it is
    read: the file it may be redirected from.
    """
    names = [*getattr(args, "files", []), *getattr(args, "data", []), *getattr(args, "file", [])]
    if not names and not getattr(args, "sentences", None):  # hedge score, hedge explain
        names.append(STDIN)
    for option in ("lexicon", "model", "base_model"):  # base_model: train --from
        value = getattr(args, option, None)
        if value:
            names.append(value)
    from classifier.bundled import bundled

    with contextlib.suppress(FileNotFoundError):
        names += [str(bundled("models") / "default.hedge"), str(bundled("lexicons"))]
    return names


def _identity(name: str | Path | int) -> tuple[int, int] | None:
    try:
        info = os.stat(name)
    except (OSError, ValueError):
        return None
    return info.st_dev, info.st_ino


def check_output(name: str, inputs: Iterable[str] = ()) -> Path:
    """Return ``name`` as a path after checking that it can be written atomically.

    The one guard of "an output is never an input": ``inputs`` are every path the
    command reads (:func:`inputs_of`); a folder among them means every file under it,
    and the folder itself, where the temporary file of the output would be written.

    Raises
    ------
    CommandError
        If it is a directory, its folder is missing, or writing it would replace an
        input (the same file by any path or link) or write inside an input folder.
    """
    path = Path(name)
    if path.is_dir():
        raise CommandError(f"cannot write {name}: is a directory")
    if name.endswith(("/", os.sep)):  # Path drops the slash: it would write a file "name"
        raise CommandError(f"cannot write {name}: no such directory")
    if not path.parent.is_dir():
        raise CommandError(f"cannot write {name}: no such directory {path.parent}")
    target = os.path.realpath(path)  # where the output and its temporary file go
    written = _identity(path)
    for given in inputs:
        if given == STDIN:
            if written is not None and _identity(0) == written:  # file descriptor 0
                raise CommandError(f"cannot write {name}: it is the file standard input reads")
            continue
        if Path(given).is_dir():
            folder = os.path.realpath(given)
            if os.path.commonpath([folder, os.path.dirname(target)]) == folder:
                raise CommandError(f"cannot write {name}: it is inside the input folder {given}")
            if written is not None and any(
                _identity(os.path.join(root, file)) == written
                for root, _, files in os.walk(folder)
                for file in files
            ):
                raise CommandError(f"cannot write {name}: it is a file of the input {given}")
        elif written is not None and _identity(given) == written:
            raise CommandError(f"cannot write {name}: it is the input {given}")
    return path


def byte_progress(names: list[str]) -> Any:
    """Return a progress bar of the bytes of files ``names``, with their total and time left.

    None when standard error is not a terminal, tqdm is missing, or an input's size is not
    known beforehand (standard input, a pipe).
    """
    if not sys.stderr.isatty():
        return None
    try:
        from tqdm import tqdm
    except ImportError:
        return None
    total = 0
    for name in names:
        try:
            info = os.stat(name)
        except (OSError, ValueError):
            return None
        if name == STDIN or not stat.S_ISREG(info.st_mode):
            return None
        total += info.st_size
    return tqdm(
        total=total, unit="B", unit_scale=True, unit_divisor=1024, file=sys.stderr, leave=False
    )


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


def _whole_number(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None


def positive_int(text: str) -> int:
    """Parse a whole number of at least 1 for argparse."""
    value = _whole_number(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a number of at least 1, got {text!r}")
    return value


def jobs(text: str) -> int:
    """Parse a number of processes for argparse: a positive int or -1."""
    value = _whole_number(text)
    if value == 0 or value < -1:
        raise argparse.ArgumentTypeError(f"expected a number >= 1 or -1, got {value}")
    return value


def output(text: str) -> str | None:
    """Parse ``-o PATH`` for argparse: ``-`` is standard output (None)."""
    return None if text == STDIN else file_name(text)


def path(text: str) -> str:
    """Parse the name of a file or folder to read for argparse: not empty."""
    if not text:
        raise argparse.ArgumentTypeError("expected a file name, got ''")
    return text


def file_name(text: str) -> str:
    """Parse the name of a file to write for argparse: neither empty nor ``-``."""
    if not text or text == STDIN:
        raise argparse.ArgumentTypeError(f"expected a file name, got {text!r}")
    return text


def seed(text: str) -> int:
    """Parse a random seed for argparse: a whole number from 0 to 2**32 - 1."""
    value = _whole_number(text)
    if not 0 <= value < 2**32:
        raise argparse.ArgumentTypeError(f"expected a number from 0 to 4294967295, got {text}")
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
    """Print one line on standard error; undecodable bytes of file names as escapes.

    A message of several lines (pyarrow's, a codec's) is joined into one with ``; ``.
    """
    shown = display_name(message)
    shown = "; ".join(line.strip() for line in shown.splitlines() if line.strip())
    print(f"{PROG}: {kind}: {shown}", file=sys.stderr)


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


class StdoutError(CommandError):
    """Standard output cannot be written: a full disk, a closed terminal."""


class _CheckedOutput:
    """Standard output whose failure (a full disk, a closed terminal) says so.

    Any other ``OSError`` then comes from elsewhere (reading an input, opening a file)
    and is not reported as a failure to write standard output.
    """

    def __init__(self, stream: IO[Any] | None) -> None:
        self.stream = stream  # None when the process started with it closed (``>&-``)

    @property
    def buffer(self) -> _CheckedOutput:
        """The bytes under standard output (``--jobs`` writes them), checked the same way."""
        if self.stream is None:
            raise AttributeError("buffer")
        return _CheckedOutput(self.stream.buffer)  # type: ignore[attr-defined]

    def write(self, text: Any) -> int:
        if self.stream is None:
            raise StdoutError("cannot write standard output: it is closed")
        try:
            return self.stream.write(text)
        except BrokenPipeError:
            raise
        except OSError as err:
            raise StdoutError(f"cannot write standard output: {err.strerror or err}") from None

    def writelines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        if self.stream is None:
            return
        try:
            self.stream.flush()
        except BrokenPipeError:
            raise
        except OSError as err:
            raise StdoutError(f"cannot write standard output: {err.strerror or err}") from None

    def __getattr__(self, name: str) -> object:
        return getattr(self.stream, name)


def _utf8(stream: TextIO | None) -> None:
    """Make ``stream`` write UTF-8 whatever the locale or ``PYTHONIOENCODING`` say.

    Every output is UTF-8, as its files are: an ASCII or Latin-1 standard output would
    fail on the first other character, or write bytes that are not UTF-8.
    """
    encoding = getattr(stream, "encoding", None)
    reconfigure = getattr(stream, "reconfigure", None)
    if encoding is None or reconfigure is None:
        return
    with contextlib.suppress(LookupError):
        if codecs.lookup(encoding).name == "utf-8":
            return
    with contextlib.suppress(OSError, ValueError):  # a stream already written cannot change
        reconfigure(encoding="utf-8")


@contextlib.contextmanager
def checked_stdout() -> Iterator[None]:
    """Make a failure to write standard output a :class:`StdoutError`; write it as UTF-8."""
    stream = sys.stdout  # None when closed (``>&-``): writing it is then the error
    _utf8(stream)
    sys.stdout = cast(TextIO, _CheckedOutput(stream))
    try:
        yield
    finally:
        sys.stdout = stream


def delimiter(text: str) -> str:
    r"""Parse a one-character delimiter for argparse (``\t`` for a tab)."""
    text = "\t" if text == "\\t" else text
    if len(text) != 1 or text in '\r\n"':
        raise argparse.ArgumentTypeError(f"expected one character such as ';', got {text!r}")
    return text
