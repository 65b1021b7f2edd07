"""The streaming reader: bounded chunks on any input shape, finalised decoding, UTF-16,
clean interruptions and one-line errors."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from classifier.cli.main import main
from classifier.io import reader
from classifier.io.archive import load_scorer
from classifier.text.sentences import MAX_SENTENCE_CHARS, split_sentences

PARAGRAPH = (
    "The drug may help some patients. Dr. Lee measured it twice, e.g. in May. "
    'He said "it might rain. Or not." Then he left. The chances are slim! Is it? '
)


def score_jsonl(capsys, *args: str) -> list[dict]:
    assert main(["score", "--format", "jsonl", *args]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]



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
