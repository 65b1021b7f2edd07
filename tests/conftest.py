"""Shared test helpers: the ``hedge`` command run in-process, and the checkout's wheel.

The wheel is built once, and a virtual environment with it installed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run ``hedge`` with ``args`` in this process; return its exit status, stdout and stderr."""
    from classifier.cli.main import main

    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the pure-Python wheel of the checkout (CI builds and tests the compiled one)."""
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        env={**os.environ, "HEDGE_CLASSIFIER_PURE": "1"},
    )
    (path,) = out.glob("hedge_classifier-*.whl")
    return path


@pytest.fixture(scope="session")
def wheel_env(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a fresh virtual environment with the wheel installed (its ``bin`` holds hedge).

    The wheel is installed without dependencies; the test environment's packages (numpy,
    scikit-learn, pandas, spaCy, Dask, matplotlib) are added behind it on ``sys.path``, so
    that the README's optional examples run too. The test environment's own editable
    install of hedge-classifier is not: its finder is never run.
    """
    venv = tmp_path_factory.mktemp("wheel-env") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)],
        check=True,
        capture_output=True,
    )
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    ours = sysconfig.get_paths()["purelib"]
    (Path(site) / "test-environment.pth").write_text(ours + "\n", encoding="utf-8")
    return venv
