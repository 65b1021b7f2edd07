"""Cue types and aspects: the models, the Scorer's opt-in outputs, retraining.

The sentences are written for these tests. A small model is trained here on them, so
the tests pin behaviour, not the bundled model's numbers.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from classifier.io.archive import WEIGHTS, load_scorer
from classifier.io.labeled import DataError, read_labeled, train
from classifier.model.aspects import ASPECTS, AspectModel
from classifier.model.cuetypes import TYPES, CueTyper
from classifier.model.estimator import CertaintyClassifier
from classifier.model.multinomial import Multinomial
from classifier.model.scorer import Scorer
from classifier.model.weights import from_json, to_json

from .archive import members, rewrite

SUBJECTS = ["The bridge", "The new drug", "Our team", "The river", "The council", "This plan"]


def typed(sentence: str, cue: str, kind: str) -> tuple[str, tuple[tuple[int, int, str], ...]]:
    start = sentence.index(cue)
    return sentence, ((start, start + len(cue), kind),)


def small_model() -> CertaintyClassifier:
    """A model trained on handwritten sentences, with cue types and aspects."""
    hedged = [f"{s} may fail next year." for s in SUBJECTS]
    hedged += [f"I believe {s.lower()} works." for s in SUBJECTS]
    hedged += [f"We examine whether {s.lower()} works." for s in SUBJECTS]
    hedged += [f"{s} works if it is dry." for s in SUBJECTS]
    firm = [f"{s} opened in 1990." for s in SUBJECTS] + [f"{s} is red." for s in SUBJECTS]
    labels = ["uncertain"] * len(hedged) + ["certain"] * len(firm)
    clf = CertaintyClassifier(min_df=1, cv=3).fit(hedged + firm, labels)
    examples = [typed(s, "may", "epistemic") for s in hedged[:6]]
    examples += [typed(s, "believe", "doxastic") for s in hedged[6:12]]
    examples += [typed(s, "whether", "investigation") for s in hedged[12:18]]
    examples += [typed(s, "if", "condition") for s in hedged[18:]]
    clf.fit_cue_types([t for t, _ in examples], [c for _, c in examples])
    judged = (
        [{"probability": "uncertain", "number": "absent"}] * 6
        + [{"probability": "uncertain", "number": "absent"}] * 6
        + [{"probability": "uncertain", "number": "absent"}] * 6
        + [{"probability": "certain", "number": "absent"}] * 6
        + [{"probability": "certain", "number": "certain"}] * 6
        + [{"probability": "certain", "number": "absent"}] * 6
    )
    clf.fit_aspects(hedged + firm, judged)
    return clf


@pytest.fixture(scope="module")
def model() -> CertaintyClassifier:
    return small_model()


def test_multinomial_round_trip_and_probabilities() -> None:
    model = Multinomial(("a", "b"), (0.0, 1.0), {"x": (2.0, -1.0)})
    again = Multinomial.from_dict(json.loads(json.dumps(model.to_dict())))
    assert again == model
    assert again.predict(["x"])[0] == "a" and again.predict([])[0] == "b"
    assert sum(again.probabilities(["x", "unknown"])) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="'x' has 1 weights for 2 classes"):
        Multinomial.from_dict({"classes": ["a", "b"], "intercepts": [0, 0], "weights": {"x": [1]}})


def test_each_cue_gets_its_type(model: CertaintyClassifier) -> None:
    scorer = model.scorer_.with_outputs(types=True)
    found = {
        cue.text: cue.type
        for s in scorer.score_sentences(
            ["The dam may fail.", "I believe the dam works.", "We examine whether it works."]
        )
        for cue in s.cues
    }
    assert found == {"may": "epistemic", "I believe": "doxastic", "whether": "investigation"}
    (score,) = scorer.score_sentences(["I believe the dam may fail."])
    assert score.types == ("epistemic", "doxastic")  # each once, in the order of TYPES


def test_types_and_aspects_are_opt_in(model: CertaintyClassifier) -> None:
    plain = model.scorer_.score("The dam may fail. It is red.")
    assert all(s.types == () and s.aspects == () for s in plain)
    assert all(cue.type is None for s in plain for cue in s.cues)
    both = model.scorer_.with_outputs(types=True, aspects=True).score(
        "The dam may fail. It is red."
    )
    # the default numbers do not move when types and aspects are switched on
    assert [(s.certainty, s.label, s.start, s.end) for s in both] == [
        (s.certainty, s.label, s.start, s.end) for s in plain
    ]
    assert [a.aspect for a in both[0].aspects] == ["number", "probability"]


def test_uncertain_aspect_names_its_cue(model: CertaintyClassifier) -> None:
    scorer = model.scorer_.with_outputs(aspects=True)
    hedged, firm = scorer.score_sentences(
        ["The dam may fail next year.", "The dam opened in 1990."]
    )
    probability = {a.aspect: a for a in hedged.aspects}["probability"]
    assert probability.label == "uncertain" and probability.cues == ("may",)
    assert 0.5 < probability.probability <= 1.0
    assert {a.aspect: a.label for a in firm.aspects}["probability"] == "certain"
    assert all(a.cues == () for a in firm.aspects)


def test_weights_json_round_trip_keeps_types_and_aspects(model: CertaintyClassifier) -> None:
    scorer = model.scorer_
    again = from_json(to_json(scorer))
    assert again.cue_types == scorer.cue_types and again.aspect_model == scorer.aspect_model
    text = "I believe the dam may fail if it rains."
    on = {"types": True, "aspects": True}
    assert again.with_outputs(**on).score(text) == scorer.with_outputs(**on).score(text)


def test_an_archive_keeps_types_and_aspects_apart_and_reads_them_when_asked(
    model: CertaintyClassifier, tmp_path: Path
) -> None:
    path = model.save(tmp_path / "m.hedge")
    content = members(path)
    assert not {"cue_types", "aspects"} & set(json.loads(content[WEIGHTS]))
    text = "I believe the dam may fail if it rains."
    on = {"types": True, "aspects": True}
    expected = model.scorer_.with_outputs(**on).score(text)
    assert load_scorer(path).with_outputs(**on).score(text) == expected
    aspects = json.loads(content["aspects.json"])
    aspects["number"]["classes"] = ["maybe", "certain"]
    rewrite(path, aspects=json.dumps(aspects).encode())
    scorer = load_scorer(path)  # certainties need no aspects: they are not read yet
    assert scorer.score(text) == model.scorer_.score(text)
    with pytest.raises(ValueError, match=r"m\.hedge:aspects\.json: aspects: aspect 'number'"):
        scorer.with_outputs(aspects=True)


def test_weights_with_a_bad_aspect_part_name_it() -> None:
    document = json.loads(to_json(small_model().scorer_))
    document["aspects"]["number"]["classes"] = ["maybe", "certain"]
    scorer = from_json(json.dumps(document))  # read when first asked for
    with pytest.raises(ValueError, match="<weights>: aspects: aspect 'number': classes"):
        scorer.with_outputs(aspects=True)
    document = json.loads(to_json(small_model().scorer_))
    document["cue_types"]["classes"][0] = "hunch"
    with pytest.raises(ValueError, match="cue_types: unknown cue types \\['hunch'\\]"):
        from_json(json.dumps(document)).with_outputs(types=True)


def test_a_model_without_types_says_so() -> None:
    texts = [f"It may rain on day {i}." for i in range(6)] + [
        f"It rained on day {i}." for i in range(6)
    ]
    clf = CertaintyClassifier(min_df=1, cv=3).fit(texts, [1] * 6 + [0] * 6)
    assert clf.cue_types_ is None and clf.aspects_ is None
    assert "cue_types" not in json.loads(to_json(clf.scorer_))
    with pytest.raises(ValueError, match="trained without cue types"):
        clf.scorer_.with_outputs(types=True)
    with pytest.raises(ValueError, match="trained without aspects"):
        clf.scorer_.with_outputs(aspects=True)


def test_fit_resets_types_and_aspects(model: CertaintyClassifier) -> None:
    clf = small_model()
    assert isinstance(clf.cue_types_, CueTyper) and isinstance(clf.aspects_, AspectModel)
    clf.fit(
        [f"It may rain on day {i}." for i in range(6)]
        + [f"It rained on day {i}." for i in range(6)],
        [1] * 6 + [0] * 6,
    )
    assert clf.cue_types_ is None and clf.scorer_.cue_types is None


def test_unknown_type_and_aspect_are_refused(model: CertaintyClassifier) -> None:
    with pytest.raises(ValueError, match="sentence 0: unknown cue type 'hunch'"):
        model.fit_cue_types(["It may rain."], [[(3, 6, "hunch")]])
    with pytest.raises(ValueError, match="sentence 0: size='uncertain'"):
        model.fit_aspects(["It may rain."], [{"size": "uncertain"}])


def write_rows(path, rows: list[dict]) -> None:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


def test_hedge_train_data_with_cues_and_aspects(tmp_path) -> None:
    rows = []
    for s in SUBJECTS:
        for text, cue, kind, aspect in [
            (f"{s} may fail next year.", "may", "epistemic", "uncertain"),
            (f"I believe {s.lower()} works.", "believe", "doxastic", "uncertain"),
            (f"{s} works if it is dry.", "if", "condition", "certain"),
        ]:
            start = text.index(cue)
            rows.append(
                {
                    "text": text,
                    "label": "uncertain",
                    "cues": [[start, start + len(cue), cue, kind]],
                    "aspects": {"probability": aspect},
                }
            )
        rows.append(
            {
                "text": f"{s} opened in 1990.",
                "label": "certain",
                "cues": [],
                "aspects": {"probability": "certain"},
            }
        )
    path = tmp_path / "typed.jsonl"
    write_rows(path, rows)
    clf = train(path)
    scorer = clf.scorer_.with_outputs(types=True, aspects=True)
    (score,) = scorer.score_sentences(["I believe the dam works."])
    assert [(c.text, c.type) for c in score.cues] == [("I believe", "doxastic")]
    assert [a.aspect for a in score.aspects] == ["probability"]
    # the same data without the optional columns: a model without types or aspects
    write_rows(path, [{"text": r["text"], "label": r["label"]} for r in rows])
    plain = train(path)
    assert plain.cue_types_ is None and plain.aspects_ is None


def test_csv_cue_and_aspect_columns(tmp_path) -> None:
    path = tmp_path / "typed.csv"
    lines = ["text,label,cues,aspect_probability,aspect_number"]
    lines += [f"It may rain on day {i}.,uncertain,3:6:epistemic,uncertain," for i in range(5)]
    lines += [f"It rained on day {i}.,certain,,certain,certain" for i in range(5)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    data = read_labeled(path)
    assert data.examples[0].cues == ((3, 6, "epistemic"),)
    assert data.examples[0].aspects == {"probability": "uncertain"}
    assert data.examples[5].cues == () and data.examples[5].aspects == {
        "probability": "certain",
        "number": "certain",
    }


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("3:6:hunch", "typed.csv:2:cues: bad cue '3:6:hunch'"),
        ("3:99:epistemic", "typed.csv:2:cues: bad cue '3:99:epistemic'"),
    ],
)
def test_bad_cue_cell_is_named(tmp_path, cell: str, message: str) -> None:
    path = tmp_path / "typed.csv"
    rows = ["text,label,cues"] + [f"It may rain on day {i}.,uncertain,{cell}" for i in range(5)]
    rows += [f"It rained on day {i}.,certain," for i in range(5)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=message):
        read_labeled(path)


def test_bad_aspect_cell_is_named(tmp_path) -> None:
    path = tmp_path / "typed.csv"
    rows = ["text,label,aspect_probability"] + [
        f"It may rain on day {i}.,uncertain,maybe" for i in range(5)
    ]
    rows += [f"It rained on day {i}.,certain,certain" for i in range(5)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match="typed.csv:2:aspect_probability: 'maybe'; aspects are"):
        read_labeled(path)


def test_names_are_the_documented_ones() -> None:
    assert TYPES == (
        "epistemic",
        "doxastic",
        "investigation",
        "condition",
        "attribution",
        "low_probability",
    )
    assert ASPECTS == ("number", "extent", "probability", "condition", "suggestion", "framing")


# ---------------------------------------------------------------------- command line
@pytest.fixture(scope="module")
def model_file(model: CertaintyClassifier, tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("model") / "typed.joblib"
    model.save(path)
    return str(path)


def hedge(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    from classifier.cli.main import main

    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


TEXT = "I believe the dam may fail. The dam opened in 1990."


def test_score_jsonl_with_types_and_aspects(
    model_file: str, tmp_path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "t.txt"
    path.write_text(TEXT, encoding="utf-8")
    code, out, _ = hedge(capsys, "score", "--format", "jsonl", "--model", model_file, str(path))
    assert code == 0
    assert all("types" not in json.loads(line) for line in out.splitlines())  # off by default
    code, out, _ = hedge(
        capsys, "score", "--format", "jsonl", "--with", "types,aspects", "--model", model_file,
        str(path),
    )  # fmt: skip
    first, second = map(json.loads, out.splitlines())
    assert first["types"] == ["epistemic", "doxastic"]
    assert {c["text"]: c["type"] for c in first["cues"]} == {
        "I believe": "doxastic",
        "may": "epistemic",
    }
    assert first["aspects"]["probability"]["label"] == "uncertain"
    assert set(first["aspects"]["probability"]["cues"]) <= {"I believe", "may"}
    assert second["types"] == [] and second["aspects"]["probability"]["label"] == "certain"


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_score_table_with_types_and_aspects(
    model_file: str, tmp_path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    import csv

    path = tmp_path / "t.txt"
    path.write_text(TEXT, encoding="utf-8")
    code, out, _ = hedge(
        capsys,
        "score",
        "--format",
        fmt,
        "--with",
        "types,aspects",
        "--model",
        model_file,
        str(path),
    )
    rows = list(csv.DictReader(out.splitlines(), delimiter="," if fmt == "csv" else "\t"))
    assert code == 0 and len(rows) == 2
    assert rows[0]["types"] == "epistemic; doxastic" and rows[1]["types"] == ""
    assert rows[0]["aspect_probability"] == "uncertain" and rows[0]["aspect_extent"] == ""
    assert 0.5 < float(rows[0]["aspect_probability_probability"]) <= 1


def test_with_is_checked(model_file: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = hedge(capsys, "score", "--with", "colours", "-")
    assert code == 2
    assert "argument --with: expected types, aspects or types,aspects; got 'colours'" in err


def test_with_on_a_model_without_types_is_one_line(
    tmp_path, capsys: pytest.CaptureFixture[str]
) -> None:
    texts = [f"It may rain on day {i}." for i in range(6)] + [
        f"It rained on day {i}." for i in range(6)
    ]
    path = tmp_path / "plain.joblib"
    CertaintyClassifier(min_df=1, cv=3).fit(texts, [1] * 6 + [0] * 6).save(path)
    code, _, err = hedge(capsys, "explain", "--with", "types", "--model", str(path), "It may rain.")
    assert code != 0
    assert (
        err.strip()
        == "hedge: error: --with: this model was trained without cue types: it gives no types"
    )


def test_explain_with_types_and_aspects(
    model_file: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = hedge(
        capsys, "explain", "--with", "types,aspects", "--model", model_file, "The dam may fail."
    )
    assert code == 0
    assert "  types: epistemic\n" in out and "    may: epistemic\n" in out
    assert "  aspects: probability uncertain" in out and "(may)" in out
    code, out, _ = hedge(
        capsys, "explain", "--format", "json", "--with", "types", "--model", model_file,
        "The dam may fail.",
    )  # fmt: skip
    (record,) = json.loads(out)
    assert record["types"] == ["epistemic"] and record["cues"][0]["type"] == "epistemic"


def test_html_report_marks_types_and_aspects(
    model_file: str, tmp_path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "t.txt"
    path.write_text(TEXT, encoding="utf-8")
    code, plain, _ = hedge(capsys, "score", "--format", "html", "--model", model_file, str(path))
    assert code == 0 and "data-type=" not in plain.split("<body>")[1]
    code, page, _ = hedge(
        capsys, "score", "--format", "html", "--with", "types,aspects", "--model", model_file,
        str(path),
    )  # fmt: skip
    body = page.split("<body>")[1]
    assert 'data-type="doxastic"' in body and 'data-type="epistemic"' in body
    assert "may: modal (epistemic)" in body
    assert "aspects: probability uncertain" in body


def test_pandas_and_spacy_carry_types(model: CertaintyClassifier, model_file: str) -> None:
    pd = pytest.importorskip("pandas")
    spacy = pytest.importorskip("spacy")
    from classifier.pandas import score_frame

    scorer = model.scorer_.with_outputs(types=True, aspects=True)
    frame = score_frame(pd.DataFrame({"text": [TEXT, None]}), model=scorer, per="sentence")
    assert frame["types"].tolist()[:2] == ["epistemic; doxastic", ""]
    assert frame["aspect_probability"].tolist()[:2] == ["uncertain", "certain"]
    assert frame["aspect_probability"].isna().tolist()[2]
    import classifier.spacy  # noqa: F401  registers the component

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    config = {"model": model_file, "with_types": True, "with_aspects": True}
    nlp.add_pipe("hedge_certainty", config=config)
    doc = nlp(TEXT)
    assert sorted((s.text, s.label_) for s in doc.spans["hedge_cue_types"]) == [
        ("I believe", "doxastic"),
        ("may", "epistemic"),
    ]
    first = next(iter(doc.sents))
    assert first._.hedge_types == ["epistemic", "doxastic"]
    assert first._.hedge_aspects["probability"]["label"] == "uncertain"


# ---------------------------------------------------------------------- the bundled model
#: The two findings of the certainty-estimator README (Pei & Jurgens 2021), low and high.
PEI_JURGENS_LOW = (
    "The reason for this might be that the fetal central nervous system, which controls "
    "movements in general and facial movements in particular did not develop at the same "
    "rate and in the same manner as in fetuses of mothers who did not smoke during pregnancy."
)
PEI_JURGENS_HIGH = (
    "Mice lacking the tet1 gene were able to learn to navigate a water maze, but were "
    "unable to extinguish the memory."
)


@pytest.fixture(scope="module")
def bundled() -> Scorer:
    import classifier

    scorer = classifier.load()
    if scorer.cue_types is None or scorer.aspect_model is None:
        pytest.skip("the bundled model has no cue types or aspects: retrain it")
    return scorer.with_outputs(types=True, aspects=True)


def test_pei_jurgens_examples_keep_their_order(bundled: Scorer) -> None:
    low, high = bundled.score_sentences([PEI_JURGENS_LOW, PEI_JURGENS_HIGH])
    assert low.certainty < high.certainty
    assert low.rating is not None and high.rating is not None and low.rating < high.rating
    uncertain_low = [a for a in low.aspects if a.label == "uncertain"]
    assert [a.aspect for a in uncertain_low] == ["probability"]
    assert uncertain_low[0].cues == ("might be",)
    assert not [a for a in high.aspects if a.label == "uncertain"]


@pytest.mark.parametrize(
    ("sentence", "word", "kind"),
    [
        ("It may rain tomorrow.", "may", "epistemic"),
        ("I think the shop is closed.", "think", "doxastic"),
        ("We examine whether the drug works.", "whether", "investigation"),
        ("Unless the rain stops, the match is off.", "Unless", "condition"),
        ("Some experts say the plan will fail.", "experts", "attribution"),
    ],
)
def test_bundled_types_of_everyday_cues(
    bundled: Scorer, sentence: str, word: str, kind: str
) -> None:
    (score,) = bundled.score_sentences([sentence])
    (cue,) = [cue for cue in score.cues if word in cue.text]
    assert cue.type == kind
