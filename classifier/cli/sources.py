"""Where ``hedge score`` gets its documents, and how it scores them.

Text files (and standard input) are read in blocks and scored chunk by chunk
(:mod:`classifier.io.reader`); tables and folders (:mod:`classifier.io.tables`) give one
document per row or file, scored per sentence or per document. The functions take the
parsed command line (``argparse.Namespace``) of :mod:`classifier.cli.main`.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from classifier.cli.console import STDIN, CommandError, check_exists
from classifier.errors import HedgeError

if TYPE_CHECKING:
    from classifier.io.formats import Record
    from classifier.io.tables import InputDocument, TableOptions
    from classifier.model.results import SentenceScore
    from classifier.model.scorer import Scorer

__all__ = [
    "document_rows",
    "html_page",
    "input_documents",
    "report_texts",
    "score_text_file",
    "table_records",
    "text_files",
]


def score_text_file(
    clf: Scorer, name: str, args: argparse.Namespace, on_bytes: Any = None
) -> Iterator[Record]:
    """Score one text file (or standard input) chunk by chunk, as the options say.

    ``on_bytes`` is called with the bytes of each block read (a progress bar's update).
    """
    from classifier.io.reader import score_file

    return score_file(
        clf,
        name,
        by_lines=args.lines,
        explain=args.explain,
        n_jobs=args.jobs,
        encoding=args.encoding,
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


def _scored(
    clf: Scorer, documents: Iterable[InputDocument], n_jobs: int
) -> Iterator[tuple[InputDocument, list[SentenceScore]]]:
    """Yield each document with its sentence scores, scored on ``n_jobs`` processes."""
    from itertools import tee

    texts, kept = tee(documents)
    scored = clf.score_many((document.text for document in texts), n_jobs=n_jobs)
    return zip(kept, scored, strict=True)


def table_records(
    clf: Scorer, documents: Iterable[InputDocument], args: argparse.Namespace
) -> Iterator[Record]:
    """Score each document whole and yield its sentence records, with the row's fields.

    Sentences are numbered, and their offsets count, within each document (table cell).
    """
    from classifier.io.files import display_name
    from classifier.io.formats import Record, explain

    for document, scores in _scored(clf, documents, args.jobs):
        doc = display_name(document.name)
        for number, score in enumerate(scores):
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
    for document, scores in _scored(clf, documents, args.jobs):
        result = DocumentScore.of(scores, keep=False)
        yield {"doc": display_name(document.name), **document.fields, **result.record()}


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
