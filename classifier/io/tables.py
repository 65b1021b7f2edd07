"""Documents to score from tables (CSV, TSV, JSON Lines, Parquet) and folders of text files.

``hedge score`` reads plain text by default. A table gives one document per row: the text
of one column, named by ``text_col``, with the row's id (``id_col``) and other columns
(``keep_cols``) carried into every output record. A folder gives one document per file that
matches a glob pattern (``**/*.txt`` by default: every ``*.txt`` under it), in sorted order,
named by its path relative to the folder.

CSV and TSV are read as ``hedge train`` reads them: UTF-8 with or without a byte order
mark, quoted fields that span lines, a header row, any one-character delimiter (``;`` for
many spreadsheets). Rows are read one at a time, so a table of any size runs in bounded
memory (Parquet is read one row group at a time). Errors name the file, the line (the
physical line a CSV record starts on, or the Parquet row) and the column.
"""

from __future__ import annotations

import contextlib
import csv
import io
import math
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from classifier.errors import DataError

__all__ = [
    "DEFAULT_GLOB",
    "TABLE_FORMATS",
    "InputDocument",
    "TableOptions",
    "folder_documents",
    "table_documents",
    "table_format",
]

#: Formats of tables, by the name ``--input-format`` takes.
TABLE_FORMATS = ("csv", "tsv", "jsonl", "parquet")
#: Table formats by file extension.
_EXTENSIONS = {".csv": "csv", ".tsv": "tsv", ".jsonl": "jsonl", ".parquet": "parquet"}
#: Files of a folder that are scored unless another pattern is given.
DEFAULT_GLOB = "**/*.txt"
#: The default delimiter of each delimited format.
_DELIMITERS = {"csv": ",", "tsv": "\t"}


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
    """

    text_col: str
    id_col: str | None = None
    keep_cols: tuple[str, ...] = ()
    input_format: str | None = None
    delimiter: str | None = None

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
        Columns, format and delimiter.

    Yields
    ------
    InputDocument
        ``name`` is ``path``; ``fields`` hold ``row``, the id and the kept columns. A
        missing text (empty cell, JSON null, Parquet null) is an empty document: it has no
        sentence, so its row is kept with none.

    Raises
    ------
    DataError
        For a missing or unreadable file, invalid UTF-8, malformed CSV or JSON, a
        missing column, or a text that is not text, naming ``file:line`` and the column.
    """
    fmt = table_format(path, options.input_format)
    if fmt is None:
        raise DataError(
            f"{path}: cannot tell the table format from the extension; "
            f"give --input-format ({', '.join(TABLE_FORMATS)})"
        )
    if fmt == "parquet":
        rows = _parquet_rows(path, options.columns)
    elif fmt == "jsonl":
        rows = _jsonl_rows(path, options.columns)
    else:
        rows = _delimited_rows(path, options.delimiter or _DELIMITERS[fmt], options.columns)
    for number, row in rows:
        where = f"{path}:{number}"
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
    """Return a cell as JSON can write it: NaN and other missing values become None."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):  # a NumPy scalar
        return value.item()
    if value is not None and not isinstance(value, (str, int, float, bool)):
        return str(value)
    return value


def _open_text(path: str) -> Any:
    """Open a table for reading text; ``-`` is standard input (left open when done)."""
    if path == "-":
        buffer = getattr(sys.stdin, "buffer", None)
        if buffer is None:  # a text stream already, as in tests
            return contextlib.nullcontext(sys.stdin)
        stream = io.TextIOWrapper(buffer, encoding="utf-8-sig", newline="")
        return _Detaching(stream)
    try:
        return open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115 -- caller closes
    except FileNotFoundError:
        raise DataError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise DataError(f"{path}: is a directory") from None
    except OSError as err:
        raise DataError(f"{path}: cannot read ({err.strerror or err})") from None


class _Detaching:
    """A context that detaches a text wrapper at its end, leaving the byte stream open."""

    def __init__(self, stream: io.TextIOWrapper) -> None:
        self.stream = stream

    def __enter__(self) -> io.TextIOWrapper:
        return self.stream

    def __exit__(self, *exc: object) -> None:
        self.stream.detach()


def _check_columns(found: Sequence[str], columns: Sequence[str], where: str) -> None:
    for column in columns:
        if column not in found:
            shown = ", ".join(repr(name) for name in found) or "none"
            raise DataError(f"{where}: column {column!r}: not found (columns: {shown})")


def _delimited_rows(
    path: str, delimiter: str, columns: Sequence[str]
) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield ``(line, row)`` of a CSV or TSV file, ``line`` where the record starts."""
    kind = "TSV" if delimiter == "\t" else "CSV"
    with _open_text(path) as stream:
        reader = csv.reader(stream, delimiter=delimiter, strict=True)
        header: list[str] | None = None
        end = 0
        try:
            for row in reader:
                start, end = end + 1, reader.line_num
                if not row or (len(row) == 1 and not row[0].strip()):
                    continue
                if header is None:
                    header = [name.strip() for name in row]
                    _check_columns(header, columns, f"{path}:{start}")
                    continue
                if len(row) != len(header):
                    raise DataError(
                        f"{path}:{start}: {len(row)} fields, but the header has {len(header)}"
                        + (" (another --delimiter?)" if len(header) == 1 else "")
                    )
                yield start, dict(zip(header, row, strict=True))
        except csv.Error as err:
            raise DataError(f"{path}:{reader.line_num}: malformed {kind} ({err})") from None
        except UnicodeDecodeError as err:
            raise DataError(f"{path}:{end + 1}: invalid UTF-8 ({err.reason})") from None


def _jsonl_rows(path: str, columns: Sequence[str]) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield ``(line, object)`` for each non-blank line of a JSON Lines file."""
    from classifier.io.labeled import _loads as loads  # the labeled data's JSON reader

    with _open_text(path) as stream:
        number = 0
        try:
            for number, line in enumerate(stream, start=1):  # noqa: B007 -- used below
                if not line.strip():
                    continue
                value = loads(line.rstrip("\r\n"), path, number, unique=False)
                if not isinstance(value, dict):
                    raise DataError(
                        f"{path}:{number}: expected a JSON object, found {type(value).__name__}"
                    )
                _check_columns(list(value), columns, f"{path}:{number}")
                yield number, value
        except UnicodeDecodeError as err:
            raise DataError(f"{path}:{number + 1}: invalid UTF-8 ({err.reason})") from None


def _parquet_rows(path: str, columns: Sequence[str]) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield ``(row, values)`` of a Parquet file, one row group at a time; rows from 1."""
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise DataError(
            f'{path}: reading Parquet needs pyarrow: pip install "hedge-classifier[pandas]"'
        ) from None
    if path == "-":
        raise DataError("standard input: Parquet is read from a file only")
    if not Path(path).is_file():
        raise DataError(f"{path}: no such file")
    try:
        table = pq.ParquetFile(path)
    except Exception as err:  # pyarrow raises its own kinds for a damaged file
        raise DataError(f"{path}: not a Parquet file ({err})") from None
    _check_columns(table.schema_arrow.names, columns, path)
    number = 0
    for group in range(table.num_row_groups):
        data = table.read_row_group(group, columns=list(columns)).to_pydict()
        for values in zip(*(data[column] for column in columns), strict=True):
            number += 1
            yield number, dict(zip(columns, values, strict=True))


def folder_documents(folder: str, glob: str = DEFAULT_GLOB) -> Iterator[InputDocument]:
    """Yield one document per file of ``folder`` that matches ``glob``, in sorted order.

    Parameters
    ----------
    folder : str
        A directory.
    glob : str, default=DEFAULT_GLOB
        A pattern relative to ``folder`` (``pathlib`` syntax; ``**`` for any depth).

    Yields
    ------
    InputDocument
        ``name`` is the file's path relative to ``folder``, with ``/`` separators;
        ``text`` its UTF-8 text (a byte order mark dropped); no ``fields``.

    Raises
    ------
    DataError
        If ``folder`` is not a directory, no file matches, or a file is not UTF-8 (naming
        the file and the line).
    """
    root = Path(folder)
    if not root.is_dir():
        raise DataError(f"{folder}: not a directory")
    try:
        paths = sorted(path for path in root.glob(glob) if path.is_file())
    except (ValueError, NotImplementedError) as err:
        raise DataError(f"{folder}: bad --glob pattern {glob!r} ({err})") from None
    if not paths:
        raise DataError(f"{folder}: no file matches {glob!r}")
    for path in paths:
        data = path.read_bytes()
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            line = data.count(b"\n", 0, err.start) + 1
            raise DataError(
                f"{path}:{line}: invalid UTF-8 at byte offset {err.start} ({err.reason})"
            ) from None
        yield InputDocument(path.relative_to(root).as_posix(), text)
