"""Workers of ``hedge score --jobs`` (issue 24, items 3, 10 and 27): one that is killed,
ones that cannot start or end at once, and too few file descriptors end the run with one
line, never a hang, and leave no file behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest


@pytest.fixture
def files(tmp_path) -> list[str]:
    """Enough text for several tasks of 2,000 characters, a file named twice."""
    path = tmp_path / "a.txt"
    path.write_text("The drug may help some patients. It was given to ten.\n\n" * 200, "utf-8")
    return [str(path), str(path)]


def hedge(code: str, *args: str, **kwargs) -> subprocess.CompletedProcess:
    """Run ``main(args)`` in a new process after ``code``; fail rather than hang."""
    program = textwrap.dedent(code) + "\nimport sys\nfrom classifier.cli.main import main\n"
    program += f"sys.exit(main({list(args)!r}))\n"
    return subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, timeout=120, **kwargs
    )


KILL_A_WORKER = """
import os, signal
from classifier.cli import sources
sources.TASK_CHARS = 2000
parent, work = os.getpid(), sources._format_task
def dying(*args):
    if os.getpid() != parent:
        os.kill(os.getpid(), signal.SIGKILL)
    return work(*args)
sources._format_task = dying
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_killed_worker_ends_the_run_with_one_line_and_no_file(tmp_path, files):
    out = tmp_path / "out" / "scored.jsonl"
    out.parent.mkdir()
    done = hedge(KILL_A_WORKER, "score", "--jobs", "2", "--format", "jsonl", "-o", str(out), *files)
    assert done.returncode == 1
    assert (
        done.stderr
        == "hedge: error: a --jobs worker process was killed by SIGKILL; the run was stopped\n"
    )
    assert list(out.parent.iterdir()) == []


def test_workers_that_cannot_start_say_so(tmp_path, files):
    cannot = """
    import errno, multiprocessing.process as process
    from classifier.cli import sources
    sources.TASK_CHARS = 2000
    def start(self):
        raise OSError(errno.EAGAIN, "Resource temporarily unavailable")
    process.BaseProcess.start = start
    """
    done = hedge(cannot, "score", "--jobs", "2", *files)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == (
        "hedge: error: cannot start --jobs 2 worker processes: Resource temporarily unavailable\n"
    )
    gone = """
    import os
    from classifier.cli import sources
    sources.TASK_CHARS = 2000
    sources._work = lambda conn, job: os._exit(3)  # a worker that ends at once
    """
    done = hedge(gone, "score", "--jobs", "2", "--format", "jsonl", *files)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == (
        "hedge: error: a --jobs worker process exited with status 3; the run was stopped\n"
    )


@pytest.mark.skipif(not Path("/dev/shm").is_dir(), reason="needs /dev/shm")
def test_few_file_descriptors_give_one_line_and_leave_nothing(tmp_path):
    import resource

    folder = tmp_path / "notes"
    folder.mkdir()
    for number in range(8):
        (folder / f"{number}.txt").write_text("It may rain. It rained.\n" * 200, "utf-8")
    shm = set(os.listdir("/dev/shm"))
    small = "from classifier.cli import sources\nsources.TASK_CHARS = 4000\n"

    def few() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (16, 16))

    done = hedge(small, "score", "--jobs", "2", "--per", "document", str(folder), preexec_fn=few)
    one = hedge(small, "score", "--per", "document", str(folder))
    assert done.returncode in (0, 1)
    if done.returncode:
        assert done.stdout == "" and len(done.stderr.splitlines()) == 1, done.stderr
        assert done.stderr.startswith("hedge: error: cannot start --jobs 2 worker processes")
    else:
        assert done.stdout == one.stdout and done.stderr == ""
    assert set(os.listdir("/dev/shm")) <= shm
