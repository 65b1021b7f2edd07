"""The two builds: which one runs, pickles in both, and a wheel built without a C compiler.

CI runs this file twice: in the editable (pure-Python) install, and with
``HEDGE_EXPECT_BUILD=compiled`` against the compiled wheel installed elsewhere (``.ci/run``).
"""

from __future__ import annotations

import copy
import os
import pickle
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import classifier
from classifier.compiled import MODULES, build_name, compiled_modules
from classifier.text.tokens import words_of

ROOT = Path(__file__).resolve().parents[1]
#: "compiled" when CI runs the tests against the installed compiled wheel.
EXPECTED = os.environ.get("HEDGE_EXPECT_BUILD", "")
TEXT = "It may rain tomorrow, although nobody is sure. In May the sky was blue."


def test_the_build_that_runs_is_the_one_expected():
    from_checkout = ROOT in Path(classifier.__file__).resolve().parents
    if EXPECTED == "compiled":
        assert not from_checkout, classifier.__file__  # the installed wheel, not the sources
        assert compiled_modules() == list(MODULES)
        assert classifier.COMPILED
    elif from_checkout or EXPECTED == "pure":
        # an editable install runs its sources: no compiled module shadows an edited .py
        assert compiled_modules() == []
        assert not classifier.COMPILED


def test_hedge_version_names_the_build(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "classifier.cli", "--version"],
        cwd=tmp_path,  # the same package as this process: the checkout is not on sys.path
        check=True,
        capture_output=True,
        text=True,
    )
    assert result.stdout.strip().endswith("(compiled)" if classifier.COMPILED else "(pure Python)")
    assert build_name() in result.stdout


def test_a_scorer_and_its_results_pickle_and_copy():
    scorer = classifier.load()
    scores = scorer.score(TEXT)
    assert [cue.text for s in scores for cue in s.cues] == ["may", "nobody is sure"]
    for copied in (pickle.loads(pickle.dumps(scorer)), copy.deepcopy(scorer)):
        assert copied.score(TEXT) == scores
    assert pickle.loads(pickle.dumps(scores)) == scores
    words = words_of(TEXT)
    sums = scorer.fused.sums(TEXT, words, True)
    assert [v.rule for v in sums.verdicts] == [None, None, "false friend: the month May"]
    back = pickle.loads(pickle.dumps(sums))
    assert (back.log_odds, back.rating, back.verdicts, back.contributions) == (
        sums.log_odds,
        sums.rating,
        sums.verdicts,
        sums.contributions,
    )


@pytest.mark.slow
def test_without_a_c_compiler_the_wheel_is_pure_python_and_scores(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "HEDGE_CLASSIFIER_PURE"}
    built = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(tmp_path), str(ROOT)],
        env={**env, "CC": "/bin/false"},
        check=True,
        capture_output=True,
        text=True,
    )
    assert "hedge-classifier: building pure Python: no working C compiler" in (
        built.stdout + built.stderr
    )
    (wheel,) = tmp_path.glob("hedge_classifier-*.whl")
    assert wheel.name.endswith("-py3-none-any.whl")
    assert not [n for n in zipfile.ZipFile(wheel).namelist() if n.endswith((".so", ".pyd"))]
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = str(venv / "bin" / "python")
    subprocess.run(
        [python, "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)],
        check=True,
        capture_output=True,
    )
    code = (
        "import classifier; s = classifier.load().score('It may rain. It rained.'); "
        "print(classifier.COMPILED, [x.label for x in s])"
    )
    run = subprocess.run(
        [python, "-c", code], cwd=tmp_path, check=True, capture_output=True, text=True
    )
    assert run.stdout.strip() == "False ['uncertain', 'certain']"
