"""End-to-end tests of ``hedge train``, ``eval``, ``explain``, ``score --explain`` and ``lexicon``.

They work as a new user would: write a small labeled CSV, train on it, evaluate the
model, score with it.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from classifier.cli.main import main
from classifier.cues.lexicon import load_lexicon
from classifier.io.archive import read_manifest
from classifier.model.estimator import CertaintyClassifier

from .conftest import run
from .corpus import LABELED_FIRM as FIRM
from .corpus import LABELED_HEDGED as HEDGED

HEADER = "cue\tcategory\tweight\tnote\n"



def assert_one_error_line(err: str, *pieces: str) -> None:
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("hedge: error: ")
    for piece in pieces:
        assert piece in lines[0], lines[0]


def write_csv(path: Path, rows: list[tuple[str, str]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["text", "label"])
        writer.writerows(rows)
    return path


def labeled_rows() -> list[tuple[str, str]]:
    rows = []
    for hedged, firm in zip(HEDGED, FIRM, strict=True):
        rows += [(hedged, "uncertain"), (firm, "certain")]
    return rows


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """Train once on the CSV: return the data, the model and what ``hedge train`` printed."""
    folder = tmp_path_factory.mktemp("train")
    data = write_csv(folder / "labeled.csv", labeled_rows())
    model = folder / "my.hedge"
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["train", str(data), "--out", str(model)])
    assert code == 0
    return data, model, out.getvalue()


# ---------------------------------------------------------------------- train
def test_train_prints_cross_validated_scores_and_writes_model_and_manifest(trained):
    data, model, out = trained
    assert "read 40 sentences from 1 file: 20 uncertain, 20 certain" in out
    clf = CertaintyClassifier.load(model)
    m = clf.cv_metrics_
    assert f"precision {m['precision']:.3f}  recall {m['recall']:.3f}  F1 {m['f1']:.3f}" in out
    assert m["f1"] > 0.8  # the hedges in the data are plain
    manifest = read_manifest(model)
    training = manifest["training"]
    assert training["files"] == {str(data): {"certain": 20, "uncertain": 20}}
    assert training["sentences"] == 40
    assert training["seed"] == 0
    assert len(training["sha256"][str(data)]) == 64
    assert manifest["cv_metrics"] == m
    assert not [p for p in model.parent.iterdir() if p.name.startswith(".")]  # no temp files


def test_eval_json_on_the_training_data(trained, capsys):
    data, model, _ = trained
    code, out, err = run(capsys, "eval", str(data), "--model", str(model), "--format", "json")
    assert (code, err) == (0, "")
    report = json.loads(out)
    assert report["sentences"] == 40
    assert report["uncertain"] == 20
    assert report["f1"] > 0.8
    assert report["roc_auc"] > 0.9
    confusion = report["confusion"]
    assert sum(sum(row.values()) for row in confusion.values()) == 40
    assert sum(confusion["actual_uncertain"].values()) == 20
    assert report["pearson"] is None


def test_eval_text_and_output_file(trained, capsys, tmp_path):
    data, model, _ = trained
    code, out, _ = run(capsys, "eval", str(data), "--model", str(model))
    assert code == 0
    assert out.startswith("sentences  40 (20 uncertain, 20 certain)\n")
    assert "calibration of P(uncertain)" in out
    target = tmp_path / "report.txt"
    code, printed, _ = run(capsys, "eval", str(data), "--model", str(model), "-o", str(target))
    assert (code, printed) == (0, "")
    assert target.read_text(encoding="utf-8") == out


def test_eval_with_ratings_reports_correlations(trained, capsys, tmp_path):
    _, model, _ = trained
    rows = [(t, "1") for t in HEDGED[:10]] + [(t, "5") for t in FIRM[:10]]
    data = write_csv(tmp_path / "rated.csv", rows)
    code, out, err = run(
        capsys, "eval", str(data), "--model", str(model), "--rating-cutoff", "3", "--format", "json"
    )
    assert (code, err) == (0, "")
    report = json.loads(out)
    assert report["uncertain"] == 10
    assert report["pearson"] > 0.5 and report["spearman"] > 0.5


def test_eval_accepts_a_single_class(trained, capsys, tmp_path):
    _, model, _ = trained
    data = write_csv(tmp_path / "firm.csv", [(t, "certain") for t in FIRM[:3]])
    code, out, _ = run(capsys, "eval", str(data), "--model", str(model), "--format", "json")
    assert code == 0
    assert json.loads(out)["roc_auc"] is None


def test_score_with_the_new_model(trained, capsys, tmp_path):
    _, model, _ = trained
    doc = tmp_path / "doc.txt"
    doc.write_text("The drug may work in some patients. The drug was given daily.\n")
    code, out, err = run(capsys, "score", "--model", str(model), "--format", "jsonl", str(doc))
    assert (code, err) == (0, "")
    hedged, firm = (json.loads(line) for line in out.splitlines())
    assert (hedged["label"], firm["label"]) == ("uncertain", "certain")
    assert "may" in {cue["text"] for cue in hedged["cues"]}
    assert "contribution" not in hedged["cues"][0]


HASH_SEEDS = ("0", "12345")


def test_same_data_and_seed_give_a_byte_identical_model(tmp_path):
    data = write_csv(tmp_path / "labeled.csv", labeled_rows())
    models = []
    for seed in HASH_SEEDS:  # separate processes, with different string hashing
        model = tmp_path / f"model_{seed}.joblib"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        command = [sys.executable, "-m", "classifier.cli", "train", str(data), "--out", str(model)]
        result = subprocess.run(command, capture_output=True, env=env, check=False)
        assert result.returncode == 0, result.stderr
        models.append(model.read_bytes())
    assert models[0] == models[1]
    # and the same data with another seed gives the same format of file, still loadable
    other = tmp_path / "other.joblib"
    assert main(["train", str(data), "--out", str(other), "--seed", "7"]) == 0
    assert CertaintyClassifier.load(other).random_state == 7


# ---------------------------------------------------------------------- train errors
def test_data_errors_are_one_line(capsys, tmp_path):
    rows = labeled_rows()
    rows[10] = (rows[10][0], "maybe")  # line 12 of the file
    data = write_csv(tmp_path / "bad.csv", rows)
    model = tmp_path / "m.joblib"
    code, out, err = run(capsys, "train", str(data), "--out", str(model))
    assert code == 1
    assert_one_error_line(err, "bad.csv:12", "'label'", "unknown label 'maybe'")
    assert not model.exists()


@pytest.mark.parametrize(
    ("rows", "pieces"),
    [
        ([(t, "uncertain") for t in HEDGED], ["every sentence is labeled 'uncertain'"]),
        (
            [(t, "uncertain") for t in HEDGED[:4]] + [(t, "certain") for t in FIRM],
            ["only 4 'uncertain' sentences"],
        ),
        ([], ["no labeled rows"]),
        (labeled_rows() + [(HEDGED[0], "certain")], ["bad.csv:2 and", "bad.csv:42"]),
    ],
)
def test_data_set_errors(capsys, tmp_path, rows, pieces):
    data = write_csv(tmp_path / "bad.csv", rows)
    code, _, err = run(capsys, "train", str(data), "--out", str(tmp_path / "m.joblib"))
    assert code == 1
    assert_one_error_line(err, *pieces)


def test_train_option_errors(capsys, tmp_path):
    data = write_csv(tmp_path / "d.csv", labeled_rows())
    code, _, err = run(capsys, "train", str(data), "--out", str(data))
    assert code == 1
    assert_one_error_line(err, "d.csv: it is the input")
    code, _, err = run(capsys, "train", str(data), "--out", str(tmp_path / "m.joblib"), "--base")
    assert code == 1
    assert_one_error_line(err, "--base needs --lexicon")
    code, _, err = run(
        capsys,
        "train",
        str(data),
        "--out",
        "m.joblib",
        "--rating-cutoff",
        "3",
        "--uncertain-value",
        "1",
    )
    assert code == 2
    assert "not allowed with" in err
    code, _, err = run(capsys, "train", str(data), "--out", "m.joblib", "--rating-cutoff", "nan")
    assert code == 2
    code, _, err = run(capsys, "train", str(tmp_path / "none.csv"), "--out", "m.joblib")
    assert code == 1
    assert_one_error_line(err, "none.csv", "no such file")
    code, _, err = run(capsys, "train", str(data), "--out", str(tmp_path / "no" / "m.joblib"))
    assert code == 1
    assert_one_error_line(err, "no such directory")


def test_train_options_for_columns_format_and_binary_labels(capsys, tmp_path):
    lines = ["sentence\thedged"]
    lines += [f"{t}\t{0 if label == 'uncertain' else 1}" for t, label in labeled_rows()]
    data = tmp_path / "data.txt"
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    model = tmp_path / "m.joblib"
    code, out, err = run(
        capsys,
        "train",
        str(data),
        "--out",
        str(model),
        "--data-format",
        "tsv",
        "--text-col",
        "sentence",
        "--label-col",
        "hedged",
        "--uncertain-value",
        "0",
    )
    assert (code, err) == (0, "")
    assert "20 uncertain, 20 certain" in out
    clf = CertaintyClassifier.load(model)
    assert list(clf.predict(["The drug may work.", "The drug was given."])) == [
        "uncertain",
        "certain",
    ]


def test_train_with_a_lexicon_alone_or_on_top_of_the_bundled_one(capsys, tmp_path):
    lexicon = tmp_path / "lex"
    lexicon.mkdir()
    (lexicon / "mine.tsv").write_text(
        HEADER + "may\tmodal\t1.0\tmine\nzorbly\tepistemic_adverb\t0.9\tnew\n", encoding="utf-8"
    )
    data = write_csv(tmp_path / "d.csv", labeled_rows())
    alone, base = tmp_path / "alone.joblib", tmp_path / "base.joblib"
    assert main(["train", str(data), "--out", str(alone), "--lexicon", str(lexicon)]) == 0
    assert main(["train", str(data), "--out", str(base), "--lexicon", str(lexicon), "--base"]) == 0
    capsys.readouterr()
    alone_entries = CertaintyClassifier.load(alone).pipeline_.named_steps["features"].lexicon_
    assert [e.cue for e in alone_entries.entries] == ["may", "zorbly"]
    base_lexicon = CertaintyClassifier.load(base).pipeline_.named_steps["features"].lexicon_
    bundled = load_lexicon()
    assert len(base_lexicon.entries) == len(bundled.entries) + 1  # "may" is in both
    assert base_lexicon.by_cue["may"].weight == 1.0  # the user's entry wins
    manifest = read_manifest(base)
    assert manifest["lexicon_entries"] == len(bundled.entries) + 1
    assert manifest["training"]["options"]["base"] is True


def test_train_with_a_broken_lexicon(capsys, tmp_path):
    lexicon = tmp_path / "lex"
    lexicon.mkdir()
    (lexicon / "mine.tsv").write_text(HEADER + "may\tmodl\t1.0\t\n", encoding="utf-8")
    data = write_csv(tmp_path / "d.csv", labeled_rows())
    code, _, err = run(
        capsys, "train", str(data), "--out", str(tmp_path / "m.joblib"), "--lexicon", str(lexicon)
    )
    assert code == 1
    assert_one_error_line(err, "mine.tsv:2:category", "'modl'")


# ---------------------------------------------------------------------- explain
def test_explain_names_cue_category_rule_and_contribution(capsys):
    sentence = "We met in May and it may rain."
    code, out, err = run(capsys, "explain", sentence)
    assert (code, err) == (0, "")
    clf = CertaintyClassifier.load()
    score = clf.scorer_.score_sentences([sentence])[0]
    lines = out.splitlines()
    assert lines[0] == sentence
    assert lines[1].split()[:3] == [score.label, "certainty", f"{score.certainty:.2f}"]
    (month, month_weight), (modal, modal_weight) = clf.scorer_.explain(sentence)
    month_line = next(line for line in lines if line.strip().startswith("May "))
    assert month_line.split()[:2] == ["May", "modal"]
    assert "discarded: false friend: the month May" in month_line
    assert month_line.split()[-1] == f"{month_weight:+.3f}"
    modal_line = next(line for line in lines if line.strip().startswith("may "))
    assert modal_line.split() == ["may", "modal", "kept", f"{modal_weight:+.3f}"]
    assert modal_weight > 0
    log_odds = float(clf.pipeline_.decision_function([sentence])[0])
    assert f"log-odds of uncertain {log_odds:+.3f}" in out
    assert f"cues {month_weight + modal_weight:+.3f}" in out


@pytest.mark.parametrize(
    ("sentence", "cue", "status"),
    [
        (
            "Call me as soon as possible.",
            "possible",
            "discarded: false friend 'as soon as possible'",
        ),
        ("I suggest visiting Rome.", "suggest", "discarded: false friend: 'suggest' as propose"),
        ("This is not definitely true.", "definitely", "doubt     kept: negated booster"),
        ("It is not likely to rain.", "likely", "kept: negated "),
        ("This was not doubted.", "doubted", "discarded: negated doubt"),
    ],
)
def test_explain_rules(capsys, sentence, cue, status):
    code, out, _ = run(capsys, "explain", sentence)
    assert code == 0
    table = out.splitlines()[3:]  # after the sentence, its verdict and its log-odds
    assert table[0].split() == ["cue", "category", "status", "contribution"]
    (line,) = [line for line in table[1:] if line.strip().startswith(cue + " ")]
    assert status in line


def test_explain_several_sentences_and_no_cue(capsys):
    code, out, _ = run(capsys, "explain", "It may rain.", "The sky is blue.")
    assert code == 0
    first, second = out.split("\n\n")
    assert first.startswith("It may rain.\n  uncertain")
    assert second.startswith("The sky is blue.\n  certain")
    assert "no cue fired" in second


def test_explain_errors(capsys, tmp_path):
    code, _, err = run(capsys, "explain", "  ")
    assert code == 1
    assert_one_error_line(err, "empty sentence")
    code, _, err = run(capsys, "explain", "x", "--model", str(tmp_path / "none.joblib"))
    assert code == 1
    assert_one_error_line(err, "none.joblib")


def test_score_explain_text_and_jsonl(capsys, tmp_path):
    doc = tmp_path / "doc.txt"
    doc.write_text("We met in May and it may rain. The sky is blue.\n", encoding="utf-8")
    code, out, _ = run(capsys, "score", "--explain", str(doc))
    assert code == 0
    first, second, _summary = out.strip().split("\n\n")
    assert "discarded: false friend: the month May" in first
    assert "log-odds of uncertain" in first
    assert "no cue fired" in second
    code, out, _ = run(capsys, "score", "--explain", "--format", "jsonl", str(doc))
    assert code == 0
    record = json.loads(out.splitlines()[0])
    clf = CertaintyClassifier.load()
    weights = {cue.text: weight for cue, weight in clf.scorer_.explain(record["text"]) if cue.kept}
    (cue,) = record["cues"]
    assert list(cue) == ["text", "start", "end", "category", "contribution"]
    assert cue["contribution"] == weights["may"]


def test_score_explain_with_lines_keeps_offsets(capsys, tmp_path):
    doc = tmp_path / "doc.txt"
    doc.write_text("  It may rain.\n", encoding="utf-8")
    code, out, _ = run(capsys, "score", "--lines", "--explain", "--format", "jsonl", str(doc))
    assert code == 0
    (cue,) = json.loads(out)["cues"]
    assert (cue["start"], cue["end"]) == (5, 8)
    assert cue["contribution"] > 0


def test_score_explain_refuses_csv(capsys, tmp_path):
    doc = tmp_path / "doc.txt"
    doc.write_text("It may rain.\n", encoding="utf-8")
    code, _, err = run(capsys, "score", "--explain", "--format", "csv", str(doc))
    assert code == 1
    assert_one_error_line(err, "--explain", "csv")


# ---------------------------------------------------------------------- lexicon check
def test_lexicon_check_good(capsys, tmp_path):
    (tmp_path / "a.tsv").write_text(
        "# mine\n" + HEADER + "may\tmodal\t1.0\tx\nsurely\tbooster\t0.5\t\n", encoding="utf-8"
    )
    (tmp_path / "b.tsv").write_text(HEADER + "perhaps\tepistemic_adverb\t0.9\t\n")
    code, out, err = run(capsys, "lexicon", "check", str(tmp_path))
    assert (code, err) == (0, "")
    assert out.startswith(f"OK: {tmp_path}: 3 entries in 2 files (")
    assert "modal 1" in out and "booster 1" in out


def test_lexicon_check_bundled(capsys):
    from importlib import resources

    folder = str(resources.files("classifier.lexicons"))
    code, out, _ = run(capsys, "lexicon", "check", folder)
    assert code == 0
    assert f"{len(load_lexicon().entries)} entries" in out


@pytest.mark.parametrize(
    ("content", "pieces"),
    [
        (HEADER + "may\tmodl\t1.0\t\n", ["a.tsv:2:category", "unknown category 'modl'"]),
        (HEADER + "may\tmodal\theavy\t\n", ["a.tsv:2:weight", "'heavy'"]),
        (HEADER + "may\tmodal\t1.5\t\n", ["a.tsv:2:weight", "not in [0, 1]"]),
        (HEADER + "May\tmodal\t1.0\t\n", ["a.tsv:2:cue", "lowercase"]),
        (HEADER + "may\tmodal\t1.0\t\nmay\tmodal\t0.5\t\n", ["a.tsv:3:cue", "duplicate"]),
        (HEADER + "may\tmodal\n", ["a.tsv:2", "4 tab-separated fields"]),
        ("may\tmodal\t1.0\t\n", ["a.tsv:1", "header"]),
    ],
)
def test_lexicon_check_bad(capsys, tmp_path, content, pieces):
    (tmp_path / "a.tsv").write_text(content, encoding="utf-8")
    code, out, err = run(capsys, "lexicon", "check", str(tmp_path))
    assert (code, out) == (1, "")
    assert_one_error_line(err, *pieces)


def test_lexicon_check_missing_or_empty_directory(capsys, tmp_path):
    code, _, err = run(capsys, "lexicon", "check", str(tmp_path / "none"))
    assert code == 1
    assert_one_error_line(err, "not a directory")
    code, _, err = run(capsys, "lexicon", "check", str(tmp_path))
    assert code == 1
    assert_one_error_line(err, "no *.tsv")


# ---------------------------------------------------------------------- help
@pytest.mark.parametrize(
    "command", [["train"], ["eval"], ["explain"], ["lexicon"], ["lexicon", "check"]]
)
def test_every_subcommand_help_shows_an_example(capsys, command):
    code, out, _ = run(capsys, *command, "--help")
    assert code == 0
    assert "examples:" in out
    assert f"hedge {command[0]} " in out.split("examples:")[1]


HELP_IMPORTS = """
import sys
from classifier.cli.main import main
for command in (["train"], ["eval"], ["explain"], ["lexicon", "check"]):
    assert main([*command, "--help"]) == 0
print(sorted(m for m in sys.modules if m.startswith(("sklearn", "numpy", "classifier.io.labeled"))))
"""


def test_help_does_not_load_heavy_modules():
    result = subprocess.run(
        [sys.executable, "-c", HELP_IMPORTS], capture_output=True, text=True, check=True
    )
    assert result.stdout.splitlines()[-1] == "[]"
