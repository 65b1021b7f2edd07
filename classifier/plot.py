"""Plots of an evaluation: a reliability diagram and the precision-recall curve, in one PNG.

Needs the ``plot`` extra (``pip install "hedge-classifier[plot]"``). matplotlib is imported
only when a function of this module is called, and only its object-oriented API with the
Agg canvas is used: no ``pyplot``, so no global state and no display is touched.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from classifier.errors import HedgeError

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
    for i, label in enumerate(y):
        if label not in ("certain", "uncertain"):
            raise ValueError(f"label {i} is {label!r}, expected 'certain' or 'uncertain'")
    uncertain = np.asarray(y, dtype=object) == "uncertain"
    predicted = p_certain < report.threshold
    confusion = tuple(
        tuple(int(np.sum((uncertain == actual) & (predicted == guess))) for guess in (False, True))
        for actual in (False, True)
    )
    if confusion != report.confusion:
        raise ValueError(
            "the certainties and labels do not give the report's confusion matrix: "
            "they are not those the report was made from"
        )
    return 1.0 - p_certain, uncertain


def _reliability(ax: Axes, report: EvaluationReport) -> None:
    """Draw observed against predicted P(uncertain) per bin, over the bins' sizes."""
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
    filled = [b for b in bins if b.count]
    ax.plot([0, 1], [0, 1], linestyle="--", color=REFERENCE_COLOR, label="perfectly calibrated")
    ax.plot(
        np.array([b.mean_predicted for b in filled], dtype=float),
        np.array([b.observed_rate for b in filled], dtype=float),
        marker="o",
        color=LINE_COLOR,
        clip_on=False,
        label=f"model (Brier {report.brier:.3f})",
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
    ax.set(
        xlim=(0, 1),
        ylim=(0, 1.02),
        xlabel="recall of uncertain",
        ylabel="precision of uncertain",
        title="Precision-recall of uncertain",
    )
    if not uncertain.any():
        ax.text(0.5, 0.5, "no sentence labeled uncertain:\nno curve", ha="center")
        return
    from sklearn.metrics import average_precision_score, precision_recall_curve

    precision, recall, _ = precision_recall_curve(uncertain, p_uncertain)
    average = float(average_precision_score(uncertain, p_uncertain))
    ax.plot(recall, precision, color=LINE_COLOR, label=f"model (average precision {average:.3f})")
    prevalence = report.n_uncertain / report.n
    ax.axhline(
        prevalence,
        linestyle="--",
        color=REFERENCE_COLOR,
        label=f"chance: share uncertain {prevalence:.3f}",
    )
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
    labels : sequence of str
        Their labels, ``"certain"`` or ``"uncertain"``.

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
    _reliability(left, report)
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
    >>> from classifier import CertaintyClassifier
    >>> from classifier.evaluate import evaluate
    >>> clf = CertaintyClassifier.load()
    >>> sentences = ["It may rain.", "It rained.", "Perhaps.", "The sky is blue."]
    >>> labels = ["uncertain", "certain", "uncertain", "certain"]
    >>> report = evaluate(clf, sentences, labels)
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     png = plot_evaluation(report, clf.certainty(sentences), labels, f"{folder}/e.png")
    ...     png.read_bytes()[:8]
    b'\x89PNG\r\n\x1a\n'
    """
    from classifier.persist import atomic_write

    figure = evaluation_figure(report, certainty, labels)
    target = Path(path)
    atomic_write(target, lambda f: figure.savefig(f, format="png", dpi=DPI))
    return target
