"""Tables and folders as input (classifier.io.tables)."""

from __future__ import annotations

import json

import pytest

from classifier.errors import DataError
from classifier.io.tables import (
    InputDocument,
    TableOptions,
    folder_documents,
    table_documents,
    table_format,
)

CSV = (
    "ID,Review Body,stars\r\n"
    '0,"The room may have been cleaned, but the sheets were\r\nstained.",2\r\n'
    "1,Breakfast was served at eight.,4\r\n"
    "2,,3\r\n"
)


def read(path, **options):
    return list(table_documents(str(path), TableOptions(**options)))


def test_csv_with_quoted_newlines_and_crlf(tmp_path):
    path = tmp_path / "reviews.csv"
    path.write_bytes(CSV.encode())
    docs = read(path, text_col="Review Body", id_col="ID", keep_cols=("stars",))
    assert [d.text for d in docs] == [
        "The room may have been cleaned, but the sheets were\r\nstained.",
        "Breakfast was served at eight.",
        "",  # an empty cell is an empty document, its row kept
    ]
    assert [d.fields for d in docs] == [
        {"row": 2, "ID": "0", "stars": "2"},
        {"row": 4, "ID": "1", "stars": "4"},  # the record before spans two lines
        {"row": 5, "ID": "2", "stars": "3"},
    ]
    assert {d.name for d in docs} == {str(path)}


def test_bom_semicolons_and_tsv(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes("\ufefftext;id\nIt may rain.;a\n".encode())
    assert read(path, text_col="text", id_col="id", delimiter=";") == [
        InputDocument(str(path), "It may rain.", {"row": 2, "id": "a"})
    ]
    with pytest.raises(DataError, match=r"export.csv:1: column 'text': not found"):
        read(path, text_col="text")  # read with commas, the header is one column
    tsv = tmp_path / "t.tsv"
    tsv.write_text("text\tn\nIt rained.\t1\n", encoding="utf-8")
    assert [d.text for d in read(tsv, text_col="text")] == ["It rained."]


def test_jsonl_and_its_errors(tmp_path):
    path = tmp_path / "posts.jsonl"
    rows = [{"body": "Perhaps.", "id": 7, "tags": ["a"]}, {"body": None, "id": 8, "tags": []}]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n\n", encoding="utf-8")
    docs = read(path, text_col="body", id_col="id", keep_cols=("tags",))
    assert [(d.text, d.fields) for d in docs] == [
        ("Perhaps.", {"row": 1, "id": 7, "tags": '["a"]'}),
        ("", {"row": 2, "id": 8, "tags": "[]"}),
    ]
    path.write_text('{"body": "Fine."}\n{"body": 3}\n', encoding="utf-8")
    with pytest.raises(DataError, match=r"posts.jsonl:2: column 'body': expected text, found int"):
        read(path, text_col="body")
    path.write_text('{"body": "Fine."}\n{"body": \n', encoding="utf-8")
    with pytest.raises(DataError, match=r"posts.jsonl:2: invalid JSON"):
        read(path, text_col="body")


def test_parquet(tmp_path):
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    path = tmp_path / "t.parquet"
    frame = pd.DataFrame({"text": ["It may rain.", None, "It rained."], "n": [1, 2, 3]})
    frame.to_parquet(path, row_group_size=2)
    docs = read(path, text_col="text", id_col="n")
    assert [(d.text, d.fields) for d in docs] == [
        ("It may rain.", {"row": 1, "n": 1}),
        ("", {"row": 2, "n": 2}),
        ("It rained.", {"row": 3, "n": 3}),
    ]
    with pytest.raises(DataError, match=r"t.parquet: column 'body': not found"):
        read(path, text_col="body")


def test_format_by_extension_or_option(tmp_path):
    assert table_format("a.CSV", None) == "csv"
    assert table_format("notes.txt", None) is None
    assert table_format("data.dat", "tsv") == "tsv"
    with pytest.raises(ValueError, match="input format"):
        table_format("a.csv", "xlsx")
    path = tmp_path / "data.dat"
    path.write_text("text\nIt may rain.\n", encoding="utf-8")
    assert [d.text for d in read(path, text_col="text", input_format="csv")] == ["It may rain."]
    with pytest.raises(DataError, match="--input-format"):
        read(path, text_col="text")


def test_bad_tables_name_file_and_line(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text('text,id\n"It may,1\n', encoding="utf-8")
    with pytest.raises(DataError, match=r"bad.csv:\d+: malformed CSV"):
        read(path, text_col="text")
    path.write_text("text,id\nIt may rain.,1,extra\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"bad.csv:2: 3 fields, but the header has 2"):
        read(path, text_col="text")
    path.write_bytes(b"text\nIt may \xff rain.\n")
    with pytest.raises(DataError, match=r"bad.csv:\d+: invalid UTF-8"):
        read(path, text_col="text")
    with pytest.raises(DataError, match="no such file"):
        read(tmp_path / "missing.csv", text_col="text")


def test_folder_sorted_recursive_relative_names(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "two.txt").write_text("It rained.", encoding="utf-8")
    (tmp_path / "a.txt").write_bytes("\ufeffIt may rain.".encode())
    (tmp_path / "notes.md").write_text("Perhaps.", encoding="utf-8")
    docs = list(folder_documents(str(tmp_path)))
    assert [(d.name, d.text, d.fields) for d in docs] == [
        ("a.txt", "It may rain.", {}),
        ("b/two.txt", "It rained.", {}),
    ]
    assert [d.name for d in folder_documents(str(tmp_path), "*.md")] == ["notes.md"]
    with pytest.raises(DataError, match=r"no file matches '\*.rst'"):
        list(folder_documents(str(tmp_path), "*.rst"))
    (tmp_path / "c.txt").write_bytes(b"line\nbad \xff\n")
    with pytest.raises(DataError, match=r"c.txt:2: invalid UTF-8"):
        list(folder_documents(str(tmp_path)))
    with pytest.raises(DataError, match="not a directory"):
        list(folder_documents(str(tmp_path / "a.txt")))
