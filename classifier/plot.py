"""Plots of an evaluation: a reliability diagram and the precision-recall curve, in one PNG.

Needs the ``plot`` extra (``pip install "hedge-classifier[plot]"``). matplotlib is imported
only when a function of this module is called. The curves are scikit-learn's
(``CalibrationDisplay``, ``PrecisionRecallDisplay``), drawn on a figure of our own with the
Agg canvas: it is not registered with ``pyplot`` and no display is touched.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from classifier.errors import HedgeError
from classifier.model.labels import confusion, read_labels

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from classifier.evaluate import EvaluationReport

__all__ = ["MatplotlibMissingError", "evaluation_figure", "plot_evaluation", "require_matplotlib"]

#: What to install when matplotlib is missing.
INSTALL_HINT = 'plotting needs matplotlib: pip install "hedge-classifier[plot]"'
#: Size of the figure in inches, and its resolution: 1650 x 840 pixels.
FIGSIZE = (11.0, 5.6)
DPI = 150
#: Colours of the model's curves, of the reference lines and of the bin counts.
LINE_COLOR = "#1f5fa8"
MARK_COLOR = "#d1495b"
REFERENCE_COLOR = "#888888"
COUNT_COLOR = "#e1e8f0"
#: Where a legend's top stands, in axes coordinates: under its panel, so that it hides no
#: part of a curve.
LEGEND_ANCHOR = (0.5, -0.14)


class MatplotlibMissingError(HedgeError, ImportError):
    """matplotlib, needed for plotting, is not installed."""


def require_matplotlib() -> None:
    """Check that matplotlib can be imported.

    Raises
    ------
    MatplotlibMissingError
        If it cannot, with the command that installs it.
    """
    try:
        import matplotlib  # noqa: F401
    except ImportError as err:
        raise MatplotlibMissingError(INSTALL_HINT) from err


def _check_inputs(
    report: EvaluationReport, certainty: Sequence[float] | np.ndarray, labels: Sequence[str]
) -> tuple[np.ndarray, np.ndarray]:
    """Return P(uncertain) and the boolean "labeled uncertain" of each sentence."""
    p_certain = np.asarray(certainty, dtype=float)
    if p_certain.ndim != 1 or len(p_certain) != report.n:
        raise ValueError(
            f"the report has {report.n} sentences but got {p_certain.size} certainties"
        )
    if not np.all((p_certain >= 0.0) & (p_certain <= 1.0)):
        raise ValueError("certainties must be probabilities in [0, 1]")
    y = list(labels)
    if len(y) != report.n:
        raise ValueError(f"the report has {report.n} sentences but got {len(y)} labels")
    uncertain = read_labels(y)
    if confusion(uncertain, p_certain < report.threshold) != report.confusion:
        raise ValueError(
            "the certainties and labels do not give the report's confusion matrix: "
            "they are not those the report was made from"
        )
    return 1.0 - p_certain, uncertain


def _reliability(
    ax: Axes, report: EvaluationReport, p_uncertain: np.ndarray, uncertain: np.ndarray
) -> None:
    """Draw observed against predicted P(uncertain) per bin, over the bins' sizes."""
    from sklearn.calibration import CalibrationDisplay

    bins = report.calibration
    counts = ax.twinx()
    counts.bar(
        [(b.lower + b.upper) / 2 for b in bins],
        [b.count for b in bins],
        width=[0.92 * (b.upper - b.lower) for b in bins],
        color=COUNT_COLOR,
        label="sentences per bin (right axis)",
        zorder=0,
    )
    counts.set_yscale("log")
    counts.set_ylim(bottom=0.5)  # a bin of one sentence still shows
    counts.set_ylabel("sentences per bin (log scale)")
    ax.set_zorder(counts.get_zorder() + 1)
    ax.patch.set_visible(False)
    CalibrationDisplay.from_predictions(
        uncertain,
        p_uncertain,
        n_bins=len(bins),  # the bins of the report's table
        strategy="uniform",
        pos_label=True,
        name=f"model (Brier {report.brier:.3f})",
        ax=ax,
        ref_line=True,
        color=LINE_COLOR,
        clip_on=False,
    )
    ax.axvline(
        1.0 - report.threshold,
        linestyle=":",
        color=MARK_COLOR,
        label=(
            f"threshold: P(uncertain) {1.0 - report.threshold:.2f} "
            f"(certainty {report.threshold:.2f})"
        ),
    )
    ax.set(
        xlim=(0, 1),
        ylim=(0, 1),
        xlabel="predicted P(uncertain), mean per bin",
        ylabel="observed share labeled uncertain",
        title=f"Reliability ({len(bins)} bins, {report.n} sentences)",
    )
    handles, names = ax.get_legend_handles_labels()
    more, more_names = counts.get_legend_handles_labels()
    ax.legend(
        handles + more,
        names + more_names,
        loc="upper center",
        bbox_to_anchor=LEGEND_ANCHOR,
        fontsize="small",
    )


def _precision_recall(
    ax: Axes, report: EvaluationReport, p_uncertain: np.ndarray, uncertain: np.ndarray
) -> None:
    """Draw the precision-recall curve of ``uncertain`` with the model's threshold marked."""
    if uncertain.any():
        from sklearn.metrics import PrecisionRecallDisplay

        display = PrecisionRecallDisplay.from_predictions(
            uncertain,
            p_uncertain,
            pos_label=True,
            name="model",
            ax=ax,
            plot_chance_level=True,
            chance_level_kw={"linestyle": "--", "color": REFERENCE_COLOR},
        )
        display.line_.set_color(LINE_COLOR)  # set here: its keywords differ across versions
        ax.plot(
            [report.recall],
            [report.precision],
            marker="o",
            markersize=9,
            linestyle="none",
            clip_on=False,
            color=MARK_COLOR,
            label=(
                f"threshold {report.threshold:.2f}: precision {report.precision:.3f}, "
                f"recall {report.recall:.3f}, F1 {report.f1:.3f}"
            ),
        )
        ax.legend(loc="upper center", bbox_to_anchor=LEGEND_ANCHOR, fontsize="small")
    else:
        ax.text(0.5, 0.5, "no sentence labeled uncertain:\nno curve", ha="center")
    ax.set(
        xlim=(0, 1),
        ylim=(0, 1.02),
        xlabel="recall of uncertain",
        ylabel="precision of uncertain",
        title="Precision-recall of uncertain",
    )


def evaluation_figure(
    report: EvaluationReport, certainty: Sequence[float] | np.ndarray, labels: Sequence[str]
) -> Figure:
    """Return a figure of two panels: the reliability diagram and the precision-recall curve.

    Parameters
    ----------
    report : EvaluationReport
        From :func:`classifier.evaluate.evaluate`; the reliability diagram shows its
        calibration bins, so that it agrees with the printed table.
    certainty : sequence of float
        The model's certainty of each sentence the report was made from, in order.
    labels : sequence
        Their labels, as :mod:`classifier.model.labels` reads them (words, 0/1, booleans).

    Returns
    -------
    matplotlib.figure.Figure
        Attached to an Agg canvas; not registered with ``pyplot``.

    Raises
    ------
    MatplotlibMissingError
        If matplotlib is not installed.
    ValueError
        If ``certainty`` or ``labels`` do not fit the report.
    """
    require_matplotlib()
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    p_uncertain, uncertain = _check_inputs(report, certainty, labels)
    figure = Figure(figsize=FIGSIZE, dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    left, right = figure.subplots(1, 2)
    _reliability(left, report, p_uncertain, uncertain)
    _precision_recall(right, report, p_uncertain, uncertain)
    return figure


def plot_evaluation(
    report: EvaluationReport,
    certainty: Sequence[float] | np.ndarray,
    labels: Sequence[str],
    path: str | Path,
) -> Path:
    r"""Write :func:`evaluation_figure` to a PNG file, atomically.

    Parameters
    ----------
    report, certainty, labels
        As for :func:`evaluation_figure`.
    path : str or Path
        The PNG file to write (replaced atomically).

    Returns
    -------
    Path
        ``path``.

    Examples
    --------
    >>> import tempfile
    >>> import classifier
    >>> from classifier.evaluate import evaluate
    >>> scorer = classifier.load()
    >>> sentences = ["It may rain.", "It rained.", "Perhaps.", "The sky is blue."]
    >>> labels = ["uncertain", "certain", "uncertain", "certain"]
    >>> report = evaluate(scorer, sentences, labels)
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     png = plot_evaluation(report, scorer.certainty(sentences), labels, f"{folder}/e.png")
    ...     png.read_bytes()[:8]
    b'\x89PNG\r\n\x1a\n'
    """
    from classifier.io.files import atomic_write

    figure = evaluation_figure(report, certainty, labels)
    target = Path(path)
    atomic_write(target, lambda f: figure.savefig(f, format="png", dpi=DPI))
    return target
