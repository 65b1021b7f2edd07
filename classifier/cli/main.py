"""The ``hedge`` command line.

Each subcommand has an ``_add_<name>_parser`` function that registers its parser
and a ``_run_<name>`` handler that takes the parsed arguments and returns an exit
status; :data:`_COMMANDS` lists the registration functions. Heavy modules
(scikit-learn, the model) are imported inside the handlers, never at module level.

Help texts are in :mod:`classifier.cli.helptext`; argument types, path checks, messages and
signals in :mod:`classifier.cli.console`; reading in :mod:`classifier.io.reader`; writing in
:mod:`classifier.io.formats`.

Exit status: 0 on success, 1 for an error reported as ``hedge: error: ...``, 2 for
a usage error, 130 when interrupted (129 on SIGHUP, 143 on SIGTERM, which clean up as
Ctrl-C does), 141 when the reader of standard output went away
(``hedge score big.txt | head``).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import warnings
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from classifier._version import __version__
from classifier.cli import console, sources
from classifier.cli import helptext as clihelp
from classifier.cli import options as cliargs
from classifier.cli.console import PROG, STDIN, CommandError
from classifier.compiled import build_name
from classifier.errors import HedgeError

if TYPE_CHECKING:
    from classifier.io.formats import Record
    from classifier.model.results import SentenceScore
    from classifier.model.scorer import Scorer

__all__ = ["build_parser", "main"]

#: Exit statuses besides 0 (success) and 2 (usage error, argparse's own).
EXIT_ERROR = 1
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports Ctrl-C
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, as a shell reports a closed pipe
#: Output formats of ``hedge score``.
FORMATS = ("text", "jsonl", "csv", "tsv", "html")
#: Output formats of ``hedge eval``.
EVAL_FORMATS = ("text", "json")


# ---------------------------------------------------------------------- score
def _add_score_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "score",
        help="score the sentences of text files for certainty",
        description=clihelp.SCORE_DESCRIPTION,
        epilog=clihelp.SCORE_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "files",
        nargs="*",
        type=console.path,
        metavar="FILE",
        help="text file (UTF-8 unless --encoding), table or folder; '-' for standard input",
    )
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="output format (default: %(default)s)",
    )
    parser.add_argument(
        "--lines",
        action="store_true",
        help=clihelp.HELP_LINES,
    )
    parser.add_argument(
        "--explain",
        action="store_true",
        help=clihelp.HELP_EXPLAIN,
    )
    cliargs.add_threshold_argument(parser, clihelp.HELP_THRESHOLD)
    parser.add_argument(
        "--max-sentences",
        type=console.positive_int,
        metavar="N",
        help="--format html: show at most N sentences in full, summarize the rest (default: 2000)",
    )
    cliargs.add_encoding_arguments(parser)
    parser.add_argument(
        "--jobs",
        type=console.jobs,
        default=1,
        metavar="N",
        help=clihelp.HELP_JOBS,
    )
    cliargs.add_input_arguments(parser)
    cliargs.add_outputs_argument(parser)
    cliargs.add_model_arguments(parser)
    cliargs.add_output_argument(parser)
    parser.set_defaults(handler=_run_score)


def _load_scorer(args: argparse.Namespace) -> Scorer:
    """Load the model's weights only: scoring needs no scikit-learn, and starts fast."""
    from classifier.io.archive import load_scorer

    lexicon = getattr(args, "lexicon", None)
    scorer = cliargs.with_outputs(
        load_scorer(args.model, extra_lexicon=lexicon, convention=args.convention), args
    )
    threshold = getattr(args, "threshold", None)  # score and eval: --threshold
    return scorer if threshold is None else scorer.with_threshold(threshold)


def _run_score(args: argparse.Namespace) -> int:
    names: list[str] = args.files or [STDIN]
    if args.explain and args.format not in ("text", "jsonl"):
        raise CommandError(f"--explain works with --format text or jsonl, not {args.format}")
    documents = sources.input_documents(names, args)  # None: plain text files only
    if documents is None:
        console.check_inputs(names)
    if args.max_sentences is not None and args.format != "html":
        raise CommandError("--max-sentences sets the HTML report's cap: use it with --format html")
    if args.per == "document" and args.format == "html":
        raise CommandError("--per document: the HTML report shows each document already")
    if args.per == "document" and args.explain:
        raise CommandError("--explain explains sentences: use it without --per document")
    inputs = console.inputs_of(args)
    output = None if args.output is None else console.check_output(args.output, inputs)
    clf = _load_scorer(args)
    from classifier.io.formats import WRITERS, write_documents, write_output

    if args.format == "html":
        texts = sources.report_inputs(names, documents, args)
        page = sources.html_page(clf, texts, args.lines, args.max_sentences)
        write_output(output, lambda out: out.write(page))
        return 0
    if args.per == "document":
        rows = sources.document_rows(clf, documents, names, args)
        write_output(output, lambda out: write_documents(out, rows, args.format))
        return 0
    if args.jobs != 1:
        write_output(output, lambda out: sources.write_scored(out, clf, names, documents, args))
        return 0
    if documents is not None:
        scored = sources.table_records(clf, documents, args)
        write = partial(WRITERS[args.format], outputs=args.outputs)
        write_output(output, lambda out: write(out, console.progress(scored), args.lines))
        return 0
    write_records = partial(WRITERS[args.format], outputs=args.outputs)
    bar = console.byte_progress(names)  # total and time left; None off a terminal

    def records() -> Iterator[Record]:
        update = None if bar is None else bar.update
        for name in names:
            yield from sources.score_text_file(clf, name, args, on_bytes=update)

    shown = records() if bar is not None else console.progress(records())
    try:
        write_output(output, lambda out: write_records(out, shown, args.lines))
    finally:
        if bar is not None:
            bar.close()
    return 0


# ---------------------------------------------------------------------- train


def _add_train_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "train",
        help="train a model on labeled sentences",
        description=clihelp.TRAIN_DESCRIPTION,
        epilog=clihelp.TRAIN_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "data", nargs="+", type=console.path, metavar="DATA", help="labeled data file"
    )
    parser.add_argument(
        "--out",
        required=True,
        type=console.file_name,
        metavar="MODEL",
        help="model file to write, e.g. my.hedge",
    )
    cliargs.add_data_arguments(parser)
    cliargs.add_threshold_argument(parser, clihelp.HELP_THRESHOLD_TRAIN, ratings=True)
    parser.add_argument(
        "--lexicon",
        type=console.path,
        metavar="DIR",
        help=clihelp.HELP_LEXICON_2,
    )
    parser.add_argument(
        "--base",
        action="store_true",
        help=clihelp.HELP_BASE,
    )
    parser.add_argument(
        "--seed",
        type=console.seed,
        default=0,
        help="seed of the cross-validation folds (default: 0)",
    )
    cliargs.add_adapt_arguments(parser)
    parser.set_defaults(handler=_run_train)


def _run_train(args: argparse.Namespace) -> int:
    if args.base and args.lexicon is None:
        raise CommandError("--base needs --lexicon DIR")
    if args.convention is not None and args.base_model is None:
        raise CommandError("--convention names the new convention of --from: give --from")
    if args.convention is not None:
        from classifier.model.estimator import check_convention_name

        try:
            check_convention_name(args.convention)
        except ValueError as err:
            raise CommandError(f"--convention: {err}") from None
    out = console.check_output(args.out, console.inputs_of(args))
    from classifier.cues.lexicon import Lexicon, load_lexicon
    from classifier.io.archive import default_model_path
    from classifier.io.files import sha256_file
    from classifier.io.labeled import MIN_PER_CLASS, train
    from classifier.io.reader import recording_digests

    base_model = None
    if args.base_model is not None:  # "" for --from without a path: the bundled model
        base_model = args.base_model or str(default_model_path())
    with recording_digests() as digests:  # the data is read once: pipes and stdin work
        data = cliargs.read_data(args, min_per_class=MIN_PER_CLASS)
    lexicon: Lexicon | None = None
    if args.lexicon is not None:
        lexicon = load_lexicon(args.lexicon)
        if args.base:
            lexicon = load_lexicon().merged(lexicon)
    counts = data.counts()
    files = len(data.files)
    print(
        f"read {len(data.examples)} sentences from {files} file{'s' * (files != 1)}: "
        f"{counts['uncertain']} uncertain, {counts['certain']} certain"
    )
    try:
        clf = train(
            data,
            seed=args.seed,
            lexicon=lexicon,
            decision_threshold=args.threshold,
            base=base_model,
            convention=args.convention,
        )
    except ValueError as err:
        if base_model is None:
            raise
        raise CommandError(f"--from {base_model}: {err}") from None
    m = clf.cv_metrics_
    if base_model is not None:
        b = m["base"]
        print(
            f"the base model alone on them: precision {b['precision']:.3f}  "
            f"recall {b['recall']:.3f}  F1 {b['f1']:.3f}  accuracy {b['accuracy']:.3f}"
        )
    print(
        f"cross-validated ({m['folds']} folds, C={m['C']}, threshold {clf.threshold_:.2f}): "
        f"precision {m['precision']:.3f}  recall {m['recall']:.3f}  F1 {m['f1']:.3f}  "
        f"accuracy {m['accuracy']:.3f}"
    )
    summary = data.summary()
    summary.update(
        sha256={name: digests[name] for name in data.files},
        seed=args.seed,
        options={
            "text_col": args.text_col,
            "label_col": args.label_col,
            "data_format": args.data_format,
            "rating_cutoff": args.rating_cutoff,
            "threshold": args.threshold,
            "uncertain_value": args.uncertain_value,
            "lexicon": args.lexicon,
            "base": args.base,
        },
    )
    if base_model is not None:
        summary["from"] = {"model": base_model, "sha256": sha256_file(Path(base_model))}
    try:
        clf.save(out, summary)
    except OSError as err:
        raise CommandError(f"cannot write {out}: {err.strerror or err}") from None
    print(f"wrote {out} (the whole model: load it with --model {out})")
    if base_model is not None:
        from classifier.model.estimator import SINGLE_DOMAIN

        new = args.convention or SINGLE_DOMAIN
        others = ", ".join(name for name in sorted(clf.conventions_) if name != new)
        print(f"it scores with the new convention {new}; the base model's: --convention {others}")
    return 0


# ---------------------------------------------------------------------- eval


def _add_eval_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "eval",
        help="evaluate a model on labeled sentences",
        description=clihelp.EVAL_DESCRIPTION,
        epilog=clihelp.EVAL_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "data", nargs="+", type=console.path, metavar="DATA", help="labeled data file"
    )
    parser.add_argument(
        "--format", choices=EVAL_FORMATS, default="text", help="output format (default: text)"
    )
    cliargs.add_data_arguments(parser)
    cliargs.add_threshold_argument(parser, clihelp.HELP_THRESHOLD_EVAL, ratings=True)
    cliargs.add_model_arguments(parser)
    cliargs.add_output_argument(parser)
    parser.add_argument(
        "--plot",
        type=console.file_name,
        metavar="PNG",
        help=clihelp.HELP_PLOT,
    )
    parser.set_defaults(handler=_run_eval)


def _run_eval(args: argparse.Namespace) -> int:
    inputs = console.inputs_of(args)
    output = None if args.output is None else console.check_output(args.output, inputs)
    plot = None if args.plot is None else console.check_output(args.plot, inputs)
    if plot is not None:
        from classifier.plot import require_matplotlib

        require_matplotlib()
    data = cliargs.read_data(args, min_per_class=0)
    clf = _load_scorer(args)
    from classifier.evaluate import evaluate

    report = evaluate(clf, data.sentences, data.labels, data.ratings)
    if plot is not None:
        from classifier.plot import plot_evaluation

        try:
            plot_evaluation(report, clf.certainty(data.sentences), data.labels, plot)
        except OSError as err:
            raise CommandError(f"cannot write {plot}: {err.strerror or err}") from None
    if args.format == "json":
        text = json.dumps(report.to_dict(), indent=2) + "\n"
    else:
        text = report.format_text()

    from classifier.io.formats import write_output

    write_output(output, lambda out: out.write(text))
    return 0


# ---------------------------------------------------------------------- explain


def _add_explain_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "explain",
        help="show why sentences got their certainty",
        description=clihelp.DESCRIPTION_COMMAND_EXPLAIN,
        epilog=clihelp.EXPLAIN_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("sentences", nargs="*", metavar="SENTENCE", help="a sentence")
    parser.add_argument(
        "-f",
        "--file",
        action="append",
        default=[],
        type=console.path,
        metavar="PATH",
        help=clihelp.HELP_FILE,
    )
    parser.add_argument(
        "--format",
        choices=EVAL_FORMATS,
        default="text",
        help=clihelp.HELP_FORMAT,
    )
    parser.add_argument(
        "--lexicon",
        type=console.path,
        metavar="DIR",
        help="add the cues of lexicon DIR without retraining",
    )
    cliargs.add_encoding_arguments(parser)
    cliargs.add_outputs_argument(parser)
    cliargs.add_model_arguments(parser)
    parser.set_defaults(handler=_run_explain)


def _run_explain(args: argparse.Namespace) -> int:
    for sentence in args.sentences:
        if not sentence.strip():
            raise CommandError("empty sentence")
    files: list[str] = args.file or ([] if args.sentences else [STDIN])
    console.check_inputs(files)
    clf = _load_scorer(args)
    from classifier.io.files import display_name
    from classifier.io.formats import explain, explanation_lines, explanation_record, kind_lines
    from classifier.io.reader import score_file

    def explained() -> Iterator[tuple[str, int, SentenceScore]]:
        """Yield the sentences to explain; files are read block by block (bounded memory)."""
        for index, sentence in enumerate(args.sentences):
            yield "argument", index, clf.score_sentences([sentence])[0]
        for name in files:
            shown = display_name(name)
            for record in score_file(clf, name, encoding=args.encoding, errors=args.errors):
                yield shown, record.sentence, record.score

    if args.format == "json":  # the text of json.dumps(records, indent=1), one at a time
        sys.stdout.write("[")
        count = 0
        for count, item in enumerate(explained(), start=1):
            record = explanation_record(clf, *item, outputs=args.outputs)
            shown = json.dumps(record, ensure_ascii=False, indent=1).replace("\n", "\n ")
            sys.stdout.write(("," if count > 1 else "") + "\n " + shown)
        sys.stdout.write("\n]\n" if count else "]\n")
        return 0
    for index, (_, _, score) in enumerate(explained()):
        if index:
            sys.stdout.write("\n")
        sys.stdout.write(
            f"{score.text}\n  {score.label}  certainty {score.certainty:.2f} "
            f"(uncertain below {clf.threshold:.2f})\n"
        )
        lines = explanation_lines(explain(clf, score)) + kind_lines(score, args.outputs)
        sys.stdout.writelines(f"  {line}\n" for line in lines)
    return 0


# ---------------------------------------------------------------------- lexicon


def _add_lexicon_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "lexicon",
        help="work with lexicon directories",
        description=clihelp.DESCRIPTION_COMMAND_LEXICON,
        epilog=clihelp.LEXICON_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    actions = parser.add_subparsers(
        title="commands", dest="lexicon_command", metavar="COMMAND", required=True
    )
    check = actions.add_parser(
        "check",
        help="validate a lexicon directory",
        description=clihelp.DESCRIPTION_COMMAND_CHECK,
        epilog=clihelp.LEXICON_CHECK_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    check.add_argument("directory", type=console.path, metavar="DIR", help="lexicon directory")
    check.set_defaults(handler=_run_lexicon_check)


def _run_lexicon_check(args: argparse.Namespace) -> int:
    from collections import Counter

    from classifier.cues.lexicon import load_lexicon

    lexicon = load_lexicon(args.directory)
    files = len({entry.where.rsplit(":", 1)[0] for entry in lexicon.entries})
    categories = Counter(entry.category for entry in lexicon.entries)
    shown = ", ".join(f"{name} {count}" for name, count in categories.most_common())
    n = len(lexicon.entries)
    print(
        f"OK: {args.directory}: {n} entr{'ies' if n != 1 else 'y'} in {files} "
        f"file{'s' * (files != 1)}" + (f" ({shown})" if shown else "")
    )
    return 0


# ---------------------------------------------------------------------- main
#: Functions registering each subcommand's parser, in the order ``--help`` lists them.
_COMMANDS: tuple[Callable[[argparse._SubParsersAction], None], ...] = (
    _add_score_parser,
    _add_explain_parser,
    _add_train_parser,
    _add_eval_parser,
    _add_lexicon_parser,
)


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of ``hedge`` with every subcommand.

    Returns
    -------
    argparse.ArgumentParser
        Parsed arguments carry ``handler``, the subcommand's function.
    """
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Sentence-level hedge (certainty) detection for English text.",
        epilog=clihelp.MAIN_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    version = f"%(prog)s {__version__} ({build_name()})"  # "compiled" or "pure Python"
    parser.add_argument("--version", action="version", version=version)
    commands = parser.add_subparsers(
        title="commands", dest="command", metavar="COMMAND", required=True
    )
    for add_parser in _COMMANDS:
        add_parser(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the ``hedge`` command.

    Parameters
    ----------
    argv : list of str, optional
        The arguments after the program name; None for ``sys.argv[1:]``.

    Returns
    -------
    int
        The exit status (see the module docstring).
    """
    # Arrow's own allocator keeps what a Parquet table freed; the C library's gives it back
    # (peak memory reading a 144 MB row group: 128 MB against 95 MB).
    os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")
    parser = build_parser()
    try:
        with console.checked_stdout():
            try:
                args = parser.parse_args(argv)
            except SystemExit as exit_:  # --help, --version and usage errors
                sys.stdout.flush()
                return exit_.code if isinstance(exit_.code, int) else EXIT_ERROR
            with console.signals_interrupt(), warnings.catch_warnings():
                warnings.showwarning = console.show_warning
                status: int = args.handler(args)
                sys.stdout.flush()
    except BrokenPipeError:
        console.silence_stdout()
        return EXIT_BROKEN_PIPE
    except KeyboardInterrupt as interrupt:
        console.stop_workers()
        if isinstance(interrupt, console.Terminated):
            return 128 + interrupt.signum
        return EXIT_INTERRUPTED
    except (CommandError, HedgeError) as err:
        if isinstance(err, console.StdoutError):
            console.silence_stdout()
        console.error(str(err))
        return EXIT_ERROR
    except OSError as err:  # not standard output (console.checked_stdout): a file, a limit
        where = "" if err.filename is None else f"{err.filename}: "
        console.error(f"{where}{err.strerror or err}")
        return EXIT_ERROR
    return status
