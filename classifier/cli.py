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
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, TextIO

from classifier.errors import HedgeError

if TYPE_CHECKING:
    from classifier.cues import Cue
    from classifier.data import LabeledData
    from classifier.inputs import InputDocument, TableOptions
    from classifier.scorer import Scorer, SentenceScore

__all__ = ["build_parser", "main"]

PROG = "hedge"
#: The name of standard input, as an argument and in output records.
STDIN = "-"
#: Exit statuses besides 0 (success) and 2 (usage error, argparse's own).
EXIT_ERROR = 1
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports Ctrl-C
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, as a shell reports a closed pipe
#: Output formats of ``hedge score``.
FORMATS = ("text", "jsonl", "csv", "tsv", "html")
#: Marks around a cue in the text format.
CUE_OPEN, CUE_CLOSE = "[[", "]]"
#: Separators of the ``cues`` column in CSV and TSV: ``text|category; text|category``.
#: Output formats of ``hedge eval``.
EVAL_FORMATS = ("text", "json")

MAIN_EPILOG = """\
examples:
  echo "It may rain tomorrow. The sky is blue." | hedge score
  hedge score --format jsonl report.txt notes.txt -o scores.jsonl
  hedge explain "The results suggest a role for the gene."
  hedge train labeled.csv --out my.joblib
  hedge eval test.csv --model my.joblib
  hedge lexicon check my_lexicon/

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

tables and folders: a .csv, .tsv, .jsonl or .parquet FILE is a table, scored
one row at a time (the column --text-col; records repeat row, --id-col and
--keep-col after doc); a folder FILE scores every .txt file under it (--glob),
doc being the path relative to it.

--per document: one record per document (a file, a table row) with doc,
certainty (the lowest of its sentences), uncertain_share, label, sentences,
uncertain and categories.

--format html writes one self-contained page (classifier.report): each input
whole, sentences shaded by certainty, cues underlined, details on hover, tap or
focus, an index of uncertain sentences and filters.

--explain (text and jsonl only) adds, in text, every cue that fired, kept or
discarded with the rule that decided, and its contribution to the log-odds of
"uncertain"; in jsonl, a "contribution" field in each cue.
"""


class CommandError(Exception):
    """An error to report as ``hedge: error: <message>`` with exit status 1."""


@dataclass(frozen=True, slots=True)
class _Explanation:
    """Why a sentence got its certainty.

    Attributes
    ----------
    log_odds : float
        The model's log-odds of ``uncertain`` for the sentence.
    cues : tuple of (Cue, float)
        Every cue that fired, kept or discarded, with its contribution to ``log_odds``;
        offsets as in the sentence's score.
    """

    log_odds: float
    cues: tuple[tuple[Cue, float], ...]
    added: frozenset[str] = frozenset()  # entries added without retraining (--lexicon)


@dataclass(frozen=True, slots=True)
class _Record:
    """One scored sentence and where it came from."""

    doc: str
    sentence: int
    line: int | None
    score: SentenceScore
    explanation: _Explanation | None = None
    fields: dict[str, object] | None = None  # a table row's row, id and kept columns


# ---------------------------------------------------------------------- input
#: Characters gathered before a paragraph break ends a chunk: input is read and scored
#: chunk by chunk, so memory stays bounded whatever the size of the file. Sentences never
#: cross a blank line, so chunking does not change them.
CHUNK_CHARS = 1 << 16
#: Lines scored together with --lines.
LINES_PER_BATCH = 1024


@contextmanager
def _open_input(name: str) -> Iterator[BinaryIO]:
    """Open file ``name``, or standard input for ``-``, for reading bytes."""
    if name == STDIN:
        buffer = getattr(sys.stdin, "buffer", None)
        yield buffer if buffer is not None else io.BytesIO(sys.stdin.read().encode("utf-8"))
        return
    try:
        stream = open(name, "rb")  # noqa: SIM115 -- closed below
    except FileNotFoundError:
        raise CommandError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise CommandError(f"{name}: is a directory") from None
    except OSError as err:
        raise CommandError(f"{name}: cannot read ({err.strerror or err})") from None
    with stream:
        yield stream


def _decoded_lines(
    name: str, stream: BinaryIO, encoding: str = "utf-8", errors: str = "strict"
) -> Iterator[tuple[int, str]]:
    """Yield ``(line_number, line)`` of the input, each line with its line feed.

    A leading UTF-8 byte order mark is dropped. Lines end at a line feed only, so line
    numbers agree with ``wc -l`` and editors.

    Raises
    ------
    CommandError
        For bytes that are not valid in ``encoding`` (with ``errors="strict"``), naming
        the file, line and byte offset.
    """
    decoder = codecs.getincrementaldecoder(encoding)(errors)
    label = "UTF-8" if codecs.lookup(encoding).name == "utf-8" else encoding
    offset = 0
    for number, raw in enumerate(stream, start=1):
        data = raw
        if number == 1 and label == "UTF-8" and raw.startswith(codecs.BOM_UTF8):
            data = raw[len(codecs.BOM_UTF8) :]
            offset = len(codecs.BOM_UTF8)
        try:
            line = decoder.decode(data)
        except UnicodeDecodeError as err:
            at = offset + err.start
            raise CommandError(
                f"{name}:{number}: invalid {label} at byte offset {at} "
                f"(byte 0x{data[err.start]:02x}: {err.reason}); "
                "--errors replace reads past such bytes"
            ) from None
        offset += len(data)
        yield number, line


def _chunks(lines: Iterable[tuple[int, str]]) -> Iterator[tuple[int, str]]:
    """Group lines into ``(character offset, text)`` chunks that end at a blank line."""
    parts: list[str] = []
    size = offset = 0
    for _, line in lines:
        parts.append(line)
        size += len(line)
        if size >= CHUNK_CHARS and not line.strip():
            yield offset, "".join(parts)
            offset += size
            parts, size = [], 0
    if parts:
        yield offset, "".join(parts)


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


def _explain(scorer: Scorer, score: SentenceScore) -> _Explanation:
    """Explain one scored sentence; cue offsets are shifted like the score's."""
    log_odds = scorer.log_odds(score.text)
    cues = tuple((cue.shifted(score.start), weight) for cue, weight in scorer.explain(score.text))
    return _Explanation(log_odds, cues, scorer.added)


def _score_file(clf: Scorer, name: str, args: argparse.Namespace) -> Iterator[_Record]:
    """Read one input chunk by chunk and yield its scored sentences in order."""
    by_lines: bool = args.lines
    explain: bool = args.explain
    n_jobs: int = args.jobs
    from classifier.sentences import line_sentence

    pending: deque[tuple[int, int]] = deque()  # (line number, offset) of queued texts
    with _open_input(name) as stream:
        lines = _decoded_lines(name, stream, args.encoding, args.errors)
        if by_lines:

            def texts() -> Iterator[str]:
                for number, raw in lines:
                    found = line_sentence(raw)
                    if found is not None:
                        pending.append((number, found[1]))
                        yield found[0]

            batches = clf.score_many(
                texts(), split=False, n_jobs=n_jobs, batch_size=LINES_PER_BATCH
            )
        else:

            def texts() -> Iterator[str]:
                for offset, chunk in _chunks(lines):
                    pending.append((0, offset))
                    yield chunk

            batches = clf.score_many(texts(), n_jobs=n_jobs, batch_size=1 if n_jobs == 1 else 16)
        index = 0
        for scores in batches:
            number, offset = pending.popleft()
            for score in scores:
                shifted = score.shifted(offset)
                explanation = _explain(clf, shifted) if explain else None
                yield _Record(name, index, number if by_lines else None, shifted, explanation)
                index += 1


# ---------------------------------------------------------------------- output
def _columns(by_lines: bool) -> list[str]:
    """Return the output fields in order."""
    line = ["line"] if by_lines else []
    return ["doc", "sentence", *line, "start", "end", "text", "certainty", "label", "cues"]


def _cue_dict(cue: Cue, explanation: _Explanation | None) -> dict[str, object]:
    """Return the JSONL object of one cue; with ``contribution`` when explained."""
    fields: dict[str, object] = {
        "text": cue.text,
        "start": cue.start,
        "end": cue.end,
        "category": cue.category,
    }
    if explanation is not None:
        weights = {(c.start, c.end, c.entry): weight for c, weight in explanation.cues}
        fields["contribution"] = weights[cue.start, cue.end, cue.entry]
    return fields


def _as_dict(record: _Record) -> dict[str, object]:
    """Return the JSONL object of ``record``, fields in output order."""
    score = record.score
    fields: dict[str, object] = {"doc": record.doc, **(record.fields or {})}
    fields["sentence"] = record.sentence
    if record.line is not None:
        fields["line"] = record.line
    fields.update(
        start=score.start,
        end=score.end,
        text=score.text,
        certainty=score.certainty,
        label=score.label,
        cues=[_cue_dict(cue, record.explanation) for cue in score.cues],
    )
    return fields


def _write_jsonl(out: TextIO, records: Iterable[_Record], by_lines: bool) -> None:
    encode = json.JSONEncoder(ensure_ascii=False).encode
    for record in records:
        out.write(encode(_as_dict(record)) + "\n")


def _delimited_writer(delimiter: str) -> Callable[[TextIO, Iterable[_Record], bool], None]:
    def write(out: TextIO, records: Iterable[_Record], by_lines: bool) -> None:
        from classifier.cues import format_cues

        writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
        header = False
        for record in records:
            fields = _as_dict(record)
            fields["cues"] = format_cues(record.score.cues)
            if not header:  # a table's id and kept columns come after doc
                writer.writerow(fields)
                header = True
            writer.writerow(fields.values())
        if not header:
            writer.writerow(_columns(by_lines))

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
        if record.fields:  # a table row: file:line[sentence] and its id and kept columns
            shown = "".join(f"  {k}={v}" for k, v in record.fields.items() if k != "row")
            where = f"{record.doc}:{record.fields['row']}[{record.sentence}]{shown}"
        sentence = "\n    ".join(_mark_cues(score).splitlines())
        out.write(f"{where}  {score.label}  {score.certainty:.2f}\n    {sentence}\n")
        if score.cues:
            cues = "; ".join(f"{cue.text} ({cue.category})" for cue in score.cues)
            out.write(f"    cues: {cues}\n")
        if record.explanation is not None:
            out.writelines(f"    {line}\n" for line in _explanation_lines(record.explanation))
        out.write("\n")
    total = sum(counts.values())
    out.write(
        f"{total} sentence{'s' * (total != 1)}: "
        f"{counts['uncertain']} uncertain, {counts['certain']} certain\n"
    )


def _cue_status(cue: Cue, added: frozenset[str] = frozenset()) -> str:
    """Return whether a cue was kept, and the rule that decided, in words."""
    if cue.entry in added:
        return f"{_cue_status(cue)} (added cue)"
    if not cue.kept:
        return f"discarded: {cue.rule}" if cue.rule else "discarded"
    if cue.rule:
        return f"kept: {cue.rule}"
    return "kept: negated" if cue.negated else "kept"


def _explanation_lines(explanation: _Explanation) -> list[str]:
    """Return the lines explaining one sentence: the log-odds, then one line per cue."""
    from_cues = sum(weight for _, weight in explanation.cues)
    lines = [
        f"log-odds of uncertain {explanation.log_odds:+.3f} = cues {from_cues:+.3f}"
        f" + other features and intercept {explanation.log_odds - from_cues:+.3f}"
    ]
    if not explanation.cues:
        lines.append("no cue fired")
        return lines
    rows = [("cue", "category", "status", "contribution")]
    rows += [
        (cue.text, cue.category, _cue_status(cue, explanation.added), f"{weight:+.3f}")
        for cue, weight in explanation.cues
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for text, category, status, weight in rows:
        lines.append(
            f"{text:<{widths[0]}}  {category:<{widths[1]}}  {status:<{widths[2]}}  {weight}"
        )
    return lines


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
    if output.exists() and not output.is_file():  # /dev/null, a named pipe: nothing to replace
        try:
            with open(output, "w", encoding="utf-8", newline="") as stream:
                write(stream)
        except OSError as err:
            raise CommandError(f"cannot write {output}: {err.strerror or err}") from None
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
    parser.add_argument(
        "--explain",
        action="store_true",
        help="add each cue's rule and contribution to the log-odds (text and jsonl)",
    )
    parser.add_argument(
        "--threshold",
        type=_probability,
        metavar="T",
        help="label a sentence uncertain when its certainty is below T "
        "(default: the model's own threshold)",
    )
    parser.add_argument(
        "--encoding",
        type=_encoding,
        default="utf-8",
        help="encoding of the input (default: %(default)s)",
    )
    parser.add_argument(
        "--errors",
        choices=("strict", "replace"),
        default="strict",
        help="on bytes invalid in the encoding: stop with an error naming them, or "
        "replace them with U+FFFD (default: %(default)s)",
    )
    parser.add_argument(
        "--jobs",
        type=_jobs,
        default=1,
        metavar="N",
        help="score on N processes (-1: one per core); output is the same as with 1",
    )
    _add_input_arguments(parser)
    _add_model_arguments(parser)
    _add_output_argument(parser)
    parser.set_defaults(handler=_run_score)


def _add_input_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--per",
        choices=("sentence", "document"),
        default="sentence",
        help="one record per sentence, or per document (a file, a table row) with its "
        "share of uncertain sentences and lowest certainty (default: %(default)s)",
    )
    parser.add_argument(
        "--text-col",
        metavar="NAME",
        help="score the column NAME of tables (.csv, .tsv, .jsonl, .parquet); each row "
        "is a document",
    )
    parser.add_argument("--id-col", metavar="NAME", help="a table column repeated in records")
    parser.add_argument(
        "--keep-col",
        action="append",
        default=[],
        metavar="NAME",
        help="another table column repeated in records (may be given more than once)",
    )
    parser.add_argument(
        "--input-format",
        metavar="FORMAT",
        help="read every FILE as a table of this format: csv, tsv, jsonl or parquet "
        "(default: by extension)",
    )
    parser.add_argument(
        "--delimiter", type=_delimiter, metavar="C", help="field delimiter of CSV/TSV tables"
    )
    parser.add_argument(
        "--glob",
        metavar="PATTERN",
        help="files of a folder FILE to score, in sorted order (default: **/*.txt, every "
        ".txt file under it)",
    )
    parser.add_argument(
        "--lexicon",
        metavar="DIR",
        help="add the cues of the lexicon directory DIR to the model without retraining "
        "(scored through their category's and prior's weights)",
    )


def _delimiter(text: str) -> str:
    r"""Parse a one-character delimiter for argparse (``\t`` for a tab)."""
    text = "\t" if text == "\\t" else text
    if len(text) != 1 or text in '\r\n"':
        raise argparse.ArgumentTypeError(f"expected one character such as ';', got {text!r}")
    return text


def _add_output_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-o",
        "--output",
        metavar="PATH",
        help="write to PATH (replaced atomically) instead of standard output",
    )


def _add_model_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--model", metavar="PATH", help="model file (default: the bundled model)")
    parser.add_argument(
        "--trust-model",
        action="store_true",
        help="load a model without a manifest or saved with another scikit-learn major "
        "version; a model file can run code, so only for files you trust",
    )


def _load_scorer(args: argparse.Namespace) -> Scorer:
    """Load the model's weights only: scoring needs no scikit-learn, and starts fast."""
    from classifier.persist import load_scorer

    return load_scorer(
        args.model, trusted=args.trust_model, extra_lexicon=getattr(args, "lexicon", None)
    )


def _run_score(args: argparse.Namespace) -> int:
    names: list[str] = args.files or [STDIN]
    if args.explain and args.format not in ("text", "jsonl"):
        raise CommandError(f"--explain works with --format text or jsonl, not {args.format}")
    documents = _input_documents(names, args)  # None: plain text files only
    if documents is None:
        _check_inputs(names)
    if args.per == "document" and args.format == "html":
        raise CommandError("--per document: the HTML report shows each document already")
    if args.per == "document" and args.explain:
        raise CommandError("--explain explains sentences: use it without --per document")
    output = None if args.output is None else _check_output(args.output)
    clf = _load_scorer(args)
    if args.threshold is not None:
        clf.threshold = args.threshold
    if args.format == "html":
        texts = None if documents is None else _report_texts(documents)
        _emit(output, _html_writer(clf, names, args, texts))
        return 0
    if args.per == "document":
        rows = _document_rows(clf, documents, names, args)
        _emit(output, lambda out: _write_documents(out, rows, args.format))
        return 0
    if documents is not None:
        scored = _table_records(clf, documents, args)
        _emit(output, lambda out: _WRITERS[args.format](out, _progress(scored), args.lines))
        return 0
    write_records = _WRITERS[args.format]

    def records() -> Iterator[_Record]:
        for name in names:
            yield from _score_file(clf, name, args)

    _emit(output, lambda out: write_records(out, _progress(records()), args.lines))
    return 0


def _html_writer(
    clf: Scorer,
    names: list[str],
    args: argparse.Namespace,
    texts: Iterable[tuple[str, str]] | None = None,
) -> Callable[[TextIO], None]:
    """Read each input whole and return a writer of its HTML report (one page)."""
    from classifier.report import render_html, score_document

    documents = []
    for name, text in texts or ():
        documents.append(score_document(clf, text, name=name, by_lines=args.lines))
    for name in names if texts is None else ():
        with _open_input(name) as stream:
            lines = _decoded_lines(name, stream, args.encoding, args.errors)
            text = "".join(line for _, line in lines)
        documents.append(score_document(clf, text, name=name, by_lines=args.lines))
    page = render_html(documents, threshold=clf.threshold)

    def write(out: TextIO) -> None:
        out.write(page)

    return write


def _progress(records: Iterator[_Record]) -> Iterator[_Record]:
    """Show a progress bar on standard error when it is a terminal and tqdm is installed."""
    if not sys.stderr.isatty():
        return records
    try:
        from tqdm import tqdm
    except ImportError:
        return records
    return iter(tqdm(records, unit=" sentences", file=sys.stderr, leave=False))


# ---------------------------------------------------------------------- tables, folders
def _input_documents(names: list[str], args: argparse.Namespace) -> Iterator[InputDocument] | None:
    """Return the documents of tables and folders among ``names``; None if all are text.

    Text files among tables and folders are one document each. Errors (a missing
    ``--text-col``, a table option without a table) come before the model is loaded.
    """
    from classifier.inputs import TableOptions, table_format

    try:
        tables = [name for name in names if table_format(name, args.input_format) is not None]
    except ValueError as err:
        raise CommandError(str(err).replace("input format", "--input-format")) from None
    folders = [name for name in names if name != STDIN and Path(name).is_dir()]
    if tables and args.text_col is None:
        raise CommandError(f"{tables[0]}: a table: give the column to score with --text-col")
    if not tables:
        given = [o for o, v in [("--text-col", args.text_col), ("--id-col", args.id_col),
                                ("--keep-col", args.keep_col)] if v]  # fmt: skip
        if given:
            raise CommandError(f"{given[0]} needs a table (.csv, .tsv, .jsonl, .parquet)")
    if not tables and not folders:
        return None
    if args.lines:
        raise CommandError("--lines reads text files only, not tables or folders")
    for name in names:
        if name != STDIN and not Path(name).exists():
            raise CommandError(f"{name}: no such file")
    options = TableOptions(
        args.text_col, args.id_col, tuple(args.keep_col), args.input_format, args.delimiter
    )
    return _documents_of(names, options, set(tables), set(folders), args)


def _documents_of(
    names: list[str],
    options: TableOptions,
    tables: set[str],
    folders: set[str],
    args: argparse.Namespace,
) -> Iterator[InputDocument]:
    from classifier.inputs import DEFAULT_GLOB, InputDocument, folder_documents, table_documents

    try:
        for name in names:
            if name in tables:
                yield from table_documents(name, options)
            elif name in folders:
                yield from folder_documents(name, args.glob or DEFAULT_GLOB)
            else:
                with _open_input(name) as stream:
                    lines = _decoded_lines(name, stream, args.encoding, args.errors)
                    yield InputDocument(name, "".join(line for _, line in lines))
    except HedgeError as err:
        raise CommandError(str(err)) from None


def _report_texts(documents: Iterable[InputDocument]) -> Iterator[tuple[str, str]]:
    """Return ``(heading, text)`` of each document for the HTML report."""
    for document in documents:
        fields = {k: v for k, v in document.fields.items() if k != "row"}
        where = f"{document.name}:{document.fields['row']}" if document.fields else document.name
        shown = ", ".join(f"{k} {v}" for k, v in fields.items())
        yield (f"{where} ({shown})" if shown else where), document.text


def _scored(
    clf: Scorer, documents: Iterable[InputDocument], n_jobs: int
) -> Iterator[tuple[InputDocument, list[SentenceScore]]]:
    """Yield each document with its sentence scores, scored on ``n_jobs`` processes."""
    from itertools import tee

    texts, kept = tee(documents)
    scored = clf.score_many((document.text for document in texts), n_jobs=n_jobs)
    return zip(kept, scored, strict=True)


def _table_records(
    clf: Scorer, documents: Iterable[InputDocument], args: argparse.Namespace
) -> Iterator[_Record]:
    """Score each document whole and yield its sentence records, with the row's fields.

    Sentences are numbered, and their offsets count, within each document (table cell).
    """
    for document, scores in _scored(clf, documents, args.jobs):
        for number, score in enumerate(scores):
            explanation = _explain(clf, score) if args.explain else None
            yield _Record(document.name, number, None, score, explanation, document.fields)


def _document_rows(
    clf: Scorer,
    documents: Iterable[InputDocument] | None,
    names: list[str],
    args: argparse.Namespace,
) -> Iterator[dict[str, Any]]:
    """Yield the record of each document: ``doc``, a table row's fields, its result."""
    from classifier.scorer import DocumentScore

    if documents is None:  # text files, each scored chunk by chunk
        for name in names:
            streamed = (record.score for record in _score_file(clf, name, args))
            yield {"doc": name, **DocumentScore.of(streamed, keep=False).record()}
        return
    for document, scores in _scored(clf, documents, args.jobs):
        result = DocumentScore.of(scores, keep=False)
        yield {"doc": document.name, **document.fields, **result.record()}


def _write_documents(out: TextIO, rows: Iterable[dict[str, Any]], fmt: str) -> None:
    """Write document records as ``fmt``; ``categories`` joined by "; " in a table."""
    if fmt == "jsonl":
        encode = json.JSONEncoder(ensure_ascii=False).encode
        out.writelines(encode(row) + "\n" for row in rows)
        return
    if fmt in ("csv", "tsv"):
        writer = csv.writer(out, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        for number, row in enumerate(rows):
            row["categories"] = "; ".join(row["categories"])
            if not number:
                writer.writerow(row)
            writer.writerow(["" if value is None else value for value in row.values()])
        return
    counts: dict[str | None, int] = {"certain": 0, "uncertain": 0, None: 0}
    for row in rows:
        counts[row["label"]] += 1
        where = f"{row['doc']}:{row['row']}" if "row" in row else str(row["doc"])
        where += "".join(f"  {k}={v}" for k, v in row.items() if k not in _DOCUMENT_FIELDS)
        if row["label"] is None:
            out.write(f"{where}  no sentences\n")
            continue
        out.write(
            f"{where}  {row['label']}  {row['uncertain']} of {row['sentences']} "
            f"sentences uncertain ({100 * row['uncertain_share']:.1f}%), "
            f"lowest certainty {row['certainty']:.2f}\n"
        )
        if row["categories"]:
            out.write(f"    categories: {', '.join(row['categories'])}\n")
    total = sum(counts.values())
    out.write(
        f"{total} document{'s' * (total != 1)}: {counts['uncertain']} uncertain, "
        f"{counts['certain']} certain" + (f", {counts[None]} empty" if counts[None] else "") + "\n"
    )


#: Fields of a document record that the text format shows in words.
_DOCUMENT_FIELDS = frozenset(
    {"doc", "row", "certainty", "uncertain_share", "label", "sentences", "uncertain"}
    | {"categories"}
)


# ---------------------------------------------------------------------- data options
DATA_OPTIONS_HELP = """\
labeled data: JSONL, JSON, CSV or TSV (by extension, or --data-format), UTF-8,
one sentence per record with a text and a label column. Labels are
certain/uncertain; or 0/1, true/false (1 and true mean uncertain unless
--uncertain-value 0); or any two values, with --uncertain-value naming the one
that means uncertain (e.g. --uncertain-value yes); or graded ratings with
--threshold T (a rating <= T means uncertain).
"""


def _probability(text: str) -> float:
    """Parse a number in [0, 1] for argparse."""
    value = _finite_float(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"expected a number from 0 to 1, got {text!r}")
    return value


def _encoding(text: str) -> str:
    """Check a text encoding name for argparse."""
    try:
        codecs.lookup(text)
    except LookupError:
        raise argparse.ArgumentTypeError(f"unknown encoding {text!r}") from None
    return text


def _jobs(text: str) -> int:
    """Parse a number of processes for argparse: a positive int or -1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value == 0 or value < -1:
        raise argparse.ArgumentTypeError(f"expected a number >= 1 or -1, got {value}")
    return value


def _finite_float(text: str) -> float:
    """Parse a finite number for argparse."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise argparse.ArgumentTypeError(f"not a finite number: {text!r}")
    return value


def _add_data_arguments(parser: argparse.ArgumentParser) -> None:
    from_data = parser.add_argument_group("labeled data")
    from_data.add_argument(
        "--data-format",
        choices=("jsonl", "json", "csv", "tsv"),
        help="format of the data files (default: from each file's extension)",
    )
    from_data.add_argument(
        "--text-col", default="text", metavar="NAME", help="text column (default: %(default)s)"
    )
    from_data.add_argument(
        "--label-col", default="label", metavar="NAME", help="label column (default: %(default)s)"
    )
    labels = from_data.add_mutually_exclusive_group()
    labels.add_argument(
        "--threshold",
        type=_finite_float,
        metavar="T",
        help="labels are graded ratings; a rating <= T means uncertain",
    )
    labels.add_argument(
        "--uncertain-value",
        metavar="VALUE",
        help="the label value meaning uncertain, e.g. 0 or yes; the one other value "
        "means certain (default: uncertain, 1, true)",
    )


def _read_data(args: argparse.Namespace, min_per_class: int) -> LabeledData:
    from classifier.data import read_labeled

    return read_labeled(
        args.data,
        text_col=args.text_col,
        label_col=args.label_col,
        fmt=args.data_format,
        threshold=args.threshold,
        uncertain_value=args.uncertain_value,
        min_per_class=min_per_class,
    )


# ---------------------------------------------------------------------- train
TRAIN_DESCRIPTION = (
    """\
Train a model on labeled sentences and save it with its JSON manifest (MODEL
with the extension .json). Prints the cross-validated precision, recall and F1
of "uncertain". The same data and --seed give a byte-identical model file.

"""
    + DATA_OPTIONS_HELP
)

TRAIN_EPILOG = """\
examples:
  $ cat labeled.csv
  text,label
  The results suggest that the gene is involved.,uncertain
  The protein binds DNA.,certain
  ...
  $ hedge train labeled.csv --out my.joblib
  hedge train ratings.jsonl --threshold 3 --out my.joblib
  hedge train hedged.tsv facts.tsv --lexicon my_lexicon/ --base --out my.joblib
"""


def _add_train_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "train",
        help="train a model on labeled sentences",
        description=TRAIN_DESCRIPTION,
        epilog=TRAIN_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("data", nargs="+", metavar="DATA", help="labeled data file")
    parser.add_argument(
        "--out", required=True, metavar="MODEL", help="model file to write, e.g. my.joblib"
    )
    _add_data_arguments(parser)
    parser.add_argument(
        "--lexicon",
        metavar="DIR",
        help="train with the lexicon in DIR instead of the bundled lexicons",
    )
    parser.add_argument(
        "--base",
        action="store_true",
        help="with --lexicon: the bundled lexicons plus DIR's (DIR wins on a clash)",
    )
    parser.add_argument(
        "--seed", type=int, default=0, help="seed of the cross-validation folds (default: 0)"
    )
    parser.set_defaults(handler=_run_train)


def _run_train(args: argparse.Namespace) -> int:
    if args.base and args.lexicon is None:
        raise CommandError("--base needs --lexicon DIR")
    out = _check_output(args.out)
    if out.suffix == ".json":
        raise CommandError(f"--out {args.out}: the manifest is MODEL.json; name the model .joblib")
    from classifier.data import MIN_PER_CLASS, train
    from classifier.lexicon import Lexicon, load_lexicon
    from classifier.persist import sha256_file

    data = _read_data(args, min_per_class=MIN_PER_CLASS)
    lexicon: Lexicon | None = None
    if args.lexicon is not None:
        lexicon = load_lexicon(args.lexicon)
        if args.base:
            lexicon = load_lexicon().merged(lexicon)
    counts = data.counts()
    files = len(data.files)
    print(
        f"read {len(data.examples)} sentences from {files} file{'s' * (files != 1)}: "
        f"{counts['uncertain']} uncertain, {counts['certain']} certain"
    )
    clf = train(data, seed=args.seed, lexicon=lexicon)
    m = clf.cv_metrics_
    print(
        f"cross-validated ({m['folds']} folds, C={m['C']}, threshold {clf.threshold_:.2f}): "
        f"precision {m['precision']:.3f}  recall {m['recall']:.3f}  F1 {m['f1']:.3f}  "
        f"accuracy {m['accuracy']:.3f}"
    )
    summary = data.summary()
    summary.update(
        sha256={name: sha256_file(Path(name)) for name in data.files},
        seed=args.seed,
        options={
            "text_col": args.text_col,
            "label_col": args.label_col,
            "data_format": args.data_format,
            "threshold": args.threshold,
            "uncertain_value": args.uncertain_value,
            "lexicon": args.lexicon,
            "base": args.base,
        },
    )
    try:
        manifest = clf.save(out, summary)
    except OSError as err:
        raise CommandError(f"cannot write {out}: {err.strerror or err}") from None
    print(f"wrote {out} and {manifest}")
    return 0


# ---------------------------------------------------------------------- eval
EVAL_DESCRIPTION = (
    """\
Score labeled sentences with a model (each record as one sentence) and report
precision, recall and F1 of "uncertain", accuracy, the confusion matrix, ROC
AUC, Brier score and a calibration table; with --threshold, also the Pearson
and Spearman correlation of certainty with the ratings.

"""
    + DATA_OPTIONS_HELP
)

EVAL_EPILOG = """\
examples:
  hedge eval test.csv --model my.joblib
  hedge eval ratings.jsonl --threshold 3 --format json -o report.json
  hedge eval test.csv --model my.joblib --plot calibration.png
"""


def _add_eval_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "eval",
        help="evaluate a model on labeled sentences",
        description=EVAL_DESCRIPTION,
        epilog=EVAL_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("data", nargs="+", metavar="DATA", help="labeled data file")
    parser.add_argument(
        "--format", choices=EVAL_FORMATS, default="text", help="output format (default: text)"
    )
    _add_data_arguments(parser)
    _add_model_arguments(parser)
    _add_output_argument(parser)
    parser.add_argument(
        "--plot",
        metavar="PNG",
        help="also draw a reliability diagram and the precision-recall curve into PNG "
        '(needs matplotlib: pip install "hedge-classifier[plot]")',
    )
    parser.set_defaults(handler=_run_eval)


def _run_eval(args: argparse.Namespace) -> int:
    output = None if args.output is None else _check_output(args.output)
    plot = None if args.plot is None else _check_output(args.plot)
    if plot is not None:
        from classifier.plot import require_matplotlib

        require_matplotlib()
    data = _read_data(args, min_per_class=0)
    clf = _load_scorer(args)
    from classifier.evaluate import evaluate

    report = evaluate(clf, data.sentences, data.labels, data.ratings)
    if plot is not None:
        from classifier.plot import plot_evaluation

        try:
            plot_evaluation(report, clf.certainty(data.sentences), data.labels, plot)
        except OSError as err:
            raise CommandError(f"cannot write {plot}: {err.strerror or err}") from None
    if args.format == "json":
        text = json.dumps(report.to_dict(), indent=2) + "\n"
    else:
        text = report.format_text()

    def write(out: TextIO) -> None:
        out.write(text)

    _emit(output, write)
    return 0


# ---------------------------------------------------------------------- explain
EXPLAIN_EPILOG = """\
examples:
  $ hedge explain "We met in May and it may rain."
  We met in May and it may rain.
    uncertain  certainty 0.11 (uncertain below 0.70)
    log-odds of uncertain +2.099 = cues +4.344 + other features and intercept -2.244
    cue  category  status                                  contribution
    May  modal     discarded: false friend: the month May  +0.000
    may  modal     kept                                    +4.344

  hedge explain --model my.joblib "It is not certain that it works."
  hedge explain < notes.txt
  hedge explain --format json --file notes.txt > why.json
"""


def _add_explain_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "explain",
        help="show why sentences got their certainty",
        description="Show each cue that fired in a sentence: its category, whether it was "
        "kept or discarded and by which rule (negation, false friend), and its "
        "contribution to the log-odds of uncertain (0 for a discarded cue); then the "
        "sentence's certainty and label. Each SENTENCE is taken as one sentence; text "
        "from --file or, with neither, from standard input is split into sentences.",
        epilog=EXPLAIN_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("sentences", nargs="*", metavar="SENTENCE", help="a sentence")
    parser.add_argument(
        "-f",
        "--file",
        action="append",
        default=[],
        metavar="PATH",
        help="explain every sentence of a UTF-8 text file ('-' for standard input)",
    )
    parser.add_argument(
        "--format",
        choices=EVAL_FORMATS,
        default="text",
        help="text, or json: a list with one object per sentence (default: %(default)s)",
    )
    parser.add_argument(
        "--lexicon", metavar="DIR", help="add the cues of lexicon DIR without retraining"
    )
    _add_model_arguments(parser)
    parser.set_defaults(handler=_run_explain)


def _run_explain(args: argparse.Namespace) -> int:
    for sentence in args.sentences:
        if not sentence.strip():
            raise CommandError("empty sentence")
    files: list[str] = args.file or ([] if args.sentences else [STDIN])
    _check_inputs(files)
    clf = _load_scorer(args)
    explained: list[tuple[str, int, SentenceScore]] = [
        ("argument", index, clf.score_sentences([sentence])[0])
        for index, sentence in enumerate(args.sentences)
    ]
    for name in files:
        with _open_input(name) as stream:
            text = "".join(line for _, line in _decoded_lines(name, stream))
        explained += [(name, index, score) for index, score in enumerate(clf.score(text))]
    if args.format == "json":
        records = [_explain_record(clf, *item) for item in explained]
        sys.stdout.write(json.dumps(records, ensure_ascii=False, indent=1) + "\n")
        return 0
    for index, (_, _, score) in enumerate(explained):
        if index:
            sys.stdout.write("\n")
        sys.stdout.write(
            f"{score.text}\n  {score.label}  certainty {score.certainty:.2f} "
            f"(uncertain below {clf.threshold:.2f})\n"
        )
        lines = _explanation_lines(_explain(clf, score))
        sys.stdout.writelines(f"  {line}\n" for line in lines)
    return 0


def _explain_record(clf: Scorer, doc: str, index: int, score: SentenceScore) -> dict[str, Any]:
    """Return the explanation of one sentence as data: the table of ``hedge explain``."""
    explanation = _explain(clf, score)
    from_cues = sum(weight for _, weight in explanation.cues)
    return {
        "doc": doc,
        "sentence": index,
        "start": score.start,
        "end": score.end,
        "text": score.text,
        "certainty": score.certainty,
        "label": score.label,
        "threshold": clf.threshold,
        "log_odds": explanation.log_odds,
        "from_cues": from_cues,
        "from_rest": explanation.log_odds - from_cues,
        "cues": [
            {
                "text": cue.text,
                "start": cue.start,
                "end": cue.end,
                "category": cue.category,
                "kept": cue.kept,
                "status": _cue_status(cue, explanation.added),
                "rule": cue.rule,
                "added": cue.entry in explanation.added,
                "contribution": weight,
            }
            for cue, weight in explanation.cues
        ],
    }


# ---------------------------------------------------------------------- lexicon
LEXICON_EPILOG = """\
examples:
  hedge lexicon check my_lexicon/
"""

LEXICON_CHECK_EPILOG = """\
examples:
  $ hedge lexicon check my_lexicon/
  OK: my_lexicon/: 12 entries in 1 file (modal 7, booster 5)
  $ hedge lexicon check broken/
  hedge: error: broken/hedges.tsv:7:category: unknown category 'modl'; ...
"""


def _add_lexicon_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "lexicon",
        help="work with lexicon directories",
        description="Work with lexicon directories (UTF-8 *.tsv files with the header "
        "cue<TAB>category<TAB>weight<TAB>note).",
        epilog=LEXICON_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    actions = parser.add_subparsers(
        title="commands", dest="lexicon_command", metavar="COMMAND", required=True
    )
    check = actions.add_parser(
        "check",
        help="validate a lexicon directory",
        description="Validate every *.tsv file of a lexicon directory: header, fields, "
        "categories, weights, and no cue twice. Prints OK with the entry count, or the "
        "first error as file:line:field and exits with status 1.",
        epilog=LEXICON_CHECK_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    check.add_argument("directory", metavar="DIR", help="lexicon directory")
    check.set_defaults(handler=_run_lexicon_check)


def _run_lexicon_check(args: argparse.Namespace) -> int:
    from collections import Counter

    from classifier.lexicon import load_lexicon

    lexicon = load_lexicon(args.directory)
    files = len({entry.where.rsplit(":", 1)[0] for entry in lexicon.entries})
    categories = Counter(entry.category for entry in lexicon.entries)
    shown = ", ".join(f"{name} {count}" for name, count in categories.most_common())
    n = len(lexicon.entries)
    print(
        f"OK: {args.directory}: {n} entr{'ies' if n != 1 else 'y'} in {files} "
        f"file{'s' * (files != 1)}" + (f" ({shown})" if shown else "")
    )
    return 0


# ---------------------------------------------------------------------- main
#: Functions registering each subcommand's parser, in the order ``--help`` lists them.
_COMMANDS: tuple[Callable[[argparse._SubParsersAction], None], ...] = (
    _add_score_parser,
    _add_explain_parser,
    _add_train_parser,
    _add_eval_parser,
    _add_lexicon_parser,
)


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
