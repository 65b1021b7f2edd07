"""The package's modules import one another in one direction: no cycles.

Two checks: a graph of every ``classifier.*`` import written in the package (at the top of
a module or inside a function; imports under ``if TYPE_CHECKING:`` are for type checkers
only and left out) has no cycle, and each module imports alone in a fresh interpreter.
The package's ``__init__`` is left out of the graph: it is the front door, and imports
every public name lazily, on first use.
"""

from __future__ import annotations

import ast
import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "classifier"
#: Every module of the package, dotted below ``classifier`` (``model.scorer``); a
#: subpackage's ``__init__`` counts as the subpackage (``model``).
MODULES = sorted(
    ".".join(path.relative_to(PACKAGE).with_suffix("").parts).removesuffix(".__init__")
    for path in PACKAGE.rglob("*.py")
    if path != PACKAGE / "__init__.py" and path.name != "__main__.py"
)
#: The layers, bottom first: a module imports only from its own layer or below.
LAYERS = (
    ("_version", "_compat", "errors", "bundled", "compiled"),
    ("text",),
    ("cues",),
    ("model",),
    ("io",),
    ("resolve", "evaluate", "report", "plot", "pandas", "dask", "spacy"),
    ("cli",),
)
#: The one import that goes up a layer, deferred to the call: the estimator's documented
#: ``save`` and ``load`` hand the estimator to the model archive.
UPWARD = {("model.estimator", "io.archive")}
#: Modules whose import needs an optional extra.
NEEDS = {"spacy": "spacy", "pandas": "pandas", "dask": "dask", "plot": "matplotlib"}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imported(tree: ast.AST) -> set[str]:
    """Return the ``classifier`` modules a module's code imports, outside TYPE_CHECKING."""
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            parts = node.module.split(".")
            if parts[0] == "classifier" and len(parts) > 1:
                found.add(".".join(parts[1:]))
                found.update(f"{'.'.join(parts[1:])}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "classifier" and len(parts) > 1:
                    found.add(".".join(parts[1:]))
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def import_graph() -> dict[str, set[str]]:
    graph = {}
    for name in MODULES:
        path = PACKAGE.joinpath(*name.split("."))
        path = path / "__init__.py" if path.is_dir() else path.with_suffix(".py")
        tree = ast.parse(path.read_text(encoding="utf-8"))
        graph[name] = {m for m in _imported(tree) if m in MODULES and m != name}
    return graph


def layer_of(name: str) -> int:
    (layer,) = [n for n, names in enumerate(LAYERS) if name.split(".")[0] in names]
    return layer


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """Return one cycle of ``graph`` as a path that ends where it starts, or None."""
    state: dict[str, str] = {}
    path: list[str] = []

    def walk(node: str) -> list[str] | None:
        state[node] = "open"
        path.append(node)
        for after in sorted(graph[node]):
            if state.get(after) == "open":
                return path[path.index(after) :] + [after]
            if after not in state and (cycle := walk(after)):
                return cycle
        state[node] = "done"
        path.pop()
        return None

    for node in sorted(graph):
        if node not in state and (cycle := walk(node)):
            return cycle
    return None


def test_find_cycle_finds_one():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_the_package_imports_have_no_cycle():
    graph = import_graph()
    assert graph["model.estimator"] >= {"io.archive", "model.scorer", "model.labels"}
    cycle = find_cycle(graph)
    assert cycle is None, " -> ".join(cycle or [])


def test_every_module_has_a_layer():
    assert {name: layer_of(name) for name in MODULES}


def test_no_module_imports_from_a_layer_above_its_own():
    graph = import_graph()
    upward = {
        (name, after)
        for name, imported in graph.items()
        for after in imported
        if layer_of(after) > layer_of(name)
    }
    assert upward == UPWARD


def test_the_upward_import_is_deferred_to_the_call():
    source = (PACKAGE / "model" / "estimator.py").read_text(encoding="utf-8")
    top = [node for node in ast.parse(source).body if isinstance(node, ast.ImportFrom)]
    assert all(node.module != "classifier.io.archive" for node in top)


def test_the_bottom_modules_import_nothing_above_them():
    graph = import_graph()
    assert graph["errors"] == set()
    assert graph["model.labels"] == set()
    assert "model.estimator" not in graph["model.scorer"] | graph["io.archive"]
    assert graph["io.files"] == set()  # the CLI's --help imports it
    assert "model.scorer" not in graph["model.results"] | graph["model.linear"]


@pytest.mark.parametrize("name", MODULES)
def test_each_module_imports_alone(name):
    needs = NEEDS.get(name.split(".")[0])
    if needs and importlib.util.find_spec(needs) is None:
        pytest.skip(f"needs {needs}")
    result = subprocess.run(
        [sys.executable, "-c", f"import classifier.{name}"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


FRONT_DOOR = """
import sys
import classifier
scorer = classifier.load()
(score,) = scorer.score("It may rain.")
print(type(scorer).__name__, score.label, [cue.text for cue in score.cues])
heavy = {"numpy", "scipy", "sklearn", "joblib", "pickle", "nltk"}
print(sorted({m.split(".")[0] for m in sys.modules} & heavy))
"""


def test_the_front_door_scores_without_numpy_scikit_learn_or_a_pickle():
    result = subprocess.run(
        [sys.executable, "-c", FRONT_DOOR], capture_output=True, text=True, check=True
    )
    assert result.stdout.splitlines() == ["Scorer uncertain ['may']", "[]"]


def test_the_front_door_type_checking_imports_are_its_public_names_and_homes():
    import classifier

    tree = ast.parse((PACKAGE / "__init__.py").read_text(encoding="utf-8"))
    (block,) = [node for node in tree.body if isinstance(node, ast.If) and _is_type_checking(node)]
    imported = {
        alias.name: node.module.removeprefix("classifier.")
        for node in block.body
        if isinstance(node, ast.ImportFrom) and node.module
        for alias in node.names
    }
    assert imported == classifier._HOMES
    assert set(classifier.__all__) == {*classifier._HOMES, "__version__", "load"}
    for name in classifier.__all__:
        assert getattr(classifier, name) is not None
