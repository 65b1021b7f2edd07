"""Argument groups that several ``hedge`` commands share: inputs, output, model, data.

Registered by :mod:`classifier.cli.main`; help texts in :mod:`classifier.cli.helptext`, argument
types in :mod:`classifier.cli.console`.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from classifier.cli import console
from classifier.cli import helptext as clihelp

if TYPE_CHECKING:
    from classifier.io.labeled import LabeledData
    from classifier.model.scorer import Scorer

__all__ = [
    "add_adapt_arguments",
    "add_data_arguments",
    "add_encoding_arguments",
    "add_input_arguments",
    "add_model_arguments",
    "add_output_argument",
    "add_threshold_argument",
    "add_outputs_argument",
    "read_data",
    "with_outputs",
]


def add_input_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the options of tables and folders (``hedge score``)."""
    parser.add_argument(
        "--per",
        choices=("sentence", "document"),
        default="sentence",
        help=clihelp.HELP_PER,
    )
    parser.add_argument(
        "--text-col",
        metavar="NAME",
        help=clihelp.HELP_TEXT_COL,
    )
    parser.add_argument("--id-col", metavar="NAME", help="a table column repeated in records")
    parser.add_argument(
        "--keep-col",
        action="append",
        default=[],
        metavar="NAME",
        help=clihelp.HELP_KEEP_COL,
    )
    parser.add_argument(
        "--input-format",
        metavar="FORMAT",
        help=clihelp.HELP_INPUT_FORMAT,
    )
    parser.add_argument(
        "--delimiter", type=console.delimiter, metavar="C", help="field delimiter of CSV/TSV tables"
    )
    parser.add_argument(
        "--glob",
        metavar="PATTERN",
        help=clihelp.HELP_GLOB,
    )
    parser.add_argument(
        "--lexicon",
        type=console.path,
        metavar="DIR",
        help=clihelp.HELP_LEXICON,
    )


def add_encoding_arguments(parser: argparse._ActionsContainer) -> None:
    """Add ``--encoding`` and ``--errors``: how every input (file, folder, table) is decoded."""
    parser.add_argument(
        "--encoding",
        type=console.encoding,
        default="utf-8",
        help="encoding of every input: files, folders, tables, standard input "
        "(default: %(default)s)",
    )
    parser.add_argument(
        "--errors",
        choices=("strict", "replace"),
        default="strict",
        help=clihelp.HELP_ERRORS,
    )


def add_output_argument(parser: argparse.ArgumentParser) -> None:
    """Add ``-o``/``--output``."""
    parser.add_argument(
        "-o",
        "--output",
        type=console.output,
        metavar="PATH",
        help=clihelp.HELP_OUTPUT,
    )


def _outputs(text: str) -> frozenset[str]:
    """Parse ``--with``: a comma-separated subset of ``types`` and ``aspects``."""
    names = frozenset(name.strip() for name in text.split(",") if name.strip())
    if not names or names - {"types", "aspects"}:
        raise argparse.ArgumentTypeError(f"expected types, aspects or types,aspects; got {text!r}")
    return names


def add_outputs_argument(parser: argparse.ArgumentParser) -> None:
    """Add ``--with types,aspects``."""
    parser.add_argument(
        "--with",
        dest="outputs",
        type=_outputs,
        default=frozenset(),
        metavar="types,aspects",
        help="also give each cue its type (epistemic, doxastic, ...) and each sentence its "
        "types, and/or each sentence's certainty about six aspects (number, extent, ...) "
        "after Pei & Jurgens: certain (the sentence has the aspect and states it firmly), "
        "uncertain (hedges it) or absent; the sentence's own label follows our guideline",
    )


def with_outputs(scorer: Scorer, args: argparse.Namespace) -> Scorer:
    """Return ``scorer`` giving what ``--with`` asks for; one-line error if it cannot."""
    outputs: frozenset[str] = getattr(args, "outputs", frozenset())
    if not outputs:
        return scorer
    try:
        return scorer.with_outputs(types="types" in outputs, aspects="aspects" in outputs)
    except ValueError as err:
        raise console.CommandError(f"--with: {err}") from None


def add_model_arguments(parser: argparse.ArgumentParser) -> None:
    """Add ``--model`` and ``--convention``."""
    parser.add_argument(
        "--model", type=console.path, metavar="PATH", help="model file (default: the bundled model)"
    )
    parser.add_argument(
        "--convention",
        metavar="NAME",
        help="score with one labelling convention the model was trained with: for the bundled "
        "model bio, wiki, news, reviews, science, guideline or shared (default: the model's "
        "own, the guideline's)",
    )


def add_threshold_argument(
    parser: argparse.ArgumentParser, help: str, ratings: bool = False
) -> None:
    """Add ``--threshold T``: the decision threshold on certainty, in every command.

    With ``ratings`` (commands that read labeled data) a number outside [0, 1] is
    refused with a pointer to ``--rating-cutoff``.
    """

    def threshold(text: str) -> float:
        try:
            return console.probability(text)
        except argparse.ArgumentTypeError as err:
            if not ratings:
                raise
            raise argparse.ArgumentTypeError(
                f"{err}; a cut-off of graded ratings is --rating-cutoff {text}"
            ) from None

    parser.add_argument("--threshold", type=threshold, metavar="T", help=help)


def add_adapt_arguments(parser: argparse.ArgumentParser) -> None:
    """Add ``--from`` and ``--convention`` (``hedge train``)."""
    parser.add_argument(
        "--from",
        dest="base_model",
        nargs="?",
        const="",
        metavar="MODEL",
        help="adapt MODEL (the bundled model when no path is given): learn the data as a new "
        "convention on top of what it knows, the trust in it chosen by cross-validation; "
        "the model keeps its conventions, and --lexicon adds to its lexicon",
    )
    parser.add_argument(
        "--convention",
        metavar="NAME",
        help="with --from: the name of the new convention (default: data)",
    )


def add_data_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the options of labeled data (``hedge train``, ``hedge eval``)."""
    from_data = parser.add_argument_group("labeled data")
    from_data.add_argument(
        "--data-format",
        choices=("jsonl", "json", "csv", "tsv", "parquet"),
        help=clihelp.HELP_DATA_FORMAT,
    )
    from_data.add_argument(
        "--text-col", default="text", metavar="NAME", help="text column (default: %(default)s)"
    )
    from_data.add_argument(
        "--label-col", default="label", metavar="NAME", help="label column (default: %(default)s)"
    )
    labels = from_data.add_mutually_exclusive_group()
    labels.add_argument(
        "--rating-cutoff",
        type=console.finite_float,
        metavar="R",
        help=clihelp.HELP_RATING_CUTOFF,
    )
    labels.add_argument(
        "--uncertain-value",
        metavar="VALUE",
        help=clihelp.HELP_UNCERTAIN_VALUE,
    )
    from_data.add_argument(
        "--duplicates",
        choices=("stop", "drop", "first"),
        default="stop",
        help=clihelp.HELP_DUPLICATES,
    )
    add_encoding_arguments(from_data)


def read_data(args: argparse.Namespace, min_per_class: int) -> LabeledData:
    """Read the labeled data the options of :func:`add_data_arguments` describe.

    Sentences left out by ``--duplicates`` are counted on standard error.
    """
    from classifier.io.labeled import read_labeled

    data = read_labeled(
        args.data,
        text_col=args.text_col,
        label_col=args.label_col,
        fmt=args.data_format,
        threshold=args.rating_cutoff,
        uncertain_value=args.uncertain_value,
        min_per_class=min_per_class,
        encoding=args.encoding,
        errors=args.errors,
        duplicates=args.duplicates,
    )
    if data.dropped:
        n = data.dropped
        console.error(
            f"--duplicates {args.duplicates}: left out {n} sentence{'s' * (n != 1)} "
            "labeled both ways",
            kind="note",
        )
    return data
