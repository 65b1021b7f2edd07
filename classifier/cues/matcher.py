"""The lexicon matcher: the only code that knows how cues are found in a sentence."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields

from classifier.cues.lexicon import FALSE_FRIEND, NEGATOR, Lexicon, LexiconEntry

__all__ = ["DEFAULT_MAX_GAP", "Cue", "CueMatcher", "Match", "format_cues"]

#: How many words may stand in the gap of a discontinuous cue ("the chances of Moscow
#: escalating the situation into an assault are slim" needs 9 or more). Chosen by reading
#: such phrases in news text; a user may tune it.
DEFAULT_MAX_GAP = 12


@dataclass(slots=True, init=False)
class Match:
    """A lexicon entry found in a token list.

    Not frozen, unlike the results: mypyc compiles an ``__init__`` written here, not the
    one ``dataclass`` writes, and a frozen class could not assign in it.

    Attributes
    ----------
    entry : LexiconEntry
        The entry that matched.
    pieces : tuple of tuple of int
        ``(first, stop)`` token indices of each contiguous piece.
    """

    entry: LexiconEntry
    pieces: tuple[tuple[int, int], ...]

    def __init__(self, entry: LexiconEntry, pieces: tuple[tuple[int, int], ...]) -> None:
        self.entry = entry
        self.pieces = pieces

    @property
    def first(self) -> int:
        """Index of the first token."""
        return self.pieces[0][0]

    @property
    def last(self) -> int:
        """Index of the last token."""
        return self.pieces[-1][1] - 1

    @property
    def size(self) -> int:
        """Number of tokens matched (gaps excluded)."""
        return sum(stop - first for first, stop in self.pieces)

    def tokens(self) -> set[int]:
        """Return the indices of the matched tokens."""
        return {i for first, stop in self.pieces for i in range(first, stop)}

    def __reduce__(self) -> tuple[type[Match], tuple[LexiconEntry, tuple[tuple[int, int], ...]]]:
        """Pickle by the constructor's arguments, in both builds (see ``classifier.compiled``)."""
        return Match, (self.entry, self.pieces)


@dataclass(frozen=True, slots=True)
class Cue:
    """A cue found in a sentence, after the rules have judged it.

    Attributes
    ----------
    text : str
        Its words as they stand in the text; pieces of a discontinuous cue are joined
        by ``" ... "``.
    start, end : int
        Character offsets of the whole cue (first piece start, last piece end).
    category : str
        Its category; a negated booster becomes ``"doubt"``.
    entry : str
        The lexicon cue it matched, e.g. ``"chances ... slim"``.
    weight : float
        The entry's prior strength.
    first, last : int
        Token indices of its first and last token.
    negated : bool
        A negation stands just before it.
    quoted : bool
        It stands inside a quotation.
    kept : bool
        False when a rule discarded it.
    rule : str or None
        The rule that changed or discarded it.
    type : str or None
        Its kind of uncertainty (:mod:`classifier.model.cuetypes`), when asked for.
    """

    text: str
    start: int
    end: int
    category: str
    entry: str
    weight: float
    first: int
    last: int
    negated: bool = False
    quoted: bool = False
    kept: bool = True
    rule: str | None = None
    type: str | None = None

    def shifted(self, offset: int) -> Cue:
        """Return the cue with character offsets moved by ``offset``."""
        return Cue(
            self.text,
            self.start + offset,
            self.end + offset,
            self.category,
            self.entry,
            self.weight,
            self.first,
            self.last,
            self.negated,
            self.quoted,
            self.kept,
            self.rule,
            self.type,
        )

    def __reduce__(self) -> tuple[Callable[..., Cue], tuple[object, ...]]:
        """Pickle by the constructor's arguments, in both builds (see ``classifier.compiled``)."""
        return Cue, tuple([getattr(self, field.name) for field in fields(self)])


def format_cues(cues: Iterable[Cue]) -> str:
    """Return cues as one field, as in ``hedge score --format csv``: ``may|modal; ...``.

    Examples
    --------
    >>> format_cues([Cue("may", 3, 6, "modal", "may", 0.9, 1, 1)])
    'may|modal'
    """
    return "; ".join(f"{cue.text}|{cue.category}" for cue in cues)


class _Node:
    """A node of the matcher's trie: the words of a cue's pieces, one node per word.

    ``ends`` holds ``(anchor offset, rank, entry)`` of the entries whose last piece ends
    here; ``gap`` the trie of next pieces, which start within ``max_gap`` words.
    """

    def __init__(self) -> None:
        self.children: dict[str, _Node] = {}
        self.ends: list[tuple[int, int, LexiconEntry]] = []
        self.gap: _Node | None = None


class CueMatcher:
    """Find lexicon entries in token lists: single words, phrases, discontinuous cues.

    Entries are stored in a trie of their words, with a gap node between pieces, so that
    finding them costs the same however many entries share their first words.

    Parameters
    ----------
    lexicon : Lexicon
        The entries to find.
    max_gap : int, default=DEFAULT_MAX_GAP
        Most words allowed between the pieces of a discontinuous cue.
    """

    def __init__(self, lexicon: Lexicon, max_gap: int = DEFAULT_MAX_GAP) -> None:
        self.lexicon = lexicon
        self.max_gap = max_gap
        self.entries = lexicon.entries
        self._root = _Node()
        anchors: set[str] = set()
        for rank, entry in enumerate(lexicon.entries):
            offset = _anchor(entry.parts[0])
            if entry.category not in (NEGATOR, FALSE_FRIEND):
                anchors.add(entry.parts[0][offset])
            node = self._root
            for number, part in enumerate(entry.parts):
                if number:
                    if node.gap is None:
                        node.gap = _Node()
                    node = node.gap
                for word in part:
                    child = node.children.get(word)
                    if child is None:
                        child = node.children[word] = _Node()
                    node = child
            node.ends.append((offset, rank, entry))
        #: Words under which a hedge or booster entry is indexed: a sentence without one
        #: of them has no cue.
        self.cue_anchors = frozenset(anchors)

    def __reduce__(self) -> tuple[type[CueMatcher], tuple[Lexicon, int]]:
        """Pickle by the constructor's arguments, in both builds (see ``classifier.compiled``)."""
        return CueMatcher, (self.lexicon, self.max_gap)

    def _walk(
        self,
        words: list[str],
        node: _Node,
        at: int,
        pieces: list[tuple[int, int]],
        out: list[tuple[int, int, Match]],
        seen: set[int] | None,
    ) -> None:
        """Follow ``node``'s words from ``words[at]``: record each entry that ends, scan gaps.

        In a gap, a piece is taken where it first matches (``seen`` keeps the pieces
        already taken), as a cue's words are read left to right.
        """
        n = len(words)
        i = at
        while i < n:
            child = node.children.get(words[i])
            if child is None:
                return
            node = child
            i += 1
            if seen is not None:
                if id(node) in seen:
                    continue
                if node.ends or node.gap is not None:
                    seen.add(id(node))
            if not node.ends and node.gap is None:  # a word inside a cue: nothing ends here
                continue
            here = [*pieces, (at, i)]
            for offset, rank, entry in node.ends:
                out.append((here[0][0] + offset, rank, Match(entry, tuple(here))))
            if node.gap is not None:
                inner: set[int] = set()
                for j in range(i, min(i + self.max_gap, n - 1) + 1):
                    self._walk(words, node.gap, j, here, out, inner)

    def find(self, words: list[str]) -> tuple[list[Match], list[Match], set[int]]:
        """Find every entry in ``words``.

        Overlapping hedge and booster matches are resolved longest first ("almost
        certainly" wins over "certainly"); false friends and negators are kept apart
        for the rules.

        Parameters
        ----------
        words : list of str
            Lowercased tokens of one sentence.

        Returns
        -------
        cues : list of Match
            Non-overlapping hedge and booster matches, in text order.
        false_friends : list of Match
            False-friend phrases found.
        negators : set of int
            Token indices of negations.
        """
        found: list[Match] = []
        false_friends: list[Match] = []
        negators: set[int] = set()
        if self.cue_anchors.isdisjoint(words):  # many sentences: no cue can be here
            return found, false_friends, negators
        matches: list[tuple[int, int, Match]] = []
        starts = self._root.children
        for i in [i for i, word in enumerate(words) if word in starts]:
            self._walk(words, self._root, i, [], matches, None)
        matches.sort(key=_order)  # by anchor word, then lexicon order
        for _, _, match in matches:
            category = match.entry.category
            if category == NEGATOR:
                negators.update(match.tokens())
            elif category == FALSE_FRIEND:
                false_friends.append(match)
            else:
                found.append(match)
        if len(found) > 1:
            found = _longest_first(found)
        if found and "n't" in " ".join(words):
            negators.update([i for i, word in enumerate(words) if word.endswith("n't")])
        return found, false_friends, negators


def _order(item: tuple[int, int, Match]) -> tuple[int, int]:
    return item[0], item[1]


#: Words too common to look a cue up by: an entry is indexed under the first word of its
#: first piece that is not one of these ("it is said" under "said").
COMMON_WORDS = frozenset(
    {"a", "an", "the", "it", "is", "are", "was", "were", "be", "been", "to", "of", "in", "on"}
    | {"at", "by", "for", "with", "as", "that", "this", "there", "and", "not", "no", "we"}
    | {"they", "he", "she", "i", "you"}
)


def _anchor(head: tuple[str, ...]) -> int:
    """Return the position in ``head`` of the word to index an entry under."""
    return next((i for i, word in enumerate(head) if word not in COMMON_WORDS), 0)


def _longest_first(matches: list[Match]) -> list[Match]:
    for before, after in zip(matches, matches[1:], strict=False):
        if before.last >= after.first:
            break
    else:
        return matches  # the usual case: found in text order, no two overlap
    ordered = sorted(matches, key=lambda m: m.first)
    if all(a.last < b.first for a, b in zip(ordered, ordered[1:], strict=False)):
        return ordered  # no two matches overlap
    taken: set[int] = set()
    chosen: list[Match] = []
    for match in sorted(matches, key=lambda m: (-m.size, m.first)):
        tokens = match.tokens()
        if taken.isdisjoint(tokens):
            taken.update(tokens)
            chosen.append(match)
    chosen.sort(key=lambda m: m.first)
    return chosen
