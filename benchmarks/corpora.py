"""The corpora and which part of each may train or only judge: the one place for the splits.

It encodes ``shared/data/SPLITS.md`` (version 2) and the split of the team's own corpus
(``data/corpus``, written to ``shared/GUIDELINE.md``): a sentence's ``fold`` is
md5(id) mod 10 and folds 8-9 only judge, as for the shared corpora. The rule was fixed
before any model was scored on the corpus.

Every training sentence carries its ``domain``: the corpus whose labelling convention it
follows (``bio``, ``wiki``, ``news``, ``reviews``, ``science`` or ``guideline``), and its
``doc``, so that cross-validation folds keep a document's sentences together.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "data"
#: The team's own corpus, written to the guideline.
OWN_CORPUS = REPO / "data" / "corpus"
#: The minimal-pair set of the graded scale (judges only).
MINIMAL_PAIRS = REPO / "data" / "minimal_pairs.jsonl"
#: The real-text corpus labelled to the guideline (data/realtext/README.md): stand-off labels
#: of public-corpus training sentences, and harvested text with its labels.
REALTEXT = REPO / "data" / "realtext"
#: Share of each real-text source's documents that only judge: the documents of a source
#: sorted by md5("<source>:<doc>"), the first ceil(share x documents) judge. Fixed before
#: any model was scored on the corpus.
REALTEXT_JUDGED_SHARE = 0.15

#: Graded ratings (1 uncertain .. 6 certain) at or below this count as uncertain when the
#: graded training split is used as binary training data. The midpoint of the scale.
GRADED_UNCERTAIN_AT_MOST = 3.5
#: Folds (md5(id) mod 10, or the file's ``fold``) that only judge.
JUDGED_FOLDS = frozenset({8, 9})

#: The labelling convention of each training corpus (see SPLITS.md), by domain name.
DOMAINS = {
    "bio": "CoNLL-2010 / BioScope biomedical text",
    "wiki": "Szeged Wikipedia (no weasels)",
    "news": "Szeged FactBank news",
    "reviews": "SFU Review (counts 'or', 'if', 'can')",
    "science": "Pei & Jurgens 2021 science findings (ratings <= 3.5 uncertain)",
    "guideline": "the team's corpus, written to GUIDELINE.md",
}


@dataclass(frozen=True)
class Sentence:
    """One labeled sentence of a corpus."""

    text: str
    label: str | None  # "certain" / "uncertain", None for graded-only data
    cues: tuple[tuple[int, int], ...]
    rating: float | None = None
    domain: str = ""
    doc: str = ""
    cue_types: tuple[str, ...] = ()
    genre: str = ""
    source: str = ""
    id: str = ""


def fold_of(identifier: str) -> int:
    """Return md5(identifier) mod 10, the fold rule of SPLITS.md."""
    return int(hashlib.md5(identifier.encode("utf-8")).hexdigest(), 16) % 10


def _rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _labeled(rows: list[dict], domain: str) -> list[Sentence]:
    return [
        Sentence(
            r["text"],
            r["label"],
            tuple((c[0], c[1]) for c in r.get("cues", [])),
            domain=domain,
            doc=str(r.get("doc_id", r["id"])),
            cue_types=tuple(r.get("cue_types", ())),
            id=r["id"],
        )
        for r in rows
    ]


def _graded(rows: list[dict], binary: bool) -> list[Sentence]:
    return [
        Sentence(
            r["text"],
            ("uncertain" if r["certainty"] <= GRADED_UNCERTAIN_AT_MOST else "certain")
            if binary
            else None,
            (),
            r["certainty"],
            domain="science",
            doc=r["id"],
            id=r["id"],
        )
        for r in rows
    ]


def _folds(rows: list[dict], judged: bool) -> list[dict]:
    return [r for r in rows if (r["fold"] in JUDGED_FOLDS) == judged]


def bio_train(data: Path = DEFAULT_DATA) -> list[Sentence]:
    """Return the CoNLL-2010 bio training data in its Szeged re-annotation (may train).

    The label is ``label_conll_approx`` (uncertain when a cue is not of the investigation
    type) and the cues are those that are not: the convention of the judged bio set, which
    is derived from the Szeged re-annotation in the same way. It has cue types, which the
    BioScope file does not.
    """
    investigation = "speculation_hypo_investigation"
    sentences = []
    for r in _rows(data / "szeged_uncertainty/bio_train_conll2010split.jsonl"):
        kept = [
            (c, t) for c, t in zip(r["cues"], r["cue_types"], strict=True) if t != investigation
        ]
        sentences.append(
            Sentence(
                r["text"],
                r["label_conll_approx"],
                tuple((c[0], c[1]) for c, _ in kept),
                domain="bio",
                doc=r["doc_id"],
                cue_types=tuple(t for _, t in kept),
                id=r["id"],
            )
        )
    return sentences


def wiki_train(data: Path = DEFAULT_DATA) -> list[Sentence]:
    """Return Szeged Wikipedia folds 0-7 (may train)."""
    return _labeled(_folds(_rows(data / "szeged_uncertainty/wiki_all.jsonl"), False), "wiki")


def news_train(data: Path = DEFAULT_DATA) -> list[Sentence]:
    """Return Szeged FactBank folds 0-7 (may train)."""
    rows = _rows(data / "szeged_uncertainty/factbank_all.jsonl")
    return _labeled(_folds(rows, False), "news")


def reviews_train(data: Path = DEFAULT_DATA) -> list[Sentence]:
    """Return SFU Review folds 0-7 (may train)."""
    rows = _rows(data / "sfu_review/sfu_review_speculation.jsonl")
    return _labeled(_folds(rows, False), "reviews")


def graded_train(data: Path = DEFAULT_DATA) -> list[Sentence]:
    """Return Pei & Jurgens graded train and val splits (may train), binarized."""
    rows = _rows(data / "pei_jurgens_2021/sentence_certainty_train.jsonl")
    rows += _rows(data / "pei_jurgens_2021/sentence_certainty_val.jsonl")
    return _graded(rows, binary=True)


def _guideline(r: dict, doc: str, **fields: Any) -> Sentence:
    """Return a row labelled to the guideline (the written or the real-text corpus)."""
    return Sentence(
        r["text"],
        r["label"],
        tuple((c[0], c[1]) for c in r["cues"]),
        float(r["rating"]),
        domain="guideline",
        doc=doc,
        genre=r["genre"],
        **fields,
    )


def _own(judged: bool, corpus: Path) -> list[Sentence]:
    return [
        _guideline(r, r["id"], cue_types=tuple(c[3] for c in r["cues"]))
        for path in sorted(corpus.glob("*.jsonl"))
        for r in _rows(path)
        if (fold_of(r["id"]) in JUDGED_FOLDS) == judged
    ]


def own_train(corpus: Path = OWN_CORPUS) -> list[Sentence]:
    """Return the training part of the team's corpus (folds 0-7)."""
    return _own(False, corpus)


def own_judged(corpus: Path = OWN_CORPUS) -> list[Sentence]:
    """Return the judged part of the team's corpus (folds 8-9; never train or tune on it)."""
    return _own(True, corpus)


#: The shared corpora whose training parts the real-text corpus relabels, by file.
REALTEXT_FILES = (
    "szeged_uncertainty/factbank_all.jsonl",
    "sfu_review/sfu_review_speculation.jsonl",
    "szeged_uncertainty/wiki_all.jsonl",
    "conll2010/conll2010_bio_train.jsonl",
    "pei_jurgens_2021/sentence_certainty_train.jsonl",
    "pei_jurgens_2021/sentence_certainty_val.jsonl",
)


def realtext_rows(data: Path = DEFAULT_DATA, realtext: Path = REALTEXT) -> list[dict]:
    """Return every real-text row with its text: stand-off rows joined to ``data``."""
    texts = {r["id"]: r["text"] for f in REALTEXT_FILES for r in _rows(data / f)}
    rows = [
        {**r, "text": texts[r["corpus_id"]], "id": r["corpus_id"]}
        for r in _rows(realtext / "standoff.jsonl")
    ]
    for path in sorted((realtext / "harvested").glob("*.jsonl")):
        rows += _rows(path)
    return rows


def realtext_judged_docs(rows: list[dict]) -> set[str]:
    """Return the ``"<source>:<doc>"`` keys of the documents that only judge."""
    docs: dict[str, set[str]] = {}
    for r in rows:
        docs.setdefault(r["source"], set()).add(f"{r['source']}:{r['doc']}")
    judged = set()
    for keys in docs.values():
        ordered = sorted(keys, key=lambda k: hashlib.md5(k.encode("utf-8")).hexdigest())
        judged.update(ordered[: math.ceil(REALTEXT_JUDGED_SHARE * len(ordered))])
    return judged


def realtext_parts(
    data: Path = DEFAULT_DATA, realtext: Path = REALTEXT
) -> tuple[list[Sentence], list[Sentence]]:
    """Return the training and the judged part of the real-text corpus, read once."""
    rows = realtext_rows(data, realtext)
    judged_docs = realtext_judged_docs(rows)
    parts: tuple[list[Sentence], list[Sentence]] = ([], [])
    for r in rows:
        doc = f"{r['source']}:{r['doc']}"
        parts[doc in judged_docs].append(_guideline(r, doc, source=r["source"], id=r["id"]))
    return parts


def realtext_train(data: Path = DEFAULT_DATA, realtext: Path = REALTEXT) -> list[Sentence]:
    """Return the training part of the real-text corpus (about 85 % of each source)."""
    return realtext_parts(data, realtext)[0]


def realtext_judged(data: Path = DEFAULT_DATA, realtext: Path = REALTEXT) -> list[Sentence]:
    """Return the judged part of the real-text corpus (never train, tune or read errors on it)."""
    return realtext_parts(data, realtext)[1]


def training_parts(
    data: Path = DEFAULT_DATA, corpus: Path = OWN_CORPUS, realtext: Path = REALTEXT
) -> dict[str, list[Sentence]]:
    """Return every sentence SPLITS.md lets us train on, by domain.

    ``guideline`` holds the real-text training part first, then the team's written corpus.
    A public-corpus sentence whose real-text relabelling only judges is left out of its own
    corpus too, so that no judged sentence is seen in training under any convention.
    """
    realtext_training, realtext_judged_part = realtext_parts(data, realtext)
    held_out = {s.id for s in realtext_judged_part}
    public = {
        "bio": bio_train(data),
        "wiki": wiki_train(data),
        "news": news_train(data),
        "reviews": reviews_train(data),
        "science": graded_train(data),
    }
    parts = {name: [s for s in part if s.id not in held_out] for name, part in public.items()}
    parts["guideline"] = realtext_training + own_train(corpus)
    return parts


def training_sentences(data: Path = DEFAULT_DATA, corpus: Path = OWN_CORPUS) -> list[Sentence]:
    """Return every sentence SPLITS.md lets us train on."""
    return [s for part in training_parts(data, corpus).values() for s in part]


def evaluation_sets(
    data: Path = DEFAULT_DATA, corpus: Path = OWN_CORPUS
) -> dict[str, list[Sentence]]:
    """Return the judged sets of SPLITS.md and of our corpus, by name (never train on these)."""
    wiki = _rows(data / "szeged_uncertainty/wiki_all.jsonl")
    news = _rows(data / "szeged_uncertainty/factbank_all.jsonl")
    reviews = _rows(data / "sfu_review/sfu_review_speculation.jsonl")
    return {
        "realtext": realtext_judged(data),
        "guideline": own_judged(corpus),
        "bio": _labeled(_rows(data / "conll2010/conll2010_bio_eval_approx.jsonl"), "bio"),
        "wiki": _labeled(_folds(wiki, True), "wiki"),
        "news": _labeled(_folds(news, True), "news"),
        "reviews": _labeled(_folds(reviews, True), "reviews"),
        "wiki-original": _labeled(
            _rows(data / "conll2010_wiki_sample/conll2010_wiki_sample_pattern.jsonl"), "wiki"
        ),
        "graded": _graded(_rows(data / "pei_jurgens_2021/sentence_certainty_test.jsonl"), False),
    }


def minimal_pairs(path: Path = MINIMAL_PAIRS) -> list[list[tuple[str, float]]]:
    """Return the minimal-pair groups: each a list of (text, guideline rating)."""
    return [[(i["text"], float(i["rating"])) for i in r["items"]] for r in _rows(path)]


#: Pei & Jurgens' aspect names and judgments as ours (classifier.model.aspects).
ASPECT_NAMES = {
    "Number": "number",
    "Extent": "extent",
    "Probability": "probability",
    "Condition": "condition",
    "Suggestion": "suggestion",
    "Framing": "framing",
}
ASPECT_JUDGMENTS = {"Certain": "certain", "Uncertain": "uncertain", "NotPresent": "absent"}


@dataclass(frozen=True)
class TypedSentence:
    """A sentence with its annotated cues as ``(start, end, type)``, types as in cuetypes."""

    text: str
    cues: tuple[tuple[int, int, str], ...]
    corpus: str


def _szeged_typed(rows: list[dict], corpus: str) -> list[TypedSentence]:
    from classifier.model.cuetypes import SZEGED_TYPES

    return [
        TypedSentence(
            r["text"],
            tuple(
                (c[0], c[1], SZEGED_TYPES[t])
                for c, t in zip(r["cues"], r["cue_types"], strict=True)
            ),
            corpus,
        )
        for r in rows
    ]


def typed_cues_train(data: Path = DEFAULT_DATA, corpus: Path = OWN_CORPUS) -> list[TypedSentence]:
    """Return the cue-typed sentences that may train.

    Bio train (all its cues, investigation too), wiki and FactBank folds 0-7, our corpus
    folds 0-7.
    """
    szeged = data / "szeged_uncertainty"
    typed = _szeged_typed(_rows(szeged / "bio_train_conll2010split.jsonl"), "bio")
    typed += _szeged_typed(_folds(_rows(szeged / "wiki_all.jsonl"), False), "wiki")
    typed += _szeged_typed(_folds(_rows(szeged / "factbank_all.jsonl"), False), "news")
    for path in sorted(corpus.glob("*.jsonl")):
        for r in _rows(path):
            if fold_of(r["id"]) not in JUDGED_FOLDS:
                cues = tuple((c[0], c[1], c[3]) for c in r["cues"])
                typed.append(TypedSentence(r["text"], cues, "guideline"))
    return typed


def typed_cues_judged(data: Path = DEFAULT_DATA) -> dict[str, list[TypedSentence]]:
    """Return the judged cue-typed sets: wiki and FactBank folds 8-9 (never train on these)."""
    szeged = data / "szeged_uncertainty"
    return {
        "wiki": _szeged_typed(_folds(_rows(szeged / "wiki_all.jsonl"), True), "wiki"),
        "news": _szeged_typed(_folds(_rows(szeged / "factbank_all.jsonl"), True), "news"),
    }


def aspect_split(split: str, data: Path = DEFAULT_DATA) -> list[tuple[str, dict[str, str]]]:
    """Return Pei & Jurgens aspect sentences of ``split`` with our aspect judgments.

    ``train`` and ``val`` may train; ``test`` only judges.
    """
    return [
        (
            r["text"],
            {ASPECT_NAMES[a]: ASPECT_JUDGMENTS[j] for a, j in r["aspects"].items()},
        )
        for r in _rows(data / "pei_jurgens_2021/aspect_certainty_all.jsonl")
        if r["split"] == split
    ]


def aspect_train(data: Path = DEFAULT_DATA) -> list[tuple[str, dict[str, str]]]:
    """Return the aspect sentences that may train (splits train and val)."""
    return aspect_split("train", data) + aspect_split("val", data)
