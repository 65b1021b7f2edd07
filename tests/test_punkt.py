"""Our Punkt decides as NLTK's does: same patterns, same spans from the same parameters."""

from __future__ import annotations

from collections import defaultdict

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from classifier import punkt
from classifier.punkt import PunktParameters, PunktSplitter
from classifier.sentences import _tokenizer

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
# capitalized continuations, quotes and brackets to realign, and odd spacing.
WORDS = st.sampled_from(
    [
        "the", "The", "It", "it", "He", "however", "However", "Smith", "word", "results",
        "Dr.", "dr.", "Mr.", "e.g.", "i.e.", "etc.", "al.", "Fig.", "U.S.", "vs.", "No.",
        "J.", "A.", "b.", "3.", "12.5", "1990.", "-4.", "...", "..", ". . .", "rain.",
        "Rain.", "cells.", "?", "!", "?!", ".", '"', "'", "\u201c", "\u201d", "\u2019",
        "(", ")", "[", "]", ",", ";", ":", "--", "-", "e.", "coli", "Jan.", "St.",
    ]
)  # fmt: skip
GAPS = st.sampled_from([" ", " ", " ", "", "  ", "\n", "\n\n", "\t", " \n "])
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
