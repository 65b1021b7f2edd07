"""A self-contained HTML report: each sentence shaded by certainty, each hedge cue underlined.

The page has no scripts, fonts, images or links to anything outside the file: the style
sheet is inline. It works on a phone as on a desktop: the details of a sentence or a cue show
on hover (``title``) and, for touch and keyboard, when it is tapped or focused (every
sentence and cue is focusable; the details show in a bar at the bottom of the window). A
summary lists the uncertain sentences, each a link to it, and radio buttons filter the page
(all sentences, uncertain only, one cue category) with CSS alone. Pages are capped at
:data:`MAX_SENTENCES` sentences shown in full (fewer if long or full of cues:
:data:`MAX_SHOWN_SIZE`); documents past the cap are summarized in a
table, with a note saying so. All text is escaped, so a sentence that contains ``<script>``
is shown, never run.

>>> from classifier import CertaintyClassifier
>>> clf = CertaintyClassifier.load()
>>> doc = score_document(clf, "It may rain. The sky is blue.", name="notes.txt")
>>> page = render_html([doc], threshold=clf.threshold_)
>>> page.startswith("<!DOCTYPE html>"), 'class="cue"' in page
(True, True)
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from classifier._version import __version__
from classifier.io.files import input_name
from classifier.model.results import DocumentScore

if TYPE_CHECKING:
    from classifier.cues.matcher import Cue
    from classifier.model.estimator import CertaintyClassifier
    from classifier.model.results import SentenceScore
    from classifier.model.scorer import Scorer

__all__ = [
    "COLOR_SCALE",
    "MAX_SENTENCES",
    "Document",
    "render_html",
    "score_document",
    "shade",
    "stream_documents",
]

#: Lines of ``--lines`` input scored together in the report.
LINES_PER_BATCH = 1024

#: Colour stops of the sentence shading, ``(certainty, "#rrggbb")``: orange for uncertain,
#: through light orange and pale yellow, to a pale blue for certain. Light enough for black
#: text to keep a contrast ratio above 7:1 (WCAG AAA) everywhere; orange against blue stays
#: distinct for the common forms of colour blindness.
COLOR_SCALE: tuple[tuple[float, str], ...] = (
    (0.0, "#f4895f"),
    (0.5, "#fbc68f"),
    (0.75, "#fcefc7"),
    (1.0, "#dcebf7"),
)
#: How many cue categories the summary lists, most frequent first.
TOP_CATEGORIES = 5
#: Most sentences a page shows in full (about 0.6 kB of HTML each): 18,500 sentences made
#: a 6.8 MB page that phones load slowly (1.3 MB with this cap); past it, documents are
#: summarized.
MAX_SENTENCES = 2000
#: Most a page shows in full, whatever ``max_sentences``, counted in characters of sentence
#: text plus :data:`CUE_SIZE` for each cue (see :func:`_shown_size`): 2,000 sentences of
#: typical length come to about 300,000; 2,000 sentences at the splitter's 10,000-character
#: cap made a 240 MB process, and 3 MB of "may may ..." a 22 MB page.
MAX_SHOWN_SIZE = 400_000
#: What one cue adds to a sentence's :func:`_shown_size`: its markup and details.
CUE_SIZE = 50
#: Most documents past the cap listed one per row; the rest are added up in one row (a page
#: of 200,000 table rows was 20 MB and took 200 MB to build).
MAX_SUMMARY_ROWS = 1000
#: Characters of a sentence shown in the index of uncertain sentences.
INDEX_CHARS = 90
#: A blank line: it ends a paragraph, in the text and on the page.
_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n")
#: How the pieces of a discontinuous cue are joined in ``Cue.text``.
_PIECE_SEP = " ... "

_STYLE = """\
body { font: 16px/1.7 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial,
  sans-serif; color: #1b1b1b; background: #fff; margin: 0 auto; max-width: 60rem;
  padding: 1.5rem 2rem 5rem; }
h1 { font-size: 1.5rem; margin: 0 0 .75rem; overflow-wrap: anywhere; }
h2 { font-size: 1.1rem; margin: 0; overflow-wrap: anywhere; }
.summary { display: flex; flex-wrap: wrap; gap: .75rem 2rem; align-items: flex-start;
  border: 1px solid #d9d9d9; border-radius: 6px; padding: .75rem 1rem; background: #fafafa; }
.stat b { font-size: 1.35rem; display: block; line-height: 1.2; }
.stat { color: #444; font-size: .9rem; }
.categories ol { margin: .1rem 0 0; padding-left: 1.3rem; font-size: .9rem; }
.categories .stat-title { color: #444; font-size: .9rem; }
.note { border-left: 4px solid #c25400; background: #fff4e8; padding: .5rem .8rem;
  margin: 1rem 0 0; font-size: .9rem; }
.filter-input { position: absolute; opacity: 0; width: 1px; height: 1px; margin: 0; }
.filters { display: flex; flex-wrap: wrap; gap: .4rem; align-items: center; margin: 1rem 0 0;
  font-size: .9rem; }
.filters label { border: 1px solid #888; border-radius: 999px; padding: .15rem .7rem;
  cursor: pointer; background: #fff; }
.index { margin: .8rem 0 0; font-size: .9rem; }
.index summary { cursor: pointer; font-weight: 600; }
.index ol { margin: .3rem 0 0; padding-left: 1.6rem; max-height: 24rem; overflow-y: auto; }
.index li { margin: .15rem 0; overflow-wrap: anywhere; }
.index a { color: #0b4f8a; }
.legend { display: flex; flex-wrap: wrap; align-items: flex-start; gap: 0 .8rem;
  margin: 1.1rem 0 .4rem; font-size: .85rem; color: #333; }
.legend .scale { display: flex; align-items: flex-start; gap: .6rem; flex: 1 1 18rem;
  max-width: 30rem; }
.legend .gauge { position: relative; flex: 1 1 auto; min-width: 9rem;
  padding: 1.2rem 0 1.3rem; }
.legend .bar { height: 1rem; border: 1px solid #bbb; border-radius: 3px; }
.legend .tick { position: absolute; top: 1rem; height: 1.5rem; border-left: 2px solid #111; }
.legend .label { position: absolute; transform: translateX(-50%); white-space: nowrap;
  line-height: 1.2; }
.legend .below { bottom: 0; }
.legend .above { top: 0; font-weight: 600; }
.legend .name { padding-top: 1.2rem; line-height: 1rem; }
.legend .key { padding-top: 1.2rem; line-height: 1rem; }
.help { color: #555; font-size: .85rem; margin: .25rem 0 0; }
article { margin-top: 1.75rem; }
article header { border-bottom: 1px solid #ddd; padding-bottom: .3rem; margin-bottom: .6rem; }
article .meta { color: #555; font-size: .85rem; }
article p { white-space: pre-line; margin: 0 0 1rem; overflow-wrap: anywhere; }
.s { border-radius: 3px; padding: .1rem .05rem; box-decoration-break: clone;
  -webkit-box-decoration-break: clone; scroll-margin: 4rem 0 6rem; }
.s:target { outline: 3px solid #0b4f8a; outline-offset: 1px; }
.s:focus, .cue:focus { outline: 3px solid #0b4f8a; outline-offset: 1px; }
.cue { text-decoration: underline solid #1b1b1b 2px; text-underline-offset: .22em;
  cursor: help; }
.cue[data-type~="doxastic"] { text-decoration-style: dashed; }
.cue[data-type~="investigation"] { text-decoration-style: dotted; }
.cue[data-type~="condition"] { text-decoration-style: double; }
.cue[data-type~="attribution"] { text-decoration-style: wavy; }
.cue[data-type~="low_probability"] { text-decoration-thickness: 4px; }
.s:focus::after, .cue:focus::after { content: attr(data-tip); position: fixed; left: 0;
  right: 0; bottom: 0; z-index: 1; background: #1b1b1b; color: #fff; padding: .6rem 1rem;
  font-size: .9rem; line-height: 1.4; white-space: normal; font-weight: normal;
  text-decoration: none; }
.empty { color: #777; font-style: italic; }
.rest { margin-top: 2rem; overflow-x: auto; }
.rest table { border-collapse: collapse; font-size: .85rem; }
.rest th, .rest td { border-bottom: 1px solid #ddd; padding: .2rem .6rem; text-align: right; }
.rest th:first-child, .rest td:first-child { text-align: left; overflow-wrap: anywhere; }
footer { margin-top: 2.5rem; color: #777; font-size: .8rem; }
@media (max-width: 40rem) {
  body { padding: 1rem .9rem 6rem; }
  .summary { gap: .5rem 1.2rem; }
}
"""
#: Radio-button filters: (id, label) after "all"; category filters are added per page.
_FILTER_ALL = "show-all"
_FILTER_UNCERTAIN = "show-uncertain"


@dataclass(frozen=True, slots=True)
class Document:
    """A scored text, ready to render.

    Attributes
    ----------
    name : str
        Shown as the document's heading, e.g. its file name; ``"-"`` reads "standard input".
    text : str
        The whole text, with the spacing and blank lines between sentences.
    scores : tuple of SentenceScore
        Its sentences in order, with offsets into ``text``: ``text[s.start:s.end] == s.text``.
    contributions : tuple of tuple of float, optional
        For each sentence, the contribution of each of its ``cues`` to the log-odds of
        ``uncertain``; None to show cues without it.
    result : DocumentScore, optional
        The verdict on the whole document when ``scores`` holds only its first sentences
        and ``text`` only their text (:func:`stream_documents`); None: that of ``scores``.
    cue_counts : tuple of (str, int), optional
        With ``result``: how many cues of each category the whole document has.

    Raises
    ------
    ValueError
        If a score's offsets do not match ``text``, the scores overlap or are out of
        order, or ``contributions`` does not match the scores' cues.
    """

    name: str
    text: str
    scores: tuple[SentenceScore, ...]
    contributions: tuple[tuple[float, ...], ...] | None = None
    result: DocumentScore | None = None
    cue_counts: tuple[tuple[str, int], ...] | None = None

    def verdict(self) -> DocumentScore:
        """Return the verdict on the whole document (all its sentences, kept or not)."""
        return self.result if self.result is not None else DocumentScore.of(self.scores)

    def categories(self) -> Counter[str]:
        """Return how many cues of each category the whole document has."""
        if self.cue_counts is not None:
            return Counter(dict(self.cue_counts))
        return Counter(cue.category for score in self.scores for cue in score.cues)

    def __post_init__(self) -> None:
        """Check that the scores and contributions fit the text."""
        done = 0
        for i, score in enumerate(self.scores):
            if score.start < done or self.text[score.start : score.end] != score.text:
                raise ValueError(
                    f"{self.name}: sentence {i} at {score.start}-{score.end} does not match "
                    "the text, or overlaps the sentence before it"
                )
            done = score.end
        if self.contributions is None:
            return
        if len(self.contributions) != len(self.scores):
            raise ValueError(
                f"{self.name}: {len(self.scores)} sentences but "
                f"{len(self.contributions)} rows of contributions"
            )
        for i, (score, weights) in enumerate(zip(self.scores, self.contributions, strict=True)):
            if len(weights) != len(score.cues):
                raise ValueError(
                    f"{self.name}: sentence {i} has {len(score.cues)} cues but "
                    f"{len(weights)} contributions"
                )


# ---------------------------------------------------------------------- scoring
def _line_sentences(text: str) -> tuple[list[str], list[int]]:
    """Return each non-blank line of ``text``, stripped, and its offset in ``text``.

    The same lines, read the same way, as ``hedge score --lines`` scores
    (:func:`classifier.io.reader.line_pieces`).
    """
    from classifier.io.reader import line_pieces
    from classifier.text.sentences import line_sentence

    sentences: list[str] = []
    offsets: list[int] = []
    at = 0
    for _, _, raw in line_pieces([text]):
        found = line_sentence(raw)
        if found is not None:
            sentences.append(found[0])
            offsets.append(at + found[1])
        at += len(raw)
    return sentences, offsets


def _contributions(model: Scorer, score: SentenceScore) -> tuple[float, ...]:
    """Return the contribution of each cue of ``score`` to the log-odds of uncertain."""
    weights = {(cue.start, cue.end, cue.entry): weight for cue, weight in model.explain(score.text)}
    return tuple(
        weights[cue.start - score.start, cue.end - score.start, cue.entry] for cue in score.cues
    )


def score_document(
    model: CertaintyClassifier | Scorer, text: str, *, name: str = "", by_lines: bool = False
) -> Document:
    """Score and explain one text for :func:`render_html`.

    Parameters
    ----------
    model : CertaintyClassifier or Scorer
        A fitted model, or its scorer.
    text : str
        The whole text.
    name : str, default=""
        The document's heading.
    by_lines : bool, default=False
        Take each non-blank line as one sentence (as ``hedge score --lines``) instead of
        splitting the text into sentences.

    Returns
    -------
    Document
        With offsets into ``text`` and each cue's contribution.
    """
    from classifier.resolve import scorer_of

    if not isinstance(text, str):
        raise TypeError(f"text must be str, got {type(text).__name__}")
    scorer = scorer_of(model)
    if by_lines:
        sentences, offsets = _line_sentences(text)
        scores = [
            score.shifted(offset)
            for score, offset in zip(scorer.score_sentences(sentences), offsets, strict=True)
        ]
    else:
        scores = scorer.score(text)
    contributions = tuple(_contributions(scorer, score) for score in scores)
    return Document(name, text, tuple(scores), contributions)


def _scored_pieces(
    scorer: Scorer, blocks: Iterable[str], by_lines: bool
) -> Iterator[tuple[str, list[SentenceScore]]]:
    """Yield each piece of the text read from ``blocks`` with its sentences' scores.

    The pieces, joined, are the whole text; scores have offsets into it. Text is split as
    ``hedge score`` splits it (:mod:`classifier.io.reader`), a chunk or a batch of lines
    at a time.
    """
    from classifier.io.reader import line_pieces, text_chunks
    from classifier.text.sentences import line_sentence

    if not by_lines:
        for offset, chunk in text_chunks(blocks):
            yield chunk, [score.shifted(offset) for score in scorer.score(chunk)]
        return
    at = 0
    raws: list[str] = []
    found: list[tuple[str, int]] = []
    for _, _, raw in line_pieces(blocks):
        line = line_sentence(raw)
        if line is not None:
            found.append((line[0], at + line[1]))
        raws.append(raw)
        at += len(raw)
        if len(found) >= LINES_PER_BATCH:
            scores = scorer.score_sentences([text for text, _ in found])
            yield "".join(raws), [s.shifted(o) for s, (_, o) in zip(scores, found, strict=True)]
            raws, found = [], []
    scores = scorer.score_sentences([text for text, _ in found])
    yield "".join(raws), [s.shifted(o) for s, (_, o) in zip(scores, found, strict=True)]


def stream_documents(
    model: CertaintyClassifier | Scorer,
    inputs: Iterable[tuple[str, Iterable[str]]],
    *,
    by_lines: bool = False,
    max_sentences: int = MAX_SENTENCES,
) -> Iterator[Document]:
    """Score ``(name, blocks of text)`` inputs for :func:`render_html` in bounded memory.

    Only the sentences the page shows (the first ``max_sentences`` of all the inputs,
    within :data:`MAX_SHOWN_SIZE`) and their text are kept (explained, as
    :func:`score_document` does); past them a document keeps its verdict
    (``Document.result``) and its cue counts only. Give :func:`render_html` the same
    ``max_sentences``: the page is the one of the whole documents.

    Parameters
    ----------
    model : CertaintyClassifier or Scorer
        A fitted model, or its scorer.
    inputs : iterable of (str, iterable of str)
        Each document's name and its text in pieces (a file's decoded blocks; a text whole
        is one piece). Each is read once, before the next is asked for.
    by_lines : bool, default=False
        Take each non-blank line as one sentence.
    max_sentences : int, default=MAX_SENTENCES
        Most sentences kept.

    Yields
    ------
    Document
    """
    from classifier.resolve import scorer_of

    scorer = scorer_of(model)
    budget = _Budget(max_sentences)
    for name, blocks in inputs:
        yield _streamed(scorer, name, blocks, by_lines, budget)


def _streamed(
    scorer: Scorer, name: str, blocks: Iterable[str], by_lines: bool, budget: _Budget
) -> Document:
    """Return one document of :func:`stream_documents`, keeping the sentences shown.

    Those are its first sentences while they fit ``budget``, as :func:`render_html`
    shows them.
    """
    kept: list[SentenceScore] = []
    pieces: list[str] = []
    counts: Counter[str] = Counter()
    keeping = budget.sentences > 0

    def scores() -> Iterator[SentenceScore]:
        nonlocal keeping
        for piece, found in _scored_pieces(scorer, blocks, by_lines):
            if keeping:  # the text of the sentences kept, and a little after
                pieces.append(piece)
            for score in found:
                counts.update(cue.category for cue in score.cues)
                keeping = keeping and budget.take(score)
                if keeping:
                    kept.append(score)
                yield score

    result = DocumentScore.of(scores(), keep=False)
    text = "".join(pieces)
    if len(kept) < result.sentences:
        text = text[: kept[-1].end] if kept else ""
    contributions = tuple(_contributions(scorer, score) for score in kept)
    return Document(name, text, tuple(kept), contributions, result, tuple(sorted(counts.items())))


# ---------------------------------------------------------------------- colours
def _rgb(color: str) -> tuple[int, int, int]:
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


def shade(certainty: float) -> str:
    """Return the background colour of a sentence of this certainty, as ``#rrggbb``.

    Linear in RGB between the stops of :data:`COLOR_SCALE`; values outside [0, 1] are
    clipped.

    Examples
    --------
    >>> shade(0.0), shade(0.5), shade(1.0)
    ('#f4895f', '#fbc68f', '#dcebf7')
    """
    value = min(max(float(certainty), 0.0), 1.0)
    for (low, low_color), (high, high_color) in zip(COLOR_SCALE, COLOR_SCALE[1:], strict=False):
        if value <= high:
            t = (value - low) / (high - low)
            a, b = _rgb(low_color), _rgb(high_color)
            return "#" + "".join(f"{round(x + (y - x) * t):02x}" for x, y in zip(a, b, strict=True))
    return COLOR_SCALE[-1][1]


# ---------------------------------------------------------------------- marking cues
def _cue_pieces(cue: Cue, sentence: SentenceScore) -> list[tuple[int, int]]:
    """Return the ``(start, end)`` offsets, within the sentence, of each piece of a cue.

    A discontinuous cue ("chances ... are slim") is found piece by piece inside its span;
    if a piece cannot be found, the whole span is one piece.
    """
    start, end = cue.start - sentence.start, cue.end - sentence.start
    pieces = cue.text.split(_PIECE_SEP)
    if len(pieces) == 1:
        return [(start, end)]
    found: list[tuple[int, int]] = []
    at = start
    for piece in pieces:
        where = sentence.text.find(piece, at, end)
        if where < 0:
            return [(start, end)]
        found.append((where, where + len(piece)))
        at = where + len(piece)
    if found[0][0] != start or found[-1][1] != end:
        return [(start, end)]
    return found


def _cue_title(cue: Cue, weight: float | None) -> str:
    kind = cue.category if cue.type is None else f"{cue.category} ({cue.type})"
    if weight is None:
        return f"{cue.text}: {kind}"
    return f"{cue.text}: {kind}, {weight:+.2f} to the log-odds of uncertain"


def _sentence_html(score: SentenceScore, weights: Sequence[float] | None) -> str:
    """Return the sentence's text, escaped, with each cue piece in a ``span.cue``.

    The text is cut at every piece boundary; each cut is marked with all the cues whose
    pieces cover it, so overlapping or nested cues never produce crossed tags.
    """
    covering: list[list[int]] = [[] for _ in score.text]
    for index, cue in enumerate(score.cues):
        for start, end in _cue_pieces(cue, score):
            for position in range(max(start, 0), min(end, len(score.text))):
                covering[position].append(index)
    out: list[str] = []
    position = 0
    while position < len(score.text):
        cues = covering[position]
        stop = position + 1
        while stop < len(score.text) and covering[stop] == cues:
            stop += 1
        text = html.escape(score.text[position:stop])
        if cues:
            titles = "; ".join(
                _cue_title(score.cues[i], None if weights is None else weights[i]) for i in cues
            )
            categories = " ".join(dict.fromkeys(score.cues[i].category for i in cues))
            types = " ".join(dict.fromkeys(str(score.cues[i].type) for i in cues))
            typed = f' data-type="{html.escape(types)}"' if score.types else ""
            tip = html.escape(titles)
            out.append(
                f'<span class="cue" tabindex="0" data-category="{html.escape(categories)}"'
                f'{typed} title="{tip}" data-tip="{tip}">{text}</span>'
            )
        else:
            out.append(text)
        position = stop
    return "".join(out)


def _sentence_span(score: SentenceScore, weights: Sequence[float] | None, anchor: str) -> str:
    title = f"{score.label}, certainty {score.certainty:.2f}"
    if score.rating is not None:
        title += f", predicted rating {score.rating:.1f}"
    touched = [a for a in score.aspects if a.label != "absent"]
    if score.aspects:
        title += "; aspects: " + (
            ", ".join(
                f"{a.aspect} {a.label}" + (f" ({', '.join(a.cues)})" if a.cues else "")
                for a in touched
            )
            or "none"
        )
    tip = html.escape(title)
    classes = " ".join(
        ["s", score.label, *(f"c-{c}" for c in sorted({cue.category for cue in score.cues}))]
    )
    return (
        f'<span class="{html.escape(classes)}" id="{anchor}" tabindex="0" '
        f'style="background-color:{shade(score.certainty)}" '
        f'data-certainty="{score.certainty!r}" title="{tip}" data-tip="{tip}">'
        f"{_sentence_html(score, weights)}</span>"
    )


# ---------------------------------------------------------------------- layout
def _anchor(document: int, sentence: int) -> str:
    """Return the ``id`` of a sentence on the page."""
    return f"d{document}-s{sentence}"


def _paragraphs(document: Document, number: int, shown: int) -> list[str]:
    """Return the HTML of each paragraph of the first ``shown`` sentences of a document.

    A blank line in the text between two sentences starts a new paragraph; other spacing
    is kept as it is and the page shows its line breaks (``white-space: pre-line``).
    """
    paragraphs: list[list[str]] = [[]]

    def gap(text: str) -> None:
        parts = _PARAGRAPH_BREAK.split(text)
        paragraphs[-1].append(html.escape(parts[0]))
        for part in parts[1:]:
            paragraphs.append([html.escape(part)])

    done = 0
    for index, score in enumerate(document.scores[:shown]):
        gap(document.text[done : score.start])
        weights = None if document.contributions is None else document.contributions[index]
        paragraphs[-1].append(_sentence_span(score, weights, _anchor(number, index)))
        done = score.end
    if shown == len(document.scores):
        gap(document.text[done:])
    result = []
    for pieces in paragraphs:
        body = "".join(pieces).strip()
        if body:
            result.append(f"<p>{body}</p>")
    return result


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'s' * (count != 1)}"


@dataclass
class _Totals:
    """What some documents add up to: counts, the lowest certainty, cue categories."""

    documents: int = 0
    sentences: int = 0
    uncertain: int = 0
    certainty: float | None = None
    categories: Counter[str] = field(default_factory=Counter)

    def add(self, document: Document) -> None:
        result = document.verdict()
        self.documents += 1
        self.sentences += result.sentences
        self.uncertain += result.uncertain
        if result.certainty is not None:
            lowest = self.certainty
            self.certainty = result.certainty if lowest is None else min(lowest, result.certainty)
        self.categories.update(document.categories())


def _summary(totals: _Totals, threshold: float | None) -> str:
    count, uncertain = totals.sentences, totals.uncertain
    stats = [
        f'<div class="stat"><b>{count:,}</b>sentence{"s" * (count != 1)}</div>',
        f'<div class="stat"><b>{uncertain:,}</b>uncertain ({_percent(uncertain, count)})</div>',
        f'<div class="stat"><b>{count - uncertain:,}</b>certain</div>',
    ]
    if totals.documents != 1:
        stats.insert(0, f'<div class="stat"><b>{totals.documents:,}</b>documents</div>')
    if threshold is not None:
        stats.append(f'<div class="stat"><b>{threshold:.2f}</b>threshold: uncertain below it</div>')
    top = sorted(totals.categories.items(), key=lambda item: (-item[1], item[0]))[:TOP_CATEGORIES]
    items = "".join(
        f"<li>{html.escape(category)} <span>({count:,})</span></li>" for category, count in top
    )
    listing = f"<ol>{items}</ol>" if items else '<div class="empty">no cues</div>'
    stats.append(
        '<div class="categories"><div class="stat-title">most frequent cue categories</div>'
        f"{listing}</div>"
    )
    return f'<section class="summary">{"".join(stats)}</section>'


def _filters(categories: Sequence[str]) -> tuple[str, str]:
    """Return the radio inputs and their labels that filter the sentences, and their CSS.

    The inputs stand before ``main`` so that ``#id:checked ~ main`` selects what to hide:
    no script is needed, and without CSS every sentence shows.
    """
    choices = [(_FILTER_ALL, "all sentences"), (_FILTER_UNCERTAIN, "uncertain only")]
    choices += [(f"show-c-{category}", category) for category in categories]
    inputs = "".join(
        f'<input type="radio" class="filter-input" name="show" id="{key}"'
        f"{' checked' if key == _FILTER_ALL else ''}>"
        for key, _ in choices
    )
    labels = "".join(f'<label for="{key}">{html.escape(text)}</label>' for key, text in choices)
    css = [
        f"#{_FILTER_UNCERTAIN}:checked ~ main .s.certain {{ display: none; }}",
        *(
            f"#show-c-{category}:checked ~ main .s:not(.c-{category}) {{ display: none; }}"
            for category in categories
        ),
        *(
            f"#{key}:checked ~ .filters label[for={key}] {{ background: #1b1b1b; color: #fff; }}"
            f"\n#{key}:focus-visible ~ .filters label[for={key}] "
            "{ outline: 3px solid #0b4f8a; outline-offset: 1px; }"
            for key, _ in choices
        ),
    ]
    nav = f'<nav class="filters" aria-label="Filter the sentences"><span>Show:</span>{labels}</nav>'
    return inputs + "\n" + nav, "\n".join(css) + "\n"


def _index(documents: Sequence[Document], shown: Sequence[int], capped: bool) -> str:
    """Return the list of the uncertain sentences shown, each a link to it."""
    items = []
    for number, (document, count) in enumerate(zip(documents, shown, strict=True)):
        name = html.escape(input_name(document.name))
        for index, score in enumerate(document.scores[:count]):
            if score.label != "uncertain":
                continue
            text = score.text if len(score.text) <= INDEX_CHARS else score.text[:INDEX_CHARS] + "…"
            where = f"{name}: {index + 1}" if len(documents) > 1 else str(index + 1)
            items.append(
                f'<li><a href="#{_anchor(number, index)}">{where}: {html.escape(text)}</a> '
                f"<span>({score.certainty:.2f})</span></li>"
            )
    if not items:
        return '<p class="index empty">no uncertain sentences shown</p>'
    return (
        f'<details class="index" open><summary>{_plural(len(items), "uncertain sentence")}'
        f"{' shown' * capped} (links)</summary><ol>{''.join(items)}</ol></details>"
    )


#: The underline of each cue type (see the CSS of ``.cue[data-type~=...]``).
TYPE_MARKS = (
    ("epistemic", "solid"),
    ("doxastic", "dashed"),
    ("investigation", "dotted"),
    ("condition", "double"),
    ("attribution", "wavy"),
    ("low_probability", "thick"),
)


def _legend(threshold: float | None, typed: bool = False) -> str:
    stops = ", ".join(f"{color} {100 * value:g}%" for value, color in COLOR_SCALE)
    marks = [
        f'<span class="label below" style="left:{100 * value:g}%">{value:g}</span>'
        for value in (0, 0.5, 1)
    ]
    if threshold is not None:
        left = f"{100 * threshold:.4g}%"
        marks += [
            f'<span class="tick" style="left:{left}"></span>',
            f'<span class="label above" style="left:{left}">threshold {threshold:.2f}</span>',
        ]
    return (
        '<div class="legend"><div class="scale"><span class="name">uncertain</span>'
        f'<div class="gauge"><div class="bar" style="background:linear-gradient(to right, '
        f'{stops})"></div>{"".join(marks)}</div><span class="name">certain</span></div>'
        '<span class="key"><span class="cue">underlined</span>: hedge cue</span>'
        + "".join(
            f'<span class="key"><span class="cue" data-type="{kind}">{mark}</span>: '
            f"{kind.replace('_', ' ')}</span>"
            for kind, mark in (TYPE_MARKS if typed else ())
        )
        + "</div>"
    )


def _document_meta(document: Document) -> str:
    result = document.verdict()
    meta = f"{_plural(result.sentences, 'sentence')}, {result.uncertain:,} uncertain"
    if result.certainty is not None:
        meta += f" ({_percent(result.uncertain, result.sentences)}), lowest certainty "
        meta += f"{result.certainty:.2f}"
    return meta


def _article(document: Document, number: int, shown: int, limit: int) -> str:
    meta = _document_meta(document)
    paragraphs = _paragraphs(document, number, shown) or ['<p class="empty">no sentences</p>']
    total = document.verdict().sentences
    if shown < total:
        paragraphs.append(
            f'<p class="note">Sentences {shown + 1:,} to {total:,} of this '
            f"document are not shown (the page shows at most {limit:,} sentences, fewer "
            "when they are long).</p>"
        )
    return (
        f'<article id="d{number}"><header><h2>{html.escape(input_name(document.name))}</h2>'
        f'<div class="meta">{meta}</div></header>\n' + "\n".join(paragraphs) + "\n</article>"
    )


def _rest_row(
    name: str, sentences: int, uncertain: int, lowest: float | None, categories: str
) -> str:
    return (
        f"<tr><td>{name}</td><td>{sentences:,}</td><td>{uncertain:,}</td>"
        f"<td>{_percent(uncertain, sentences)}</td>"
        f"<td>{'-' if lowest is None else f'{lowest:.2f}'}</td><td>{categories}</td></tr>"
    )


def _rest(documents: Sequence[Document], unlisted: _Totals) -> str:
    """Return the table that summarizes the documents past the cap.

    ``documents`` get a row each; the ``unlisted`` after them, one row for all.
    """
    rows = []
    for document in documents:
        result = document.verdict()
        rows.append(
            _rest_row(
                html.escape(input_name(document.name)), result.sentences, result.uncertain,
                result.certainty, html.escape(", ".join(result.categories)),
            )
        )  # fmt: skip
    if unlisted.documents:
        rows.append(
            _rest_row(
                f"<i>{_plural(unlisted.documents, 'more document')}</i>", unlisted.sentences,
                unlisted.uncertain, unlisted.certainty,
                html.escape(", ".join(sorted(unlisted.categories))),
            )
        )  # fmt: skip
    count = len(documents) + unlisted.documents
    return (
        f'<section class="rest"><h2>{_plural(count, "more document")}, summarized'
        "</h2><table><thead><tr><th>document</th><th>sentences</th><th>uncertain</th>"
        "<th>share</th><th>lowest certainty</th><th>cue categories</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table></section>"
    )


def _shown_size(score: SentenceScore) -> int:
    """Return what a sentence counts against :data:`MAX_SHOWN_SIZE` when shown in full."""
    return len(score.text) + CUE_SIZE * len(score.cues)


@dataclass
class _Budget:
    """What a page may still show in full: sentences, and their :func:`_shown_size`."""

    sentences: int
    size: int = MAX_SHOWN_SIZE

    def take(self, score: SentenceScore) -> bool:
        """Return whether ``score`` fits, and count it as shown if it does.

        A sentence that does not fit closes the budget: nothing after it is shown.
        """
        if self.sentences > 0 and _shown_size(score) <= self.size:
            self.sentences -= 1
            self.size -= _shown_size(score)
            return True
        self.sentences = 0
        return False


def render_html(
    documents: Iterable[Document],
    *,
    threshold: float | None = None,
    title: str | None = None,
    max_sentences: int = MAX_SENTENCES,
) -> str:
    """Return one self-contained HTML page showing scored documents.

    Each sentence is shaded by its certainty on the scale of :data:`COLOR_SCALE`, with a
    legend; each cue piece is underlined. Hovering, tapping or focusing (Tab) a cue shows
    its category and its contribution to the log-odds of uncertain; a sentence, its label
    and certainty. At the top: a summary (sentences, share of uncertain ones, the most
    frequent cue categories), filters (all, uncertain only, one category; CSS radio
    buttons, no script) and the list of uncertain sentences, each a link to it.
    Paragraphs (text between blank lines) stay paragraphs. The page works from 320 px wide.

    Parameters
    ----------
    documents : iterable of Document
        The documents, in the order to show them (see :func:`score_document`).
    threshold : float, optional
        The model's threshold, marked on the legend.
    title : str, optional
        The page title; by default "Hedge report" and the document's name, for one.
    max_sentences : int, default=MAX_SENTENCES
        Most sentences shown in full. Documents are shown in order until the cap; the one
        that reaches it is cut, and the rest are summarized in a table (sentences,
        uncertain, share, lowest certainty, categories). A note at the top says so. The
        summary always counts every sentence.

    Returns
    -------
    str
        The page. It loads nothing: no script, font, image or style sheet from elsewhere;
        all text is escaped.
    """
    if isinstance(max_sentences, bool) or not isinstance(max_sentences, int) or max_sentences < 1:
        raise ValueError(f"max_sentences must be an int >= 1, got {max_sentences!r}")
    shown_docs: list[Document] = []  # shown in full, each its first ``shown`` sentences
    shown: list[int] = []
    listed: list[Document] = []  # past the cap, a table row each
    unlisted = _Totals()  # past those, one row for all
    totals = _Totals()
    budget, cut_short = _Budget(max_sentences), False
    for index, document in enumerate(documents):
        if not isinstance(document, Document):
            raise TypeError(f"document {index} is {type(document).__name__}, expected Document")
        totals.add(document)
        fits = not listed and len(shown_docs) < max_sentences  # listed: the cap was reached
        count = 0
        while fits and count < len(document.scores) and budget.take(document.scores[count]):
            count += 1
        if fits and (count or not document.verdict().sentences):
            shown_docs.append(document)
            shown.append(count)
            if count < document.verdict().sentences:
                cut_short, budget.sentences = True, 0  # the documents after it show nothing
        elif len(listed) < MAX_SUMMARY_ROWS:
            listed.append(document)
        else:
            unlisted.add(document)
    if title is None:
        title = "Hedge report"
        if totals.documents == 1:
            title += f": {input_name((shown_docs or listed)[0].name)}"
    cut = len(shown_docs)
    capped = sum(shown) < totals.sentences
    note = ""
    if capped:
        note = (
            f'<p class="note">This page shows {sum(shown):,} of the {totals.sentences:,} '
            f"sentences in full (at most {max_sentences:,}, fewer when they are long)."
        )
        if cut_short:
            note += " The last document shown is cut short."
        if cut < totals.documents:
            after = totals.documents - cut
            note += (
                f" The {_plural(after, 'document')} after the first {cut:,} "
                f"{'is' if after == 1 else 'are'} summarized in a table at the end."
            )
        note += (
            " The summary counts every sentence. For every result, use hedge score --format "
            "jsonl or csv, or split the input.</p>\n"
        )
    categories = sorted(
        {cue.category for d, n in zip(shown_docs, shown, strict=True) for s in d.scores[:n]
         for cue in s.cues}
    )  # fmt: skip
    filters, filter_css = _filters(categories)
    body = "\n".join(
        _article(document, number, count, max_sentences)
        for number, (document, count) in enumerate(zip(shown_docs, shown, strict=True))
    )
    rest = _rest(listed, unlisted) + "\n" if cut < totals.documents else ""
    typed = any(s.types for d in shown_docs for s in d.scores)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n<style>\n{_STYLE}{filter_css}</style>\n"
        "</head>\n<body>\n"
        f"<h1>{html.escape(title)}</h1>\n{_summary(totals, threshold)}\n{note}"
        f"{filters}\n{_index(shown_docs, shown, capped)}\n{_legend(threshold, typed)}\n"
        '<p class="help">Each sentence is shaded by the model\'s certainty that it contains '
        "no hedge; hedge cues that pushed it toward uncertain are underlined. Hover over, "
        "tap or tab to a sentence or a cue for details.</p>\n"
        f"<main>\n{body}\n</main>\n{rest}"
        f"<footer>hedge-classifier {html.escape(__version__)}</footer>\n"
        "</body>\n</html>\n"
    )
