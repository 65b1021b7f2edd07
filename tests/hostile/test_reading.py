"""Reading hostile text (issue 16): a truncated end, UTF-16, codecs that are not text
encodings, a full disk, file names that are not UTF-8, and signals that clean up like
Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import run
from tests.hostile.common import one_error_line
from tests.test_reader import PARAGRAPH, score_jsonl


# ---------------------------------------------------------------------- a truncated end
def test_a_truncated_utf8_sequence_at_the_end_is_an_error_or_replaced(capsys, tmp_path):
    path = tmp_path / "cut.txt"
    path.write_bytes("It may rain. Caf\u00e9".encode()[:-1])
    code, out, err = run(capsys, "score", str(path))
    assert code == 1 and out == ""
    assert (
        f"{path}:1: invalid UTF-8 at byte offset 16 (byte 0xc3: unexpected end of data)"
        in one_error_line(err)
    )
    records = score_jsonl(capsys, "--errors", "replace", str(path))
    assert records[-1]["text"] == "Caf\ufffd"


# ---------------------------------------------------------------------- other encodings
def test_utf16_input_with_a_hair_space_is_not_cut_at_byte_0x0a(capsys, tmp_path):
    sentence = "The results\u200a\u200amay suggest a role."
    text = "Filler comes first. " * 4_000 + sentence
    assert len(text) > 65_536
    path = tmp_path / "utf16.txt"
    path.write_bytes(text.encode("utf-16"))
    records = score_jsonl(capsys, "--encoding", "utf-16", str(path))
    assert records[-1]["text"] == sentence
    lines = score_jsonl(capsys, "--encoding", "utf-16", "--lines", str(path))
    assert {r["line"] for r in lines} == {1}


def test_utf16_read_as_utf8_suggests_the_encoding(capsys, tmp_path):
    path = tmp_path / "utf16.txt"
    path.write_bytes("It may rain.\n".encode("utf-16"))
    code, _, err = run(capsys, "score", str(path))
    assert code == 1 and "--encoding utf-16" in one_error_line(err)


# ---------------------------------------------------------------------- every failure is one line
@pytest.mark.parametrize("encoding", ["rot13", "base64", "hex"])
def test_codecs_that_are_not_text_encodings_are_usage_errors(capsys, tmp_path, encoding):
    path = tmp_path / "in.txt"
    path.write_text("It may rain.", encoding="utf-8")
    code, _, err = run(capsys, "score", "--encoding", encoding, str(path))
    assert code == 2 and f"'{encoding}' is not a text encoding" in err and "Traceback" not in err


def hedge(*args: str, **kwargs) -> subprocess.CompletedProcess:
    command = [
        sys.executable,
        "-c",
        "import sys; from classifier.cli.main import main; sys.exit(main())",
    ]
    return subprocess.run([*command, *args], capture_output=True, **kwargs)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize(
    "command", [["score"], ["score", "--jobs", "2"], ["explain", "It may rain."], ["eval"]]
)
def test_a_full_disk_on_standard_output_is_one_line(tmp_path, command):
    text = tmp_path / "in.txt"
    text.write_text("It may rain.\n" * 2000, encoding="utf-8")
    data = tmp_path / "d.csv"
    data.write_text("text,label\nIt may rain.,uncertain\nIt rained.,certain\n", encoding="utf-8")
    extra = {"score": [str(text)], "explain": [], "eval": [str(data)]}[command[0]]
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "classifier.cli",
             *command, *extra],
            stdout=full, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
    assert result.returncode == 1
    assert result.stderr == "hedge: error: cannot write standard output: No space left on device\n"


def test_a_file_name_that_is_not_utf8_gives_one_line(tmp_path):
    text = tmp_path / "in.txt"
    text.write_text("It may rain.", encoding="utf-8")
    name = os.fsdecode(bytes(tmp_path) + b"/\xff/out.txt")
    result = hedge("score", str(text), "-o", name, text=True)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"hedge: error: cannot write {tmp_path}/\\xff/out.txt: no such directory {tmp_path}/\\xff"
    ]
    good = os.fsdecode(bytes(tmp_path) + b"/\xfe.txt")
    assert hedge("score", str(text), "-o", good).returncode == 0
    with open(os.fsencode(good), "rb") as written:
        assert b"uncertain" in written.read()
    for output in ("jsonl", "html"):  # the undecodable name is in the output, escaped
        out = tmp_path / f"out.{output}"
        result = hedge("score", "--format", output, good, "-o", str(out), text=True)
        assert result.returncode == 0 and result.stderr == ""
        assert "\\xfe.txt" in out.read_text(encoding="utf-8")


# --------------------------------------------------------------------- signals clean up like Ctrl-C
def _session_processes(session: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if os.getsid(int(entry.name)) == session:
                    found.append(int(entry.name))
            except (ProcessLookupError, PermissionError):
                pass
    return found


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc")
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_sigterm_and_sighup_clean_up_like_ctrl_c(tmp_path, signum):
    big = tmp_path / "big.txt"
    big.write_text((PARAGRAPH + "\n\n") * 30_000, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    process = subprocess.Popen(
        [sys.executable, "-c", "import sys; from classifier.cli.main import main; sys.exit(main())",
         "score", "--jobs", "2", "--format", "jsonl", "-o", str(out), str(big)],
        start_new_session=True, stderr=subprocess.PIPE,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while not any(p.name.startswith(".out.jsonl.") for p in tmp_path.iterdir()):
        assert process.poll() is None and time.monotonic() < deadline
        time.sleep(0.05)
    while len(_session_processes(process.pid)) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)  # the workers have started
    partial = next(p for p in tmp_path.iterdir() if p.name.startswith(".out.jsonl."))
    while partial.stat().st_size == 0 and time.monotonic() < deadline:
        time.sleep(0.05)  # ... and scored: a signal while the pool starts is another case
    process.send_signal(signum)
    assert process.wait(timeout=60) == 128 + signum
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.txt"]
    deadline = time.monotonic() + 30
    while _session_processes(process.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _session_processes(process.pid) == []
