"""Where ``hedge score`` gets its documents, and how it scores them.

Text files (and standard input) are read in blocks and scored chunk by chunk
(:mod:`classifier.io.reader`); tables and folders (:mod:`classifier.io.tables`) give one
document per row or file, scored per sentence or per document. The functions take the
parsed command line (``argparse.Namespace``) of :mod:`classifier.cli.main`.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import itertools
import multiprocessing
import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, TypeVar

from classifier.cli.console import STDIN, CommandError, check_exists
from classifier.errors import HedgeError

if TYPE_CHECKING:
    from multiprocessing.process import BaseProcess

    from classifier.io.formats import Record, RecordFormat
    from classifier.io.tables import InputDocument, TableOptions
    from classifier.model.scorer import Scorer

_T = TypeVar("_T")
_R = TypeVar("_R")

__all__ = [
    "document_rows",
    "html_page",
    "input_documents",
    "report_texts",
    "score_text_file",
    "table_records",
    "text_files",
    "Workers",
    "write_scored",
]

#: Characters of input in one task of a ``--jobs`` worker: enough that handing a task
#: over costs little beside scoring it.
TASK_CHARS = 1 << 17
#: Most tasks in flight or finished but not yet written, per worker.
TASKS_AHEAD = 2


def score_text_file(
    clf: Scorer, name: str, args: argparse.Namespace, on_bytes: Any = None
) -> Iterator[Record]:
    """Score one text file (or standard input) chunk by chunk, as the options say.

    ``on_bytes`` is called with the bytes of each block read (a progress bar's update).
    """
    from classifier.io.reader import score_file

    return score_file(
        clf, name, by_lines=args.lines, explain=args.explain, encoding=args.encoding,
        errors=args.errors,
        on_bytes=on_bytes,
    )


def text_files(names: list[str], args: argparse.Namespace) -> Iterator[tuple[str, Iterator[str]]]:
    """Yield ``(name, decoded blocks)`` of each text file, read block by block.

    A file is open while its blocks are read, and closed before the next one is opened.
    """
    from classifier.io.reader import decoded_blocks, open_input

    for name in names:
        with open_input(name) as stream:
            yield name, decoded_blocks(name, stream, args.encoding, args.errors)


def report_inputs(
    names: list[str], documents: Iterable[InputDocument] | None, args: argparse.Namespace
) -> Iterable[tuple[str, Iterable[str]]]:
    """Return ``(heading, text blocks)`` of each document for the HTML report.

    Text files, and the files of folders, are read block by block; a table's rows are its
    documents (each cell bounded by the table reader).
    """
    if documents is None:
        return text_files(names, args)
    from classifier.io.tables import table_format

    if any(table_format(name, args.input_format) is not None for name in names):
        return report_texts(documents)
    return _folder_texts(names, args)


def _folder_texts(
    names: list[str], args: argparse.Namespace
) -> Iterator[tuple[str, Iterator[str]]]:
    """Yield ``(name, decoded blocks)`` of text files and of the files of folders."""
    from classifier.io.tables import DEFAULT_GLOB, folder_files

    try:
        for name in names:
            if name != STDIN and Path(name).is_dir():
                for relative, path in folder_files(name, args.glob or DEFAULT_GLOB):
                    for _, blocks in text_files([str(path)], args):
                        yield relative, blocks
            else:
                yield from text_files([name], args)
    except HedgeError as err:
        raise CommandError(str(err)) from None


def input_documents(names: list[str], args: argparse.Namespace) -> Iterator[InputDocument] | None:
    """Return the documents of tables and folders among ``names``; None if all are text.

    Text files among tables and folders are one document each. Errors (a missing
    ``--text-col``, a table option without a table) come before the model is loaded.
    """
    from classifier.io.tables import TableOptions, table_format

    try:
        tables = {name for name in names if table_format(name, args.input_format) is not None}
    except ValueError as err:
        raise CommandError(str(err).replace("input format", "--input-format")) from None
    folders = [name for name in names if name != STDIN and Path(name).is_dir()]
    if tables and args.text_col is None:
        first = next(name for name in names if name in tables)
        raise CommandError(f"{first}: a table: give the column to score with --text-col")
    if not tables:
        given = [o for o, v in [("--text-col", args.text_col), ("--id-col", args.id_col),
                                ("--keep-col", args.keep_col)] if v]  # fmt: skip
        if given:
            raise CommandError(f"{given[0]} needs a table (.csv, .tsv, .jsonl, .parquet)")
    if not tables and not folders:
        return None
    if args.lines:
        raise CommandError("--lines reads text files only, not tables or folders")
    from classifier.io.formats import own_field

    for option, column in [("--id-col", args.id_col)] + [("--keep-col", c) for c in args.keep_col]:
        if column is not None and own_field(column):
            raise CommandError(
                f"{option} {column}: the records have a field {column!r} of their own; "
                "rename the column in the table"
            )
    for name in names:
        if name != STDIN:
            check_exists(name)
    if tables & set(folders):
        raise CommandError(f"{sorted(tables & set(folders))[0]}: a directory, not a table")
    options = TableOptions(
        args.text_col,
        args.id_col,
        tuple(args.keep_col),
        args.input_format,
        args.delimiter,
        args.encoding,
        args.errors,
    )
    return _documents_of(names, options, tables, set(folders), args)


def _documents_of(
    names: list[str],
    options: TableOptions,
    tables: set[str],
    folders: set[str],
    args: argparse.Namespace,
) -> Iterator[InputDocument]:
    from classifier.io.reader import read_text
    from classifier.io.tables import DEFAULT_GLOB, InputDocument, folder_documents, table_documents

    try:
        for name in names:
            if name in tables:
                yield from table_documents(name, options)
            elif name in folders:
                yield from folder_documents(
                    name, args.glob or DEFAULT_GLOB, args.encoding, args.errors
                )
            else:
                yield InputDocument(name, read_text(name, args.encoding, args.errors))
    except HedgeError as err:
        raise CommandError(str(err)) from None


def report_texts(documents: Iterable[InputDocument]) -> Iterator[tuple[str, list[str]]]:
    """Return ``(heading, [text])`` of each document for the HTML report."""
    for document in documents:
        fields = {k: v for k, v in document.fields.items() if k != "row"}
        where = f"{document.name}:{document.fields['row']}" if document.fields else document.name
        shown = ", ".join(f"{k} {v}" for k, v in fields.items())
        yield (f"{where} ({shown})" if shown else where), [document.text]


def _results(
    clf: Scorer, documents: Iterable[InputDocument], n_jobs: int
) -> Iterator[tuple[InputDocument, dict[str, Any]]]:
    """Yield each document with its :meth:`DocumentScore.record`, on ``n_jobs`` processes."""
    if n_jobs == 1:
        for document in documents:
            yield document, _document_results(clf, [document.text])[0]
        return
    kept: deque[list[InputDocument]] = deque()  # batches sent, in order

    def texts() -> Iterator[list[str]]:
        for batch in _batches(documents, lambda document: len(document.text)):
            kept.append(batch)
            yield [document.text for document in batch]

    with Workers(n_jobs, partial(_document_results, clf)) as workers:
        results: list[dict[str, Any]]
        for results in workers.map(texts()):
            yield from zip(kept.popleft(), results, strict=True)


def _document_results(clf: Scorer, texts: list[str]) -> list[dict[str, Any]]:
    """Return the :meth:`DocumentScore.record` of each text (a worker's task)."""
    from classifier.model.scorer import DocumentScore

    return [DocumentScore.of(clf.score(text), keep=False).record() for text in texts]


def table_records(
    clf: Scorer, documents: Iterable[InputDocument], args: argparse.Namespace
) -> Iterator[Record]:
    """Score each document whole and yield its sentence records, with the row's fields.

    Sentences are numbered, and their offsets count, within each document (table cell).
    """
    from classifier.io.files import display_name
    from classifier.io.formats import Record, explain

    for document in documents:
        doc = display_name(document.name)
        for number, score in enumerate(clf.score(document.text)):
            explanation = explain(clf, score) if args.explain else None
            yield Record(doc, number, None, score, explanation, document.fields)


def document_rows(
    clf: Scorer,
    documents: Iterable[InputDocument] | None,
    names: list[str],
    args: argparse.Namespace,
) -> Iterator[dict[str, Any]]:
    """Yield the record of each document: ``doc``, a table row's fields, its result."""
    from classifier.io.files import display_name
    from classifier.model.results import DocumentScore

    if documents is None:  # text files, each scored chunk by chunk
        for name in names:
            streamed = (record.score for record in score_text_file(clf, name, args))
            yield {"doc": display_name(name), **DocumentScore.of(streamed, keep=False).record()}
        return
    for document, result in _results(clf, documents, args.jobs):
        yield {"doc": display_name(document.name), **document.fields, **result}


def html_page(
    scorer: Scorer,
    inputs: Iterable[tuple[str, Iterable[str]]],
    by_lines: bool,
    max_sentences: int | None = None,
) -> str:
    """Return the HTML report (:mod:`classifier.report`) of ``(name, text blocks)`` inputs.

    Only the sentences the page shows are kept (:func:`classifier.report.stream_documents`),
    so the report of any input size takes bounded memory.
    """
    from classifier.io.files import display_name
    from classifier.report import MAX_SENTENCES, render_html, stream_documents

    limit = max_sentences or MAX_SENTENCES
    named = ((display_name(name), blocks) for name, blocks in inputs)
    documents = stream_documents(scorer, named, by_lines=by_lines, max_sentences=limit)
    return render_html(documents, threshold=scorer.threshold, max_sentences=limit)


# ---------------------------------------------------------------------- --jobs
def _batches(items: Iterable[_T], size: Callable[[_T], int]) -> Iterator[list[_T]]:
    """Group ``items`` into lists of about :data:`TASK_CHARS` characters.

    An error while reading ``items`` comes after the list of the items before it.
    """
    batch: list[_T] = []
    chars = 0
    try:
        for item in items:
            batch.append(item)
            chars += size(item)
            if chars >= TASK_CHARS:
                yield batch
                batch, chars = [], 0
    except Exception:
        if batch:
            yield batch
        raise
    if batch:
        yield batch


def _work(conn: Connection, job: Callable[[Any], Any]) -> None:
    """Run ``job`` on each task from ``conn`` and send back its result, until told to stop.

    The parent handles interruptions and stops the workers: Ctrl-C at a terminal, which
    reaches every process of the group, is left to it.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for number in (signal.SIGTERM, getattr(signal, "SIGHUP", None)):
        if number is not None:
            signal.signal(number, signal.SIG_DFL)
    while True:
        try:
            task = conn.recv()
        except EOFError:  # the parent went away
            return
        if task is None:
            return
        try:
            reply = (True, job(task))
        except Exception as err:  # the parent raises it
            reply = (False, err)
        try:
            conn.send(reply)
        except Exception as err:  # an exception that does not pickle
            conn.send((False, RuntimeError(f"{type(err).__name__}: {err}")))


class Workers:
    """Worker processes (``--jobs``) that run one function on tasks, in order.

    There are ``n_jobs`` of them, at most one per core (``--jobs 100000`` would fork until
    memory or the process table ran out). Each worker gets the function once, when it
    starts (forked where the system can: the model is then shared, not copied), and one
    task at a time. A worker that dies
    or cannot start ends the run with a :class:`CommandError`, and leaving the ``with``
    block stops every worker, however it is left.
    """

    def __init__(self, n_jobs: int, job: Callable[[Any], Any]) -> None:
        cores = os.cpu_count() or 1  # more workers than cores only cost memory
        self.size = cores if n_jobs == -1 else min(n_jobs, cores)
        self.job = job
        self.processes: list[BaseProcess] = []
        self.connections: list[Connection] = []

    def __enter__(self) -> Workers:
        """Return the workers; they start with the second task given to :meth:`map`."""
        return self

    def _start(self) -> None:
        methods = multiprocessing.get_all_start_methods()
        context: Any = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        for stream in (sys.stdout, sys.stderr):  # a forked buffer would be written twice
            stream.flush()
        gc.freeze()  # shared with the workers: not touched by their collections
        try:
            for _ in range(self.size):
                mine, theirs = context.Pipe()
                process = context.Process(target=_work, args=(theirs, self.job), daemon=True)
                self.connections.append(mine)
                process.start()
                self.processes.append(process)
                theirs.close()
        except OSError as err:
            self.close()
            raise CommandError(
                f"cannot start --jobs {self.size} worker processes: {err.strerror or err}"
            ) from None
        finally:
            gc.unfreeze()

    def __exit__(self, *exc: object) -> None:
        """Stop the workers: let them finish after success, else kill them."""
        self.close(stop=exc[0] is None)

    def close(self, stop: bool = False) -> None:
        """Stop the workers: ask them to (``stop``), else kill them; wait for them."""
        for conn in self.connections:
            if stop:
                with contextlib.suppress(OSError):  # it died: killed below
                    conn.send(None)
            conn.close()
        for process in self.processes:
            process.join(5 if stop else 0)
            if process.is_alive():
                process.kill()
                process.join()
        self.processes, self.connections = [], []

    def _died(self, worker: int) -> CommandError:
        process = self.processes[worker]
        process.join(1)
        code = process.exitcode
        if code is not None and code < 0:
            try:
                how = f"was killed by {signal.Signals(-code).name}"
            except ValueError:
                how = f"was killed by signal {-code}"
        else:
            how = "stopped" if code is None else f"exited with status {code}"
        return CommandError(f"a --jobs worker process {how}; the run was stopped")

    def map(self, tasks: Iterable[_T]) -> Iterator[_R]:
        """Yield the result of each task, in the order of ``tasks``.

        An error while reading ``tasks`` is raised after the results of the tasks before it.
        A single task is run in this process: no worker is started for it.
        """
        source = iter(tasks)
        first = next(source, None)
        if first is None:
            return
        try:
            second = next(source, None)
        except Exception:
            yield self.job(first)
            raise
        if second is None:
            yield self.job(first)
            return
        self._start()
        source = itertools.chain([first, second], source)
        failure: BaseException | None = None
        idle = list(range(self.size))
        busy: dict[int, int] = {}  # worker -> task
        done: dict[int, Any] = {}
        sent = written = 0
        while True:
            while idle and failure is None and sent - written < TASKS_AHEAD * self.size:
                try:
                    task = next(source)
                except StopIteration:
                    failure = StopIteration()
                    break
                except Exception as err:  # raised once the tasks before it are written
                    failure = err
                    break
                worker = idle.pop()
                try:
                    self.connections[worker].send(task)
                except OSError:
                    raise self._died(worker) from None
                busy[worker] = sent
                sent += 1
            if written in done:
                yield done.pop(written)
                written += 1
                continue
            if not busy:
                break
            waiting: dict[Any, int] = {self.connections[w]: w for w in busy}
            waiting.update({self.processes[w].sentinel: w for w in busy})
            for ready in wait(list(waiting)):
                worker = waiting[ready]
                if worker not in busy:
                    continue
                try:
                    ok, result = self.connections[worker].recv()
                except (EOFError, OSError):
                    raise self._died(worker) from None
                if not ok:
                    raise result
                done[busy.pop(worker)] = result
                idle.append(worker)
        if failure is not None and not isinstance(failure, StopIteration):
            raise failure


#: A task, written: see :func:`_format_task`.
_Formatted = tuple[bool, bytes, int, bool, dict[str, int], str]
#: A task: ``("file", begins a file, doc, chunks)`` of a text file, or
#: ``("documents", False, "", documents)`` of tables and folders.
_Task = tuple[str, bool, str, list[Any]]


def _format_task(
    clf: Scorer, form: RecordFormat, args: argparse.Namespace, task: _Task
) -> _Formatted:
    """Score and write the records of one task (a worker's part of the input).

    Returns
    -------
    tuple
        Whether the task begins a file; the records' text, UTF-8, where the numbers of
        the sentences of a file are ``%d`` (and ``%`` is doubled) if they are numbered;
        how many records; whether they are numbered; the count of each label; the header
        they give (CSV and TSV).
    """
    from classifier.io.reader import chunk_records

    kind, first, doc, items = task
    if kind == "file":
        records = chunk_records(clf, doc, items, by_lines=args.lines, explain=args.explain)
    else:  # a table row's or a folder file's sentences are numbered within it
        records = table_records(clf, items, args)
    texts: list[str] = []
    counts: dict[str, int] = {}
    header = ""
    written = 0
    numbered = False
    for record in records:
        if not written:
            header = form.header(record)
        pieces = form.pieces(record)
        if kind == "documents":
            texts.append(str(record.sentence).join(pieces))
        elif len(pieces) > 1 or numbered:
            if not numbered:  # every record shows its number, or none
                assert not written, "records numbered and not"
                numbered = True
            assert len(pieces) == 2, "a record without its number"
            texts.append("%d".join(piece.replace("%", "%%") for piece in pieces))
        else:
            texts.append(pieces[0])
        written += 1
        label = record.score.label
        counts[label] = counts.get(label, 0) + 1
    return first, "".join(texts).encode("utf-8"), written, numbered, counts, header


def _file_tasks(names: list[str], args: argparse.Namespace) -> Iterator[_Task]:
    """Yield the tasks of text files."""
    from classifier.io.files import display_name
    from classifier.io.reader import input_chunks

    for name in names:
        chunks = input_chunks(name, by_lines=args.lines, encoding=args.encoding, errors=args.errors)
        first = True
        for batch in _batches(chunks, lambda chunk: len(chunk[2])):
            yield "file", first, display_name(name), batch
            first = False


def _document_tasks(documents: Iterable[InputDocument]) -> Iterator[_Task]:
    """Yield the tasks of the documents of tables and folders."""
    for batch in _batches(documents, lambda document: len(document.text)):
        yield "documents", False, "", batch


def write_scored(
    out: TextIO,
    clf: Scorer,
    names: list[str],
    documents: Iterable[InputDocument] | None,
    args: argparse.Namespace,
) -> None:
    """Score on ``--jobs`` worker processes and write the sentence records to ``out``.

    The documents of tables and folders, or else the text files ``names``. Workers get
    their part of the input as text, score, and write the records; this process writes
    what they wrote in input order, numbering the sentences of each text file. The output
    is that of one process.
    """
    from classifier.io.formats import RecordFormat

    form = RecordFormat(args.format, args.lines, args.outputs)
    tasks = _file_tasks(names, args) if documents is None else _document_tasks(documents)
    write = _bytes_writer(out)
    counts: dict[str, int] = {}
    header = ""
    index = 0
    with Workers(args.jobs, partial(_format_task, clf, form, args)) as workers:
        done: Iterator[_Formatted] = workers.map(tasks)
        for first, data, records, numbered, found, given in done:
            if first:
                index = 0
            if records and not header:
                header = given
                write(header.encode("utf-8"))
            if numbered:
                data %= tuple(range(index, index + records))
            write(data)
            index += records
            for label, count in found.items():
                counts[label] = counts.get(label, 0) + count
    if not header:
        out.write(form.header(None))
    out.write(form.footer(counts))


def _bytes_writer(out: TextIO) -> Callable[[bytes], object]:
    """Return a function that writes UTF-8 text to ``out``: to its bytes where it can."""
    import codecs

    buffer = getattr(out, "buffer", None)
    encoding = getattr(out, "encoding", None)
    if buffer is None or encoding is None or os.linesep != "\n":
        return lambda data: out.write(data.decode("utf-8"))
    if codecs.lookup(encoding).name != "utf-8":
        return lambda data: out.write(data.decode("utf-8"))
    out.flush()
    return buffer.write
