"""The one tokenizer of the package: words and punctuation with character offsets."""

from __future__ import annotations

import re
from typing import Final

__all__ = [
    "ASCII_TOKEN_PATTERN",
    "TOKEN_PATTERN",
    "token_spans",
    "tokenize",
    "words_of",
    "written_tokens",
]

#: A word (letters, digits, inner hyphens, apostrophes and periods, as in "d.c", "3.5",
#: "don't", "well-known") or one punctuation character.
TOKEN_PATTERN: Final = re.compile(r"\w+(?:[-'’.]\w+)*|[^\w\s]")
#: :data:`TOKEN_PATTERN` for ASCII text, with ASCII classes for ``\w`` and ``\s``: the same
#: tokens (on ASCII characters Unicode's ``\w`` is ``[a-zA-Z0-9_]`` and ``\s`` is
#: ``[ \t\n\x0b\x0c\r\x1c-\x1f]``, as ``tests/test_cues_rules.py`` checks character by character),
#: found faster: the regular expression engine looks a class up in a table and tests ``\w``
#: by Unicode category.
ASCII_TOKEN_PATTERN: Final = re.compile(
    r"[a-zA-Z0-9_]+(?:[-'.][a-zA-Z0-9_]+)*|[^a-zA-Z0-9_ \t\n\x0b\x0c\r\x1c-\x1f]"
)


def tokenize(text: str) -> tuple[list[str], list[tuple[int, int]]]:
    """Split ``text`` into lowercased tokens and their character spans.

    Parameters
    ----------
    text : str
        A sentence.

    Returns
    -------
    words : list of str
        Lowercased tokens, with typographic apostrophes made plain.
    spans : list of tuple of int
        ``(start, end)`` of each token in ``text``.

    Examples
    --------
    >>> tokenize("It isn’t clear.")[0]
    ['it', "isn't", 'clear', '.']
    """
    lowered = text.lower().replace("’", "'")
    if len(lowered) == len(text):  # the usual case: offsets in ``lowered`` are offsets in ``text``
        pattern = ASCII_TOKEN_PATTERN if lowered.isascii() else TOKEN_PATTERN
        found = list(pattern.finditer(lowered))
        return [m.group() for m in found], [m.span() for m in found]
    found = list(TOKEN_PATTERN.finditer(text))
    return [m.group().lower().replace("’", "'") for m in found], [m.span() for m in found]


def words_of(text: str) -> list[str]:
    """Return the lowercased tokens of ``text``: the first result of :func:`tokenize`, faster.

    Examples
    --------
    >>> words_of("It MAY rain.")
    ['it', 'may', 'rain', '.']
    """
    lowered = text.lower().replace("’", "'")
    if len(lowered) == len(text):
        return (ASCII_TOKEN_PATTERN if lowered.isascii() else TOKEN_PATTERN).findall(lowered)
    return tokenize(text)[0]


def token_spans(text: str, words: list[str], count: int) -> list[tuple[int, int]]:
    """Return the spans of the first ``count`` tokens of ``text``, whose tokens are ``words``.

    The spans of :func:`tokenize`, found without matching again: every character that is
    not white space belongs to a token, so each token is the first occurrence of its word
    after the end of the one before.

    Examples
    --------
    >>> token_spans("It  may rain.", ["it", "may", "rain", "."], 2)
    [(0, 2), (4, 7)]
    """
    lowered = text.lower().replace("’", "'")
    if len(lowered) != len(text):  # offsets in ``lowered`` are not those in ``text``
        return tokenize(text)[1][:count]
    spans = []
    end = 0
    for word in words[:count]:
        start = lowered.find(word, end)
        end = start + len(word)
        spans.append((start, end))
    return spans


def written_tokens(text: str) -> list[str]:
    """Return the tokens of ``text`` as written, aligned with :func:`tokenize`'s.

    Examples
    --------
    >>> written_tokens("It MAY rain.")
    ['It', 'MAY', 'rain', '.']
    """
    return [text[start:end] for start, end in tokenize(text)[1]]
