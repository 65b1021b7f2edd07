"""hedge score on tables and folders, per document, with added cues; hedge explain anywhere."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from classifier.io.archive import load_scorer

from .conftest import run

REVIEWS = (
    "ID,Review Body,stars\r\n"
    '0,"The pool may reopen in June, staff said.\r\n\r\nThe rooms were clean.",4\r\n'
    "1,Breakfast was served at eight.,5\r\n"
    "2,,3\r\n"
)



def one_error(err: str, *pieces: str) -> None:
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("hedge: error: "), err
    for piece in pieces:
        assert piece in lines[0], lines[0]


@pytest.fixture(scope="module")
def scorer():
    return load_scorer()


@pytest.fixture
def reviews(tmp_path):
    path = tmp_path / "reviews.csv"
    path.write_bytes(REVIEWS.encode())
    return path


def jsonl(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines()]


# ---------------------------------------------------------------------- tables
def test_a_table_is_not_scored_as_prose(capsys, reviews):
    code, out, err = run(capsys, "score", str(reviews))
    assert (code, out) == (1, "")
    one_error(err, "reviews.csv", "--text-col")


def test_csv_column_with_id_and_kept_column(capsys, reviews, scorer):
    args = ["score", str(reviews), "--text-col", "Review Body", "--id-col", "ID"]
    code, out, _ = run(capsys, *args, "--keep-col", "stars", "--format", "jsonl")
    assert code == 0
    records = jsonl(out)
    cells = {"0": REVIEWS.split('"')[1], "1": "Breakfast was served at eight."}
    expected = [(i, score) for i in ("0", "1") for score in scorer.score(cells[i])]
    assert len(records) == len(expected) == 3  # the empty cell has no sentence
    for record, (row_id, score) in zip(records, expected, strict=True):
        assert list(record)[:5] == ["doc", "row", "ID", "stars", "sentence"]
        assert record["ID"] == row_id and record["doc"] == str(reviews)
        assert record["text"] == score.text == cells[row_id][record["start"] : record["end"]]
        assert record["certainty"] == score.certainty
    assert [r["sentence"] for r in records] == [0, 1, 0]  # counted within each cell
    assert [r["row"] for r in records] == [2, 2, 5]  # the line each record starts on
    assert records[0]["label"] == "uncertain" and records[0]["cues"][0]["text"] == "may"


def test_csv_output_carries_the_columns(capsys, reviews):
    code, out, _ = run(
        capsys, "score", str(reviews), "--text-col", "Review Body", "--id-col", "ID",
        "--format", "csv",
    )  # fmt: skip
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0])[:4] == ["doc", "row", "ID", "sentence"]
    assert [row["ID"] for row in rows] == ["0", "0", "1"]


def test_tsv_jsonl_parquet_and_delimiter(capsys, tmp_path, scorer):
    semi = tmp_path / "export.txt"
    semi.write_text("\ufeffid;text\na;It may rain.\n", encoding="utf-8")
    code, out, err = run(
        capsys, "score", str(semi), "--input-format", "csv", "--delimiter", ";",
        "--text-col", "text", "--id-col", "id", "--format", "jsonl",
    )  # fmt: skip
    assert code == 0, err
    assert [(r["id"], r["label"]) for r in jsonl(out)] == [("a", "uncertain")]
    lines = tmp_path / "posts.jsonl"
    lines.write_text('{"body": "Perhaps it works.", "n": 1}\n', encoding="utf-8")
    code, out, _ = run(capsys, "score", str(lines), "--text-col", "body", "--format", "jsonl")
    assert [r["row"] for r in jsonl(out)] == [1]
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    parquet = tmp_path / "t.parquet"
    pd.DataFrame({"text": ["It may rain.", "It rained."]}).to_parquet(parquet)
    code, out, _ = run(capsys, "score", str(parquet), "--text-col", "text", "--format", "jsonl")
    assert [r["label"] for r in jsonl(out)] == ["uncertain", "certain"]


def test_table_errors_are_one_line(capsys, reviews, tmp_path):
    code, _, err = run(capsys, "score", str(reviews), "--text-col", "Body")
    assert code == 1
    one_error(err, "reviews.csv:1", "'Body'", "'Review Body'")
    text = tmp_path / "notes.txt"
    text.write_text("It may rain.", encoding="utf-8")
    code, _, err = run(capsys, "score", str(text), "--text-col", "text")
    one_error(err, "--text-col needs a table")
    code, _, err = run(capsys, "score", str(reviews), "--delimiter", ";;", "--text-col", "x")
    assert code == 2 and "expected one character" in err


# ---------------------------------------------------------------------- folders
def test_a_folder_scores_its_text_files_in_sorted_order(capsys, tmp_path, scorer):
    (tmp_path / "notes" / "b").mkdir(parents=True)
    (tmp_path / "notes" / "z.txt").write_text("It rained.", encoding="utf-8")
    (tmp_path / "notes" / "b" / "a.txt").write_text("It may rain. It rained.", encoding="utf-8")
    (tmp_path / "notes" / "skip.md").write_text("Perhaps.", encoding="utf-8")
    code, out, err = run(capsys, "score", str(tmp_path / "notes"), "--format", "jsonl")
    assert code == 0, err
    records = jsonl(out)
    assert [(r["doc"], r["sentence"]) for r in records] == [("b/a.txt", 0), ("b/a.txt", 1),
                                                          ("z.txt", 0)]  # fmt: skip
    assert [r["label"] for r in records] == ["uncertain", "certain", "certain"]
    code, out, _ = run(capsys, "score", str(tmp_path / "notes"), "--glob", "*.md")
    assert code == 0 and out.startswith("skip.md[0]  uncertain")


# ---------------------------------------------------------------------- documents
def test_per_document_gives_the_python_numbers(capsys, tmp_path, reviews, scorer):
    doc = tmp_path / "doc.txt"
    text = (
        "The vote will probably be delayed. Members met on Tuesday.\n\n"
        "It is unclear why. It was cold.\n"
    )
    doc.write_text(text, encoding="utf-8")
    code, out, _ = run(capsys, "score", "--per", "document", "--format", "jsonl", str(doc))
    assert code == 0
    (record,) = jsonl(out)
    assert record == {"doc": str(doc), **scorer.score_document(text).record()}
    assert record["sentences"] == 4 and record["uncertain_share"] == 0.5
    code, out, _ = run(
        capsys, "score", "--per", "document", "--format", "jsonl", str(reviews),
        "--text-col", "Review Body", "--id-col", "ID",
    )  # fmt: skip
    rows = jsonl(out)
    assert [(r["row"], r["ID"], r["sentences"]) for r in rows] == [(2, "0", 2), (5, "1", 1),
                                                                  (6, "2", 0)]  # fmt: skip
    assert rows[2]["certainty"] is None and rows[2]["label"] is None  # the empty cell


def test_per_document_csv_and_text(capsys, tmp_path):
    doc = tmp_path / "doc.txt"
    doc.write_text("It may rain. The sky is blue.", encoding="utf-8")
    code, out, _ = run(capsys, "score", "--per", "document", "--format", "csv", str(doc))
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == [
        "doc", "certainty", "rating", "uncertain_share", "label", "sentences", "uncertain",
        "categories",
    ]  # fmt: skip
    assert (rows[0]["uncertain_share"], rows[0]["categories"]) == ("0.5", "modal")
    code, out, _ = run(capsys, "score", "--per", "document", str(doc))
    assert re.search(
        r"uncertain  1 of 2 sentences uncertain \(50\.0%\), lowest certainty \d\.\d\d, "
        r"lowest rating \d\.\d$",
        out.splitlines()[0],
    )
    assert out.splitlines()[-1] == "1 document: 1 uncertain, 0 certain"
    code, _, err = run(capsys, "score", "--per", "document", "--format", "html", str(doc))
    one_error(err, "HTML report")
    code, _, err = run(capsys, "score", "--per", "document", "--explain", str(doc))
    one_error(err, "--explain")


# ---------------------------------------------------------------------- added cues
def test_score_with_an_extra_lexicon_marks_added_cues(capsys, tmp_path):
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "mine.tsv").write_text(
        "cue\tcategory\tweight\tnote\niffy\tepistemic_adjective\t0.8\t\n", encoding="utf-8"
    )
    doc = tmp_path / "doc.txt"
    doc.write_text("The second result is iffy.", encoding="utf-8")
    code, out, _ = run(capsys, "score", "--format", "jsonl", str(doc))
    assert jsonl(out)[0]["label"] == "certain"
    code, out, _ = run(capsys, "score", "--format", "jsonl", "--lexicon", str(extra), str(doc))
    (record,) = jsonl(out)
    assert record["label"] == "uncertain" and record["cues"][0]["text"] == "iffy"
    code, out, _ = run(capsys, "score", "--explain", "--lexicon", str(extra), str(doc))
    assert "kept (added cue)" in out
    code, out, _ = run(
        capsys, "explain", "--format", "json", "--lexicon", str(extra), "It is iffy."
    )
    (cue,) = json.loads(out)[0]["cues"]
    assert cue["added"] is True and cue["contribution"] > 0
    (extra / "mine.tsv").write_text("cue\tcategory\tweight\tnote\nmay\tmodal\t0.5\t\n")
    code, _, err = run(capsys, "score", "--lexicon", str(extra), str(doc))
    assert code == 1
    one_error(err, "mine.tsv:2:cue", "already in the model")


# ---------------------------------------------------------------------- explain
def test_explain_reads_standard_input_and_files(capsys, monkeypatch, tmp_path):
    monkeypatch.setattr("sys.stdin", io.StringIO("It may rain. The sky is blue."))
    code, out, _ = run(capsys, "explain")
    assert code == 0
    first, second = out.split("\n\n")
    assert first.startswith("It may rain.\n  uncertain") and "may  modal" in first
    assert second.startswith("The sky is blue.\n  certain")
    doc = tmp_path / "doc.txt"
    doc.write_text("Perhaps it works.", encoding="utf-8")
    code, out, _ = run(capsys, "explain", "--file", str(doc), "It rained.")
    assert [block.splitlines()[0] for block in out.split("\n\n")] == [
        "It rained.",
        "Perhaps it works.",
    ]


def test_explain_json_is_the_table_as_data(capsys, scorer):
    sentence = "We met in May and it may rain."
    code, text, _ = run(capsys, "explain", sentence)
    code, out, _ = run(capsys, "explain", "--format", "json", sentence)
    assert code == 0
    (record,) = json.loads(out)
    assert record["text"] == sentence and record["certainty"] == scorer.certainty([sentence])[0]
    assert record["log_odds"] == pytest.approx(scorer.log_odds(sentence))
    assert record["from_cues"] + record["from_rest"] == pytest.approx(record["log_odds"])
    month, modal = record["cues"]
    # a discarded cue says why and contributes 0
    assert (month["text"], month["kept"], month["contribution"]) == ("May", False, 0.0)
    assert month["status"] == "discarded: false friend: the month May"
    assert month["status"] in text and "+0.000" in text.splitlines()[4]
    assert modal["kept"] and modal["contribution"] == record["from_cues"] > 0


def test_a_discarded_cue_contributes_nothing(scorer):
    for sentence in ["We met in May.", "Call me as soon as possible.", "This was not doubted."]:
        explained = scorer.explain(sentence)
        assert explained and all(weight == 0.0 for cue, weight in explained if not cue.kept)
        assert any(not cue.kept and cue.rule for cue, _ in explained)


def test_html_report_of_a_table_has_one_article_per_row(capsys, reviews, tmp_path):
    page = tmp_path / "report.html"
    args = ["score", "--format", "html", "-o", str(page), "--text-col", "Review Body"]
    code, _, err = run(capsys, *args, "--id-col", "ID", str(reviews))
    assert (code, err) == (0, "")
    html = page.read_text(encoding="utf-8")
    assert html.count("<article") == 3
    assert f"{reviews}:2 (ID 0)" in html and f"{reviews}:6 (ID 2)" in html  # rows 2-4: one


def test_jobs_give_the_same_table_records(capsys, reviews):
    args = ["score", str(reviews), "--text-col", "Review Body", "--format", "jsonl"]
    outputs = [run(capsys, *args, *jobs)[1] for jobs in ([], ["--jobs", "2"])]
    assert outputs[0] == outputs[1] and outputs[0]
    args += ["--per", "document"]
    outputs = [run(capsys, *args, *jobs)[1] for jobs in ([], ["--jobs", "2"])]
    assert outputs[0] == outputs[1] and len(outputs[0].splitlines()) == 3


def test_a_table_on_standard_input(capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("text,id\nIt may rain.,a\nIt rained.,b\n"))
    args = ["score", "-", "--input-format", "csv", "--text-col", "text", "--id-col", "id"]
    code, out, err = run(capsys, *args, "--format", "jsonl")
    assert (code, err) == (0, "")
    assert [(r["doc"], r["id"], r["label"]) for r in jsonl(out)] == [
        ("-", "a", "uncertain"),
        ("-", "b", "certain"),
    ]
