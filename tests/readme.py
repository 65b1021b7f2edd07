"""Run the Python examples of README.md: each prints what its trailing comments say."""

from __future__ import annotations

import contextlib
import io
import os
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def python_blocks(section: str) -> list[str]:
    """Return the ```python blocks of the README section whose heading is ``section``."""
    blocks: list[str] = []
    inside, fence, code = False, None, []
    for line in README.read_text(encoding="utf-8").splitlines():
        if fence is not None:
            if line.startswith("```"):
                if inside and fence == "python":
                    blocks.append("\n".join(code) + "\n")
                fence, code = None, []
            else:
                code.append(line)
        elif line.startswith("```"):
            fence = line[3:].strip()
        elif line.startswith("#"):
            inside = line.lstrip("#").strip() == section
    assert blocks, f"README.md has no python example in a section {section!r}"
    return blocks


def check_block(code: str, cwd: Path | None = None) -> None:
    """Run ``code`` (in ``cwd``) and compare what it prints with its trailing comments."""
    lines = code.rstrip("\n").split("\n")
    expected: list[str] = []
    while lines and (lines[-1].startswith("# ") or lines[-1] == "#"):
        expected.insert(0, lines.pop()[2:].rstrip())
    assert expected, "a README example must show its output in trailing comments"
    out = io.StringIO()
    before = Path.cwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        with contextlib.redirect_stdout(out):
            exec(compile("\n".join(lines), str(README), "exec"), {"__name__": "__main__"})
    finally:
        os.chdir(before)
    assert [line.rstrip() for line in out.getvalue().splitlines()] == expected


def console_blocks(section: str) -> list[tuple[list[str], list[str]]]:
    """Return ``(argv, output lines)`` of each ``$ hedge ...`` command of a README section."""
    import shlex

    commands: list[tuple[list[str], list[str]]] = []
    inside = fenced = False
    for line in README.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and line.startswith("#"):
            inside = line.lstrip("#").strip() == section
        elif inside and fenced and line.startswith("$ hedge "):
            commands.append((shlex.split(line[len("$ hedge ") :]), []))
        elif inside and fenced and commands:
            commands[-1][1].append(line)
    assert commands, f"README.md has no hedge command in a section {section!r}"
    return commands
