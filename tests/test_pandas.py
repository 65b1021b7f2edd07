"""Tests of classifier.pandas.score_frame."""

from __future__ import annotations

import math

import numpy as np
import pytest

pd = pytest.importorskip("pandas")

from classifier.model.estimator import CertaintyClassifier  # noqa: E402
from classifier.pandas import DOCUMENT_COLUMNS, OUTPUT_COLUMNS, score_frame  # noqa: E402

TEXTS = [
    "It may rain. The sky is blue.",
    "The protein binds DNA.",
    "",
    "Perhaps the chances of a recovery are slim.\n\nIt is unclear whether it works.",
]


@pytest.fixture(scope="module")
def clf() -> CertaintyClassifier:
    return CertaintyClassifier.load()


@pytest.fixture
def df() -> pd.DataFrame:
    return pd.DataFrame(
        {"id": [10, 11, 12, 13], "text": TEXTS, "source": ["a", "b", "c", "d"]},
        index=["w", "x", "y", "w"],  # a repeated label on purpose
    )


def cue_field(scores) -> str:
    return "; ".join(f"{c.text}|{c.category}" for s in scores for c in s.cues)


# ---------------------------------------------------------------------- documents
def test_one_row_per_row_is_the_document_score(df, clf):
    before = df.copy()
    out = score_frame(df, model=clf)
    pd.testing.assert_frame_equal(df, before)  # the input is not changed
    assert list(out.columns) == ["id", "text", "source", *DOCUMENT_COLUMNS]
    assert list(out.index) == list(df.index)
    pd.testing.assert_frame_equal(out[["id", "text", "source"]], df)
    for text, (_, row) in zip(TEXTS, out.iterrows(), strict=True):
        doc = clf.scorer_.score_document(text)
        assert row["sentences"] == doc.sentences and row["uncertain"] == doc.uncertain
        assert row["cues"] == cue_field(doc.scores)
        assert row["categories"] == "; ".join(doc.categories)
        if not doc.sentences:
            assert math.isnan(row["certainty"]) and math.isnan(row["uncertain_share"])
            assert pd.isna(row["label"])
            continue
        assert row["certainty"] == doc.certainty == min(s.certainty for s in doc.scores)
        assert row["uncertain_share"] == doc.uncertain_share
        assert row["label"] == doc.label
    assert out["certainty"].dtype == "float64"
    assert list(out["label"].iloc[[0, 1, 3]]) == ["uncertain", "certain", "uncertain"]
    assert list(out["uncertain_share"].iloc[[0, 1, 3]]) == [0.5, 0.0, 1.0]
    assert out["cues"].iloc[3].count("; ") >= 2  # cues of both sentences


def test_one_row_per_sentence(df, clf):
    out = score_frame(df, model=clf, per="sentence")
    assert list(out.columns) == [
        "id", "text", "source", "sentence", "start", "end", "certainty", "rating", "label", "cues",
    ]  # fmt: skip
    expected = [
        (label, i, text, s)
        for label, text in zip(df.index, TEXTS, strict=True)
        for i, s in enumerate(clf.scorer_.score(text) or [None])
    ]
    assert len(out) == len(expected) == 6  # the empty text keeps one row
    assert list(out.index) == [label for label, *_ in expected]
    for (_, row), (_, number, text, score) in zip(out.iterrows(), expected, strict=True):
        if score is None:
            assert row["text"] == text == ""
            assert all(pd.isna(row[name]) for name in ("sentence", "start", "end", "label"))
            assert math.isnan(row["certainty"])
            continue
        assert row["sentence"] == number
        assert (row["start"], row["end"]) == (score.start, score.end)
        assert row["text"] == score.text == text[row["start"] : row["end"]]
        assert row["certainty"] == score.certainty
        assert row["label"] == score.label
        assert row["cues"] == cue_field([score])
    assert list(out["id"]) == [10, 10, 11, 12, 13, 13]
    assert [str(out[c].dtype) for c in ("sentence", "start", "end")] == ["Int64"] * 3


def test_another_column_and_string_dtype(clf):
    df = pd.DataFrame({"body": pd.array(["Perhaps.", "It is so."], dtype="string")})
    out = score_frame(df, "body", model=clf, per="sentence")
    assert list(out.columns) == [
        "body",
        "sentence",
        "start",
        "end",
        "certainty",
        "rating",
        "label",
        "cues",
    ]
    assert out["label"].dtype == "string" and out["body"].dtype == "string"
    assert list(out["label"]) == ["uncertain", "certain"]


def test_empty_frame(clf):
    df = pd.DataFrame({"text": pd.Series([], dtype=object)})
    assert list(score_frame(df, model=clf).columns) == ["text", *DOCUMENT_COLUMNS]
    assert len(score_frame(df, model=clf, per="sentence")) == 0


def test_default_model_is_the_bundled_one(clf):
    df = pd.DataFrame({"text": ["It may rain."]})
    pd.testing.assert_frame_equal(score_frame(df), score_frame(df, model=clf))


# ---------------------------------------------------------------------- errors
def test_missing_column_is_named(df):
    with pytest.raises(KeyError, match="no column 'body'.*'id', 'text', 'source'"):
        score_frame(df, "body")


MISSING = [None, float("nan"), pd.NA, np.nan]


@pytest.mark.parametrize("missing", MISSING)
def test_a_missing_cell_gives_missing_results(clf, missing):
    df = pd.DataFrame({"text": ["It may rain.", missing, "It rained."], "n": [1, 2, 3]})
    out = score_frame(df, model=clf)
    assert list(out["n"]) == [1, 2, 3]  # no row is lost
    row = out.iloc[1]
    assert math.isnan(row["certainty"]) and math.isnan(row["uncertain_share"])
    assert all(pd.isna(row[name]) for name in ("label", "sentences", "uncertain", "cues"))
    assert list(out["label"].iloc[[0, 2]]) == ["uncertain", "certain"]
    assert str(out["sentences"].dtype) == "Int64"
    by_sentence = score_frame(df, model=clf, per="sentence")
    assert list(by_sentence["n"]) == [1, 2, 3]
    assert math.isnan(by_sentence["certainty"].iloc[1])
    assert pd.isna(by_sentence["sentence"].iloc[1]) and pd.isna(by_sentence["label"].iloc[1])


def test_a_missing_cell_in_a_string_column(clf):
    df = pd.DataFrame({"text": pd.array(["Perhaps.", None], dtype="string")})
    out = score_frame(df, model=clf)
    assert out["label"].dtype == "string"
    assert out["label"].iloc[0] == "uncertain" and pd.isna(out["label"].iloc[1])


@pytest.mark.parametrize("value, kind", [(None, "NoneType"), (float("nan"), "float")])
def test_errors_raise_refuses_a_missing_cell_naming_its_row(clf, value, kind):
    df = pd.DataFrame({"text": ["Fine.", "Also fine.", value]}, index=[5, 6, 7], dtype=object)
    for per in ("document", "sentence"):
        with pytest.raises(
            TypeError, match=rf"'text' at index 7 \(row 2\) is {kind}, expected str"
        ):
            score_frame(df, model=clf, per=per, errors="raise")


def test_a_cell_that_is_not_text_is_handled_as_errors_says(clf):
    df = pd.DataFrame({"text": ["Fine.", 3]}, index=[5, 6], dtype=object)
    for per in ("document", "sentence"):
        with pytest.raises(TypeError, match=r"'text' at index 6 \(row 1\) is int, expected str"):
            score_frame(df, model=clf, per=per, errors="raise")
        out = score_frame(df, model=clf, per=per)  # errors="coerce": scored as missing
        missing = df.assign(text=pd.Series(["Fine.", None], index=df.index, dtype=object))
        missing = score_frame(missing, model=clf, per=per)
        pd.testing.assert_frame_equal(out.drop(columns="text"), missing.drop(columns="text"))
        assert out["label"].isna().tolist() == [False, True]


def test_clashing_columns(clf):
    df = pd.DataFrame({"text": ["Fine."], "label": ["certain"]})
    with pytest.raises(ValueError, match="'label' that score_frame adds; pass prefix='hedge_'"):
        score_frame(df, model=clf)
    for per, added in (("document", DOCUMENT_COLUMNS), ("sentence", OUTPUT_COLUMNS)):
        out = score_frame(df, model=clf, per=per, prefix="hedge_")
        assert out["label"].tolist() == ["certain"]  # labeled data keeps its label
        assert [f"hedge_{name}" for name in added] == [
            name for name in out.columns if name.startswith("hedge_")
        ][-len(added) :]
        assert out["hedge_label"].tolist() == ["certain"]
    with pytest.raises(ValueError, match="'hedge_label'"):
        score_frame(df.assign(hedge_label="x"), model=clf, prefix="hedge_")
    df = pd.DataFrame({"text": ["Fine."], "start": [0]})
    assert "start" in score_frame(df, model=clf).columns  # only added per sentence
    with pytest.raises(ValueError, match="'start'"):
        score_frame(df, model=clf, per="sentence")


def test_bad_arguments(clf):
    with pytest.raises(TypeError, match="DataFrame"):
        score_frame(pd.Series(["Fine."]), model=clf)
    with pytest.raises(TypeError, match="CertaintyClassifier"):
        score_frame(pd.DataFrame({"text": ["Fine."]}), model="default")
    with pytest.raises(ValueError, match="duplicate"):
        score_frame(pd.DataFrame([["a", "b"]], columns=["text", "text"]), model=clf)
    with pytest.raises(ValueError, match="per must be one of 'document', 'sentence'"):
        score_frame(pd.DataFrame({"text": ["Fine."]}), model=clf, per="row")
    with pytest.raises(ValueError, match="errors must be one of"):
        score_frame(pd.DataFrame({"text": ["Fine."]}), model=clf, errors="ignore")
