"""Build the wheel: the hot modules compiled with mypyc where a C compiler works.

The modules are those of ``classifier/compiled.py`` (``MODULES``). The wheel carries them
as C extensions beside their ``.py`` sources, or, when they cannot be compiled, only the
sources: the same Python, run by the interpreter. Everything else is in ``pyproject.toml``.

The build is pure Python, with one line on stderr saying why, when
``HEDGE_CLASSIFIER_PURE=1`` is set, for an editable install (``pip install -e .``: an
edited source takes effect, never shadowed by a compiled module), or when no C compiler
can build an extension against this Python's headers.
"""

from __future__ import annotations

import ast
import os
import sys
import sysconfig
import tempfile
from pathlib import Path

from setuptools import setup

#: Set to 1 to build pure Python on a machine that could compile.
PURE_SWITCH = "HEDGE_CLASSIFIER_PURE"
#: The commands that build code; metadata and the sdist need no compiler.
BUILDS = {"bdist_wheel", "build", "build_ext", "install"}


def compiler_error() -> str | None:
    """Return why no extension can be compiled here, or None when one can."""
    from distutils.ccompiler import new_compiler  # setuptools' distutils, imported with it
    from distutils.sysconfig import customize_compiler

    compiler = new_compiler()
    customize_compiler(compiler)  # CC, CFLAGS, ... from the environment, as build_ext does
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp, "probe.c")
        source.write_text("#include <Python.h>\nint probe(void) { return 0; }\n")
        try:
            compiler.compile(
                [str(source)], output_dir=tmp, include_dirs=[sysconfig.get_paths()["include"]]
            )
        except Exception as err:  # CompileError, a missing program: the build cannot compile
            return f"{type(err).__name__}: {str(err).strip() or 'failed'}"
    return None


def why_pure() -> str | None:
    """Return why this build is pure Python, or None to compile."""
    if os.environ.get(PURE_SWITCH, "") not in ("", "0"):
        return f"{PURE_SWITCH}={os.environ[PURE_SWITCH]}"
    if "editable_wheel" in sys.argv:
        return "an editable install runs its .py sources"
    try:
        import mypyc.build  # noqa: F401
    except ImportError:
        return "mypyc (from mypy) is not installed"
    error = compiler_error()
    return None if error is None else f"no working C compiler ({error})"


def compiled_modules() -> list[str]:
    """Return ``MODULES`` of ``classifier/compiled.py``, read without importing the package."""
    tree = ast.parse(Path(__file__).with_name("classifier").joinpath("compiled.py").read_text())
    (value,) = [
        node.value
        for node in tree.body
        if isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == "MODULES"
    ]
    return list(ast.literal_eval(value))


def extensions() -> list:
    """Return the mypyc extensions of this build: none for metadata, an sdist or pure."""
    if BUILDS.isdisjoint(sys.argv) and "editable_wheel" not in sys.argv:
        return []
    reason = why_pure()
    if reason is not None:
        print(f"hedge-classifier: building pure Python: {reason}", file=sys.stderr)
        return []
    from mypyc.build import mypycify

    modules = compiled_modules()
    paths = [name.replace(".", "/") + ".py" for name in modules]
    print(f"hedge-classifier: compiling {', '.join(modules)} with mypyc", file=sys.stderr)
    return mypycify(paths, opt_level="3", debug_level="0", group_name="classifier")


setup(ext_modules=extensions())
