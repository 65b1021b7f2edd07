"""Tests of the HTML report (classifier.report, hedge score --format html) and of the
evaluation plots (classifier.plot, hedge eval --plot)."""

from __future__ import annotations

import io
import re
import struct
import sys
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest

from classifier.cli.main import main
from classifier.model.estimator import CertaintyClassifier
from classifier.report import COLOR_SCALE, Document, render_html, score_document, shade
from tests.corpus import FIRM, HEDGED

#: Elements that have no end tag.
VOID = {"meta", "br", "hr", "img", "link", "input", "source", "wbr", "area", "base", "col"}

TEXT = (
    "Russia annexed Crimea in 2014. The chances of a recovery are slim.\n"
    "\n"
    "The protein may play a role in repair. It binds DNA.\n"
    "\n"
    "\n"
    "Perhaps the effect is indirect.\n"
)
ATTACK = "Note <script>alert('x')</script> may be true. Then <b>bold</b> & \"quoted\" text.\n"


class Node:
    def __init__(self, tag: str, attrs: dict[str, str | None], parent: Node | None) -> None:
        self.tag = tag
        self.attrs = attrs
        self.parent = parent
        self.children: list[Node | str] = []

    @property
    def classes(self) -> list[str]:
        return (self.attrs.get("class") or "").split()

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self):
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.iter()

    def find_all(self, tag: str, cls: str | None = None) -> list[Node]:
        return [n for n in self.iter() if n.tag == tag and (cls is None or cls in n.classes)]

    def ancestors(self) -> list[Node]:
        node, found = self.parent, []
        while node is not None:
            found.append(node)
            node = node.parent
        return found


class TreeBuilder(HTMLParser):
    """A strict little DOM builder: fails on an end tag that does not close the open one."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {}, None)
        self.open = self.root
        self.declarations: list[str] = []

    def handle_decl(self, decl: str) -> None:
        self.declarations.append(decl)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, dict(attrs), self.open)
        self.open.children.append(node)
        if tag not in VOID:
            self.open = node

    def handle_endtag(self, tag: str) -> None:
        assert tag == self.open.tag, f"</{tag}> closes <{self.open.tag}>"
        assert self.open.parent is not None
        self.open = self.open.parent

    def handle_data(self, data: str) -> None:
        self.open.children.append(data)


def parse(page: str) -> Node:
    builder = TreeBuilder()
    builder.feed(page)
    builder.close()
    assert builder.open is builder.root, f"<{builder.open.tag}> never closed"
    assert builder.declarations == ["DOCTYPE html"]
    return builder.root


def normalized(text: str) -> str:
    """Text as an HTML parser reports it: line breaks normalized to line feeds."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


@pytest.fixture(scope="module")
def clf() -> CertaintyClassifier:
    return CertaintyClassifier.load()


@pytest.fixture(scope="module")
def page(clf: CertaintyClassifier) -> str:
    return render_html([score_document(clf, TEXT, name="doc.txt")], threshold=clf.threshold_)


def sentence_spans(root: Node) -> list[Node]:
    return root.find_all("span", "s")


def cue_spans(node: Node) -> list[Node]:
    return node.find_all("span", "cue")


# ---------------------------------------------------------------------- structure
def test_every_sentence_once_in_order(clf, page):
    root = parse(page)
    scores = clf.scorer_.score(TEXT)
    assert len(scores) == 5
    assert [s.text() for s in sentence_spans(root)] == [s.text for s in scores]
    body = root.find_all("main")[0].text()
    for score in scores:
        assert body.count(score.text) == 1


def test_sentence_attributes_and_shading(clf, page):
    scores = clf.scorer_.score(TEXT)
    for span, score in zip(sentence_spans(parse(page)), scores, strict=True):
        assert score.label in span.classes
        assert float(span.attrs["data-certainty"]) == score.certainty
        assert span.attrs["style"] == f"background-color:{shade(score.certainty)}"
        assert span.attrs["title"].startswith(f"{score.label}, certainty {score.certainty:.2f}")


def test_cues_marked_with_category_and_contribution(clf, page):
    root = parse(page)
    scores = clf.scorer_.score(TEXT)
    marked = 0
    for span, score in zip(sentence_spans(root), scores, strict=True):
        cues = cue_spans(span)
        weights = {(c.text, c.category): w for c, w in clf.scorer_.explain(score.text)}
        for cue in score.cues:
            pieces = [c for c in cues if c.attrs["title"].startswith(f"{cue.text}: ")]
            assert pieces, cue
            assert " ... ".join(p.text() for p in pieces) == cue.text
            for piece in pieces:
                assert piece.attrs["data-category"] == cue.category
                title = piece.attrs["title"]
                assert cue.category in title
                assert f"{weights[cue.text, cue.category]:+.2f}" in title
            marked += len(pieces)
        assert len(cues) == sum(len(c.text.split(" ... ")) for c in score.cues)
    assert marked >= 3  # "chances ... are slim" (two pieces) and "may", at least


def test_discontinuous_cue_underlines_only_its_pieces(clf, page):
    root = parse(page)
    span = next(s for s in sentence_spans(root) if s.text().startswith("The chances"))
    assert [c.text() for c in cue_spans(span)] == ["chances", "are slim"]
    gap = " of a recovery "
    assert gap in span.text()
    for cue in cue_spans(span):
        assert gap not in cue.text()


def test_nested_cue_in_a_gap_does_not_cross_tags(clf):
    doc = score_document(clf, "The chances that it may work are slim.")
    root = parse(render_html([doc]))
    texts = [c.text() for c in cue_spans(root.find_all("main")[0])]
    cue_texts = [c.text for c in doc.scores[0].cues]
    assert any(" ... " in t for t in cue_texts), cue_texts
    assert "may" in texts and "chances" in texts


def test_paragraph_breaks_are_kept(clf, page):
    article = parse(page).find_all("article")[0]
    paragraphs = article.find_all("p")
    assert [len(sentence_spans(p)) for p in paragraphs] == [2, 2, 1]
    assert paragraphs[0].text().startswith("Russia annexed")
    assert paragraphs[2].text() == "Perhaps the effect is indirect."


def test_lines_keep_their_line_breaks(clf):
    text = "  It may rain.\r\nThe sky is blue.\n\nPerhaps.\n"
    doc = score_document(clf, text, by_lines=True)
    assert [s.text for s in doc.scores] == ["It may rain.", "The sky is blue.", "Perhaps."]
    assert [text[s.start : s.end] for s in doc.scores] == [s.text for s in doc.scores]
    paragraphs = parse(render_html([doc])).find_all("article")[0].find_all("p")
    assert [normalized(p.text()) for p in paragraphs] == [
        "It may rain.\nThe sky is blue.",
        "Perhaps.",
    ]


def test_summary_counts_and_top_categories(clf, page):
    scores = clf.scorer_.score(TEXT)
    summary = parse(page).find_all("section", "summary")[0]
    text = " ".join(summary.text().split())
    uncertain = sum(s.label == "uncertain" for s in scores)
    assert f"{len(scores)}sentences" in text.replace(" ", "")
    assert f"{uncertain}uncertain ({100 * uncertain / len(scores):.1f}%)" in text
    categories = [li.text() for li in summary.find_all("li")]
    assert categories
    expected = sorted({c.category for s in scores for c in s.cues})
    assert sorted(c.split(" (")[0] for c in categories) == expected[: len(categories)]
    assert f"{clf.threshold_:.2f}" in text


# ---------------------------------------------------------------------- safety
def test_markup_in_the_text_is_shown_never_run(clf):
    name = '<img src=x onerror="alert(1)">.txt'
    page = render_html([score_document(clf, ATTACK, name=name)], title="<title>x</title>")
    root = parse(page)
    tags = {node.tag for node in root.iter()}
    assert not tags & {"script", "img"}
    assert {node.tag for node in root.find_all("main")[0].iter()} == {
        "main",
        "article",
        "header",
        "h2",
        "div",
        "p",
        "span",
    }
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    sentences = [s.text() for s in sentence_spans(root)]
    assert sentences[0] == "Note <script>alert('x')</script> may be true."
    assert sentences[1] == 'Then <b>bold</b> & "quoted" text.'
    assert root.find_all("h2")[0].text() == name
    assert root.find_all("title")[0].text() == "<title>x</title>"


def test_page_loads_nothing_from_elsewhere(page):
    root = parse(page)
    assert not {node.tag for node in root.iter()} & {
        "script",
        "link",
        "img",
        "iframe",
        "object",
        "embed",
        "audio",
        "video",
        "base",
    }
    for node in root.iter():
        assert not {"src", "srcset", "action"} & set(node.attrs), node.tag
        assert node.attrs.get("href", "#").startswith("#"), node.attrs  # links within the page
        assert not any(name.startswith("on") for name in node.attrs), node.tag
    assert not re.search(r"\bsrc\s*=", page)
    assert re.findall(r'\bhref="([^"]*)"', page) == ["#d0-s1", "#d0-s2", "#d0-s4"]
    assert "http" not in page
    assert "url(" not in page and "@import" not in page


def test_a_url_in_the_text_stays_text(clf):
    page = render_html([score_document(clf, "See https://example.org/x for details.")])
    root = parse(page)
    assert root.find_all("a") == []
    assert not re.search(r"\b(src|href)\s*=", page)


# ---------------------------------------------------------------------- api
def test_shade_endpoints_clipping_and_order():
    assert shade(0.0) == COLOR_SCALE[0][1]
    assert shade(1.0) == COLOR_SCALE[-1][1]
    assert shade(-3) == shade(0.0) and shade(7) == shade(1.0)
    for value, color in COLOR_SCALE:
        assert shade(value) == color
    assert shade(0.25) not in (shade(0.0), shade(0.5))


def test_document_rejects_offsets_that_do_not_match(clf):
    doc = score_document(clf, "It may rain. The sky is blue.")
    with pytest.raises(ValueError, match="sentence 1"):
        Document("x", doc.text, (doc.scores[0], replace(doc.scores[1], start=14)))
    with pytest.raises(ValueError, match="contributions"):
        Document("x", doc.text, doc.scores, ((), ()))


def test_render_without_contributions_shows_category(clf):
    doc = score_document(clf, "It may rain.")
    page = render_html([Document("x", doc.text, doc.scores)])
    (cue,) = cue_spans(parse(page).find_all("main")[0])
    assert cue.attrs["title"] == "may: modal"


def test_render_rejects_other_objects(clf):
    with pytest.raises(TypeError, match="document 0"):
        render_html([clf.scorer_.score("It may rain.")])  # type: ignore[list-item]


def test_empty_document(clf):
    root = parse(render_html([score_document(clf, "  \n\n ", name="blank")]))
    assert sentence_spans(root) == []
    assert "no sentences" in root.find_all("article")[0].text()


# ---------------------------------------------------------------------- command line
def test_cli_html_file_and_stdin(tmp_path, capsys, monkeypatch, clf):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    out = tmp_path / "report.html"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"")))
    assert main(["score", "--format", "html", "-o", str(out), str(tmp_path / "a.txt"), "-"]) == 0
    root = parse(out.read_text(encoding="utf-8"))
    articles = root.find_all("article")
    assert [a.find_all("h2")[0].text() for a in articles] == [
        str(tmp_path / "a.txt"),
        "standard input",
    ]
    spans = sentence_spans(articles[0])
    assert [s.text() for s in spans] == [s.text for s in clf.scorer_.score(TEXT)]
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(ATTACK.encode())))
    assert main(["score", "--format", "html"]) == 0
    page = capsys.readouterr().out
    assert "<script>" not in page
    assert len(sentence_spans(parse(page))) == 2


def test_cli_html_lines_and_threshold(tmp_path, capsys):
    doc = tmp_path / "lines.txt"
    doc.write_text("It may rain.\nThe sky is blue.\n", encoding="utf-8")
    assert main(["score", "--format", "html", "--lines", "--threshold", "0.01", str(doc)]) == 0
    root = parse(capsys.readouterr().out)
    spans = sentence_spans(root)
    assert [s.text() for s in spans] == ["It may rain.", "The sky is blue."]
    assert all("certain" in s.classes for s in spans)  # nothing is below 0.01
    assert "threshold 0.01" in root.text()


def test_cli_html_rejects_explain(tmp_path, capsys):
    assert main(["score", "--format", "html", "--explain", "-"]) == 1
    assert "--explain" in capsys.readouterr().err


# ---------------------------------------------------------------------- plots
def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


@pytest.fixture
def labeled(tmp_path) -> Path:
    rows = ["text,label"] + [f'"{s}",uncertain' for s in HEDGED] + [f'"{s}",certain' for s in FIRM]
    path = tmp_path / "labeled.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_plot_evaluation_writes_a_two_panel_png(tmp_path, clf):
    pytest.importorskip("matplotlib")
    from classifier.evaluate import evaluate
    from classifier.plot import DPI, FIGSIZE, evaluation_figure, plot_evaluation

    sentences = HEDGED + FIRM
    labels = ["uncertain"] * len(HEDGED) + ["certain"] * len(FIRM)
    report = evaluate(clf, sentences, labels)
    certainty = clf.scorer_.certainty(sentences)
    figure = evaluation_figure(report, certainty, labels)
    left, right = figure.axes[:2]
    assert "Reliability" in left.get_title() and "Precision-recall" in right.get_title()
    marker = [line for line in right.get_lines() if line.get_label().startswith("threshold")]
    assert len(marker) == 1
    assert list(marker[0].get_xdata()) == [report.recall]
    assert list(marker[0].get_ydata()) == [report.precision]
    png = plot_evaluation(report, certainty, labels, tmp_path / "eval.png")
    assert png_size(png) == (round(FIGSIZE[0] * DPI), round(FIGSIZE[1] * DPI))
    with pytest.raises(ValueError, match="sentences"):
        plot_evaluation(report, certainty[:3], labels, tmp_path / "bad.png")
    with pytest.raises(ValueError, match="confusion matrix"):
        plot_evaluation(report, certainty, labels[::-1], tmp_path / "bad.png")
    with pytest.raises(ValueError, match="label 0"):
        plot_evaluation(report, certainty, ["maybe"] * len(labels), tmp_path / "bad.png")
    assert not (tmp_path / "bad.png").exists()


def test_cli_eval_plot(tmp_path, capsys, labeled):
    pytest.importorskip("matplotlib")
    png = tmp_path / "calibration.png"
    assert main(["eval", str(labeled), "--plot", str(png)]) == 0
    assert "F1" in capsys.readouterr().out
    assert png_size(png)[0] > 1000


def test_cli_eval_plot_without_matplotlib(tmp_path, capsys, labeled, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # makes "import matplotlib" fail
    png = tmp_path / "calibration.png"
    assert main(["eval", str(labeled), "--plot", str(png)]) == 1
    out, err = capsys.readouterr()
    assert out == ""  # failed before evaluating
    assert err.startswith("hedge: error: ") and 'pip install "hedge-classifier[plot]"' in err
    assert len(err.splitlines()) == 1
    assert not png.exists()


# ---------------------------------------------------------------------- any screen, any size
def test_every_detail_is_reachable_by_focus_not_only_hover(page):
    root = parse(page)
    for node in sentence_spans(root) + cue_spans(root.find_all("main")[0]):
        assert node.attrs["tabindex"] == "0"  # keyboard and tap focus it
        assert node.attrs["data-tip"] == node.attrs["title"]  # shown on focus by the CSS
    assert ".s:focus::after, .cue:focus::after { content: attr(data-tip)" in page


def test_index_links_every_uncertain_sentence(clf, page):
    root = parse(page)
    scores = clf.scorer_.score(TEXT)
    index = root.find_all("details", "index")[0]
    links = index.find_all("a")
    uncertain = [i for i, s in enumerate(scores) if s.label == "uncertain"]
    assert [a.attrs["href"] for a in links] == [f"#d0-s{i}" for i in uncertain]
    ids = {node.attrs.get("id") for node in sentence_spans(root)}
    assert all(a.attrs["href"][1:] in ids for a in links)
    assert f"{len(uncertain)} uncertain sentences" in index.text()


def test_filters_are_radio_buttons_with_a_css_rule_each(clf, page):
    root = parse(page)
    inputs = root.find_all("input")
    keys = [node.attrs["id"] for node in inputs]
    categories = sorted({c.category for s in clf.scorer_.score(TEXT) for c in s.cues})
    assert keys == ["show-all", "show-uncertain", *(f"show-c-{c}" for c in categories)]
    assert all(node.attrs["type"] == "radio" and node.attrs["name"] == "show" for node in inputs)
    assert "checked" in inputs[0].attrs
    labels = {node.attrs["for"] for node in root.find_all("label")}
    assert labels == set(keys)
    assert "#show-uncertain:checked ~ main .s.certain { display: none; }" in page
    for category in categories:
        assert f"#show-c-{category}:checked ~ main .s:not(.c-{category})" in page
        sentences = [n for n in sentence_spans(root) if f"c-{category}" in n.classes]
        assert sentences and all(
            any(category in cue.attrs["data-category"] for cue in cue_spans(n)) for n in sentences
        )


def test_a_large_input_is_capped_with_a_note(clf):
    text = "It may rain. The sky is blue. Perhaps it snows.\n\n"
    docs = [score_document(clf, text * 2, name=f"doc{i}.txt") for i in range(5)]
    page = render_html(docs, max_sentences=10)  # 6 sentences a document
    root = parse(page)
    assert len(sentence_spans(root)) == 10
    assert [a.find_all("h2")[0].text() for a in root.find_all("article")] == [
        "doc0.txt",
        "doc1.txt",
    ]
    notes = [" ".join(n.text().split()) for n in root.find_all("p", "note")]
    assert notes[0].startswith(
        "This page shows 10 of the 30 sentences in full (at most 10, fewer when they are "
        "long). The last document shown is cut short. The 3 documents after the first 2 are "
        "summarized in a table at the end."
    )
    assert "Sentences 5 to 6 of this document are not shown (the page shows at most 10" in notes[1]
    shown = [*docs[0].scores, *docs[1].scores[:4]]
    uncertain = sum(score.label == "uncertain" for score in shown)
    index = root.find_all("details", "index")[0]
    assert f"{uncertain} uncertain sentences shown" in index.text()
    assert len(index.find_all("a")) == uncertain
    rest = root.find_all("section", "rest")[0]
    rows = [[td.text() for td in tr.find_all("td")] for tr in rest.find_all("tr")[1:]]
    assert [row[:4] for row in rows] == [[f"doc{i}.txt", "6", "4", "66.7%"] for i in (2, 3, 4)]
    summary = " ".join(root.find_all("section", "summary")[0].text().split())
    assert "30sentences20uncertain(66.7%)" in summary.replace(" ", "")
    # past the cap, a document costs a table row, not its sentences
    more = [score_document(clf, text * 2, name=f"doc{i}.txt") for i in range(50)]
    growth = (len(render_html(more, max_sentences=10)) - len(page)) / 45
    full = (len(render_html(docs)) - len(render_html(docs[:1]))) / 4
    assert growth < full / 3
    with pytest.raises(ValueError, match="max_sentences"):
        render_html(docs, max_sentences=0)


def test_documents_past_the_cap_are_listed_up_to_a_number_then_added_up(clf, monkeypatch):
    from classifier import report

    monkeypatch.setattr(report, "MAX_SUMMARY_ROWS", 2)
    texts = ["It may rain.", "It rained.", "Perhaps.", "It snowed. It might hail.", "Sun."]
    docs = [score_document(clf, text, name=f"doc{i}.txt") for i, text in enumerate(texts)]
    root = parse(render_html(docs, max_sentences=1))
    assert [a.find_all("h2")[0].text() for a in root.find_all("article")] == ["doc0.txt"]
    rest = root.find_all("section", "rest")[0]
    assert "4 more documents, summarized" in rest.text()
    rows = [[td.text() for td in tr.find_all("td")] for tr in rest.find_all("tr")[1:]]
    unlisted = [score for doc in docs[3:] for score in doc.scores]
    uncertain = sum(score.label == "uncertain" for score in unlisted)
    lowest = f"{min(score.certainty for score in unlisted):.2f}"
    assert [row[0] for row in rows] == ["doc1.txt", "doc2.txt", "2 more documents"]
    assert rows[-1][1:3] + rows[-1][4:5] == [str(len(unlisted)), str(uncertain), lowest]
    summary = " ".join(root.find_all("section", "summary")[0].text().split())
    assert "5documents" in summary.replace(" ", "")


def test_empty_documents_shown_are_capped_like_sentences(clf):
    docs = [score_document(clf, "", name=f"empty{i}.txt") for i in range(5)]
    root = parse(render_html([*docs, score_document(clf, "It may rain.")], max_sentences=3))
    assert len(root.find_all("article")) == 3
    assert "3 more documents, summarized" in root.find_all("section", "rest")[0].text()


def test_one_document_summarized_is_one(clf):
    docs = [score_document(clf, "It may rain. It rained.", name=f"d{i}.txt") for i in range(2)]
    notes = parse(render_html(docs, max_sentences=2)).find_all("p", "note")
    note = " ".join(notes[0].text().split())
    assert "The 1 document after the first 1 is summarized in a table at the end." in note


def test_no_note_when_everything_fits(page):
    assert 'class="note"' not in page and 'class="rest"' not in page
