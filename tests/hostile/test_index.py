"""The suite's README names tests that exist, and every test of the suite is in it."""

from __future__ import annotations

import ast
import re
from pathlib import Path

HERE = Path(__file__).parent


def defined() -> dict[str, set[str]]:
    """Return the test functions of each test file of the suite."""
    return {
        path.name: {
            node.name
            for node in ast.parse(path.read_text(encoding="utf-8")).body
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")
        }
        for path in HERE.glob("test_*.py")
        if path.name != Path(__file__).name
    }


def test_the_index_names_every_test_and_only_tests_that_exist():
    tests = defined()
    named: set[tuple[str, str]] = set()
    for row in (HERE / "README.md").read_text(encoding="utf-8").splitlines():
        cells = row.split(" | ")
        if len(cells) < 2:
            continue
        for part in cells[-1].split(";"):  # the last column names the tests
            files = re.findall(r"`(test_\w+\.py)`", part)
            names = re.findall(r"`(test_\w+)`", part)
            for file in files:
                named |= {(file, name) for name in names} or {(file, name) for name in tests[file]}
    unknown = {(f, n) for f, n in named if n not in tests.get(f, set())}
    assert not unknown, unknown
    missing = {(f, n) for f, names in tests.items() for n in names} - named
    assert not missing, missing
