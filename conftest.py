"""Skip the doctests of optional integrations whose extra is not installed."""

import importlib.util

OPTIONAL = {"spacy": "spacy", "pandas": "pandas", "dask": "dask", "plot": "matplotlib"}

collect_ignore = [
    f"classifier/{module}.py"
    for module, needs in OPTIONAL.items()
    if importlib.util.find_spec(needs) is None
]
