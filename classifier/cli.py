"""The ``hedge`` command line.

Each subcommand has an ``_add_<name>_parser`` function that registers its parser
and a ``_run_<name>`` handler that takes the parsed arguments and returns an exit
status; :data:`_COMMANDS` lists the registration functions. Heavy modules
(scikit-learn, the model) are imported inside the handlers, never at module level.

Exit status: 0 on success, 1 for an error reported as ``hedge: error: ...``, 2 for
a usage error, 130 when interrupted, 141 when the reader of standard output went
away (``hedge score big.txt | head``).
"""

from __future__ import annotations

import argparse
import codecs
import csv
import io
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, TextIO

from classifier.errors import HedgeError

if TYPE_CHECKING:
    from classifier.model import CertaintyClassifier, SentenceScore

__all__ = ["build_parser", "main"]

PROG = "hedge"
#: The name of standard input, as an argument and in output records.
STDIN = "-"
#: Exit statuses besides 0 (success) and 2 (usage error, argparse's own).
EXIT_ERROR = 1
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports Ctrl-C
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, as a shell reports a closed pipe
#: Output formats of ``hedge score``.
FORMATS = ("text", "jsonl", "csv", "tsv")
#: Marks around a cue in the text format.
CUE_OPEN, CUE_CLOSE = "[[", "]]"
#: Separators of the ``cues`` column in CSV and TSV: ``text|category; text|category``.
CUE_FIELD_SEP, CUE_SEP = "|", "; "

MAIN_EPILOG = """\
examples:
  echo "It may rain tomorrow. The sky is blue." | hedge score
  hedge score --format jsonl report.txt notes.txt -o scores.jsonl

Run "hedge COMMAND --help" for the options of a command.
"""

SCORE_DESCRIPTION = """\
Split text into sentences and score each for certainty, with the hedge cues
that made it uncertain. Reads UTF-8 files, or standard input when no FILE or
'-' is given.
"""

SCORE_EPILOG = """\
examples:
  $ echo "It may rain tomorrow. The sky is blue." | hedge score
  -[0]  uncertain  0.08
      It [[may]] rain tomorrow.
      cues: may (modal)

  -[1]  certain  1.00
      The sky is blue.

  2 sentences: 1 uncertain, 1 certain

  hedge score --format jsonl report.txt > report.jsonl
  hedge score --lines --format csv -o scores.csv sentences.txt

output fields (jsonl, csv, tsv), one record per sentence, in input order:
  doc        file name as given, "-" for standard input
  sentence   0-based index of the sentence in its file
  line       1-based line number (only with --lines)
  start,end  character offsets of the sentence: in the file, or with --lines
             in its line; file[start:end] == text
  text       the sentence
  certainty  probability that the sentence is certain, full precision
  label      "certain" or "uncertain"
  cues       hedge cues found: objects with text, start, end (offsets like
             start and end) and category in jsonl; "text|category" items
             joined by "; " in csv and tsv
"""


class CommandError(Exception):
    """An error to report as ``hedge: error: <message>`` with exit status 1."""


@dataclass(frozen=True, slots=True)
class _Record:
    """One scored sentence and where it came from."""

    doc: str
    sentence: int
    line: int | None
    score: SentenceScore


# ---------------------------------------------------------------------- input
def _decode(data: bytes, name: str) -> str:
    """Decode UTF-8 ``data`` (a leading byte order mark is dropped).

    Raises
    ------
    CommandError
        For invalid UTF-8, naming the file, line and byte offset.
    """
    skip = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        return data[skip:].decode("utf-8")
    except UnicodeDecodeError as err:
        offset = skip + err.start
        line = data.count(b"\n", 0, offset) + 1
        raise CommandError(
            f"{name}:{line}: invalid UTF-8 at byte offset {offset} "
            f"(byte 0x{data[offset]:02x}: {err.reason})"
        ) from None


def _read_input(name: str) -> str:
    """Return the text of file ``name``, or of standard input for ``-``."""
    if name == STDIN:
        stream = sys.stdin
        buffer = getattr(stream, "buffer", None)
        data = buffer.read() if buffer is not None else stream.read().encode("utf-8")
    else:
        try:
            data = Path(name).read_bytes()
        except FileNotFoundError:
            raise CommandError(f"{name}: no such file") from None
        except IsADirectoryError:
            raise CommandError(f"{name}: is a directory") from None
        except OSError as err:
            raise CommandError(f"{name}: cannot read ({err.strerror or err})") from None
    return _decode(data, name)


def _check_inputs(names: list[str]) -> None:
    """Fail early, before the model is loaded, on an input that is not a file."""
    for name in names:
        if name == STDIN:
            continue
        path = Path(name)
        if path.is_dir():
            raise CommandError(f"{name}: is a directory")
        if not path.exists():
            raise CommandError(f"{name}: no such file")


def _check_output(name: str) -> Path:
    """Return ``name`` as a path after checking that it can be written atomically."""
    path = Path(name)
    if path.is_dir():
        raise CommandError(f"cannot write {name}: is a directory")
    if not path.parent.is_dir():
        raise CommandError(f"cannot write {name}: no such directory {path.parent}")
    return path


def _split_lines(text: str) -> Iterator[tuple[int, str, int]]:
    """Yield ``(line_number, stripped_line, offset_in_line)`` for each non-blank line.

    Lines end at a line feed only (a carriage return before it is dropped), so line
    numbers agree with ``wc -l`` and editors.
    """
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.removesuffix("\r")
        stripped = line.lstrip()
        if stripped.strip():
            yield number, stripped.rstrip(), len(line) - len(stripped)


def _score_file(clf: CertaintyClassifier, name: str, by_lines: bool) -> Iterator[_Record]:
    """Read one input and yield its scored sentences in order."""
    text = _read_input(name)
    if not by_lines:
        if text.strip():  # CertaintyClassifier.score raises on text without sentences
            for index, score in enumerate(clf.score(text)):
                yield _Record(name, index, None, score)
        return
    lines = list(_split_lines(text))
    if not lines:  # so does score_sentences on an empty list
        return
    scores = clf.score_sentences([line for _, line, _ in lines])
    for index, ((number, _, offset), score) in enumerate(zip(lines, scores, strict=True)):
        yield _Record(name, index, number, _shifted(score, offset))


def _shifted(score: SentenceScore, offset: int) -> SentenceScore:
    """Return ``score`` with its and its cues' character offsets moved by ``offset``."""
    if not offset:
        return score
    return replace(
        score,
        start=score.start + offset,
        end=score.end + offset,
        cues=tuple(cue.shifted(offset) for cue in score.cues),
    )


# ---------------------------------------------------------------------- output
def _columns(by_lines: bool) -> list[str]:
    """Return the output fields in order."""
    line = ["line"] if by_lines else []
    return ["doc", "sentence", *line, "start", "end", "text", "certainty", "label", "cues"]


def _as_dict(record: _Record) -> dict[str, object]:
    """Return the JSONL object of ``record``, fields in output order."""
    score = record.score
    fields: dict[str, object] = {"doc": record.doc, "sentence": record.sentence}
    if record.line is not None:
        fields["line"] = record.line
    fields.update(
        start=score.start,
        end=score.end,
        text=score.text,
        certainty=score.certainty,
        label=score.label,
        cues=[
            {"text": cue.text, "start": cue.start, "end": cue.end, "category": cue.category}
            for cue in score.cues
        ],
    )
    return fields


def _write_jsonl(out: TextIO, records: Iterable[_Record], by_lines: bool) -> None:
    for record in records:
        out.write(json.dumps(_as_dict(record), ensure_ascii=False) + "\n")


def _delimited_writer(delimiter: str) -> Callable[[TextIO, Iterable[_Record], bool], None]:
    def write(out: TextIO, records: Iterable[_Record], by_lines: bool) -> None:
        writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
        writer.writerow(_columns(by_lines))
        for record in records:
            fields = _as_dict(record)
            fields["cues"] = CUE_SEP.join(
                f"{cue.text}{CUE_FIELD_SEP}{cue.category}" for cue in record.score.cues
            )
            writer.writerow(fields.values())

    return write


def _mark_cues(score: SentenceScore) -> str:
    """Return the sentence with each cue wrapped in ``[[`` and ``]]``.

    A cue inside the gap of a discontinuous one is nested: ``[[chances [[may]] slim]]``.
    """
    marks: list[tuple[int, int, str]] = []  # (position, closing first, mark)
    for cue in score.cues:
        marks.append((cue.start - score.start, 1, CUE_OPEN))
        marks.append((cue.end - score.start, 0, CUE_CLOSE))
    pieces = []
    done = 0
    for position, _, mark in sorted(marks):
        pieces += [score.text[done:position], mark]
        done = position
    pieces.append(score.text[done:])
    return "".join(pieces)


def _write_text(out: TextIO, records: Iterable[_Record], by_lines: bool) -> None:
    counts = {"certain": 0, "uncertain": 0}
    for record in records:
        score = record.score
        counts[score.label] = counts.get(score.label, 0) + 1
        where = f"{record.doc}:{record.line}" if by_lines else f"{record.doc}[{record.sentence}]"
        sentence = "\n    ".join(_mark_cues(score).splitlines())
        out.write(f"{where}  {score.label}  {score.certainty:.2f}\n    {sentence}\n")
        if score.cues:
            cues = "; ".join(f"{cue.text} ({cue.category})" for cue in score.cues)
            out.write(f"    cues: {cues}\n")
        out.write("\n")
    total = sum(counts.values())
    out.write(
        f"{total} sentence{'s' * (total != 1)}: "
        f"{counts['uncertain']} uncertain, {counts['certain']} certain\n"
    )


_WRITERS: dict[str, Callable[[TextIO, Iterable[_Record], bool], None]] = {
    "text": _write_text,
    "jsonl": _write_jsonl,
    "csv": _delimited_writer(","),
    "tsv": _delimited_writer("\t"),
}


def _emit(output: Path | None, write: Callable[[TextIO], None]) -> None:
    """Call ``write`` with standard output, or with an atomically written UTF-8 file."""
    if output is None:
        write(sys.stdout)
        return
    from classifier.persist import atomic_write

    def write_binary(f: BinaryIO) -> None:
        text = io.TextIOWrapper(f, encoding="utf-8", newline="")
        write(text)
        text.flush()
        text.detach()  # atomic_write closes the file

    try:
        atomic_write(output, write_binary)
    except OSError as err:
        raise CommandError(f"cannot write {output}: {err.strerror or err}") from None


# ---------------------------------------------------------------------- score
def _add_score_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "score",
        help="score the sentences of text files for certainty",
        description=SCORE_DESCRIPTION,
        epilog=SCORE_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "files", nargs="*", metavar="FILE", help="UTF-8 text file; '-' for standard input"
    )
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="output format (default: %(default)s)",
    )
    parser.add_argument(
        "--lines",
        action="store_true",
        help="take each non-blank line as one sentence instead of splitting the text",
    )
    _add_model_arguments(parser)
    parser.add_argument(
        "-o",
        "--output",
        metavar="PATH",
        help="write to PATH (replaced atomically) instead of standard output",
    )
    parser.set_defaults(handler=_run_score)


def _add_model_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--model", metavar="PATH", help="model file (default: the bundled model)")
    parser.add_argument(
        "--trust-model",
        action="store_true",
        help="load a model without a manifest or saved with other versions; "
        "a model file can run code, so only for files you trust",
    )


def _load_model(args: argparse.Namespace) -> CertaintyClassifier:
    from classifier.model import CertaintyClassifier

    return CertaintyClassifier.load(args.model, trusted=args.trust_model)


def _run_score(args: argparse.Namespace) -> int:
    names: list[str] = args.files or [STDIN]
    _check_inputs(names)
    output = None if args.output is None else _check_output(args.output)
    clf = _load_model(args)
    by_lines: bool = args.lines
    write_records = _WRITERS[args.format]

    def records() -> Iterator[_Record]:
        for name in names:
            yield from _score_file(clf, name, by_lines)

    _emit(output, lambda out: write_records(out, records(), by_lines))
    return 0


# ---------------------------------------------------------------------- main
#: Functions registering each subcommand's parser, in the order ``--help`` lists them.
_COMMANDS: tuple[Callable[[argparse._SubParsersAction], None], ...] = (_add_score_parser,)


def _version() -> str:
    try:
        return metadata.version("hedge-classifier")
    except metadata.PackageNotFoundError:
        return "unknown"


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of ``hedge`` with every subcommand.

    Returns
    -------
    argparse.ArgumentParser
        Parsed arguments carry ``handler``, the subcommand's function.
    """
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Sentence-level hedge (certainty) detection for English text.",
        epilog=MAIN_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    commands = parser.add_subparsers(
        title="commands", dest="command", metavar="COMMAND", required=True
    )
    for add_parser in _COMMANDS:
        add_parser(commands)
    return parser


def _error(message: str) -> None:
    print(f"{PROG}: error: {message}", file=sys.stderr)


def _silence_stdout() -> None:
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


def main(argv: list[str] | None = None) -> int:
    """Run the ``hedge`` command.

    Parameters
    ----------
    argv : list of str, optional
        The arguments after the program name; None for ``sys.argv[1:]``.

    Returns
    -------
    int
        The exit status: 0 success, 1 error, 2 usage error, 130 interrupted,
        141 standard output closed early.

    Examples
    --------
    >>> import sys
    >>> sys.exit(main(["score", "--help"]))  # doctest: +SKIP
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # --help, --version and usage errors
        return exit_.code if isinstance(exit_.code, int) else EXIT_ERROR
    try:
        status: int = args.handler(args)
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except (CommandError, HedgeError) as err:
        _error(str(err))
        return EXIT_ERROR
    return status


if __name__ == "__main__":
    sys.exit(main())
