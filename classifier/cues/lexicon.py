"""Lexicon files: strict parsing, validation and a cached loader.

A lexicon directory holds UTF-8 TSV files (``*.tsv``). Lines starting with ``#`` are
comments; the first other line is the header ``cue<TAB>category<TAB>weight<TAB>note``.
Each following line is one entry:

cue
    Lowercase words separated by single spaces, tokenized like sentences are. ``...``
    between words marks a gap of a few words: ``chances ... slim``.
category
    A hedge category (:data:`HEDGE_CATEGORIES`), ``booster``, ``negator`` or
    ``false_friend`` (a phrase whose hedge-looking words are not hedges here).
weight
    Prior strength in [0, 1]: for hedges, the share of matches annotated as hedge cues
    in the training corpora, or a judgment where there was too little evidence.
note
    Provenance; ignored by the code.
"""

from __future__ import annotations

import codecs
import hashlib
import math
import os
import re
import stat
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Final

from classifier.bundled import bundled
from classifier.errors import LexiconError
from classifier.text.tokens import tokenize

__all__ = [
    "BOOSTER",
    "FALSE_FRIEND",
    "HEDGE_CATEGORIES",
    "NEGATOR",
    "Lexicon",
    "LexiconEntry",
    "MAX_LEXICON_ENTRIES",
    "load_lexicon",
    "parse_lexicon",
]

#: Categories of hedge cues: words and phrases that make a statement less than certain.
HEDGE_CATEGORIES = frozenset(
    {
        "modal",  # may, might, could
        "epistemic_verb",  # suggest, appear, believe
        "epistemic_adverb",  # probably, perhaps
        "epistemic_adjective",  # possible, putative, unclear
        "speculative_noun",  # possibility, hypothesis
        "low_probability",  # the chances ... are slim, odds are long
        "doubt",  # not known, remains to be seen
        "approximator",  # approximately, roughly
        "weasel",  # some people say, widely regarded
        "attribution",  # reportedly, according to
        "conditional",  # if, unless, whether
    }
)
BOOSTER: Final = "booster"
NEGATOR: Final = "negator"
FALSE_FRIEND: Final = "false_friend"
CATEGORIES = HEDGE_CATEGORIES | {BOOSTER, NEGATOR, FALSE_FRIEND}
HEADER = ("cue", "category", "weight", "note")
GAP = "..."
#: A number as Python writes it, in ASCII: without the spaces, underscores and other
#: scripts' digits that ``float`` also accepts ("0.9 ", "0_9", "٠.٩").
_NUMBER = re.compile(
    r"[+-]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?|nan|inf|infinity)", re.ASCII | re.IGNORECASE
)
#: Line ends of lexicon files: LF, CRLF or CR, as Python's universal newlines. Unlike
#: ``str.splitlines``, a form feed, U+0085 or U+2028 inside a note ends no line.
_LINE_END = re.compile(r"\r\n|\r|\n")
_BOM = codecs.BOM_UTF8.decode("utf-8")
#: Limits of a lexicon, far above the bundled one's (1,217 entries in 60 KB, cues of at
#: most 5 words in 2 pieces), so that a hostile lexicon, added or in a model archive,
#: cannot make loading or matching take gigabytes or minutes.
MAX_LEXICON_ENTRIES = 10_000
MAX_LEXICON_BYTES = 16 << 20
MAX_CUE_WORDS = 12
MAX_CUE_PIECES = 3
MAX_CUE_CHARS = 200


@dataclass(frozen=True, slots=True)
class LexiconEntry:
    """One lexicon line.

    Attributes
    ----------
    cue : str
        The cue as written, e.g. ``"chances ... slim"``.
    category : str
        Its category.
    weight : float
        Prior strength in [0, 1].
    parts : tuple of tuple of str
        The cue's tokens, one tuple per contiguous piece.
    where : str
        ``file:line`` it came from.
    """

    cue: str
    category: str
    weight: float
    parts: tuple[tuple[str, ...], ...]
    where: str


@dataclass(frozen=True)
class Lexicon:
    """An immutable, validated set of lexicon entries.

    Attributes
    ----------
    entries : tuple of LexiconEntry
        All entries, sorted by cue.
    """

    entries: tuple[LexiconEntry, ...]

    @property
    def by_cue(self) -> Mapping[str, LexiconEntry]:
        """Entries keyed by cue."""
        return MappingProxyType({e.cue: e for e in self.entries})

    def of(self, *categories: str) -> tuple[LexiconEntry, ...]:
        """Return the entries whose category is one of ``categories``."""
        return tuple(e for e in self.entries if e.category in categories)

    def digest(self) -> str:
        """Return the sha256 of the entries (cue, category, weight), order-independent."""
        h = hashlib.sha256()
        for e in self.entries:
            h.update(f"{e.cue}\t{e.category}\t{e.weight!r}\n".encode())
        return h.hexdigest()

    def merged(self, other: Lexicon) -> Lexicon:
        """Return this lexicon with ``other``'s entries added; ``other`` wins on a clash."""
        mine = {e.cue: e for e in self.entries}
        mine.update({e.cue: e for e in other.entries})
        return Lexicon(tuple(sorted(mine.values(), key=lambda e: e.cue)))


def _parse_cue(cue: str, where: str) -> tuple[tuple[str, ...], ...]:
    if not cue.strip():
        raise LexiconError(f"{where}:cue: empty cue")
    if cue != " ".join(cue.split()):
        raise LexiconError(f"{where}:cue: {cue!r} has stray spaces")
    if len(cue) > MAX_CUE_CHARS:
        raise LexiconError(f"{where}:cue: {cue[:40]!r}... has over {MAX_CUE_CHARS} characters")
    if not cue.isprintable():
        raise LexiconError(f"{where}:cue: {cue!r} has a control or other unprintable character")
    if cue != cue.lower():
        raise LexiconError(f"{where}:cue: {cue!r} must be lowercase")
    pieces = cue.split(f" {GAP} ")
    if any(GAP in piece for piece in pieces):
        raise LexiconError(f"{where}:cue: {cue!r}: '...' must stand between two words")
    if len(pieces) > MAX_CUE_PIECES:
        raise LexiconError(f"{where}:cue: {cue!r} has more than {MAX_CUE_PIECES} pieces")
    parts = tuple(tuple(tokenize(piece)[0]) for piece in pieces)
    if sum(map(len, parts)) > MAX_CUE_WORDS:
        raise LexiconError(f"{where}:cue: {cue!r} has more than {MAX_CUE_WORDS} words")
    if not all(any(any(c.isalnum() for c in token) for token in part) for part in parts):
        raise LexiconError(f"{where}:cue: {cue!r} has no word")
    return parts


def _parse_weight(text: str, where: str) -> float:
    if not _NUMBER.fullmatch(text):
        raise LexiconError(f"{where}:weight: {text!r} is not a number such as 0.5")
    weight = float(text)
    if not (math.isfinite(weight) and 0.0 <= weight <= 1.0):
        raise LexiconError(f"{where}:weight: {text!r} is not in [0, 1]")
    return weight


def parse_lexicon(lines: Iterable[str], name: str) -> list[LexiconEntry]:
    """Parse the lines of one lexicon file.

    Parameters
    ----------
    lines : iterable of str
        The file's lines, with or without their line ends (LF, CRLF or CR); a byte
        order mark at the start of the first line is ignored.
    name : str
        The file's name, used in error messages.

    Returns
    -------
    list of LexiconEntry

    Raises
    ------
    LexiconError
        On the first malformed line, naming ``name:line:field``.
    """
    entries: list[LexiconEntry] = []
    seen_header = False
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip("\r\n")
        if number == 1:
            line = line.removeprefix(_BOM)
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        where = f"{name}:{number}"
        if not seen_header:
            if tuple(fields) != HEADER:
                raise LexiconError(f"{where}: expected the header {'<TAB>'.join(HEADER)!r}")
            seen_header = True
            continue
        if len(fields) != len(HEADER):
            raise LexiconError(
                f"{where}: expected {len(HEADER)} tab-separated fields "
                f"({', '.join(HEADER)}), found {len(fields)}"
            )
        cue, category, weight, _note = fields
        if len(entries) == MAX_LEXICON_ENTRIES:
            raise LexiconError(f"{where}: more than {MAX_LEXICON_ENTRIES} entries")
        if category not in CATEGORIES:
            raise LexiconError(
                f"{where}:category: unknown category {category!r}; "
                f"expected one of {', '.join(sorted(CATEGORIES))}"
            )
        entries.append(
            LexiconEntry(
                cue=cue,
                category=category,
                weight=_parse_weight(weight, where),
                parts=_parse_cue(cue, where),
                where=where,
            )
        )
    if not seen_header:
        raise LexiconError(f"{name}:1: no header line {'<TAB>'.join(HEADER)!r}")
    return entries


def _split_lines(text: str) -> Iterator[str]:
    r"""Yield the lines of the text of a lexicon file, split at LF, CRLF or CR.

    Examples
    --------
    >>> list(_split_lines("cue\r\nmay\u2028note\rmight"))
    ['cue', 'may\u2028note', 'might']
    """
    start = 0
    for end in _LINE_END.finditer(text):
        yield text[start : end.start()]
        start = end.end()
    yield text[start:]


def _build(files: Iterable[tuple[str, str]]) -> Lexicon:
    by_cue: dict[str, LexiconEntry] = {}
    by_parts: dict[tuple[tuple[str, ...], ...], LexiconEntry] = {}
    for name, text in files:
        for entry in parse_lexicon(_split_lines(text), name):
            if len(by_cue) == MAX_LEXICON_ENTRIES:
                raise LexiconError(f"{entry.where}: more than {MAX_LEXICON_ENTRIES} entries")
            if entry.cue in by_cue:
                raise LexiconError(
                    f"{entry.where}:cue: duplicate cue {entry.cue!r} "
                    f"(first at {by_cue[entry.cue].where})"
                )
            first = by_parts.get(entry.parts)
            if first is not None:
                raise LexiconError(
                    f"{entry.where}:cue: duplicate cue {entry.cue!r}: the same words as "
                    f"{first.cue!r} at {first.where}"
                )
            by_cue[entry.cue] = entry
            by_parts[entry.parts] = entry
    return Lexicon(tuple(sorted(by_cue.values(), key=lambda e: e.cue)))


def _read(path: Path, limit: int) -> str:
    """Return the text of a regular file of at most ``limit`` bytes."""
    try:
        with open(path, "rb") as f:
            if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
                raise LexiconError(f"{path}: not a regular file")
            data = f.read(limit + 1)
    except OSError as err:
        raise LexiconError(f"{path}: cannot read ({err.strerror or err})") from None
    if len(data) > limit:
        raise LexiconError(f"{path}: a lexicon folder holds at most {MAX_LEXICON_BYTES} bytes")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise LexiconError(f"{path}: not UTF-8 ({err.reason} at byte {err.start})") from None


def _files(paths: list[Path]) -> Iterator[tuple[str, str]]:
    """Yield ``(name, text)`` of each lexicon file, within :data:`MAX_LEXICON_BYTES` in all."""
    left = MAX_LEXICON_BYTES
    for path in paths:
        text = _read(path, left)
        left -= len(text.encode("utf-8"))
        yield str(path), text


@lru_cache(maxsize=1)
def _default_lexicon() -> Lexicon:
    root = bundled("lexicons")
    files = sorted(
        (item.name, item.read_text(encoding="utf-8-sig"))
        for item in root.iterdir()
        if item.name.endswith(".tsv")
    )
    return _build(files)


def load_lexicon(directory: str | Path | None = None) -> Lexicon:
    """Load and validate a lexicon directory.

    Parameters
    ----------
    directory : str or Path, optional
        A directory of ``*.tsv`` lexicon files. By default, the bundled lexicons
        (loaded once and cached).

    Returns
    -------
    Lexicon

    Raises
    ------
    LexiconError
        If the directory is missing or holds no ``*.tsv`` file, a file is not a regular
        file or is malformed, a cue appears twice, or the lexicon is larger than its
        limits (:data:`MAX_LEXICON_ENTRIES` entries, :data:`MAX_LEXICON_BYTES` bytes,
        cues of :data:`MAX_CUE_WORDS` words in :data:`MAX_CUE_PIECES` pieces).
    """
    if directory is None:
        return _default_lexicon()
    path = Path(directory)
    if not path.is_dir():
        raise LexiconError(f"{path}: not a directory")
    try:  # glob would see an unreadable folder as an empty one
        os.scandir(path).close()
    except OSError as err:
        raise LexiconError(f"{path}: cannot read ({err.strerror or err})") from None
    files = sorted(path.glob("*.tsv"))
    if not files:
        raise LexiconError(f"{path}: no *.tsv lexicon file")
    return _build(_files(files))
