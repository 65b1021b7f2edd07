"""Instructions per sentence under valgrind's callgrind: ours against VADER, on any machine.

CPU time on a shared machine varies from run to run; instruction counts do not. Each
workload runs in its own ``valgrind --tool=callgrind`` process on the first ``--sentences``
CoNLL-2010 bio evaluation sentences; a run that only loads (imports, the model, the
sentences, and one sentence scored by each scorer, for what loads on first use) is
subtracted from each. Run from the repository root::

    python -m benchmarks.instructions [--python PATH]

``--python`` is the interpreter whose ``classifier`` is measured (e.g. one with the compiled
wheel installed); it runs outside the checkout so that it imports its installed package.
VADER (``pip install vaderSentiment``) must be importable by it.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.corpora import DEFAULT_DATA, evaluation_sets

LOAD = """
import json, sys
sentences = json.load(open(sys.argv[1], encoding="utf-8"))
import classifier
from classifier.compiled import build_name
scorer = classifier.load()
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
vader = SentimentIntensityAnalyzer()
document = " ".join(sentences)
scorer.score(sentences[0]), vader.polarity_scores(sentences[0])  # what loads on first use
print(build_name())
"""
#: Each workload, run after LOAD.
WORKLOADS = {
    "load": "",
    "predict_proba": "scorer.certainty(sentences)",
    "score": "scorer.score(document)",
    "vader": "[vader.polarity_scores(s) for s in sentences]",
}
COLLECTED = re.compile(r"Collected : (\d+)")


def instructions(python: str, code: str, sentences: Path, cwd: str) -> tuple[int, str]:
    """Return the instructions ``code`` runs under callgrind, and the build it printed."""
    result = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", python, "-c", code,
         str(sentences)],
        cwd=cwd, capture_output=True, text=True, check=True,
    )  # fmt: skip
    match = COLLECTED.search(result.stderr)
    assert match is not None, result.stderr
    return int(match.group(1)), result.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--sentences", type=int, default=2000)
    args = parser.parse_args()
    sentences = [s.text for s in evaluation_sets(args.data)["bio"]][: args.sentences]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp, "sentences.json")
        path.write_text(json.dumps(sentences), encoding="utf-8")
        counts, builds = {}, set()
        for name, work in WORKLOADS.items():
            counts[name], build = instructions(args.python, LOAD + work, path, tmp)
            builds.add(build)
    (build,) = builds
    per = {name: (counts[name] - counts["load"]) / len(sentences) for name in WORKLOADS}
    print(f"{build}; {len(sentences):,} bio sentences; instructions per sentence, load excluded")
    print("| measure | instructions per sentence | / VADER |")
    print("| --- | ---: | ---: |")
    for name in ("predict_proba", "score", "vader"):
        print(f"| {name} | {per[name]:,.0f} | {per['vader'] / per[name]:.2f}x |")


if __name__ == "__main__":
    main()
