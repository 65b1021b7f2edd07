"""Check that scoring time grows linearly with the length of the text.

Scores realistic prose of N and 10 N characters (built from a few written sentences,
in a seeded random order, with a paragraph break now and then) and reports the ratio
of the times, best of ``--repeat`` runs. Linear code gives a ratio near 10; the target
is at most 12. Also times the pathological inputs of the robustness tests (one long
sentence, thousands of cues) at two sizes. From the repository root::

    python -m fuzz.bench_linearity            # 100 KB vs 1 MB
    python -m fuzz.bench_linearity --size 50000
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable

from classifier.model.estimator import CertaintyClassifier

#: Target for time(10 N) / time(N).
MAX_RATIO = 12.0

SENTENCES = (
    "Russia annexed Crimea from Ukraine in 2014.",
    "The new protein may play a role in DNA repair, although its partners remain unknown.",
    "Dr. Smith et al. reported similar results in Fig. 2 of their paper.",
    "It is not clear whether the drug reduces mortality in older patients.",
    "The committee approved the budget on 3 May 2021 by a vote of 7 to 2.",
    'The minister said the talks were "likely to fail" without U.S. support.',
    "These data suggest that the enzyme is required for growth at 37 degrees.",
    "The chances of an agreement before the deadline are slim.",
    "Sales rose by approximately 4.5 percent, e.g. in the northern region.",
    "The river floods every spring.",
    "Some experts believe the policy could be reversed, but no decision has been made.",
    "There is no doubt that the bridge was built in 1932.",
)


def prose(size: int, seed: int = 0) -> str:
    """Return about ``size`` characters of prose made of :data:`SENTENCES`."""
    rng = random.Random(seed)
    parts: list[str] = []
    length = 0
    while length < size:
        sentence = rng.choice(SENTENCES)
        separator = "\n\n" if rng.random() < 0.1 else " "
        parts.append(sentence + separator)
        length += len(sentence) + len(separator)
    return "".join(parts)[:size]


def best_time(score: Callable[[str], object], text: str, repeat: int) -> float:
    """Return the fastest of ``repeat`` runs of ``score(text)``, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        score(text)
        times.append(time.perf_counter() - start)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    """Time the scorer at two sizes; return 1 if the prose ratio is above the target."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=100_000, help="N, in characters")
    parser.add_argument("--factor", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    clf = CertaintyClassifier.load()
    clf.scorer_.score(prose(10_000))  # warm up: the splitter and lexicon load on first use
    small = args.size
    inputs = {
        "prose": prose,
        "one sentence, no punctuation": lambda n: ("the protein binds the receptor " * n)[:n],
        "'may ' repeated": lambda n: ("may " * n)[:n],
        "quoted cues": lambda n: ('"may" \u201cmight\u201d ' * n)[:n],
        "false friends": lambda n: ("military might " * n)[:n],
    }
    print(f"{'input':32} {'time(N)':>12} {f'time({args.factor} N)':>14}  ratio")
    failed = False
    for name, make in inputs.items():
        # the pathological inputs at a tenth of the size, to keep the run short
        n = small if name == "prose" else small // 10
        t_small = best_time(clf.score, make(n), args.repeat)
        t_large = best_time(clf.score, make(n * args.factor), args.repeat)
        ratio = t_large / t_small
        print(f"{name:32} {t_small:12.3f} s {t_large:12.3f} s  {ratio:6.1f}  (N = {n:,})")
        if name == "prose" and ratio > MAX_RATIO * args.factor / 10:
            failed = True
    print(f"target: prose ratio at most {MAX_RATIO:g} for a factor of 10", "FAILED" * failed)
    return int(failed)


if __name__ == "__main__":
    raise SystemExit(main())
