"""``hedge train`` reads its data once: a named pipe, standard input and ``<(...)`` work."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import threading
from pathlib import Path

from tests.archive import manifest_of
from tests.hostile.common import EXAMPLES, ROOT

DATA = (EXAMPLES / "labeled.csv").read_bytes()
SHA = hashlib.sha256(DATA).hexdigest()


def train(*args: str, **kwargs: object) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "classifier.cli", "train", *args],
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=120,  # a hang, not a duration: training these 44 rows takes seconds
        **kwargs,  # type: ignore[arg-type]
    )


def check(done: subprocess.CompletedProcess[bytes], model: Path, name: str) -> None:
    assert done.returncode == 0, done.stderr.decode()
    assert manifest_of(model)["training"]["sha256"] == {name: SHA}


def test_train_from_a_named_pipe(tmp_path):
    fifo = tmp_path / "data.csv"
    os.mkfifo(fifo)

    def feed() -> None:
        with open(fifo, "wb") as f:
            f.write(DATA)

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    model = tmp_path / "m.hedge"
    try:
        done = train(str(fifo), "--out", str(model))
    finally:
        if writer.is_alive():  # unblock the writer if the command never opened the pipe
            with open(fifo, "rb") as f:
                f.read()
        writer.join()
    check(done, model, str(fifo))


def test_train_from_standard_input(tmp_path):
    model = tmp_path / "m.hedge"
    done = train("-", "--data-format", "csv", "--out", str(model), input=DATA)
    check(done, model, "-")


def test_train_from_process_substitution(tmp_path):
    read, write = os.pipe()
    name = f"/dev/fd/{read}"
    model = tmp_path / "m.hedge"

    def feed() -> None:
        with os.fdopen(write, "wb") as f:
            f.write(DATA)

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    try:
        done = train(name, "--data-format", "csv", "--out", str(model), pass_fds=(read,))
    finally:
        os.close(read)
        writer.join()
    check(done, model, name)
