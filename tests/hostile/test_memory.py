"""Memory on every input door (issues 16 and 24): every shape of input, read by every
command, stays under the issue's bound (:data:`~tests.hostile.common.INPUT_PEAK`), measured
in a subprocess; a cell, line or field over its cap is refused before it is held."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from classifier.errors import DataError
from classifier.io.tables import MAX_CELL_CHARS, TableOptions, table_documents
from tests.hostile.common import INPUT_PEAK, hedge, refused_within

#: Input sizes: large enough that a reader holding the input whole would pass the bound
#: (a str of 40 MB, and the bytes it was decoded from), cheap to score (words of 1,000
#: letters: few tokens).
MEGABYTES = 40
WORD = "x" * 999 + " "


def fill(path: Path, sep: str, words_per_line: int) -> Path:
    """Write MEGABYTES of long words, ``words_per_line`` to a line joined by ``sep``."""
    line = WORD * words_per_line
    with open(path, "w", encoding="ascii") as out:
        for _ in range((MEGABYTES << 20) // (len(line) + len(sep))):
            out.write(line + sep)
    return path


@pytest.fixture(scope="module")
def shapes(tmp_path_factory) -> dict[str, Path]:
    """One line without a line break; lines without a blank line (no sentence end in either)."""
    folder = tmp_path_factory.mktemp("shapes")
    return {
        "one line": fill(folder / "one-line.txt", "", 1000),
        "lines without a blank line": fill(folder / "lines.txt", "\n", 10),
    }


DOORS = {
    "score": ["score", "--format", "jsonl"],
    "score --lines": ["score", "--lines", "--format", "jsonl"],
    "score --format html": ["score", "--format", "html"],
    "score --per document": ["score", "--per", "document", "--format", "jsonl"],
    "explain": ["explain", "--file"],
}


@pytest.mark.slow
@pytest.mark.parametrize("door", DOORS)
@pytest.mark.parametrize("shape", ["one line", "lines without a blank line"])
def test_text_of_any_shape_is_read_in_bounded_memory(shapes, door, shape):
    done = hedge(*DOORS[door], str(shapes[shape]), stdout=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr[-300:]
    assert 0 < done.peak < INPUT_PEAK, done.peak_mb


def test_explain_reads_standard_input_in_bounded_memory(shapes):
    with open(shapes["one line"], "rb") as stdin:
        done = hedge("explain", stdin=stdin, stdout=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr[-300:]
    assert 0 < done.peak < INPUT_PEAK, done.peak_mb


def huge_field(path: Path) -> Path:
    """A table whose second row holds one field of MEGABYTES (a CSV/TSV field, a JSON string)."""
    fill_text = WORD * ((MEGABYTES << 20) // len(WORD))
    if path.suffix == ".jsonl":
        first = '{"text": "It rained.", "label": "certain"}\n'
        path.write_text(first + '{"text": "' + fill_text + '"}\n')
    else:
        sep = "\t" if path.suffix == ".tsv" else ","
        path.write_text(f"text{sep}label\nIt rained.{sep}certain\n\"{fill_text}\"{sep}certain\n")
    return path


@pytest.mark.parametrize("command", [["score", "--text-col", "text"], ["eval"], ["train"]])
@pytest.mark.parametrize("name", ["t.csv", "t.tsv", "t.jsonl"])
def test_a_huge_field_is_refused_in_bounded_memory(tmp_path, command, name):
    path = huge_field(tmp_path / name)
    out = ["--out", str(tmp_path / "m.hedge")] if command == ["train"] else ["-o", "/dev/null"]
    line = 2 if name.endswith(".jsonl") else 3  # the huge row, after a header or not
    refused_within(hedge(*command, str(path), *out), INPUT_PEAK, f"{name}:{line}")


@pytest.mark.parametrize("name", ["t.csv", "t.jsonl"])
def test_a_never_ending_line_on_standard_input_is_refused_in_bounded_memory(tmp_path, name):
    path = huge_field(tmp_path / name)
    kind = Path(name).suffix[1:]
    with open(path, "rb") as stdin:
        done = hedge("score", "--input-format", kind, "--text-col", "text", "-", stdin=stdin)
    line = 2 if name.endswith(".jsonl") else 3
    refused_within(done, INPUT_PEAK, f"standard input:{line}")


def test_a_jsonl_cell_is_capped_like_a_csv_cell(tmp_path):
    path = tmp_path / "t.jsonl"
    path.write_text(
        json.dumps({"body": "ok."}) + "\n" + json.dumps({"body": "x" * (MAX_CELL_CHARS + 1)}),
        encoding="utf-8",
    )
    message = rf"t.jsonl:2: column 'body': a cell longer than {MAX_CELL_CHARS}"
    with pytest.raises(DataError, match=message):
        list(table_documents(str(path), TableOptions("body")))
    csv_path = tmp_path / "t.csv"
    csv_path.write_text("body\n" + "x" * (MAX_CELL_CHARS + 1) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"t.csv:2: malformed CSV \(field larger than field limit"):
        list(table_documents(str(csv_path), TableOptions("body")))


def test_a_parquet_cell_is_capped_like_a_csv_cell(tmp_path):
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    path = tmp_path / "t.parquet"
    pd.DataFrame({"body": ["ok.", "x" * (MAX_CELL_CHARS + 1)]}).to_parquet(path)
    with pytest.raises(DataError, match=r"t.parquet: column 'body': a cell longer than"):
        list(table_documents(str(path), TableOptions("body")))


@pytest.mark.parametrize("name", ["t.csv", "t.jsonl"])
def test_a_line_without_end_is_refused_before_it_is_held(tmp_path, monkeypatch, name):
    from classifier.io import tables

    monkeypatch.setattr(tables, "MAX_LINE_CHARS", 1000)
    path = tmp_path / name
    head = "body\n" if name.endswith(".csv") else ""
    path.write_text(head + "y" * 5000, encoding="utf-8")
    with pytest.raises(DataError, match=rf"{name}:\d: a line longer than 1000 characters"):
        list(table_documents(str(path), TableOptions("body")))


#: Parquet's bound: importing Arrow alone takes 64 MB (46 MB of it its shared libraries'
#: code), and Arrow decodes a whole page (a whole cell) before a cell can be measured.
PARQUET_PEAK = 160 << 20


@pytest.mark.parametrize("command", [["score", "--text-col", "text"], ["eval"], ["train"]])
def test_a_huge_parquet_cell_is_refused_in_bounded_memory(tmp_path, command):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "t.parquet"
    cells = ["It rained.", "x" * (20 << 20)]
    pq.write_table(pa.table({"text": cells, "label": ["certain"] * 2}), path)
    out = ["--out", str(tmp_path / "m.hedge")] if command == ["train"] else ["-o", "/dev/null"]
    refused_within(hedge(*command, str(path), *out), PARQUET_PEAK, "t.parquet", "'text'")


def test_a_large_parquet_row_group_is_read_in_bounded_memory(tmp_path):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "t.parquet"
    rows = (MEGABYTES << 20) // len(WORD)
    cells = pa.array([WORD + str(n) for n in range(rows)])  # one row group of 40 MB
    pq.write_table(pa.table({"text": cells}), path, row_group_size=rows)
    done = hedge("score", "--text-col", "text", str(path), "-o", "/dev/null")
    assert done.returncode == 0, done.stderr[-300:]
    assert 0 < done.peak < PARQUET_PEAK, done.peak_mb


@pytest.mark.slow
def test_a_table_of_many_rows_makes_a_page_in_bounded_memory(tmp_path):
    """100,000 one-word rows: each a document of the page's summary (once 0.85 kB each)."""
    path = tmp_path / "rows.csv"
    path.write_text("text\n" + "x\n" * 100_000, encoding="utf-8")
    page = tmp_path / "page.html"
    done = hedge("score", "--format", "html", "--text-col", "text", str(path), "-o", str(page))
    assert done.returncode == 0, done.stderr[-300:]
    assert 0 < done.peak < INPUT_PEAK, done.peak_mb
    assert "97,000 more documents" in page.read_text(encoding="utf-8")
