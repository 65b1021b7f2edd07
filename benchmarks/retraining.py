"""Retraining pays off: wiki F1 from bio alone vs bio + wiki; graded r from the graded split.

Run from the repository root: ``python -m benchmarks.retraining``. Only training files of
SPLITS.md train; the wiki evaluation folds and the graded test split only judge.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from scipy.stats import pearsonr, spearmanr

from benchmarks.accuracy import f1_uncertain
from benchmarks.corpora import DEFAULT_DATA, bio_train, evaluation_sets, graded_train, wiki_train
from classifier.model import CertaintyClassifier


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    tests = evaluation_sets(args.data)
    wiki_test = tests["wiki"]
    print("| trained on | sentences | wiki F1 (folds 8-9) |")
    print("| --- | ---: | ---: |")
    for name, train in [
        ("bio train", bio_train(args.data)),
        ("bio train + wiki folds 0-7", bio_train(args.data) + wiki_train(args.data)),
    ]:
        clf = CertaintyClassifier().fit([s.text for s in train], [s.label for s in train])
        predicted = clf.predict([s.text for s in wiki_test])
        _, _, f1 = f1_uncertain([s.label for s in wiki_test], np.asarray(predicted))
        print(f"| {name} | {len(train)} | {f1:.3f} |")
    graded = graded_train(args.data)
    clf = CertaintyClassifier().fit(
        [s.text for s in graded], [s.label for s in graded], [s.rating for s in graded]
    )
    test = tests["graded"]
    ratings = [s.rating for s in test]
    predicted_ratings = clf.predict_rating([s.text for s in test])
    print()
    print("| trained on | sentences | graded test Pearson r | Spearman |")
    print("| --- | ---: | ---: | ---: |")
    print(
        f"| Pei & Jurgens train + val (ratings) | {len(graded)} "
        f"| {pearsonr(predicted_ratings, ratings).statistic:.3f} "
        f"| {spearmanr(predicted_ratings, ratings).statistic:.3f} |"
    )


if __name__ == "__main__":
    main()
