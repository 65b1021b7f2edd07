"""Build the wheel, install it into a fresh virtual environment, score outside the checkout."""

import json
import re
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import classifier

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_carries_lexicons_model_and_splitter(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for lexicon in (ROOT / "lexicons").glob("*.tsv"):
        assert f"classifier/lexicons/{lexicon.name}" in names
    assert "classifier/lexicons/abbreviations.txt" in names
    for model in (ROOT / "models").glob("default.*"):  # the one archive
        assert f"classifier/models/{model.name}" in names
    assert "classifier/models/punkt/ortho_context.tab" in names
    assert "classifier/py.typed" in names
    assert "classifier/compiled.py" in names
    assert not any(name.startswith(("tests/", "benchmarks/", "scripts/")) for name in names)


def test_installed_wheel_scores_outside_the_checkout(wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", str(wheel)], check=True, capture_output=True
    )
    text = tmp_path / "input.txt"
    text.write_text("Russia annexed Crimea in 2014. The drug may help.\n", encoding="utf-8")
    result = subprocess.run(
        [str(venv / "bin" / "hedge"), "score", "--format", "jsonl", str(text)],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        text=True,
    )
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["label"] for r in records] == ["certain", "uncertain"]
    assert records[1]["cues"][0]["text"] == "may"
    imported = subprocess.run(
        [str(python), "-c", "import classifier; print(classifier.__file__)"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert str(ROOT) not in imported


def test_the_suites_wheel_is_pure_python(wheel):
    # the suite builds with HEDGE_CLASSIFIER_PURE=1: one compile, in CI, not one per test run
    assert wheel.name.endswith("-py3-none-any.whl")
    assert not [n for n in zipfile.ZipFile(wheel).namelist() if n.endswith((".so", ".pyd"))]


def test_wheel_ships_the_license_it_declares(wheel):
    archive = zipfile.ZipFile(wheel)
    licenses = [name for name in archive.namelist() if name.endswith(".dist-info/licenses/LICENSE")]
    assert len(licenses) == 1
    assert archive.read(licenses[0]).decode() == (ROOT / "LICENSE").read_text()
    (metadata,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
    fields = archive.read(metadata).decode().split("\n\n")[0].splitlines()
    assert "License-Expression: MIT" in fields and "License-File: LICENSE" in fields
    assert "MIT License" in (ROOT / "LICENSE").read_text()
    assert f"Version: {classifier.__version__}" in fields  # one version, in the package


def test_sdist_ships_the_license(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "build", "--sdist", "--outdir", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (sdist,) = tmp_path.glob("hedge_classifier-*.tar.gz")
    with tarfile.open(sdist) as archive:
        names = archive.getnames()
    assert [name for name in names if name.endswith("/LICENSE")] == [f"{sdist.name[:-7]}/LICENSE"]


def test_readme_images_exist_and_say_where_they_are():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    images = re.findall(r"!\[[^\]]+\]\(([^)]+)\)", readme)  # every image has a description
    assert images
    for target in images:
        assert (ROOT / target).is_file(), target
    # relative links break on a package index page: the README says where the images are
    assert "images of this README are in the repository's `docs/` folder" in readme
