"""Robustness of the library API on hostile input: any text, odd containers, bad lexicons.

Each test pins one kind of bad input to what the product does with it: works and keeps
its invariants, or raises a documented error that names what was wrong and where.
"""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from classifier import CertaintyClassifier
from classifier.cues.lexicon import LexiconEntry, load_lexicon, parse_lexicon
from classifier.cues.matcher import Match
from classifier.cues.rules import false_friend_owners, quotation_flags
from classifier.errors import LexiconError
from classifier.text.sentences import INVISIBLE_SPACES, MAX_SENTENCE_CHARS, split_sentences

HEADER = "cue\tcategory\tweight\tnote"

# Modest budgets: the whole file must stay fast. derandomize keeps CI reproducible.
PROPERTY = settings(max_examples=150, deadline=None, derandomize=True)


@pytest.fixture(scope="module")
def clf():
    return CertaintyClassifier.load()


# --- invariants ----------------------------------------------------------------------


def assert_valid_scores(text, scores):
    """The contract of ``score``: ordered, exact, in-range results."""
    position = 0
    for s in scores:
        assert position <= s.start < s.end <= len(text), (position, s.start, s.end)
        assert text[s.start : s.end] == s.text
        assert s.text == s.text.strip()
        assert isinstance(s.certainty, float)
        assert math.isfinite(s.certainty) and 0.0 <= s.certainty <= 1.0
        assert s.label in ("certain", "uncertain")
        for cue in s.cues:
            assert s.start <= cue.start < cue.end <= s.end, (s, cue)
            if " ... " not in cue.entry:  # a single-piece cue is one stretch of text
                assert text[cue.start : cue.end] == cue.text, (s, cue)
        position = s.end
    # nothing but whitespace (or invisible spaces) is left out of the sentences
    covered = [(s.start, s.end) for s in scores]
    ends = [0] + [end for _, end in covered]
    gaps = zip(ends, [start for start, _ in covered] + [len(text)], strict=True)
    assert all(is_blank(text[a:b]) for a, b in gaps)


def is_blank(text):
    return not "".join(c for c in text if c not in INVISIBLE_SPACES).strip()


def assert_scores_text(clf, text):
    scores = clf.scorer_.score(text)
    assert_valid_scores(text, scores)
    assert clf.scorer_.score(text) == scores  # deterministic
    return scores


# --- any text --------------------------------------------------------------------------

#: Pieces that stress the splitter, the tokenizer and the rules, and characters from
#: every corner of Unicode: controls, NUL, lone surrogates, emoji with modifiers and
#: flags, right-to-left scripts and marks, combining marks, a byte order mark, U+0130
#: (whose lowercase is two characters), line and paragraph separators.
NASTY_PIECES = [
    "may", "May", "might", "It", "the", "chances", "are", "slim", "not", "no", "doubt",
    "sure", "military", "suggested", "visiting", "likely", "voters", "in", "2020",
    "Dr.", "Gen.", "e.g.", "Fig.", "U.S.", "et al.", "3.5", "etc.", ".", "?", "!", "...",
    '"', "'", "\u201c", "\u201d", "\u2018", "\u2019", "\u00ab", "\u00bb", ",", ";", ":",
    "(", ")", " ", "  ", "\t", "\n", "\n\n", "\r\n", "\r\n\r\n", "\r", "\r\r", "\x00",
    "\x07", "\x1b", "\x7f", "\x85", "\ud800", "\udfff", "\ud83d", "\ufeff", "\u200b",
    "\u200f", "\u202e", "\u2028", "\u2029", "\u0301", "\u0301\u0301", "\U0001f600",
    "\U0001f44d\U0001f3fd", "\U0001f1eb\U0001f1f7", "\u05e9\u05dc\u05d5\u05dd",
    "\u0642\u062f \u064a\u0643\u0648\u0646", "\u0130", "\u0130stanbul", "\ufb01",
    "\u1e9e", "\u00a0", "\u3002", "\uff0e",
]  # fmt: skip
ANY_CHARACTER = st.one_of(
    st.characters(), st.characters(categories=["Cs"]), st.characters(max_codepoint=0x7F)
)
TEXT = st.one_of(
    st.lists(st.sampled_from(NASTY_PIECES), max_size=80).map("".join),
    st.lists(st.sampled_from(NASTY_PIECES), max_size=30).map(" ".join),
    st.text(ANY_CHARACTER, max_size=300),
)


@PROPERTY
@given(TEXT)
def test_score_keeps_its_contract_on_any_text(clf, text):
    assert_scores_text(clf, text)


@PROPERTY
@given(TEXT)
def test_split_sentences_matches_score(clf, text):
    sentences = split_sentences(text)
    assert [(s.text, s.start, s.end) for s in sentences] == [
        (s.text, s.start, s.end) for s in clf.scorer_.score(text)
    ]


@PROPERTY
@given(st.lists(TEXT, max_size=8))
def test_sentence_lists_give_probabilities_and_scores(clf, sentences):
    proba = clf.predict_proba(sentences)
    assert proba.shape == (len(sentences), 2)
    assert np.all(np.isfinite(proba)) and np.all((proba >= 0) & (proba <= 1))
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    scores = clf.scorer_.score_sentences(sentences)
    assert [s.text for s in scores] == sentences
    for sentence, s, p in zip(sentences, scores, proba[:, 0], strict=True):
        assert (s.start, s.end) == (0, len(sentence))
        assert s.certainty == pytest.approx(p)
        for cue in s.cues:
            assert 0 <= cue.start < cue.end <= len(sentence)
            if " ... " not in cue.entry:
                assert sentence[cue.start : cue.end] == cue.text
    # one at a time gives the same as all together
    singles = [clf.predict_proba([s])[0] for s in sentences]
    np.testing.assert_allclose(np.reshape(singles, (-1, 2)), proba)


NASTY_TEXTS = {
    "empty": "",
    "whitespace only": " \t\n \r\n\u00a0\u2028 \n",
    "control characters": "It may\x07 rain.\x1b[31m Red.\x7f\x00 Done.",
    "NUL only": "\x00" * 50,
    "lone surrogates": "It \ud800 may rain. \udfff Sure. \ud83d",
    "emoji": "It \U0001f600 may rain \U0001f44d\U0001f3fd. Done \U0001f1eb\U0001f1f7.",
    "right to left": "\u0642\u062f \u064a\u0643\u0648\u0646. It may. \u05e9\u05dc\u05d5\u05dd. "
    "\u202eIt might\u202c rain.",
    "combining marks": "Ca\u0301fe\u0301 may\u0301 rain. \u0301\u0301 ok. ma\u0308y be.",
    "CRLF line ends": "It may rain.\r\n\r\nIt rained.\r\nPerhaps.\r\n",
    "CR line ends": "It may rain.\r\rIt rained.\rPerhaps.\r",
    "byte order mark": "\ufeffIt may rain. It rained.",
    "byte order mark only": "\ufeff",
    "dotted capital I": "\u0130stanbul may be large. \u0130\u0130\u0130 might. May \u0130.",
    "ligatures": "\ufb01ne, it may. \u1e9e might.",
    "only punctuation": ".?!...\u3002\"'()" * 20,
    "unbalanced quotes": '"It may rain. ' * 30 + "\u201cperhaps. " * 30,
}


@pytest.mark.parametrize("text", NASTY_TEXTS.values(), ids=NASTY_TEXTS.keys())
def test_score_keeps_its_contract_on_nasty_text(clf, text):
    assert_scores_text(clf, text)


@pytest.mark.parametrize(
    "text",
    ["", " \n\t ", "\r\n\r\n", "\ufeff", "\ufeff \u2028\u200b\n\n\u2060"],
    ids=["empty", "spaces", "CRLF", "BOM", "invisible"],
)
def test_empty_and_blank_text_have_no_sentence(clf, text):
    assert clf.scorer_.score(text) == []


def test_crlf_and_cr_split_like_lf(clf):
    lf = "It may rain.\n\nIt rained.\nPerhaps."
    for other in (lf.replace("\n", "\r\n"), lf.replace("\n", "\r")):
        scores = clf.scorer_.score(other)
        assert [s.text for s in scores] == [s.text for s in clf.scorer_.score(lf)]
        assert [s.certainty for s in scores] == [s.certainty for s in clf.scorer_.score(lf)]


def test_a_byte_order_mark_is_left_out_of_the_sentence(clf):
    plain = clf.scorer_.score("It may rain. It rained.")
    marked = clf.scorer_.score("\ufeffIt may rain. It rained.\u200b")
    assert [s.text for s in marked] == [s.text for s in plain]
    assert [s.start for s in marked] == [s.start + 1 for s in plain]
    assert [s.certainty for s in marked] == [s.certainty for s in plain]
    assert [(c.text, c.start) for c in marked[0].cues] == [("may", 4)]


def test_one_megabyte_sentence_without_punctuation(clf):
    text = "the protein binds the receptor " * 33_000  # ~1 MB, no sentence end
    assert len(text) > 1_000_000
    scores = assert_scores_text(clf, text)  # split at the hard cap, at white space
    assert all(len(s.text) <= MAX_SENTENCE_CHARS for s in scores) and len(scores) > 1
    assert {s.label for s in scores} == {"certain"}
    (whole,) = clf.scorer_.score_sentences([text])  # one sentence as given: no cap
    assert whole.label == "certain"


def test_one_hundred_thousand_mays(clf):
    text = "may " * 100_000
    (score,) = clf.scorer_.score_sentences([text.rstrip()])  # one sentence as given: no cap
    assert_valid_scores(text, [score])
    assert len(score.cues) == 100_000
    assert score.certainty < 0.01 and score.label == "uncertain"


def in_quotation(words, first):
    """The definition quotation_flags computes in one pass: count the quotes before."""
    before = words[:first]
    if before.count('"') % 2 == 1:
        return True
    return any(before.count(a) > before.count(b) for a, b in (("“", "”"), ("«", "»")))


def false_friend(match, false_friends):
    """The definition false_friend_owners serves: the first friend sharing a token."""
    for friend in false_friends:
        if not friend.tokens().isdisjoint(match.tokens()):
            return friend.entry.cue
    return None


@PROPERTY
@given(st.lists(st.sampled_from(["may", "x", '"', "\u201c", "\u201d", "\u00ab", "\u00bb"])))
def test_quotation_flags_agree_with_in_quotation(words):
    assert quotation_flags(words) == [in_quotation(words, i) for i in range(len(words))]


SPANS = st.lists(
    st.tuples(st.integers(0, 30), st.integers(1, 3)).map(lambda p: (p[0], p[0] + p[1])),
    min_size=1,
    max_size=2,
).map(lambda spans: tuple(sorted(set(spans))))


@PROPERTY
@given(st.lists(SPANS, max_size=6), st.lists(SPANS, min_size=1, max_size=6))
def test_false_friend_owners_agree_with_false_friend(friend_pieces, match_pieces):
    entry = LexiconEntry("military might", "false_friend", 1.0, (("military", "might"),), "x")
    friends = [Match(entry, pieces) for pieces in friend_pieces]
    owners = false_friend_owners(friends)
    for pieces in match_pieces:
        match = Match(entry, pieces)
        covering = [owners[t] for t in match.tokens() if t in owners]
        fast = friends[min(covering)].entry.cue if covering else None
        assert fast == false_friend(match, friends)


def test_many_cues_and_false_friends_in_one_sentence_are_all_judged(clf):
    unit = '"may" \u201cmight\u201d military might, it may rain '
    text = unit * 2_000
    (score,) = clf.scorer_.score_sentences([text.rstrip()])  # one sentence as given: no cap
    assert_valid_scores(text, [score])
    assert [c.text for c in score.cues] == ["may", "might", "may"] * 2_000
    first = [c.start for c in score.cues[:3]]
    assert [c.start for c in score.cues] == [
        start + k * len(unit) for k in range(2_000) for start in first
    ]
    judged = clf.scorer_.explain(text)
    assert [(c.quoted, c.kept) for c, _ in judged] == [
        (True, True),
        (True, True),
        (False, False),
        (False, True),
    ] * 2_000


# --- API input checks --------------------------------------------------------------


@pytest.mark.parametrize(
    "method", ["predict_proba", "predict", "decision_function", "scorer_.score_sentences"]
)
@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("It may rain.", "str object received"),
        (b"It may rain.", "bytes object received"),
        (None, "NoneType received"),
        (42, "int received"),
        (["It may rain.", None], "sentence 1 is NoneType, expected str"),
        (["It may rain.", "Yes.", 3.5], "sentence 2 is float, expected str"),
        ([7], "sentence 0 is int, expected str"),
        (["ok", b"It may rain."], "sentence 1 is bytes, expected str"),
        ([["It may rain."]], "sentence 0 is list, expected str"),
        (np.array([["a", "b"]]), "ndarray"),
        (np.array([b"It may rain."]), "sentence 0 is bytes_, expected str"),
        (np.array(["ok", None], dtype=object), "sentence 1 is NoneType, expected str"),
    ],
    ids=[
        "bare str", "bare bytes", "None", "int", "None item", "float item", "int item",
        "bytes item", "nested list", "2-D array", "bytes array", "object array with None",
    ],
)  # fmt: skip
def test_bad_sentence_containers_raise_type_error_naming_index_and_type(clf, method, bad, message):
    target = clf
    for name in method.split("."):
        target = getattr(target, name)
    with pytest.raises(TypeError, match=message):
        target(bad)


@pytest.mark.parametrize("bad", [None, b"It may rain.", 42, ["It may rain."]])
def test_score_takes_only_str(clf, bad):
    with pytest.raises(TypeError, match=f"text must be str, got {type(bad).__name__}"):
        clf.scorer_.score(bad)


def test_explain_takes_only_str(clf):
    with pytest.raises(TypeError, match="sentence must be str, got bytes"):
        clf.scorer_.explain(b"It may rain.")


SENTENCES = ["It may rain tomorrow.", "The sky is blue.", "", "\ufeff\u0130 might."]


def assert_same_as_list(clf, make):
    """``make()`` returns a fresh container holding SENTENCES."""
    np.testing.assert_array_equal(clf.predict_proba(make()), clf.predict_proba(SENTENCES))
    np.testing.assert_array_equal(clf.predict(make()), clf.predict(SENTENCES))
    assert clf.scorer_.score_sentences(make()) == clf.scorer_.score_sentences(SENTENCES)


def test_numpy_array_of_strings_works_like_a_list(clf):
    assert_same_as_list(clf, lambda: np.array(SENTENCES))
    assert_same_as_list(clf, lambda: np.array(SENTENCES, dtype=object))


def test_tuples_and_generators_work_like_a_list(clf):
    assert_same_as_list(clf, lambda: tuple(SENTENCES))
    assert_same_as_list(clf, lambda: (s for s in SENTENCES))


def test_pandas_series_of_strings_works_like_a_list(clf):
    pd = pytest.importorskip("pandas")
    assert_same_as_list(clf, lambda: pd.Series(SENTENCES))
    assert_same_as_list(clf, lambda: pd.Series(SENTENCES, index=[10, 3, 7, 1]))
    assert_same_as_list(clf, lambda: pd.Series(SENTENCES, dtype="string"))
    assert_same_as_list(clf, lambda: pd.DataFrame({"text": SENTENCES})["text"])


def test_pandas_missing_value_is_named(clf):
    pd = pytest.importorskip("pandas")
    with pytest.raises(TypeError, match="sentence 1 is NAType, expected str"):
        clf.predict_proba(pd.Series(["It may rain.", None], dtype="string"))
    with pytest.raises(TypeError, match="sentence 0 is float, expected str"):
        clf.predict_proba(pd.Series([float("nan"), "It may rain."]))


def test_a_dataframe_is_rejected_not_read_as_its_column_names(clf):
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"text": ["It may rain.", "It rained.", "Perhaps."]})
    with pytest.raises(TypeError, match="DataFrame"):
        clf.predict_proba(frame)


def test_empty_containers_give_empty_results(clf):
    for empty in ([], (), np.array([], dtype=str)):
        assert clf.predict_proba(empty).shape == (0, 2)
        assert clf.predict(empty).shape == (0,)
        assert clf.scorer_.score_sentences(empty) == []


# --- custom lexicons -----------------------------------------------------------------


def write_lexicon(folder, text, name="custom.tsv"):
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_bytes(text.encode("utf-8"))
    return path


def lexicon_text(*lines, newline="\n"):
    return newline.join(["# a custom lexicon", HEADER, *lines]) + newline


GOOD = ("may\tmodal\t0.9\tjudgment", "perhaps\tepistemic_adverb\t0.8\tjudgment")


@pytest.mark.parametrize(
    ("line", "where"),
    [
        ("may\tmodal\t0.9", ":3: expected 4 tab-separated fields"),
        ("may\tmodal\t0.9\tnote\textra", ":3: expected 4 tab-separated fields"),
        ("may modal 0.9 note", ":3: expected 4 tab-separated fields"),
        ("may\tmodals\t0.9\tnote", ":3:category: unknown category 'modals'"),
        ("may\tMODAL\t0.9\tnote", ":3:category: unknown category 'MODAL'"),
        ("may\tmodal\thigh\tnote", ":3:weight: 'high' is not a number"),
        ("may\tmodal\t\tnote", ":3:weight: '' is not a number"),
        ("may\tmodal\t 0.9\tnote", ":3:weight: ' 0.9' is not a number"),
        ("may\tmodal\t0_9\tnote", ":3:weight: '0_9' is not a number"),
        ("may\tmodal\t\u0660.\u0669\tnote", ":3:weight: '\u0660.\u0669' is not a number"),
        ("may\tmodal\t1.5\tnote", ":3:weight: '1.5' is not in \\[0, 1\\]"),
        ("may\tmodal\t-0.1\tnote", ":3:weight: '-0.1' is not in \\[0, 1\\]"),
        ("may\tmodal\tnan\tnote", ":3:weight: 'nan' is not in \\[0, 1\\]"),
        ("may\tmodal\tinf\tnote", ":3:weight: 'inf' is not in \\[0, 1\\]"),
        ("\tmodal\t0.9\tnote", ":3:cue: empty cue"),
        (" \tmodal\t0.9\tnote", ":3:cue: empty cue"),
        ("may  be\tmodal\t0.9\tnote", ":3:cue: 'may  be' has stray spaces"),
        ("may\u00a0be\tmodal\t0.9\tnote", ":3:cue: 'may\\\\xa0be' has stray spaces"),
        ("ma\x00y\tmodal\t0.9\tnote", ":3:cue: .* has a control or other unprintable"),
        ("\ufeffmay\tmodal\t0.9\tnote", ":3:cue: .* has a control or other unprintable"),
        ("May\tmodal\t0.9\tnote", ":3:cue: 'May' must be lowercase"),
        ("...\tmodal\t0.9\tnote", ":3:cue: '...': '...' must stand between two words"),
        ("chances ...\tmodal\t0.9\tnote", ":3:cue: .* must stand between two words"),
    ],
)
def test_malformed_lexicon_lines_name_file_line_and_field(tmp_path, line, where):
    path = write_lexicon(tmp_path / "lex", lexicon_text(line))
    with pytest.raises(LexiconError, match=f"^{path}{where}"):
        load_lexicon(path.parent)


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (["may\tmodal\t0.9\ta", "may\tmodal\t0.8\tb"], ":4:cue: duplicate cue 'may' .first at "),
        (
            ["don't know\tdoubt\t0.9\ta", "don\u2019t know\tdoubt\t0.9\tb"],
            ":4:cue: duplicate cue 'don\u2019t know': the same words as \"don't know\" at ",
        ),
    ],
    ids=["same cue", "same words"],
)
def test_duplicate_cues_are_rejected(tmp_path, lines, message):
    path = write_lexicon(tmp_path / "lex", lexicon_text(*lines))
    with pytest.raises(LexiconError, match=f"^{path}{message}{path}:3"):
        load_lexicon(path.parent)


def test_a_cue_repeated_in_another_file_is_rejected(tmp_path):
    write_lexicon(tmp_path / "lex", lexicon_text(GOOD[0]), "a.tsv")
    second = write_lexicon(tmp_path / "lex", lexicon_text(GOOD[0]), "b.tsv")
    with pytest.raises(LexiconError, match=f"^{second}:3:cue: duplicate cue 'may'"):
        load_lexicon(tmp_path / "lex")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", ":1: no header line"),
        ("# only a comment\n", ":1: no header line"),
        ("may\tmodal\t0.9\tnote\n", ":1: expected the header"),
        ("Cue\tCategory\tWeight\tNote\n", ":1: expected the header"),
        ("cue\tcategory\tweight\n", ":1: expected the header"),
    ],
    ids=["empty file", "comments only", "no header", "capitalized header", "short header"],
)
def test_missing_or_wrong_header_is_rejected(tmp_path, text, message):
    path = write_lexicon(tmp_path / "lex", text)
    with pytest.raises(LexiconError, match=f"^{path}{message}"):
        load_lexicon(path.parent)


def test_invalid_utf8_lexicon_is_rejected(tmp_path):
    path = write_lexicon(tmp_path / "lex", lexicon_text(*GOOD))
    path.write_bytes(path.read_bytes().replace(b"perhaps", b"perh\xe4ps"))
    with pytest.raises(LexiconError, match=f"^{path}: not UTF-8"):
        load_lexicon(path.parent)


def test_missing_or_empty_lexicon_directory_is_rejected(tmp_path):
    with pytest.raises(LexiconError, match="not a directory"):
        load_lexicon(tmp_path / "absent")
    (tmp_path / "empty").mkdir()
    with pytest.raises(LexiconError, match=r"no \*\.tsv lexicon file"):
        load_lexicon(tmp_path / "empty")


@pytest.mark.parametrize(
    "text",
    [
        "\ufeff" + lexicon_text(*GOOD),
        "\ufeff" + lexicon_text(*GOOD)[len("# a custom lexicon\n") :],
        lexicon_text(*GOOD, newline="\r\n"),
        lexicon_text(*GOOD, newline="\r"),
        "\ufeff" + lexicon_text(*GOOD, newline="\r\n"),
        lexicon_text(*GOOD).rstrip("\n"),
        lexicon_text(GOOD[0], "", "\t\t\t", "# between", GOOD[1]),
    ],
    ids=["BOM", "BOM before header", "CRLF", "CR", "BOM and CRLF", "no final newline", "blanks"],
)
def test_bom_and_line_ends_are_accepted(tmp_path, text):
    path = write_lexicon(tmp_path / "lex", text)
    expected = load_lexicon(write_lexicon(tmp_path / "clean", lexicon_text(*GOOD)).parent)
    assert load_lexicon(path.parent).digest() == expected.digest()


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85", "\x0c", "\x0b", "\x1e"])
def test_unicode_line_separators_inside_a_note_end_no_line(tmp_path, separator):
    text = lexicon_text(f"may\tmodal\t0.9\tsee{separator}p. 3", "might\tmodal\tbad\tnote")
    path = write_lexicon(tmp_path / "lex", text)
    with pytest.raises(LexiconError, match=f"^{path}:4:weight: 'bad'"):
        load_lexicon(path.parent)


def test_parse_lexicon_takes_lines_with_their_line_ends():
    lines = ["\ufeff# comment\r\n", HEADER + "\r\n", GOOD[0] + "\r\n", GOOD[1] + "\n"]
    assert [e.cue for e in parse_lexicon(lines, "x.tsv")] == ["may", "perhaps"]
    assert [e.where for e in parse_lexicon(lines, "x.tsv")] == ["x.tsv:3", "x.tsv:4"]


@PROPERTY
@given(st.lists(st.text(ANY_CHARACTER, max_size=40), max_size=6))
def test_parse_lexicon_raises_only_lexicon_error(lines):
    try:
        entries = parse_lexicon([HEADER, *lines], "fuzz.tsv")
    except LexiconError as err:
        assert str(err).startswith("fuzz.tsv:")
        return
    for entry in entries:
        assert 0.0 <= entry.weight <= 1.0
        assert entry.parts and all(entry.parts)
        assert entry.cue.isprintable()


def test_custom_lexicon_with_bom_and_crlf_trains_and_scores(tmp_path):
    path = write_lexicon(tmp_path / "lex", "\ufeff" + lexicon_text(*GOOD, newline="\r\n"))
    sentences = [f"It may rain on day {i}." for i in range(6)]
    sentences += [f"It rained on day {i}." for i in range(6)]
    labels = ["uncertain"] * 6 + ["certain"] * 6
    clf = CertaintyClassifier(lexicon=path.parent, C=1.0, threshold=0.5, cv=2, min_df=1)
    clf.fit(sentences, labels)
    (score,) = clf.scorer_.score("Perhaps it may rain.")
    assert [c.text for c in score.cues] == ["Perhaps", "may"]


# --- labeled data files (classifier.io.labeled) -------------------------------------------
# Findings of fuzzing ``read_labeled`` (fuzz/README.md): each must raise DataError naming
# the file and line.

DATA_BUGS = {
    "deeply nested JSON array": ("data.json", "[" * 5_000 + "]" * 5_000, ":1: invalid JSON"),
    "deeply nested JSON line": (
        "data.jsonl",
        '{"text": "a", "label": ' + "[" * 5_000 + "\n",
        ":1: invalid JSON",
    ),
    "integer label over 4300 digits": (
        "data.jsonl",
        '{"text": "a", "label": ' + "1" * 5_000 + "}\n",
        ":1: ",
    ),
    "integer label too large for a float": (
        "data.jsonl",
        '{"text": "a", "label": ' + "1" * 400 + "}\n",
        ":1: column 'label'",
    ),
}


@pytest.mark.parametrize("threshold", [None, 3.5])
@pytest.mark.parametrize(("name", "text", "where"), DATA_BUGS.values(), ids=DATA_BUGS.keys())
def test_read_labeled_raises_only_data_error(tmp_path, name, text, where, threshold):
    from classifier.errors import DataError
    from classifier.io.labeled import read_labeled

    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match=f"^{path}{where}"):
        read_labeled(path, threshold=threshold, min_per_class=0)
