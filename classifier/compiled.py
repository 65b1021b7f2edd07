"""Which build runs: the modules that ``setup.py`` compiles with mypyc, and whether they are.

A wheel built where a C compiler works carries these modules as C extensions beside their
``.py`` sources (Python imports the extension); built without a compiler, with
``HEDGE_CLASSIFIER_PURE=1`` or as an editable install, it carries only the sources. Both
builds compute the same results.
"""

from __future__ import annotations

from importlib.machinery import EXTENSION_SUFFIXES
from importlib.util import find_spec

__all__ = ["COMPILED", "MODULES", "build_name", "compiled_modules"]

#: The hot modules compiled to C extensions, in the order ``setup.py`` gives them to mypyc.
#: The one list of them: add a module here to compile it.
MODULES = (
    "classifier.text.tokens",
    "classifier.cues.matcher",
    "classifier.cues.rules",
    "classifier.cues.fast",
    "classifier.text.punkt",
)


def compiled_modules() -> list[str]:
    """Return the modules of :data:`MODULES` that Python imports as compiled extensions."""
    compiled = []
    for name in MODULES:
        spec = find_spec(name)
        origin = spec.origin if spec is not None else None
        if origin is not None and origin.endswith(tuple(EXTENSION_SUFFIXES)):
            compiled.append(name)
    return compiled


#: True when every module of :data:`MODULES` runs compiled, False in the pure-Python build.
COMPILED = compiled_modules() == list(MODULES)


def build_name() -> str:
    """Return ``"compiled"`` or ``"pure Python"``, as ``hedge --version`` says.

    Examples
    --------
    >>> build_name() in ("compiled", "pure Python")
    True
    """
    return "compiled" if COMPILED else "pure Python"
