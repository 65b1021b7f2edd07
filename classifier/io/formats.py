"""Output of scored sentences and documents: the one output record and its writers.

:class:`Record` is a scored sentence and where it came from; :func:`record_dict` its
JSON object, the fields of ``hedge score --format jsonl`` (and of CSV and TSV, and of
:func:`classifier.dask.score_bag`). :data:`WRITERS` write records as text, JSONL, CSV or
TSV, :func:`write_documents` document records; :func:`write_output` writes to standard
output or atomically to a file; :func:`html_page` renders the HTML report.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, TextIO

from classifier.errors import OutputError
from classifier.model.labels import CERTAIN, UNCERTAIN

if TYPE_CHECKING:
    from classifier.cues.matcher import Cue
    from classifier.model.results import SentenceScore
    from classifier.model.scorer import Scorer

__all__ = [
    "CUE_CLOSE",
    "CUE_OPEN",
    "DOCUMENT_FIELDS",
    "WRITERS",
    "Explanation",
    "RECORD_FORMATS",
    "Record",
    "RecordFormat",
    "columns",
    "cue_status",
    "explain",
    "explanation_lines",
    "explanation_record",
    "own_field",
    "record_dict",
    "write_documents",
    "write_output",
]

#: The formats of sentence records.
RECORD_FORMATS = ("text", "jsonl", "csv", "tsv")
#: Marks around a cue in the text format.
CUE_OPEN, CUE_CLOSE = "[[", "]]"


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why a sentence got its certainty.

    Attributes
    ----------
    log_odds : float
        The model's log-odds of ``uncertain`` for the sentence.
    cues : tuple of (Cue, float)
        Every cue that fired, kept or discarded, with its contribution to ``log_odds``;
        offsets as in the sentence's score.
    """

    log_odds: float
    cues: tuple[tuple[Cue, float], ...]
    added: frozenset[str] = frozenset()  # entries added without retraining (--lexicon)


@dataclass(frozen=True, slots=True)
class Record:
    """One scored sentence and where it came from: the one output record.

    ``doc`` is the document (a file name as given, ``-`` for standard input, or a bag
    item's id), ``sentence`` its 0-based index there, ``line`` the 1-based line with
    ``--lines``, ``score`` the verdict, ``explanation`` why (when asked), ``fields`` a
    table row's row, id and kept columns.
    """

    doc: str
    sentence: int
    line: int | None
    score: SentenceScore
    explanation: Explanation | None = None
    fields: dict[str, object] | None = None  # a table row's row, id and kept columns


def explain(scorer: Scorer, score: SentenceScore) -> Explanation:
    """Explain one scored sentence; cue offsets are shifted like the score's."""
    log_odds = scorer.log_odds(score.text)
    cues = tuple((cue.shifted(score.start), weight) for cue, weight in scorer.explain(score.text))
    return Explanation(log_odds, cues, scorer.added)


def columns(by_lines: bool) -> list[str]:
    """Return the output fields in order."""
    line = ["line"] if by_lines else []
    return [
        "doc",
        "sentence",
        *line,
        "start",
        "end",
        "text",
        "certainty",
        "rating",
        "label",
        "cues",
    ]


def cue_dict(cue: Cue, explanation: Explanation | None) -> dict[str, object]:
    """Return the JSONL object of one cue; with ``contribution`` when explained."""
    fields: dict[str, object] = {
        "text": cue.text,
        "start": cue.start,
        "end": cue.end,
        "category": cue.category,
    }
    if cue.type is not None:
        fields["type"] = cue.type
    if explanation is not None:
        weights = {(c.start, c.end, c.entry): weight for c, weight in explanation.cues}
        fields["contribution"] = weights[cue.start, cue.end, cue.entry]
    return fields


def kind_fields(score: SentenceScore, outputs: frozenset[str]) -> dict[str, object]:
    """Return the ``--with`` fields of a sentence as JSON: ``types`` and/or ``aspects``."""
    fields: dict[str, object] = {}
    if "types" in outputs:
        fields["types"] = list(score.types)
    if "aspects" in outputs:
        fields["aspects"] = {a.aspect: a.record() for a in score.aspects}
    return fields


def aspect_line(score: SentenceScore) -> str:
    """Return the aspects a sentence touches, with the cues of the uncertain ones."""
    parts = []
    for a in score.aspects:
        if a.label != "absent":
            cues = f" ({', '.join(a.cues)})" if a.cues else ""
            parts.append(f"{a.aspect} {a.label} {a.probability:.2f}{cues}")
    return "; ".join(parts) or "none"


def kind_lines(score: SentenceScore, outputs: frozenset[str]) -> list[str]:
    """Return the ``--with`` lines of ``hedge explain``: types by cue, then aspects."""
    lines = []
    if "types" in outputs:
        lines.append("types: " + (", ".join(score.types) or "none"))
        lines.extend(f"  {cue.text}: {cue.type}" for cue in score.cues)
    if "aspects" in outputs:
        lines.append(f"aspects: {aspect_line(score)}")
    return lines


def _cue_label(cue: Cue) -> str:
    """Return a cue's category, and its type when it has one."""
    return cue.category if cue.type is None else f"{cue.category}, {cue.type}"


def _record_parts(
    record: Record, outputs: frozenset[str] = frozenset()
) -> tuple[dict[str, object], dict[str, object]]:
    """Return the JSONL fields of ``record`` before ``sentence`` and after it."""
    score = record.score
    head: dict[str, object] = {"doc": record.doc, **(record.fields or {})}
    tail: dict[str, object] = {} if record.line is None else {"line": record.line}
    tail.update(
        start=score.start,
        end=score.end,
        text=score.text,
        certainty=score.certainty,
        rating=score.rating,
        label=score.label,
        cues=[cue_dict(cue, record.explanation) for cue in score.cues],
    )
    tail.update(kind_fields(score, outputs))
    return head, tail


def record_dict(record: Record, outputs: frozenset[str] = frozenset()) -> dict[str, object]:
    """Return the JSONL object of ``record``, fields in output order."""
    head, tail = _record_parts(record, outputs)
    return {**head, "sentence": record.sentence, **tail}


def _csv_line(values: Iterable[object], delimiter: str) -> str:
    """Return one row of a CSV (or TSV) table, with its line feed."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\n").writerow(values)
    return buffer.getvalue()


def _mark_cues(score: SentenceScore) -> str:
    """Return the sentence with each cue wrapped in ``[[`` and ``]]``.

    A cue inside the gap of a discontinuous one is nested: ``[[chances [[may]] slim]]``.
    """
    marks: list[tuple[int, int, str]] = []  # (position, closing first, mark)
    for cue in score.cues:
        marks.append((cue.start - score.start, 1, CUE_OPEN))
        marks.append((cue.end - score.start, 0, CUE_CLOSE))
    pieces = []
    done = 0
    for position, _, mark in sorted(marks):
        pieces += [score.text[done:position], mark]
        done = position
    pieces.append(score.text[done:])
    return "".join(pieces)


@dataclass(frozen=True)
class RecordFormat:
    """How one output format writes sentence records: a header, each record, a footer.

    A record's text comes cut where its sentence number goes (:meth:`pieces`), so that a
    ``--jobs`` worker can write records whose numbers only the writer knows.

    Attributes
    ----------
    name : str
        ``"text"``, ``"jsonl"``, ``"csv"`` or ``"tsv"``.
    by_lines : bool
        Records carry their line (``--lines``).
    outputs : frozenset of str
        The ``--with`` fields.
    """

    name: str
    by_lines: bool
    outputs: frozenset[str] = frozenset()

    def _table_parts(self, record: Record) -> tuple[dict[str, object], dict[str, object]]:
        from classifier.cues.matcher import format_cues
        from classifier.model.aspects import table_columns

        head, tail = _record_parts(record)
        score = record.score
        tail["cues"] = format_cues(score.cues)
        tail.update(
            table_columns(
                score.types if "types" in self.outputs else None,
                score.aspects if "aspects" in self.outputs else None,
            )
        )
        return head, tail

    def header(self, first: Record | None) -> str:
        """Return what comes before the records: CSV and TSV name the columns of ``first``.

        ``first`` is the first record, None if there is none.
        """
        if self.name not in ("csv", "tsv"):
            return ""
        if first is None:
            return _csv_line(columns(self.by_lines), self._delimiter)
        head, tail = self._table_parts(first)
        names: dict[str, object] = {**head, "sentence": 0, **tail}
        return _csv_line(names, self._delimiter)

    @property
    def _delimiter(self) -> str:
        return "," if self.name == "csv" else "\t"

    def pieces(self, record: Record) -> tuple[str, ...]:
        """Return the text of ``record`` cut where its sentence number goes.

        ``str(record.sentence).join(pieces)`` is the text; a single piece does not show
        the number or has it already.
        """
        if self.name == "text":
            return self._text_pieces(record)
        if self.name == "jsonl":
            head, tail = _record_parts(record, self.outputs)
        else:
            head, tail = self._table_parts(record)
        if "sentence" in head or not head.keys().isdisjoint(tail):  # a kept column's name
            merged = {**head, "sentence": record.sentence, **tail}
            if self.name == "jsonl":
                return (_JSON(merged) + "\n",)
            return (_csv_line(merged.values(), self._delimiter),)
        if self.name == "jsonl":
            return (_JSON(head)[:-1] + ', "sentence": ', ", " + _JSON(tail)[1:] + "\n")
        before = _csv_line([*head.values(), 0], self._delimiter)[:-2]  # without "0\n"
        return (before, _csv_line([0, *tail.values()], self._delimiter)[1:])

    def _text_pieces(self, record: Record) -> tuple[str, ...]:
        score = record.score
        sentence = "\n    ".join(_mark_cues(score).splitlines())
        rest = [f"  {score.label}  {score.certainty:.2f}\n    {sentence}\n"]
        if score.cues:
            cues = "; ".join(f"{cue.text} ({_cue_label(cue)})" for cue in score.cues)
            rest.append(f"    cues: {cues}\n")
        if "aspects" in self.outputs:
            rest.append(f"    aspects: {aspect_line(score)}\n")
        if record.explanation is not None:
            rest += [f"    {line}\n" for line in explanation_lines(record.explanation)]
        rest.append("\n")
        if record.fields:  # a table row: file:line[sentence] and its id and kept columns
            shown = "".join(f"  {k}={v}" for k, v in record.fields.items() if k != "row")
            return f"{record.doc}:{record.fields['row']}[", f"]{shown}" + "".join(rest)
        if self.by_lines:
            return (f"{record.doc}:{record.line}" + "".join(rest),)
        return f"{record.doc}[", "]" + "".join(rest)

    def footer(self, counts: dict[str, int]) -> str:
        """Return what comes after the records: the text format counts ``counts`` of labels."""
        if self.name != "text":
            return ""
        total = sum(counts.values())
        return (
            f"{total} sentence{'s' * (total != 1)}: "
            f"{counts.get(UNCERTAIN, 0)} uncertain, {counts.get(CERTAIN, 0)} certain\n"
        )

    def write(self, out: TextIO, records: Iterable[Record]) -> None:
        """Write the header, each record and the footer."""
        counts = {CERTAIN: 0, UNCERTAIN: 0}
        first = True
        for record in records:
            if first:
                out.write(self.header(record))
                first = False
            counts[record.score.label] = counts.get(record.score.label, 0) + 1
            out.write(str(record.sentence).join(self.pieces(record)))
        if first:
            out.write(self.header(None))
        out.write(self.footer(counts))


_JSON = json.JSONEncoder(ensure_ascii=False).encode


def cue_status(cue: Cue, added: frozenset[str] = frozenset()) -> str:
    """Return whether a cue was kept, and the rule that decided, in words."""
    if cue.entry in added:
        return f"{cue_status(cue)} (added cue)"
    if not cue.kept:
        return f"discarded: {cue.rule}" if cue.rule else "discarded"
    if cue.rule:
        return f"kept: {cue.rule}"
    return "kept: negated" if cue.negated else "kept"


def explanation_lines(explanation: Explanation) -> list[str]:
    """Return the lines explaining one sentence: the log-odds, then one line per cue."""
    from_cues = sum(weight for _, weight in explanation.cues)
    lines = [
        f"log-odds of uncertain {explanation.log_odds:+.3f} = cues {from_cues:+.3f}"
        f" + other features and intercept {explanation.log_odds - from_cues:+.3f}"
    ]
    if not explanation.cues:
        lines.append("no cue fired")
        return lines
    rows = [("cue", "category", "status", "contribution")]
    rows += [
        (cue.text, cue.category, cue_status(cue, explanation.added), f"{weight:+.3f}")
        for cue, weight in explanation.cues
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for text, category, status, weight in rows:
        lines.append(
            f"{text:<{widths[0]}}  {category:<{widths[1]}}  {status:<{widths[2]}}  {weight}"
        )
    return lines


def _writer(name: str) -> Callable[..., None]:
    def write(
        out: TextIO,
        records: Iterable[Record],
        by_lines: bool,
        outputs: frozenset[str] = frozenset(),
    ) -> None:
        RecordFormat(name, by_lines, outputs).write(out, records)

    return write


#: Each writer takes ``(out, records, by_lines, outputs)``; ``outputs`` is ``--with``.
WRITERS: dict[str, Callable[..., None]] = {name: _writer(name) for name in RECORD_FORMATS}


def write_output(output: Path | None, write: Callable[[TextIO], object]) -> None:
    """Call ``write`` with standard output, or with an atomically written UTF-8 file.

    Raises
    ------
    OutputError
        If the file cannot be written; the old file, if any, is left as it was.
    """
    if output is None:
        write(sys.stdout)
        return
    from classifier.io.files import atomic_write

    def write_binary(f: BinaryIO) -> None:
        text = io.TextIOWrapper(f, encoding="utf-8", newline="")
        write(text)
        text.flush()
        text.detach()  # atomic_write closes the file

    try:
        atomic_write(output, write_binary)
    except OSError as err:
        raise OutputError(f"cannot write {output}: {err.strerror or err}") from None


def write_documents(out: TextIO, rows: Iterable[dict[str, Any]], fmt: str) -> None:
    """Write document records as ``fmt``; ``categories`` joined by "; " in a table."""
    if fmt == "jsonl":
        encode = json.JSONEncoder(ensure_ascii=False, allow_nan=False).encode
        out.writelines(encode(row) + "\n" for row in rows)
        return
    if fmt in ("csv", "tsv"):
        writer = csv.writer(out, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        for number, row in enumerate(rows):
            row["categories"] = "; ".join(row["categories"])
            if not number:
                writer.writerow(row)
            writer.writerow(["" if value is None else value for value in row.values()])
        return
    counts: dict[str | None, int] = {CERTAIN: 0, UNCERTAIN: 0, None: 0}
    for row in rows:
        counts[row["label"]] += 1
        where = f"{row['doc']}:{row['row']}" if "row" in row else str(row["doc"])
        where += "".join(f"  {k}={v}" for k, v in row.items() if k not in DOCUMENT_FIELDS)
        if row["label"] is None:
            out.write(f"{where}  no sentences\n")
            continue
        out.write(
            f"{where}  {row['label']}  {row['uncertain']} of {row['sentences']} "
            f"sentences uncertain ({100 * row['uncertain_share']:.1f}%), "
            f"lowest certainty {row['certainty']:.2f}"
            + ("" if row.get("rating") is None else f", lowest rating {row['rating']:.1f}")
            + "\n"
        )
        if row["categories"]:
            out.write(f"    categories: {', '.join(row['categories'])}\n")
    total = sum(counts.values())
    out.write(
        f"{total} document{'s' * (total != 1)}: {counts['uncertain']} uncertain, "
        f"{counts['certain']} certain" + (f", {counts[None]} empty" if counts[None] else "") + "\n"
    )


#: Fields of a document record that the text format shows in words.
DOCUMENT_FIELDS = frozenset(
    {"doc", "row", "certainty", "rating", "uncertain_share", "label", "sentences", "uncertain"}
    | {"categories"}
)


def own_field(name: str) -> bool:
    """Tell whether ``name`` is a field of some output record (sentence, document, --with).

    A table column of that name cannot be repeated in records (``--id-col``,
    ``--keep-col``): one of the two values would be lost.
    """
    return (
        name in DOCUMENT_FIELDS
        or name in columns(by_lines=False)
        or name in ("types", "aspects")
        or name.startswith("aspect_")
    )


def explanation_record(
    clf: Scorer,
    doc: str,
    index: int,
    score: SentenceScore,
    outputs: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """Return the explanation of one sentence as data: the table of ``hedge explain``."""
    explanation = explain(clf, score)
    from_cues = sum(weight for _, weight in explanation.cues)
    types = {(c.start, c.end, c.entry): c.type for c in score.cues}
    record = {
        "doc": doc,
        "sentence": index,
        "start": score.start,
        "end": score.end,
        "text": score.text,
        "certainty": score.certainty,
        "label": score.label,
        "threshold": clf.threshold,
        "log_odds": explanation.log_odds,
        "from_cues": from_cues,
        "from_rest": explanation.log_odds - from_cues,
        "cues": [
            {
                "text": cue.text,
                "start": cue.start,
                "end": cue.end,
                "category": cue.category,
                "kept": cue.kept,
                "status": cue_status(cue, explanation.added),
                "rule": cue.rule,
                "added": cue.entry in explanation.added,
                "contribution": weight,
                **(
                    {"type": types.get((cue.start, cue.end, cue.entry))}
                    if "types" in outputs
                    else {}
                ),
            }
            for cue, weight in explanation.cues
        ],
    }
    record.update(kind_fields(score, outputs))
    return record
