import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from classifier.cues.lexicon import Lexicon, load_lexicon, parse_lexicon
from classifier.cues.matcher import CueMatcher
from classifier.cues.rules import (
    NEGATION_WINDOW,
    clause_of,
    false_friend_owners,
    is_month_may,
    is_negated,
    judge,
    negation_outcome,
    quotation_flags,
    suggest_as_propose,
)
from classifier.text.tokens import ASCII_TOKEN_PATTERN, TOKEN_PATTERN, token_spans, tokenize


def lexicon(*lines: str) -> Lexicon:
    entries = parse_lexicon(["cue\tcategory\tweight\tnote", *lines], "t.tsv")
    return Lexicon(tuple(sorted(entries, key=lambda e: e.cue)))


SMALL = lexicon(
    "may\tmodal\t0.9\tx",
    "may be\tmodal\t0.9\tx",
    "chances ... slim\tlow_probability\t1\tx",
    "certainly\tbooster\t0.5\tx",
    "almost certainly\tepistemic_adverb\t0.5\tx",
    "not\tnegator\t1\tx",
    "no\tnegator\t1\tx",
    "military might\tfalse_friend\t1\tx",
    "might\tmodal\t0.9\tx",
    "sure\tbooster\t0.5\tx",
    "doubt\tdoubt\t0.5\tx",
    "likely\tepistemic_adverb\t0.9\tx",
    "unlikely\tepistemic_adjective\t0.9\tx",
)


def find(text: str, lex: Lexicon = SMALL, max_gap: int = 12):
    words, _ = tokenize(text)
    return CueMatcher(lex, max_gap).find(words)


def cues(text: str, lex: Lexicon = SMALL):
    words, spans = tokenize(text)
    matches, friends, negators = CueMatcher(lex).find(words)
    return [v.cue(text, spans) for v in judge(text, words, matches, friends, negators)]


def test_tokenize_spans_reproduce_tokens():
    text = "It isn’t clear: D.C.-based, 3.5%."
    words, spans = tokenize(text)
    assert words == ["it", "isn't", "clear", ":", "d.c", ".", "-", "based", ",", "3.5", "%", "."]
    assert [text[s:e].lower().replace("’", "'") for s, e in spans] == words


def test_ascii_pattern_finds_the_same_tokens_around_every_ascii_character():
    # on ASCII text, [a-zA-Z0-9_] is Unicode's \w and [ \t\n\x0b-\r\x1c-\x1f] its \s
    for code in range(128):
        char = chr(code)
        for text in (char, char * 2, f"a{char}b", f"a{char}", f"{char}b", f"x {char} 3.5{char}"):
            expected = [m.span() for m in TOKEN_PATTERN.finditer(text)]
            assert [m.span() for m in ASCII_TOKEN_PATTERN.finditer(text)] == expected, repr(text)


#: ASCII text, rich in word characters, separators and the ASCII spaces \s has beyond " \t\n"
ASCII_TEXT = st.text(
    alphabet=st.sampled_from("aZ9_-'.,\"! \t\n\x0b\x1c\x1f") | st.characters(max_codepoint=127)
)


@settings(max_examples=300, deadline=None)
@given(ASCII_TEXT)
def test_ascii_pattern_equals_the_unicode_one_on_ascii_text(text):
    assert ASCII_TOKEN_PATTERN.findall(text) == TOKEN_PATTERN.findall(text)
    assert tokenize(text)[0] == [w.lower() for w in TOKEN_PATTERN.findall(text)]


@settings(max_examples=300, deadline=None)
@given(ASCII_TEXT | st.text(alphabet=st.sampled_from("aİ’'.\u00a0\u2028 ß-")) | st.text())
def test_token_spans_are_tokenizes_without_matching_again(text):
    words, spans = tokenize(text)
    assert token_spans(text, words, len(words)) == spans
    assert token_spans(text, words, 1) == spans[:1]


def test_tokenize_offsets_survive_lowercasing_that_changes_length():
    text = "İstanbul may grow."  # "İ".lower() is two characters
    words, spans = tokenize(text)
    assert words[1] == "may" and text[slice(*spans[1])] == "may"


def test_single_multiword_and_longest_match():
    matches, _, _ = find("It may be so, it may.")
    assert [m.entry.cue for m in matches] == ["may be", "may"]
    matches, _, _ = find("He almost certainly left.")
    assert [m.entry.cue for m in matches] == ["almost certainly"]


def test_discontinuous_cue_within_the_gap_only():
    matches, _, _ = find("The chances of an assault are slim.")
    assert [m.entry.cue for m in matches] == ["chances ... slim"]
    assert matches[0].pieces == ((1, 2), (6, 7))
    matches, _, _ = find("The chances of an assault are slim.", max_gap=2)
    assert matches == []


def test_cue_at_sentence_start_end_and_repeated():
    matches, _, _ = find("May it rain? It may, it may")
    assert [m.first for m in matches] == [0, 5, 8]


def test_negators_include_nt_forms_and_false_friends_are_apart():
    matches, friends, negators = find("We don't see military might, not at all.")
    assert negators == {1, 6}
    assert [f.entry.cue for f in friends] == ["military might"]
    assert [m.entry.cue for m in matches] == ["might"]


@pytest.mark.parametrize(
    ("text", "index", "expected"),
    [
        ("In May 2020 it rained", 1, True),
        ("May 2020 was wet", 0, True),
        ("Rain fell in early May", 4, True),
        ("It may rain", 1, False),
        ("May I ask", 0, False),
        ("It may rain , may it not", 4, False),
        ("Since May , it may rain", 1, True),
    ],
)
def test_is_month_may(text, index, expected):
    words, spans = tokenize(text)
    assert is_month_may(words, text[slice(*spans[index])], index) is expected


def test_false_friend_covers_only_overlapping_cues():
    _, friends, _ = find("Military might may fail, they might.")
    matches, _, _ = find("Military might may fail, they might.")
    owners = false_friend_owners(friends)
    assert [any(t in owners for t in m.tokens()) for m in matches] == [True, False, False]


@pytest.mark.parametrize(
    ("text", "index", "expected"),
    [
        ("I suggest visiting Rome", 1, True),
        ("She suggested to him that", 1, True),
        ("I suggest you go", 1, True),
        ("Data suggest a role", 1, False),
        ("It was suggested to be involved", 2, False),
        ("These results suggest", 2, False),
        ("suggesting that", 0, False),
    ],
)
def test_suggest_as_propose(text, index, expected):
    assert suggest_as_propose(tokenize(text)[0], index) is expected


def test_is_negated_window_and_clause_breaks():
    words = ["not", "at", "all", "likely"]
    assert NEGATION_WINDOW == 3
    assert is_negated(words, 3, {0})
    assert not is_negated(["not", "so", "very", "much", "likely"], 4, {0})
    assert not is_negated(["not", ",", "likely"], 2, {0})
    assert not is_negated(["likely"], 0, set())
    assert is_negated(["not", "likely", "not", "likely"], 3, {0, 2})


def test_negation_outcome():
    assert negation_outcome("booster", "sure") == ("doubt", True, "negated booster")
    assert negation_outcome("doubt", "doubt") == ("doubt", False, "negated doubt")
    assert negation_outcome("epistemic_adjective", "unlikely") == (
        "epistemic_adjective",
        True,
        None,
    )


def test_in_quotation():
    words = tokenize('He said "it may rain" and “it might” and it may.')[0]
    flags = quotation_flags(words)
    assert flags[words.index("may")] and flags[words.index("might")]
    assert not flags[len(words) - 2] and not flags[0]


def test_judge_applies_rules_in_context():
    found = cues('I am not sure. There is no doubt. It is not unlikely. "It may," he said.')
    by_text = {c.text: c for c in found}
    assert by_text["sure"].category == "doubt" and by_text["sure"].kept
    assert by_text["sure"].rule == "negated booster"
    assert not by_text["doubt"].kept and by_text["doubt"].rule == "negated doubt"
    assert by_text["unlikely"].kept and by_text["unlikely"].negated
    assert by_text["may"].quoted and by_text["may"].kept


def test_judge_false_friends_and_offsets():
    text = "In May 2020, military might grew; it may shrink."
    found = cues(text)
    assert [(c.text, c.kept) for c in found] == [("May", False), ("might", False), ("may", True)]
    assert found[1].rule == "false friend 'military might'"
    assert all(text[c.start : c.end] == c.text for c in found)


def test_discontinuous_cue_text_and_offsets():
    text = "The chances of an assault are slim."
    (cue,) = cues(text)
    assert cue.text == "chances ... slim"
    assert text[cue.start : cue.end] == "chances of an assault are slim"


def test_bundled_lexicon_finds_low_probability_phrase():
    text = (
        "While Russian military demonstrations are disruptive, a Washington, D.C.-based "
        "think tank indicated in March that the chances of Moscow escalating the situation "
        "into an assault are slim."
    )
    found = cues(text, load_lexicon())
    kept = {c.category for c in found if c.kept}
    assert "low_probability" in kept
    assert not any(c.entry == "think" and c.kept for c in found)


# ---------------------------------------------------------------------- where a cue sits
@pytest.mark.parametrize(
    ("text", "index", "expected"),
    [
        ("may rain today", 0, ""),  # the cue first: a main clause
        ("it will rain , they may say", 5, ""),  # the cue last but one, after a comma
        ("it may rain , which may matter", 6, "rel:,which"),  # repeated: the second one
        ("it may rain , which may matter", 1, ""),  # repeated: the first one
        ("the rumour that was likely to spread", 4, "rel:that"),  # restrictive relative
        ("a study that many say may", 6, "rel:that"),  # the cue at the end
        ("although it may rain , we will go", 2, "lead"),  # a leading concessive
        ("although it rained , we may go", 5, ""),  # after the leading clause
        ("if it may rain", 2, "lead"),  # the whole sentence one clause
        ("that may be true", 1, ""),  # "that" opening the sentence is no relative
    ],
)
def test_clause_of(text, index, expected):
    assert clause_of(text.split(), index) == expected
