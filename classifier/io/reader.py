"""Reading text input in bounded memory: fixed-size blocks, cut where sentences are settled.

``hedge score``, the HTML report and the labeled-data reader read their input through
this module. Bytes are read in blocks of :data:`BLOCK_BYTES` and decoded incrementally
(the decoder is finalised at the end, so a truncated sequence at the end of a file is an
error, or U+FFFD with ``errors="replace"``). Text is then handed on in chunks that end
where sentences are settled: at the last blank line of the text read so far, else before
the last few sentences (:func:`classifier.text.sentences.settled_end`). Every sentence is at
most :data:`~classifier.text.sentences.MAX_SENTENCE_CHARS` long, so a chunk, and the memory
of reading, stay bounded by a constant on any input: one line of gigabytes, a million
lines without a blank one, or one endless sentence. Chunking gives the same sentences as
splitting the whole text at once (``fuzz/`` checks it).
"""

from __future__ import annotations

import codecs
import hashlib
import io
import os
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, BinaryIO, cast

from classifier.errors import InputError
from classifier.io.files import STDIN, display_name
from classifier.text.sentences import MAX_SENTENCE_CHARS, line_sentence, settled_end

if TYPE_CHECKING:
    from classifier.io.formats import Record
    from classifier.model.scorer import Scorer, SentenceScore

__all__ = [
    "BLOCK_BYTES",
    "Chunk",
    "chunk_records",
    "decoded_blocks",
    "input_chunks",
    "line_chunks",
    "line_pieces",
    "open_input",
    "read_text",
    "recording_digests",
    "score_file",
    "text_chunks",
]

#: Bytes read at a time.
BLOCK_BYTES = 1 << 16
#: Characters gathered before a chunk is cut.
CHUNK_CHARS = 1 << 16
#: Characters of whole lines scored together with ``by_lines`` (a chunk of lines).
LINE_CHUNK_CHARS = 1 << 17
#: Most characters held back after a cut. Past it the reader cuts before its last
#: sentence even if fewer than ``UNSETTLED_SENTENCES`` follow (only white space between
#: few sentences gets this long).
MAX_HELD_CHARS = 16 * MAX_SENTENCE_CHARS


#: While :func:`recording_digests` runs: the sha256 of each input read to its end, by name.
_DIGESTS: ContextVar[dict[str, str] | None] = ContextVar("digests", default=None)


@contextmanager
def recording_digests() -> Iterator[dict[str, str]]:
    """Record the sha256 of each input :func:`open_input` reads to its end, by its name.

    The bytes are hashed as they are read, so an input read once (standard input, a named
    pipe, ``<(...)``) has its digest too.
    """
    digests: dict[str, str] = {}
    token = _DIGESTS.set(digests)
    try:
        yield digests
    finally:
        _DIGESTS.reset(token)


class _Hashing(io.RawIOBase):
    """A binary stream that hashes what is read through it and knows when it ended."""

    def __init__(self, stream: BinaryIO) -> None:
        super().__init__()
        self.stream = stream
        self.sha = hashlib.sha256()
        self.ended = False

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        data = self.stream.read(-1 if size is None else size)
        self.sha.update(data)
        self.ended = self.ended or not data or size is None or size < 0
        return data

    read1 = read


@contextmanager
def open_input(name: str) -> Iterator[BinaryIO]:
    """Open file ``name``, or standard input for ``-``, for reading bytes.

    Inside :func:`recording_digests`, the bytes read are hashed.

    Raises
    ------
    InputError
        If the file is missing, a directory or unreadable.
    """
    digests = _DIGESTS.get()
    with _open(name) as stream:
        if digests is None:
            yield stream
            return
        hashing = _Hashing(stream)
        yield cast(BinaryIO, hashing)
        if hashing.ended:
            digests[name] = hashing.sha.hexdigest()


@contextmanager
def _open(name: str) -> Iterator[BinaryIO]:
    if name == STDIN:
        if sys.stdin is None:  # the process started with it closed (``<&-``)
            raise InputError("cannot read standard input: it is closed")
        buffer = getattr(sys.stdin, "buffer", None)
        yield buffer if buffer is not None else io.BytesIO(sys.stdin.read().encode("utf-8"))
        return
    shown = display_name(name)
    try:
        stream = open(name, "rb")  # noqa: SIM115 -- closed below
    except FileNotFoundError:
        raise InputError(f"{shown}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{shown}: is a directory") from None
    except OSError as err:
        raise InputError(f"{shown}: cannot read ({err.strerror or err})") from None
    with stream:
        info = os.fstat(stream.fileno())
        yield (
            cast(BinaryIO, _Whole(stream, shown, info.st_size))
            if stat.S_ISREG(info.st_mode)
            else stream
        )


class _Whole(io.RawIOBase):
    """A regular file's stream that fails when the file shrank while it was read.

    A file truncated under the reader would otherwise end early, its last sentence cut,
    as if that were all of it.
    """

    def __init__(self, stream: BinaryIO, shown: str, size: int) -> None:
        super().__init__()
        self.stream = stream
        self.shown = shown
        self.size = size

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        data = self.stream.read(-1 if size is None else size)
        if not data and os.fstat(self.stream.fileno()).st_size < self.size:
            raise InputError(
                f"{self.shown}: cannot read (the file shrank from {self.size} bytes while "
                "it was read)"
            )
        return data

    read1 = read


def _looks_like_utf16(data: bytes) -> bool:
    return data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or data.count(0) * 4 > len(
        data
    )


def _decode_error(
    name: str,
    encoding: str,
    err: UnicodeDecodeError,
    data: bytes,
    at: int,
    lines: int,
) -> InputError:
    """Return the error for undecodable ``data`` read from byte ``at``, after ``lines`` lines."""
    label = "UTF-8" if codecs.lookup(encoding).name == "utf-8" else encoding
    try:
        line = lines + 1 + data[: err.start].decode(encoding, "replace").count("\n")
    except UnicodeError:  # a codec that fails even with "replace" (punycode)
        line = lines + 1 + data[: err.start].count(b"\n")
    what = f"byte 0x{data[err.start]:02x}" if err.start < len(data) else "end of file"
    if label == "UTF-8" and _looks_like_utf16(data):
        hint = "the file looks like UTF-16: --encoding utf-16"
    else:
        hint = "--errors replace reads past such bytes"
    return InputError(
        f"{display_name(name)}:{line}: invalid {label} at byte offset {at + err.start} "
        f"({what}: {err.reason}); {hint}"
    )


def decoded_blocks(
    name: str,
    stream: BinaryIO,
    encoding: str = "utf-8",
    errors: str = "strict",
    *,
    on_bytes: Callable[[int], object] | None = None,
) -> Iterator[str]:
    """Yield the text of ``stream``, decoded block by block.

    A leading UTF-8 byte order mark is dropped. The decoder is finalised at the end of
    the stream. A decoding error says the option to try; ``on_bytes`` is called with
    the number of bytes of each block read (a progress bar).

    Raises
    ------
    InputError
        For bytes that are not valid in ``encoding`` (with ``errors="strict"``), naming
        the file, line and byte offset.
    """
    decoder = codecs.getincrementaldecoder(encoding)(errors)
    utf8 = codecs.lookup(encoding).name == "utf-8"
    read = getattr(stream, "read1", stream.read)
    consumed = lines = 0
    first = True
    while True:
        try:
            data = read(BLOCK_BYTES)
        except OSError as err:
            raise InputError(f"{display_name(name)}: cannot read ({err.strerror or err})") from None
        if on_bytes is not None and data:
            on_bytes(len(data))
        pending = decoder.getstate()[0]
        try:
            text = decoder.decode(data, final=not data)
        except UnicodeDecodeError as err:
            raise _decode_error(
                name, encoding, err, pending + data, consumed - len(pending), lines
            ) from None
        except UnicodeError as err:  # punycode and a few other codecs raise this kind
            raise InputError(
                f"{display_name(name)}: invalid {encoding} after byte offset "
                f"{consumed - len(pending)} ({err})"
            ) from None
        consumed += len(data)
        if first and text:
            first = False
            if utf8 and text.startswith("\ufeff"):
                text = text[1:]
        if text:
            lines += text.count("\n")
            yield text
        if not data:
            return


def read_text(name: str, encoding: str = "utf-8", errors: str = "strict") -> str:
    """Return the whole decoded text of file ``name`` (``-`` for standard input)."""
    with open_input(name) as stream:
        return "".join(decoded_blocks(name, stream, encoding, errors))


def _cut(text: str) -> int:
    """Return where ``text`` (more to come) can be cut so that sentences before it stay.

    Where :func:`~classifier.text.sentences.settled_end` finds no such place and more than
    ``MAX_HELD_CHARS`` are held (a sentence longer than that, or few sentences far
    apart), the cut is forced before the last sentence (or piece of one cut at the hard
    cap); sentences after a forced cut may differ from splitting the whole text.
    """
    cut = settled_end(text)
    if cut or len(text) <= MAX_HELD_CHARS:
        return cut
    from classifier.text.sentences import iter_sentences

    sentences = list(iter_sentences(text))
    if not sentences:
        return len(text)  # white space only
    last = sentences[-1]
    return last.start if last.start else last.end


def text_chunks(blocks: Iterable[str]) -> Iterator[tuple[int, str]]:
    """Group text blocks into ``(character offset, text)`` chunks that split like the whole.

    Each chunk ends where the sentences before it are settled, so splitting each chunk
    gives the sentences of the whole text (offsets moved by the chunk's offset).
    """
    held = ""
    offset = 0
    for block in blocks:
        held += block
        if len(held) < CHUNK_CHARS:
            continue
        cut = _cut(held)
        if cut:
            yield offset, held[:cut]
            offset += cut
            held = held[cut:]
    if held:
        yield offset, held


def line_pieces(
    blocks: Iterable[str], max_chars: int = MAX_SENTENCE_CHARS, number: int = 1, at: int = 0
) -> Iterator[tuple[int, int, str]]:
    """Yield ``(line number, offset in the line, text)`` of each line of the blocks.

    Lines end at a line feed only (so line numbers agree with ``wc -l``) and keep it.
    A line longer than ``max_chars`` comes in pieces of that many characters (the last
    piece with the rest), so that no line is ever held whole. ``number`` and ``at`` are
    those of the first character (a chunk of :func:`line_chunks` starts anywhere).
    """
    held = ""
    for block in blocks:
        held += block
        start = 0
        while True:
            end = held.find("\n", start, start + max_chars + 1)
            if end >= 0:
                yield number, at, held[start : end + 1]
                number += 1
                at = 0
                start = end + 1
            elif len(held) - start > max_chars:
                yield number, at, held[start : start + max_chars]
                at += max_chars
                start += max_chars
            else:
                break
        held = held[start:]
    if held:
        yield number, at, held


#: A piece of input scored on its own: ``(line number, offset, text)``. With lines, the
#: number and offset in its line of its first character; else line 0 and its offset in
#: the input.
Chunk = tuple[int, int, str]


def line_chunks(blocks: Iterable[str], size: int | None = None) -> Iterator[Chunk]:
    """Group text blocks into chunks of about ``size`` characters that end after a line feed.

    Inside a line longer than a chunk the cut falls where :func:`line_pieces` cuts the
    line, so the pieces of the chunks are those of the whole text. ``size`` defaults to
    :data:`LINE_CHUNK_CHARS`.
    """
    size = size or LINE_CHUNK_CHARS
    held = ""
    number, at = 1, 0
    for block in blocks:
        held += block
        if len(held) < size:
            continue
        cut = held.rfind("\n") + 1
        if not cut:  # within one line: at a multiple of MAX_SENTENCE_CHARS from its start
            cut = len(held) - (at + len(held)) % MAX_SENTENCE_CHARS
        if cut <= 0:  # a chunk smaller than a piece (in tests)
            continue
        yield number, at, held[:cut]
        lines = held.count("\n", 0, cut)
        number, at = number + lines, (0 if lines else at + cut)
        held = held[cut:]
    if held:
        yield number, at, held


def input_chunks(
    name: str,
    *,
    by_lines: bool = False,
    encoding: str = "utf-8",
    errors: str = "strict",
    on_bytes: Callable[[int], object] | None = None,
) -> Iterator[Chunk]:
    """Read one input (``-`` for standard input) and yield its chunks in order.

    With ``by_lines``, chunks of whole lines (:func:`line_chunks`); else chunks that end
    where sentences are settled (:func:`text_chunks`), each one of them.

    Raises
    ------
    InputError
        If the input cannot be opened or decoded.
    """
    with open_input(name) as stream:
        blocks = decoded_blocks(name, stream, encoding, errors, on_bytes=on_bytes)
        if by_lines:
            yield from line_chunks(blocks)
        else:
            for offset, text in text_chunks(blocks):
                yield 0, offset, text


def chunk_records(
    scorer: Scorer,
    doc: str,
    chunks: Iterable[Chunk],
    *,
    by_lines: bool = False,
    explain: bool = False,
) -> Iterator[Record]:
    """Score chunks of one input and yield their records, numbered from 0.

    With ``by_lines`` each non-blank line (piece) is one sentence, and records carry its
    line; else each chunk is split into sentences. Offsets count in the whole input.
    """
    from classifier.io.formats import Record
    from classifier.io.formats import explain as explanation_of

    index = 0
    for number, at, text in chunks:
        placed: list[tuple[int | None, SentenceScore]]
        if by_lines:
            found = []  # (line number, offset in the line, sentence)
            for line, offset, raw in line_pieces([text], number=number, at=at):
                sentence = line_sentence(raw)
                if sentence is not None:
                    found.append((line, offset + sentence[1], sentence[0]))
            scores = scorer.score_sentences([sentence for _, _, sentence in found])
            placed = [(line, score.shifted(offset)) for (line, offset, _), score in zip(
                found, scores, strict=True)]  # fmt: skip
        else:
            placed = [(None, score.shifted(at)) for score in next(scorer.score_many([text]))]
        for where, score in placed:
            explanation = explanation_of(scorer, score) if explain else None
            yield Record(doc, index, where, score, explanation)
            index += 1


def score_file(
    scorer: Scorer,
    name: str,
    *,
    by_lines: bool = False,
    explain: bool = False,
    encoding: str = "utf-8",
    errors: str = "strict",
    on_bytes: Callable[[int], object] | None = None,
) -> Iterator[Record]:
    """Read one input chunk by chunk and yield its scored sentences in order.

    Parameters
    ----------
    scorer : Scorer
        The model's weights.
    name : str
        A file name, or ``-`` for standard input.
    by_lines : bool, default=False
        Take each non-blank line as one sentence (records then carry ``line``).
    explain : bool, default=False
        Add each sentence's :class:`~classifier.io.formats.Explanation`.
    encoding, errors : str
        How to decode the bytes (``errors`` is ``"strict"`` or ``"replace"``).
    on_bytes : callable, optional
        Called with the number of bytes of each block read (a progress bar).

    Raises
    ------
    InputError
        If the input cannot be opened or decoded.
    """
    chunks = input_chunks(
        name, by_lines=by_lines, encoding=encoding, errors=errors, on_bytes=on_bytes
    )
    yield from chunk_records(scorer, display_name(name), chunks, by_lines=by_lines, explain=explain)
