"""One loaded classifier shared by several threads gives the same results as sequential use."""

import random
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from classifier import CertaintyClassifier

THREADS = 4

SENTENCES = [
    "Russia annexed Crimea from Ukraine in 2014.",
    "The new protein may play a role in DNA repair, although its partners remain unknown.",
    "Dr. Smith et al. reported similar results in Fig. 2.",
    "It is not clear whether the drug reduces mortality.",
    "The committee met in May 2021.",
    'The minister said the talks were "likely to fail".',
    "These data suggest that the enzyme is required for growth.",
    "The chances of an agreement before the deadline are slim.",
    "There is no doubt that the bridge was built in 1932.",
    "Military might alone will not end the war, but it might help.",
]


def make_texts(n, seed=0):
    """``n`` different texts of a few sentences each, seeded."""
    rng = random.Random(seed)
    texts = []
    for i in range(n):
        chosen = rng.sample(SENTENCES, rng.randint(1, 6))
        separators = [rng.choice([" ", "\n", "\n\n", "\r\n"]) for _ in chosen]
        texts.append(
            f"Text {i}. " + "".join(s + sep for s, sep in zip(chosen, separators, strict=True))
        )
    return texts


@pytest.fixture(scope="module")
def clf():
    return CertaintyClassifier.load()


def test_score_from_threads_equals_sequential(clf):
    texts = make_texts(200)
    sequential = [clf.scorer_.score(text) for text in texts]
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        threaded = list(pool.map(clf.scorer_.score, texts))
    assert threaded == sequential


def test_batches_from_threads_equal_sequential(clf):
    texts = make_texts(120, seed=1)
    batches = [texts[i : i + 10] for i in range(0, len(texts), 10)]
    proba = [clf.predict_proba(batch) for batch in batches]
    labels = [clf.predict(batch) for batch in batches]
    scores = [clf.scorer_.score_sentences(batch) for batch in batches]
    explained = [clf.scorer_.explain(text) for text in texts]
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        futures = (
            [pool.submit(clf.predict_proba, b) for b in batches],
            [pool.submit(clf.predict, b) for b in batches],
            [pool.submit(clf.scorer_.score_sentences, b) for b in batches],
            [pool.submit(clf.scorer_.explain, t) for t in texts],
        )
        results = [[f.result() for f in group] for group in futures]
    for got, want in zip(results[0], proba, strict=True):
        np.testing.assert_array_equal(got, want)
    for got, want in zip(results[1], labels, strict=True):
        np.testing.assert_array_equal(got, want)
    assert results[2] == scores
    assert results[3] == explained


def test_first_use_from_threads_equals_sequential():
    """Loading and the lazily built splitter and lexicon caches race on first use."""
    from classifier.cues.lexicon import _default_lexicon
    from classifier.text.sentences import _tokenizer

    texts = make_texts(8, seed=2)
    expected = [CertaintyClassifier.load().scorer_.score(text) for text in texts]
    _tokenizer.cache_clear()
    _default_lexicon.cache_clear()

    def load_and_score(text):
        return CertaintyClassifier.load().scorer_.score(text)

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        assert list(pool.map(load_and_score, texts)) == expected
