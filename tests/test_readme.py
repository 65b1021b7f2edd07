"""Every Python block and command-line example of the README runs, and shows what it prints.

The examples run against the installed wheel (``wheel_env`` in ``conftest.py``), in README
order, in two places: a copy of the checkout's root, where ``python`` imports the source
``classifier/`` in front of the installed one, and a folder elsewhere that holds only
``examples/``. A Python block runs as a script (``python example.py``, so that code
guarded by ``if __name__ == "__main__":`` runs, as it does for a reader who saves it); its
output is the run of ``# `` comment lines that ends it; a command's (``$ hedge ...``) is the
lines that follow it. A line ``...`` stands for any number of lines, and a command shown
without output is only run. Every line shown must be the line printed, exactly (trailing
white space aside): a retrained model means editing the README.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
#: Longest run of one example, in seconds (a Dask example starts a local cluster).
TIMEOUT = 600


@dataclass(frozen=True)
class Example:
    """One example: ``kind`` is "python" or "cli"; ``line`` its first line in the README."""

    kind: str
    line: int
    code: str
    expected: tuple[str, ...]


def read_examples(text: str) -> list[Example]:
    """Return the README's Python blocks and ``$`` commands, in order."""
    examples: list[Example] = []
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        fence = lines[index].strip()
        if not fence.startswith("```"):
            index += 1
            continue
        language = fence[3:].strip()
        end = next(i for i in range(index + 1, len(lines)) if lines[i].strip() == "```")
        body = lines[index + 1 : end]
        if language == "python":
            examples.append(_python(body, index + 2))
        elif language == "" and any(line.startswith("$ ") for line in body):
            examples += _commands(body, index + 2)
        index = end + 1
    return examples


def _python(body: list[str], line: int) -> Example:
    cut = len(body)
    while cut and (body[cut - 1].startswith("# ") or body[cut - 1] == "#"):
        cut -= 1
    expected = tuple(line[2:] for line in body[cut:])
    return Example("python", line, "\n".join(body[:cut]) + "\n", expected)


def _commands(body: list[str], line: int) -> list[Example]:
    found: list[Example] = []
    for offset, text in enumerate(body):
        if text.startswith("$ "):
            found.append(Example("cli", line + offset, text[2:], ()))
        elif found:
            last = found[-1]
            found[-1] = Example("cli", last.line, last.code, (*last.expected, text))
    return found


# ---------------------------------------------------------------------- comparing output
def same_line(expected: str, actual: str) -> bool:
    """Whether an output line is the one shown, exactly (trailing white space aside)."""
    return expected.rstrip() == actual.rstrip()


def mismatch(expected: tuple[str, ...], output: str) -> str | None:
    """Return why ``output`` is not what ``expected`` shows, or None when it is."""
    actual = output.rstrip("\n").splitlines()
    shown = list(expected)
    while shown and not shown[-1].strip():
        shown.pop()
    segments: list[list[str]] = [[]]
    for line in shown:
        if line.strip() == "...":
            segments.append([])
        else:
            segments[-1].append(line)
    at = 0
    for number, segment in enumerate(segments):
        anchored = number == 0
        starts = [at] if anchored else range(at, len(actual) - len(segment) + 1)
        for start in starts:
            window = actual[start : start + len(segment)]
            if len(window) == len(segment) and all(map(same_line, segment, window)):
                at = start + len(segment)
                break
        else:
            return f"expected {segment!r} after output line {at}, got:\n{output}"
    if len(segments) == 1 and at != len(actual):
        return f"unexpected output after line {at}:\n{output}"
    return None


# ---------------------------------------------------------------------- running
def run(example: Example, venv: Path, cwd: Path) -> str | None:
    env = {
        **os.environ,
        "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}",
        "MPLBACKEND": "Agg",
        "PYTHONHASHSEED": "0",
    }
    env.pop("PYTHONPATH", None)
    if example.kind == "python":
        script = cwd / "readme_example.py"
        script.write_text(example.code, encoding="utf-8")
        command = [str(venv / "bin" / "python"), script.name]
    else:
        command = ["bash", "-o", "pipefail", "-c", example.code]
    result = subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=TIMEOUT, check=False
    )
    if result.returncode != 0:
        return f"exit code {result.returncode}:\n{result.stderr}"
    if not example.expected:
        return None
    return mismatch(example.expected, result.stdout)


def _places(tmp_path: Path) -> dict[str, Path]:
    """Return a copy of the checkout's root and a folder elsewhere with only ``examples/``."""
    root = tmp_path / "checkout"
    ignore = shutil.ignore_patterns(".venv", ".git", "__pycache__", "build", "dist", "*.egg-info")
    shutil.copytree(ROOT, root, ignore=ignore)
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(ROOT / "examples", elsewhere / "examples")
    (elsewhere / "docs").mkdir()
    shared = ROOT.parent / "shared"
    if shared.is_dir():  # the corpora beside the repository, as ../shared
        (tmp_path / "shared").symlink_to(shared)
    return {"checkout": root, "elsewhere": elsewhere}


EXAMPLES = read_examples(README.read_text(encoding="utf-8"))


def test_the_readme_has_python_and_command_examples():
    kinds = [example.kind for example in EXAMPLES]
    assert kinds.count("python") >= 4 and kinds.count("cli") >= 8
    first = next(example for example in EXAMPLES if example.kind == "python")
    assert first.code.startswith("import classifier\n\nscorer = classifier.load()")


@pytest.mark.parametrize("place", ["checkout", "elsewhere"])
def test_readme_examples_run_and_print_what_they_show(place, wheel_env, tmp_path):
    cwd = _places(tmp_path)[place]
    failures = []
    for example in EXAMPLES:
        if "../shared/data" in example.code and not (cwd.parent / "shared").is_dir():
            continue  # the corpora are not beside this checkout
        problem = run(example, wheel_env, cwd)
        if problem:
            failures.append(f"README.md:{example.line} ({example.code.splitlines()[0]}): {problem}")
    assert not failures, "\n\n".join(failures)


# ---------------------------------------------------------------------- the comparison itself
@pytest.mark.parametrize(
    ("shown", "printed", "same"),
    [
        ("0.081 uncertain may|modal", "0.081 uncertain may|modal  ", True),
        ("0.081 uncertain may|modal", "0.0834 uncertain may|modal", False),
        ("0.903", "0.943", False),
        ("accuracy 1.00", "accuracy 0.98", False),
        ('{"label": "certain", "certainty": 0.99}', '{"label": "certain", "certainty": 0.97}', 0),
        ("a  b", "a b", False),
    ],
)
def test_same_line(shown, printed, same):
    assert same_line(shown, printed) is bool(same)


def test_mismatch_with_ellipses():
    assert mismatch(("a 1.00", "...", "z"), "a 1.00\nb\nc\nz\n") is None
    assert mismatch(("a 1.00", "..."), "a 1.00\nb\n") is None
    assert mismatch(("a 1.00", "..."), "a 0.99\nb\n") is not None
    assert mismatch(("a 1.00",), "a 1.00\nb\n") is not None
    assert mismatch(("a", "...", "y"), "a\nb\nz\n") is not None


def test_read_examples():
    text = "\n".join(
        [
            "```python",
            "print(1)",
            "# 1",
            "```",
            "```",
            "$ hedge score x",
            "x[0]  certain",
            "$ hedge eval y",
            "```",
            "```bash",
            "pip install .",
            "```",
        ]
    )
    python, score, evaluation = read_examples(text)
    assert (python.kind, python.code, python.expected) == ("python", "print(1)\n", ("1",))
    assert (score.code, score.expected, score.line) == ("hedge score x", ("x[0]  certain",), 6)
    assert (evaluation.code, evaluation.expected) == ("hedge eval y", ())
