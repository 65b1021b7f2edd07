"""Punkt sentence boundaries (Kiss & Strunk 2006), decided as NLTK decides them, without NLTK.

NLTK's ``PunktSentenceTokenizer`` builds an object per token and imports NLTK, which
imports scikit-learn and SciPy: over a second before the first sentence. This module
makes the same decisions with plain strings, from the same parameters, on English
settings: for each candidate boundary (".", "?" or "!" before whitespace or closing
punctuation) it annotates the few tokens around it in two passes, then realigns closing
quotes and brackets. NLTK is used only to train the parameters
(``scripts/build_punkt.py``) and, in the tests, to check that both give the same spans.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

__all__ = ["PunktParameters", "PunktSplitter"]

# Orthographic context bits, as NLTK stores them: where a type was seen, in which case.
ORTHO_BEG_UC = 1 << 1
ORTHO_MID_UC = 1 << 2
ORTHO_UNK_UC = 1 << 3
ORTHO_BEG_LC = 1 << 4
ORTHO_MID_LC = 1 << 5
ORTHO_UNK_LC = 1 << 6
ORTHO_UC = ORTHO_BEG_UC | ORTHO_MID_UC | ORTHO_UNK_UC
ORTHO_LC = ORTHO_BEG_LC | ORTHO_MID_LC | ORTHO_UNK_LC

#: Tokens that never start a sentence.
PUNCTUATION = frozenset(";:,.!?")
#: Type of every token that looks like a number.
NUMBER = "##number##"
#: The characters NLTK's ``_get_last_whitespace_index`` looks for (``string.whitespace``).
ASCII_WHITESPACE = " \t\n\r\x0b\x0c"

# NLTK's English patterns (PunktLanguageVars), unchanged; the tests compare them.
_NON_WORD = r"(?:[)\";}\]\*:@\'\({\[\u2018\u2019\u201c\u201d\xab\xbb\?!])"
_MULTI_CHAR = r"(?:\-{2,}|\.{2,}|(?:\.\s){2,}\.)"
_WORD_START = r"[^\(\"\`{\[:;&\#\*@\)}\]\-,]"
WORD_PATTERN = re.compile(
    rf"""(
        {_MULTI_CHAR}
        |
        (?={_WORD_START})\S+?  # Accept word characters until end is found
        (?= # Sequences marking a word's end
            \s|                                 # White-space
            $|                                  # End-of-string
            {_NON_WORD}|{_MULTI_CHAR}|          # Punctuation
            ,(?=$|\s|{_NON_WORD}|{_MULTI_CHAR}) # Comma if at end of word
        )
        |
        \S
    )""",
    re.VERBOSE,
)
PERIOD_CONTEXT = re.compile(
    rf"""
        [\.\?!]             # a potential sentence ending
        (?=(?P<after_tok>
            {_NON_WORD}              # either other punctuation
            |
            \s+(?P<next_tok>\S+)     # or whitespace and some other token
        ))""",
    re.VERBOSE,
)
BOUNDARY_REALIGNMENT = re.compile(
    r'["\')\]}\u2018\u2019\u201c\u201d\xab\xbb]+?(?:\s+|(?=--)|$)', re.MULTILINE
)
_NUMERIC = re.compile(r"^-?[\.,]?\d[\d,\.-]*\.?$")
_ELLIPSIS = re.compile(r"\.\.+$")
_INITIAL = re.compile(r"[^\W\d]\.$")


@dataclass(frozen=True)
class PunktParameters:
    """What Punkt learned from training text.

    Attributes
    ----------
    abbrev_types : frozenset of str
        Abbreviations, lowercase, without their final period.
    collocations : frozenset of tuple of str
        Type pairs with no boundary between them ("e. coli").
    sent_starters : frozenset of str
        Types that often start a sentence.
    ortho_context : Mapping of str to int
        Orthographic-context bits of each type; unseen types have none.
    """

    abbrev_types: frozenset[str]
    collocations: frozenset[tuple[str, str]]
    sent_starters: frozenset[str]
    ortho_context: Mapping[str, int]


class _Token:
    """One token of a candidate's context, with Punkt's annotations."""

    __slots__ = ("tok", "type", "period_final", "sentbreak", "abbr", "ellipsis")

    def __init__(self, tok: str, abbrev_types: frozenset[str]) -> None:
        self.tok = tok
        lowered = tok.lower()
        self.type = NUMBER if _NUMERIC.match(lowered) else lowered
        self.period_final = tok.endswith(".")
        self.sentbreak = self.abbr = self.ellipsis = False
        # First pass: decisions from the token alone.
        if tok in (".", "?", "!"):
            self.sentbreak = True
        elif _ELLIPSIS.match(tok):
            self.ellipsis = True
        elif self.period_final and not tok.endswith(".."):
            stem = tok[:-1].lower()
            if stem in abbrev_types or stem.split("-")[-1] in abbrev_types:
                self.abbr = True
            else:
                self.sentbreak = True

    @property
    def type_no_period(self) -> str:
        typ = self.type
        return typ[:-1] if len(typ) > 1 and typ[-1] == "." else typ

    @property
    def type_no_sentperiod(self) -> str:
        return self.type_no_period if self.sentbreak else self.type


class PunktSplitter:
    """Split text into sentence spans with Punkt's decisions.

    Parameters
    ----------
    params : PunktParameters
        The trained parameters (see ``classifier.sentences.load_punkt_parameters``).

    Examples
    --------
    >>> params = PunktParameters(frozenset({"dr"}), frozenset(), frozenset(), {})
    >>> list(PunktSplitter(params).span_tokenize("Dr. Who came. He left."))
    [(0, 13), (14, 22)]
    """

    def __init__(self, params: PunktParameters) -> None:
        self.params = params

    def span_tokenize(self, text: str) -> Iterator[tuple[int, int]]:
        """Yield the ``(start, end)`` span of each sentence of ``text``.

        The spans are those of NLTK's ``PunktSentenceTokenizer.span_tokenize`` with the
        same parameters, closing quotes and brackets realigned onto the sentence they
        close.
        """
        realign = 0
        previous: tuple[int, int] | None = None
        for span in self._slices(text):
            if previous is not None:
                start, stop = previous[0] + realign, previous[1]
                found = BOUNDARY_REALIGNMENT.match(text, span[0], span[1])
                if found:
                    yield start, span[0] + len(found.group(0).rstrip())
                    realign = found.end() - span[0]
                else:
                    realign = 0
                    if start < stop:
                        yield start, stop
            previous = span
        if previous is not None and previous[0] + realign < previous[1]:
            yield previous[0] + realign, previous[1]

    def _slices(self, text: str) -> Iterator[tuple[int, int]]:
        last_break = 0
        for match, context in self._candidates(text):
            if self._contains_sentbreak(context):
                yield last_break, match.end()
                next_start = match.start("next_tok")
                last_break = next_start if next_start >= 0 else match.end()
        yield last_break, len(text.rstrip())

    @staticmethod
    def _candidates(text: str) -> Iterator[tuple[re.Match[str], str]]:
        """Yield each candidate boundary with its context.

        The context is the word before, the mark and the token after; a candidate inside
        the word before the next one is dropped.
        """
        previous_slice = (0, 0)
        previous_match = None
        for match in PERIOD_CONTEXT.finditer(text):
            before = text[previous_slice[1] : match.start()]
            last_space = max(map(before.rfind, ASCII_WHITESPACE))
            word_start = previous_slice[1] + last_space + 1 if last_space > 0 else previous_slice[0]
            if previous_match is not None and previous_slice[1] <= word_start:
                yield previous_match, _context(text, previous_slice, previous_match)
            previous_match = match
            previous_slice = (word_start, match.start())
        if previous_match is not None:
            yield previous_match, _context(text, previous_slice, previous_match)

    def _contains_sentbreak(self, context: str) -> bool:
        """Tell whether any token of ``context`` but the last is a sentence break."""
        abbrev_types = self.params.abbrev_types
        tokens = [
            _Token(tok, abbrev_types)
            for line in context.split("\n")
            for tok in WORD_PATTERN.findall(line)
        ]
        for token, following in zip(tokens, tokens[1:], strict=False):
            self._second_pass(token, following)
            if token.sentbreak:
                return True
        return False

    def _second_pass(self, token: _Token, following: _Token) -> None:
        """Revise the decision on ``token`` from the token that follows it."""
        if not token.period_final:
            return
        params = self.params
        typ = token.type_no_period
        next_type = following.type_no_sentperiod
        is_initial = _INITIAL.match(token.tok) is not None
        if (typ, next_type) in params.collocations:
            token.sentbreak, token.abbr = False, True
            return
        if (token.abbr or token.ellipsis) and not is_initial:
            starts = self._ortho_heuristic(following)
            if starts is True or (following.tok[0].isupper() and next_type in params.sent_starters):
                token.sentbreak = True
                return
        if is_initial or typ == NUMBER:
            starts = self._ortho_heuristic(following)
            if starts is False or (
                starts is None
                and is_initial
                and following.tok[0].isupper()
                and not params.ortho_context.get(next_type, 0) & ORTHO_LC
            ):
                token.sentbreak, token.abbr = False, True

    def _ortho_heuristic(self, token: _Token) -> bool | None:
        """Tell whether ``token`` starts a sentence, by how its type was written.

        None when the evidence says nothing.
        """
        if token.tok in PUNCTUATION:
            return False
        context = self.params.ortho_context.get(token.type_no_sentperiod, 0)
        first = token.tok[0]
        if first.isupper() and context & ORTHO_LC and not context & ORTHO_MID_UC:
            return True
        if first.islower() and (context & ORTHO_UC or not context & ORTHO_BEG_LC):
            return False
        return None


def _context(text: str, word: tuple[int, int], match: re.Match[str]) -> str:
    return text[word[0] : word[1]] + match.group() + match.group("after_tok")
