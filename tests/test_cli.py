"""Tests of the ``hedge`` command line, run in-process through ``main``."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from classifier.cli import main as cli
from classifier.cli.main import main
from classifier.cues.matcher import Cue
from classifier.io import formats
from classifier.model.estimator import CertaintyClassifier
from classifier.model.results import SentenceScore
from classifier.model.scorer import Scorer

from .conftest import run

TEXT = "It may rain tomorrow. The sky is blue.\n\nPerhaps the results suggest an effect.\n"
JSONL_KEYS = ["doc", "sentence", "start", "end", "text", "certainty", "rating", "label", "cues"]
CUE_KEYS = ["text", "start", "end", "category"]


@pytest.fixture(scope="module")
def clf() -> CertaintyClassifier:
    return CertaintyClassifier.load()


def write(path: Path, text: str) -> Path:
    path.write_bytes(text.encode("utf-8"))
    return path


def set_stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def jsonl(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines()]


def assert_one_error_line(err: str, *names: str) -> None:
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("hedge: error: ")
    assert "Traceback" not in err
    for name in names:
        assert name in lines[0]


# ---------------------------------------------------------------------- formats
def test_version_is_the_packages(capsys):
    import classifier

    assert main(["--version"]) == 0
    assert capsys.readouterr().out.split()[:2] == ["hedge", classifier.__version__]


def test_jsonl_one_record_per_sentence_in_order(tmp_path, capsys, clf):
    doc = write(tmp_path / "doc.txt", TEXT)
    code, out, err = run(capsys, "score", "--format", "jsonl", str(doc))
    assert (code, err) == (0, "")
    records = jsonl(out)
    expected = clf.scorer_.score(TEXT)
    assert len(records) == len(expected) == 3
    for index, (record, score) in enumerate(zip(records, expected, strict=True)):
        assert list(record) == JSONL_KEYS
        assert record["doc"] == str(doc)
        assert record["sentence"] == index
        assert TEXT[record["start"] : record["end"]] == record["text"] == score.text
        assert record["certainty"] == score.certainty  # full precision, not rounded
        assert record["label"] == score.label
        for cue in record["cues"]:
            assert list(cue) == CUE_KEYS
            assert TEXT[cue["start"] : cue["end"]] == cue["text"]
    may, sky, perhaps = records
    assert may["label"] == "uncertain"
    assert sky["label"] == "certain"
    assert sky["certainty"] > may["certainty"]
    assert ("may", "modal") in {(c["text"], c["category"]) for c in may["cues"]}
    assert "Perhaps" in {c["text"] for c in perhaps["cues"]}


@pytest.mark.parametrize(("fmt", "delimiter"), [("csv", ","), ("tsv", "\t")])
def test_csv_and_tsv_round_trip(tmp_path, capsys, fmt, delimiter):
    # a comma, a double quote and a tab inside one sentence need quoting in both formats
    text = 'It may rain, "or snow",\ttomorrow. The sky is blue. Perhaps the results suggest it.'
    doc = write(tmp_path / "doc.txt", text)
    code, out, _ = run(capsys, "score", "--format", fmt, str(doc))
    assert code == 0
    rows = list(csv.reader(io.StringIO(out), delimiter=delimiter))
    assert rows[0] == JSONL_KEYS
    code, out, _ = run(capsys, "score", "--format", "jsonl", str(doc))
    records = jsonl(out)
    assert len(rows) - 1 == len(records) == 3
    for row, record in zip(rows[1:], records, strict=True):
        fields = dict(zip(rows[0], row, strict=True))
        assert fields["doc"] == str(doc)
        assert int(fields["sentence"]) == record["sentence"]
        assert text[int(fields["start"]) : int(fields["end"])] == fields["text"]
        assert fields["text"] == record["text"]
        assert float(fields["certainty"]) == record["certainty"]
        assert float(fields["rating"]) == record["rating"]
        assert fields["label"] == record["label"]
        assert fields["cues"] == "; ".join(f"{c['text']}|{c['category']}" for c in record["cues"])
    assert rows[1][4] == 'It may rain, "or snow",\ttomorrow.'
    assert "may|modal" in rows[1][8].split("; ")
    assert rows[2][8] == ""


def test_text_format_marks_cues(tmp_path, capsys):
    doc = write(tmp_path / "doc.txt", TEXT)
    code, out, err = run(capsys, "score", str(doc))
    assert (code, err) == (0, "")
    blocks = out.strip().split("\n\n")
    assert len(blocks) == 4  # three sentences and the summary
    may, sky, perhaps, summary = blocks
    assert may.splitlines()[0].startswith(f"{doc}[0]  uncertain  0.")
    assert "It [[may]] rain tomorrow." in may
    assert "may (modal)" in may
    head = sky.splitlines()[0].split()
    assert head[:2] == [f"{doc}[1]", "certain"]
    assert len(head[2].split(".")[1]) == 2  # certainty with 2 decimals
    assert "[[" not in sky
    assert "[[Perhaps]]" in perhaps
    assert summary == "3 sentences: 2 uncertain, 1 certain"


def test_text_format_nests_a_cue_inside_a_discontinuous_one():
    text = "The chances it may work are slim."

    def cue(words: str, start: int, end: int, category: str) -> Cue:
        return Cue(words, start, end, category, words, 1.0, 0, 0)

    score = SentenceScore(
        text,
        10,
        10 + len(text),
        0.1,
        "uncertain",
        (
            cue("chances ... are slim", 14, 42, "low_probability"),
            cue("may", 25, 28, "modal"),
        ),
    )
    assert formats._mark_cues(score) == "The [[chances it [[may]] work are slim]]."


# ---------------------------------------------------------------------- input modes
def test_lines_mode_numbers_lines_and_offsets_within_the_line(tmp_path, capsys):
    text = "It may rain tomorrow. The sky is blue.\n\n  The sky is blue.  \r\n \nMaybe.\n"
    doc = write(tmp_path / "lines.txt", text)
    code, out, _ = run(capsys, "score", "--lines", "--format", "jsonl", str(doc))
    assert code == 0
    records = jsonl(out)
    assert [r["line"] for r in records] == [1, 3, 5]
    assert [r["sentence"] for r in records] == [0, 1, 2]
    assert list(records[0]) == JSONL_KEYS[:2] + ["line"] + JSONL_KEYS[2:]
    lines = text.split("\n")
    for record in records:
        line = lines[record["line"] - 1]
        assert line[record["start"] : record["end"]] == record["text"]
        for cue in record["cues"]:
            assert line[cue["start"] : cue["end"]] == cue["text"]
    # a whole line is one sentence, not split
    assert records[0]["text"] == "It may rain tomorrow. The sky is blue."
    assert records[1]["text"] == "The sky is blue."
    assert records[1]["start"] == 2


def test_lines_mode_csv_has_line_column(tmp_path, capsys):
    doc = write(tmp_path / "lines.txt", "\nIt may rain.\nThe sky is blue.\n")
    code, out, _ = run(capsys, "score", "--lines", "--format", "csv", str(doc))
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["sentence"], r["line"], r["label"]) for r in rows] == [
        ("0", "2", "uncertain"),
        ("1", "3", "certain"),
    ]


def test_stdin_by_default_and_as_dash(tmp_path, capsys, monkeypatch):
    set_stdin(monkeypatch, b"It may rain.\nThe sky is blue.\n")
    code, out, _ = run(capsys, "score", "--format", "jsonl")
    assert code == 0
    records = jsonl(out)
    assert [(r["doc"], r["sentence"], r["text"]) for r in records] == [
        ("-", 0, "It may rain."),
        ("-", 1, "The sky is blue."),
    ]
    doc = write(tmp_path / "a.txt", "Perhaps.")
    set_stdin(monkeypatch, b"It may rain.")
    code, out, _ = run(capsys, "score", "--format", "jsonl", str(doc), "-")
    assert [(r["doc"], r["sentence"]) for r in jsonl(out)] == [(str(doc), 0), ("-", 0)]


def test_files_in_the_order_given(tmp_path, capsys):
    first = write(tmp_path / "b.txt", "The sky is blue. It may rain.")
    second = write(tmp_path / "a.txt", "Water is wet.")
    code, out, _ = run(capsys, "score", "--format", "jsonl", str(first), str(second))
    assert code == 0
    assert [(r["doc"], r["sentence"]) for r in jsonl(out)] == [
        (str(first), 0),
        (str(first), 1),
        (str(second), 0),
    ]


def test_byte_order_mark_is_dropped(tmp_path, capsys):
    doc = tmp_path / "bom.txt"
    doc.write_bytes(b"\xef\xbb\xbfIt may rain.")
    code, out, _ = run(capsys, "score", "--format", "jsonl", str(doc))
    assert code == 0
    assert jsonl(out)[0]["text"] == "It may rain."


@pytest.mark.parametrize("content", ["", "  \n\n\t\n"])
@pytest.mark.parametrize("lines", [[], ["--lines"]])
def test_empty_input_gives_no_records(tmp_path, capsys, content, lines):
    doc = write(tmp_path / "empty.txt", content)
    code, out, err = run(capsys, "score", *lines, "--format", "jsonl", str(doc))
    assert (code, out, err) == (0, "", "")
    code, out, _ = run(capsys, "score", *lines, "--format", "csv", str(doc))
    assert (code, out.splitlines()[1:]) == (0, [])


# ---------------------------------------------------------------------- output file
def test_output_file_is_written_atomically(tmp_path, capsys):
    doc = write(tmp_path / "doc.txt", TEXT)
    target = tmp_path / "out.jsonl"
    target.write_text("old\n")
    code, out, err = run(capsys, "score", "--format", "jsonl", "-o", str(target), str(doc))
    assert (code, out, err) == (0, "", "")
    _, stdout_out, _ = run(capsys, "score", "--format", "jsonl", str(doc))
    assert target.read_text(encoding="utf-8") == stdout_out
    assert len(jsonl(stdout_out)) == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["doc.txt", "out.jsonl"]


def test_output_to_a_named_pipe_is_written_into_it_not_replaced(tmp_path, capsys):
    # as "-o /dev/null": a file that is not a regular one is written to, never renamed over
    doc = write(tmp_path / "doc.txt", TEXT)
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    reader = os.open(pipe, os.O_RDONLY | os.O_NONBLOCK)  # so that opening it to write won't wait
    try:
        code, out, err = run(capsys, "score", "--format", "jsonl", "-o", str(pipe), str(doc))
        received = os.read(reader, 1 << 16).decode("utf-8")
    finally:
        os.close(reader)
    assert (code, out, err) == (0, "", "")
    assert stat.S_ISFIFO(pipe.stat().st_mode)
    assert len(jsonl(received)) == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["doc.txt", "pipe"]


def test_interrupt_exits_130_and_leaves_no_partial_output(tmp_path, capsys, monkeypatch):
    first = write(tmp_path / "a.txt", "It may rain.")
    second = write(tmp_path / "b.txt", "The sky is blue.")
    calls = []
    score_many = Scorer.score_many

    def interrupted(self: Scorer, texts, **kwargs):
        calls.append(texts)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return score_many(self, texts, **kwargs)

    monkeypatch.setattr(Scorer, "score_many", interrupted)
    target = tmp_path / "out.csv"
    args = ("score", "--format", "csv", "-o", str(target), str(first), str(second))
    assert run(capsys, *args) == (130, "", "")
    assert not target.exists()
    target.write_text("old\n")
    calls.clear()
    assert run(capsys, *args)[0] == 130
    assert target.read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.txt", "out.csv"]


# ---------------------------------------------------------------------- errors
def test_missing_file(tmp_path, capsys):
    doc = write(tmp_path / "doc.txt", TEXT)
    missing = tmp_path / "missing.txt"
    code, out, err = run(capsys, "score", str(doc), str(missing))
    assert (code, out) == (1, "")  # checked before anything is scored
    assert_one_error_line(err, str(missing), "no such file")


def test_directory(tmp_path, capsys):
    code, _, err = run(capsys, "score", str(tmp_path))
    assert code == 1
    assert_one_error_line(err, str(tmp_path), "directory")


def test_invalid_utf8_names_file_line_and_byte(tmp_path, capsys, monkeypatch):
    doc = tmp_path / "latin1.txt"
    doc.write_bytes("It may rain.\nCaf\u00e9 au lait.\n".encode("latin-1"))
    code, _, err = run(capsys, "score", str(doc))
    assert code == 1
    assert_one_error_line(err, f"{doc}:2:", "UTF-8", "byte offset 16")
    set_stdin(monkeypatch, b"\xff")
    code, _, err = run(capsys, "score")
    assert code == 1
    assert_one_error_line(err, "-:1:", "byte offset 0")


def test_model_errors(tmp_path, capsys):
    doc = write(tmp_path / "doc.txt", TEXT)
    missing = tmp_path / "missing.hedge"
    code, _, err = run(capsys, "score", "--model", str(missing), str(doc))
    assert code == 1
    assert_one_error_line(err, str(missing))
    bogus = tmp_path / "bogus.hedge"
    bogus.write_bytes(b"not a model")
    code, _, err = run(capsys, "score", "--model", str(bogus), str(doc))
    assert code == 1
    assert_one_error_line(err, str(bogus), "not a model archive")


def test_unwritable_output(tmp_path, capsys):
    doc = write(tmp_path / "doc.txt", TEXT)
    target = tmp_path / "no" / "out.txt"
    code, _, err = run(capsys, "score", "-o", str(target), str(doc))
    assert code == 1
    assert_one_error_line(err, str(target))
    code, _, err = run(capsys, "score", "-o", str(tmp_path), str(doc))
    assert code == 1
    assert_one_error_line(err, str(tmp_path), "directory")


@pytest.mark.parametrize(
    "args", [[], ["frobnicate"], ["score", "--format", "xml"], ["score", "--nope"]]
)
def test_usage_errors_exit_2(capsys, args):
    code, out, err = run(capsys, *args)
    assert (code, out) == (2, "")
    assert "error:" in err.splitlines()[-1]
    assert "Traceback" not in err


def test_broken_pipe_in_process(tmp_path, capsys, monkeypatch):
    class ClosedPipe(io.StringIO):
        def write(self, text: str) -> int:
            raise BrokenPipeError

    doc = write(tmp_path / "doc.txt", TEXT)
    monkeypatch.setattr(sys, "stdout", ClosedPipe())
    assert main(["score", str(doc)]) == cli.EXIT_BROKEN_PIPE
    assert capsys.readouterr().err == ""


# ---------------------------------------------------------------------- help
@pytest.mark.parametrize("args", [["--help"], ["score", "--help"]])
def test_help_shows_examples(capsys, args):
    code, out, _ = run(capsys, *args)
    assert code == 0
    assert "examples:" in out
    assert "| hedge score" in out


HELP_IMPORTS = """
import importlib.util, sys, types
# skip the package's __init__, so that only what the CLI itself imports counts
package = types.ModuleType("classifier")
package.__path__ = list(importlib.util.find_spec("classifier").submodule_search_locations)
sys.modules["classifier"] = package
from classifier.cli.main import main
assert main(["--help"]) == main(["score", "--help"]) == 0
heavy = ("sklearn", "joblib", "numpy", "nltk", "classifier.")
light = (
    "classifier._version",
    "classifier.cli",
    "classifier.cli.main",
    "classifier.cli.options",
    "classifier.cli.helptext",
    "classifier.compiled",
    "classifier.cli.console",
    "classifier.errors",
    "classifier.cli.sources",
    "classifier.cues",  # the subpackages' __init__: a docstring each
    "classifier.text",
    "classifier.io",
    "classifier.io.files",  # STDIN, display_name: no import beyond os, stat and pathlib
)
print(sorted(m for m in sys.modules if m.startswith(heavy) and m not in light))
"""


def test_help_does_not_load_the_model_or_sklearn():
    result = subprocess.run(
        [sys.executable, "-c", HELP_IMPORTS], capture_output=True, text=True, check=True
    )
    assert result.stdout.splitlines()[-1] == "[]"


# ---------------------------------------------------------------------- console script
def hedge_script() -> str:
    beside = Path(sys.executable).with_name("hedge")
    found = str(beside) if beside.exists() else shutil.which("hedge")
    if found is None:
        pytest.skip("the hedge console script is not installed")
    return found


def test_console_script_exits_quietly_when_the_pipe_closes(tmp_path):
    doc = write(tmp_path / "big.txt", "It may rain tomorrow, or it may not.\n" * 5000)
    process = subprocess.Popen(
        [hedge_script(), "score", "--lines", str(doc)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()  # like `| head -1`
    err = process.stderr.read()
    process.stderr.close()
    assert process.wait() == cli.EXIT_BROKEN_PIPE
    assert first.startswith(str(doc).encode())
    assert err == b""


def test_python_dash_m(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "classifier.cli", "score", "--format", "jsonl"],
        input=b"It may rain.",
        capture_output=True,
        check=False,
    )
    assert (result.returncode, result.stderr) == (0, b"")
    assert json.loads(result.stdout)["label"] == "uncertain"
