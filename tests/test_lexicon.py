from pathlib import Path

import pytest

from classifier.cues.lexicon import (
    CATEGORIES,
    HEDGE_CATEGORIES,
    Lexicon,
    load_lexicon,
    parse_lexicon,
)
from classifier.errors import LexiconError

HEADER = "cue\tcategory\tweight\tnote"
LEXICONS = Path(__file__).resolve().parents[1] / "lexicons"


def parse(*lines: str) -> list:
    return parse_lexicon(["# comment", HEADER, *lines], "test.tsv")


def test_bundled_lexicon_loads_and_covers_every_category():
    lexicon = load_lexicon()
    categories = {e.category for e in lexicon.entries}
    assert categories == CATEGORIES
    assert len(lexicon.entries) > 500


@pytest.mark.parametrize("path", sorted(LEXICONS.glob("*.tsv")), ids=lambda p: p.name)
def test_each_lexicon_file_is_sorted_without_duplicates(path):
    entries = parse_lexicon(path.read_text(encoding="utf-8").splitlines(), path.name)
    cues = [e.cue for e in entries]
    assert cues == sorted(cues)
    assert len(cues) == len(set(cues))


def test_checkout_lexicons_equal_the_bundled_ones():
    assert load_lexicon(LEXICONS).digest() == load_lexicon().digest()


def test_required_cues_are_present():
    by_cue = load_lexicon().by_cue
    for cue in [
        "chances ... slim",
        "odds are long",
        "remains to be seen",
        "cannot be ruled out",
        "far from certain",
        "may",
        "suggest",
        "unclear",
    ]:
        assert by_cue[cue].category in HEDGE_CATEGORIES, cue
    assert by_cue["definitely"].category == "booster"
    assert by_cue["not"].category == "negator"
    assert by_cue["military might"].category == "false_friend"


def test_entry_fields_are_parsed():
    (entry,) = parse("the chances ... are slim\tlow_probability\t0.9\tnote")
    assert entry.parts == (("the", "chances"), ("are", "slim"))
    assert entry.weight == 0.9
    assert entry.where == "test.tsv:3"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("may\tmodal\t0.5", "test.tsv:3: expected 4 tab-separated fields"),
        ("may\tmodal\t0.5\tx\ty", "test.tsv:3: expected 4 tab-separated fields"),
        ("may\tmodals\t0.5\tx", "test.tsv:3:category: unknown category 'modals'"),
        ("may\tmodal\theavy\tx", "test.tsv:3:weight: 'heavy' is not a number"),
        ("may\tmodal\t1.5\tx", "test.tsv:3:weight: '1.5' is not in [0, 1]"),
        ("may\tmodal\tnan\tx", "test.tsv:3:weight: 'nan' is not in [0, 1]"),
        ("\tmodal\t0.5\tx", "test.tsv:3:cue: empty cue"),
        ("May\tmodal\t0.5\tx", "test.tsv:3:cue: 'May' must be lowercase"),
        ("... slim\tmodal\t0.5\tx", "'...' must stand between two words"),
        ("slim ...\tmodal\t0.5\tx", "'...' must stand between two words"),
        (" may\tmodal\t0.5\tx", "stray spaces"),
        (".\tmodal\t0.5\tx", "test.tsv:3:cue: '.' has no word"),
        ("chances ... !\tmodal\t0.5\tx", "'chances ... !' has no word"),
    ],
)
def test_malformed_lines_name_file_line_and_field(line, message):
    with pytest.raises(LexiconError, match=message.replace("[", r"\[").replace("]", r"\]")):
        parse(line)


def test_missing_header_is_an_error():
    with pytest.raises(LexiconError, match=r"test.tsv:1: expected the header"):
        parse_lexicon(["may\tmodal\t0.5\tx"], "test.tsv")
    with pytest.raises(LexiconError, match="no header"):
        parse_lexicon(["# only a comment"], "test.tsv")


def write(directory: Path, name: str, *lines: str) -> None:
    (directory / name).write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")


def test_duplicate_cue_across_files_names_both_places(tmp_path):
    write(tmp_path, "a.tsv", "may\tmodal\t0.5\tx")
    write(tmp_path, "b.tsv", "perhaps\tepistemic_adverb\t0.5\tx", "may\tmodal\t0.4\tx")
    where = r"b.tsv:3:cue: duplicate cue 'may' \(first at .*a.tsv:2\)"
    with pytest.raises(LexiconError, match=where):
        load_lexicon(tmp_path)


def test_directory_errors(tmp_path):
    with pytest.raises(LexiconError, match="not a directory"):
        load_lexicon(tmp_path / "missing")
    with pytest.raises(LexiconError, match="no \\*.tsv lexicon file"):
        load_lexicon(tmp_path)
    (tmp_path / "bad.tsv").write_bytes(b"cue\tcategory\tweight\tnote\n\xff\n")
    with pytest.raises(LexiconError, match="not UTF-8"):
        load_lexicon(tmp_path)


def test_merged_lexicon_adds_and_overrides(tmp_path):
    write(tmp_path, "user.tsv", "may\tepistemic_verb\t0.2\tx", "zorblat\tmodal\t0.7\tx")
    merged = load_lexicon().merged(load_lexicon(tmp_path))
    assert merged.by_cue["zorblat"].category == "modal"
    assert merged.by_cue["may"].category == "epistemic_verb"
    assert len(merged.entries) == len(load_lexicon().entries) + 1
    assert merged.digest() != load_lexicon().digest()


def test_digest_is_stable_and_sensitive(tmp_path):
    write(tmp_path, "a.tsv", "may\tmodal\t0.5\tx")
    first = load_lexicon(tmp_path).digest()
    write(tmp_path, "a.tsv", "may\tmodal\t0.5\tanother note")
    assert load_lexicon(tmp_path).digest() == first  # notes do not count
    write(tmp_path, "a.tsv", "may\tmodal\t0.6\tx")
    assert load_lexicon(tmp_path).digest() != first
    assert isinstance(load_lexicon(tmp_path), Lexicon)
