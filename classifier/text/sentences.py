"""Sentence splitting with exact character offsets.

Boundaries come from the Punkt algorithm (:mod:`classifier.text.punkt`, which decides as
NLTK does, without importing it). Its parameters are trained by
``scripts/build_punkt.py`` and shipped as plain text files in the package data
folder ``classifier/models/punkt/``: no ``nltk.download``, no pickles. Small rules
then fix what Punkt gets wrong on its own:

* a blank line always ends a sentence (:func:`_paragraph_spans`);
* a piece that leaves a quotation open (straight, curly or single quotes) is
  joined with the following pieces that close it, up to ``MAX_QUOTE_PIECES``
  pieces (:func:`_join_open_quotes`);
* a piece ending in a capitalized title ("Gen.", "Dr.") or a reference
  abbreviation ("e.g.", "Fig.") is joined with the next one; so is a piece that
  starts with ``,;:``, or with a lowercase letter right after a closing quotation
  mark (:func:`_joins_next`);
* a sentence longer than :data:`MAX_SENTENCE_CHARS` is split into pieces of at most
  that many characters, each ending at the last white space that fits (or at the cap
  itself when there is none) (:func:`_capped`). No real sentence is that long; the cap
  bounds the memory and time any input can take.

:func:`settled_end` tells how much of a text a streaming reader may split now: the
sentences before it stay the same whatever text follows.
"""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from classifier.bundled import bundled
from classifier.text.punkt import ASCII_WHITESPACE, PunktParameters, PunktSplitter

if sys.version_info >= (3, 11):
    from importlib.resources.abc import Traversable
else:
    from importlib.abc import Traversable

__all__ = [
    "MAX_SENTENCE_CHARS",
    "Sentence",
    "iter_sentences",
    "line_sentence",
    "load_punkt_parameters",
    "settled_end",
    "split_sentences",
]

#: Package holding the Punkt parameter folder, and the folder's name.
PUNKT_FOLDER = "punkt"

#: Titles (lowercase, no final period) that stand before a name and so never end a
#: sentence when capitalized ("Gen.", "Dr."). Titles that are also names or common
#: sentence-final words are left to Punkt ("Sen.": "Hun Sen."; "St.": "Main St.").
NEVER_FINAL_TITLES = frozenset(
    {
        # civil
        "dr", "hon", "messrs", "mlle", "mme", "mmes", "mr", "mrs", "ms", "msgr", "prof",
        "rev", "rt", "supt",
        # military
        "adm", "brig", "capt", "cdr", "cmdr", "col", "comdr", "cpl", "cpt", "gen", "insp",
        "lieut", "lt", "maj", "pfc", "pvt", "sgt",
        # political
        "amb", "atty", "gov", "pres", "rep",
    }
)  # fmt: skip

#: Reference and Latin abbreviations (lowercase, no final period) that stand before
#: an example or a number and so never end a sentence, in any case ("e.g.", "Fig.").
#: Those that can end one ("etc.", "et al.", "no.") are left to Punkt.
NEVER_FINAL_REFERENCES = frozenset(
    {"approx", "cf", "e.g", "eq", "eqs", "fig", "figs", "i.e", "pp", "viz", "vs"}
)

#: Most Punkt pieces one open quotation may span before the quotation is
#: taken to be unbalanced (a stray or inch mark) and the pieces are left apart.
MAX_QUOTE_PIECES = 8

#: Longest sentence, in characters: a longer one is split into pieces this long at most.
MAX_SENTENCE_CHARS = 10_000

#: Punkt pieces at the end of a text that :func:`settled_end` leaves unsettled: more
#: than the pieces an open quotation may join (``MAX_QUOTE_PIECES``), so that text added
#: after them cannot change any sentence before them.
UNSETTLED_SENTENCES = MAX_QUOTE_PIECES + 2

#: Longest word, in characters, checked against the never-final abbreviations.
MAX_ABBREVIATION_CHARS = 16

#: Characters that are not whitespace to ``str.isspace`` but show nothing and say
#: nothing: a byte order mark (U+FEFF, as at the start of a file read as "utf-8"), a
#: zero-width space and a word joiner. Stripped from sentence ends like whitespace.
INVISIBLE_SPACES = frozenset("\ufeff\u200b\u2060")

#: Header and comment lines of the parameter files start with this; a stored type
#: never contains a space, so no type line can.
COMMENT_PREFIX = "# "

# A blank (or whitespace-only) line: newline, optional spaces or tabs, newline.
_PARAGRAPH_BREAK = re.compile(r"\n(?:[^\S\n]*\n)+")
_OPENING_MARKS = "\"'([{\u201c\u2018"
_CLOSING_QUOTES = "\"'\u201d\u2019"
_SENTENCE_END_CHARS = ".?!"
# Any quotation mark that _quote_balance counts.
_QUOTE = re.compile("[\"'\u201c\u201d\u2018\u2019]")
_OPENING_SINGLE_QUOTE = re.compile(r"(?:^|(?<=[\s(\[{\"\u201c]))['\u2018](?=[^\W\d_])")
_CLOSING_SINGLE_QUOTE = re.compile(r"(?<=[.?!,])['\u2019]")
# A sentence mark followed by punctuation: a candidate boundary to Punkt
# (classifier.text.punkt.PERIOD_CONTEXT), within one word.
_MARK_BEFORE_PUNCTUATION = re.compile(
    "[.?!](?=[)\";}\\]*:@'({\\[\u2018\u2019\u201c\u201d\xab\xbb?!])"
)
# A sentence does not start with these; Punkt leaves them after a boundary in
# '"Why?", he asked.' because its realignment only takes closing marks.
_INTERNAL_PUNCTUATION = ",;:"


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of a text and where it is.

    Attributes
    ----------
    text : str
        The sentence, without surrounding whitespace; equal to
        ``source[start:end]`` for the text it was split from.
    start : int
        Offset of the first character in the source text.
    end : int
        Offset one past the last character in the source text.
    """

    text: str
    start: int
    end: int


#: A parameter file's entry lines of one and of two fields, after its header: non-empty
#: fields without white space (``str.split`` and ``\S`` agree on it), separated by tabs,
#: each line ending in a line feed.
_ENTRY_LINES = {
    1: re.compile(r"(?:\S+\n)*"),
    2: re.compile(r"(?:\S+\t\S+\n)*"),
}
#: Orthographic flags as the files write them, and their values.
_FLAG_VALUES = {str(flags): flags for flags in range(1, 128)}


def _entry_fields(text: str, n_fields: int) -> list[str] | None:
    """Return the fields of every entry of a parameter file, in order, in one list.

    One regular expression checks the whole file after its header's comment lines;
    splitting it at white space then gives the fields. None for any other file
    (comments or blank lines further down, a malformed line): :func:`_line_fields`
    reads that one line by line.
    """
    while text.startswith(COMMENT_PREFIX):
        text = text.partition("\n")[2]
    if not _ENTRY_LINES[n_fields].fullmatch(text):
        return None
    return text.split()


def _line_fields(name: str, text: str, n_fields: int) -> Iterator[tuple[int, tuple[str, ...]]]:
    """Yield the line number and fields of each entry, checking it; ``name`` is the file's."""
    seen: set[tuple[str, ...]] = set()
    for lineno, line in enumerate(text.split("\n"), start=1):
        if not line or line.startswith(COMMENT_PREFIX):
            continue
        fields = tuple(line.split("\t"))
        if len(fields) != n_fields or any(
            not field or field != "".join(field.split()) for field in fields
        ):
            raise ValueError(
                f"{name}:{lineno}: expected {n_fields} non-empty tab-separated "
                f"field(s) without spaces, got {line!r}"
            )
        if fields in seen:
            raise ValueError(f"{name}:{lineno}: duplicate entry {line!r}")
        seen.add(fields)
        yield lineno, fields


def _read_types(resource: Traversable) -> frozenset[str]:
    text = resource.read_text(encoding="utf-8")
    fields = _entry_fields(text, 1)
    if fields is not None:
        types = frozenset(fields)
        if len(types) == len(fields):
            return types
    return frozenset(typ for _, (typ,) in _line_fields(resource.name, text, 1))


def _read_collocations(resource: Traversable) -> frozenset[tuple[str, str]]:
    text = resource.read_text(encoding="utf-8")
    fields = _entry_fields(text, 2)
    if fields is not None:
        pairs = frozenset(zip(fields[0::2], fields[1::2], strict=True))
        if 2 * len(pairs) == len(fields):
            return pairs
    return frozenset((first, second) for _, (first, second) in _line_fields(resource.name, text, 2))


def _read_ortho_context(resource: Traversable) -> Mapping[str, int]:
    text = resource.read_text(encoding="utf-8")
    fields = _entry_fields(text, 2)
    if fields is not None:
        types = fields[0::2]
        try:
            table = dict(zip(types, map(_FLAG_VALUES.__getitem__, fields[1::2]), strict=True))
        except KeyError:  # flags out of range, or written otherwise ("018")
            pass
        else:
            if len(table) == len(types):
                return MappingProxyType(table)
    table = {}
    for lineno, (typ, flags) in _line_fields(resource.name, text, 2):
        if not (flags.isascii() and flags.isdigit() and 0 < int(flags) < 128):
            raise ValueError(
                f"{resource.name}:{lineno}: flags of {typ!r} must be 1-127, got {flags!r}"
            )
        table[typ] = int(flags)
    return MappingProxyType(table)


def load_punkt_parameters(directory: Traversable) -> PunktParameters:
    """Read Punkt parameters from the text files written by ``build_punkt.py``.

    Parameters
    ----------
    directory : Traversable
        A folder (a :class:`pathlib.Path` or an :mod:`importlib.resources` entry)
        holding ``abbrev_types.txt``, ``collocations.tab``, ``sent_starters.txt``
        and ``ortho_context.tab``, UTF-8, one entry per line, fields separated by
        tabs, lines starting with ``"# "`` ignored.

    Returns
    -------
    PunktParameters
        The parameters, ready for :class:`~classifier.text.punkt.PunktSplitter`.

    Raises
    ------
    ValueError
        For a malformed or repeated line, naming the file and line.
    OSError
        If a file is missing or unreadable.
    """
    return PunktParameters(
        abbrev_types=_read_types(directory / "abbrev_types.txt"),
        collocations=_read_collocations(directory / "collocations.tab"),
        sent_starters=_read_types(directory / "sent_starters.txt"),
        ortho_context=_read_ortho_context(directory / "ortho_context.tab"),
    )


@functools.lru_cache(maxsize=1)
def _tokenizer() -> PunktSplitter:
    directory = bundled("models") / PUNKT_FOLDER
    return PunktSplitter(load_punkt_parameters(directory))


def _is_blank(char: str) -> bool:
    return char.isspace() or char in INVISIBLE_SPACES


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and _is_blank(text[start]):
        start += 1
    while end > start and _is_blank(text[end - 1]):
        end -= 1
    return start, end


def _paragraph_spans(text: str) -> Iterator[tuple[int, int]]:
    """Yield the stripped, non-empty spans between blank lines."""
    start = 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        yield _strip_span(text, start, match.start())
        start = match.end()
    yield _strip_span(text, start, len(text))


def _punkt_pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Return Punkt's stripped, non-empty sentence spans of ``text[start:end]``."""
    pieces = []
    for piece_start, piece_end in _tokenizer().span_tokenize(text[start:end]):
        span = _strip_span(text, start + piece_start, start + piece_end)
        if span[0] < span[1]:
            pieces.append(span)
    return pieces


def _quote_balance(piece: str) -> tuple[int, int, int]:
    """Count the quotation marks of ``piece`` that matter for balance.

    Returns the number of straight double quotes, curly opening minus closing
    double quotes, and single quotes that open (at a word start) minus those that
    close (after ``.?!,``); apostrophes ("don't", "students'") count for neither.
    """
    single = 0
    if "'" in piece or "\u2018" in piece or "\u2019" in piece:
        single = len(_OPENING_SINGLE_QUOTE.findall(piece)) - len(
            _CLOSING_SINGLE_QUOTE.findall(piece)
        )
    return piece.count('"'), piece.count("\u201c") - piece.count("\u201d"), single


def _is_open(balance: tuple[int, int, int]) -> bool:
    straight, curly, single = balance
    return straight % 2 == 1 or curly > 0 or single > 0


def _join_open_quotes(text: str, pieces: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join each piece that opens a quotation with the pieces up to its closing one.

    The pieces are left apart if the quotation is not closed within
    ``MAX_QUOTE_PIECES`` pieces.
    """
    if not pieces or not _QUOTE.search(text, pieces[0][0], pieces[-1][1]):
        return pieces
    balances = [_quote_balance(text[start:end]) for start, end in pieces]
    if not any(map(_is_open, balances)):
        return pieces
    joined = []
    index = 0
    while index < len(pieces):
        last = index
        balance = balances[index]
        if _is_open(balance):
            for ahead in range(index + 1, min(len(pieces), index + MAX_QUOTE_PIECES)):
                balance = (
                    balance[0] + balances[ahead][0],
                    balance[1] + balances[ahead][1],
                    balance[2] + balances[ahead][2],
                )
                if not _is_open(balance):
                    last = ahead
                    break
        joined.append((pieces[index][0], pieces[last][1]))
        index = last + 1
    return joined


def _ends_with_never_final_abbreviation(text: str, start: int, end: int) -> bool:
    if text[end - 1] != ".":  # the text is stripped: its last word ends at end
        return False
    window_start = max(start, end - MAX_ABBREVIATION_CHARS - 1)
    window = text[window_start:end]
    words = window.split()
    if not words or (window_start > start and len(words[-1]) == len(window)):
        return False  # no word, or a word too long to be an abbreviation
    word = words[-1].lstrip(_OPENING_MARKS)
    if len(word) < 2 or not word.endswith("."):
        return False
    abbreviation = word[:-1].lower()
    return abbreviation in NEVER_FINAL_REFERENCES or (
        abbreviation in NEVER_FINAL_TITLES and word[0].isupper()
    )


def _joins_next(text: str, current: tuple[int, int], following: tuple[int, int]) -> bool:
    """Tell whether ``following`` continues the sentence ``current``."""
    first = text[following[0]]
    if first in _INTERNAL_PUNCTUATION:
        return True
    last_two = text[max(current[0], current[1] - 2) : current[1]]
    if (
        first.islower()
        and len(last_two) == 2
        and last_two[0] in _SENTENCE_END_CHARS
        and last_two[1] in _CLOSING_QUOTES
    ):
        return True
    return _ends_with_never_final_abbreviation(text, *current)


def _join_continuations(text: str, pieces: list[tuple[int, int]]) -> list[tuple[int, int]]:
    joined: list[tuple[int, int]] = []
    for piece in pieces:
        if joined and _joins_next(text, joined[-1], piece):
            joined[-1] = (joined[-1][0], piece[1])
        else:
            joined.append(piece)
    return joined


def iter_sentences(text: str) -> Iterator[Sentence]:
    """Yield the sentences of ``text`` in order, with their offsets.

    Parameters
    ----------
    text : str
        Any text; empty, whitespace-only and malformed input (control characters,
        lone surrogates) give no error.

    Yields
    ------
    Sentence
        Non-empty, non-overlapping sentences without surrounding whitespace (nor
        :data:`INVISIBLE_SPACES`, such as a byte order mark), in
        order, with ``text[s.start:s.end] == s.text``. A blank line always ends a
        sentence.

    Raises
    ------
    TypeError
        If ``text`` is not a ``str``.

    Examples
    --------
    >>> [s.text for s in iter_sentences("Dr. Smith may come. Or not.")]
    ['Dr. Smith may come.', 'Or not.']
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    for paragraph_start, paragraph_end in _paragraph_spans(text):
        if paragraph_start == paragraph_end:
            continue
        pieces = _punkt_pieces(text, paragraph_start, paragraph_end)
        for start, end in _join_continuations(text, _join_open_quotes(text, pieces)):
            if end - start <= MAX_SENTENCE_CHARS:
                yield Sentence(text[start:end], start, end)
            else:
                for piece_start, piece_end in _capped(text, start, end):
                    yield Sentence(text[piece_start:piece_end], piece_start, piece_end)


def _capped(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Yield ``(start, end)`` cut into stripped pieces of at most ``MAX_SENTENCE_CHARS``.

    Each cut depends only on the ``MAX_SENTENCE_CHARS + 1`` characters after the
    piece's start, so the pieces before the last do not change when the text goes on.
    """
    while end - start > MAX_SENTENCE_CHARS:
        cut = start + MAX_SENTENCE_CHARS
        while cut > start and not _is_blank(text[cut]):
            cut -= 1
        if cut == start:  # no white space: cut inside the word
            cut = start + MAX_SENTENCE_CHARS
        piece = _strip_span(text, start, cut)
        if piece[0] < piece[1]:
            yield piece
        start = _strip_span(text, cut, end)[0]
    yield start, end


def settled_end(text: str) -> int:
    """Return how much of ``text`` a streaming reader may split without reading further.

    Splitting ``text[:n]`` for the returned ``n`` gives the same sentences as splitting
    ``text`` followed by anything. ``n`` is the end of the last blank line, if there is
    one; else the start of the last sentence after white space that has
    ``UNSETTLED_SENTENCES`` or more Punkt pieces after it (no quotation can join it with
    text to come); else 0.

    Examples
    --------
    >>> settled_end("It may rain. " * 3)
    0
    >>> text = "It may rain. " * 20
    >>> settled_end(text) == len(text) - 13 * UNSETTLED_SENTENCES
    True
    """
    breaks = [match.end() for match in _PARAGRAPH_BREAK.finditer(text)]
    if breaks:
        return breaks[-1]
    start, end = _strip_span(text, 0, len(text))
    if start == end:
        return 0
    pieces = _punkt_pieces(text, start, end)
    index = {piece_start: i for i, (piece_start, _) in enumerate(pieces)}
    settled = 0
    for sentence_start, _ in _join_continuations(text, _join_open_quotes(text, pieces)):
        if index[sentence_start] > len(pieces) - UNSETTLED_SENTENCES:
            break
        if text[sentence_start - 1] in ASCII_WHITESPACE and _ends_cleanly(text, sentence_start):
            settled = sentence_start
    return settled


def _ends_cleanly(text: str, start: int) -> bool:
    """Tell whether Punkt splits ``text[:start]`` as it splits the text there.

    Punkt reads a word from its first character, so ``start`` must follow ASCII white
    space (Punkt's word boundary).
    A sentence mark ending the word before it is a candidate boundary only when a token
    follows; without it, an earlier mark of that word followed by punctuation ("?!",
    "etc.).") would become the candidate instead.
    """
    end = start
    while end > 0 and _is_blank(text[end - 1]):
        end -= 1
    if end == start or end == 0 or text[end - 1] not in _SENTENCE_END_CHARS:
        return end < start
    word_start = end
    while word_start > 0 and text[word_start - 1] not in ASCII_WHITESPACE:
        word_start -= 1
    return not _MARK_BEFORE_PUNCTUATION.search(text, word_start, end)


def line_sentence(line: str) -> tuple[str, int] | None:
    r"""Return the sentence one line holds when each line is a sentence, or None if blank.

    Surrounding whitespace and a final line feed or carriage return are left out.

    Returns
    -------
    tuple of (str, int) or None
        The sentence and its offset in ``line``.

    Examples
    --------
    >>> line_sentence("  It may rain. \r\n")
    ('It may rain.', 2)
    >>> line_sentence(" \n") is None
    True
    """
    line = line.rstrip("\n").removesuffix("\r")
    stripped = line.lstrip()
    if not stripped.strip():
        return None
    return stripped.rstrip(), len(line) - len(stripped)


def split_sentences(text: str) -> list[Sentence]:
    r"""Split ``text`` into sentences with character offsets.

    Parameters
    ----------
    text : str
        Any text; see :func:`iter_sentences`.

    Returns
    -------
    list of Sentence
        The sentences in order; empty for empty or whitespace-only text.

    Raises
    ------
    TypeError
        If ``text`` is not a ``str``.

    Examples
    --------
    >>> text = "Gen. Smith arrived at 3.30 p.m.\n\nNo comment"
    >>> [(s.text, s.start, s.end) for s in split_sentences(text)]
    [('Gen. Smith arrived at 3.30 p.m.', 0, 31), ('No comment', 33, 43)]
    """
    return list(iter_sentences(text))
