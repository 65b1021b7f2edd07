"""The one tokenizer of the package: words and punctuation with character offsets."""

from __future__ import annotations

import re

__all__ = ["TOKEN_PATTERN", "tokenize"]

#: A word (letters, digits, inner hyphens, apostrophes and periods, as in "d.c", "3.5",
#: "don't", "well-known") or one punctuation character.
TOKEN_PATTERN = re.compile(r"\w+(?:[-'’.]\w+)*|[^\w\s]")


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
        found = list(TOKEN_PATTERN.finditer(lowered))
        return [m.group() for m in found], [m.span() for m in found]
    found = list(TOKEN_PATTERN.finditer(text))
    return [m.group().lower().replace("’", "'") for m in found], [m.span() for m in found]
