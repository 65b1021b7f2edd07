"""Measure how often each hedge cue of the lexicon is really a cue, on training data only.

For every entry of ``lexicons/hedges.tsv`` it counts, in each training corpus with cue
annotations (bio train, wiki, FactBank news and SFU reviews folds 0-7, the training part
of the real-text corpus and that of our written corpus), the matches and how many of them
overlap an annotated cue. The prior weight is the mean over the corpora with enough
matches of each corpus's Laplace-smoothed share, so that no one convention decides it.
With ``--update`` it rewrites the weight and note columns of entries with enough
evidence. It also lists annotated cues that no entry matched.

Run from the repository root: ``python -m scripts.lexicon_evidence --update``.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from benchmarks.corpora import DEFAULT_DATA, OWN_CORPUS, Sentence, training_parts
from classifier.cues.lexicon import BOOSTER
from classifier.model.features import CueFeaturizer
from classifier.model.labels import UNCERTAIN

HEDGES = Path("lexicons/hedges.tsv")

#: Matches needed before the measured share replaces a judgment.
MIN_EVIDENCE = 5


Counts = dict[str, Counter[str]]


def measure(data: Path, corpus: Path) -> tuple[Counts, Counts, Counter[str]]:
    """Return matches and hits per corpus (by entry), and the annotated cues no entry matched."""
    featurizer = CueFeaturizer(lexicon="lexicons", min_df=1).fit([])
    matched: Counts = {}
    hits: Counts = {}
    missed: Counter[str] = Counter()
    by_corpus: dict[str, list[Sentence]] = {}
    for sentences in training_parts(data, corpus).values():
        for s in sentences:
            # graded-only sentences and uncertain ones whose cues were not marked (the
            # shared seed) say nothing about which words are cues
            if s.label is not None and s.domain != "science" and (s.cues or s.label != UNCERTAIN):
                by_corpus.setdefault("realtext" if s.source else s.domain, []).append(s)
    for domain, annotated in by_corpus.items():
        matched[domain], hits[domain] = Counter(), Counter()
        for sentence in annotated:
            cues = featurizer.analyze(sentence.text).cues
            for cue in cues:
                if not cue.kept or cue.category == BOOSTER:
                    continue
                matched[domain][cue.entry] += 1
                if any(s < cue.end and cue.start < e for s, e in sentence.cues):
                    hits[domain][cue.entry] += 1
            for s, e in sentence.cues:
                if not any(c.kept and c.start < e and s < c.end for c in cues):
                    missed[sentence.text[s:e].lower()] += 1
    return matched, hits, missed


def prior(entry: str, matched: Counts, hits: Counts) -> tuple[float, str] | None:
    """Return the mean per-corpus Laplace share of an entry and its note, or None."""
    shares, notes = [], []
    for domain in matched:
        n, k = matched[domain][entry], hits[domain][entry]
        if n >= MIN_EVIDENCE:
            shares.append((k + 1) / (n + 2))
            notes.append(f"{domain} {k}/{n}")
    if not shares:
        return None
    return sum(shares) / len(shares), "train " + ", ".join(notes)


def update(matched: Counts, hits: Counts) -> None:
    lines = HEDGES.read_text(encoding="utf-8").splitlines(keepends=True)
    out = []
    for line in lines:
        fields = line.rstrip("\n").split("\t")
        evidence = (
            None if line.startswith("#") or fields[0] == "cue" else prior(fields[0], matched, hits)
        )
        if evidence is None:
            out.append(line)
            continue
        weight, note = evidence
        out.append(f"{fields[0]}\t{fields[1]}\t{weight:.3f}\t{note}\n")
    HEDGES.write_text("".join(out), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--corpus", type=Path, default=OWN_CORPUS)
    parser.add_argument("--update", action="store_true", help="rewrite weights in hedges.tsv")
    parser.add_argument("--missed", type=int, default=40, help="how many missed cues to list")
    args = parser.parse_args()
    matched, hits, missed = measure(args.data, args.corpus)
    total: Counter[str] = sum(matched.values(), Counter())
    for entry, _ in total.most_common():
        print(entry, prior(entry, matched, hits))
    print("\n# annotated cues no entry matched:")
    for text, n in missed.most_common(args.missed):
        print(f"{text}\t{n}")
    if args.update:
        update(matched, hits)


if __name__ == "__main__":
    main()
