"""Table tests for the parser's long regular expressions: strings each must match (and what it
captures) and strings it must not. One row per case: (pattern, method, text, wanted), where
`wanted` is the text of the group named in the table (the whole match for 0), or None for no match.
"""

from __future__ import annotations

import re

import pytest

from audiobook.parse import attribute, characters, lexicon, quotes
from audiobook.parse.characters import CharacterIndex, _Cluster, _Form

A, C = attribute, characters

# (name, pattern, method, group, [(text, wanted), ...])
TABLE: list[tuple[str, re.Pattern[str], str, int | str, list[tuple[str, str | None]]]] = [
    (
        "sentence end",
        lexicon._SENTENCE_END,
        "search",
        "gap",
        [
            ("It rained. Then it stopped.", " "),
            ('"Go!" She went.', '" '),  # the closing mark stays with its sentence
            ("He waited.\u201d \u201cWell?", "\u201d "),
            ("It was 1850. 1851 came.", " "),
            ("It rained. then it stopped.", None),  # no capital after
            ("It rained.Then", None),  # no space
            ("a, b", None),
        ],
    ),
    (
        "elision",
        quotes._ELISIONS,
        "match",
        0,
        [
            ("tis true", "tis"),
            ("Twas night", "Twas"),
            ("em all", "em"),
            ("n' roll", "n"),
            ("60s", "60s"),
            ("99", "99"),
            ("tisket", None),  # not a whole word
            ("Hello", None),
            ("emma", None),
        ],
    ),
    (
        "described subject",
        attribute._DESCRIBED,
        "match",
        "noun",
        [
            ("the doctor.", "doctor"),
            ("the doctor said", "said"),  # the optional word is greedy: the caller then finds no one
            ("the first policeman", "policeman"),
            ("the motionless Syme", "Syme"),
            ("The March Hare", "March Hare"),
            ("a doctor", None),
            ("them", None),
        ],
    ),
    (
        "speech verb",
        attribute._SPEECH_AT,
        "match",
        0,
        [
            ("said Leo", "said"),
            ("quietly said", "quietly said"),
            ("broke in, \u201cno\u201d", "broke in"),
            ("went on", "went on"),
            ("broke in the door", "broke"),  # "in the door" is no particle
            ("Said", None),  # a capital is no verb here
        ],
    ),
    (
        "possessive after",
        attribute._POSSESSIVE_AFTER,
        "match",
        "who",
        [
            (" was Mr. Emerson's reply.", "Mr. Emerson"),
            (" came Leo's quick answer", "Leo"),
            (" was Emma\u2019s retort", "Emma"),
            (" was Emma  s reply", "Emma"),  # a space and a space before the s (one space is not enough)
            (" was Emma s reply", None),
            (" was Emmas reply", None),
            (" said Emma", None),
        ],
    ),
    (
        "possessive before",
        attribute._POSSESSIVE_BEFORE,
        "search",
        "who",
        [
            ("Emma's answer was, ", "Emma"),
            ("Mr. Knightley's quiet reply, it was: ", "Mr. Knightley"),
            ("Then Anne's only words were ", "Then Anne"),  # the caller finds the name in it
            ("Emma's answer was long. She left, ", None),  # not at the end
            ("emma's answer was, ", None),
        ],
    ),
    (
        "action after a name",
        attribute._PAST_VERB,
        "match",
        0,
        [
            (" made no comment", " made"),
            (" quietly walked", " quietly walked"),
            (" had turned", " had turned"),
            (", turning", ", turning"),
            (" said", " said"),
            (" the door", None),
            (" walking", None),
        ],
    ),
    (
        "vocative at the start",
        attribute._VOCATIVE_START,
        "search",
        1,
        [
            ("Emma, come here.", "Emma"),
            ("Oh, Mr. Knightley!", "Mr. Knightley"),
            ("My dear Anne Elliot, listen", "Anne Elliot"),
            ("Uncle Robert?", "Uncle Robert"),
            ("Come here, Emma.", None),  # not at the start
            ("emma, come", None),
        ],
    ),
    (
        "vocative inside",
        attribute._VOCATIVE_INNER,
        "search",
        1,
        [
            ("Come here, Emma.", "Emma"),
            ("Thank you, Mrs Weston!", "Mrs Weston"),
            ("It is you, my dear Harriet", "Harriet"),
            ("Come here, Emma Woodhouse", "Emma Woodhouse"),
            ("Come here Emma.", None),  # no comma
            ("Then, Emma went", None),  # a sentence goes on
        ],
    ),
    (
        "name candidate",
        characters._CANDIDATE,
        "search",
        0,
        [
            ("then Professor de Worms came", "Professor de Worms"),
            ("then Vincent de Paul came", "Vincent de Paul"),
            ("then Mr. van der Luyden came", "Mr. van der Luyden"),  # two particles, as The Age of Innocence has
            ("the van der Luydens came", "van der Luydens"),
            ("then Mr Pell came", "Mr Pell"),
            ("with Uncle Robert", "Uncle Robert"),
            ("and O'Brien's hat", "O'Brien's"),
            ("Mary-Jane Watson laughed", "Mary-Jane Watson"),
            ("no names here", None),
        ],
    ),
    (
        "name as an object",
        characters._PERSON_OBJECT,
        "search",
        0,
        [
            ("She met ", "met "),
            ("and kissed  ", "kissed  "),
            ("She met them ", None),  # not just before the name
            ("She admet ", None),
        ],
    ),
    (
        "name as a subject",
        characters._SUBJECT_BEFORE,
        "search",
        0,
        [
            ("", ""),
            ("Later, ", ", "),
            ("and when ", "when "),
            ("And ", "And "),
            ("She saw ", None),
            ("the ", None),
        ],
    ),
    (
        "apposition after a name",
        characters._APPOS_AFTER,
        "match",
        "noun",
        [
            (", the village doctor, came", "doctor"),
            (", her youngest son, ran", "son"),
            (", an old man", "old man"),
            (", who ran", None),
            (" the doctor", None),
        ],
    ),
    (
        "apposition before a name",
        characters._APPOS_BEFORE,
        "search",
        "noun",
        [
            ("and her son ", "son"),
            ("The boy ", "boy"),
            ("her little sister ", "sister"),
            ("her son said ", None),  # not just before the name
            ("a son ", None),
        ],
    ),
    (
        "description before a speech verb",
        characters._DESCRIBED_BEFORE,
        "search",
        "d",
        [
            ("The waiter asked", "The waiter"),
            ("Then, the old man slowly replied", "the old man"),
            ("The March Hare said", "The March Hare"),
            ("under the waiter said", None),  # not where a clause starts
            ("The waiter left", None),
        ],
    ),
]
ROWS = [(name, rx, how, group, text, want) for name, rx, how, group, rows in TABLE for text, want in rows]


@pytest.mark.parametrize(("name", "rx", "how", "group", "text", "want"), ROWS, ids=[f"{r[0]}: {r[4]!r}" for r in ROWS])
def test_regex_table(name: str, rx: re.Pattern[str], how: str, group: int | str, text: str, want: str | None) -> None:
    m = rx.match(text) if how == "match" else rx.search(text)
    got = m.group(group) if m else None
    assert got == want, f"{name}: {text!r} gave {got!r}, wanted {want!r}"


def test_mentions_find_names_titles_and_descriptors() -> None:
    """The index's mention pattern: longest form first, "Mr" with or without its full stop, and
    "the"/"his"/"her" with a descriptor noun; never inside a longer word."""
    pell = _Cluster([_Form("Mr. Pell", "Mr.", ("Pell",), count=3), _Form("Robert Pell", None, ("Robert", "Pell"))])
    index = CharacterIndex([pell], {"doctor": "Mr. Pell"})
    found = lambda text: [text[s:e] for s, e, _ in index.mentions(text)]  # noqa: E731
    assert found("Then Mr Pell and Robert Pell met the Doctor.") == ["Mr Pell", "Robert Pell", "the Doctor"]
    assert found("Mr. Pell saw his doctor.") == ["Mr. Pell", "his doctor"]
    assert found("Mr. Pellham and the doctors") == []


def test_word_lists_name_no_particular_book() -> None:
    """The lexicon is general: no word list names one book's characters."""
    alice = {"caterpillar", "hatter", "gryphon", "dodo", "dormouse", "rabbit", "turtle"}
    for name in dir(lexicon):
        words = getattr(lexicon, name)
        if isinstance(words, (frozenset, set, dict, tuple)):
            assert not alice & {str(w).lower() for w in words}, name


def test_a_tag_naming_someone_by_whose_they_are_is_a_gendered_tag() -> None:
    """ "…," said her mother: not a name the index knows, but a woman, found as a "she said" is (the
    conversation then picks which woman), and, when the "her" is a woman too, not that woman; a noun
    that is no person gives no tag."""
    from audiobook.parse.attribute import tag_after

    index = CharacterIndex([], {})
    assert tag_after(", said her mother, as she rose.", index) == ("kin", "female:female:mother")
    assert tag_after(" continued his young brother.", index) == ("kin", "male:male:brother")
    assert tag_after(" said his mother.", index) == ("kin", "female:male:mother")
    assert tag_after(", said his voice from the hall.", index) is None
