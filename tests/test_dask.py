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
    scores = clf.scorer_.score_sentences(sentences)
    assert [r["doc"] for r in records] == [f"s{i}" for i in range(len(sentences))]
    assert {r["sentence"] for r in records} == {0}
    assert_same_certainty([r["certainty"] for r in records], [s.certainty for s in scores])
    assert [r["label"] for r in records] == [s.label for s in scores]
    assert [[c["text"] for c in r["cues"]] for r in records] == [
        [c.text for c in s.cues] for s in scores
    ]
    assert [(r["start"], r["end"]) for r in records] == [(0, len(s)) for s in sentences]


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
def test_score_frame_equals_local_scoring_in_order(client, clf):
    sentences = SENTENCES + [s.text for text in TEXTS for s in clf.scorer_.score(text)]
    index = [f"row{i:03d}" for i in range(len(sentences))]
    frame = pd.DataFrame({"id": range(len(sentences)), "text": sentences}, index=index)
    scored = score_frame(dd.from_pandas(frame, npartitions=4), model=clf)
    assert list(scored.columns) == ["id", "text", "certainty", "rating", "label", "cues"]
    result = client.compute(scored).result()
    assert list(result.index) == index
    assert result["id"].tolist() == list(range(len(sentences)))
    assert result["text"].tolist() == sentences
    assert_same_certainty(result["certainty"].to_numpy(), clf.scorer_.certainty(sentences))
    assert result["label"].tolist() == clf.predict(sentences).tolist()
    assert result["cues"].tolist() == local_cues(clf, sentences)
    assert "may|modal" in result["cues"].tolist()
    assert dict(result.dtypes) == dict(scored.dtypes)  # meta matches what workers return
    assert result["certainty"].dtype == np.float64


def test_score_frame_other_column_and_empty_partition(clf):
    frame = pd.DataFrame({"sentence": ["It may rain.", "It rained."]})
    ddf = dd.from_pandas(frame, npartitions=1)
    ddf = dd.concat([ddf, ddf[ddf["sentence"] == "nothing"]])  # an empty partition
    result = score_frame(ddf, column="sentence", model=clf).compute(scheduler="sync")
    assert result["label"].tolist() == ["uncertain", "certain"]
    assert result["cues"].tolist() == ["may|modal", ""]


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
        score_bag(db.from_sequence(["It may rain.", 3]), clf).compute(scheduler="sync")

    ddf = dd.from_pandas(pd.DataFrame({"text": ["It may rain.", None]}, index=[7, 8]), 1)
    with pytest.raises(TypeError, match="dask.dataframe.DataFrame"):
        score_frame(ddf.compute(), model=clf)
    with pytest.raises(KeyError, match="'sentence' not found"):
        score_frame(ddf, column="sentence", model=clf)
    with pytest.raises(ValueError, match=r"output column\(s\) \['label'\]"):
        score_frame(ddf.assign(label="x"), model=clf)
    with pytest.raises(TypeError, match="column 'text' at index 8 is"):
        score_frame(ddf, model=clf).compute(scheduler="sync")


def test_importing_the_package_does_not_import_dask():
    code = (
        "import sys, classifier, classifier.dask\n"
        "loaded = [m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed')]\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
