"""Everyday workflows (issue 22): encodings everywhere, one table reader, duplicates,
one meaning per flag."""

from __future__ import annotations

import json
import re

import pytest

from classifier.cli.main import main
from classifier.errors import DataError
from classifier.io.labeled import read_labeled
from classifier.io.tables import (
    TableOptions,
    table_documents,
)

from .corpus import LABELED_FIRM as FIRM
from .corpus import LABELED_HEDGED as HEDGED


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def one_error(err: str, *pieces: str) -> None:
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("hedge: error: "), err
    for piece in pieces:
        assert piece in lines[0], lines[0]


def texts(out: str) -> list[str]:
    return [json.loads(line)["text"] for line in out.splitlines()]


# ---------------------------------------------------------------------- encodings (22.1)
@pytest.mark.parametrize("name", ["t.csv", "t.jsonl"])
def test_a_table_is_decoded_as_encoding_and_errors_say(capsys, tmp_path, name):
    path = tmp_path / name
    if name.endswith(".csv"):
        path.write_bytes("id,body\n1,\u201cMaybe\u201d it works.\n".encode("cp1252"))
    else:
        path.write_bytes('{"body": "\u201cMaybe\u201d it works."}\n'.encode("cp1252"))
    args = ["score", "--format", "jsonl", "--text-col", "body", str(path)]
    code, out, err = run(capsys, *args, "--encoding", "cp1252")
    assert (code, err) == (0, "")
    assert texts(out) == ["\u201cMaybe\u201d it works."]
    code, out, err = run(capsys, *args, "--errors", "replace")
    assert (code, err) == (0, "")
    assert texts(out) == ["\ufffdMaybe\ufffd it works."]


def test_standard_input_table_is_decoded_as_encoding_says(capsys, monkeypatch):
    import io
    import sys

    stream = io.TextIOWrapper(io.BytesIO(b"body\nCaf\xe9 may rise.\n"), encoding="latin-1")
    monkeypatch.setattr(sys, "stdin", stream)
    args = ["score", "--format", "jsonl", "--text-col", "body", "--input-format", "csv"]
    code, out, err = run(capsys, *args, "--encoding", "latin-1", "-")
    assert (code, err) == (0, "")
    assert texts(out) == ["Café may rise."]


def test_train_and_eval_data_are_decoded_as_encoding_says(capsys, tmp_path):
    rows = [(t, "uncertain") for t in HEDGED[:6]] + [(t, "certain") for t in FIRM[:6]]
    path = tmp_path / "data.tsv"
    body = "text\tlabel\n" + "".join(f"{t} Caf\u00e9.\t{label}\n" for t, label in rows)
    path.write_bytes(body.encode("latin-1"))
    code, out, err = run(capsys, "eval", str(path))
    assert (code, out) == (1, "")
    one_error(err, "data.tsv:2: invalid UTF-8 at byte offset")
    code, out, err = run(capsys, "eval", "--encoding", "latin-1", str(path))
    assert (code, err) == (0, "")
    data = read_labeled(path, encoding="latin-1")
    assert data.sentences[0].endswith("Café.")


# ---------------------------------------------------------------------- one reader (22.2)
def test_a_bad_byte_is_reported_on_its_true_line(capsys, tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes(b'id,body\n1,"ok."\n2,"ok."\n3,"ok."\n4,"Caf\xe9."\n')
    code, out, err = run(capsys, "score", "--text-col", "body", str(path))
    assert (code, out) == (1, "")
    one_error(err, "t.csv:5: invalid UTF-8 at byte offset 38")
    big = tmp_path / "big.csv"
    big.write_bytes(b"id,body\n" + b"".join(b"%d,ok.\n" % i for i in range(3000)) + b"9,Caf\xe9.\n")
    code, out, err = run(capsys, "score", "--text-col", "body", str(big))
    one_error(err, "big.csv:3002: invalid UTF-8 at byte offset 25903")


def test_training_and_scoring_read_a_table_alike(tmp_path):
    path = tmp_path / "d.csv"
    rows = [(t, "uncertain") for t in HEDGED[:5]] + [(t, "certain") for t in FIRM[:5]]
    path.write_text(
        "text,label\n" + "".join(f'"{t}",{label}\n' for t, label in rows), encoding="utf-8"
    )
    labeled = read_labeled(path)
    scored = list(table_documents(str(path), TableOptions("text")))
    assert [e.line for e in labeled.examples] == [d.fields["row"] for d in scored]
    assert labeled.sentences == [d.text for d in scored]


def test_training_reads_parquet(tmp_path):
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    path = tmp_path / "d.parquet"
    rows = [(t, "uncertain") for t in HEDGED[:5]] + [(t, "certain") for t in FIRM[:5]]
    pd.DataFrame(rows, columns=["text", "label"]).to_parquet(path)
    assert read_labeled(path).counts() == {"certain": 5, "uncertain": 5}


# ---------------------------------------------------------------------- duplicates (22.3)
def conflicting_data(tmp_path):
    rows = [(t, "uncertain") for t in HEDGED[:7]] + [(t, "certain") for t in FIRM[:5]]
    rows += [(HEDGED[0], "certain"), (HEDGED[1], "certain"), (HEDGED[0], "uncertain")]
    path = tmp_path / "d.tsv"
    path.write_text("text\tlabel\n" + "".join(f"{t}\t{lab}\n" for t, lab in rows), "utf-8")
    return path


def test_a_sentence_labeled_both_ways_stops_with_the_count_and_lines(capsys, tmp_path):
    path = conflicting_data(tmp_path)
    with pytest.raises(DataError) as caught:
        read_labeled(path)
    message = str(caught.value)
    assert f"{path}:2 and {path}:14: the same sentence" in message
    assert f"{path}:3 and {path}:15: the same sentence" in message
    assert "(2 sentences are labeled both ways)" in message
    assert "--duplicates drop" in message
    code, out, err = run(capsys, "eval", str(path))
    assert (code, out) == (1, "")
    one_error(err, "d.tsv:2 and", "2 sentences are labeled both ways", "--duplicates")


def test_duplicates_drop_and_first_go_on_and_say_how_many(capsys, tmp_path):
    path = conflicting_data(tmp_path)
    dropped = read_labeled(path, duplicates="drop")
    assert dropped.dropped == 5  # every copy of the two sentences
    assert HEDGED[0] not in dropped.sentences and HEDGED[1] not in dropped.sentences
    first = read_labeled(path, duplicates="first")
    assert first.dropped == 2  # the two later "certain" copies
    assert [(e.text, e.label) for e in first.examples if e.text == HEDGED[0]] == [
        (HEDGED[0], "uncertain"),
        (HEDGED[0], "uncertain"),
    ]
    code, out, err = run(capsys, "eval", "--duplicates", "drop", "--format", "json", str(path))
    assert code == 0
    assert err == "hedge: note: --duplicates drop: left out 5 sentences labeled both ways\n"
    assert json.loads(out)["sentences"] == 10
    with pytest.raises(ValueError, match="duplicates must be one of"):
        read_labeled(path, duplicates="last")


# ---------------------------------------------------------------------- the estimator (22.8)
def test_the_final_step_carries_the_chosen_c_and_threshold():
    from classifier.model.estimator import CertaintyClassifier

    sentences = HEDGED[:8] + FIRM[:8]
    labels = [1] * 8 + [0] * 8
    for clf in (
        CertaintyClassifier(C=0.03).fit(sentences, labels),
        CertaintyClassifier(threshold=0.6).fit(sentences, labels),
        CertaintyClassifier.load(),  # saved before the step carried them
    ):
        step = clf.pipeline_[-1]
        assert clf.cv_metrics_["C"] == step.estimator_.C
        assert step.threshold == clf.threshold_
        uncertain = clf.pipeline_.predict(sentences) == "uncertain"
        assert list(uncertain) == list(clf.predict(sentences) == clf.uncertain_class_)


# ---------------------------------------------------------------------- one meaning per flag (22.7)
def labeled_tsv(tmp_path, label=lambda hedged: "uncertain" if hedged else "certain"):
    rows = [(t, label(True)) for t in HEDGED[:8]] + [(t, label(False)) for t in FIRM[:8]]
    path = tmp_path / "d.tsv"
    path.write_text("text\tlabel\n" + "".join(f"{t}\t{lab}\n" for t, lab in rows), "utf-8")
    return path


def test_eval_threshold_is_the_decision_threshold(capsys, tmp_path):
    from classifier.evaluate import evaluate
    from classifier.io.archive import load_scorer

    path = labeled_tsv(tmp_path)
    data = read_labeled(path)
    for t in (0.05, 0.95):
        code, out, err = run(capsys, "eval", "--threshold", str(t), "--format", "json", str(path))
        assert (code, err) == (0, "")
        scorer = load_scorer().with_threshold(t)
        expected = evaluate(scorer, data.sentences, data.labels).to_dict()
        assert json.loads(out) == json.loads(json.dumps(expected))
        assert json.loads(out)["threshold"] == t


def test_ratings_take_rating_cutoff_and_threshold_points_there(capsys, tmp_path):
    path = labeled_tsv(tmp_path, label=lambda hedged: "2" if hedged else "5")
    code, out, err = run(capsys, "eval", "--rating-cutoff", "3", "--format", "json", str(path))
    assert (code, err) == (0, "")
    assert json.loads(out)["uncertain"] == 8
    code, out, err = run(capsys, "eval", "--threshold", "3", str(path))
    assert code == 2
    assert "a cut-off of graded ratings is --rating-cutoff 3" in err


def test_train_threshold_fixes_the_decision_threshold(capsys, tmp_path):
    from classifier.model.estimator import CertaintyClassifier

    path = labeled_tsv(tmp_path)
    out_path = tmp_path / "m.hedge"
    code, out, err = run(capsys, "train", str(path), "--threshold", "0.6", "--out", str(out_path))
    assert code == 0
    assert "threshold 0.60" in out
    assert CertaintyClassifier.load(out_path).threshold_ == 0.6


def test_help_shows_hedge_model_files(capsys):
    from classifier.cli import helptext

    texts = [getattr(helptext, name) for name in dir(helptext) if name.isupper()]
    shown = "\n".join(t for t in texts if isinstance(t, str))
    assert ".joblib" not in shown
    assert "--out my.hedge" in shown


# ---------------------------------------------------------------------- aspects explained (22.12)
def test_readme_and_help_say_what_an_aspect_label_means(capsys):
    from pathlib import Path

    readme = Path(__file__).resolve().parents[1].joinpath("README.md").read_text("utf-8")
    section = readme[readme.index("**What an aspect label means.**") :]
    for piece in ("Pei & Jurgens", "our guideline", "`certain`:", "`uncertain`:", "`absent`:"):
        assert piece in section[:1200], piece
    assert "condition certain" in section and "number uncertain" in section
    assert main(["score", "--help"]) == 0
    shown = " ".join(capsys.readouterr().out.split())
    assert "certain (the sentence has the aspect and states it firmly)" in shown
    assert "our guideline" in shown


# ---------------------------------------------------------------------- generated files (22.9)
def test_files_the_readme_examples_write_are_not_committed():
    import shutil
    import subprocess
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    if shutil.which("git") is None or not (root / ".git").exists():
        pytest.skip("not a git checkout")
    written = ["news.hedge", "report.html", "scored.parquet", "scored.spacy", "scores", "extra"]
    readme = (root / "README.md").read_text("utf-8")
    assert all(name in readme for name in written)
    tracked = subprocess.run(
        ["git", "ls-files", "--", *written], cwd=root, capture_output=True, text=True, check=True
    ).stdout
    assert tracked == ""
    files = [
        f"{name}/x" if "." not in name or name.endswith(".parquet") else name for name in written
    ]
    ignored = subprocess.run(
        ["git", "check-ignore", "--no-index", *files], cwd=root, capture_output=True, text=True
    ).stdout.split()
    assert sorted(ignored) == sorted(files)


# ---------------------------------------------------------------------- report and progress (22.10)
def test_max_sentences_sets_the_cap_of_the_html_report(capsys, tmp_path):
    doc = tmp_path / "notes.txt"
    doc.write_text(" ".join(f"It may rain on day {i}." for i in range(30)), encoding="utf-8")
    page = tmp_path / "r.html"
    args = ["score", "--format", "html", "-o", str(page), str(doc)]
    assert run(capsys, *args, "--max-sentences", "7")[0] == 0
    text = page.read_text(encoding="utf-8")
    assert (
        "This page shows 7 of the 30 sentences in full (at most 7, fewer when they are long)."
        in text
    )
    assert run(capsys, *args)[0] == 0
    assert "This page shows" not in page.read_text(encoding="utf-8")
    code, _, err = run(capsys, "score", "--max-sentences", "7", str(doc))
    assert code == 1
    one_error(err, "--max-sentences", "--format html")
    code, _, err = run(capsys, *args, "--max-sentences", "0")
    assert code == 2 and "at least 1" in err


class Terminal:
    """A standard error that says it is a terminal, and keeps what is written to it."""

    def __init__(self) -> None:
        import io

        self.buffer = io.StringIO()

    def isatty(self) -> bool:
        return True

    def write(self, text: str) -> int:
        return self.buffer.write(text)

    def flush(self) -> None:
        pass


def test_progress_bar_of_files_has_total_and_time_left(monkeypatch, tmp_path, capsys):
    import sys

    paths = []
    for i in range(2):
        paths.append(tmp_path / f"d{i}.txt")
        paths[-1].write_text("It may rain. The sky is blue.\n" * 3000, encoding="utf-8")
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    out = tmp_path / "out.jsonl"
    assert main(["score", "--format", "jsonl", "-o", str(out), *map(str, paths)]) == 0
    shown = terminal.buffer.getvalue()
    assert "/176k" in shown or "/176kB" in shown  # 2 x 90,000 bytes in all
    assert re.search(r"\[\d\d:\d\d<(\d\d:\d\d|\?)", shown)  # elapsed < time left
    assert len(out.read_text(encoding="utf-8").splitlines()) == 12000


def test_readme_names_the_version_line_of_both_builds(capsys):
    from pathlib import Path

    from classifier._version import __version__
    from classifier.compiled import build_name

    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"hedge {__version__} ({build_name()})\n"
    readme = Path(__file__).resolve().parents[1].joinpath("README.md").read_text("utf-8")
    assert f"`hedge {__version__} (compiled)`" in readme
    assert f"`hedge {__version__} (pure Python)`" in readme


@pytest.mark.parametrize("by_lines", [False, True])
def test_streamed_report_is_the_page_of_the_whole_documents(by_lines):
    from classifier.io.archive import load_scorer
    from classifier.report import render_html, score_document, stream_documents

    scorer = load_scorer()
    texts = [
        ("a.txt", "It may rain. The sky is blue.\n\nPerhaps it works. It works.\n"),
        ("b.txt", " ".join(f"Day {i} may be wet." for i in range(40)) + "\n"),
        ("c.txt", "It rained.\nIt may rain again.\n"),
        ("d.txt", ""),
    ]
    for limit in (1, 3, 5, 30, 2000):
        whole = render_html(
            [score_document(scorer, text, name=name, by_lines=by_lines) for name, text in texts],
            threshold=scorer.threshold,
            max_sentences=limit,
        )
        streamed = render_html(
            stream_documents(
                scorer,
                ((name, iter([text])) for name, text in texts),
                by_lines=by_lines,
                max_sentences=limit,
            ),
            threshold=scorer.threshold,
            max_sentences=limit,
        )
        assert streamed == whole, limit


def test_html_report_memory_does_not_grow_with_the_input(tmp_path):
    import argparse
    import tracemalloc

    from classifier.cli.sources import html_page, text_files
    from classifier.io.archive import load_scorer

    scorer = load_scorer()
    decoding = argparse.Namespace(encoding="utf-8", errors="strict")
    paragraph = "The committee may delay the vote. Members met on Tuesday. It rained.\n\n"
    peaks = []
    for count in (2_000, 8_000):  # 6,000 and 24,000 sentences
        path = tmp_path / f"{count}.txt"
        path.write_text(paragraph * count, encoding="utf-8")
        tracemalloc.start()
        try:
            page = html_page(scorer, text_files([str(path)], decoding), False, 300)
            peaks.append(tracemalloc.get_traced_memory()[1])
        finally:
            tracemalloc.stop()
        assert f"This page shows 300 of the {3 * count:,} sentences in full" in page
    # keeping every sentence (as before) costs many MB more for the larger input
    assert peaks[1] - peaks[0] < 2**20, peaks


def test_explain_reads_files_block_by_block_with_the_same_output(capsys, tmp_path, monkeypatch):
    from classifier.io import reader

    path = tmp_path / "notes.txt"
    path.write_bytes("Caf\xe9 may open. The sky is blue.\n\nPerhaps.".encode("latin-1"))
    reads = []
    blocks = reader.decoded_blocks

    def counted(*args, **kwargs):
        reads.append(args[0])
        return blocks(*args, **kwargs)

    monkeypatch.setattr(reader, "decoded_blocks", counted)
    code, out, err = run(
        capsys, "explain", "--format", "json", "--encoding", "latin-1", "-f", str(path), "Surely."
    )
    assert (code, err) == (0, "")
    assert reads == [str(path)]
    records = json.loads(out)
    assert out == json.dumps(records, ensure_ascii=False, indent=1) + "\n"
    assert [(r["doc"], r["sentence"], r["text"]) for r in records] == [
        ("argument", 0, "Surely."),
        (str(path), 0, "Café may open."),
        (str(path), 1, "The sky is blue."),
        (str(path), 2, "Perhaps."),
    ]


def test_html_report_of_a_folder_reads_its_files_block_by_block(capsys, tmp_path, monkeypatch):
    from classifier.io import reader

    folder = tmp_path / "notes"
    (folder / "b").mkdir(parents=True)
    (folder / "z.txt").write_bytes(b"Caf\xe9 may open.")
    (folder / "b" / "a.txt").write_text("It rained.", encoding="utf-8")
    monkeypatch.setattr(reader, "read_text", None)  # never read whole
    page = tmp_path / "r.html"
    args = ["score", "--format", "html", "--encoding", "latin-1", "-o", str(page), str(folder)]
    code, _, err = run(capsys, *args)
    assert (code, err) == (0, "")
    html = page.read_text(encoding="utf-8")
    assert html.index("<h2>b/a.txt</h2>") < html.index("<h2>z.txt</h2>")
    assert "Café" in html
