"""Train the Punkt sentence-boundary parameters shipped in ``models/punkt/``.

The trainer is NLTK's ``PunktTrainer``; its input is the sentence text of the
training-side files of the shared data folder (see ``SPLITS.md`` there), one
training document per source document. The hand-written list
``lexicons/abbreviations.txt`` seeds the trainer and is merged into the learned
abbreviations afterwards, so training can add abbreviations but never drop ours.

The parameters are written as four plain UTF-8 text files, sorted, each with a
``# `` header line, read back by ``classifier.text.sentences.load_punkt_parameters``:

``abbrev_types.txt``   one abbreviation type per line (lowercase, no final period)
``collocations.tab``   ``type<TAB>type`` pairs that never have a boundary between them
``sent_starters.txt``  one frequent sentence-starting type per line
``ortho_context.tab``  ``type<TAB>flags``: Punkt's orthographic-context bit set, for the
                       types seen in lowercase (Punkt decides on a type seen only
                       capitalized as on an unseen one)

No corpus sentence is written, only word types and counts derived from them.

Usage::

    python scripts/build_punkt.py [DATA_DIR] [--out DIR] [--min-ortho-count N]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import nltk
from nltk.tokenize.punkt import PunktParameters, PunktTrainer

from benchmarks.corpora import JUDGED_FOLDS
from classifier.text.punkt import ORTHO_LC
from classifier.text.sentences import load_punkt_parameters

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = REPO_ROOT.parent / "shared" / "data"
DEFAULT_OUT_DIR = REPO_ROOT / "models" / "punkt"
ABBREVIATIONS_FILE = REPO_ROOT / "lexicons" / "abbreviations.txt"

# Types seen fewer times than this in training keep no orthographic context (NLTK's
# own ``freq_threshold`` default); Punkt treats an unknown type as "no evidence".
DEFAULT_MIN_ORTHO_COUNT = 2

# Shape of a learned abbreviation that is kept: letters with inner periods ("a.k.a",
# "b.c.e", "j.b"). On a corpus this size Punkt also learns ordinary words seen once,
# sentence-finally ("elk", "nun", "rye", "wit"), which would then never end a sentence;
# abbreviations without inner periods come from lexicons/abbreviations.txt only.
LEARNED_ABBREVIATION = re.compile(r"[^\W\d_]+(?:\.[^\W\d_]+)+")

Row = dict[str, Any]


def _every_row(row: Row) -> bool:
    return True


def _wiki_training_fold(row: Row) -> bool:
    return row.get("fold") not in JUDGED_FOLDS  # the split rule of benchmarks.corpora


# (path relative to the data folder, which rows may train), in training order.
TRAINING_FILES: tuple[tuple[str, Callable[[Row], bool]], ...] = (
    ("conll2010/conll2010_bio_train.jsonl", _every_row),
    ("szeged_uncertainty/wiki_all.jsonl", _wiki_training_fold),
    ("pei_jurgens_2021/sentence_certainty_train.jsonl", _every_row),
)

HEADERS = {
    "abbrev_types.txt": "# Punkt abbreviation types (lowercase, no final period)",
    "collocations.tab": "# Punkt collocations: type<TAB>type, no sentence break between",
    "sent_starters.txt": "# Punkt frequent sentence starters",
    "ortho_context.tab": "# Punkt orthographic context: type<TAB>bit flags",
}


def read_abbreviations(path: Path) -> list[str]:
    """Read the hand-written abbreviation list, strictly.

    Parameters
    ----------
    path : Path
        One lowercase abbreviation per line without its final period; blank lines
        and lines starting with ``#`` are ignored.

    Returns
    -------
    list of str
        The abbreviations in file order.

    Raises
    ------
    ValueError
        Naming ``file:line`` for an entry that has whitespace, uppercase letters or a
        final period, or that repeats an earlier one.
    """
    seen: dict[str, int] = {}
    for lineno, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        if not line or line.startswith("#"):
            continue
        where = f"{path}:{lineno}"
        if line != "".join(line.split()):
            raise ValueError(f"{where}: abbreviation contains whitespace: {line!r}")
        if line != line.lower():
            raise ValueError(f"{where}: abbreviation is not lowercase: {line!r}")
        if line.endswith("."):
            raise ValueError(f"{where}: write the abbreviation without final period: {line!r}")
        if line in seen:
            raise ValueError(f"{where}: duplicate of line {seen[line]}: {line!r}")
        seen[line] = lineno
    return list(seen)


def iter_training_documents(data_dir: Path) -> Iterator[str]:
    """Yield one training text per source document, sentences joined by newlines.

    Parameters
    ----------
    data_dir : Path
        The shared data folder holding the files of ``TRAINING_FILES``.

    Yields
    ------
    str
        The sentences of one document (rows sharing a ``doc_id``, in file order),
        one per line. Rows without a ``doc_id`` are independent sentences; each
        file's such rows form one document.
    """
    for relative_path, is_training_row in TRAINING_FILES:
        documents: dict[str, list[str]] = {}
        with (data_dir / relative_path).open(encoding="utf-8") as lines:
            for line in lines:
                row = json.loads(line)
                if is_training_row(row):
                    doc_id = str(row.get("doc_id", ""))
                    documents.setdefault(doc_id, []).append(row["text"].strip())
        for sentences in documents.values():
            yield "\n".join(sentences)


def train_parameters(
    documents: Iterable[str], abbreviations: Iterable[str], *, min_ortho_count: int
) -> PunktParameters:
    """Train Punkt on ``documents``, seeded with and merged with ``abbreviations``.

    Parameters
    ----------
    documents : iterable of str
        Training texts, one per document.
    abbreviations : iterable of str
        Known abbreviation types; they guide training and are always kept.
    min_ortho_count : int
        Types seen fewer times keep no orthographic context.

    Returns
    -------
    PunktParameters
        The learned parameters; abbreviation types are ``abbreviations`` plus the
        learned ones of shape ``LEARNED_ABBREVIATION``.
    """
    known = set(abbreviations)
    trainer = PunktTrainer()
    # Before any training ``get_params`` returns the live parameter object, which
    # training then updates in place. Our abbreviations are put back after every
    # document (training drops those it sees without a period, as "Dr" or "etc,"),
    # so the trainer's first annotation pass always treats them as abbreviations.
    params = trainer.get_params()
    for document in documents:
        params.abbrev_types.update(known)
        trainer.train(document, finalize=False)
    trainer.finalize_training()
    trainer.freq_threshold(ortho_thresh=min_ortho_count)
    learned = {typ for typ in params.abbrev_types if LEARNED_ABBREVIATION.fullmatch(typ)}
    params.abbrev_types = known | learned
    return params


def _write_atomically(path: Path, lines: Iterable[str]) -> None:
    text = "".join(f"{line}\n" for line in lines)
    handle, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        os.chmod(temp_name, 0o644)  # mkstemp creates files readable by the owner only
        os.replace(temp_name, path)
    except BaseException:
        os.unlink(temp_name)
        raise


def _check_type(typ: str) -> str:
    if not typ or typ != "".join(typ.split()):
        raise ValueError(f"type cannot be stored in a Punkt parameter file: {typ!r}")
    return typ


def _decides_ortho(flags: int) -> bool:
    """Tell whether a type's orthographic flags decide otherwise than no flags.

    Punkt reads them in two places: a capitalized token starts a sentence only with
    ``ORTHO_LC`` set, an initial joins one only without it; a lowercase token never
    does with ``ORTHO_UC`` set or ``ORTHO_BEG_LC`` unset. Flags without a lowercase
    bit decide as none do, so they are not written: loading them would only cost time.
    """
    return bool(flags & ORTHO_LC)


def write_parameters(params: PunktParameters, out_dir: Path) -> dict[str, int]:
    """Write ``params`` as the four sorted text files of ``models/punkt/``.

    Parameters
    ----------
    params : PunktParameters
        Parameters to save; ortho-context entries with no lowercase flag are skipped
        (see ``_decides_ortho``).
    out_dir : Path
        Destination folder, created if missing; each file is replaced atomically.

    Returns
    -------
    dict
        Number of entries written per file name.
    """
    ortho: Mapping[str, int] = params.ortho_context
    rows = {
        "abbrev_types.txt": sorted(_check_type(t) for t in params.abbrev_types),
        "collocations.tab": sorted(
            f"{_check_type(a)}\t{_check_type(b)}" for a, b in params.collocations
        ),
        "sent_starters.txt": sorted(_check_type(t) for t in params.sent_starters),
        "ortho_context.tab": sorted(
            f"{_check_type(t)}\t{flags}" for t, flags in ortho.items() if _decides_ortho(flags)
        ),
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, lines in rows.items():
        _write_atomically(out_dir / name, [HEADERS[name], *lines])
    return {name: len(lines) for name, lines in rows.items()}


def _check_round_trip(params: PunktParameters, out_dir: Path) -> None:
    loaded = load_punkt_parameters(out_dir)
    expected_ortho = {t: f for t, f in params.ortho_context.items() if _decides_ortho(f)}
    if (
        loaded.abbrev_types != params.abbrev_types
        or loaded.collocations != params.collocations
        or loaded.sent_starters != params.sent_starters
        or dict(loaded.ortho_context) != expected_ortho
    ):
        raise RuntimeError(f"parameters read back from {out_dir} differ from those written")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Train Punkt sentence-boundary parameters into models/punkt/."
    )
    parser.add_argument(
        "data_dir",
        nargs="?",
        type=Path,
        default=DEFAULT_DATA_DIR,
        help="shared data folder (default: %(default)s)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT_DIR,
        help="output folder (default: %(default)s)",
    )
    parser.add_argument(
        "--min-ortho-count",
        type=int,
        default=DEFAULT_MIN_ORTHO_COUNT,
        help="drop orthographic context of rarer types (default: %(default)s)",
    )
    args = parser.parse_args(argv)
    try:
        abbreviations = read_abbreviations(ABBREVIATIONS_FILE)
        params = train_parameters(
            iter_training_documents(args.data_dir),
            abbreviations,
            min_ortho_count=args.min_ortho_count,
        )
        counts = write_parameters(params, args.out)
        _check_round_trip(params, args.out)
    except (OSError, ValueError, KeyError, RuntimeError) as error:
        print(f"build_punkt: error: {error}", file=sys.stderr)
        return 1
    print(f"nltk {nltk.__version__}; wrote to {args.out}:")
    for name, count in counts.items():
        print(f"  {name}: {count} entries")
    return 0


if __name__ == "__main__":
    sys.exit(main())
