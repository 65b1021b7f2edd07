"""Accuracy of a model on every evaluation set of SPLITS.md, beside the reference numbers.

Run from the repository root: ``python -m benchmarks.accuracy [--model PATH]``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from scipy.stats import pearsonr, spearmanr

from benchmarks.corpora import DEFAULT_DATA, evaluation_sets
from classifier.evaluate import precision_recall_f1
from classifier.model import UNCERTAIN, CertaintyClassifier

#: Plain TF-IDF logistic regression, from shared/data/SPLITS.md.
REFERENCE = {
    "bio": 0.771,
    "wiki": 0.761,
    "news": 0.570,
    "reviews": 0.512,
    "wiki-original": 0.431,
    "graded": 0.562,
}


def f1_uncertain(gold: list[str | None], predicted: np.ndarray) -> tuple[float, float, float]:
    """Return precision, recall and F1 of ``uncertain`` for labels against predictions."""
    actual = np.array([label == UNCERTAIN for label in gold])
    return precision_recall_f1(actual, predicted == UNCERTAIN)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--model", type=Path, default=None, help="default: the bundled model")
    args = parser.parse_args()
    clf = CertaintyClassifier.load(args.model)
    print("| set | n | precision | recall | F1 / r | reference | explained |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, sentences in evaluation_sets(args.data).items():
        texts = [s.text for s in sentences]
        if name == "graded":
            ratings = [s.rating for s in sentences]
            for output, values in [
                ("certainty", clf.certainty(texts)),
                ("predict_rating", clf.predict_rating(texts)),
            ]:
                r = pearsonr(values, ratings).statistic
                rho = spearmanr(values, ratings).statistic
                print(f"| {name} ({output}) | {len(texts)} | | | r {r:.3f} "
                      f"(Spearman {rho:.3f}) | {REFERENCE[name]:.3f} | |")
            continue
        scores = clf.score_sentences(texts)
        predicted = np.array([s.label for s in scores])
        uncertain = [s for s in scores if s.label == UNCERTAIN]
        explained = sum(bool(s.cues) for s in uncertain) / max(len(uncertain), 1)
        precision, recall, f1 = f1_uncertain([s.label for s in sentences], predicted)
        print(f"| {name} | {len(texts)} | {precision:.3f} | {recall:.3f} | {f1:.3f} "
              f"| {REFERENCE[name]:.3f} | {explained:.1%} |")


if __name__ == "__main__":
    main()
