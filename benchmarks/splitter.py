"""The sentence splitter against an earlier commit's: sentences per second on one core.

Run from the repository root (a git checkout), with ``../shared/data`` beside it::

    python -m benchmarks.splitter [--against e5162de] [--rounds 15]

Both splitters split the same text: the CoNLL-2010 bio evaluation sentences, each
document's sentences joined by spaces into a paragraph, paragraphs separated by blank
lines. The earlier splitter is ``classifier/text/punkt.py`` and ``classifier/text/sentences.py`` of
``--against``, read with ``git show`` into a temporary package; it reads this checkout's
Punkt parameters. Their spans must be equal. Times are CPU time, the best of ``--rounds``
rounds that alternate the two, the process pinned to one CPU.
"""

from __future__ import annotations

import argparse
import importlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from types import ModuleType

from benchmarks.corpora import DEFAULT_DATA, REPO, evaluation_sets
from benchmarks.speed import best_cpu_seconds
from classifier.text import sentences

#: The commit before the splitter of issue 15.
BEFORE = "e5162de"
#: Name of the temporary package holding the earlier splitter.
EARLIER = "_earlier_splitter"


def earlier_splitter(commit: str, folder: Path) -> ModuleType:
    """Import ``classifier.text.sentences`` of ``commit`` (with its ``punkt``) from ``folder``."""
    package = folder / EARLIER
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    for name in ("punkt", "sentences"):
        source = subprocess.run(
            ["git", "show", f"{commit}:classifier/{name}.py"],
            cwd=REPO,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        source = source.replace("from classifier.text.punkt import", f"from {EARLIER}.punkt import")
        (package / f"{name}.py").write_text(source, encoding="utf-8")
    sys.path.insert(0, str(folder))
    return importlib.import_module(f"{EARLIER}.sentences")


def paragraphs(data: Path) -> tuple[str, int]:
    """Return the bio evaluation text, one paragraph per document, and its sentence count."""
    documents: dict[str, list[str]] = {}
    bio = evaluation_sets(data)["bio"]
    for sentence in bio:
        documents.setdefault(sentence.doc, []).append(sentence.text)
    return "\n\n".join(" ".join(texts) for texts in documents.values()), len(bio)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--against", default=BEFORE, help="commit (default: %(default)s)")
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    text, n = paragraphs(args.data)
    cpus = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {min(cpus)})
    try:
        with tempfile.TemporaryDirectory() as folder:
            earlier = earlier_splitter(args.against, Path(folder))
            ours = [(s.start, s.end) for s in sentences.split_sentences(text)]
            theirs = [(s.start, s.end) for s in earlier.split_sentences(text)]
            if ours != theirs:
                sys.exit(f"the spans differ from those of {args.against}")
            best = best_cpu_seconds(
                {
                    args.against: lambda: earlier.split_sentences(text),
                    "this checkout": lambda: sentences.split_sentences(text),
                },
                args.rounds,
            )
    finally:
        os.sched_setaffinity(0, cpus)
    print(f"{n:,} bio sentences, {len(ours):,} spans, best of {args.rounds} rounds, one core")
    for name, seconds in best.items():
        print(f"split_sentences at {name}: {n / seconds:,.0f} sentences/s")
    print(f"speed-up: {best[args.against] / best['this checkout']:.2f}x")


if __name__ == "__main__":
    main()
