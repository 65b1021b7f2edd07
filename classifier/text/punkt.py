"""Punkt sentence boundaries (Kiss & Strunk 2006), decided as NLTK decides them, without NLTK.

NLTK's ``PunktSentenceTokenizer`` builds an object per token and imports NLTK, which
imports scikit-learn and SciPy: over a second before the first sentence. This module
makes the same decisions with plain strings, from the same parameters, on English
settings: for each candidate boundary (".", "?" or "!" before whitespace or closing
punctuation) it decides the common contexts ("word. Word") from the words themselves and
annotates the few tokens of the others in two passes, then realigns closing quotes and
brackets where a piece starts with one. NLTK is used only to train the parameters
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


# First-pass annotations of a token (Punkt's ``sentbreak``, ``abbr`` and ``ellipsis``).
_PLAIN = 0
_SENTBREAK = 1
_ABBR = 2
_ELLIPSIS_TOKEN = 3

#: Characters that are always a token of their own: in ``_NON_WORD``, never starting a word.
_OWN_TOKEN = frozenset(')";}]*:@({[')
#: Closing marks that may start a piece; only there does the realignment pattern run.
_REALIGNED = frozenset("\"')]}\u2018\u2019\u201c\u201d\xab\xbb")


class PunktSplitter:
    """Split text into sentence spans with Punkt's decisions.

    Parameters
    ----------
    params : PunktParameters
        The trained parameters (see ``classifier.text.sentences.load_punkt_parameters``).

    Examples
    --------
    >>> params = PunktParameters(frozenset({"dr"}), frozenset(), frozenset(), {})
    >>> list(PunktSplitter(params).span_tokenize("Dr. Who came. He left."))
    [(0, 13), (14, 22)]
    """

    def __init__(self, params: PunktParameters) -> None:
        self.params = params
        # Types that may be decided by a collocation: the first of a pair.
        self._collocation_starts = frozenset(first for first, _ in params.collocations)

    def span_tokenize(self, text: str) -> Iterator[tuple[int, int]]:
        """Yield the ``(start, end)`` span of each sentence of ``text``.

        The spans are those of NLTK's ``PunktSentenceTokenizer.span_tokenize`` with the
        same parameters, closing quotes and brackets realigned onto the sentence they
        close.
        """
        slices = self._slices(text)
        realign = 0
        for index in range(1, len(slices)):
            start, stop = slices[index - 1]
            start += realign
            following = slices[index][0]
            found = None
            if following < slices[index][1] and text[following] in _REALIGNED:
                found = BOUNDARY_REALIGNMENT.match(text, following, slices[index][1])
            if found:
                yield start, following + len(found.group(0).rstrip())
                realign = found.end() - following
            else:
                realign = 0
                if start < stop:
                    yield start, stop
        start, stop = slices[-1]
        if start + realign < stop:
            yield start + realign, stop

    def _slices(self, text: str) -> list[tuple[int, int]]:
        """Return the sentence slices before realignment; the last one ends the text."""
        slices = []
        last_break = 0
        for match, word_start in _candidates(text):
            if self._is_boundary(text, word_start, match):
                slices.append((last_break, match.end()))
                next_start = match.start("next_tok")
                last_break = next_start if next_start >= 0 else match.end()
        slices.append((last_break, len(text.rstrip())))
        return slices

    def _is_boundary(self, text: str, word_start: int, match: re.Match[str]) -> bool:
        """Tell whether the candidate ``match``, its word from ``word_start``, ends a sentence.

        The common contexts are decided here without tokenizing, as the two passes
        decide them: "?" or "!" after a plain word; a period after a bracket, a straight
        double quote or one of ``;:*@`` (a token of its own); "word. Word", a plain word
        before the period.
        A plain word is ASCII letters, a token of its own with the period after it.
        """
        mark = match.start()
        word = text[word_start:mark]
        plain_word = word.isalpha() and word.isascii()
        if text[mark] != ".":
            if plain_word or not word:
                return True
        elif match.start("next_tok") < 0 or text[match.start("next_tok")] != ".":
            if plain_word:
                typ = word.lower()
                if (
                    len(word) > 1
                    and typ not in self.params.abbrev_types
                    and typ not in self._collocation_starts
                ):
                    return True  # a break whatever follows
                following = match.group("next_tok")
                if following is not None and following[-1] == ",":
                    following = following[:-1]
                if following and following.isalpha() and following.isascii():
                    return self._word_period_word(typ, following)
            elif word and word[-1] in _OWN_TOKEN and "." not in self._collocation_starts:
                return True  # "." alone is a break
        return self._contains_sentbreak(word + match.group() + match.group("after_tok"))

    def _word_period_word(self, typ: str, following: str) -> bool:
        """Decide "word. Word" as the two passes do, both words ASCII letters."""
        params = self.params
        next_type = following.lower()
        if (typ, next_type) in params.collocations:
            return False
        if len(typ) == 1:  # an initial
            starts = self._ortho_heuristic(following, next_type)
            if starts is False or (
                starts is None
                and following[0].isupper()
                and not params.ortho_context.get(next_type, 0) & ORTHO_LC
            ):
                return False
            return typ not in params.abbrev_types
        if typ not in params.abbrev_types:
            return True
        starts = self._ortho_heuristic(following, next_type)
        return starts is True or (following[0].isupper() and next_type in params.sent_starters)

    def _contains_sentbreak(self, context: str) -> bool:
        """Tell whether any token of ``context`` but the last is a sentence break."""
        if "\n" in context:
            tokens = [tok for line in context.split("\n") for tok in WORD_PATTERN.findall(line)]
        else:
            tokens = WORD_PATTERN.findall(context)
        abbrev_types = self.params.abbrev_types
        annotations = [_first_pass(tok, abbrev_types) for tok in tokens]
        for index in range(len(tokens) - 1):
            annotation = annotations[index]
            if tokens[index][-1] == ".":
                annotation = self._second_pass(
                    tokens[index], annotation, tokens[index + 1], annotations[index + 1]
                )
            if annotation == _SENTBREAK:
                return True
        return False

    def _second_pass(
        self, tok: str, annotation: int, following: str, following_annotation: int
    ) -> int:
        """Revise the annotation of the period-final ``tok`` from the token that follows it."""
        params = self.params
        typ = _type_no_period(_type(tok))
        next_type = _type(following)
        if following_annotation == _SENTBREAK:
            next_type = _type_no_period(next_type)
        is_initial = _INITIAL.match(tok) is not None
        if (typ, next_type) in params.collocations:
            return _ABBR
        if annotation in (_ABBR, _ELLIPSIS_TOKEN) and not is_initial:
            starts = self._ortho_heuristic(following, next_type)
            if starts is True or (following[0].isupper() and next_type in params.sent_starters):
                return _SENTBREAK
        if is_initial or typ == NUMBER:
            starts = self._ortho_heuristic(following, next_type)
            if starts is False or (
                starts is None
                and is_initial
                and following[0].isupper()
                and not params.ortho_context.get(next_type, 0) & ORTHO_LC
            ):
                return _ABBR
        return annotation

    def _ortho_heuristic(self, tok: str, typ: str) -> bool | None:
        """Tell whether ``tok``, of type ``typ`` (without a sentence period), starts a sentence.

        None when the evidence says nothing.
        """
        if tok in PUNCTUATION:
            return False
        context = self.params.ortho_context.get(typ, 0)
        first = tok[0]
        if first.isupper() and context & ORTHO_LC and not context & ORTHO_MID_UC:
            return True
        if first.islower() and (context & ORTHO_UC or not context & ORTHO_BEG_LC):
            return False
        return None


def _candidates(text: str) -> Iterator[tuple[re.Match[str], int]]:
    """Yield each candidate boundary with the start of the word before it.

    The word starts after the last ASCII whitespace since the previous candidate, as
    NLTK takes it (or where the previous candidate's word starts, if there is none); a
    candidate inside the word before the next one is dropped.
    """
    previous: re.Match[str] | None = None
    previous_word_start = previous_mark = 0
    for match in PERIOD_CONTEXT.finditer(text):
        mark = match.start()
        space = text.rfind(" ", previous_mark, mark)
        if space > previous_mark and text[space + 1 : mark].isprintable():
            word_start = space + 1  # no other whitespace after that space
        else:
            last_space = max([text.rfind(char, previous_mark, mark) for char in ASCII_WHITESPACE])
            word_start = last_space + 1 if last_space > previous_mark else previous_word_start
        if previous is not None and previous_mark <= word_start:
            yield previous, previous_word_start
        previous = match
        previous_word_start = word_start
        previous_mark = mark
    if previous is not None:
        yield previous, previous_word_start


def _type(tok: str) -> str:
    """Return Punkt's type of a token: lowercase, or ``NUMBER`` for a number."""
    lowered = tok.lower()
    return NUMBER if _NUMERIC.match(lowered) else lowered


def _type_no_period(typ: str) -> str:
    return typ[:-1] if len(typ) > 1 and typ[-1] == "." else typ


def _first_pass(tok: str, abbrev_types: frozenset[str]) -> int:
    """Annotate a token from itself alone: a break, an abbreviation, an ellipsis or none."""
    if tok in (".", "?", "!"):
        return _SENTBREAK
    if _ELLIPSIS.match(tok):
        return _ELLIPSIS_TOKEN
    if tok.endswith(".") and not tok.endswith(".."):
        stem = tok[:-1].lower()
        if stem in abbrev_types or stem.split("-")[-1] in abbrev_types:
            return _ABBR
        return _SENTBREAK
    return _PLAIN
