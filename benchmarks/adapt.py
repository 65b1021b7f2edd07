"""Learning curves of adaptation: the base model alone, trained from scratch, and adapted.

Each corpus in turn is the new domain (bio, wiki, news, reviews, science and our own,
``guideline``). Its base model is trained without it (:func:`scripts.train_default.fit_domains`
on every other training part, C fixed to the bundled model's), so nothing is judged on a
domain the base has seen; it predicts with our guideline's convention, or with the shared
weights when our corpus is the one left out. Then, for 50, 100, 300 and 1,000 labelled
sentences drawn by document from the domain's training part (five draws each; a draw with
fewer than five sentences of a class is drawn again), F1 of ``uncertain`` on its judged
part (science: the graded test set, ratings at or below 3.5 uncertain) of

- the base model alone,
- a model trained from scratch on the sentences (``hedge train``),
- the base adapted to them (``hedge train --from``).

Run from the repository root: ``python -m benchmarks.adapt [--quick] [--plot docs/adapt.png]``;
``--cache DIR`` keeps the leave-one-out base models between runs, ``--json PATH`` writes
every measurement, ``--load JSON...`` summarizes and plots such files (runs of some
``--domain`` each, in parallel). ``--quick`` runs two domains (reviews, news), 100 and
300 sentences, two draws, with base models trained on at most 4,000 sentences per corpus.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.accuracy import f1_of
from benchmarks.corpora import (
    DEFAULT_DATA,
    GRADED_UNCERTAIN_AT_MOST,
    OWN_CORPUS,
    Sentence,
    evaluation_sets,
    training_parts,
)
from classifier.model.estimator import CertaintyClassifier
from classifier.model.labels import UNCERTAIN

#: The judged set of each domain (a training part of benchmarks.corpora).
JUDGED = {"bio": "bio", "wiki": "wiki", "news": "news", "reviews": "reviews",
          "science": "graded", "guideline": "guideline"}  # fmt: skip
SIZES = (50, 100, 300, 1000)
DRAWS = 5
#: Fewest sentences of each class in a draw: the folds of cross-validation need them.
MIN_PER_CLASS = 5
#: The C of the bundled model, fixed for the base models (choosing it costs 4 fits each).
BASE_C = 0.3
#: What ``--quick`` runs: domains, sizes, draws and sentences per corpus in a base model.
QUICK_DOMAINS, QUICK_SIZES, QUICK_DRAWS, QUICK_PER_CORPUS = ("reviews", "news"), (100, 300), 2, 4000
LINES = ("base", "scratch", "adapted")


def judged_set(name: str, data: Path, corpus: Path) -> list[Sentence]:
    """Return the judged part of a domain, with binary labels (science's from its ratings)."""
    sentences = evaluation_sets(data, corpus)[JUDGED[name]]
    if name != "science":
        return sentences
    return [
        Sentence(
            s.text,
            "uncertain" if (s.rating or 0.0) <= GRADED_UNCERTAIN_AT_MOST else "certain",
            (),
            s.rating,
            domain="science",
            doc=s.doc,
        )
        for s in sentences
    ]


def draw(sentences: list[Sentence], size: int, rng: np.random.Generator) -> list[Sentence]:
    """Return the first ``size`` sentences of the documents in a random order."""
    documents: dict[str, list[Sentence]] = defaultdict(list)
    for s in sentences:
        documents[s.doc].append(s)
    names = list(documents)
    picked: list[Sentence] = []
    for index in rng.permutation(len(names)):
        picked += documents[names[index]]
        if len(picked) >= size:
            break
    return picked[:size]


def balanced_draw(sentences: list[Sentence], size: int, seed: int) -> tuple[list[Sentence], int]:
    """Return a draw with at least :data:`MIN_PER_CLASS` of each class, and the tries it took."""
    rng = np.random.default_rng(seed)
    for tries in range(1, 101):
        picked = draw(sentences, size, rng)
        uncertain = sum(s.label == UNCERTAIN for s in picked)
        if min(uncertain, len(picked) - uncertain) >= MIN_PER_CLASS:
            return picked, tries
    raise RuntimeError(f"no draw of {size} sentences has {MIN_PER_CLASS} of each class")


def base_model(
    name: str, parts: dict[str, list[Sentence]], cache: Path | None, per_corpus: int | None
) -> CertaintyClassifier:
    """Return the base model trained without domain ``name`` (from ``cache`` when there)."""
    from scripts.train_default import fit_domains

    tag = "" if per_corpus is None else f"-{per_corpus}"
    path = None if cache is None else cache / f"without-{name}{tag}.hedge"
    if path is not None and path.is_file():
        return CertaintyClassifier.load(path)
    rng = np.random.default_rng(0)
    sentences = []
    for domain, part in parts.items():
        if domain == name:
            continue
        if per_corpus is not None and len(part) > per_corpus:
            part = [part[i] for i in sorted(rng.choice(len(part), per_corpus, replace=False))]
        sentences += part
    started = time.process_time()
    clf = fit_domains(sentences, C=BASE_C)
    print(f"# base model without {name}: {len(sentences)} sentences, "
          f"{time.process_time() - started:.0f} s CPU", flush=True)  # fmt: skip
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        clf.save(path, {"left_out": name, "sentences": len(sentences)})
    return clf


def curve(
    name: str,
    base: CertaintyClassifier,
    train: list[Sentence],
    judged: list[Sentence],
    sizes: tuple[int, ...],
    draws: int,
) -> dict[str, Any]:
    """Measure one domain's curve: F1 of each line at each size and draw, and times."""
    started = time.perf_counter()
    base_f1 = f1_of(base.to_scorer(), judged)[2]
    base_seconds = time.perf_counter() - started
    result: dict[str, Any] = {
        "domain": name,
        "judged": len(judged),
        "base": base_f1,
        "base_scoring_seconds": base_seconds,
        "sizes": {},
    }
    for size in sizes:
        rows = []
        for k in range(draws):
            picked, tries = balanced_draw(train, size, seed=1000 * size + k)
            texts, labels = [s.text for s in picked], [s.label for s in picked]
            scratch = CertaintyClassifier().fit(texts, labels)
            started = time.process_time()
            adapted = CertaintyClassifier(base=base).fit(texts, labels)
            adapt_seconds = time.process_time() - started
            started = time.perf_counter()
            adapted_f1 = f1_of(adapted.to_scorer(), judged)[2]
            scoring_seconds = time.perf_counter() - started
            rows.append(
                {
                    "draw": k,
                    "tries": tries,
                    "scratch": f1_of(scratch.to_scorer(), judged)[2],
                    "adapted": adapted_f1,
                    "C": adapted.cv_metrics_["C"],
                    "base_scale": adapted.cv_metrics_["base_scale"],
                    "adapt_cpu_seconds": adapt_seconds,
                    "adapted_scoring_seconds": scoring_seconds,
                }
            )
        result["sizes"][str(size)] = rows
        scratch_mean = np.mean([r["scratch"] for r in rows])
        adapted_mean = np.mean([r["adapted"] for r in rows])
        print(
            f"# {name} {size}: base {base_f1:.3f}  scratch {scratch_mean:.3f}  "
            f"adapted {adapted_mean:.3f}  (C {[r['C'] for r in rows]})",
            flush=True,
        )
    return result


def summary(results: list[dict[str, Any]]) -> str:
    """Return the Markdown table of the curves and their mean over domains."""
    sizes = list(results[0]["sizes"])
    lines = [
        "| new domain | labelled sentences | base alone | from scratch | adapted "
        "| adapted − scratch |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    means: dict[str, dict[str, list[float]]] = {s: defaultdict(list) for s in sizes}
    for result in results:
        for size in sizes:
            rows = result["sizes"][size]
            scratch = [r["scratch"] for r in rows]
            adapted = [r["adapted"] for r in rows]
            lines.append(
                f"| {result['domain']} | {size} | {result['base']:.3f} "
                f"| {np.mean(scratch):.3f} ± {np.std(scratch):.3f} "
                f"| {np.mean(adapted):.3f} ± {np.std(adapted):.3f} "
                f"| {np.mean(adapted) - np.mean(scratch):+.3f} |"
            )
            means[size]["base"].append(result["base"])
            means[size]["scratch"].append(float(np.mean(scratch)))
            means[size]["adapted"].append(float(np.mean(adapted)))
    for size in sizes:
        m = {line: float(np.mean(means[size][line])) for line in LINES}
        lines.append(
            f"| **mean of {len(results)}** | {size} | {m['base']:.3f} | {m['scratch']:.3f} "
            f"| {m['adapted']:.3f} | {m['adapted'] - m['scratch']:+.3f} |"
        )
    seconds = [
        r["adapt_cpu_seconds"] for result in results for r in result["sizes"].get("300", [])
    ]
    if seconds:
        lines.append("")
        lines.append(
            f"Adapting on 300 sentences: {np.mean(seconds):.1f} s CPU on average, "
            f"{np.max(seconds):.1f} s at most ({len(seconds)} fits)."
        )
    speeds = [
        (len_ / result["base_scoring_seconds"], len_ / r["adapted_scoring_seconds"])
        for result in results
        for len_ in [result["judged"]]
        for r in result["sizes"][sizes[-1]]
    ]
    base_speed = float(np.mean([b for b, _ in speeds]))
    adapted_speed = float(np.mean([a for _, a in speeds]))
    lines.append(
        f"Scoring the judged sets: base {base_speed:,.0f} sentences/s, adapted "
        f"{adapted_speed:,.0f} sentences/s (wall clock, shared machine)."
    )
    return "\n".join(lines)


def plot(results: list[dict[str, Any]], path: Path) -> None:
    """Draw each domain's curve and their mean into ``path`` (PNG)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    panels = len(results) + 1
    columns = min(panels, 4)
    rows = -(-panels // columns)
    figure, axes = plt.subplots(rows, columns, figsize=(3.2 * columns, 2.8 * rows), squeeze=False)
    styles = {"base": ("base model alone", "tab:gray", "--"),
              "scratch": ("from scratch", "tab:orange", "-"),
              "adapted": ("adapted (--from)", "tab:blue", "-")}  # fmt: skip
    sizes = [int(s) for s in results[0]["sizes"]]
    mean: dict[str, list[list[float]]] = defaultdict(list)
    for ax, result in zip(axes.flat, results, strict=False):
        curves = {
            "base": [result["base"]] * len(sizes),
            "scratch": [np.mean([r["scratch"] for r in result["sizes"][str(s)]]) for s in sizes],
            "adapted": [np.mean([r["adapted"] for r in result["sizes"][str(s)]]) for s in sizes],
        }
        for line, values in curves.items():
            mean[line].append(values)
            label, color, style = styles[line]
            ax.plot(sizes, values, style, color=color, marker="o", ms=3, label=label)
        ax.set_title(f"new domain: {result['domain']}", fontsize=9)
    ax = axes.flat[len(results)]
    for line, values in mean.items():
        label, color, style = styles[line]
        ax.plot(sizes, np.mean(values, axis=0), style, color=color, marker="o", ms=3, label=label)
    ax.set_title(f"mean over {len(results)} domains", fontsize=9)
    ax.legend(fontsize=7, loc="lower right")
    for ax in axes.flat[: panels]:
        ax.set_xscale("log")
        ax.set_xticks(sizes, [str(s) for s in sizes])
        ax.minorticks_off()
        ax.tick_params(labelsize=7)
        ax.set_xlabel("labelled sentences of the domain", fontsize=7)
        ax.set_ylabel("F1 of uncertain, judged part", fontsize=7)
        ax.grid(alpha=0.3)
    for ax in axes.flat[panels:]:
        ax.set_visible(False)
    figure.tight_layout()
    figure.savefig(path, dpi=110)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--corpus", type=Path, default=OWN_CORPUS)
    parser.add_argument("--quick", action="store_true", help="two domains, two sizes, two draws")
    parser.add_argument("--domain", action="append", choices=sorted(JUDGED), help="only these")
    parser.add_argument("--sizes", type=int, nargs="+", help="only these sizes")
    parser.add_argument("--draws", type=int, help="draws per size")
    parser.add_argument("--cache", type=Path, help="folder keeping the base models between runs")
    parser.add_argument("--json", type=Path, help="write every measurement here")
    parser.add_argument("--plot", type=Path, help="draw the curves into this PNG")
    parser.add_argument(
        "--load", type=Path, nargs="+", help="summarize and plot these --json files instead"
    )
    args = parser.parse_args()
    if args.load:
        results = [r for path in args.load for r in json.loads(path.read_text())]
        print(summary(results))
        if args.plot is not None:
            plot(results, args.plot)
            print(f"wrote {args.plot}")
        return
    domains = args.domain or (QUICK_DOMAINS if args.quick else tuple(JUDGED))
    sizes = tuple(args.sizes or (QUICK_SIZES if args.quick else SIZES))
    draws = args.draws or (QUICK_DRAWS if args.quick else DRAWS)
    per_corpus = QUICK_PER_CORPUS if args.quick else None
    parts = training_parts(args.data, args.corpus)
    results = []
    for name in domains:
        base = base_model(name, parts, args.cache, per_corpus)
        judged = judged_set(name, args.data, args.corpus)
        results.append(curve(name, base, parts[name], judged, sizes, draws))
        if args.json is not None:
            args.json.write_text(json.dumps(results, indent=1) + "\n")
    print(summary(results))
    if args.plot is not None:
        plot(results, args.plot)
        print(f"wrote {args.plot}")


if __name__ == "__main__":
    main()
