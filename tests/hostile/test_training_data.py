"""Hostile training data (issue 16): a key twice in a JSON object, a huge field or line,
a lexicon without hedge cues."""

from __future__ import annotations

import json

import pytest

from classifier.errors import DataError
from classifier.io.labeled import read_labeled, train
from tests.test_data import PAIRS, csv_text, write


def test_a_key_twice_in_one_json_object_is_an_error(tmp_path):
    row = '{"text": "It may rain.", "label": "certain", "label": "uncertain"}'
    path = write(tmp_path / "d.jsonl", '{"text": "It rained.", "label": "certain"}\n' + row + "\n")
    with pytest.raises(DataError, match="d.jsonl:2: the key 'label' appears twice"):
        read_labeled(path, min_per_class=0)
    array = write(tmp_path / "d.json", "[\n" + '{"text": "a", "label": "certain"},\n' + row + "]")
    with pytest.raises(DataError, match="d.json:3: the key 'label' appears twice"):
        read_labeled(array, min_per_class=0)


def test_a_huge_field_or_line_is_refused_before_it_is_held(tmp_path, monkeypatch):
    from classifier.io import labeled as data
    from classifier.io import tables

    monkeypatch.setattr(tables, "MAX_LINE_CHARS", 1000)
    path = write(tmp_path / "d.csv", csv_text() + '"' + "x" * 5000 + '",certain\n')
    with pytest.raises(DataError, match="d.csv:22: a line longer than 1000 characters"):
        read_labeled(path)
    quoted = write(tmp_path / "q.csv", csv_text() + '"' + "x\n" * 100_000 + '",certain\n')
    with pytest.raises(DataError, match="q.csv:.*field larger than field limit"):
        read_labeled(quoted)
    monkeypatch.setattr(data, "MAX_JSON_ARRAY_BYTES", 100)
    array = write(tmp_path / "d.json", json.dumps([{"text": t, "label": lab} for t, lab in PAIRS]))
    with pytest.raises(DataError, match="d.json: a JSON array is read whole.*JSON Lines"):
        read_labeled(array)


def test_a_lexicon_without_hedge_cues_warns(tmp_path):
    folder = tmp_path / "lexicon"
    folder.mkdir()
    (folder / "empty.tsv").write_text("cue\tcategory\tweight\tnote\n", encoding="utf-8")
    pairs = [(text, label) for text, label in PAIRS]
    with pytest.warns(UserWarning, match="the lexicon has no hedge cue"):
        train(pairs, lexicon=folder)
