"""Accuracy of a model on every judged set, with the default convention and each corpus's own.

Run from the repository root: ``python -m benchmarks.accuracy [--model PATH] [--loco] [--loso]``.
The real-text judged part comes first: in all, strict, per genre and per source.
``--loco`` adds leave-one-corpus-out F1: the model is retrained without each corpus (its C
fixed to the bundled model's) and judged on that corpus's judged part with the default
convention, or, when our own corpus is left out, with the shared weights. ``--loso`` adds
leave-one-source-out F1 on the real text.
"""

from __future__ import annotations

import argparse
from itertools import combinations
from pathlib import Path

import numpy as np
from scipy.stats import pearsonr, spearmanr

from benchmarks.corpora import (
    DEFAULT_DATA,
    OWN_CORPUS,
    REALTEXT,
    Sentence,
    evaluation_sets,
    minimal_pairs,
    realtext_judged,
    realtext_rows,
)
from classifier.model.estimator import CertaintyClassifier
from classifier.model.labels import UNCERTAIN, precision_recall_f1
from classifier.model.scorer import Scorer

#: Plain TF-IDF logistic regression, from shared/data/SPLITS.md.
REFERENCE = {
    "bio": 0.771,
    "wiki": 0.761,
    "news": 0.570,
    "reviews": 0.512,
    "wiki-original": 0.431,
    "graded": 0.562,
}
#: The corpus convention each judged set follows (a training domain of the model).
OWN_CONVENTION = {
    "bio": "bio",
    "wiki": "wiki",
    "news": "news",
    "reviews": "reviews",
    "graded": "science",
}
#: The targets of the everyday-accuracy issue: (default model, own convention).
TARGETS = {
    "realtext": (0.88, None),
    "guideline": (0.92, None),
    "bio": (None, 0.87),
    "wiki": (None, 0.85),
    "news": (0.85, None),
    "reviews": (0.80, None),
    "wiki-original": (0.65, None),
    "graded": (0.75, None),
}
#: The training domain that each judged set's leave-one-corpus-out run leaves out.
LEFT_OUT = {"guideline": "guideline", "bio": "bio", "wiki": "wiki", "news": "news",
            "reviews": "reviews", "graded": "science"}  # fmt: skip


def f1_of(scorer: Scorer, sentences: list[Sentence]) -> tuple[float, float, float, float]:
    """Return precision, recall and F1 of ``uncertain``, and the share of them explained."""
    scores = scorer.score_sentences([s.text for s in sentences])
    predicted = np.array([s.label == UNCERTAIN for s in scores])
    actual = np.array([s.label == UNCERTAIN for s in sentences])
    explained = [bool(s.cues) for s in scores if s.label == UNCERTAIN]
    return (*precision_recall_f1(actual, predicted), float(np.mean(explained or [1.0])))


def correlations(scorer: Scorer, sentences: list[Sentence]) -> tuple[float, float]:
    """Return Pearson and Spearman of the graded output with the sentences' ratings."""
    predicted = scorer.ratings([s.text for s in sentences])
    gold = [s.rating for s in sentences]
    return float(pearsonr(predicted, gold).statistic), float(spearmanr(predicted, gold).statistic)


def order_respected(scorer: Scorer, groups: list[list[tuple[str, float]]]) -> tuple[int, int]:
    """Count the pairs of differently rated wordings whose graded outputs are in the same order."""
    right = total = 0
    for group in groups:
        predicted = scorer.ratings([text for text, _ in group])
        for (a, ra), (b, rb) in combinations(zip(predicted, [r for _, r in group], strict=True), 2):
            if ra != rb:
                total += 1
                right += (a - b) * (ra - rb) > 0
    return right, total


def _strict(sentence: Sentence, rows: dict[str, dict]) -> bool:
    """Return whether both annotators gave the sentence's label and neither hesitated."""
    annotators = rows[sentence.id]["annotators"]
    return all(a["label"] == sentence.label and not a["borderline"] for a in annotators)


def realtext_table(clf: CertaintyClassifier, data: Path, realtext: Path = REALTEXT) -> None:
    """Print F1 on the real-text judged part: in all, strict, per genre and per source."""
    from collections import defaultdict

    scorer = clf.to_scorer()
    sentences = realtext_judged(data, realtext)
    rows = {r["id"]: r for r in realtext_rows(data, realtext)}
    groups: dict[str, list[Sentence]] = defaultdict(list)
    for s in sentences:
        groups[f"genre {s.genre}"].append(s)
        groups[f"source {s.source}"].append(s)
    print("| real text, judged part | n | uncertain | precision | recall | F1 |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    named = {"all": sentences, "strict (both sure)": [s for s in sentences if _strict(s, rows)]}
    for name, part in [*named.items(), *sorted(groups.items())]:
        precision, recall, f1, _ = f1_of(scorer, part)
        uncertain = sum(s.label == UNCERTAIN for s in part)
        print(f"| {name} | {len(part)} | {uncertain} | {precision:.3f} | {recall:.3f} | {f1:.3f} |")
    ratings = scorer.ratings([s.text for s in sentences])
    r, rho = correlations(scorer, sentences)
    print(
        f"| rating | {len(sentences)} | | range {min(ratings):.2f} to {max(ratings):.2f} "
        f"| r {r:.3f} | Spearman {rho:.3f} |"
    )


def table(clf: CertaintyClassifier, data: Path, corpus: Path) -> None:
    default = clf.to_scorer()
    print(
        "| set | n | precision | recall | F1 / r | own convention | target | reference "
        "| explained |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, sentences in evaluation_sets(data, corpus).items():
        target = " / ".join("—" if t is None else f"{t:.2f}" for t in TARGETS[name])
        reference = f"{REFERENCE[name]:.3f}" if name in REFERENCE else "—"
        own = OWN_CONVENTION.get(name)
        if name == "realtext":
            continue  # realtext_table
        if name == "graded":
            r, rho = correlations(default, sentences)
            own_r = correlations(clf.to_scorer(own), sentences)[0] if own else float("nan")
            print(
                f"| graded (rating) | {len(sentences)} | | | r {r:.3f} (Spearman {rho:.3f}) "
                f"| r {own_r:.3f} | {target} | {reference} | |"
            )
            continue
        precision, recall, f1, explained = f1_of(default, sentences)
        own_f1 = f"{f1_of(clf.to_scorer(own), sentences)[2]:.3f}" if own else "—"
        print(
            f"| {name} | {len(sentences)} | {precision:.3f} | {recall:.3f} | {f1:.3f} "
            f"| {own_f1} | {target} | {reference} | {explained:.1%} |"
        )
        if name == "guideline":
            r, rho = correlations(default, sentences)
            print(
                f"| guideline (rating) | {len(sentences)} | | | r {r:.3f} (Spearman {rho:.3f}) "
                "| | | | |"
            )
    groups = minimal_pairs()
    right, total = order_respected(default, groups)
    print(
        f"| minimal pairs, order respected | {len(groups)} groups | | | {right / total:.1%} "
        f"({right}/{total}) | | 95% | | |"
    )


def leave_one_out(clf: CertaintyClassifier, data: Path, corpus: Path) -> None:
    from benchmarks.corpora import training_parts
    from scripts.train_default import fit_domains

    judged = evaluation_sets(data, corpus)
    parts = training_parts(data, corpus)
    print("| left out | judged on | F1 / r, trained without it |")
    print("| --- | --- | ---: |")
    for name, domain in LEFT_OUT.items():
        sentences = [s for d, part in parts.items() if d != domain for s in part]
        model = fit_domains(sentences, C=clf.cv_metrics_["C"])
        scorer = model.to_scorer()
        if name == "graded":
            value = f"r {correlations(scorer, judged[name])[0]:.3f}"
        else:
            value = f"{f1_of(scorer, judged[name])[2]:.3f}"
        print(f"| {domain} | {name} | {value} |", flush=True)


#: The public corpus each real-text source relabels: left out with it.
ORIGIN = {"factbank": "news", "sfu": "reviews", "szeged-wiki": "wiki", "bioscope": "bio",
          "pei-jurgens": "science"}  # fmt: skip


def leave_one_source_out(clf: CertaintyClassifier, data: Path, corpus: Path) -> None:
    """Print F1 on each real-text source's judged part, trained without that source.

    A relabelled public corpus is left out with its source, so that no sentence of the
    source is seen under any convention.
    """
    from benchmarks.corpora import training_parts
    from scripts.train_default import fit_domains

    judged = realtext_judged(data)
    parts = training_parts(data, corpus)
    print("| left out | judged sentences | uncertain | F1, trained without it |")
    print("| --- | ---: | ---: | ---: |")
    f1s = []
    for source in sorted({s.source for s in judged}):
        sentences = [
            s
            for domain, part in parts.items()
            if domain != ORIGIN.get(source)
            for s in part
            if s.source != source
        ]
        scorer = fit_domains(sentences, C=clf.cv_metrics_["C"]).to_scorer()
        part = [s for s in judged if s.source == source]
        f1 = f1_of(scorer, part)[2]
        f1s.append(f1)
        uncertain = sum(s.label == UNCERTAIN for s in part)
        print(f"| {source} | {len(part)} | {uncertain} | {f1:.3f} |", flush=True)
    print(f"| mean | | | {np.mean(f1s):.3f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--corpus", type=Path, default=OWN_CORPUS)
    parser.add_argument("--model", type=Path, default=None, help="default: the bundled model")
    parser.add_argument("--loco", action="store_true", help="add leave-one-corpus-out F1")
    parser.add_argument(
        "--loso", action="store_true", help="add leave-one-source-out F1 on the real text"
    )
    args = parser.parse_args()
    clf = CertaintyClassifier.load(args.model)
    realtext_table(clf, args.data)
    print()
    table(clf, args.data, args.corpus)
    if args.loco:
        print()
        leave_one_out(clf, args.data, args.corpus)
    if args.loso:
        print()
        leave_one_source_out(clf, args.data, args.corpus)


if __name__ == "__main__":
    main()
