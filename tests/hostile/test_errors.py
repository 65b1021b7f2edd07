"""Hostile inputs at every door end in one clear line, or in output that is what it says."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from classifier.io.tables import folder_documents
from tests.hostile.common import EXAMPLES, ROOT, one_error_line, run

SAMPLE = str(EXAMPLES / "sample.txt")


def strict_json(line: str) -> object:
    def refuse(constant: str) -> None:
        raise AssertionError(f"{constant} is not JSON")

    return json.loads(line, parse_constant=refuse)


@pytest.mark.parametrize(
    ("cell", "words"),
    [("[" * 100_000 + "]" * 100_000, "nested too deeply"), ("9" * 5_000, "number too long")],
)
def test_jsonl_table_beyond_python_limits(capsys, tmp_path, cell, words):
    table = tmp_path / "t.jsonl"
    table.write_text(f'{{"text": "It may rain.", "n": {cell}}}\n', encoding="utf-8")
    code, _, err = run(capsys, "score", str(table), "--text-col", "text")
    assert code == 1
    one_error_line(err, f"{table}:1", words)


def test_training_cue_offset_beyond_floats(capsys, tmp_path):
    data = tmp_path / "d.jsonl"
    rows = [{"text": "It may rain.", "label": "uncertain", "cues": [[0, 1e400, "epistemic"]]}]
    data.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    code, _, err = run(capsys, "eval", str(data))
    assert code == 1
    one_error_line(err, f"{data}:1:cues")


def undecodable(tmp_path: Path) -> str:
    name = os.path.join(str(tmp_path), os.fsdecode(b"caf\xe9.txt"))
    Path(name).write_text("It may rain. The sky is blue.\n", encoding="utf-8")
    return name


@pytest.mark.parametrize("to_file", [True, False])
def test_per_document_with_a_non_utf8_file_name(capsys, tmp_path, to_file):
    name = undecodable(tmp_path)
    out = tmp_path / "out.jsonl"
    args = ["score", "--per", "document", "--format", "jsonl", name]
    code, printed, err = run(capsys, *args, *(["-o", str(out)] if to_file else []))
    assert (code, err) == (0, "")
    text = out.read_text(encoding="utf-8") if to_file else printed
    text.encode("utf-8")  # no lone surrogates: the bytes written are UTF-8
    assert strict_json(text)["doc"].endswith("caf\\xe9.txt")


def test_explain_json_with_a_non_utf8_file_name(capsys, tmp_path):
    name = undecodable(tmp_path)
    code, printed, err = run(capsys, "explain", "--format", "json", "-f", name)
    assert (code, err) == (0, "")
    printed.encode("utf-8")
    assert {record["doc"] for record in strict_json(printed)} == {display(name)}


def display(name: str) -> str:
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


@pytest.mark.parametrize("text", ["It may rain.\n", "abc-9z9z9z9\n"])
def test_encoding_punycode(capsys, tmp_path, text):
    path = tmp_path / "p.txt"
    path.write_text(text, encoding="ascii")
    code, _, err = run(capsys, "score", "--encoding", "punycode", str(path))
    assert code == 1
    one_error_line(err, str(path), "punycode")


def test_spacy_whitespace_only_doc_has_no_sentence():
    spacy = pytest.importorskip("spacy")
    import classifier.spacy  # noqa: F401 -- registers the component

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("hedge_certainty")
    doc = nlp("   \n\n  \t ")
    assert doc._.hedge_sentences == 0
    assert doc._.hedge_label is None
    assert [s._.hedge_label for s in doc.sents] == [None]


@pytest.mark.parametrize("per", ["sentence", "document"])
def test_an_infinite_kept_value_is_written_as_json(capsys, tmp_path, per):
    table = tmp_path / "t.jsonl"
    table.write_text('{"text": "It may rain.", "id": 1e400, "k": -1e400}\n', encoding="utf-8")
    code, printed, err = run(
        capsys, "score", str(table), "--text-col", "text", "--id-col", "id", "--keep-col", "k",
        "--format", "jsonl", "--per", per,
    )  # fmt: skip
    assert (code, err) == (0, "")
    record = strict_json(printed.splitlines()[0])
    assert (record["id"], record["k"]) == ("inf", "-inf")


def test_a_read_error_is_not_called_a_write_error(capsys, tmp_path):
    link = tmp_path / "mem.txt"
    link.symlink_to("/proc/self/mem")  # opens, then every read fails with EIO
    code, _, err = run(capsys, "score", str(link))
    assert code == 1
    line = one_error_line(err, str(link), "cannot read")
    assert "standard output" not in line


def test_damaged_parquet_is_one_line(capsys, tmp_path):
    pytest.importorskip("pyarrow")
    path = tmp_path / "t.parquet"
    path.write_bytes(b"PAR1" + b"\x00" * 100 + b"PAR1")
    code, _, err = run(capsys, "score", str(path), "--text-col", "text")
    assert code == 1
    one_error_line(err, str(path))


def test_a_symlink_loop_is_named_as_such(capsys, tmp_path):
    for name, options in (("loop.txt", []), ("loop.csv", ["--text-col", "t"])):
        loop = tmp_path / name
        loop.symlink_to(loop)
        code, _, err = run(capsys, "score", str(loop), *options)
        assert code == 1
        line = one_error_line(err, str(loop))
        assert "no such file" not in line and "symbolic links" in line


def test_a_parquet_directory_is_named_as_such(capsys, tmp_path):
    folder = tmp_path / "t.parquet"
    folder.mkdir()
    code, _, err = run(capsys, "score", str(folder), "--text-col", "text")
    assert code == 1
    line = one_error_line(err, str(folder), "directory")
    assert "no such file" not in line


@pytest.mark.parametrize("args", [["--help"], ["score", "--help"], ["--version"]])
def test_help_to_a_full_disk(args):
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "classifier.cli", *args],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
    assert done.returncode == 1
    assert done.stderr == "hedge: error: cannot write standard output: No space left on device\n"


def test_too_many_open_files_is_not_called_a_write_error():
    code = f"""
import os, resource, sys
from classifier.cli.main import main
import classifier.io.archive, classifier.io.reader, classifier.io.formats
from classifier.io.archive import default_model_path
open_now = len(os.listdir("/proc/self/fd")) - 1  # less the listing's own
resource.setrlimit(resource.RLIMIT_NOFILE, (open_now, open_now))
sys.exit(main(["score", {SAMPLE!r}]))
"""
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == 1
    line = one_error_line(done.stderr, "Too many open files")
    assert "standard output" not in line


# ---------------------------------------------------------------------- 16. folders
def test_a_folder_is_decoded_as_encoding_and_errors_say(capsys, tmp_path):
    folder = tmp_path / "enc"
    folder.mkdir()
    (folder / "x.txt").write_bytes(b"Caf\xe9 may rise.\n")
    code, out, err = run(capsys, "score", "--format", "jsonl", "--encoding", "latin-1", str(folder))
    assert (code, err) == (0, "")
    assert [json.loads(line)["text"] for line in out.splitlines()] == ["Café may rise."]
    code, out, err = run(capsys, "score", "--format", "jsonl", "--errors", "replace", str(folder))
    assert (code, err) == (0, "")
    assert [json.loads(line)["text"] for line in out.splitlines()] == ["Caf\ufffd may rise."]
    code, out, err = run(capsys, "score", str(folder))
    assert (code, out) == (1, "")
    one_error_line(err, "x.txt:1: invalid UTF-8 at byte offset 3")


def test_folder_documents_take_encoding_and_errors(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"Caf\xe9.")
    assert [d.text for d in folder_documents(str(tmp_path), encoding="latin-1")] == ["Café."]
    assert [d.text for d in folder_documents(str(tmp_path), errors="replace")] == ["Caf\ufffd."]
