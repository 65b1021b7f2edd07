"""Tests of the spaCy component "hedge_certainty" (classifier.spacy)."""

from __future__ import annotations

import subprocess
import sys

import pytest

spacy = pytest.importorskip("spacy")

from spacy.tokens import Doc  # noqa: E402

import classifier.spacy  # noqa: E402
from classifier.model.estimator import CertaintyClassifier  # noqa: E402
from classifier.model.results import DocumentScore  # noqa: E402
from classifier.spacy import HedgeCertainty  # noqa: E402

TEXT = (
    "The protein may play a role in DNA repair. It binds to RAD51.\n\n"
    "The chances of a recovery are slim. Perhaps it works. It works."
)


@pytest.fixture(scope="module")
def clf() -> CertaintyClassifier:
    return CertaintyClassifier.load()


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("hedge_certainty")
    return nlp


def check_doc(doc, clf, prefix="hedge_") -> None:
    sentences = list(doc.sents)
    assert len(sentences) >= 2
    scores = clf.scorer_.score_sentences([s.text for s in sentences])
    cue_spans = []
    for sentence, score in zip(sentences, scores, strict=True):
        assert sentence._.get(prefix + "certainty") == score.certainty
        assert sentence._.get(prefix + "label") == score.label
        spans = sentence._.get(prefix + "cues")
        cues = [c.shifted(sentence.start_char) for c in score.cues]
        assert [(span.label_, span.start_char) for span in spans] == [
            (c.category, c.start) for c in cues
        ]
        for span, cue in zip(spans, cues, strict=True):
            assert span.text.startswith(cue.text.split(" ... ")[0])
            assert span.text.endswith(cue.text.split(" ... ")[-1])
        cue_spans.extend(spans)
    assert list(doc.spans[prefix + "cues"]) == cue_spans
    document = DocumentScore.of(scores)
    for field in ("certainty", "uncertain_share", "label", "sentences", "uncertain"):
        assert doc._.get(prefix + field) == getattr(document, field)
    assert doc._.get(prefix + "categories") == document.categories


def test_extensions_match_score_sentences(nlp, clf):
    doc = nlp(TEXT)
    check_doc(doc, clf)
    labels = [s._.hedge_label for s in doc.sents]
    assert labels.count("uncertain") == 3 and labels.count("certain") == 2
    cues = [(span.text, span.label_) for span in doc.spans["hedge_cues"]]
    assert ("may", "modal") in cues
    assert ("chances of a recovery are slim", "low_probability") in cues


def test_doc_attributes_are_the_document_score(nlp, clf):
    doc = nlp(TEXT)  # the sentencizer splits TEXT where the library does
    expected = clf.scorer_.score_document(TEXT)
    assert [s.text.strip() for s in doc.sents] == [s.text for s in expected.scores]
    assert (doc._.hedge_certainty, doc._.hedge_uncertain_share, doc._.hedge_label) == (
        expected.certainty,
        expected.uncertain_share,
        expected.label,
    )
    assert (
        (doc._.hedge_sentences, doc._.hedge_uncertain)
        == (5, 3)
        == (expected.sentences, expected.uncertain)
    )
    assert doc._.hedge_categories == expected.categories


def test_pipe_gives_the_same_values(nlp, clf):
    texts = [TEXT, "It may rain. The sky is blue.", "", "Fine. Good."] * 3
    piped = list(nlp.pipe(texts, batch_size=3))
    assert [d.text for d in piped] == texts
    for doc, text in zip(piped, texts, strict=True):
        assert annotations(doc) == annotations(nlp(text))
        if text:
            check_doc(doc, clf)
    assert piped[2]._.hedge_certainty is None and piped[2]._.hedge_sentences == 0


def annotations(doc, prefix="hedge_"):
    """Every value the component sets, as plain data."""
    return (
        [doc._.get(prefix + field) for field in DOC_FIELDS],
        [
            (s.start_char, s._.get(prefix + "certainty"), s._.get(prefix + "label"))
            for s in doc.sents
        ],
        [(c.start_char, c.end_char, c.label_) for c in doc.spans.get(prefix + "cues", [])],
    )


DOC_FIELDS = ("certainty", "uncertain_share", "label", "sentences", "uncertain", "categories")

TEXTS = [TEXT, "It may rain. The sky is blue.", "", "Fine. Good.", "Perhaps. Surely."] * 4


def test_two_processes_give_the_same_docs(nlp):
    alone = [annotations(nlp(text)) for text in TEXTS]
    piped = list(nlp.pipe(TEXTS, n_process=2, batch_size=2))
    assert [doc.text for doc in piped] == TEXTS
    assert [annotations(doc) for doc in piped] == alone
    assert any(doc.spans["hedge_cues"] for doc in piped)


def test_docbin_round_trip_keeps_everything(nlp):
    from spacy.tokens import DocBin

    docs = [nlp(text) for text in TEXTS]
    data = DocBin(docs=docs, store_user_data=True).to_bytes()
    restored = list(DocBin().from_bytes(data).get_docs(spacy.blank("en").vocab))
    assert [annotations(doc) for doc in restored] == [annotations(doc) for doc in docs]
    again = Doc(nlp.vocab).from_bytes(docs[0].to_bytes())
    assert annotations(again) == annotations(docs[0])
    assert [s.text for s in again.spans["hedge_cues"]] == [
        s.text for s in docs[0].spans["hedge_cues"]
    ]


def test_another_prefix_names_every_attribute(clf):
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("hedge_certainty", config={"prefix": "bio_"})
    nlp.add_pipe("hedge_certainty", name="second")
    doc = nlp(TEXT)
    check_doc(doc, clf, prefix="bio_")
    check_doc(doc, clf, prefix="hedge_")
    assert doc._.bio_sentences == 5 and "bio_cues" in doc.spans
    with pytest.raises(ValueError, match="prefix"):
        HedgeCertainty(model=clf, prefix="no spaces")


def test_other_pipelines_are_untouched(nlp):
    plain = spacy.blank("en")
    plain.add_pipe("sentencizer")
    doc = plain("It may rain. The sky is blue.")
    assert doc._.hedge_certainty is None and "hedge_cues" not in doc.spans
    assert [s._.hedge_label for s in doc.sents] == [None, None]
    assert [s._.hedge_cues for s in doc.sents] == [(), ()]


def test_needs_sentence_boundaries():
    nlp = spacy.blank("en")
    nlp.add_pipe("hedge_certainty")
    with pytest.raises(ValueError, match="sentencizer"):
        nlp("It may rain.")


def test_model_loaded_once_per_component(monkeypatch, clf):
    calls = []

    def load(path=None):
        calls.append(path)
        return clf.scorer_

    monkeypatch.setattr(classifier.spacy, "load_scorer", load)
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("hedge_certainty", config={"model": "my.hedge"})
    for _ in range(3):
        nlp("It may rain. The sky is blue.")
    list(nlp.pipe(["Perhaps.", "Surely."]))
    assert calls == ["my.hedge"]


def test_component_takes_a_fitted_model_or_its_scorer(clf):
    assert HedgeCertainty(model=clf).model is clf.scorer_
    assert HedgeCertainty(model=clf.scorer_).model is clf.scorer_
    with pytest.raises(ValueError, match="batch_size"):
        HedgeCertainty(model=clf, batch_size=0)


def test_import_classifier_does_not_import_spacy():
    code = (
        "import sys, classifier, classifier.model.estimator, classifier.report, classifier.pandas; "
        "print('spacy' in sys.modules, 'matplotlib' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "False"]


# ------------------------------------------------------------ a pipeline that travels (22.6)
def test_a_saved_pipeline_loads_in_a_fresh_process_from_another_folder(tmp_path, clf):
    model = tmp_path / "train" / "my.hedge"
    model.parent.mkdir()
    clf.save(model)
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("hedge_certainty", config={"model": str(model)})
    nlp.to_disk(tmp_path / "pipeline")
    assert (tmp_path / "pipeline" / "hedge_certainty" / "model.hedge").read_bytes() == (
        model.read_bytes()
    )
    moved = tmp_path / "elsewhere" / "pipeline"
    moved.parent.mkdir()
    (tmp_path / "pipeline").rename(moved)
    model.unlink()  # the model file the config names is gone: the folder has its copy
    code = (
        "import sys, spacy\n"
        f"nlp = spacy.load({str(moved)!r})\n"
        "doc = nlp('It may rain. The sky is blue.')\n"
        "print([s._.hedge_label for s in doc.sents], 'classifier.spacy' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("] ") == ["['uncertain', 'certain'", "True\n"]
    again = spacy.load(moved)
    again.to_disk(moved)  # saving over its own folder keeps the model
    assert (moved / "hedge_certainty" / "model.hedge").read_bytes() == clf_bytes(clf, tmp_path)


def clf_bytes(clf, tmp_path):
    path = tmp_path / "again.hedge"
    clf.save(path)
    return path.read_bytes()


def test_a_missing_model_file_is_one_clear_error_on_first_use(tmp_path):
    from classifier.errors import ModelLoadError

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("hedge_certainty", config={"model": str(tmp_path / "none.hedge")})
    with pytest.raises(ModelLoadError, match="none.hedge"):
        nlp("It may rain.")


def test_docbin_round_trip_keeps_the_types_of_values():
    from spacy.tokens import DocBin

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("hedge_certainty", config={"with_types": True, "with_aspects": True})
    doc = nlp("Roughly 40 people may come. It rained.")
    data = DocBin(docs=[doc], store_user_data=True).to_bytes()
    (restored,) = DocBin().from_bytes(data).get_docs(spacy.blank("en").vocab)
    for before, after in zip(doc.sents, restored.sents, strict=True):
        assert type(after._.hedge_types) is list
        assert after._.hedge_types == before._.hedge_types
        assert after._.hedge_aspects == before._.hedge_aspects
        for aspect in after._.hedge_aspects.values():
            assert type(aspect["cues"]) is list
