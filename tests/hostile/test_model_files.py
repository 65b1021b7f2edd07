"""Model files: one archive written in one rename, no unpickling on any scoring path,
weights validated on load, and outputs that never replace inputs or lose file modes."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import joblib
import pytest

from classifier import CertaintyClassifier, ModelIntegrityError, ModelLoadError
from classifier.io.archive import load_model, load_scorer, save_model
from classifier.io.files import atomic_write
from classifier.model.linear import Linear
from classifier.model.scorer import Scorer
from classifier.model.weights import to_json
from tests.archive import members, rewrite
from tests.conftest import run
from tests.corpus import LABELS, SENTENCES


@pytest.fixture(scope="module")
def small() -> CertaintyClassifier:
    return CertaintyClassifier(min_df=1, cv=3).fit(SENTENCES, LABELS)



def one_error_line(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("hedge: error: "), err
    return lines[0]


# ---------------------------------------------------------------------- scoring never unpickles
class _Payload:
    """Unpickling this touches a file: a stand-in for a malicious model."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


@pytest.fixture
def hostile(tmp_path, small) -> tuple[Path, Path]:
    """A model archive whose pipeline.joblib runs code, every sha256 matching its manifest."""
    marker = tmp_path / "payload-ran"
    path = tmp_path / "evil.hedge"
    small.save(path)
    pickled = io.BytesIO()
    joblib.dump({"format": "hedge-classifier-model", "payload": _Payload(marker)}, pickled)
    rewrite(path, pipeline=pickled.getvalue())
    return path, marker


def test_scoring_paths_never_unpickle(capsys, tmp_path, hostile):
    path, marker = hostile
    assert load_scorer(path).score("It may rain.")[0].label == "uncertain"
    text = tmp_path / "in.txt"
    text.write_text("It may rain.", encoding="utf-8")
    code, out, _ = run(capsys, "score", "--model", str(path), str(text))
    assert code == 0 and "uncertain" in out
    code, out, _ = run(capsys, "explain", "--model", str(path), "It may rain.")
    assert code == 0 and "may" in out
    spacy = pytest.importorskip("spacy")
    import classifier.spacy  # noqa: F401

    nlp = spacy.blank("en")
    nlp.add_pipe("hedge_certainty", config={"model": str(path)})
    assert not marker.exists()
    with pytest.raises(ModelLoadError, match="not a hedge-classifier-model"):
        load_model(path)  # unpickled: it runs, and is no model
    assert marker.exists()


def test_an_archive_is_scored_from_its_weights_without_reading_the_pipeline(tmp_path, small):
    path = tmp_path / "m.hedge"
    small.save(path)
    rewrite(path, fix_hashes=False, pipeline=b"anything: never read by load_scorer")
    assert load_scorer(path).score_sentences(SENTENCES) == small.scorer_.score_sentences(SENTENCES)
    with pytest.raises(ModelIntegrityError, match="pipeline.joblib"):
        load_model(path)


# ------------------------------------------------------------------ one file, written in one rename
def test_train_says_it_wrote_one_file_and_that_file_is_the_whole_model(capsys, tmp_path):
    data = tmp_path / "data.csv"
    rows = [f"{s.replace(',', ' ')},{label}" for s, label in zip(SENTENCES, LABELS, strict=True)]
    data.write_text("text,label\n" + "\n".join(rows) + "\n", encoding="utf-8")
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    code, out, _ = run(capsys, "train", str(data), "--out", str(out_dir / "news.hedge"))
    assert code == 0 and f"wrote {out_dir / 'news.hedge'}" in out
    assert [p.name for p in out_dir.iterdir()] == ["news.hedge"]
    moved = tmp_path / "elsewhere" / "copy.hedge"
    moved.parent.mkdir()
    (out_dir / "news.hedge").rename(moved)
    text = tmp_path / "in.txt"
    text.write_text("It may rain.", encoding="utf-8")
    assert run(capsys, "score", "--model", str(moved), str(text))[0] == 0
    assert run(capsys, "eval", str(data), "--model", str(moved))[0] == 0


def test_a_failed_save_leaves_the_old_model_whole_and_no_temporary_file(
    monkeypatch, tmp_path, small
):
    path = tmp_path / "m.hedge"
    small.save(path)
    before = path.read_bytes()
    other = CertaintyClassifier(min_df=1, cv=3).fit(SENTENCES[:30], LABELS[:30])
    calls = []

    def fail_on_second(self, info, data, *args, **kwargs):
        calls.append(info)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return original(self, info, data, *args, **kwargs)

    original = zipfile.ZipFile.writestr
    monkeypatch.setattr(zipfile.ZipFile, "writestr", fail_on_second)
    with pytest.raises(OSError, match="No space"):
        save_model(other, path, {})
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["m.hedge"]


RACE = """
import sys
from classifier.io.archive import load_model, save_model
clf = load_model(sys.argv[1])
for _ in range(int(sys.argv[3])):
    save_model(clf, __import__("pathlib").Path(sys.argv[2]), {})
"""


def test_two_trainers_racing_for_one_path_leave_one_whole_model(tmp_path, small):
    sources = []
    for threshold in (0.3, 0.6):
        clf = CertaintyClassifier(min_df=1, cv=3).fit(SENTENCES, LABELS)
        clf.threshold_ = threshold
        source = tmp_path / f"t{threshold}.hedge"
        clf.save(source)
        sources.append(source)
    target = tmp_path / "same.hedge"
    writers = [
        subprocess.Popen([sys.executable, "-c", RACE, str(source), str(target), "15"])
        for source in sources
    ]
    seen = set()
    while any(w.poll() is None for w in writers):
        if target.exists():
            seen.add(load_scorer(target).threshold)  # never a partial or mixed archive
    assert [w.wait() for w in writers] == [0, 0]
    assert seen <= {0.3, 0.6}
    assert load_model(target).threshold_ == load_scorer(target).threshold
    assert sorted(p.name for p in tmp_path.iterdir()) == ["same.hedge", "t0.3.hedge", "t0.6.hedge"]


# ---------------------------------------------------------------------- no output replaces an input
def test_no_output_may_be_an_input(capsys, tmp_path, small):
    data = tmp_path / "news.json"
    data.write_text(
        json.dumps([{"text": s, "label": lab} for s, lab in zip(SENTENCES, LABELS, strict=True)])
    )
    before = data.read_bytes()
    code, _, err = run(capsys, "train", str(data), "--out", str(data))
    assert code == 1 and "is the input" in one_error_line(err)
    text = tmp_path / "in.txt"
    text.write_text("It may rain.", encoding="utf-8")
    code, _, err = run(capsys, "score", str(text), "-o", str(text))
    assert code == 1 and "is the input" in one_error_line(err)
    link = tmp_path / "link.json"
    link.symlink_to(data)
    code, _, err = run(capsys, "eval", str(data), "-o", str(link))
    assert code == 1 and "is the input" in one_error_line(err)
    assert data.read_bytes() == before and text.read_text() == "It may rain."


# --------------------------------------------------------- a replaced file keeps its mode and links
def test_replacing_a_file_keeps_its_mode_and_writes_through_a_link(tmp_path):
    private = tmp_path / "private.txt"
    private.write_text("old")
    private.chmod(0o600)
    atomic_write(private, lambda f: f.write(b"new"))
    assert private.read_text() == "new" and private.stat().st_mode & 0o777 == 0o600
    link = tmp_path / "link.txt"
    link.symlink_to(private)
    atomic_write(link, lambda f: f.write(b"through"))
    assert link.is_symlink() and private.read_text() == "through"
    assert private.stat().st_mode & 0o777 == 0o600


# ---------------------------------------- weights are validated when read, strict JSON when written
def _weights_with(small, change) -> bytes:
    document = json.loads(to_json(small.scorer_))
    change(document)
    return json.dumps(document).encode()


def _set(path: str, value):
    def change(document):
        *parents, last = path.split("/")
        target = document
        for key in parents:
            target = target[int(key)] if isinstance(target, list) else target[key]
        if isinstance(target, list):
            target[int(last)] = value
        else:
            target[last] = value

    return change


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (_set("uncertain/intercept", float("nan")), "invalid JSON.*NaN"),
        (_set("threshold", float("nan")), "invalid JSON.*NaN"),
        (_set("threshold", 5), "threshold: 5.0 is not between 0 and 1"),
        (_set("threshold", 0), "threshold: 0.0 is not between 0 and 1"),
        (_set("uncertain/intercept", 1e308), "intercept: 1e\\+308 is not a number within"),
        (_set("uncertain/intercept", float("inf")), "invalid JSON.*Infinity"),
        (_set("uncertain/intercept", "1"), "intercept: expected a number"),
        (_set("settings/max_gap", "12"), "max_gap: expected int"),
        (_set("settings/max_gap", 10**9), "max_gap: 1000000000 is not from 0 to 50"),
        (_set("settings/context", 1), "context: expected bool"),
        (_set("lexicon/0/0", ""), "empty cue"),
        (_set("lexicon/0/0", "."), "'.' has no word"),
        (_set("lexicon/0/1", "modl"), "unknown category 'modl'"),
        (_set("lexicon/0/2", 7), "is not in \\[0, 1\\]"),
        (_set("lexicon/0", ["may"]), "entry 0: expected"),
        (_set("lexicon", [["may", "modal", 0.5, "x"]] * 2), "duplicate cue 'may'"),
        (_set("lexicon", [["x", "modal", 0.5, "x"]] * 10_001), "more than 10000"),
        (_set("lexicon/0", ["may", "modal", 0.5, [["may"]], "x"]), "entry 0: expected"),
        (_set("uncertain", None), "uncertain: expected dict"),
    ],
)
def test_hostile_weights_are_refused_naming_the_field(tmp_path, small, change, message):
    path = tmp_path / "m.hedge"
    small.save(path)
    rewrite(path, weights=_weights_with(small, change))
    with pytest.raises(ModelLoadError, match=message) as caught:
        load_scorer(path)
    assert f"{path}:weights.json" in str(caught.value)


def test_deeply_nested_weights_are_refused(tmp_path, small):
    path = tmp_path / "m.hedge"
    small.save(path)
    rewrite(path, weights=b"[" * 100_000 + b"]" * 100_000)
    with pytest.raises(ModelLoadError, match="nested too deeply"):
        load_scorer(path)
    rewrite(path, manifest=b"[" * 100_000 + b"]" * 100_000)
    with pytest.raises(ModelLoadError, match="unreadable manifest"):
        load_scorer(path)


def test_weights_are_written_as_strict_json(small):
    bundled = load_scorer()
    scorer = Scorer(bundled.lexicon, bundled.settings, Linear(float("nan"), {}, {}), 0.5)
    with pytest.raises(ValueError, match="not JSON compliant"):
        to_json(scorer)
    assert "NaN" not in members_of_default()


def members_of_default() -> str:
    from classifier.io.archive import default_model_path

    return members(default_model_path())["weights.json"].decode()


def test_atomic_write_leaves_nothing_when_interrupted(tmp_path):
    target = tmp_path / "out.txt"

    def interrupted(f):
        f.write(b"partial")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        atomic_write(target, interrupted)
    assert os.listdir(tmp_path) == []


# ---------------------------------------------------------------------- README
README = Path(__file__).resolve().parents[2] / "README.md"
EXAMPLES = README.parent / "examples"


def test_the_readme_train_example_writes_what_it_says(capsys, tmp_path, monkeypatch):
    shown = README.read_text(encoding="utf-8").split("$ hedge train examples/labeled.csv")[1]
    command, *output = shown.split("\n$ ")[0].splitlines()
    monkeypatch.chdir(tmp_path)
    args = ["train", str(EXAMPLES / "labeled.csv"), *command.split()]
    code, out, _ = run(capsys, *args)
    assert code == 0
    printed = out.splitlines()
    assert printed[0] == output[0] and printed[-1] == output[-1]  # read ... / wrote ...
    assert [p.name for p in tmp_path.iterdir()] == ["news.hedge"]
    assert load_scorer("news.hedge").score("It may rain.")[0].label == "uncertain"
