"""Documents to score from tables (CSV, TSV, JSON Lines, Parquet) and folders of text files.

``hedge score`` reads plain text by default. A table gives one document per row: the text
of one column, named by ``text_col``, with the row's id (``id_col``) and other columns
(``keep_cols``) carried into every output record. A folder gives one document per file that
matches a glob pattern (``**/*.txt`` by default: every ``*.txt`` under it), in sorted order,
named by its path relative to the folder.

:func:`table_rows` is the one reader of tables: ``hedge score``, ``hedge train`` and
``hedge eval`` read them there. Text is decoded as ``--encoding`` and ``--errors`` say
(UTF-8 by default, a byte order mark dropped), block by block through
:mod:`classifier.io.reader`. CSV and TSV have quoted fields that may span lines, a header
row and any one-character delimiter (``;`` for many spreadsheets). Rows are read one at a
time, every line is at most :data:`MAX_LINE_CHARS` and every cell :data:`MAX_CELL_CHARS`
long, so a table of any size runs in bounded memory (Parquet is read a few rows at a
time). Errors name the file, the line (the physical line a CSV record starts on, or the
Parquet row), the byte offset of a decoding error, and the column.
"""

from __future__ import annotations

import csv
import json
import math
import os
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

from classifier.errors import DataError, InputError
from classifier.io.files import STDIN, input_name

__all__ = [
    "DEFAULT_GLOB",
    "TABLE_FORMATS",
    "InputDocument",
    "TableOptions",
    "MAX_CELL_CHARS",
    "MAX_LINE_CHARS",
    "check_columns",
    "folder_documents",
    "folder_files",
    "loads",
    "table_documents",
    "table_format",
    "table_rows",
    "text_lines",
    "unique_keys",
]

#: Formats of tables, by the name ``--input-format`` takes.
TABLE_FORMATS = ("csv", "tsv", "jsonl", "parquet")
#: Table formats by file extension.
_EXTENSIONS = {".csv": "csv", ".tsv": "tsv", ".jsonl": "jsonl", ".parquet": "parquet"}
#: Files of a folder that are scored unless another pattern is given.
DEFAULT_GLOB = "**/*.txt"
#: The default delimiter of each delimited format.
_DELIMITERS = {"csv": ",", "tsv": "\t"}
#: Longest line of a CSV, TSV or JSON Lines table, in characters: a longer one is refused
#: before it is held whole.
MAX_LINE_CHARS = 1 << 20
#: Longest cell (a field of CSV or TSV, a string of JSON Lines or Parquet), in characters;
#: the limit of Python's CSV reader.
MAX_CELL_CHARS = csv.field_size_limit()
#: Parquet rows read at a time: 64 cells at the cap hold 32 MB at most.
_PARQUET_BATCH = 64
#: Bytes of a Parquet column read from the file at a time (pages stream through it, so a
#: row group of any size is read in bounded memory).
_PARQUET_BUFFER = 1 << 20


@dataclass(frozen=True, slots=True)
class InputDocument:
    """One document to score.

    Attributes
    ----------
    name : str
        Its name in output records (``doc``): the table's file name, or the file's path
        relative to its folder.
    text : str
        Its text.
    fields : dict
        Fields to repeat in every record of the document, in order: for a table row,
        ``row`` (its 1-based line in the file, or its 1-based row of a Parquet or JSON
        Lines file), then the id column and the kept columns by their names.
    """

    name: str
    text: str
    fields: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class TableOptions:
    """How to read a table.

    Attributes
    ----------
    text_col : str
        The column of texts.
    id_col : str or None
        A column that identifies each row.
    keep_cols : tuple of str
        Other columns to carry into the output.
    input_format : str or None
        One of :data:`TABLE_FORMATS`; None to tell it from the extension.
    delimiter : str or None
        The field delimiter of a CSV or TSV file (default ``,`` and tab).
    encoding, errors : str
        How to decode CSV, TSV and JSON Lines (``errors``: ``"strict"`` or ``"replace"``).
    """

    text_col: str
    id_col: str | None = None
    keep_cols: tuple[str, ...] = ()
    input_format: str | None = None
    delimiter: str | None = None
    encoding: str = "utf-8"
    errors: str = "strict"

    @property
    def columns(self) -> tuple[str, ...]:
        """The columns read: text, id and kept ones, each once."""
        names = (self.text_col, *([self.id_col] if self.id_col else []), *self.keep_cols)
        return tuple(dict.fromkeys(names))


def table_format(name: str, input_format: str | None) -> str | None:
    """Return the table format of input ``name``, or None when it is plain text.

    Raises
    ------
    ValueError
        If ``input_format`` is not one of :data:`TABLE_FORMATS`.
    """
    if input_format is not None:
        if input_format not in TABLE_FORMATS:
            raise ValueError(
                f"input format must be one of {', '.join(TABLE_FORMATS)}, got {input_format!r}"
            )
        return input_format
    return _EXTENSIONS.get(Path(name).suffix.lower())


def table_documents(path: str, options: TableOptions) -> Iterator[InputDocument]:
    """Yield one document per row of a table, in order.

    Parameters
    ----------
    path : str
        A CSV, TSV, JSON Lines or Parquet file; ``-`` reads CSV, TSV or JSON Lines from
        standard input (with ``input_format``).
    options : TableOptions
        Columns, format, delimiter and decoding.

    Yields
    ------
    InputDocument
        ``name`` is ``path``; ``fields`` hold ``row``, the id and the kept columns. A
        missing text (empty cell, JSON null, Parquet null) is an empty document: it has no
        sentence, so its row is kept with none.

    Raises
    ------
    DataError
        For a missing or unreadable file, bytes invalid in the encoding, malformed CSV or
        JSON, a missing column, or a text that is not text, naming ``file:line`` and the
        column.
    """
    fmt = table_format(path, options.input_format)
    if fmt is None:
        raise DataError(
            f"{path}: cannot tell the table format from the extension; "
            f"give --input-format ({', '.join(TABLE_FORMATS)})"
        )
    rows = table_rows(
        path,
        fmt,
        options.columns,
        delimiter=options.delimiter,
        encoding=options.encoding,
        errors=options.errors,
    )
    for number, row in rows:
        where = f"{input_name(path)}:{number}"
        text = _text(row[options.text_col], where, options.text_col)
        fields: dict[str, Any] = {"row": number}
        for column in options.columns[1:]:
            fields[column] = _plain(row[column])
        yield InputDocument(path, text, fields)


def _text(value: Any, where: str, column: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if not isinstance(value, str):
        raise DataError(
            f"{where}: column {column!r}: expected text, found {type(value).__name__} {value!r}"
        )
    return value


def _plain(value: Any) -> Any:
    r"""Return a cell as JSON can write it: NaN and other missing values become None.

    An infinite number (``1e400``) becomes its text (``"inf"``), an array or object its
    JSON text, bytes text with ``\xNN`` escapes.
    """
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):  # a NumPy scalar
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None if math.isnan(value) else str(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", "backslashreplace")
    if isinstance(value, (list, tuple, dict)):  # a JSON array or object, a Parquet list
        return json.dumps(value, ensure_ascii=False, default=str)
    if value is not None and not isinstance(value, (str, int, float, bool)):
        return str(value)
    return value


# ---------------------------------------------------------------------- the one reader
def text_lines(path: str, encoding: str = "utf-8", errors: str = "strict") -> Iterator[str]:
    """Yield the decoded lines of file ``path`` (``-``: standard input), line feeds kept.

    A leading UTF-8 byte order mark is dropped. Lines end at a line feed only, so line
    numbers agree with ``wc -l``.

    Raises
    ------
    DataError
        For a missing or unreadable file, bytes invalid in ``encoding`` (with
        ``errors="strict"``; naming the true line and byte offset), or a line longer than
        :data:`MAX_LINE_CHARS`, before it is held whole.
    """
    from classifier.io.reader import decoded_blocks, line_pieces, open_input

    try:
        with open_input(path) as stream:
            blocks = decoded_blocks(path, stream, encoding, errors)
            for number, at, piece in line_pieces(blocks, MAX_LINE_CHARS):
                if at or (len(piece) >= MAX_LINE_CHARS and not piece.endswith("\n")):
                    raise DataError(
                        f"{input_name(path)}:{number}: a line longer than {MAX_LINE_CHARS} "
                        "characters; is this a table?"
                    )
                yield piece
    except InputError as err:
        raise DataError(str(err)) from None


def table_rows(
    path: str,
    fmt: str,
    columns: Sequence[str],
    *,
    delimiter: str | None = None,
    encoding: str = "utf-8",
    errors: str = "strict",
    all_columns: bool = False,
) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield ``(line, row)`` of each record of a table: the one table reader.

    ``hedge score`` (documents), ``hedge train`` and ``hedge eval`` (labeled data) read
    tables here.

    Parameters
    ----------
    path : str
        The file; ``-`` for standard input (not Parquet).
    fmt : {"csv", "tsv", "jsonl", "parquet"}
        The format.
    columns : sequence of str
        Columns every row must have.
    delimiter : str, optional
        The field delimiter of CSV or TSV (default ``,`` and tab).
    encoding, errors : str
        How to decode the bytes of CSV, TSV and JSON Lines.
    all_columns : bool, default=False
        Read every column of a Parquet file, not only ``columns`` (CSV and JSON rows have
        all their fields anyway).

    Yields
    ------
    tuple of (int, dict)
        ``line`` is the physical line a CSV record starts on, the line of a JSON Lines
        object, or the 1-based Parquet row.

    Raises
    ------
    DataError
        Naming ``file:line``: bytes invalid in ``encoding``, a line longer than
        :data:`MAX_LINE_CHARS`, a cell longer than :data:`MAX_CELL_CHARS`, malformed CSV
        or JSON, a missing or repeated column.
    """
    if fmt == "parquet":
        return _parquet_rows(path, columns, all_columns)
    lines = text_lines(path, encoding, errors)
    if fmt == "jsonl":
        return _jsonl_rows(path, lines, columns)
    return _delimited_rows(path, lines, delimiter or _DELIMITERS[fmt], columns)


def check_columns(found: Sequence[str], columns: Sequence[str], where: str) -> None:
    """Raise a :class:`DataError` at ``where`` naming the first of ``columns`` not found."""
    for column in columns:
        if column not in found:
            shown = ", ".join(repr(name) for name in found) or "none"
            raise DataError(f"{where}: column {column!r}: not found (columns: {shown})")


def _delimited_rows(
    path: str, lines: Iterable[str], delimiter: str, columns: Sequence[str]
) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield ``(line, row)`` of a CSV or TSV file, ``line`` where the record starts."""
    kind = "TSV" if delimiter == "\t" else "CSV"
    name = input_name(path)
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    header: list[str] | None = None
    end = 0
    try:
        for row in reader:
            start, end = end + 1, reader.line_num
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            if header is None:
                header = [name.strip() for name in row]
                check_columns(header, columns, f"{name}:{start}")
                repeated = [h for h, count in Counter(header).items() if count > 1]
                if repeated:
                    raise DataError(
                        f"{name}:{start}: column {repeated[0]!r} appears twice in the header"
                    )
                continue
            if len(row) != len(header):
                raise DataError(
                    f"{name}:{start}: {len(row)} fields, but the header has {len(header)}"
                    + (" (another --delimiter?)" if len(header) == 1 else "")
                )
            yield start, dict(zip(header, row, strict=True))
    except csv.Error as err:
        reason = str(err)
        if "new-line character seen in unquoted field" in reason:  # Python's words
            reason = (
                "a carriage return (\\r) in an unquoted field: quote the field, or end lines "
                "with \\n or \\r\\n"
            )
        raise DataError(f"{name}:{reader.line_num}: malformed {kind} ({reason})") from None


class _DuplicateKeyError(ValueError):
    """A JSON object names one key twice."""


def unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """Return the object of JSON ``pairs``; raise if a key appears twice."""
    value = dict(pairs)
    if len(value) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKeyError(f"the key {key!r} appears twice in one object")
            seen.add(key)
    return value


def loads(text: str, name: str, first_line: int, unique: bool = True) -> Any:
    """Parse JSON ``text`` that starts on line ``first_line`` of file ``name``.

    Raises
    ------
    DataError
        For invalid JSON, a key twice in one object, or JSON beyond Python's limits
        (deep nesting, huge integers), naming the file and line.
    """
    try:
        return json.loads(text, object_pairs_hook=unique_keys if unique else None)
    except json.JSONDecodeError as err:
        line = first_line + err.lineno - 1
        raise DataError(f"{name}:{line}: invalid JSON ({err.msg}, column {err.colno})") from None
    except RecursionError:
        raise DataError(f"{name}:{first_line}: invalid JSON (nested too deeply)") from None
    except _DuplicateKeyError as err:
        raise DataError(f"{name}:{first_line}: {err}") from None
    except ValueError as err:  # an integer with more digits than Python converts
        raise DataError(
            f"{name}:{first_line}: invalid JSON (a number too long to read: {err})"
        ) from None


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def check_characters(text: str, value: Any, where: str) -> None:
    r"""Refuse a JSON ``value`` (parsed from ``text``) holding a lone surrogate like ``\ud800``.

    JSON escapes may name half of a UTF-16 pair, which is no character: no output could
    write it as UTF-8.

    Raises
    ------
    DataError
        Naming ``where`` and the escape.
    """
    if not _SURROGATE_ESCAPE.search(text):
        return
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError as err:
                escape = f"\\u{ord(item[err.start]):04x}"
                raise DataError(
                    f"{where}: invalid JSON (the escape {escape} is half a surrogate pair, "
                    "not a character)"
                ) from None


def _jsonl_rows(
    path: str, lines: Iterable[str], columns: Sequence[str]
) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield ``(line, object)`` for each non-blank line of a JSON Lines file."""
    name = input_name(path)
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        value = loads(line.rstrip("\r\n"), name, number)
        check_characters(line, value, f"{name}:{number}")
        if not isinstance(value, dict):
            raise DataError(
                f"{name}:{number}: expected a JSON object, found {type(value).__name__}"
            )
        check_columns(list(value), columns, f"{name}:{number}")
        for column, cell in value.items():
            if isinstance(cell, str) and len(cell) > MAX_CELL_CHARS:
                raise DataError(
                    f"{name}:{number}: column {column!r}: a cell longer than "
                    f"{MAX_CELL_CHARS} characters"
                )
        yield number, value


def _parquet_rows(
    path: str, columns: Sequence[str], all_columns: bool
) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield ``(row, values)`` of a Parquet file, a few rows at a time; rows from 1."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise DataError(
            f'{path}: reading Parquet needs pyarrow: pip install "hedge-classifier[pandas]"'
        ) from None
    if path == STDIN:
        raise DataError("standard input: Parquet is read from a file only")
    if not Path(path).is_file():
        raise DataError(f"{path}: no such file")
    try:
        table = pq.ParquetFile(path, buffer_size=_PARQUET_BUFFER, pre_buffer=False)
    except Exception as err:  # pyarrow raises its own kinds for a damaged file
        raise DataError(f"{path}: not a Parquet file ({err})") from None
    names = table.schema_arrow.names
    check_columns(names, columns, path)
    read = list(names) if all_columns else list(dict.fromkeys(columns))
    number = 0
    for batch in table.iter_batches(batch_size=_PARQUET_BATCH, columns=read):
        for column in read:
            # A UTF-8 character is at most 4 bytes: a cell of more bytes is too long
            # (checked before any cell becomes a Python object).
            if _longest_cell_bytes(pa, batch.column(column)) > 4 * MAX_CELL_CHARS:
                rows = (
                    f"row {number + 1}"
                    if len(batch) == 1
                    else f"rows {number + 1}-{number + len(batch)}"
                )
                _long_cell(path, column, rows)
        data = batch.to_pydict()
        for values in zip(*(data[column] for column in read), strict=True):
            number += 1
            row = dict(zip(read, values, strict=True))
            for column, value in row.items():
                if isinstance(value, str | bytes) and len(value) > MAX_CELL_CHARS:
                    _long_cell(path, column, f"row {number}")
            yield number, row


def _longest_cell_bytes(pa: Any, cells: Any) -> int:
    """Return the bytes of the longest cell of an Arrow string or binary array (else 0)."""
    if pa.types.is_string(cells.type) or pa.types.is_binary(cells.type):
        offsets = memoryview(cells.buffers()[1]).cast("i")  # 32-bit offsets
    elif pa.types.is_large_string(cells.type) or pa.types.is_large_binary(cells.type):
        offsets = memoryview(cells.buffers()[1]).cast("q")  # 64-bit offsets
    else:
        return 0
    ends = offsets[cells.offset : cells.offset + len(cells) + 1]
    return max((b - a for a, b in zip(ends, ends[1:], strict=False)), default=0)


def _long_cell(path: str, column: str, rows: str) -> NoReturn:
    """Refuse a Parquet cell over :data:`MAX_CELL_CHARS` characters, in ``rows``."""
    raise DataError(
        f"{path}: column {column!r}: a cell longer than {MAX_CELL_CHARS} characters ({rows})"
    )


def folder_documents(
    folder: str, glob: str = DEFAULT_GLOB, encoding: str = "utf-8", errors: str = "strict"
) -> Iterator[InputDocument]:
    """Yield one document per file of ``folder`` that matches ``glob``, in sorted order.

    Parameters
    ----------
    folder : str
        A directory.
    glob : str, default=DEFAULT_GLOB
        A pattern relative to ``folder`` (``pathlib`` syntax; ``**`` for any depth).
    encoding, errors : str
        How to decode each file (``errors``: ``"strict"`` or ``"replace"``).

    Yields
    ------
    InputDocument
        ``name`` is the file's path relative to ``folder``, with ``/`` separators;
        ``text`` its decoded text (a UTF-8 byte order mark dropped); no ``fields``.

    Raises
    ------
    DataError
        If ``folder`` is not a directory, no file matches, or a file cannot be decoded
        (naming the file, the line and the byte offset).
    """
    from classifier.io.reader import read_text

    for name, path in folder_files(folder, glob):
        try:
            text = read_text(str(path), encoding, errors)
        except InputError as err:
            raise DataError(str(err)) from None
        yield InputDocument(name, text)


def _check_readable(folder: str, deep: bool) -> None:
    """Refuse a folder that cannot be listed: glob would skip it as if it were empty.

    With ``deep``, every folder under ``folder`` is checked too (a ``**`` or ``a/b`` pattern
    descends into them).

    Raises
    ------
    DataError
        Naming the folder and why.
    """

    def fail(err: OSError) -> None:
        where = folder if err.filename is None else os.fsdecode(err.filename)
        raise DataError(f"{where}: cannot read ({err.strerror or err})")

    if not deep:
        try:
            os.scandir(folder).close()
        except OSError as err:
            fail(err)
        return
    for _ in os.walk(folder, onerror=fail):
        pass


def folder_files(folder: str, glob: str = DEFAULT_GLOB) -> list[tuple[str, Path]]:
    """Return ``(name, path)`` of each file of ``folder`` that matches ``glob``, sorted.

    ``name`` is the path relative to ``folder``, with ``/`` separators.

    Raises
    ------
    DataError
        If ``folder`` is not a directory, ``glob`` is not a pattern of files under it
        (``..`` would leave it), or no file matches.
    """
    root = Path(folder)
    if not root.is_dir():
        raise DataError(f"{folder}: not a directory")
    _check_readable(folder, deep="**" in glob or "/" in glob)
    if ".." in glob.replace("\\", "/").split("/"):
        raise DataError(f"{folder}: bad --glob pattern {glob!r} (it leaves the folder)")
    try:
        paths = sorted(path for path in root.glob(glob) if path.is_file())
    except (ValueError, NotImplementedError) as err:
        raise DataError(f"{folder}: bad --glob pattern {glob!r} ({err})") from None
    if not paths:
        raise DataError(f"{folder}: no file matches {glob!r}")
    return [(path.relative_to(root).as_posix(), path) for path in paths]
