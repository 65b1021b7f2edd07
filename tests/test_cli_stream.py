"""hedge score reads input chunk by chunk; chunking, --jobs and --threshold change nothing else."""

import json

import pytest

from classifier import CertaintyClassifier
from classifier.cli.main import main
from classifier.io import reader

PARAGRAPHS = [
    "The drug may help some patients. It was given to forty people.",
    "Dr. Lee measured the signal twice. The chances of a relapse are slim.",
    'He said "it might rain." Then he left.',
    "Russia annexed Crimea in 2014.\r\nIt is unclear whether sanctions worked.",
]


def score_jsonl(capsys, *args: str) -> list[dict]:
    assert main(["score", "--format", "jsonl", *args]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


@pytest.fixture
def document(tmp_path):
    text = "\n\n".join(PARAGRAPHS * 5) + "\n"
    path = tmp_path / "doc.txt"
    path.write_bytes(text.encode("utf-8"))
    return path, text


def test_chunked_reading_gives_the_same_sentences_as_the_whole_text(capsys, monkeypatch, document):
    path, text = document
    whole = [(s.start, s.end, s.certainty) for s in CertaintyClassifier.load().scorer_.score(text)]
    monkeypatch.setattr(reader, "CHUNK_CHARS", 50)  # a chunk per paragraph or two
    monkeypatch.setattr(reader, "BLOCK_BYTES", 7)
    records = score_jsonl(capsys, str(path))
    assert [(r["start"], r["end"], r["certainty"]) for r in records] == whole
    assert [r["sentence"] for r in records] == list(range(len(whole)))
    for record in records:
        assert text[record["start"] : record["end"]] == record["text"]
        for cue in record["cues"]:
            assert cue["text"].startswith(text[cue["start"] : cue["start"] + 3])


def test_chunks_end_at_the_last_blank_line(monkeypatch):
    monkeypatch.setattr(reader, "CHUNK_CHARS", 10)
    blocks = ["a long first line\n", "second\n", "\n", "third\n"]
    assert list(reader.text_chunks(blocks)) == [
        (0, "a long first line\nsecond\n\n"),
        (26, "third\n"),
    ]


def test_jobs_give_identical_output(capsys, monkeypatch, document):
    path, _ = document
    monkeypatch.setattr(reader, "CHUNK_CHARS", 50)
    one = score_jsonl(capsys, str(path))
    two = score_jsonl(capsys, "--jobs", "2", str(path))
    assert two == one
    lines = score_jsonl(capsys, "--lines", str(path))
    assert score_jsonl(capsys, "--lines", "--jobs", "2", str(path)) == lines


def test_threshold_overrides_the_models(capsys, document):
    path, _ = document
    records = score_jsonl(capsys, "--lines", "--threshold", "0", str(path))
    assert {r["label"] for r in records} == {"certain"}
    records = score_jsonl(capsys, "--lines", "--threshold", "1", str(path))
    assert {r["label"] for r in records} == {"uncertain"}


@pytest.mark.parametrize(("option", "value"), [("--threshold", "1.5"), ("--jobs", "0")])
def test_bad_threshold_and_jobs_are_usage_errors(capsys, document, option, value):
    path, _ = document
    assert main(["score", option, value, str(path)]) == 2
    assert f"argument {option}" in capsys.readouterr().err


def test_invalid_utf8_late_in_a_file_names_its_line_and_byte(capsys, tmp_path):
    path = tmp_path / "bad.txt"
    path.write_bytes(b"It may rain.\n\nThe sky is blue.\nbad \xff byte\n")
    assert main(["score", str(path)]) == 1
    err = capsys.readouterr().err
    assert f"{path}:4: invalid UTF-8 at byte offset 35" in err


def test_errors_replace_reads_past_invalid_bytes(capsys, tmp_path):
    path = tmp_path / "bad.txt"
    path.write_bytes(b"It may rain.\nbad \xff byte.\n")
    records = score_jsonl(capsys, "--lines", "--errors", "replace", str(path))
    assert [r["text"] for r in records] == ["It may rain.", "bad \ufffd byte."]


def test_other_encodings(capsys, tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Le café may close. It closed.".encode("latin-1"))
    records = score_jsonl(capsys, "--encoding", "latin-1", str(path))
    assert records[0]["text"] == "Le café may close."
    assert main(["score", "--encoding", "klingon", str(path)]) == 2
    assert "unknown encoding 'klingon'" in capsys.readouterr().err
