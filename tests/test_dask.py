"""classifier.dask on a real two-process LocalCluster: same output as local scoring."""

import json
import subprocess
import sys

import joblib
import numpy as np
import pytest
from sklearn.exceptions import NotFittedError

from classifier import CertaintyClassifier
from classifier.cli.main import main as hedge
from classifier.dask import MODEL_KEY_PREFIX, score_bag, score_frame
from classifier.model.scorer import Scorer

from .corpus import SENTENCES

dask = pytest.importorskip("dask")
distributed = pytest.importorskip("dask.distributed")
db = pytest.importorskip("dask.bag")
dd = pytest.importorskip("dask.dataframe")
pd = pytest.importorskip("pandas")

TEXTS = [
    "Russia annexed Crimea from Ukraine in 2014. The chances of Moscow escalating the "
    "situation into an assault are slim.",
    "The new protein may play a role in DNA repair, although its partners remain unknown.",
    "It binds to RAD51. Dr. Smith et al. measured it twice in Fig. 2 at 4.5 degrees.",
    "Perhaps the effect is indirect.\n\nThe samples were stored at four degrees.",
    "",
    "These results suggest that the gene is involved. It may, or may not, matter.",
    "   The study enrolled 200 children in May 2020.   ",
    "We think the signal is likely to be noise. It is possibly an artifact.",
    "There is no doubt that the drug works. It is not unlikely that it fails in others.",
    "The U.S. team reported the result. It seems that the trend will continue.",
    "Military might was on display. The parade ended as soon as possible.",
    "The virus might spread to other regions. It spread to three regions.",
    "A role for the receptor cannot be ruled out.",
    '"It may work," she said. The minister denied it.',
    "The mechanism remains to be seen. Further research is needed to confirm it.",
    "Approximately 40 patients were treated. About half of them improved.",
    "The treatment probably helps some patients. Some experts believe it is harmful.",
    "Likely voters backed the bill. The bill passed.",
    "It is unclear whether the drug works. If confirmed, it could change practice.",
    "The gene is expressed in the liver. The pathway was blocked by the inhibitor.",
    "Whether the sky is blue is a matter of some debate, according to sources.",
]


@pytest.fixture(scope="module")
def clf():
    return CertaintyClassifier.load()


@pytest.fixture(scope="module")
def client():
    with (
        distributed.LocalCluster(
            n_workers=2,
            processes=True,
            threads_per_worker=1,
            host="127.0.0.1",
            dashboard_address="127.0.0.1:0",  # any free port, not 8787
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


@pytest.fixture
def pickles(monkeypatch):
    """Count the times a model or a scorer is pickled in this process (client and scheduler)."""
    count = []

    def reduce_ex(self, protocol):
        count.append(protocol)
        return object.__reduce_ex__(self, protocol)

    monkeypatch.setattr(CertaintyClassifier, "__reduce_ex__", reduce_ex)
    monkeypatch.setattr(Scorer, "__reduce_ex__", reduce_ex)
    return count


def assert_same_records(records, expected):
    """Equal in order and in every field, ``certainty`` to 12 significant digits."""
    assert [list(r) for r in records] == [list(r) for r in expected]  # fields, in order
    assert [{**r, "certainty": None} for r in records] == [
        {**r, "certainty": None} for r in expected
    ]
    assert_same_certainty([r["certainty"] for r in records], [r["certainty"] for r in expected])


def assert_same_certainty(actual, expected):
    """Equal but for the last bits: the featurizer sums repeated columns (``prior`` of three
    cues) in an order that follows string hashing, which differs between processes."""
    np.testing.assert_allclose(np.asarray(actual), np.asarray(expected), rtol=1e-12, atol=0)


def local_records(clf, texts):
    return [
        {
            "doc": doc,
            "sentence": index,
            "start": s.start,
            "end": s.end,
            "text": s.text,
            "certainty": s.certainty,
            "rating": s.rating,
            "label": s.label,
            "cues": [
                {"text": c.text, "start": c.start, "end": c.end, "category": c.category}
                for c in s.cues
            ],
        }
        for doc, text in enumerate(texts)
        for index, s in enumerate(clf.scorer_.score(text))
    ]


def local_cues(clf, sentences):
    return [
        "; ".join(f"{c.text}|{c.category}" for c in s.cues)
        for s in clf.scorer_.score_sentences(sentences)
    ]


# ---------------------------------------------------------------------- bags
def test_score_bag_equals_local_scoring_in_order(client, clf):
    bag = db.from_sequence(TEXTS, npartitions=6)
    records = client.compute(score_bag(bag, clf)).result()
    expected = local_records(clf, TEXTS)
    assert len(expected) > len(TEXTS)  # documents were split
    assert_same_records(records, expected)
    assert [(r["doc"], r["sentence"]) for r in records] == sorted(
        (r["doc"], r["sentence"]) for r in records
    )
    assert {r["doc"] for r in records} == set(range(len(TEXTS))) - {4}  # text 4 is empty
    for r in records:
        assert TEXTS[r["doc"]][r["start"] : r["end"]] == r["text"]
    # the work ran in the worker processes, which had to load the scorer
    assert set(client.run(lambda: "classifier.model.scorer" in sys.modules).values()) == {True}
    # ... and scored with plain weights: the workers never needed scikit-learn
    assert set(client.run(lambda: "sklearn" in sys.modules).values()) == {False}


def test_score_bag_records_are_those_of_the_jsonl_command(client, clf, tmp_path, capsys):
    paths = []
    for i, text in enumerate(TEXTS[:4]):
        paths.append(str(tmp_path / f"doc{i}.txt"))
        with open(paths[-1], "w", encoding="utf-8") as f:
            f.write(text)
    assert hedge(["score", "--format", "jsonl", *paths]) == 0
    command = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    bag = db.from_sequence(list(zip(paths, TEXTS[:4], strict=True)), npartitions=2)
    records = client.compute(score_bag(bag, clf)).result()
    assert_same_records(records, command)


def test_score_bag_of_sentences(client, clf):
    sentences = SENTENCES + ["Perhaps.", ""]
    bag = db.from_sequence([(f"s{i}", s) for i, s in enumerate(sentences)], npartitions=5)
    records = client.compute(score_bag(bag, clf, split=False)).result()
    scored = sentences[:-1]  # a blank item has no sentence, as a blank line in hedge score --lines
    scores = clf.scorer_.score_sentences(scored)
    assert [r["doc"] for r in records] == [f"s{i}" for i in range(len(scored))]
    assert {r["sentence"] for r in records} == {0}
    assert_same_certainty([r["certainty"] for r in records], [s.certainty for s in scores])
    assert [r["label"] for r in records] == [s.label for s in scores]
    assert [[c["text"] for c in r["cues"]] for r in records] == [
        [c.text for c in s.cues] for s in scores
    ]
    assert [(r["start"], r["end"]) for r in records] == [(0, len(s)) for s in scored]


def test_score_bag_per_document_gives_the_document_scores(client, clf):
    bag = db.from_sequence(TEXTS, npartitions=3)
    records = client.compute(score_bag(bag, clf, per="document")).result()
    assert [r["doc"] for r in records] == list(range(len(TEXTS)))  # the empty text too
    for record, text in zip(records, TEXTS, strict=True):
        expected = clf.scorer_.score_document(text)
        assert record["sentences"] == expected.sentences
        assert record["uncertain"] == expected.uncertain
        assert record["label"] == expected.label
        assert record["categories"] == list(expected.categories)
        assert_same_certainty(
            [record["certainty"] or 0.0, record["uncertain_share"] or 0.0],
            [expected.certainty or 0.0, expected.uncertain_share or 0.0],
        )
    with pytest.raises(ValueError, match="per must be"):
        score_bag(bag, clf, per="paragraph")


# ---------------------------------------------------------------------- data frames
def frame_with_gaps():
    texts = [*TEXTS, None, 3, "It may rain.\n", float("nan")]
    index = [f"row{i:03d}" for i in range(len(texts))]
    return pd.DataFrame(
        {"id": range(len(texts)), "text": pd.Series(texts, index=index, dtype=object)},
        index=index,
    )


@pytest.mark.parametrize("per", ["document", "sentence"])
def test_score_frame_gives_what_pandas_gives(client, clf, per):
    from classifier.pandas import score_frame as pandas_score_frame

    frame = frame_with_gaps()
    expected = pandas_score_frame(frame, model=clf, per=per)
    with dask.config.set({"dataframe.convert-string": False}):  # the same frame, as it is
        ddf = dd.from_pandas(frame, npartitions=4)
    scored = score_frame(ddf, model=clf, per=per)
    assert list(scored.columns) == list(expected.columns)
    result = client.compute(scored).result()
    pd.testing.assert_frame_equal(result, expected)
    assert dict(result.dtypes) == dict(scored.dtypes)  # meta matches what workers return
    labeled = ddf.assign(label="certain")
    with pytest.raises(ValueError, match="prefix='hedge_'"):
        score_frame(labeled, model=clf, per=per)
    prefixed = score_frame(labeled, model=clf, per=per, prefix="p_")
    pd.testing.assert_frame_equal(
        prefixed.compute(scheduler="sync"),
        pandas_score_frame(labeled.compute(), model=clf, per=per, prefix="p_"),
    )


def test_score_frame_per_document_gives_the_records_of_hedge_score(clf, tmp_path, capsys):
    frame = pd.DataFrame({"body": TEXTS[:6]})
    path = tmp_path / "t.jsonl"
    frame.to_json(path, orient="records", lines=True)
    assert (
        hedge(["score", "--per", "document", "--format", "jsonl", "--text-col", "body", str(path)])
        == 0
    )
    command = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    scored = score_frame(dd.from_pandas(frame, npartitions=2), "body", model=clf).compute()
    for record, (_, row) in zip(command, scored.iterrows(), strict=True):
        assert record["sentences"] == row["sentences"]
        assert record["label"] == (None if pd.isna(row["label"]) else row["label"])
        assert_same_certainty(
            [record["certainty"] or 0.0],
            [row["certainty"] if not pd.isna(row["certainty"]) else 0.0],
        )


def test_score_frame_other_column_and_empty_partition(clf):
    frame = pd.DataFrame({"sentence": ["It may rain.", "It rained."]})
    ddf = dd.from_pandas(frame, npartitions=1)
    ddf = dd.concat([ddf, ddf[ddf["sentence"] == "nothing"]])  # an empty partition
    for per in ("document", "sentence"):
        prefix = "p_" if per == "sentence" else ""  # per sentence adds a "sentence" column
        scored = score_frame(ddf, column="sentence", model=clf, per=per, prefix=prefix)
        result = scored.compute(scheduler="sync")
        assert result[f"{prefix}label"].tolist() == ["uncertain", "certain"]
        assert result[f"{prefix}cues"].tolist() == ["may|modal", ""]
    with pytest.raises(ValueError, match="'sentence' that score_frame adds; pass prefix="):
        score_frame(ddf, column="sentence", model=clf, per="sentence")


def test_score_bag_of_read_text_lines_drops_the_line_ending(clf, tmp_path):
    path = tmp_path / "lines.txt"
    path.write_text("It may rain.\n  The sky is blue.  \n\nPerhaps.", encoding="utf-8")
    bag = db.read_text(str(path))
    records = score_bag(bag, clf, split=False).compute(scheduler="sync")
    assert [r["text"] for r in records] == ["It may rain.", "The sky is blue.", "Perhaps."]
    assert [(r["start"], r["end"]) for r in records] == [(0, 12), (2, 18), (0, 8)]
    split = score_bag(db.read_text(str(path)), clf).compute(scheduler="sync")
    assert [r["text"] for r in split] == ["It may rain.", "The sky is blue.", "Perhaps."]


def test_score_bag_missing_values_are_those_of_pandas(clf):
    from classifier.pandas import score_frame as pandas_score_frame

    items = ["It may rain. It rained.", None, "", float("nan"), "Perhaps."]
    records = score_bag(db.from_sequence(items, npartitions=2), clf, per="document").compute(
        scheduler="sync"
    )
    frame = pandas_score_frame(pd.DataFrame({"text": pd.Series(items, dtype=object)}), model=clf)
    assert [r["sentences"] for r in records] == [
        None if pd.isna(n) else n for n in frame["sentences"]
    ]
    assert [r["label"] for r in records] == [None if pd.isna(x) else x for x in frame["label"]]
    sentences = score_bag(db.from_sequence(items, npartitions=2), clf).compute(scheduler="sync")
    assert [r["doc"] for r in sentences] == [0, 0, 4]
    with pytest.raises(TypeError, match=r"bag item [13] is (NoneType|float)"):
        score_bag(db.from_sequence(items), clf, errors="raise").compute(scheduler="sync")


# ---------------------------------------------------------------------- shipping the model
def test_model_is_pickled_once_not_per_partition(client, clf, pickles):
    sentences = (SENTENCES * 3)[:64]
    bag = db.from_sequence(sentences, npartitions=16)
    assert bag.npartitions == 16

    # the counter works: a model passed as a plain argument is pickled into every task
    sizes = client.compute(bag.map_partitions(lambda part, model: [len(part)], clf)).result()
    assert sum(sizes) == 64 and len(pickles) >= 16
    del pickles[:]

    records = client.compute(score_bag(bag, clf, split=False)).result()
    assert len(records) == 64
    assert len(pickles) < 8, f"model pickled {len(pickles)} times for 16 partitions"
    del pickles[:]

    frame = dd.from_pandas(pd.DataFrame({"text": sentences}), npartitions=16)
    assert frame.npartitions == 16
    result = client.compute(score_frame(frame, model=clf)).result()
    assert len(result) == 64
    assert len(pickles) < 8, f"model pickled {len(pickles)} times for 16 partitions"


def test_model_is_one_graph_node_under_its_own_key(clf):
    from dask.base import tokenize

    token = tokenize(clf.scorer_)
    bag = score_bag(db.from_sequence(TEXTS, npartitions=4), clf)
    frame = score_frame(dd.from_pandas(pd.DataFrame({"text": SENTENCES}), npartitions=3), model=clf)
    for collection in (bag, frame):
        names = [key[0] if isinstance(key, tuple) else key for key in collection.__dask_graph__()]
        assert [name for name in names if "model" in name] == [f"{MODEL_KEY_PREFIX}-{token}"]
        assert f"Scorer-{token}" not in names  # the key client.scatter(scorer) uses


def test_joblib_dask_backend(client, clf, pickles):
    sentences = SENTENCES * 6
    batches = [sentences[i : i + 12] for i in range(0, len(sentences), 12)]
    assert len(batches) == 12
    with joblib.parallel_backend("dask", scatter=[clf]):
        parts = joblib.Parallel(batch_size=1)(
            joblib.delayed(CertaintyClassifier.predict_proba)(clf, batch) for batch in batches
        )
    assert_same_certainty(np.vstack(parts), clf.predict_proba(sentences))
    assert len(pickles) < len(batches), f"model pickled {len(pickles)} times for 12 batches"


# ---------------------------------------------------------------------- errors and imports
def test_bad_arguments(clf):
    bag = db.from_sequence(["It may rain."])
    with pytest.raises(TypeError, match="dask.bag.Bag"):
        score_bag(["It may rain."], clf)
    with pytest.raises(TypeError, match="CertaintyClassifier"):
        score_bag(bag, "model.joblib")
    with pytest.raises(NotFittedError):
        score_bag(bag, CertaintyClassifier())
    with pytest.raises(TypeError, match=r"bag item 1 is int, expected str or a \(doc, text\)"):
        score_bag(db.from_sequence(["It may rain.", 3]), clf, errors="raise").compute(
            scheduler="sync"
        )

    texts = pd.Series(["It may rain.", None], index=[7, 8], dtype=object)
    ddf = dd.from_pandas(pd.DataFrame({"text": texts}), 1)
    with pytest.raises(TypeError, match="dask.dataframe.DataFrame"):
        score_frame(ddf.compute(), model=clf)
    with pytest.raises(KeyError, match="no column 'sentence'"):
        score_frame(ddf, column="sentence", model=clf)
    with pytest.raises(ValueError, match="'label' that score_frame adds"):
        score_frame(ddf.assign(label="x"), model=clf)
    with pytest.raises(TypeError, match="column 'text' at index 8 "):
        score_frame(ddf, model=clf, errors="raise").compute(scheduler="sync")


def test_importing_the_package_does_not_import_dask():
    code = (
        "import sys, classifier, classifier.dask\n"
        "loaded = [m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed')]\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
