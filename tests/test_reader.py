"""The streaming reader: bounded chunks on any input shape, finalised decoding, UTF-16,
clean interruptions and one-line errors."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from classifier.cli.main import main
from classifier.io import reader
from classifier.io.archive import load_scorer
from classifier.text.sentences import MAX_SENTENCE_CHARS, split_sentences

from .conftest import run

PARAGRAPH = (
    "The drug may help some patients. Dr. Lee measured it twice, e.g. in May. "
    'He said "it might rain. Or not." Then he left. The chances are slim! Is it? '
)


def score_jsonl(capsys, *args: str) -> list[dict]:
    assert main(["score", "--format", "jsonl", *args]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]



def one_error_line(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("hedge: "), err
    return lines[0]


def blocks_of(text: str, size: int):
    for start in range(0, len(text), size):
        yield text[start : start + size]


# ---------------------------------------------------------------------- bounded memory
@pytest.mark.parametrize(
    "text",
    [
        PARAGRAPH * 300,  # one line, no blank line
        (PARAGRAPH + "\n") * 300,  # many lines, no blank line
        "word " * 60_000,  # one sentence far longer than the cap
        "x" * 50_000 + " end.",  # one word longer than the cap
        " " * 200_000 + PARAGRAPH + " " * 200_000 + PARAGRAPH,  # white space between
    ],
    ids=["one-line", "lines", "one-sentence", "one-word", "spaces"],
)
def test_chunks_stay_bounded_and_split_like_the_whole_text(monkeypatch, text):
    monkeypatch.setattr(reader, "CHUNK_CHARS", 4096)
    chunks = list(reader.text_chunks(blocks_of(text, 1000)))
    assert "".join(chunk for _, chunk in chunks) == text
    assert max(len(chunk) for _, chunk in chunks) <= 4096 + 1000 + reader.MAX_HELD_CHARS
    pieces = [
        (s.start + offset, s.end + offset)
        for offset, chunk in chunks
        for s in split_sentences(chunk)
    ]
    assert pieces == [(s.start, s.end) for s in split_sentences(text)]


def test_a_long_line_is_never_held_whole():
    line = "It may rain. " * 5_000 + "\n"
    pieces = list(reader.line_pieces(blocks_of(line * 2, 3000)))
    assert max(len(text) for _, _, text in pieces) <= MAX_SENTENCE_CHARS
    assert [(n, at) for n, at, _ in pieces][:2] == [(1, 0), (1, MAX_SENTENCE_CHARS)]
    assert "".join(text for _, _, text in pieces) == line * 2


def test_scoring_by_blocks_gives_the_records_of_the_whole_text(capsys, monkeypatch, tmp_path):
    text = PARAGRAPH * 200
    path = tmp_path / "one-line.txt"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setattr(reader, "CHUNK_CHARS", 2000)
    monkeypatch.setattr(reader, "BLOCK_BYTES", 777)
    records = score_jsonl(capsys, str(path))
    whole = load_scorer().score(text)
    assert [(r["start"], r["end"], r["certainty"]) for r in records] == [
        (s.start, s.end, s.certainty) for s in whole
    ]


def test_with_lines_a_line_over_the_cap_is_scored_in_pieces(capsys, tmp_path):
    path = tmp_path / "long.txt"
    path.write_text("short line\n" + "may " * 5_000 + "\nlast\n", encoding="utf-8")
    records = score_jsonl(capsys, "--lines", str(path))
    assert [r["line"] for r in records] == [1, 2, 2, 3]
    assert all(len(r["text"]) <= MAX_SENTENCE_CHARS for r in records)
    assert records[2]["start"] == MAX_SENTENCE_CHARS


# ---------------------------------------------------------------------- a truncated end
def test_a_truncated_utf8_sequence_at_the_end_is_an_error_or_replaced(capsys, tmp_path):
    path = tmp_path / "cut.txt"
    path.write_bytes("It may rain. Caf\u00e9".encode()[:-1])
    code, out, err = run(capsys, "score", str(path))
    assert code == 1 and out == ""
    assert (
        f"{path}:1: invalid UTF-8 at byte offset 16 (byte 0xc3: unexpected end of data)"
        in one_error_line(err)
    )
    records = score_jsonl(capsys, "--errors", "replace", str(path))
    assert records[-1]["text"] == "Caf\ufffd"


# ---------------------------------------------------------------------- other encodings
def test_utf16_input_with_a_hair_space_is_not_cut_at_byte_0x0a(capsys, tmp_path):
    sentence = "The results\u200a\u200amay suggest a role."
    text = "Filler comes first. " * 4_000 + sentence
    assert len(text) > 65_536
    path = tmp_path / "utf16.txt"
    path.write_bytes(text.encode("utf-16"))
    records = score_jsonl(capsys, "--encoding", "utf-16", str(path))
    assert records[-1]["text"] == sentence
    lines = score_jsonl(capsys, "--encoding", "utf-16", "--lines", str(path))
    assert {r["line"] for r in lines} == {1}


def test_utf16_read_as_utf8_suggests_the_encoding(capsys, tmp_path):
    path = tmp_path / "utf16.txt"
    path.write_bytes("It may rain.\n".encode("utf-16"))
    code, _, err = run(capsys, "score", str(path))
    assert code == 1 and "--encoding utf-16" in one_error_line(err)


# ---------------------------------------------------------------------- every failure is one line
@pytest.mark.parametrize("encoding", ["rot13", "base64", "hex"])
def test_codecs_that_are_not_text_encodings_are_usage_errors(capsys, tmp_path, encoding):
    path = tmp_path / "in.txt"
    path.write_text("It may rain.", encoding="utf-8")
    code, _, err = run(capsys, "score", "--encoding", encoding, str(path))
    assert code == 2 and f"'{encoding}' is not a text encoding" in err and "Traceback" not in err


def hedge(*args: str, **kwargs) -> subprocess.CompletedProcess:
    command = [
        sys.executable,
        "-c",
        "import sys; from classifier.cli.main import main; sys.exit(main())",
    ]
    return subprocess.run([*command, *args], capture_output=True, **kwargs)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("command", [["score"], ["explain", "It may rain."], ["eval"]])
def test_a_full_disk_on_standard_output_is_one_line(tmp_path, command):
    text = tmp_path / "in.txt"
    text.write_text("It may rain.\n" * 2000, encoding="utf-8")
    data = tmp_path / "d.csv"
    data.write_text("text,label\nIt may rain.,uncertain\nIt rained.,certain\n", encoding="utf-8")
    extra = {"score": [str(text)], "explain": [], "eval": [str(data)]}[command[0]]
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "classifier.cli",
             *command, *extra],
            stdout=full, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
    assert result.returncode == 1
    assert result.stderr == "hedge: error: cannot write standard output: No space left on device\n"


def test_a_file_name_that_is_not_utf8_gives_one_line(tmp_path):
    text = tmp_path / "in.txt"
    text.write_text("It may rain.", encoding="utf-8")
    name = os.fsdecode(bytes(tmp_path) + b"/\xff/out.txt")
    result = hedge("score", str(text), "-o", name, text=True)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"hedge: error: cannot write {tmp_path}/\\xff/out.txt: no such directory {tmp_path}/\\xff"
    ]
    good = os.fsdecode(bytes(tmp_path) + b"/\xfe.txt")
    assert hedge("score", str(text), "-o", good).returncode == 0
    with open(os.fsencode(good), "rb") as written:
        assert b"uncertain" in written.read()
    for output in ("jsonl", "html"):  # the undecodable name is in the output, escaped
        out = tmp_path / f"out.{output}"
        result = hedge("score", "--format", output, good, "-o", str(out), text=True)
        assert result.returncode == 0 and result.stderr == ""
        assert "\\xfe.txt" in out.read_text(encoding="utf-8")


# --------------------------------------------------------------------- signals clean up like Ctrl-C
def _session_processes(session: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if os.getsid(int(entry.name)) == session:
                    found.append(int(entry.name))
            except (ProcessLookupError, PermissionError):
                pass
    return found


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc")
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_sigterm_and_sighup_clean_up_like_ctrl_c(tmp_path, signum):
    big = tmp_path / "big.txt"
    big.write_text((PARAGRAPH + "\n\n") * 30_000, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    process = subprocess.Popen(
        [sys.executable, "-c", "import sys; from classifier.cli.main import main; sys.exit(main())",
         "score", "--jobs", "2", "--format", "jsonl", "-o", str(out), str(big)],
        start_new_session=True, stderr=subprocess.PIPE,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while not any(p.name.startswith(".out.jsonl.") for p in tmp_path.iterdir()):
        assert process.poll() is None and time.monotonic() < deadline
        time.sleep(0.05)
    while len(_session_processes(process.pid)) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)  # the workers have started
    partial = next(p for p in tmp_path.iterdir() if p.name.startswith(".out.jsonl."))
    while partial.stat().st_size == 0 and time.monotonic() < deadline:
        time.sleep(0.05)  # ... and scored: a signal while the pool starts is another case
    process.send_signal(signum)
    assert process.wait(timeout=60) == 128 + signum
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.txt"]
    deadline = time.monotonic() + 30
    while _session_processes(process.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _session_processes(process.pid) == []


# ---------------------------------------------------------------------- property
PIECES = [
    "It", "may", "rain", "Dr.", "Gen.", "e.g.", "U.S.", "3.5", "et al.", "Fig.", "no.",
    ".", "!", "?", "...", ",", ";", '"', "'", "\u201c", "\u201d", "(", ")", "\n", "\n\n",
    " ", "  ", "\t", "\ufeff", "\u200a", "x" * 40, "Smith", "said", "the", "He",
]  # fmt: skip


@given(
    words=st.lists(st.sampled_from(PIECES), max_size=400),
    chunk=st.integers(1, 200),
    step=st.integers(1, 120),
)
@settings(max_examples=300, deadline=None)
def test_blocks_split_like_the_whole_text(monkeypatch_session, words, chunk, step):
    text = " ".join(words)
    monkeypatch_session.setattr(reader, "CHUNK_CHARS", chunk)
    chunks = list(reader.text_chunks(blocks_of(text, step)))
    assert "".join(c for _, c in chunks) == text
    spans = [(s.start + o, s.end + o) for o, c in chunks for s in split_sentences(c)]
    assert spans == [(s.start, s.end) for s in split_sentences(text)]


@pytest.fixture(scope="module")
def monkeypatch_session():
    with pytest.MonkeyPatch.context() as patch:
        yield patch
