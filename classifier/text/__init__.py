"""Text: where a text is cut into tokens and sentences.

``tokens`` (words and their offsets), ``punkt`` (the Punkt sentence-boundary parameters and
decisions) and ``sentences`` (:func:`~classifier.text.sentences.split_sentences`: text into
:class:`~classifier.text.sentences.Sentence` spans). Imports nothing else of the package
but ``bundled``.
"""
