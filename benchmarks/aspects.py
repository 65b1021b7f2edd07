"""Cue types and aspects: the table of issue 14, and what they cost at scoring time.

Run from the repository root, with ``../shared/data`` beside it::

    python -m benchmarks.aspects [--model PATH]

* aspects: macro-F1 over certain/uncertain/absent of each of the six aspects on the
  Pei & Jurgens aspect test split (judged only), their mean, and the share of uncertain
  aspects that name a cue;
* cue types: accuracy and macro-F1 of the type of each found cue that overlaps an
  annotated cue, on Szeged wiki and FactBank folds 8-9 (judged only), against the
  majority type of each lexicon entry in the training files. Szeged has no
  ``low_probability`` or ``attribution`` type: a predicted ``low_probability`` counts as
  ``epistemic`` (Szeged's ``speculation_modal_probable``), ``attribution`` stays wrong;
* sentence-level types: macro-F1 over the four Szeged types of "the sentence has a cue
  of this type", same files;
* cost: sentences per second on the aspect test and wiki judged sentences, with types
  and aspects off, types on, both on (best of ``--repeats``).
"""

from __future__ import annotations

import argparse
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path

from benchmarks.corpora import (
    DEFAULT_DATA,
    OWN_CORPUS,
    TypedSentence,
    aspect_split,
    typed_cues_judged,
    typed_cues_train,
)
from classifier.io.archive import load_scorer
from classifier.model.aspects import ASPECTS, JUDGMENTS
from classifier.model.cuetypes import hedge_indices, labeled_cues
from classifier.model.scorer import Scorer

#: Pei & Jurgens' TF-IDF logistic regression per aspect (SPLITS.md).
REFERENCE = {
    "number": 0.588,
    "extent": 0.599,
    "probability": 0.599,
    "condition": 0.320,
    "suggestion": 0.490,
    "framing": 0.610,
}
#: The Szeged cue types, which the judged files use.
SZEGED = ("epistemic", "doxastic", "investigation", "condition")


def macro_f1(gold: Sequence[str], predicted: Sequence[str], classes: Sequence[str]) -> float:
    """Return the mean over ``classes`` of each class's F1 (0 for a class never seen)."""
    scores = []
    for c in classes:
        tp = sum(g == c and p == c for g, p in zip(gold, predicted, strict=True))
        fp = sum(g != c and p == c for g, p in zip(gold, predicted, strict=True))
        fn = sum(g == c and p != c for g, p in zip(gold, predicted, strict=True))
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(scores) / len(scores)


def as_szeged(kind: str | None) -> str | None:
    """Return a type in Szeged's scheme, where low probability is epistemic."""
    return "epistemic" if kind == "low_probability" else kind


def aspect_table(scorer: Scorer, data: Path) -> None:
    """Print the per-aspect macro-F1 on the test split, and the explained share."""
    test = aspect_split("test", data)
    scored = scorer.with_outputs(aspects=True).score_sentences([text for text, _ in test])
    print(f"aspects: Pei & Jurgens test split, {len(test)} sentences")
    print("| aspect | macro-F1 | reference (TF-IDF LR) | majority |")
    print("| --- | ---: | ---: | ---: |")
    ours, uncertain, explained = [], 0, 0
    for aspect in ASPECTS:
        gold = [judged[aspect] for _, judged in test]
        predicted = []
        for score in scored:
            one = next(a for a in score.aspects if a.aspect == aspect)
            predicted.append(one.label)
            if one.label == "uncertain":
                uncertain += 1
                explained += bool(one.cues)
        majority = Counter(judged[aspect] for _, judged in aspect_split("train", data))
        top = majority.most_common(1)[0][0]
        f1 = macro_f1(gold, predicted, JUDGMENTS)
        ours.append(f1)
        base = macro_f1(gold, [top] * len(gold), JUDGMENTS)
        print(f"| {aspect} | {f1:.3f} | {REFERENCE[aspect]:.3f} | {base:.3f} |")
    mean = sum(ours) / len(ours)
    print(f"| mean | {mean:.3f} | 0.534 | 0.27 |")
    share = explained / uncertain if uncertain else float("nan")
    print(f"uncertain aspects naming a cue: {explained}/{uncertain} ({share:.1%})")


def entry_majority(scorer: Scorer, train: list[TypedSentence]) -> dict[str, str]:
    """Return the majority gold type of each lexicon entry among the training cues."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for sentence in train:
        for features, kind in labeled_cues(scorer.analyzer, sentence.text, sentence.cues):
            counts[features[0]][kind] += 1  # features[0] is "entry=..."
    return {entry: c.most_common(1)[0][0] for entry, c in counts.items()}


def type_tables(scorer: Scorer, data: Path, corpus: Path) -> None:
    """Print cue type accuracy and macro-F1, and sentence-level type macro-F1."""
    typer = scorer.cue_types
    assert typer is not None
    majority = entry_majority(scorer, typed_cues_train(data, corpus))
    overall = Counter(majority.values()).most_common(1)[0][0]
    print("\ncue types: found cues overlapping an annotated cue (Szeged folds 8-9)")
    print("| set | cues | accuracy | macro-F1 | majority per entry: accuracy | macro-F1 |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    sentence_rows = []
    for name, sentences in typed_cues_judged(data).items():
        gold, ours, base = [], [], []
        for sentence in sentences:
            for features, kind in labeled_cues(scorer.analyzer, sentence.text, sentence.cues):
                gold.append(kind)
                ours.append(as_szeged(typer.model.predict(features)[0]))
                base.append(as_szeged(majority.get(features[0], overall)))
        accuracy = sum(g == p for g, p in zip(gold, ours, strict=True)) / len(gold)
        base_accuracy = sum(g == p for g, p in zip(gold, base, strict=True)) / len(gold)
        print(
            f"| {name} | {len(gold)} | {accuracy:.3f} | {macro_f1(gold, ours, SZEGED):.3f} "
            f"| {base_accuracy:.3f} | {macro_f1(gold, base, SZEGED):.3f} |"
        )
        sentence_rows.append((name, sentences, sentence_f1(scorer, sentences)))
    print("\nsentence-level types present (macro-F1 over the four Szeged types)")
    print("| set | sentences | macro-F1 | " + " | ".join(SZEGED) + " |")
    print("| --- | ---: | ---: |" + " ---: |" * len(SZEGED))
    for name, sentences, (mean, per_type) in sentence_rows:
        cells = " | ".join(f"{per_type[t]:.3f}" for t in SZEGED)
        print(f"| {name} | {len(sentences)} | {mean:.3f} | {cells} |")


def sentence_f1(
    scorer: Scorer, sentences: list[TypedSentence]
) -> tuple[float, dict[str, float]]:
    """Return the macro-F1 over Szeged types of "has a cue of this type", and each F1."""
    typer = scorer.cue_types
    assert typer is not None
    per_type = {}
    predicted = []
    for sentence in sentences:
        analysis = scorer.analyzer.analyze(sentence.text)
        types = typer.types(analysis)
        predicted.append({as_szeged(types[i]) for i in hedge_indices(analysis)})
    for kind in SZEGED:
        gold = ["y" if any(t == kind for *_, t in s.cues) else "n" for s in sentences]
        ours = ["y" if kind in p else "n" for p in predicted]
        per_type[kind] = macro_f1(gold, ours, ["y"])
    return sum(per_type.values()) / len(per_type), per_type


def cost_table(scorer: Scorer, data: Path, repeats: int) -> None:
    """Print sentences per second with types and aspects off and on."""
    texts = [text for text, _ in aspect_split("test", data)]
    texts += [s.text for s in typed_cues_judged(data)["wiki"]]
    print(f"\ncost: {len(texts)} sentences (aspect test + wiki folds 8-9), best of {repeats}")
    print("| outputs | sentences/s | time per sentence |")
    print("| --- | ---: | ---: |")
    for name, types, aspects in [
        ("default (off)", False, False),
        ("--with types", True, False),
        ("--with types,aspects", True, True),
    ]:
        configured = scorer.with_outputs(types=types, aspects=aspects)
        best = float("inf")
        for _ in range(repeats):
            started = time.perf_counter()
            configured.score_sentences(texts)
            best = min(best, time.perf_counter() - started)
        print(f"| {name} | {len(texts) / best:,.0f} | {best / len(texts) * 1e6:.0f} µs |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--corpus", type=Path, default=OWN_CORPUS)
    parser.add_argument("--model", help="model file (default: the bundled model)")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    scorer = load_scorer(args.model)
    if scorer.cue_types is None or scorer.aspect_model is None:
        parser.error("the model has no cue types or aspects: retrain it (scripts.train_default)")
    aspect_table(scorer, args.data)
    type_tables(scorer, args.data, args.corpus)
    cost_table(scorer, args.data, args.repeats)


if __name__ == "__main__":
    main()
