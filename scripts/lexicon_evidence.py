"""Measure how often each hedge cue of the lexicon is really a cue, on training data only.

For every entry of ``lexicons/hedges.tsv`` it counts the matches in the training corpora
with cue annotations (bio train, wiki folds 0-7) and how many of them overlap an
annotated cue. With ``--update`` it rewrites the weight and note columns of entries with
enough evidence. It also lists annotated cues that no entry matched.

Run from the repository root: ``python -m scripts.lexicon_evidence --update``.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from benchmarks.corpora import DEFAULT_DATA, bio_train, wiki_train
from classifier.features import CueFeaturizer
from classifier.lexicon import BOOSTER

HEDGES = Path("lexicons/hedges.tsv")

#: Matches needed before the measured share replaces a judgment.
MIN_EVIDENCE = 5


def measure(data: Path) -> tuple[Counter[str], Counter[str], Counter[str]]:
    featurizer = CueFeaturizer(lexicon="lexicons", min_df=1).fit([])
    matched: Counter[str] = Counter()
    hits: Counter[str] = Counter()
    missed: Counter[str] = Counter()
    for sentence in bio_train(data) + wiki_train(data):
        cues = featurizer.analyze(sentence.text).cues
        for cue in cues:
            if not cue.kept or cue.category == BOOSTER:
                continue
            matched[cue.entry] += 1
            if any(s < cue.end and cue.start < e for s, e in sentence.cues):
                hits[cue.entry] += 1
        for s, e in sentence.cues:
            if not any(c.kept and c.start < e and s < c.end for c in cues):
                missed[sentence.text[s:e].lower()] += 1
    return matched, hits, missed


def update(matched: Counter[str], hits: Counter[str]) -> None:
    lines = HEDGES.read_text(encoding="utf-8").splitlines(keepends=True)
    out = []
    for line in lines:
        fields = line.rstrip("\n").split("\t")
        if line.startswith("#") or fields[0] == "cue" or matched[fields[0]] < MIN_EVIDENCE:
            out.append(line)
            continue
        n, k = matched[fields[0]], hits[fields[0]]
        weight = (k + 1) / (n + 2)  # Laplace-smoothed share of matches that are cues
        out.append(f"{fields[0]}\t{fields[1]}\t{weight:.3f}\ttrain {k}/{n}\n")
    HEDGES.write_text("".join(out), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--update", action="store_true", help="rewrite weights in hedges.tsv")
    parser.add_argument("--missed", type=int, default=40, help="how many missed cues to list")
    args = parser.parse_args()
    matched, hits, missed = measure(args.data)
    for entry, n in matched.most_common():
        print(f"{entry}\t{hits[entry]}/{n}")
    print("\n# annotated cues no entry matched:")
    for text, n in missed.most_common(args.missed):
        print(f"{text}\t{n}")
    if args.update:
        update(matched, hits)


if __name__ == "__main__":
    main()
