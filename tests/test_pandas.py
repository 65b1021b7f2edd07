"""Tests of classifier.pandas.score_frame."""

from __future__ import annotations

import math

import pytest

pd = pytest.importorskip("pandas")

from classifier.model import CertaintyClassifier  # noqa: E402
from classifier.pandas import score_frame  # noqa: E402

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
def test_one_row_per_row_aggregated(df, clf):
    before = df.copy()
    out = score_frame(df, model=clf)
    pd.testing.assert_frame_equal(df, before)  # the input is not changed
    assert list(out.columns) == ["id", "text", "source", "certainty", "label", "cues"]
    assert list(out.index) == list(df.index)
    pd.testing.assert_frame_equal(out[["id", "text", "source"]], df)
    for text, (_, row) in zip(TEXTS, out.iterrows(), strict=True):
        scores = clf.scorer_.score(text)
        if not scores:
            assert math.isnan(row["certainty"]) and pd.isna(row["label"])
            assert row["cues"] == ""
            continue
        assert row["certainty"] == min(s.certainty for s in scores)
        uncertain = any(s.label == "uncertain" for s in scores)
        assert row["label"] == ("uncertain" if uncertain else "certain")
        assert row["cues"] == cue_field(scores)
    assert out["certainty"].dtype == "float64"
    assert list(out["label"].iloc[[0, 1, 3]]) == ["uncertain", "certain", "uncertain"]
    assert out["cues"].iloc[3].count("; ") >= 2  # cues of both sentences


def test_one_row_per_sentence(df, clf):
    out = score_frame(df, model=clf, sentences=True)
    assert list(out.columns) == [
        "id", "text", "source", "sentence", "start", "end", "certainty", "label", "cues",
    ]  # fmt: skip
    expected = [
        (label, i, text, s)
        for label, text in zip(df.index, TEXTS, strict=True)
        for i, s in enumerate(clf.scorer_.score(text))
    ]
    assert len(out) == len(expected) == 5  # the empty text gives no row
    assert list(out.index) == [label for label, *_ in expected]
    for (_, row), (_, number, text, score) in zip(out.iterrows(), expected, strict=True):
        assert row["sentence"] == number
        assert (row["start"], row["end"]) == (score.start, score.end)
        assert row["text"] == score.text == text[row["start"] : row["end"]]
        assert row["certainty"] == score.certainty
        assert row["label"] == score.label
        assert row["cues"] == cue_field([score])
    assert list(out["id"]) == [10, 10, 11, 13, 13]
    assert [str(out[c].dtype) for c in ("sentence", "start", "end")] == ["int64"] * 3


def test_another_column_and_string_dtype(clf):
    df = pd.DataFrame({"body": pd.array(["Perhaps.", "It is so."], dtype="string")})
    out = score_frame(df, "body", model=clf, sentences=True)
    assert list(out.columns) == ["body", "sentence", "start", "end", "certainty", "label", "cues"]
    assert out["label"].dtype == "string" and out["body"].dtype == "string"
    assert list(out["label"]) == ["uncertain", "certain"]


def test_empty_frame(clf):
    df = pd.DataFrame({"text": pd.Series([], dtype=object)})
    assert list(score_frame(df, model=clf).columns) == ["text", "certainty", "label", "cues"]
    assert len(score_frame(df, model=clf, sentences=True)) == 0


def test_default_model_is_the_bundled_one(clf):
    df = pd.DataFrame({"text": ["It may rain."]})
    pd.testing.assert_frame_equal(score_frame(df), score_frame(df, model=clf))


# ---------------------------------------------------------------------- errors
def test_missing_column_is_named(df):
    with pytest.raises(KeyError, match="no column 'body'.*'id', 'text', 'source'"):
        score_frame(df, "body")


@pytest.mark.parametrize("value, kind", [(None, "NoneType"), (float("nan"), "float"), (3, "int")])
def test_a_cell_that_is_not_text_names_its_row(clf, value, kind):
    df = pd.DataFrame({"text": ["Fine.", "Also fine.", value]}, index=[5, 6, 7], dtype=object)
    for sentences in (False, True):
        with pytest.raises(
            TypeError, match=rf"'text' at index 7 \(row 2\) is {kind}, expected str"
        ):
            score_frame(df, model=clf, sentences=sentences)


def test_clashing_columns(clf):
    df = pd.DataFrame({"text": ["Fine."], "label": ["certain"]})
    with pytest.raises(ValueError, match="'label'"):
        score_frame(df, model=clf)
    df = pd.DataFrame({"text": ["Fine."], "start": [0]})
    assert "start" in score_frame(df, model=clf).columns  # only added with sentences=True
    with pytest.raises(ValueError, match="'start'"):
        score_frame(df, model=clf, sentences=True)


def test_bad_arguments(clf):
    with pytest.raises(TypeError, match="DataFrame"):
        score_frame(pd.Series(["Fine."]), model=clf)
    with pytest.raises(TypeError, match="CertaintyClassifier"):
        score_frame(pd.DataFrame({"text": ["Fine."]}), model="default")
    with pytest.raises(ValueError, match="duplicate"):
        score_frame(pd.DataFrame([["a", "b"]], columns=["text", "text"]), model=clf)


# ---------------------------------------------------------------------- README
