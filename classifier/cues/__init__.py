"""Cues: where hedge cues are found in a sentence and judged in context.

``lexicon`` (the TSV lexicons, read and checked), ``matcher`` (finds every lexicon entry in
a sentence: :class:`~classifier.cues.matcher.Cue`), ``rules`` (small functions that keep,
drop or negate a match in context), ``analysis`` (a sentence's kept cues and the features
they give: the reference definition of the features) and ``fast`` (the same features and sum
fused into one pass for scoring, proved equal to ``analysis`` by ``tests/test_fast.py``).
Builds on :mod:`classifier.text`.
"""
