"""A fourth round of hostile cases: closed standard streams, odd names, odd JSON."""

from __future__ import annotations

import io
import json
import os
import shutil
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.hostile.common import EXAMPLES, INPUT_PEAK, ROOT, hedge, one_error_line, run

SAMPLE = str(EXAMPLES / "sample.txt")
LABELED = str(EXAMPLES / "labeled.csv")


def closed(fd: int, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``hedge args`` with file descriptor ``fd`` closed (``<&-``, ``>&-``)."""
    return subprocess.run(
        [sys.executable, "-m", "classifier.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        preexec_fn=lambda: os.close(fd),  # noqa: PLW1509 -- no threads are running here
        timeout=120,
    )


@pytest.mark.parametrize("args", [["score", SAMPLE], ["--help"], ["eval", "x.csv", "-h"]])
def test_closed_standard_output_is_one_line(args):
    done = closed(1, *args)
    assert done.returncode == 1
    one_error_line(done.stderr, "standard output", "closed")


def test_closed_standard_output_with_an_output_file(capsys, tmp_path):
    out = tmp_path / "out.jsonl"
    done = closed(1, "score", SAMPLE, "--format", "jsonl", "-o", str(out))
    assert (done.returncode, done.stderr) == (0, "")
    assert out.read_text(encoding="utf-8") == run(capsys, "score", SAMPLE, "--format", "jsonl")[1]


@pytest.mark.parametrize(
    "args",
    [
        ["score"],
        ["explain"],
        ["score", "-", "--text-col", "text", "--input-format", "csv"],
        ["train", "-", "--data-format", "csv", "--out", "never.hedge"],
    ],
)
def test_closed_standard_input_is_one_line(args, tmp_path):
    done = closed(0, *args, cwd=tmp_path)
    assert done.returncode == 1
    one_error_line(done.stderr, "standard input", "closed")
    assert not (tmp_path / "never.hedge").exists()


@pytest.mark.parametrize("command", [["score", SAMPLE], ["eval", str(EXAMPLES / "held_out.csv")]])
def test_output_dash_is_standard_output(capsys, tmp_path, monkeypatch, command):
    monkeypatch.chdir(tmp_path)
    code, printed, err = run(capsys, *command, "-o", "-")
    assert (code, err) == (0, "")
    assert printed == run(capsys, *command)[1]
    assert list(tmp_path.iterdir()) == []  # no file named "-"


@pytest.mark.parametrize(
    "args",
    [
        ["score", SAMPLE, "-o", ""],
        ["train", LABELED, "--out", "-"],
        ["train", LABELED, "--out", ""],
        ["eval", str(EXAMPLES / "held_out.csv"), "--plot", "-"],
    ],
)
def test_an_output_that_is_no_file_name_is_a_usage_error(capsys, tmp_path, monkeypatch, args):
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, *args)
    assert code == 2
    assert "expected a file name" in err.splitlines()[-1]
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("seed", ["-1", str(2**32), "9" * 30])
def test_a_seed_numpy_cannot_take_is_a_usage_error(capsys, tmp_path, seed):
    code, _, err = run(capsys, "train", LABELED, "--out", str(tmp_path / "m.hedge"), "--seed", seed)
    assert code == 2
    assert "--seed" in err.splitlines()[-1]
    assert not (tmp_path / "m.hedge").exists()


@pytest.mark.parametrize("pattern", ["../*", "../notes/*.txt", "**/../../*", "sub/../../*.txt"])
def test_a_glob_that_leaves_the_folder_is_refused(capsys, tmp_path, pattern):
    folder = tmp_path / "notes"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text("It may rain.\n", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("Outside the folder.\n", encoding="utf-8")
    code, printed, err = run(capsys, "score", str(folder), "--glob", pattern)
    assert (code, printed) == (1, "")
    one_error_line(err, str(folder), pattern, "leaves the folder")


@pytest.mark.parametrize("escape", ["\\ud800", "\\uDFFF", "\\udc80 and \\ud83d"])
def test_jsonl_with_a_lone_surrogate_is_one_line(capsys, tmp_path, escape):
    table = tmp_path / "t.jsonl"
    table.write_text(
        '{"text": "It may rain."}\n' + f'{{"text": "It may {escape} rain."}}\n', encoding="utf-8"
    )
    code, _, err = run(capsys, "score", str(table), "--text-col", "text", "--format", "jsonl")
    assert code == 1
    one_error_line(err, f"{table}:2", "surrogate")


def test_a_surrogate_pair_and_an_escaped_backslash_are_text(capsys, tmp_path):
    table = tmp_path / "t.jsonl"
    table.write_text('{"text": "Smile \\ud83d\\ude00 may.", "id": "\\\\ud800"}\n', encoding="utf-8")
    args = ["score", str(table), "--text-col", "text", "--id-col", "id", "--format", "jsonl"]
    code, printed, err = run(capsys, *args)
    assert (code, err) == (0, "")
    record = json.loads(printed)
    assert (record["text"], record["id"]) == ("Smile \U0001f600 may.", "\\ud800")


@pytest.mark.parametrize("name", ["d.jsonl", "d.json"])
def test_labeled_data_with_a_lone_surrogate_is_one_line(capsys, tmp_path, name):
    rows = [{"text": "The sky is blue.", "label": "certain"}, {"text": "X", "label": "uncertain"}]
    lines = [json.dumps(row) for row in rows]
    lines[1] = lines[1].replace('"X"', '"It may \\ud800 rain."')
    data = tmp_path / name
    text = "\n".join(lines) + "\n" if name.endswith("jsonl") else "[" + ",\n".join(lines) + "]\n"
    data.write_text(text, encoding="utf-8")
    code, _, err = run(capsys, "eval", str(data))
    assert code == 1
    one_error_line(err, f"{data}:2", "\\ud800")


def test_an_array_or_object_id_is_written_as_json(capsys, tmp_path):
    table = tmp_path / "t.jsonl"
    rows = [{"text": "It may rain.", "id": {"a": [1, True, None]}}, {"text": "Yes.", "id": [1]}]
    table.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    args = ["score", str(table), "--text-col", "text", "--id-col", "id", "--format", "jsonl"]
    code, printed, err = run(capsys, *args)
    assert (code, err) == (0, "")
    ids = [json.loads(json.loads(line)["id"]) for line in printed.splitlines()]
    assert ids == [row["id"] for row in rows]


def test_a_bytes_id_of_parquet_is_text(capsys, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    import pyarrow as pa

    table = tmp_path / "t.parquet"
    pq.write_table(pa.table({"text": ["It may rain."], "id": [b"caf\xe9"]}), table)
    args = ["score", str(table), "--text-col", "text", "--id-col", "id", "--format", "jsonl"]
    code, printed, err = run(capsys, *args)
    assert (code, err) == (0, "")
    assert json.loads(printed)["id"] == "caf\\xe9"


@pytest.mark.parametrize("io_encoding", ["ascii", "latin-1"])
@pytest.mark.parametrize("fmt", ["text", "jsonl", "csv"])
def test_standard_output_is_utf8_whatever_pythonioencoding(tmp_path, io_encoding, fmt):
    text = tmp_path / "u.txt"
    text.write_text("The café may open. Prices rose 5 €.\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "classifier.cli", "score", str(text), "--format", fmt],
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": io_encoding},
        timeout=120,
    )
    assert (done.returncode, done.stderr) == (0, b"")
    printed = done.stdout.decode("utf-8")  # raises on bytes that are not UTF-8
    assert "café" in printed and "€" in printed


@pytest.mark.parametrize("ratings", [False, True])
def test_eval_stays_within_the_input_bound(tmp_path, ratings):
    """Its metrics are counted with NumPy: scikit-learn and SciPy alone took 150 MB."""
    out = tmp_path / "report.json"
    args = ["--text-col", "review", "--label-col", "stars", "--rating-cutoff", "3"]
    data = str(EXAMPLES / ("reviews.csv" if ratings else "held_out.csv"))
    command = ["eval", data, *(args if ratings else []), "--format", "json", "-o", str(out)]
    done = hedge(*command)
    assert (done.returncode, done.stderr) == (0, "")
    assert json.loads(out.read_text(encoding="utf-8"))["roc_auc"] is not None
    assert 0 < done.peak < INPUT_PEAK, done.peak_mb


@pytest.mark.parametrize("per", ["sentence", "document"])
@pytest.mark.parametrize("option", ["--id-col", "--keep-col"])
@pytest.mark.parametrize("column", ["label", "text", "certainty", "cues", "row"])
def test_a_kept_column_named_like_an_output_field_is_refused(capsys, tmp_path, per, option, column):
    """The record would hold one of the two values, silently: the table's gold label lost."""
    table = tmp_path / "t.csv"
    table.write_text(
        'text,label,certainty,cues,row\n"It may rain. The sky is blue.",certain,high,none,7\n',
        encoding="utf-8",
    )
    args = ["score", str(table), "--text-col", "text", option, column, "--per", per]
    code, printed, err = run(capsys, *args, "--format", "jsonl")
    assert (code, printed) == (1, "")
    one_error_line(err, f"{option} {column}", "rename")


def test_a_model_written_to_a_named_pipe_does_not_replace_it(capsys, tmp_path):
    """As ``-o`` does: ``/dev/null`` or ``/dev/full`` as --out must stay a device, not a file."""
    fifo = tmp_path / "model.hedge"
    os.mkfifo(fifo)
    received: list[bytes] = []

    def drain() -> None:
        with open(fifo, "rb") as f:
            received.append(f.read())

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    code, _, err = run(capsys, "train", LABELED, "--out", str(fifo))
    if reader.is_alive():  # the model went elsewhere: let the reader end
        with open(fifo, "wb"):
            pass
    reader.join(60)
    assert (code, err) == (0, "")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert received[0][:2] == b"PK"  # the archive went through the pipe


@pytest.mark.parametrize(
    "args",
    [
        ["score", ""],
        ["eval", ""],
        ["train", "", "--out", "m.hedge"],
        ["explain", "-f", ""],
        ["lexicon", "check", ""],
        ["score", SAMPLE, "--model", ""],
        ["score", SAMPLE, "--lexicon", ""],
        ["explain", "It may rain.", "--lexicon", ""],
        ["train", LABELED, "--lexicon", "", "--out", "m.hedge"],
    ],
)
def test_an_empty_file_name_is_a_usage_error(capsys, tmp_path, monkeypatch, args):
    """Not "': no such file'" or ".: not a file" (the empty name read as the folder ".")."""
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, *args)
    assert code == 2
    assert err.splitlines()[-1].endswith("expected a file name, got ''")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", ["score", "eval"])
def test_csv_with_carriage_return_line_ends_is_one_plain_line(capsys, tmp_path, command):
    """Not Python's "do you need to open the file in universal-newline mode?"."""
    table = tmp_path / "t.csv"
    table.write_bytes(b"text,label\rIt may rain.,uncertain\rThe sky is blue.,certain\r")
    code, _, err = run(
        capsys, command, str(table), *(["--text-col", "text"] * (command == "score"))
    )
    assert code == 1
    line = one_error_line(err, f"{table}:1", "carriage return")
    assert "universal-newline" not in line


@pytest.mark.parametrize("asked", [10**5, 10**9])
def test_jobs_beyond_the_cores_start_one_worker_per_core(monkeypatch, asked):
    """``--jobs 100000`` forked until memory or the process table ran out."""
    from classifier.cli.sources import Workers

    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    assert Workers(asked, print).size == 2
    assert Workers(-1, print).size == 2
    assert Workers(1, print).size == 1


@pytest.mark.parametrize("name", ["../evil", "a b/c", "", "9lives", "n\udcffew"])
def test_a_convention_name_no_archive_can_hold_is_refused(capsys, tmp_path, name):
    """It wrote ``conventions/../evil.json``: a model its own reader refuses to load."""
    model = tmp_path / "m.hedge"
    args = ["train", LABELED, "--out", str(model), "--from", "--convention", name]
    code, _, err = run(capsys, *args)
    assert code == 1
    one_error_line(err, "--convention", "cannot name a convention")
    assert list(tmp_path.iterdir()) == []


def test_fit_refuses_a_domain_that_cannot_name_a_convention():
    from classifier import CertaintyClassifier

    texts = ["It may rain.", "The sky is blue."] * 10
    labels = ["uncertain", "certain"] * 10
    with pytest.raises(ValueError, match="cannot name a convention"):
        CertaintyClassifier().fit(texts, labels, domains=["wiki", "news/2"] * 10)


@pytest.mark.parametrize(
    ("args", "files"),
    [
        (["score", "{locked}"], ["a.txt"]),
        (["lexicon", "check", "{locked}"], ["a.tsv"]),
        (["score", SAMPLE, "--lexicon", "{locked}"], ["a.tsv"]),
    ],
)
def test_an_unreadable_folder_is_named_as_such(capsys, tmp_path, monkeypatch, args, files):
    """Not "no file matches" or "no *.tsv lexicon file": glob sees it as empty."""
    locked = tmp_path / "locked"
    locked.mkdir()
    for name in files:
        (locked / name).write_text("It may rain.\n", encoding="utf-8")
    real = os.scandir

    def scandir(path: object = ".") -> object:  # as for a folder of mode 000, not as root
        if os.fspath(path) == str(locked):  # type: ignore[arg-type]
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", scandir)
    code, _, err = run(capsys, *[arg.format(locked=locked) for arg in args])
    assert code == 1
    one_error_line(err, str(locked), "cannot read", "Permission denied")


def test_an_unreadable_subfolder_is_not_skipped_silently(capsys, tmp_path, monkeypatch):
    """Its files went unscored, with exit status 0."""
    folder = tmp_path / "notes"
    (folder / "sub").mkdir(parents=True)
    for name in ("a.txt", "sub/b.txt"):
        (folder / name).write_text("It may rain.\n", encoding="utf-8")
    locked = str(folder / "sub")
    real = os.scandir

    def scandir(path: object = ".") -> object:  # as for a folder of mode 000, not as root
        if os.fspath(path) == locked:  # type: ignore[arg-type]
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", scandir)
    code, _, err = run(capsys, "score", str(folder), "--per", "document")
    assert code == 1
    one_error_line(err, locked, "cannot read")
    code, printed, err = run(capsys, "score", str(folder), "--glob", "*.txt", "--format", "jsonl")
    assert (code, err, len(printed.splitlines())) == (0, "", 1)  # sub is not looked into


def test_a_file_truncated_while_read_is_an_error(tmp_path):
    """It ended early, its last sentence cut, exit status 0 (hedge score, while truncate ran)."""
    from classifier.errors import InputError
    from classifier.io.reader import decoded_blocks, open_input

    path = tmp_path / "t.txt"
    path.write_text("It may rain. " * 20_000, encoding="utf-8")  # several blocks
    with open_input(str(path)) as stream:
        blocks = decoded_blocks(str(path), stream)
        next(blocks)
        os.truncate(path, 100)
        with pytest.raises(InputError, match=f"{path}: cannot read .*shrank"):
            list(blocks)


def test_a_file_that_grows_while_read_is_read_to_its_end(tmp_path):
    from classifier.io.reader import decoded_blocks, open_input

    path = tmp_path / "t.txt"
    path.write_text("It may rain. " * 20_000, encoding="utf-8")
    with open_input(str(path)) as stream:
        blocks = decoded_blocks(str(path), stream)
        text = next(blocks)
        with open(path, "a", encoding="utf-8") as f:
            f.write("The end.")
        text += "".join(blocks)
    assert text.endswith("It may rain. The end.")


@pytest.mark.parametrize(
    ("args", "output"),
    [
        (["score"], "{input}"),
        (["score", "-"], "/dev/stdin"),
        (["score", "--format", "jsonl"], "/proc/self/fd/0"),
        (["eval", "-", "--data-format", "csv"], "/dev/stdin"),
        (["train", "-", "--data-format", "csv"], "/dev/stdin"),
    ],
)
def test_the_file_standard_input_reads_is_never_overwritten(tmp_path, args, output):
    """``hedge score -o notes.txt < notes.txt`` replaced the input with the scores."""
    source = tmp_path / "in.csv"
    shutil.copy(LABELED, source)
    before = source.read_bytes()
    option = "--out" if args[0] == "train" else "-o"
    with open(source, "rb") as stdin:
        done = subprocess.run(
            [sys.executable, "-m", "classifier.cli", *args, option, output.format(input=source)],
            stdin=stdin,
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            timeout=120,
        )
    assert done.returncode == 1
    one_error_line(done.stderr, "standard input")
    assert source.read_bytes() == before


def test_a_cell_error_on_standard_input_names_it_as_such(capsys, monkeypatch):
    """Every other error of a table on standard input says "standard input", not "-"."""
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b'{"text": true}\n')))
    code, _, err = run(capsys, "score", "-", "--input-format", "jsonl", "--text-col", "text")
    assert code == 1
    line = one_error_line(err, "standard input:1: column 'text'")
    assert "-:1" not in line


@pytest.mark.parametrize("command", [["score", SAMPLE, "-o"], ["train", LABELED, "--out"]])
def test_an_output_named_as_a_missing_folder_is_refused(capsys, tmp_path, command):
    """``-o results/`` wrote a file named ``results``."""
    code, _, err = run(capsys, *command, f"{tmp_path}/results/")
    assert code == 1
    one_error_line(err, "results/", "no such directory")
    assert list(tmp_path.iterdir()) == []


def test_correlations_of_huge_ratings_are_right_and_quiet(capsys, tmp_path):
    """Ratings near 1e300: r was 0.0 (overflow) and numpy's overflow warnings were printed."""
    data = tmp_path / "r.jsonl"
    rows = [
        {"text": "It may rain." if i % 2 else "The sky is blue.", "label": 2 if i % 2 else 1e300}
        for i in range(20)
    ]
    data.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    code, printed, err = run(capsys, "eval", str(data), "--rating-cutoff", "3", "--format", "json")
    assert (code, err) == (0, "")
    report = json.loads(printed)
    assert report["pearson"] == pytest.approx(1.0) and -1 <= report["pearson"] <= 1
    data.write_text(data.read_text().replace("1e+300", "1e308").replace(": 2", ": -1e308"))
    code, printed, err = run(capsys, "eval", str(data), "--rating-cutoff", "0", "--format", "json")
    assert (code, err) == (0, "")
