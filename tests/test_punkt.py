"""Our Punkt decides as NLTK's does: same patterns, same spans from the same parameters."""

from __future__ import annotations

import dataclasses
from collections import defaultdict

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from classifier.text import punkt
from classifier.text.punkt import PunktParameters, PunktSplitter
from classifier.text.sentences import _tokenizer

nltk_punkt = pytest.importorskip("nltk.tokenize.punkt")


def nltk_tokenizer(params: PunktParameters):
    theirs = nltk_punkt.PunktParameters()
    theirs.abbrev_types = set(params.abbrev_types)
    theirs.collocations = set(params.collocations)
    theirs.sent_starters = set(params.sent_starters)
    theirs.ortho_context = defaultdict(int, params.ortho_context)
    return nltk_punkt.PunktSentenceTokenizer(theirs)


SHIPPED = _tokenizer().params
NLTK = nltk_tokenizer(SHIPPED)


def same_set_order(pattern: str) -> str:
    """NLTK builds its class of "?" and "!" from a set: its order follows the hash seed."""
    return pattern.replace("!\\?", "\\?!")


def test_patterns_are_nltks():
    variables = nltk_punkt.PunktLanguageVars()
    word_pattern = variables._word_tokenizer_re().pattern
    assert punkt.WORD_PATTERN.pattern == same_set_order(word_pattern)
    assert punkt.PERIOD_CONTEXT.pattern == same_set_order(variables.period_context_re().pattern)
    assert punkt.BOUNDARY_REALIGNMENT.pattern == variables.re_boundary_realignment.pattern


# Words that exercise every decision: abbreviations (shipped and not), initials, numbers
# and ordinals, ellipses, collocations, frequent sentence starters, lowercase and
# capitalized continuations, quotes and brackets to realign, and odd spacing; and the
# contexts the splitter decides without tokenizing: "word. Word" (with a comma after,
# a hyphen or a letter outside ASCII in the word), "?" or "!" after a word, a period
# after a closing bracket or quote.
WORDS = st.sampled_from(
    [
        "the", "The", "It", "it", "He", "however", "However", "However,", "Smith", "word",
        "results", "Dr.", "dr.", "Mr.", "e.g.", "i.e.", "etc.", "al.", "Fig.", "U.S.", "vs.",
        "No.", "J.", "A.", "b.", "P.", "p.", "3.", "12.5", "1990.", "-4.", "...", "..",
        ". . .", "rain.", "Rain.", "cells.", "T-cells.", "été.", "IFN-γ.",
        "rain?", "Why!", "?", "!", "?!", ".", '"', "'", "“", "”", "’", "(",
        ")", "[", "]", "[12].", "2).", "(B).", 'rain."', "rain.)", ",", ";", ":", "--", "-",
        "e.", "coli", "Jan.", "St.",
    ]
)  # fmt: skip
GAPS = st.sampled_from([" ", " ", " ", "", "  ", "\n", "\n\n", "\t", " \n ", "\xa0", "\x0c"])
TEXTS = st.lists(st.tuples(WORDS, GAPS), max_size=40).map(
    lambda pairs: "".join(word + gap for word, gap in pairs)
)


@settings(max_examples=1500, deadline=None, derandomize=True)
@given(TEXTS)
def test_spans_equal_nltks_with_the_shipped_parameters(text):
    assert list(PunktSplitter(SHIPPED).span_tokenize(text)) == list(NLTK.span_tokenize(text))


SMALL = PunktParameters(
    abbrev_types=frozenset({"dr", "e.g", "al", "fig", "no"}),
    collocations=frozenset({("e", "coli"), ("##number##", "however")}),
    sent_starters=frozenset({"however", "the"}),
    ortho_context={"the": 18, "however": 16, "smith": 4, "it": 112, "word": 96, "results": 32},
)


@settings(max_examples=1500, deadline=None, derandomize=True)
@given(TEXTS)
def test_spans_equal_nltks_with_small_parameters(text):
    theirs = nltk_tokenizer(SMALL)
    assert list(PunktSplitter(SMALL).span_tokenize(text)) == list(theirs.span_tokenize(text))


# Collocations after a plain word, after an initial and after a lone period, an
# abbreviation with a hyphen, an initial that is an abbreviation.
EDGES = PunktParameters(
    abbrev_types=frozenset({"dr", "p", "al", "b-cells", "fig", "no"}),
    collocations=frozenset({("rain", "it"), ("p", "coli"), (".", "the"), ("cells", "however")}),
    sent_starters=frozenset({"however", "it"}),
    ortho_context={"the": 18, "however": 16, "smith": 4, "it": 112, "coli": 32, "rain": 48},
)


@settings(max_examples=1500, deadline=None, derandomize=True)
@given(TEXTS)
def test_spans_equal_nltks_with_edge_parameters(text):
    theirs = nltk_tokenizer(EDGES)
    assert list(PunktSplitter(EDGES).span_tokenize(text)) == list(theirs.span_tokenize(text))


# Orthographic flags without a lowercase bit (seen capitalized only).
UPPERCASE_ONLY = [2, 4, 6, 8, 10, 12, 14]


@pytest.mark.parametrize("flags", UPPERCASE_ONLY)
@settings(max_examples=200, deadline=None, derandomize=True)
@given(text=TEXTS)
def test_flags_without_a_lowercase_bit_decide_as_none(flags, text):
    """Why ``scripts/build_punkt.py`` leaves such types out of ``ortho_context.tab``."""
    types = ["the", "it", "he", "however", "smith", "word", "results", "rain", "cells", "coli"]
    unseen = {typ: flag for typ, flag in SMALL.ortho_context.items() if typ not in types}
    flagged = {**unseen, **dict.fromkeys([*types, "##number##", "j"], flags)}
    with_flags = PunktSplitter(dataclasses.replace(SMALL, ortho_context=flagged))
    without = PunktSplitter(dataclasses.replace(SMALL, ortho_context=unseen))
    assert list(with_flags.span_tokenize(text)) == list(without.span_tokenize(text))


def test_shipped_flags_all_have_a_lowercase_bit():
    assert SHIPPED.ortho_context
    assert all(flags & punkt.ORTHO_LC for flags in SHIPPED.ortho_context.values())


@pytest.mark.parametrize(
    "text",
    [
        "An E. coli strain grew. It died.",
        "It was 1990. However, nobody came.",
        "Ask Dr. Smith. The results (see Fig. 2.) hold.",
        'He said "It may rain." Then he left... the rest.',
        "J. S. Bach wrote it. It is long?! Yes.",
    ],
)
def test_handwritten_texts_split_as_nltk_does(text):
    theirs = nltk_tokenizer(SMALL)
    assert list(PunktSplitter(SMALL).span_tokenize(text)) == list(theirs.span_tokenize(text))
