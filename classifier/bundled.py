"""Where the bundled lexicons and models are, in every kind of install.

The top-level ``lexicons/`` and ``models/`` of the repository are installed as the package
data ``classifier.lexicons`` and ``classifier.models`` (``package-dir`` in
``pyproject.toml``), and read with :mod:`importlib.resources`: from a wheel, an editable
install, or a zip. One case has no such package: Python run from the root of a checkout
imports the checkout's ``classifier/`` (the current folder comes first on ``sys.path``),
even when hedge-classifier is installed, and ``classifier/`` there has no ``models``
inside it. The folders then stand beside the package, as the repository lays them out.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

__all__ = ["FOLDERS", "bundled"]

#: The folders of bundled data.
FOLDERS = ("lexicons", "models")


def bundled(folder: str) -> Traversable:
    """Return the bundled data folder ``"lexicons"`` or ``"models"``.

    Raises
    ------
    ValueError
        For another folder name.
    FileNotFoundError
        If neither the installed package data nor a checkout's folder exists.

    Examples
    --------
    >>> (bundled("models") / "default.hedge").is_file()
    True
    """
    if folder not in FOLDERS:
        raise ValueError(f"folder must be one of {', '.join(FOLDERS)}, got {folder!r}")
    try:
        return resources.files(f"classifier.{folder}")
    except ModuleNotFoundError:
        package = resources.files("classifier")
        checkout = Path(str(package)).parent / folder
        if not checkout.is_dir():
            raise FileNotFoundError(
                f"no bundled {folder}: classifier.{folder} is not installed and {checkout} "
                "does not exist; reinstall hedge-classifier"
            ) from None
        return checkout
