"""Rules that judge each matched cue in its context: small pure functions.

Each rule looks at the sentence's tokens and one match, and returns whether it fires (a
bool); :func:`negation_outcome` says what a negation makes of a cue. :func:`judge` applies
them all in one place and names the rule that fired in each verdict's ``rule``.
"""

from __future__ import annotations

from dataclasses import dataclass

from classifier.cues.lexicon import BOOSTER
from classifier.cues.matcher import Cue, Match
from classifier.text.tokens import written_tokens

__all__ = [
    "NEGATION_WINDOW",
    "clause_of",
    "false_friend_owners",
    "is_month_may",
    "is_question",
    "is_negated",
    "judge",
    "negation_outcome",
    "quotation_flags",
    "suggest_as_propose",
    "suggest_subjunctive",
    "suspect_as_noun",
    "Verdict",
]

#: How many tokens before a cue a negation may stand and still negate it ("not at all
#: likely" needs 3). As in VADER's look-back of three words.
NEGATION_WINDOW = 3

#: Tokens that end the reach of a negation: a negation does not cross a clause break.
CLAUSE_BREAKS = frozenset({",", ";", ":", "(", ")", "but", "and", "which", "that", "although"})

#: Hedge words that, negated, say the opposite of doubt ("no doubt", "not questioned").
DOUBT_WORDS = frozenset({"doubt", "doubts", "doubted", "doubtful", "questioned", "questionable"})

#: Forms of "suggest", which also means "propose" ("we suggested visiting the site").
SUGGEST_FORMS = frozenset({"suggest", "suggests", "suggested", "suggesting"})

OBJECT_PRONOUNS = frozenset({"me", "you", "him", "her", "us", "them"})

#: Finite or modal forms that, as the first verb after "suggested that", show an indicative
#: report of evidence ("suggested that the scheme had failed").
INDICATIVE_MARKERS = frozenset(
    {
        "is", "are", "was", "were", "has", "have", "had", "may", "might", "could", "would",
        "will", "can", "does", "did", "do", "'s", "seems", "seemed", "appears", "appeared",
    }
)  # fmt: skip
#: Common verbs in their bare (subjunctive) form: "suggested that staff work from home".
BARE_VERBS = frozenset(
    {
        "be", "work", "take", "stay", "use", "wait", "start", "meet", "hire", "keep", "move",
        "return", "review", "adopt", "delay", "pay", "buy", "sell", "try", "leave", "go", "join",
        "switch", "cut", "raise", "postpone", "limit", "focus", "avoid", "hold", "make", "give",
        "get", "add", "call", "contact", "send", "visit", "apply", "reduce", "increase", "consider",
        "book", "bring", "check", "come", "drop", "find", "follow", "look", "read", "rest",
        "resign", "run", "see", "seek", "speak", "step", "stop", "talk", "tell", "wear", "write",
        "open", "close", "share", "build", "change", "remain", "replace", "sign", "submit", "test",
    }
)  # fmt: skip
#: Words that, read as a question's doubt ("Is it really safe?"), are hedges only there.
QUESTION_CUES = frozenset({"really", "actually", "truly"})
#: Words before "suspect(s)" that make it a noun ("the suspect", "two suspects").
NOUN_LEADERS = frozenset(
    {
        "a", "an", "the", "this", "that", "these", "those", "two", "three", "four", "several",
        "other", "main", "prime", "key", "chief", "murder", "police", "usual", "possible",
        "one", "no", "any", "each", "both", "his", "her", "their", "our", "its", "male", "female",
    }
)  # fmt: skip
#: Words after "suspect(s)" that make it a noun ("the suspect was arrested").
NOUN_FOLLOWERS = frozenset(
    {"was", "were", "is", "are", "has", "had", "who", "fled", "in", "'s", ",", ".", "remains"}
)

#: Words after "May" that make it a month ("May 2020", "May 5", "May of").
MONTH_FOLLOWERS = frozenset({"of", ",", "."})
#: Words before "May" that make it a month ("in May", "since May").
MONTH_LEADERS = frozenset({"in", "since", "until", "till", "of", "early", "late", "mid", "during"})

QUOTE_PAIRS = (("“", "”"), ("«", "»"))
QUOTE_MARKS = ('"',) + tuple(mark for pair in QUOTE_PAIRS for mark in pair)


#: Words that open a subordinate clause at the start of a sentence ("Although it may …, X").
SUBORDINATORS = frozenset(
    {
        "although", "though", "while", "whilst", "if", "when", "because", "since", "as",
        "unless", "whereas", "after", "before", "once", "despite", "even", "whether",
    }
)  # fmt: skip
#: Relative pronouns and the complementizer "that": a cue after one sits in a relative or
#: complement clause, which guideline rule 11 counts or not by its kind.
RELATIVES = frozenset({"that", "which", "who", "whom", "whose", "where"})
#: Tokens that close a clause for :func:`clause_of`.
CLAUSE_ENDS = frozenset({",", ";", ":", "(", ")", "—", "–", "-"})
#: How far back :func:`clause_of` looks for a relative pronoun.
RELATIVE_WINDOW = 8


def clause_of(words: list[str], first: int) -> str:
    """Return where the cue that starts at ``words[first]`` sits in its sentence.

    ``"rel:W"`` after the relative or complementizer W within its clause (``"rel:,W"`` when a
    comma stands before W: a non-restrictive relative), ``"lead"`` in a leading subordinate
    clause ("Although it may …, X"), or ``""`` in a main clause. Learned, not decided: the
    model weighs each position per cue category (guideline rule 11).

    Examples
    --------
    >>> clause_of("the rumour that was likely to spread".split(), 4)
    'rel:that'
    >>> clause_of("although it may rain , we will go".split(), 2)
    'lead'
    >>> clause_of("it may rain".split(), 1)
    ''
    """
    i = first - 1
    while i > 0 and first - i <= RELATIVE_WINDOW and words[i] not in CLAUSE_ENDS:
        if words[i] in RELATIVES:
            return f"rel:,{words[i]}" if words[i - 1] == "," else f"rel:{words[i]}"
        i -= 1
    if first > 0 and words[0] in SUBORDINATORS:
        for word in words[1:first]:
            if word in CLAUSE_ENDS:
                return ""
        return "lead"
    return ""


def is_month_may(words: list[str], written: str, first: int) -> bool:
    """Tell whether the cue "may" at token ``first``, written ``written``, is the month.

    It is the month when written "May" and followed by a number or "of", or preceded by
    "in", "since" and the like, or when written "May" anywhere but the sentence start.

    Examples
    --------
    >>> is_month_may(["in", "may", "2020"], "May", 1)
    True
    >>> is_month_may(["it", "may", "rain"], "may", 1)
    False
    """
    if words[first] != "may" or not written.startswith("May"):
        return False
    after = words[first + 1] if first + 1 < len(words) else ""
    before = words[first - 1] if first > 0 else ""
    if after[:1].isdigit() or after in MONTH_FOLLOWERS or before in MONTH_LEADERS:
        return True
    return first > 0


def suggest_as_propose(words: list[str], first: int) -> bool:
    """Tell whether "suggest" at ``first`` means "propose".

    It does when followed by "you", by "to" and a pronoun ("suggested to him"), or by an
    -ing form ("suggested visiting").

    Examples
    --------
    >>> suggest_as_propose(["i", "suggest", "visiting", "rome"], 1)
    True
    >>> suggest_as_propose(["data", "suggest", "a", "role"], 1)
    False
    """
    if words[first] not in SUGGEST_FORMS or first + 1 >= len(words):
        return False
    after = words[first + 1]
    if after == "to":
        return first + 2 < len(words) and words[first + 2] in OBJECT_PRONOUNS
    return after == "you" or (after.endswith("ing") and len(after) > 5)


def suggest_subjunctive(words: list[str], first: int) -> bool:
    """Tell whether "suggest(ed) that ..." proposes an action with a subjunctive complement.

    The first verb after "that" decides: "be", "should" or a common bare verb proposes
    ("suggested that staff work from home"); a finite or modal form reports evidence
    ("suggested that the scheme had failed").

    Examples
    --------
    >>> suggest_subjunctive(["he", "suggested", "that", "staff", "work", "from", "home"], 1)
    True
    >>> suggest_subjunctive(["data", "suggested", "that", "it", "had", "failed"], 1)
    False
    """
    if words[first] not in SUGGEST_FORMS or first + 2 >= len(words) or words[first + 1] != "that":
        return False
    for word in words[first + 2 : first + 8]:
        if word in INDICATIVE_MARKERS or (word.endswith("ed") and len(word) > 4):
            return False
        if word == "should" or word in BARE_VERBS:
            return True
    return False


def is_question(words: list[str]) -> bool:
    """Tell whether the sentence is a question (its last token is "?").

    Examples
    --------
    >>> is_question(["is", "it", "really", "safe", "?"])
    True
    >>> is_question(["it", "is", "really", "safe", "."])
    False
    """
    return bool(words) and words[-1] == "?"


def suspect_as_noun(words: list[str], first: int) -> bool:
    """Tell whether "suspect(s)" at ``first`` is the noun ("the suspect fled").

    Examples
    --------
    >>> suspect_as_noun(["police", "arrested", "two", "suspects"], 3)
    True
    >>> suspect_as_noun(["we", "suspect", "a", "leak"], 1)
    False
    """
    if words[first] not in ("suspect", "suspects"):
        return False
    before = words[first - 1] if first > 0 else ""
    after = words[first + 1] if first + 1 < len(words) else "."
    return before in NOUN_LEADERS or (
        before not in OBJECT_PRONOUNS
        and after in NOUN_FOLLOWERS
        and before not in ("i", "we", "they", "you")
    )


def is_negated(words: list[str], first: int, negators: set[int]) -> bool:
    """Tell whether a negation stands within :data:`NEGATION_WINDOW` tokens before ``first``.

    A clause break (comma, "but", ...) between them stops the negation.

    Examples
    --------
    >>> is_negated(["it", "is", "not", "likely"], 3, {2})
    True
    >>> is_negated(["no", ",", "it", "is", "likely"], 4, {0})
    False
    """
    for i in range(first - 1, max(first - NEGATION_WINDOW, 0) - 1, -1):
        if i in negators:
            return True
        if words[i] in CLAUSE_BREAKS:
            return False
    return False


def negation_outcome(category: str, entry: str) -> tuple[str, bool, str | None]:
    """Decide what a negation does to a cue.

    Returns
    -------
    category : str
        The cue's category afterwards: a negated booster ("not sure", "not certain")
        expresses doubt.
    kept : bool
        False when the negation turns a doubt word into certainty ("no doubt").
    rule : str or None
        The rule applied. A negated hedge ("not unlikely", "may not") stays a hedge.
    """
    if category == BOOSTER:
        return "doubt", True, "negated booster"
    if entry in DOUBT_WORDS:
        return category, False, "negated doubt"
    return category, True, None


def quotation_flags(words: list[str]) -> list[bool]:
    """Tell, for every token at once, whether it stands inside a quotation.

    A token is inside when an odd number of straight double quotes, or more opening than
    closing curly quotes or guillemets, stand before it. One pass for all tokens: judging
    each cue by counting the quotes before it would take time quadratic in the sentence.

    Examples
    --------
    >>> quotation_flags(["he", "said", '"', "it", "may", '"', "so"])
    [False, False, False, True, True, True, False]
    """
    if all(mark not in words for mark in QUOTE_MARKS):  # most sentences: no quotation
        return [False] * len(words)
    flags = []
    straight = 0
    open_pairs = [0] * len(QUOTE_PAIRS)
    for word in words:
        flags.append(straight % 2 == 1 or any(n > 0 for n in open_pairs))
        if word == '"':
            straight += 1
        for i, (opening, closing) in enumerate(QUOTE_PAIRS):
            if word == opening:
                open_pairs[i] += 1
            elif word == closing:
                open_pairs[i] -= 1
    return flags


def false_friend_owners(false_friends: list[Match]) -> dict[int, int]:
    """Map each token covered by a false friend to the first such friend's index.

    A cue sharing a token with a false friend is discarded for the first such friend,
    found without looping over every friend for every cue.

    Examples
    --------
    >>> from classifier.cues.lexicon import LexiconEntry
    >>> entry = LexiconEntry("military might", "false_friend", 1.0, (), "x")
    >>> false_friend_owners([Match(entry, ((2, 4),)), Match(entry, ((3, 5),))])
    {2: 0, 3: 0, 4: 1}
    """
    owners: dict[int, int] = {}
    for index, friend in enumerate(false_friends):
        for first, stop in friend.pieces:
            for token in range(first, stop):
                owners.setdefault(token, index)
    return owners


@dataclass(slots=True, init=False)
class Verdict:
    """What the rules decided about one match.

    Not frozen, as :class:`~classifier.cues.matcher.Match` (an ``__init__`` mypyc compiles).

    Attributes
    ----------
    match : Match
        The lexicon match.
    category : str
        Its category afterwards (a negated booster becomes ``"doubt"``).
    kept : bool
        False when a rule discarded it.
    rule : str or None
        The rule that changed or discarded it.
    negated, quoted : bool
        A negation stands just before it; it stands inside a quotation.
    """

    match: Match
    category: str
    kept: bool
    rule: str | None
    negated: bool
    quoted: bool

    def __init__(
        self, match: Match, category: str, kept: bool, rule: str | None, negated: bool, quoted: bool
    ) -> None:
        self.match = match
        self.category = category
        self.kept = kept
        self.rule = rule
        self.negated = negated
        self.quoted = quoted

    def __reduce__(self) -> tuple[type[Verdict], tuple[object, ...]]:
        """Pickle by the constructor's arguments, in both builds (see ``classifier.compiled``)."""
        return Verdict, (self.match, self.category, self.kept, self.rule, self.negated, self.quoted)

    def cue(self, text: str, spans: list[tuple[int, int]], offset: int = 0) -> Cue:
        """Return the verdict as a :class:`~classifier.cues.matcher.Cue`.

        Its offsets are those in ``text`` moved by ``offset``.
        """
        match = self.match
        pieces = [(spans[a][0], spans[b - 1][1]) for a, b in match.pieces]
        return Cue(
            text=" ... ".join(text[start:end] for start, end in pieces),
            start=pieces[0][0] + offset,
            end=pieces[-1][1] + offset,
            category=self.category,
            entry=match.entry.cue,
            weight=match.entry.weight,
            first=match.first,
            last=match.last,
            negated=self.negated,
            quoted=self.quoted,
            kept=self.kept,
            rule=self.rule,
        )


def judge(
    text: str,
    words: list[str],
    matches: list[Match],
    false_friends: list[Match],
    negators: set[int],
) -> list[Verdict]:
    """Apply every rule to the matches of one sentence.

    Parameters
    ----------
    text : str
        The sentence.
    words : list of str
        Its lowercased tokens (:func:`classifier.text.tokens.tokenize`).
    matches, false_friends, negators
        What :meth:`classifier.cues.matcher.CueMatcher.find` found.

    Returns
    -------
    list of Verdict
        One per match, in text order.
    """
    verdicts = []
    written: list[str] | None = None
    # a quote mark is a token of its own: without one in the text, nothing is quoted
    quoted_tokens = quotation_flags(words) if any(m in text for m in QUOTE_MARKS) else None
    owners = false_friend_owners(false_friends) if false_friends else {}
    for match in matches:
        entry = match.entry
        first = match.first
        category, kept, rule = entry.category, True, None
        friend = None
        if owners:
            covering = [owners[t] for a, b in match.pieces for t in range(a, b) if t in owners]
            if covering:
                friend = false_friends[min(covering)].entry.cue
        negated = is_negated(words, first, negators) if negators else False
        if words[first] == "may" and written is None and "May" in text:  # else not the month
            written = written_tokens(text)
        if friend is not None:
            kept, rule = False, f"false friend {friend!r}"
        elif written is not None and is_month_may(words, written[first], first):
            kept, rule = False, "false friend: the month May"
        elif suggest_as_propose(words, first) or suggest_subjunctive(words, first):
            kept, rule = False, "false friend: 'suggest' as propose"
        elif suspect_as_noun(words, first):
            kept, rule = False, "false friend: 'suspect' the noun"
        elif entry.cue in QUESTION_CUES and not is_question(words):
            kept, rule = False, "not a question: no doubt expressed"
        elif negated:
            category, kept, rule = negation_outcome(category, entry.cue)
        quoted = quoted_tokens[first] if quoted_tokens is not None else False
        verdicts.append(Verdict(match, category, kept, rule, negated, quoted))
    return verdicts
