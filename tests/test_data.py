"""Tests of the labeled-data reader and the one-call training helper."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from classifier.errors import DataError
from classifier.io.labeled import MIN_PER_CLASS, LabeledData, read_labeled, train

from .corpus import LABELED_FIRM, LABELED_HEDGED

HEDGED = LABELED_HEDGED[:10]
FIRM = LABELED_FIRM[:10]
#: Data lines start at line 2 (after the header), hedged and firm sentences alternating.
PAIRS = [pair for h, f in zip(HEDGED, FIRM, strict=True) for pair in ((h, "1"), (f, "0"))]


def csv_text(pairs: list[tuple[str, str]] = PAIRS, header: str = "text,label") -> str:
    return header + "\n" + "".join(f'"{text}",{label}\n' for text, label in pairs)


def write(path: Path, content: str | bytes) -> Path:
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def expected_labels(pairs: list[tuple[str, str]] = PAIRS) -> list[str]:
    return ["uncertain" if label == "1" else "certain" for _, label in pairs]


# ---------------------------------------------------------------------- formats
def test_csv(tmp_path):
    data = read_labeled(write(tmp_path / "d.csv", csv_text()))
    assert isinstance(data, LabeledData)
    assert data.sentences == [text for text, _ in PAIRS]
    assert data.labels == expected_labels()
    assert data.ratings is None
    assert data.counts() == {"certain": 10, "uncertain": 10}
    assert [e.line for e in data.examples] == list(range(2, 22))
    assert data.examples[0].where == f"{tmp_path / 'd.csv'}:2"


def test_tsv_jsonl_and_json_read_the_same(tmp_path):
    tsv = "text\tlabel\n" + "".join(f"{t}\t{v}\n" for t, v in PAIRS)
    jsonl = "".join(json.dumps({"text": t, "label": int(v)}) + "\n" for t, v in PAIRS)
    array = json.dumps([{"text": t, "label": v} for t, v in PAIRS], indent=1)
    for name, content in [("d.tsv", tsv), ("d.jsonl", jsonl), ("d.json", array), ("l.json", jsonl)]:
        data = read_labeled(write(tmp_path / name, content))
        assert data.sentences == [text for text, _ in PAIRS], name
        assert data.labels == expected_labels(), name


def test_json_array_items_know_their_lines(tmp_path):
    items = [{"text": t, "label": v} for t, v in PAIRS]
    text = "[\n" + ",\n".join(json.dumps(item) for item in items) + "\n]\n"
    data = read_labeled(write(tmp_path / "d.json", text))
    assert [e.line for e in data.examples] == list(range(2, 22))


def test_format_option_overrides_the_extension(tmp_path):
    path = write(tmp_path / "d.txt", csv_text())
    with pytest.raises(DataError, match=r"d\.txt: cannot tell the format"):
        read_labeled(path)
    assert read_labeled(path, fmt="csv").labels == expected_labels()
    with pytest.raises(ValueError, match="fmt must be one of"):
        read_labeled(path, fmt="xml")


def test_other_column_names_and_extra_columns(tmp_path):
    text = "id,sentence,hedged\n" + "".join(f'{i},"{t}",{v}\n' for i, (t, v) in enumerate(PAIRS))
    data = read_labeled(write(tmp_path / "d.csv", text), text_col="sentence", label_col="hedged")
    assert data.labels == expected_labels()


def test_byte_order_mark_and_crlf(tmp_path):
    content = b"\xef\xbb\xbf" + csv_text().replace("\n", "\r\n").encode()
    assert read_labeled(write(tmp_path / "d.csv", content)).labels == expected_labels()


def test_several_files_are_one_data_set(tmp_path):
    hedged = write(tmp_path / "hedged.csv", csv_text([(t, "uncertain") for t in HEDGED]))
    firm = write(tmp_path / "firm.csv", csv_text([(t, "certain") for t in FIRM]))
    data = read_labeled([hedged, firm])
    assert data.files == (str(hedged), str(firm))
    assert data.summary() == {
        "files": {
            str(hedged): {"certain": 0, "uncertain": 10},
            str(firm): {"certain": 10, "uncertain": 0},
        },
        "sentences": 20,
        "labels": {"certain": 10, "uncertain": 10},
    }
    with pytest.raises(DataError, match="every sentence is labeled 'uncertain'"):
        read_labeled(hedged)


# ---------------------------------------------------------------------- labels
@pytest.mark.parametrize(
    ("uncertain", "certain", "options"),
    [
        ("uncertain", "certain", {}),
        ("Uncertain", "CERTAIN", {}),
        ("1", "0", {}),
        ("1.0", "0.0", {}),
        ("true", "false", {}),
        ("TRUE", "False", {}),
        ("0", "1", {"uncertain_value": "0"}),
        ("false", "true", {"uncertain_value": "false"}),
        ("false", "true", {"uncertain_value": "0"}),
    ],
)
def test_label_spellings(tmp_path, uncertain, certain, options):
    pairs = [(t, uncertain if v == "1" else certain) for t, v in PAIRS]
    data = read_labeled(write(tmp_path / "d.csv", csv_text(pairs)), **options)
    assert data.labels == expected_labels()


def test_json_booleans_and_numbers(tmp_path):
    rows = [{"text": t, "label": v == "1"} for t, v in PAIRS]
    path = write(tmp_path / "d.jsonl", "".join(json.dumps(r) + "\n" for r in rows))
    assert read_labeled(path).labels == expected_labels()
    flipped = read_labeled(path, uncertain_value="false").labels
    assert flipped == ["certain" if x == "uncertain" else "uncertain" for x in expected_labels()]


def test_ratings_with_a_threshold_are_kept(tmp_path):
    ratings = [1, 6, 2, 5, 3, 4, 3.5, 4.5, 1, 6] * 2
    pairs = [(t, str(r)) for (t, _), r in zip(PAIRS, ratings, strict=True)]
    data = read_labeled(write(tmp_path / "d.csv", csv_text(pairs)), threshold=3)
    assert data.ratings == [float(r) for r in ratings]
    # a rating at the threshold is uncertain
    assert data.labels == ["uncertain" if r <= 3 else "certain" for r in ratings]
    assert data.labels[4] == "uncertain"


def test_option_errors(tmp_path):
    path = write(tmp_path / "d.csv", csv_text())
    with pytest.raises(ValueError, match="not both"):
        read_labeled(path, threshold=3, uncertain_value="1")
    with pytest.raises(ValueError, match="uncertain label must be one label value"):
        read_labeled(path, uncertain_value=[])
    with pytest.raises(ValueError, match="finite"):
        read_labeled(path, threshold=float("nan"))


# ---------------------------------------------------------------------- errors
LINE_12 = "d.csv:12"  # the 11th data line
SAME = "These results suggest that the gene is involved."  # at line 6, labeled 1


def with_row(row: str) -> str:
    lines = csv_text().splitlines(keepends=True)
    return "".join(lines[:11] + [row + "\n"] + lines[11:])


@pytest.mark.parametrize(
    ("name", "content", "options", "pieces"),
    [
        (
            "d.csv",
            csv_text(header="sentence,label"),
            {},
            ["d.csv:1", "'text'", "not found"],
        ),
        ("d.csv", csv_text(header="text,text,label"), {}, ["d.csv:1", "'text'", "twice"]),
        ("d.csv", with_row(",1"), {}, [LINE_12, "'text'", "empty text"]),
        ("d.csv", with_row('"   ",1'), {}, [LINE_12, "'text'", "empty text"]),
        ("d.csv", with_row("It rained,"), {}, [LINE_12, "'label'", "empty label"]),
        ("d.csv", with_row("It rained,maybe"), {}, [LINE_12, "'label'", "unknown label 'maybe'"]),
        ("d.csv", with_row("It rained,3"), {}, [LINE_12, "'label'", "need a threshold"]),
        ("d.csv", with_row("It rained,NaN"), {}, [LINE_12, "'label'", "NaN"]),
        ("d.csv", with_row("It rained,nan"), {"threshold": 3}, [LINE_12, "'label'", "NaN"]),
        ("d.csv", with_row("It rained,inf"), {"threshold": 3}, [LINE_12, "not finite"]),
        ("d.csv", with_row("It rained,uncertain"), {"threshold": 3}, [LINE_12, "not a number"]),
        ("d.csv", with_row("It rained,certain"), {}, [LINE_12, "d.csv:2", "one kind of label"]),
        ("d.csv", with_row("It rained,0,extra"), {}, [LINE_12, "3 fields", "header has 2"]),
        ("d.csv", with_row('"It rained,0'), {}, ["d.csv:", "malformed CSV"]),
        (
            "d.csv",
            with_row(f'"{SAME}",0'),
            {},
            ["d.csv:6 and ", LINE_12, "'uncertain'", "'certain'"],
        ),
        ("d.csv", b"", {}, ["d.csv", "no labeled rows"]),
        ("d.csv", "text,label\n\n", {}, ["d.csv", "no labeled rows"]),
        (
            "d.csv",
            with_row("ETE,1").encode().replace(b"ETE", b"\xe9t\xe9"),
            {},
            [LINE_12, "invalid UTF-8", "byte offset"],
        ),
        (
            "d.jsonl",
            '{"text": "a", "label": 1}\n{"text": "b" "label": 1}\n',
            {},
            ["d.jsonl:2", "invalid JSON"],
        ),
        ("d.jsonl", '{"text": "a", "label": NaN}\n', {}, ["d.jsonl:1", "'label'", "NaN"]),
        ("d.jsonl", '\n{"text": "a"}\n', {}, ["d.jsonl:2", "'label'", "not found"]),
        ("d.jsonl", '{"text": 5, "label": 1}\n', {}, ["d.jsonl:1", "'text'", "expected text"]),
        ("d.jsonl", '{"text": "a", "label": [1]}\n', {}, ["d.jsonl:1", "'label'", "array"]),
        ("d.jsonl", '{"text": "a", "label": null}\n', {}, ["d.jsonl:1", "'label'", "empty label"]),
        ("d.jsonl", "[1, 2]\n", {}, ["d.jsonl:1", "expected a JSON object"]),
        (
            "d.json",
            '[\n{"text": "a", "label": 1},\n{"text": "b", "label": }\n]',
            {},
            ["d.json:3", "invalid JSON"],
        ),
    ],
)
def test_errors_name_file_line_and_column(tmp_path, name, content, options, pieces):
    path = write(tmp_path / name, content)
    with pytest.raises(DataError) as caught:
        read_labeled(path, **options)
    message = str(caught.value)
    assert str(path.parent) in message
    for piece in pieces:
        assert piece in message, message


def test_invalid_utf8_byte_offset_is_exact(tmp_path):
    content = b"text,label\nIt rained,0\ncaf\xe9,1\n"
    with pytest.raises(DataError, match="d.csv:3: invalid UTF-8 at byte offset 26 "):
        read_labeled(write(tmp_path / "d.csv", content))


def test_csv_line_is_the_physical_line_a_record_starts_on(tmp_path):
    lines = csv_text().splitlines(keepends=True)
    multi = '"It rained\non two\nlines.",0\n'  # record at line 12 spans 12-14
    content = "".join(lines[:11]) + multi + ",1\n"  # empty text at line 15
    with pytest.raises(DataError, match=r"d\.csv:15: column 'text': empty text"):
        read_labeled(write(tmp_path / "d.csv", content))


def test_conflicts_across_files_name_both(tmp_path):
    a = write(tmp_path / "a.csv", csv_text())
    b = write(tmp_path / "b.csv", csv_text([(SAME, "0")]))
    with pytest.raises(DataError, match=r"a\.csv:6 and .*b\.csv:2: the same sentence"):
        read_labeled([a, b])


def test_duplicates_with_the_same_label_are_kept(tmp_path):
    data = read_labeled(write(tmp_path / "d.csv", with_row(f'"{SAME}",1')))
    assert data.sentences.count(SAME) == 2


def test_conflicts_ignore_surrounding_and_repeated_spaces(tmp_path):
    with pytest.raises(DataError, match="the same sentence"):
        read_labeled(write(tmp_path / "d.csv", with_row(f'"  {SAME.replace(" ", "  ")}",0')))


@pytest.mark.parametrize("short", ["uncertain", "certain"])
def test_too_few_of_a_class(tmp_path, short):
    n = MIN_PER_CLASS - 1
    pairs = [(t, "uncertain") for t in HEDGED[: n if short == "uncertain" else 10]]
    pairs += [(t, "certain") for t in FIRM[: n if short == "certain" else 10]]
    path = write(tmp_path / "d.csv", csv_text(pairs))
    with pytest.raises(DataError, match=f"only {n} '{short}' sentences; at least {MIN_PER_CLASS}"):
        read_labeled(path)
    assert read_labeled(path, min_per_class=n).counts()[short] == n


def test_min_per_class_zero_accepts_one_class(tmp_path):
    path = write(tmp_path / "d.csv", csv_text([(t, "certain") for t in FIRM]))
    assert read_labeled(path, min_per_class=0).counts() == {"certain": 10, "uncertain": 0}


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(DataError, match="no such file"):
        read_labeled(tmp_path / "none.csv")
    folder = tmp_path / "dir.csv"
    folder.mkdir()
    with pytest.raises(DataError, match="is a directory"):
        read_labeled(folder)


# ---------------------------------------------------------------------- train
def test_train_from_a_file_and_from_rows_agree(tmp_path):
    path = write(tmp_path / "d.csv", csv_text())
    from_file = train(path, seed=3)
    from_rows = train(PAIRS, seed=3)
    assert from_file.random_state == 3
    assert from_file.cv_metrics_ == from_rows.cv_metrics_
    sentences = ["The drug might work.", "The drug works."]
    np.testing.assert_array_equal(
        from_file.scorer_.certainty(sentences), from_rows.scorer_.certainty(sentences)
    )
    assert from_file.scorer_.certainty(sentences)[0] < from_file.scorer_.certainty(sentences)[1]


def test_train_checks_rows_like_files():
    with pytest.raises(DataError, match=r"<rows>:3: column 'label': unknown label 'maybe'"):
        train([PAIRS[0], PAIRS[1], ("It rained.", "maybe")])
    with pytest.raises(DataError, match=r"<rows>:1: expected a \(text, label\) pair"):
        train([("only a sentence",), *PAIRS])
    with pytest.raises(DataError, match="only 2 'uncertain'"):
        train(PAIRS[:4] + [(t, "0") for t in FIRM[2:]])


def test_train_with_a_lexicon_directory(tmp_path):
    lexicon = tmp_path / "lex"
    lexicon.mkdir()
    write(lexicon / "mine.tsv", "cue\tcategory\tweight\tnote\nmay\tmodal\t1.0\t\n")
    clf = train(PAIRS, lexicon=lexicon)
    assert [e.cue for e in clf.pipeline_.named_steps["features"].lexicon_.entries] == ["may"]
