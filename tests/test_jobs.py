"""hedge score --jobs: workers write the records, the output is that of one process (a
worker that dies or cannot start: tests/hostile/test_workers.py)."""

from __future__ import annotations

import pytest

from classifier.cli import sources
from classifier.cli.main import main
from classifier.io import reader
from classifier.text.sentences import MAX_SENTENCE_CHARS

PARAGRAPHS = [
    "The drug may help some patients. It was given to forty people.",
    "Dr. Lee measured the signal twice; 40% of the chances are slim (100%).",
    'He said "it might rain." Then he left.',
    "Russia annexed Crimea in 2014.\r\nIt is unclear whether sanctions worked.",
    "   \t ",
    'A comma, a quote " and a tab\there: perhaps.',
]


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def small_tasks(monkeypatch):
    """Tasks of a few hundred characters: many tasks, on both workers."""
    monkeypatch.setattr(sources, "TASK_CHARS", 300)
    monkeypatch.setattr(reader, "CHUNK_CHARS", 120)
    monkeypatch.setattr(reader, "LINE_CHUNK_CHARS", 100)
    monkeypatch.setattr(reader, "BLOCK_BYTES", 64)


@pytest.fixture
def files(tmp_path):
    text = "\n\n".join(PARAGRAPHS * 6) + "\n"
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text(text, encoding="utf-8")
    second.write_text("It may rain.\n\n" + "x" * (MAX_SENTENCE_CHARS * 2 + 7) + "\n", "utf-8")
    return [str(first), str(second), str(first)]  # a file twice: numbered from 0 each time


@pytest.mark.parametrize("fmt", ["text", "jsonl", "csv", "tsv"])
@pytest.mark.parametrize("options", [[], ["--lines"], ["--with", "types,aspects"]])
def test_jobs_write_what_one_process_writes(capsys, small_tasks, files, fmt, options):
    one = run(capsys, "score", "--format", fmt, *options, *files)
    two = run(capsys, "score", "--format", fmt, "--jobs", "2", *options, *files)
    assert one[0] == 0 and one[1].count("\n") > 40
    assert two == one


@pytest.mark.parametrize("lines", [[], ["--lines"]])
def test_jobs_explain_as_one_process(capsys, small_tasks, files, lines):
    for fmt in ("text", "jsonl"):
        one = run(capsys, "score", "--explain", "--format", fmt, *lines, *files)
        assert (
            run(capsys, "score", "--explain", "--format", fmt, "--jobs", "2", *lines, *files) == one
        )


@pytest.mark.parametrize("fmt", ["text", "csv"])
def test_jobs_without_sentences(capsys, small_tasks, tmp_path, fmt):
    blank = tmp_path / "blank.txt"
    blank.write_text("\n \n" * 500, encoding="utf-8")
    one = run(capsys, "score", "--format", fmt, str(blank), str(blank))
    assert run(capsys, "score", "--format", fmt, "--jobs", "2", str(blank), str(blank)) == one
    assert one[1] in ("0 sentences: 0 uncertain, 0 certain\n", "doc,sentence,start,end,text,"
                      "certainty,rating,label,cues\n")  # fmt: skip


def test_a_decoding_error_comes_after_the_records_before_it(capsys, small_tasks, tmp_path):
    path = tmp_path / "late.txt"
    path.write_bytes(b"It may rain.\n" * 400 + b"caf\xe9\n" + b"It rained.\n" * 50)
    one = run(capsys, "score", "--lines", "--format", "jsonl", str(path))
    two = run(capsys, "score", "--lines", "--format", "jsonl", "--jobs", "2", str(path))
    assert one[0] == 1 and 300 < one[1].count("\n") <= 400 and "late.txt:401" in one[2]
    assert two == one


def test_line_chunks_cut_where_the_whole_text_is_cut():
    text = "short\n" + "y" * (MAX_SENTENCE_CHARS * 3 + 5) + "\n\n  tail line\nno end"
    whole = list(reader.line_pieces([text]))
    for size in (7, 1000, MAX_SENTENCE_CHARS + 3, len(text)):
        blocks = [text[i : i + 999] for i in range(0, len(text), 999)]
        chunks = list(reader.line_chunks(blocks, size))
        assert "".join(chunk for _, _, chunk in chunks) == text
        pieces = [
            p for n, at, chunk in chunks for p in reader.line_pieces([chunk], number=n, at=at)
        ]
        assert pieces == whole


@pytest.mark.parametrize("fmt", ["text", "jsonl", "csv"])
def test_jobs_write_tables_and_folders_as_one_process(capsys, monkeypatch, tmp_path, fmt):
    monkeypatch.setattr(sources, "TASK_CHARS", 200)
    table = tmp_path / "rows.csv"
    texts = [PARAGRAPHS[n % len(PARAGRAPHS)].replace('"', '""') for n in range(40)]
    rows = [f'{n},"{text} 5% more.",x{n}' for n, text in enumerate(texts)]
    table.write_text("id,text,kept\n" + "\n".join(rows) + "\n", encoding="utf-8")
    folder = tmp_path / "notes"
    folder.mkdir()
    for number in range(6):
        (folder / f"{number}.txt").write_text("\n\n".join(PARAGRAPHS[number:]), "utf-8")
    args = ["score", "--format", fmt, "--text-col", "text", "--id-col", "id", "--keep-col", "kept"]
    one = run(capsys, *args, str(table), str(folder))
    assert one[0] == 0 and one[1].count("\n") > 40
    assert run(capsys, *args, "--jobs", "2", str(table), str(folder)) == one
    per = [*args, "--per", "document", str(table), str(folder)]
    assert run(capsys, *per, "--jobs", "2") == run(capsys, *per)


def test_an_error_after_the_first_task_comes_after_its_records(capsys, monkeypatch, tmp_path):
    monkeypatch.setattr(sources, "TASK_CHARS", 100)
    monkeypatch.setattr(reader, "LINE_CHUNK_CHARS", 100)
    monkeypatch.setattr(reader, "BLOCK_BYTES", 64)
    path = tmp_path / "late.txt"
    path.write_bytes(b"It may rain.\n" * 12 + b"caf\xe9\n")
    args = ["score", "--lines", "--format", "jsonl", str(path)]
    one = run(capsys, *args)
    assert one[0] == 1 and one[1].count("\n") >= 7 and "late.txt:13" in one[2]
    assert run(capsys, *args, "--jobs", "2") == one
