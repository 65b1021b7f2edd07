from __future__ import annotations

import dataclasses
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from classifier.text.sentences import (
    MAX_SENTENCE_CHARS,
    NEVER_FINAL_REFERENCES,
    NEVER_FINAL_TITLES,
    Sentence,
    _tokenizer,
    iter_sentences,
    load_punkt_parameters,
    split_sentences,
)

PUNKT_DIR = resources.files("classifier.models") / "punkt"
PARAMETER_FILES = ("abbrev_types.txt", "collocations.tab", "sent_starters.txt", "ortho_context.tab")


def texts(text: str) -> list[str]:
    return [sentence.text for sentence in split_sentences(text)]


def assert_well_formed(text: str, sentences: list[Sentence]) -> None:
    previous_end = 0
    for sentence in sentences:
        assert text[sentence.start : sentence.end] == sentence.text
        assert previous_end <= sentence.start < sentence.end
        assert sentence.text == sentence.text.strip()
        previous_end = sentence.end
    # every non-whitespace character of the text is in exactly one sentence
    assert "".join(text.split()) == "".join("".join(s.text.split()) for s in sentences)


def lexicon_abbreviations() -> list[str]:
    lexicon = resources.files("classifier.lexicons") / "abbreviations.txt"
    lines = lexicon.read_text(encoding="utf-8").split("\n")
    return [line for line in lines if line and not line.startswith("#")]


# --- the Sentence type and offsets ---------------------------------------------------


def test_sentence_is_frozen_with_slots():
    sentence = Sentence("Hi.", 0, 3)
    with pytest.raises(dataclasses.FrozenInstanceError):
        sentence.start = 1  # type: ignore[misc]
    assert not hasattr(sentence, "__dict__")


def test_offsets_exclude_leading_and_trailing_whitespace():
    text = "  \t First one.   Second one.  \n "
    sentences = split_sentences(text)
    assert sentences == [Sentence("First one.", 4, 14), Sentence("Second one.", 17, 28)]
    assert_well_formed(text, sentences)


def test_offsets_with_windows_line_ends():
    text = "First line here.\r\nSecond line here.\r\n\r\nHeading\r\n"
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == ["First line here.", "Second line here.", "Heading"]
    assert_well_formed(text, sentences)


def test_iter_sentences_is_lazy_and_matches_split_sentences():
    text = "One. Two. Three."
    iterator = iter_sentences(text)
    assert next(iterator) == Sentence("One.", 0, 4)
    assert [next(iterator), *iterator] == split_sentences(text)[1:]


@pytest.mark.parametrize("text", ["", " ", "\n\n\n", " \t\r\n \u2028 \x85\x0b\x0c"])
def test_empty_and_whitespace_give_no_sentences(text):
    assert split_sentences(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "\x00",
        "a\x00b. C\x00d.",
        "\ud800. \udfff lone surrogates. \ud83d",
        "\x1b[31mred\x1b[0m. \x7f\x1f",
        "...",
        '"',
        "“‘’”",
        ". . . ! ? !",
        "\u2029\u2028.\u2028",
    ],
)
def test_odd_input_does_not_raise(text):
    assert_well_formed(text, split_sentences(text))


def test_megabyte_without_punctuation_is_split_at_the_hard_cap():
    text = " " + "word " * 200_000
    sentences = split_sentences(text)
    assert_well_formed(text, sentences)
    assert all(len(s.text) <= MAX_SENTENCE_CHARS for s in sentences)
    assert all(s.text.endswith("word") for s in sentences)  # cut at white space
    assert " ".join(s.text for s in sentences) == text.strip()
    unbroken = "x" * (2 * MAX_SENTENCE_CHARS + 5)
    assert [len(s.text) for s in split_sentences(unbroken)] == [
        MAX_SENTENCE_CHARS,
        MAX_SENTENCE_CHARS,
        5,
    ]


def test_long_paragraph_is_split_whole():
    text = "This is one sentence. " * 10_000
    assert len(split_sentences(text)) == 10_000


@pytest.mark.parametrize("value", [b"Bytes. Here.", None, ["A list."]])
def test_non_str_is_rejected(value):
    with pytest.raises(TypeError, match="must be a str"):
        split_sentences(value)


# --- abbreviations, titles, decimals -------------------------------------------------

ONE_SENTENCE = [
    "While Russian military demonstrations are disruptive, a Washington, D.C.-based think "
    "tank indicated in March that the chances of Moscow escalating the situation into an "
    "assault are slim.",
    "Gen. Petraeus told the committee that the surge had worked.",
    "The report was signed by Lt. Gen. Smith and two others.",
    "Col. Brown may have known about the plan.",
    "Dr. Jones suggested that the results are preliminary.",
    "Prof. Smith and Mr. Jones met Mrs. Brown and Ms. White.",
    "Sgt. Miller and Capt. Davis arrived with Adm. Moore.",
    "The U.S. military said the strike was likely a mistake.",
    "The U.S. Army and the U.K. Ministry of Defence agreed.",
    "Several cues, e.g. The Times reported, appear in news text.",
    "Hedges, i.e. The words that weaken a claim, are common.",
    "Smith et al. reported a possible link.",
    "Smith et al. (2005) suggested a possible link.",
    "As shown in Fig. 2, the effect may be small.",
    "The sample contained approx. 300 cells per well.",
    "Pi is about 3.14159 and the ratio was 0.05 in 2.5 percent of cases.",
    "The meeting ended at 5 p.m. on Jan. 5 in the U.S. capital.",
    "Compare Eq. 3 with pp. 12-15 of vol. 2, cf. Smith vs. Jones.",
]


@pytest.mark.parametrize("text", ONE_SENTENCE)
def test_one_sentence(text):
    assert texts(text) == [text]


@pytest.mark.parametrize("title", ["Dr.", "Gen.", "Lt.", "Mr.", "Prof.", "Gov."])
def test_title_before_a_name_that_punkt_takes_for_a_sentence_start(title):
    # Punkt alone splits "Dr. | Strange": "strange" is never capitalized mid-sentence
    # in its training text but is seen lowercase.
    text = f"They met {title} Strange yesterday."
    assert texts(text) == [text]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Gen. Smith arrived.", ["Gen. Smith arrived."]),
        ("It may work, said Gen. Smith.", ["It may work, said Gen. Smith."]),
        ("Dr. Smith arrived. Dr. Jones left.", ["Dr. Smith arrived.", "Dr. Jones left."]),
        ("He met Dr. Smith. Then Dr. Jones.", ["He met Dr. Smith.", "Then Dr. Jones."]),
    ],
)
def test_title_at_sentence_start_and_end(text, expected):
    assert texts(text) == expected


def test_repeated_titles_do_not_split():
    text = "Lt. Col. Dr. Prof. Gen. Smith may come."
    assert texts(text) == [text]


def test_reference_abbreviation_before_capital_is_joined():
    assert texts("See e.g. The Times. It may rain.") == ["See e.g. The Times.", "It may rain."]


def test_capitalized_title_only_never_ends_a_sentence():
    # "Sen" is also a surname, so it is left to Punkt.
    assert texts("The unit is loyal to Hun Sen. It is based in the west.") == [
        "The unit is loyal to Hun Sen.",
        "It is based in the west.",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He moved to the U.S. He liked it.", ["He moved to the U.S.", "He liked it."]),
        ("It costs $3.50. That is cheap.", ["It costs $3.50.", "That is cheap."]),
        ("It grew 2.5 times. Then it fell.", ["It grew 2.5 times.", "Then it fell."]),
        ("Is it? Yes! No.", ["Is it?", "Yes!", "No."]),
        ("Wait... Really? Yes.", ["Wait... Really?", "Yes."]),
        ("(This is one.) And another.", ["(This is one.)", "And another."]),
    ],
)
def test_sentence_ends(text, expected):
    assert texts(text) == expected


# --- quotations ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('He said "It may rain. Or not." and left.', ['He said "It may rain. Or not." and left.']),
        ('"Stop." "Go."', ['"Stop."', '"Go."']),
        ('She said "I am done." Then she left.', ['She said "I am done."', "Then she left."]),
        ('"Why?" he asked. "Because."', ['"Why?" he asked.', '"Because."']),
        ('"Why?", he asked.', ['"Why?", he asked.']),
        (
            "He said, 'It may rain. Or not.' and left.",
            ["He said, 'It may rain. Or not.' and left."],
        ),
        (
            "\u201cIt may rain. Or not,\u201d he said. Then he left.",
            ["\u201cIt may rain. Or not,\u201d he said.", "Then he left."],
        ),
        (
            'He said: "I came. I saw. I won." We cheered.',
            ['He said: "I came. I saw. I won."', "We cheered."],
        ),
        (
            "The students' results were good. They passed.",
            ["The students' results were good.", "They passed."],
        ),
    ],
)
def test_quotations(text, expected):
    assert texts(text) == expected


def test_unclosed_quote_does_not_swallow_following_sentences():
    text = "He is 6'2\" tall. " + "It rains. " * 12
    assert texts(text) == ["He is 6'2\" tall.", *["It rains."] * 12]


def test_quote_is_not_joined_across_paragraphs():
    text = 'He said "It may rain.\n\nOr not." and left.'
    assert texts(text) == ['He said "It may rain.', 'Or not." and left.']


# --- paragraphs ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Heading without period\n\nThe body starts here.",
        "Heading without period\n \t\nThe body starts here.",
        "Heading without period\r\n\r\nThe body starts here.",
        "Heading without period\n\n\n\nThe body starts here.",
    ],
)
def test_blank_line_ends_a_sentence(text):
    assert texts(text) == ["Heading without period", "The body starts here."]


def test_blank_line_ends_a_sentence_even_after_a_title():
    assert texts("Staff: Dr.\n\nSmith may come.") == ["Staff: Dr.", "Smith may come."]


def test_single_newline_does_not_end_a_sentence():
    assert texts("A line that is\nwrapped here. Next.") == [
        "A line that is\nwrapped here.",
        "Next.",
    ]


# --- property ------------------------------------------------------------------------

PIECES = st.sampled_from(
    [
        "word", "Word", "It", "the", "Dr.", "e.g.", "U.S.", "3.14", "etc.", ".", "?", "!",
        "...", '"', "'", "\u201c", "\u201d", "\u2019", ",", ";", "(", ")", " ", "  ", "\n",
        "\n\n", "\r\n", "\t", "\x00", "\ud800", "\u2028",
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.one_of(st.lists(PIECES, max_size=60).map("".join), st.text(max_size=200)))
def test_offsets_reproduce_text_in_order(text):
    sentences = split_sentences(text)
    assert_well_formed(text, sentences)
    assert all("\n\n" not in s.text for s in sentences)


# --- parameter files -----------------------------------------------------------------


def test_shipped_parameters_contain_the_abbreviation_lexicon():
    params = load_punkt_parameters(PUNKT_DIR)
    assert set(lexicon_abbreviations()) <= params.abbrev_types
    assert {"he", "the", "however"} <= params.sent_starters
    assert params.ortho_context["the"] > 0


def test_abbreviation_lexicon_is_well_formed():
    entries = lexicon_abbreviations()
    assert len(entries) == len(set(entries))
    for entry in entries:
        assert entry == entry.lower() == entry.strip()
        assert not entry.endswith(".")
        assert " " not in entry


def test_never_final_abbreviations_are_in_the_lexicon():
    assert set(lexicon_abbreviations()) >= NEVER_FINAL_TITLES | NEVER_FINAL_REFERENCES


@pytest.mark.parametrize("name", PARAMETER_FILES)
def test_parameter_files_are_sorted_with_one_header(name):
    lines = (PUNKT_DIR / name).read_text(encoding="utf-8").split("\n")
    assert lines[0].startswith("# ")
    assert lines[-1] == ""
    body = lines[1:-1]
    assert body == sorted(body)
    assert body


def test_unseen_types_are_not_added_to_the_ortho_table():
    params = _tokenizer().params
    size = len(params.ortho_context)
    split_sentences("Zzunseenzz. zzunseenzz went. Zzunseenzz.")
    assert "zzunseenzz" not in params.ortho_context
    assert len(params.ortho_context) == size


def write_parameters(folder: Path, **overrides: str) -> Path:
    contents = {
        "abbrev_types.txt": "# header\ndr\n",
        "collocations.tab": "# header\ne\tcoli\n",
        "sent_starters.txt": "# header\nthe\n",
        "ortho_context.tab": "# header\nthe\t18\n",
    }
    contents.update(overrides)
    for name, text in contents.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_load_punkt_parameters_reads_our_format(tmp_path):
    params = load_punkt_parameters(write_parameters(tmp_path))
    assert params.abbrev_types == {"dr"}
    assert params.collocations == {("e", "coli")}
    assert params.sent_starters == {"the"}
    assert dict(params.ortho_context) == {"the": 18}


def test_comments_and_blank_lines_anywhere_read_as_the_plain_file(tmp_path):
    plain = load_punkt_parameters(
        write_parameters(tmp_path, **{"ortho_context.tab": "# header\nit\t112\nthe\t18\n"})
    )
    folder = tmp_path / "commented"
    folder.mkdir()
    commented = "# header\n\nit\t112\n# a comment\n\nthe\t18"  # and no final line feed
    params = load_punkt_parameters(write_parameters(folder, **{"ortho_context.tab": commented}))
    assert params == plain
    assert dict(params.ortho_context) == {"it": 112, "the": 18}


def test_malformed_line_after_good_ones_is_named(tmp_path):
    text = "# header\nit\t112\nthe\t18\nthe end\t4\nword\t32\n"
    folder = write_parameters(tmp_path, **{"ortho_context.tab": text})
    with pytest.raises(ValueError, match=r"^ortho_context\.tab:4: .*'the end\\t4'"):
        load_punkt_parameters(folder)


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("abbrev_types.txt", "dr\nmr x\n", r"abbrev_types\.txt:2:"),
        ("abbrev_types.txt", "dr\ndr\n", r"abbrev_types\.txt:2: duplicate"),
        ("collocations.tab", "e\n", r"collocations\.tab:1:"),
        ("collocations.tab", "e\tcoli\tx\n", r"collocations\.tab:1:"),
        ("ortho_context.tab", "the\tx\n", r"ortho_context\.tab:1: flags of 'the'"),
        ("ortho_context.tab", "the\t0\n", r"ortho_context\.tab:1: flags of 'the'"),
        ("ortho_context.tab", "the\t128\n", r"ortho_context\.tab:1: flags of 'the'"),
        ("sent_starters.txt", "the \n", r"sent_starters\.txt:1:"),
    ],
)
def test_load_punkt_parameters_is_strict(tmp_path, name, text, message):
    folder = write_parameters(tmp_path, **{name: text})
    with pytest.raises(ValueError, match=message):
        load_punkt_parameters(folder)
