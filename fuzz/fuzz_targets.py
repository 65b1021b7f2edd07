"""Fuzz targets for the parts of hedge-classifier that read untrusted input.

Run one target at a time, from the repository root::

    python -m fuzz.fuzz_targets sentences --minutes 10
    python -m fuzz.fuzz_targets scorer --minutes 10
    python -m fuzz.fuzz_targets lexicon --minutes 10
    python -m fuzz.fuzz_targets data --minutes 10

With atheris installed (``pip install atheris``) the run is coverage-guided
(libFuzzer); the corpus grows in ``fuzz/corpus/<target>/`` and a failing input is
written to ``fuzz/artifacts/``. Without atheris, or with ``--engine hypothesis``,
random bytes come from hypothesis instead, for the same time budget.

Every target takes raw bytes. Text is decoded as UTF-8 with ``surrogateescape``, so
invalid bytes become lone surrogates: every kind of Python ``str`` is reachable.
A target fails by raising: any exception other than the documented error, or an
``AssertionError`` from a broken invariant.
"""

from __future__ import annotations

import argparse
import math
import re
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

FUZZ_DIR = Path(__file__).resolve().parent
#: Longest input libFuzzer makes, in bytes; long enough for several sentences or a
#: small data file, short enough to keep thousands of runs a second.
MAX_LEN = 4096
#: An input running longer than this many seconds counts as a failure (a hang).
TIMEOUT_S = 10
#: Data file formats the ``data`` target writes, chosen by the input's first byte.
DATA_SUFFIXES = (".jsonl", ".json", ".csv", ".tsv")
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n")


def _is_blank(text: str) -> bool:
    from classifier.text.sentences import INVISIBLE_SPACES

    return not "".join(c for c in text if c not in INVISIBLE_SPACES).strip()


def decode(data: bytes) -> str:
    """Return ``data`` as text; invalid UTF-8 bytes become lone surrogates."""
    return data.decode("utf-8", "surrogateescape")


# ---------------------------------------------------------------------- targets
def check_sentences(data: bytes) -> None:
    """Split arbitrary text: sentences in order, exact, stripped, nothing lost."""
    from classifier.text.sentences import split_sentences

    text = decode(data)
    sentences = split_sentences(text)
    position = 0
    for s in sentences:
        assert position <= s.start < s.end <= len(text), (position, s)
        assert text[s.start : s.end] == s.text, s
        assert not _is_blank(s.text[0]) and not _is_blank(s.text[-1]), s
        assert not _BLANK_LINE.search(s.text), s
        assert _is_blank(text[position : s.start]), (position, s)  # only space between
        position = s.end
    assert _is_blank(text[position:]), position
    assert split_sentences(text) == sentences


#: Characters of the ``punkt`` target's text: where Python's ``re`` (ours) and the
#: ``regex`` module (NLTK's) agree on what is a word character and what is space.
PUNKT_ALPHABET = "aAbBeEiIjJsStTuU19-.,;:?!\"'()[]{}  \n\t“”‘’«»*@&#`%"
_NLTK_PUNKT: Any = None


def check_punkt(data: bytes) -> None:
    """Our Punkt gives NLTK's spans on text made of :data:`PUNKT_ALPHABET`."""
    global _NLTK_PUNKT
    from collections import defaultdict

    from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

    from classifier.text.sentences import _tokenizer

    ours = _tokenizer()
    if _NLTK_PUNKT is None:
        params = PunktParameters()
        params.abbrev_types = set(ours.params.abbrev_types)
        params.collocations = set(ours.params.collocations)
        params.sent_starters = set(ours.params.sent_starters)
        params.ortho_context = defaultdict(int, ours.params.ortho_context)
        _NLTK_PUNKT = PunktSentenceTokenizer(params)
    text = "".join(PUNKT_ALPHABET[byte % len(PUNKT_ALPHABET)] for byte in data)
    assert list(ours.span_tokenize(text)) == list(_NLTK_PUNKT.span_tokenize(text)), text


_CLASSIFIER: Any = None


def check_scorer(data: bytes) -> None:
    """Score arbitrary text: the invariants of ``CertaintyClassifier.score``."""
    global _CLASSIFIER
    if _CLASSIFIER is None:
        from classifier.model.estimator import CertaintyClassifier

        _CLASSIFIER = CertaintyClassifier.load().scorer_
    text = decode(data)
    scores = _CLASSIFIER.score(text)
    position = 0
    for s in scores:
        assert position <= s.start < s.end <= len(text), (position, s)
        assert text[s.start : s.end] == s.text, s
        assert math.isfinite(s.certainty) and 0.0 <= s.certainty <= 1.0, s
        assert s.label in ("certain", "uncertain"), s
        for cue in s.cues:
            assert s.start <= cue.start < cue.end <= s.end, (s, cue)
            if " ... " not in cue.entry:
                assert text[cue.start : cue.end] == cue.text, (s, cue)
        position = s.end
    assert _CLASSIFIER.score(text) == scores
    if scores:
        again = _CLASSIFIER.score_sentences([s.text for s in scores])
        assert [a.certainty for a in again] == [s.certainty for s in scores]


def check_lexicon(data: bytes) -> None:
    """Parse arbitrary lexicon lines: only ``LexiconError``, and sane entries."""
    from classifier.cues.lexicon import CATEGORIES, HEADER, parse_lexicon
    from classifier.errors import LexiconError

    text = decode(data)
    if data[:1] in (b"", b"\x00", b"\x01"):
        pass  # without the header line: most inputs would stop at line 1
    else:
        text = "\t".join(HEADER) + "\n" + text
    try:
        entries = parse_lexicon(text.split("\n"), "fuzz.tsv")
    except LexiconError as err:
        assert str(err).startswith("fuzz.tsv:"), err
        return
    for entry in entries:
        assert entry.category in CATEGORIES, entry
        assert 0.0 <= entry.weight <= 1.0, entry
        assert entry.parts and all(entry.parts), entry


def check_data(data: bytes) -> None:
    """Read an arbitrary labeled-data file: only ``DataError``."""
    from classifier.errors import DataError
    from classifier.io.labeled import read_labeled

    suffix = DATA_SUFFIXES[data[0] % len(DATA_SUFFIXES)] if data else ".csv"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"data{suffix}"
        path.write_bytes(data[1:])
        for threshold in (None, 3.5):
            try:
                read_labeled(path, threshold=threshold, min_per_class=0)
            except DataError as err:
                assert str(err).startswith(str(path)), err


#: Encodings the ``reader`` target writes its text in; byte 0 of the input picks one.
READER_ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "utf-16-be", "utf-32", "latin-1", "cp1252")


def check_reader(data: bytes) -> None:
    """Read text by blocks and chunks: the same text, sentences and lines as read whole.

    Byte 0 picks the encoding, byte 1 the block size in bytes (1-256), byte 2 the chunk
    size in characters (1-1024, far below the real one, so that cuts happen often) and
    bytes 3-4 seed the sizes of the text blocks handed to the chunker.
    """
    import codecs
    import io
    import random

    from classifier.io import reader
    from classifier.text.sentences import split_sentences

    if len(data) < 5:
        return
    encoding = READER_ENCODINGS[data[0] % len(READER_ENCODINGS)]
    text = decode(data[5:]).encode("utf-8", "replace").decode("utf-8")
    raw = text.encode(encoding, "replace")
    whole = raw.decode(encoding, "replace")
    if codecs.lookup(encoding).name == "utf-8":  # the reader drops a UTF-8 byte order mark
        whole = whole.removeprefix("\ufeff")
    old_block, old_chunk = reader.BLOCK_BYTES, reader.CHUNK_CHARS
    reader.BLOCK_BYTES, reader.CHUNK_CHARS = data[1] + 1, data[2] * 4 + 1
    try:
        blocks = reader.decoded_blocks("fuzz", io.BytesIO(raw), encoding, "replace")
        assert "".join(blocks) == whole, encoding
        sizes = random.Random(data[3] * 256 + data[4])
        pieces, at = [], 0
        while at < len(whole):
            step = sizes.randint(1, 300)
            pieces.append(whole[at : at + step])
            at += step
        chunks = list(reader.text_chunks(pieces))
        assert "".join(chunk for _, chunk in chunks) == whole
        assert all(
            offset == sum(len(c) for _, c in chunks[:i]) for i, (offset, _) in enumerate(chunks)
        )
        spans = [(s.start + o, s.end + o) for o, chunk in chunks for s in split_sentences(chunk)]
        assert spans == [(s.start, s.end) for s in split_sentences(whole)]
        lines = list(reader.line_pieces(pieces, 50))
        assert "".join(piece for _, _, piece in lines) == whole
        assert all(len(piece) <= 51 for _, _, piece in lines)
    finally:
        reader.BLOCK_BYTES, reader.CHUNK_CHARS = old_block, old_chunk


TARGETS: dict[str, Callable[[bytes], None]] = {
    "reader": check_reader,
    "sentences": check_sentences,
    "punkt": check_punkt,
    "scorer": check_scorer,
    "lexicon": check_lexicon,
    "data": check_data,
}
#: The package modules each target exercises, instrumented for coverage.
MODULES = {
    "reader": ["classifier.io.reader", "classifier.text.sentences", "classifier.text.punkt"],
    "sentences": ["classifier.text.sentences", "classifier.text.punkt"],
    "punkt": ["classifier.text.punkt"],
    "scorer": [
        "classifier.text.sentences",
        "classifier.text.punkt",
        "classifier.text.tokens",
        "classifier.cues.matcher",
        "classifier.cues.rules",
        "classifier.cues.analysis",
        "classifier.model.results",
        "classifier.model.scorer",
        "classifier.model.estimator",
    ],
    "lexicon": ["classifier.cues.lexicon", "classifier.text.tokens"],
    "data": ["classifier.io.labeled"],
}


# ---------------------------------------------------------------------- engines
def keep_going(name: str, target: Callable[[bytes], None]) -> Callable[[bytes], None]:
    """Wrap ``target`` to log each new kind of failure and carry on fuzzing.

    A failure's kind is its exception type and the innermost frame of the package
    that raised it. The first input of each kind is saved to
    ``fuzz/artifacts/<target>-<kind>.bin`` with its traceback beside it.
    """
    seen: set[str] = set()
    artifacts = FUZZ_DIR / "artifacts"

    def run(data: bytes) -> None:
        try:
            target(data)
        except Exception as err:  # every failure is a finding
            frames = traceback.extract_tb(err.__traceback__)
            ours = [f for f in frames if "classifier" in f.filename] or frames
            kind = f"{type(err).__name__}@{Path(ours[-1].filename).stem}:{ours[-1].lineno}"
            if kind in seen:
                return
            seen.add(kind)
            artifacts.mkdir(exist_ok=True)
            stem = artifacts / f"{name}-{kind.replace('@', '-').replace(':', '-')}"
            stem.with_suffix(".bin").write_bytes(data)
            stem.with_suffix(".txt").write_text(traceback.format_exc(), encoding="utf-8")
            print(f"\nFINDING {name} {kind} ({len(data)} bytes) -> {stem}.bin", flush=True)

    return run


def run_atheris(name: str, minutes: float, extra: list[str]) -> None:
    """Fuzz ``name`` with atheris (libFuzzer) for ``minutes``."""
    import importlib

    import atheris

    with atheris.instrument_imports(include=MODULES[name]):
        for module in MODULES[name]:
            importlib.import_module(module)
    target = keep_going(name, TARGETS[name])
    corpus = FUZZ_DIR / "corpus" / name
    seeds = FUZZ_DIR / "seeds" / name
    artifacts = FUZZ_DIR / "artifacts"
    corpus.mkdir(parents=True, exist_ok=True)
    artifacts.mkdir(exist_ok=True)
    argv = [
        sys.argv[0],
        f"-max_total_time={int(minutes * 60)}",
        f"-max_len={MAX_LEN}",
        f"-timeout={TIMEOUT_S}",
        f"-artifact_prefix={artifacts}/{name}-",
        f"-dict={FUZZ_DIR / 'hedge.dict'}",
        "-print_final_stats=1",
        *extra,
        str(corpus),
    ]
    if seeds.is_dir():
        argv.append(str(seeds))
    atheris.Setup(argv, target)
    atheris.Fuzz()


def run_hypothesis(name: str, minutes: float, seed: int) -> None:
    """Fuzz ``name`` with random bytes from hypothesis for ``minutes``."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import seed as fix_seed
    from hypothesis import strategies as st

    target = keep_going(name, TARGETS[name])
    deadline = time.monotonic() + minutes * 60
    runs = 0
    rounds = 0
    while time.monotonic() < deadline:

        @fix_seed(seed + rounds)
        @settings(
            max_examples=2000,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(st.binary(max_size=MAX_LEN))
        def fuzz(data: bytes) -> None:
            nonlocal runs
            runs += 1
            target(data)

        fuzz()
        rounds += 1
    print(f"{name}: {runs} inputs in {minutes:g} min (hypothesis, seed {seed})")


def main(argv: list[str] | None = None) -> None:
    """Parse the command line and fuzz one target."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("target", choices=sorted(TARGETS))
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--engine", choices=("atheris", "hypothesis"), default=None)
    parser.add_argument("--seed", type=int, default=0, help="hypothesis seed")
    parser.add_argument(
        "--replay", nargs="+", type=Path, help="run the target once on each file, then exit"
    )
    args, extra = parser.parse_known_args(argv)
    if args.replay:
        failed = 0
        for path in args.replay:
            try:
                TARGETS[args.target](path.read_bytes())
            except Exception as err:  # report every failing file, then fail
                failed += 1
                print(f"{path}: FAILED {type(err).__name__}: {str(err)[:200]}")
            else:
                print(f"{path}: ok")
        raise SystemExit(1 if failed else 0)
    engine = args.engine
    if engine is None:
        try:
            import atheris  # noqa: F401
        except ImportError:
            engine = "hypothesis"
        else:
            engine = "atheris"
    if engine == "atheris":
        run_atheris(args.target, args.minutes, extra)
    else:
        run_hypothesis(args.target, args.minutes, args.seed)


if __name__ == "__main__":
    main()
