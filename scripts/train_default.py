"""Train the bundled default model on every training file SPLITS.md allows.

Run from the repository root: ``python -m scripts.train_default``. Same data and seed
give a byte-identical model file.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from pathlib import Path

from benchmarks.corpora import (
    DEFAULT_DATA,
    GRADED_UNCERTAIN_AT_MOST,
    bio_train,
    graded_train,
    wiki_train,
)
from classifier.model import CertaintyClassifier


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=Path("models/default.joblib"))
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    parts = {
        "conll2010/conll2010_bio_train.jsonl": bio_train(args.data),
        "szeged_uncertainty/wiki_all.jsonl (folds 0-7)": wiki_train(args.data),
        "pei_jurgens_2021/sentence_certainty_{train,val}.jsonl "
        f"(uncertain when certainty <= {GRADED_UNCERTAIN_AT_MOST})": graded_train(args.data),
    }
    sentences = [s for part in parts.values() for s in part]
    started = time.perf_counter()
    clf = CertaintyClassifier(random_state=args.seed).fit(
        [s.text for s in sentences],
        [s.label for s in sentences],
        [float("nan") if s.rating is None else s.rating for s in sentences],
    )
    seconds = time.perf_counter() - started
    training = {
        "files": {
            name: dict(Counter(s.label for s in part)) for name, part in parts.items()
        },
        "sentences": len(sentences),
        "seed": args.seed,
    }
    manifest = clf.save(args.out, training)
    print(f"trained in {seconds:.1f} s; cross-validated: {clf.cv_metrics_}")
    print(f"wrote {args.out} and {manifest}")


if __name__ == "__main__":
    main()
