"""An output is never an input: not a file of an input folder, a lexicon, or the model."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.hostile.common import EXAMPLES, one_error_line, run

LEXICON = "cue\tcategory\tweight\tnote\nmaybe so\tmodal\t0.5\ttest\n"


@pytest.fixture
def notes(tmp_path: Path) -> Path:
    folder = tmp_path / "notes"
    shutil.copytree(EXAMPLES / "notes", folder)
    return folder


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_output_over_a_file_of_an_input_folder_is_refused(capsys, notes):
    before = snapshot(notes)
    code, _, err = run(capsys, "score", str(notes), "-o", str(notes / "bridge.txt"))
    assert code == 1
    one_error_line(err, "bridge.txt", str(notes))
    assert snapshot(notes) == before


def test_new_output_inside_an_input_folder_is_refused(capsys, notes):
    """With --glob '*' the run would read its own temporary file."""
    before = snapshot(notes)
    out = notes / "sub" / "scores.jsonl"
    out.parent.mkdir()
    code, _, err = run(capsys, "score", str(notes), "--glob", "**/*", "-o", str(out))
    assert code == 1
    one_error_line(err, str(notes))
    assert snapshot(notes) == before


def test_output_through_a_link_into_an_input_folder_is_refused(capsys, notes, tmp_path):
    link = tmp_path / "link"
    link.symlink_to(notes)
    code, _, err = run(capsys, "score", str(notes), "-o", str(link / "bridge.txt"))
    assert code == 1
    one_error_line(err)
    assert (notes / "bridge.txt").read_bytes() == (EXAMPLES / "notes" / "bridge.txt").read_bytes()


def test_output_hard_linked_to_a_file_of_an_input_folder_is_refused(capsys, notes, tmp_path):
    out = tmp_path / "out.txt"
    out.hardlink_to(notes / "bridge.txt")
    code, _, err = run(capsys, "score", str(notes), "-o", str(out))
    assert code == 1
    one_error_line(err, str(notes))


def lexicon(tmp_path: Path) -> Path:
    folder = tmp_path / "lex"
    folder.mkdir()
    (folder / "extra.tsv").write_text(LEXICON, encoding="utf-8")
    return folder


def test_score_output_inside_the_lexicon_is_refused(capsys, tmp_path):
    lex = lexicon(tmp_path)
    before = snapshot(lex)
    for out in (lex / "a.tsv", lex / "extra.tsv"):
        code, _, err = run(
            capsys, "score", "--lexicon", str(lex), str(EXAMPLES / "sample.txt"), "-o", str(out)
        )
        assert code == 1
        one_error_line(err, str(lex))
    assert snapshot(lex) == before


def test_train_output_inside_the_lexicon_is_refused(capsys, tmp_path):
    lex = lexicon(tmp_path)
    before = snapshot(lex)
    code, _, err = run(
        capsys,
        "train",
        str(EXAMPLES / "labeled.csv"),
        "--lexicon",
        str(lex),
        "--base",
        "--out",
        str(lex / "extra.tsv"),
    )
    assert code == 1
    one_error_line(err, str(lex))
    assert snapshot(lex) == before


def test_eval_output_over_the_model_is_refused(capsys, tmp_path):
    from classifier.io.archive import default_model_path

    model = tmp_path / "m.hedge"
    shutil.copy(default_model_path(), model)
    before = model.read_bytes()
    for option in ("-o", "--plot"):
        code, _, err = run(
            capsys, "eval", str(EXAMPLES / "held_out.csv"), "--model", str(model), option,
            str(model),
        )  # fmt: skip
        assert code == 1
        one_error_line(err, str(model))
    assert model.read_bytes() == before
