"""Hostile lexicons: bounded like a model archive's, and matched at a cost set by the text."""

from __future__ import annotations

from pathlib import Path

import pytest

from classifier.compiled import MODULES, compiled_modules
from classifier.cues.lexicon import (
    MAX_CUE_WORDS,
    MAX_LEXICON_BYTES,
    MAX_LEXICON_ENTRIES,
    _build,
    load_lexicon,
)
from classifier.cues.matcher import CueMatcher
from classifier.errors import LexiconError
from tests.hostile.common import EXAMPLES, MODEL_PEAK, hedge, one_error_line, refused_within, run

HEADER = "cue\tcategory\tweight\tnote\n"


def lexicon(folder: Path, rows: list[str]) -> Path:
    folder.mkdir()
    (folder / "extra.tsv").write_text(HEADER + "".join(f"{row}\n" for row in rows), "utf-8")
    return folder


def test_too_many_entries_are_refused_in_one_line(capsys, tmp_path):
    rows = [f"word{k}\tmodal\t0.5\t" for k in range(MAX_LEXICON_ENTRIES + 1)]
    lex = lexicon(tmp_path / "lex", rows)
    code, _, err = run(capsys, "lexicon", "check", str(lex))
    assert code == 1
    one_error_line(err, "extra.tsv", str(MAX_LEXICON_ENTRIES))


def test_a_cue_of_too_many_words_is_refused(capsys, tmp_path):
    lex = lexicon(tmp_path / "lex", [" ".join(["the"] * (MAX_CUE_WORDS + 1)) + "\tmodal\t0.5\t"])
    code, _, err = run(capsys, "lexicon", "check", str(lex))
    assert code == 1
    one_error_line(err, "extra.tsv:2:cue")


def test_long_cues_of_one_word_stay_in_memory_bounds(tmp_path):
    """1,800 cues "the", "the the", ...: once 676 MB and over two minutes, now refused."""
    rows = [" ".join(["the"] * k) + "\tmodal\t0.5\t" for k in range(1, 1801)]
    lex = lexicon(tmp_path / "lex", rows)
    text = tmp_path / "the.txt"
    text.write_text("the " * 2500 + "\n", encoding="utf-8")
    done = hedge("score", "--lexicon", str(lex), str(text), "-o", "/dev/null")
    refused_within(done, MODEL_PEAK, "extra.tsv")


def test_a_lexicon_folder_larger_than_its_limit_is_refused(capsys, tmp_path):
    lex = lexicon(tmp_path / "lex", ["maybe so\tmodal\t0.5\t"])
    with open(lex / "z.tsv", "w", encoding="utf-8") as f:
        f.write(HEADER)
        f.write(("#" + " " * 1000 + "\n") * (MAX_LEXICON_BYTES // 1000))
    with pytest.raises(LexiconError, match="z.tsv"):
        load_lexicon(lex)


@pytest.mark.parametrize("command", ["score", "check", "train"])
def test_a_lexicon_file_linked_to_dev_zero(tmp_path, command):
    lex = lexicon(tmp_path / "lex", ["maybe so\tmodal\t0.5\t"])
    (lex / "zero.tsv").symlink_to("/dev/zero")
    args = {
        "score": ["score", "--lexicon", str(lex), str(EXAMPLES / "sample.txt")],
        "check": ["lexicon", "check", str(lex)],
        "train": ["train", str(EXAMPLES / "labeled.csv"), "--lexicon", str(lex), "--out",
                  str(tmp_path / "m.hedge")],
    }[command]  # fmt: skip
    line = refused_within(hedge(*args), MODEL_PEAK)
    assert line == f"hedge: error: {lex / 'zero.tsv'}: not a regular file"


class CountingWords(list):
    """A sentence's words that count how often the matcher looks at one."""

    looked = 0

    def __getitem__(self, index):
        CountingWords.looked += 1
        return super().__getitem__(index)


def looks(entries: list[str], words: list[str]) -> int:
    matcher = CueMatcher(_build([("x.tsv", HEADER + "\n".join(entries) + "\n")]))
    CountingWords.looked = 0
    matcher.find(CountingWords(words))
    return CountingWords.looked


@pytest.mark.skipif(
    "classifier.cues.matcher" in compiled_modules(), reason="compiled code reads items directly"
)
def test_matching_costs_the_same_however_many_cues_share_a_first_word():
    """1,800 gap cues beginning with "the": once 28 s on 10 KB of text, now as for 18."""
    assert "classifier.cues.matcher" in MODULES

    def cues(count: int) -> list[str]:
        return [f"the {'the ' * (k % 11)}... maybe{k}\tmodal\t0.5\t" for k in range(count)]

    words = ["the"] * 300
    few, many = looks(cues(18), words), looks(cues(1800), words)
    assert few > 0
    assert many <= 2 * few, (few, many)
